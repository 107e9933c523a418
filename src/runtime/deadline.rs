//! Deadlines: the client's `grpc-timeout`, the method's own timeout, and streams that end when
//! the deadline passes.

use std::time::Duration;

use tokio::time::Instant;
use tonic::Status;

pub use crate::http::timeout::{format_grpc_timeout, parse_grpc_timeout};

/// The earlier of `now + client` and `now + method`; `None` when neither is set or the sum does
/// not fit (a deadline years away is no deadline).
pub fn effective_deadline(
    now: Instant,
    client: Option<Duration>,
    method: Option<Duration>,
) -> Option<Instant> {
    let client = client.and_then(|d| now.checked_add(d));
    let method = method.and_then(|d| now.checked_add(d));
    match (client, method) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The status a call gets when its deadline passes.
pub fn deadline_status() -> Status {
    Status::deadline_exceeded("deadline exceeded")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grpc_timeout_values() {
        assert_eq!(parse_grpc_timeout("1S"), Some(Duration::from_secs(1)));
        assert_eq!(parse_grpc_timeout("250m"), Some(Duration::from_millis(250)));
        assert_eq!(
            parse_grpc_timeout("99999999H"),
            Some(Duration::from_secs(99_999_999 * 3600))
        );
        assert_eq!(parse_grpc_timeout("0n"), Some(Duration::ZERO));
        for bad in [
            "",
            "S",
            "1",
            "123456789S",
            "1s",
            "-1S",
            "1.5S",
            " 1S",
            "1SS",
            "１S",
        ] {
            assert_eq!(parse_grpc_timeout(bad), None, "{bad:?}");
        }
        for d in [
            Duration::from_millis(1500),
            Duration::from_secs(100_000),
            Duration::from_nanos(7),
        ] {
            let back = parse_grpc_timeout(&format_grpc_timeout(d)).unwrap();
            assert!(
                back >= d && back - d < d / 100 + Duration::from_nanos(1),
                "{d:?} {back:?}"
            );
        }
    }

    #[test]
    fn the_shorter_deadline_wins_and_years_do_not_overflow() {
        let now = Instant::now();
        let s = Duration::from_secs;
        assert_eq!(
            effective_deadline(now, Some(s(1)), Some(s(2))),
            Some(now + s(1))
        );
        assert_eq!(
            effective_deadline(now, Some(s(3)), Some(s(2))),
            Some(now + s(2))
        );
        assert_eq!(effective_deadline(now, None, Some(s(2))), Some(now + s(2)));
        assert_eq!(effective_deadline(now, None, None), None);
        assert_eq!(effective_deadline(now, Some(Duration::MAX), None), None);
    }
}
