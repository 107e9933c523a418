//! The `grpc-timeout` header's value syntax (gRPC over HTTP/2), shared by the runtime and the
//! fuzz targets.

use std::time::Duration;

/// Parses a `grpc-timeout` header value: 1 to 8 digits and a unit (`H`, `M`, `S`, `m`, `u`, `n`),
/// as the gRPC over HTTP/2 protocol defines it. `None` for anything else.
pub fn parse_grpc_timeout(value: &str) -> Option<Duration> {
    // ASCII only: splitting off a multi-byte last character would not be on a char boundary.
    if !value.is_ascii() {
        return None;
    }
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

#[cfg(test)]
mod tests {
    #[test]
    fn non_ascii_is_refused_not_a_panic() {
        // Found by the grpc_timeout fuzz target.
        assert_eq!(super::parse_grpc_timeout("1é"), None);
        assert_eq!(super::parse_grpc_timeout("é"), None);
    }
}
