//! Client retries: exponential backoff with jitter, for calls that are safe to repeat
//! ([`MethodSpec::retryable`]), when the server is UNAVAILABLE (or RESOURCE_EXHAUSTED and says
//! when to come back), within the call's deadline and a retry budget.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;
use tonic::{Code, Request, Response, Status};
use tower::retry::budget::{Budget, TpsBudget};

use super::call::{MethodKind, MethodSpec, client_result};
use super::deadline::parse_grpc_timeout;

/// How a generated client retries.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1: never retry).
    pub max_attempts: u32,
    /// The backoff before the first retry; each next one is `multiplier` times longer, up to
    /// `max_backoff`. The wait is a random duration up to the backoff ("full jitter").
    pub initial_backoff: Duration,
    /// The longest backoff.
    pub max_backoff: Duration,
    /// How much longer each backoff is than the one before.
    pub multiplier: f64,
    /// The share of calls that may be retried, over the last ten seconds (0.2: one retry for
    /// every five calls), besides `min_retries_per_second`. Retries stop when it is spent, so a
    /// server in trouble is not sent a multiple of its load.
    pub budget_percent: f32,
    /// Retries always allowed, per second, whatever the budget says.
    pub min_retries_per_second: u32,
}

impl Default for RetryPolicy {
    /// 3 attempts, backoff 100 ms doubling up to 2 s, a budget of 20% of calls plus 10 retries
    /// a second.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(2),
            multiplier: 2.0,
            budget_percent: 0.2,
            min_retries_per_second: 10,
        }
    }
}

impl RetryPolicy {
    /// No retries.
    pub fn none() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The random wait before retry number `retry` (1 for the first).
    fn backoff(&self, retry: u32) -> Duration {
        let exponent = i32::try_from(retry.saturating_sub(1)).unwrap_or(i32::MAX);
        let ceiling = (self.initial_backoff.as_secs_f64() * self.multiplier.powi(exponent))
            .min(self.max_backoff.as_secs_f64());
        Duration::from_secs_f64(ceiling * fastrand::f64())
    }
}

/// A client's retry policy and its budget, shared by its clones.
#[derive(Debug, Clone)]
pub struct Retry {
    policy: RetryPolicy,
    budget: Arc<TpsBudget>,
}

impl Default for Retry {
    fn default() -> Self {
        Retry::new(RetryPolicy::default())
    }
}

impl Retry {
    /// `policy` with a budget of its own.
    pub fn new(policy: RetryPolicy) -> Retry {
        let percent = policy.budget_percent.clamp(0.0, 1000.0);
        Retry {
            policy,
            budget: Arc::new(TpsBudget::new(
                Duration::from_secs(10),
                policy.min_retries_per_second,
                percent,
            )),
        }
    }

    /// The policy.
    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    /// How long to wait before retry number `retry` after `status`, or `None` when it must
    /// not be retried.
    fn wait(&self, retry: u32, status: &Status) -> Option<Duration> {
        if retry >= self.policy.max_attempts {
            return None;
        }
        // The server's word on when: grpc-retry-pushback-ms (gRPC's retry design; negative or
        // not a number means "do not retry"), else a google.rpc.RetryInfo detail.
        let pushback = match status.metadata().get("grpc-retry-pushback-ms") {
            Some(value) => Some(Duration::from_millis(
                value.to_str().ok().and_then(|v| v.parse::<u64>().ok())?,
            )),
            None => {
                use tonic_types::StatusExt as _;
                status
                    .get_details_retry_info()
                    .and_then(|info| info.retry_delay)
            }
        };
        let wait = match (status.code(), pushback) {
            (Code::Unavailable, Some(delay)) => delay,
            (Code::Unavailable, None) => self.policy.backoff(retry),
            // Overload is retried only when the server says when.
            (Code::ResourceExhausted, Some(delay)) => delay,
            _ => return None,
        };
        self.budget.withdraw().then_some(wait)
    }
}

/// The connection settings generated clients' `connect` and `balance` start from: connect
/// within 5 s; TCP_NODELAY; TCP keepalive every 60 s; an HTTP/2 PING every 30 s on a
/// connection with calls in flight, which is closed (and the calls failed UNAVAILABLE, so
/// retried) when the answer takes over 10 s. An idle connection sends no pings, so proxies
/// and servers that limit them are not provoked. For other settings build a channel and
/// wrap it with `Client::new`.
pub fn client_endpoint(endpoint: tonic::transport::Endpoint) -> tonic::transport::Endpoint {
    endpoint
        .connect_timeout(Duration::from_secs(5))
        .tcp_nodelay(true)
        .tcp_keepalive(Some(Duration::from_secs(60)))
        .http2_keep_alive_interval(Duration::from_secs(30))
        .keep_alive_timeout(Duration::from_secs(10))
        .keep_alive_while_idle(false)
}

/// The deadline `request` carries (its `grpc-timeout`), from now.
fn deadline_of<M>(request: &Request<M>) -> Option<Instant> {
    let timeout = request
        .metadata()
        .get("grpc-timeout")
        .and_then(|v| v.to_str().ok())
        .and_then(parse_grpc_timeout)?;
    Some(Instant::now() + timeout)
}

/// Makes a call with `attempt`, and again as `retry` allows when `spec` is safe to repeat:
/// for a unary or a server-streaming call (whose stream is the caller's from its first
/// message on, so a stream is never repeated once a message was received). Every attempt has
/// what is left of the request's deadline; no retry starts that would end past it.
pub async fn retrying<M, R, F, Fut>(
    retry: &Retry,
    spec: &'static MethodSpec,
    request: Request<M>,
    mut attempt: F,
) -> Result<Response<R>, Status>
where
    M: Clone,
    F: FnMut(Request<M>) -> Fut,
    Fut: Future<Output = Result<Response<R>, Status>>,
{
    let repeatable = spec.retryable
        && retry.policy.max_attempts > 1
        && matches!(spec.kind, MethodKind::Unary | MethodKind::ServerStreaming);
    if !repeatable {
        return client_result(attempt(request).await);
    }
    retry.budget.deposit();
    let deadline = deadline_of(&request);
    let (metadata, extensions, message) = request.into_parts();
    let mut retries = 0;
    loop {
        let mut request =
            Request::from_parts(metadata.clone(), extensions.clone(), message.clone());
        // A retry has what is left of the deadline; the first attempt goes as it came.
        if retries > 0
            && let Some(deadline) = deadline
        {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(Status::deadline_exceeded("deadline exceeded"));
            }
            request.set_timeout(left);
        }
        let status = match client_result(attempt(request).await) {
            Ok(response) => return Ok(response),
            Err(status) => status,
        };
        retries += 1;
        let Some(wait) = retry.wait(retries, &status) else {
            return Err(status);
        };
        if deadline.is_some_and(|d| Instant::now() + wait >= d) {
            return Err(status);
        }
        tracing::debug!(
            method = spec.path,
            code = ?status.code(),
            retry = retries,
            wait_ms = wait.as_millis() as u64,
            "retrying"
        );
        tokio::time::sleep(wait).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_to_its_ceiling_with_full_jitter() {
        let policy = RetryPolicy {
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(300),
            ..RetryPolicy::default()
        };
        for _ in 0..200 {
            assert!(policy.backoff(1) <= Duration::from_millis(100));
            assert!(policy.backoff(2) <= Duration::from_millis(200));
            assert!(policy.backoff(9) <= Duration::from_millis(300));
        }
        // Jitter spreads the waits.
        let waits: std::collections::HashSet<_> = (0..50).map(|_| policy.backoff(3)).collect();
        assert!(waits.len() > 40);
    }

    #[test]
    fn only_unavailable_or_told_overload_is_retried_within_attempts() {
        let retry = Retry::new(RetryPolicy {
            max_attempts: 3,
            ..RetryPolicy::default()
        });
        let pushback = |code: Code, ms: &str| {
            let mut status = Status::new(code, "busy");
            status
                .metadata_mut()
                .insert("grpc-retry-pushback-ms", ms.parse().unwrap());
            status
        };
        assert!(retry.wait(1, &Status::unavailable("down")).is_some());
        assert!(retry.wait(2, &Status::unavailable("down")).is_some());
        assert_eq!(retry.wait(3, &Status::unavailable("down")), None);
        assert_eq!(retry.wait(1, &Status::resource_exhausted("busy")), None);
        assert_eq!(
            retry.wait(1, &pushback(Code::ResourceExhausted, "250")),
            Some(Duration::from_millis(250))
        );
        assert_eq!(retry.wait(1, &pushback(Code::Unavailable, "-1")), None);
        // google.rpc.RetryInfo says when, too.
        let told = <Status as tonic_types::StatusExt>::with_error_details(
            Code::ResourceExhausted,
            "busy",
            tonic_types::ErrorDetails::with_retry_info(Some(Duration::from_millis(75))),
        );
        assert_eq!(retry.wait(1, &told), Some(Duration::from_millis(75)));
        for code in [
            Code::Internal,
            Code::NotFound,
            Code::DeadlineExceeded,
            Code::Aborted,
        ] {
            assert_eq!(retry.wait(1, &Status::new(code, "no")), None, "{code:?}");
        }
        assert_eq!(RetryPolicy::none().max_attempts, 1);
    }
}
