//! Per-method policy (public, scopes, timeout, retry) as declared in the `protoforge.v1.method`
//! and `protoforge.v1.service` proto options, and the syntax of its values, which protoforge.toml's
//! `[codegen]` overrides share.

use std::time::Duration;

use prost_reflect::{DynamicMessage, ReflectMessage, Value};

/// The proto options that carry policy (see `protoforge/v1/options.proto`).
pub const METHOD_OPTION: &str = "protoforge.v1.method";
pub const SERVICE_OPTION: &str = "protoforge.v1.service";

/// Parses a timeout such as `2s`, `150ms`, `1.5s`, `1m30s` or `1h` (units `ns`, `us`, `ms`, `s`,
/// `m`, `h`). Zero, negative and unit-less values are errors.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let bad = |why: &str| {
        format!("invalid duration `{text}`: {why}; write it like `2s`, `150ms` or `1m30s`")
    };
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(bad("it is empty"));
    }
    let mut total = Duration::ZERO;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(|| bad("the unit is missing"))?;
        if number_len == 0 {
            return Err(bad("expected a number"));
        }
        let number: f64 = rest[..number_len]
            .parse()
            .map_err(|_| bad("expected a number"))?;
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let seconds = match &rest[..unit_len] {
            "ns" => 1e-9,
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            "" => return Err(bad("the unit is missing")),
            unit => return Err(bad(&format!("unknown unit `{unit}`"))),
        };
        rest = &rest[unit_len..];
        let part = Duration::try_from_secs_f64(number * seconds).map_err(|_| bad("too long"))?;
        total = total.checked_add(part).ok_or_else(|| bad("too long"))?;
    }
    if total.is_zero() {
        return Err(bad("a timeout must be longer than zero"));
    }
    if total > Duration::from_secs(100 * 365 * 24 * 3600) {
        return Err(bad("longer than a century"));
    }
    Ok(total)
}

/// Checks a scope's syntax: letters, digits and `. _ - : /`, starting with a letter or digit.
pub fn check_scope(scope: &str) -> Result<(), String> {
    let ok = scope
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && scope.len() <= 128
        && scope
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-:/".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "invalid scope `{scope}`: use letters, digits and `. _ - : /` (such as `catalog.write`)"
        ))
    }
}

/// A policy as written (a proto option, or a `[codegen]` table of the config), before defaults
/// apply.
#[derive(Debug, Clone, Default)]
pub struct Declared {
    pub public: Option<bool>,
    pub scopes: Option<Vec<String>>,
    pub timeout: Option<Duration>,
    /// Safe to repeat (generated clients retry it).
    pub retry: Option<bool>,
}

impl Declared {
    /// `over`'s settings replace these.
    pub fn overlay(mut self, over: Option<&Declared>) -> Declared {
        if let Some(over) = over {
            if over.public.is_some() {
                self.public = over.public;
            }
            if over.scopes.is_some() {
                self.scopes = over.scopes.clone();
            }
            if over.timeout.is_some() {
                self.timeout = over.timeout;
            }
            if over.retry.is_some() {
                self.retry = over.retry;
            }
        }
        self
    }
}

/// Reads the policy option `name` on `options` (all unset when absent); `Err` with a message when
/// a value does not parse.
pub fn read_declared(options: &DynamicMessage, name: &str) -> Result<Declared, String> {
    let pool = options.descriptor().parent_pool().clone();
    let Some(extension) = pool.get_extension_by_name(name) else {
        return Ok(Declared::default());
    };
    if !options.has_extension(&extension) {
        return Ok(Declared::default());
    }
    let value = options.get_extension(&extension);
    let Value::Message(policy) = value.as_ref() else {
        return Ok(Declared::default());
    };
    let mut out = Declared::default();
    if policy.has_field_by_name("public") {
        out.public = policy.get_field_by_name("public").and_then(|v| v.as_bool());
    }
    if policy.has_field_by_name("auth") {
        let mut scopes = Vec::new();
        if let Some(auth) = policy.get_field_by_name("auth")
            && let Some(auth) = auth.as_message()
            && let Some(list) = auth.get_field_by_name("scopes")
            && let Some(list) = list.as_list()
        {
            for scope in list.iter().filter_map(Value::as_str) {
                check_scope(scope)?;
                scopes.push(scope.to_owned());
            }
        }
        out.scopes = Some(scopes);
    }
    if policy.has_field_by_name("timeout")
        && let Some(timeout) = policy.get_field_by_name("timeout")
        && let Some(timeout) = timeout.as_str()
    {
        out.timeout = Some(parse_duration(timeout)?);
    }
    if policy.has_field_by_name("retry") {
        out.retry = policy.get_field_by_name("retry").and_then(|v| v.as_bool());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        let ms = Duration::from_millis;
        assert_eq!(parse_duration("2s"), Ok(ms(2000)));
        assert_eq!(parse_duration("150ms"), Ok(ms(150)));
        assert_eq!(parse_duration("1.5s"), Ok(ms(1500)));
        assert_eq!(parse_duration("1m30s"), Ok(ms(90_000)));
        assert_eq!(parse_duration("1h"), Ok(ms(3_600_000)));
        for bad in [
            "",
            "2",
            "s",
            "0s",
            "-1s",
            "2 s",
            "2sec",
            "1..5s",
            "9999999999h",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
        assert!(
            parse_duration("2x")
                .unwrap_err()
                .contains("unknown unit `x`")
        );
    }

    #[test]
    fn scopes() {
        assert!(check_scope("catalog.write").is_ok());
        assert!(check_scope("https://api.example.com/auth:read").is_ok());
        for bad in ["", ".x", "has space", "a,b", "ü"] {
            assert!(check_scope(bad).is_err(), "{bad:?}");
        }
    }
}
