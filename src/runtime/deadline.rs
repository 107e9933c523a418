//! Deadlines: the client's `grpc-timeout`, the method's own timeout, and streams that end when
//! the deadline passes.

use std::time::Duration;

use tokio::time::Instant;
use tonic::Status;

/// Parses a `grpc-timeout` header value: 1 to 8 digits and a unit (`H`, `M`, `S`, `m`, `u`, `n`),
/// as the gRPC over HTTP/2 protocol defines it. `None` for anything else.
pub fn parse_grpc_timeout(value: &str) -> Option<Duration> {
    let (digits, unit) = value.split_at(value.len().checked_sub(1)?);
    if digits.is_empty() || digits.len() > 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = digits.parse().ok()?;
    Some(match unit {
        "H" => Duration::from_secs(n * 3600),
        "M" => Duration::from_secs(n * 60),
        "S" => Duration::from_secs(n),
        "m" => Duration::from_millis(n),
        "u" => Duration::from_micros(n),
        "n" => Duration::from_nanos(n),
        _ => return None,
    })
}

/// Formats a duration as a `grpc-timeout` value (at most 8 digits, the finest unit that fits).
pub fn format_grpc_timeout(timeout: Duration) -> String {
    const MAX: u128 = 99_999_999;
    let nanos = timeout.as_nanos();
    for (unit, per) in [
        ("n", 1u128),
        ("u", 1_000),
        ("m", 1_000_000),
        ("S", 1_000_000_000),
        ("M", 60_000_000_000),
        ("H", 3_600_000_000_000),
    ] {
        let value = nanos.div_ceil(per);
        if value <= MAX {
            return format!("{value}{unit}");
        }
    }
    format!("{MAX}H")
}

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
