use std::collections::BTreeMap;

use crate::rules::{LintRule, ModuleCx, declare_rule};
use crate::source::locate::path;

const EMPTY: &str = "google.protobuf.Empty";

declare_rule! {
    /// Each message is the request or response of one RPC only.
    ///
    /// ## What it does
    /// Checks that every message is the request or response of at most one RPC, and that no RPC
    /// uses one message as both. Options: `rpc_allow_same_request_response`,
    /// `rpc_allow_google_protobuf_empty_requests`, `rpc_allow_google_protobuf_empty_responses`.
    ///
    /// ## Why
    /// A message shared by two RPCs cannot gain a field for one of them without changing the
    /// other. Unique request and response types keep every RPC free to evolve.
    ///
    /// ## Example
    /// ```proto
    /// rpc GetOrder(OrderRequest) returns (Order);
    /// rpc DeleteOrder(OrderRequest) returns (Order);
    /// ```
    ///
    /// ## Fix
    /// Give each RPC its own `<Method>Request` and `<Method>Response`.
    pub struct RpcRequestResponseUnique;
}

impl LintRule for RpcRequestResponseUnique {
    fn check_module(&self, cx: &mut ModuleCx) {
        let options = cx.options().clone();
        // (file index, method) for every RPC of the checked files.
        let mut methods = Vec::new();
        for (index, entry) in cx.files().iter().enumerate() {
            for service in entry.descriptor.services() {
                for method in service.methods() {
                    methods.push((index, method));
                }
            }
        }
        let mut reports: Vec<(usize, Vec<i32>, String, String)> = Vec::new();
        let name_at = |m: &prost_reflect::MethodDescriptor| {
            let mut p = m.path().to_vec();
            p.push(path::NAME);
            p
        };
        if !options.rpc_allow_same_request_response {
            for (index, m) in &methods {
                let (input, output) = (m.input(), m.output());
                let both_empty_allowed = input.full_name() == EMPTY
                    && options.rpc_allow_google_protobuf_empty_requests
                    && options.rpc_allow_google_protobuf_empty_responses;
                if input.full_name() == output.full_name() && !both_empty_allowed {
                    reports.push((
                        *index,
                        name_at(m),
                        format!(
                            "RPC `{}` uses `{}` as both request and response",
                            m.full_name(),
                            input.full_name()
                        ),
                        format!("give `{}` its own request and response messages", m.name()),
                    ));
                }
            }
        }
        // type -> RPCs using it (as request, as response)
        let mut users: BTreeMap<String, Vec<(usize, bool, bool)>> = BTreeMap::new();
        for (i, (_, m)) in methods.iter().enumerate() {
            let (input, output) = (
                m.input().full_name().to_owned(),
                m.output().full_name().to_owned(),
            );
            if input == output {
                users.entry(input).or_default().push((i, true, true));
            } else {
                users.entry(input).or_default().push((i, true, false));
                users.entry(output).or_default().push((i, false, true));
            }
        }
        for (ty, uses) in &users {
            if uses.len() < 2 {
                continue;
            }
            let allow_req = options.rpc_allow_google_protobuf_empty_requests;
            let allow_resp = options.rpc_allow_google_protobuf_empty_responses;
            if ty == EMPTY && (allow_req || allow_resp) {
                if allow_req && allow_resp {
                    continue;
                }
                // Only one side is allowed to share Empty: check the other side.
                let (side_is_request, word) = if allow_req {
                    (false, "response")
                } else {
                    (true, "request")
                };
                let side: Vec<usize> = uses
                    .iter()
                    .filter(|(_, req, resp)| if side_is_request { *req } else { *resp })
                    .map(|(i, _, _)| *i)
                    .collect();
                if side.len() > 1 {
                    for i in side {
                        let (index, m) = &methods[i];
                        reports.push((
                            *index,
                            name_at(m),
                            format!("`{ty}` is the {word} of several RPCs"),
                            format!("give `{}` its own {word} message", m.name()),
                        ));
                    }
                }
                continue;
            }
            for (i, _, _) in uses {
                let (index, m) = &methods[*i];
                reports.push((
                    *index,
                    name_at(m),
                    format!("`{ty}` is the request or response of several RPCs"),
                    format!("give `{}` its own request and response messages", m.name()),
                ));
            }
        }
        for (index, at, message, help) in reports {
            cx.in_file(index).report(&at, message, help);
        }
    }
}
