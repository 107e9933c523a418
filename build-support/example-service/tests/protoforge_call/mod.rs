//! `protoforge call` run in process, for the tests that call servers with it.

#![allow(dead_code)]

use clap::Parser as _;
use protoforge::internals::cli::{Cli, Command};

/// What one `protoforge call …` printed and returned.
pub struct Outcome {
    pub code: u8,
    pub out: String,
    pub err: String,
}

impl Outcome {
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.out
            .lines()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
            .collect()
    }
}

/// Runs `protoforge call ARGS` in process, as the binary would (usage errors exit 2 with
/// their message on stderr).
pub async fn call(args: &[&str]) -> Outcome {
    let cli = Cli::try_parse_from(["protoforge", "call"].iter().chain(args))
        .unwrap_or_else(|e| panic!("{args:?}: {e}"));
    let Command::Call(call_args) = &cli.command else {
        unreachable!("parsed as call")
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = match protoforge::internals::cli::call::execute(&cli, call_args, &mut out, &mut err)
        .await
    {
        Ok(code) => code,
        Err(e) => {
            err.extend_from_slice(format!("{e}\n").as_bytes());
            2
        }
    };
    Outcome {
        code,
        out: String::from_utf8(out).unwrap(),
        err: String::from_utf8(err).unwrap(),
    }
}
