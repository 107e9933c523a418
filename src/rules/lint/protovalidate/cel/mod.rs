//! CEL rules (`cel`, `cel_expression`): ids, and expressions that compile to a bool or a string.
//!
//! protovalidate compiles each expression with cel-go when a message is first validated; a
//! broken one fails validation at run time. buf checks them at lint time with cel-go's checker,
//! and so does this, with a parser and checker of its own (`parse`, `check`): no Rust crate
//! type-checks CEL.

mod check;
mod parse;

use prost_reflect::{DescriptorPool, DynamicMessage, Value};

pub(super) use check::{Ty, field_type, kind_type};

/// One CEL rule as written: `Rule { id, message, expression }`, or a bare `cel_expression`.
pub(super) struct CelRule {
    id: String,
    message: String,
    expression: String,
}

/// The rules of the repeated `Rule` field `name` of `rules`.
pub(super) fn rules_of(rules: &DynamicMessage, name: &str) -> Vec<CelRule> {
    let text = |m: &DynamicMessage, field: &str| {
        m.get_field_by_name(field)
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    };
    super::list(rules, name, |v| {
        v.as_message().map(|m| CelRule {
            id: text(m, "id"),
            message: text(m, "message"),
            expression: text(m, "expression"),
        })
    })
}

/// The bare expressions of the repeated string field `name` (`cel_expression`).
fn expressions_of(rules: &DynamicMessage, name: &str) -> Vec<CelRule> {
    super::list(rules, name, |v: &Value| {
        v.as_str().map(|s| CelRule {
            id: String::new(),
            message: String::new(),
            expression: s.to_owned(),
        })
    })
}

/// The non-empty CEL lists of a rules message: `cel` (rules) and `cel_expression` (bare
/// expressions), with their field names and whether they are bare.
pub(super) fn lists_of(rules: &DynamicMessage) -> Vec<(&'static str, bool, Vec<CelRule>)> {
    [("cel", false), ("cel_expression", true)]
        .into_iter()
        .map(|(name, bare)| {
            let list = if bare {
                expressions_of(rules, name)
            } else {
                rules_of(rules, name)
            };
            (name, bare, list)
        })
        .filter(|(_, _, list)| !list.is_empty())
        .collect()
}

/// What a set of CEL rules is checked against, and how findings are worded.
pub(super) struct Env<'a> {
    pub variables: Vec<(&'static str, Ty)>,
    pub pool: &'a DescriptorPool,
    /// `field "name"`, `message "Name"`, `extension field`.
    pub owner: String,
    /// `(buf.validate.field).cel`: the option holding the rules.
    pub option: String,
}

/// Checks `rules` (bare expressions when `bare`), reporting through `add(index, message)`.
pub(super) fn check_rules(
    env: &Env,
    rules: &[CelRule],
    bare: bool,
    add: &mut dyn FnMut(usize, String),
) {
    let expression_field = if bare {
        env.option.clone()
    } else {
        format!("{}.expression", env.option)
    };
    let mut by_id: Vec<(&str, Vec<usize>)> = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        if !rule.id.is_empty() {
            let valid = rule
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
            if !valid {
                add(
                    i,
                    format!(
                        "{} has an invalid {}.id {:?}: ids use only a-z, A-Z, 0-9, `.`, `_` and `-`",
                        env.owner, env.option, rule.id
                    ),
                );
            }
            match by_id.iter_mut().find(|(id, _)| *id == rule.id) {
                Some((_, indices)) => indices.push(i),
                None => by_id.push((&rule.id, vec![i])),
            }
        }
        if rule.expression.trim().is_empty() {
            add(i, format!("{} has an empty {expression_field}", env.owner));
            continue;
        }
        let (ty, errors) = match parse::parse(&rule.expression) {
            Ok(expr) => check::check(&expr, &env.variables, env.pool),
            Err(error) => (Ty::Error, vec![error]),
        };
        match ty {
            Ty::Bool | Ty::Dyn | Ty::Any => {}
            Ty::String if !rule.message.is_empty() => add(
                i,
                format!(
                    "{} has a {} whose expression gives a string, which is the message; its \
                     `message` is never shown, remove it",
                    env.owner, env.option
                ),
            ),
            Ty::String | Ty::Error => {}
            other => add(
                i,
                format!(
                    "{expression_field} of {} gives a {other}; only a bool or a string (the \
                     violation's message) is allowed",
                    env.owner
                ),
            ),
        }
        for error in errors {
            let error = error.trim_start_matches("Syntax error: ");
            add(
                i,
                format!(
                    "{expression_field} of {} does not compile: {error}",
                    env.owner
                ),
            );
        }
    }
    for (id, indices) in by_id.iter().filter(|(_, i)| i.len() > 1) {
        for &i in indices {
            add(
                i,
                format!(
                    "{}.id {id:?} is not unique within {}",
                    env.option, env.owner
                ),
            );
        }
    }
}

/// For fuzzing: parses and checks `text` with `this` of several types; must never panic.
pub(crate) fn fuzz(text: &str) {
    let pool = DescriptorPool::global();
    let Ok(expr) = parse::parse(text) else {
        return;
    };
    let message = pool
        .get_message_by_name("google.protobuf.FieldDescriptorProto")
        .expect("descriptor.proto is in the global pool");
    for this in [
        Ty::Int,
        Ty::String,
        Ty::Dyn,
        Ty::List(Box::new(Ty::Duration)),
        Ty::Map(Box::new(Ty::String), Box::new(Ty::Bytes)),
        Ty::Message(message),
    ] {
        let _ = check::check(&expr, &[("this", this), ("now", Ty::Timestamp)], &pool);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(expression: &str, this: Ty) -> (String, usize) {
        let pool = DescriptorPool::global();
        let env = Env {
            variables: vec![("this", this), ("now", Ty::Timestamp)],
            pool: &pool,
            owner: "field `f`".into(),
            option: "(buf.validate.field).cel".into(),
        };
        let rule = CelRule {
            id: "x".into(),
            message: String::new(),
            expression: expression.into(),
        };
        let mut found = Vec::new();
        check_rules(&env, &[rule], false, &mut |_, m| found.push(m));
        (found.join("\n"), found.len())
    }

    #[test]
    fn what_cel_go_accepts() {
        for (expression, this) in [
            ("this > 5 && this < 10", Ty::Int),
            ("size(this) > 5 && this.startsWith('a')", Ty::String),
            (
                "this.all(x, x >= 2) && size(this) > 0",
                Ty::List(Box::new(Ty::Int)),
            ),
            ("this <= duration('1h')", Ty::Duration),
            ("this < now", Ty::Timestamp),
            ("this == this ? '' : 'bad'", Ty::Dyn),
            ("this.isIpPrefix(4, true)", Ty::String),
            ("'%s'.format([this]) == ''", Ty::Int),
            (
                "this.map(x, x * 2u).exists(y, y > 1u)",
                Ty::List(Box::new(Ty::Uint)),
            ),
            ("this > 1.5 || this < 2", Ty::Double),
        ] {
            assert_eq!(errors(expression, this), (String::new(), 0), "{expression}");
        }
    }

    #[test]
    fn what_cel_go_rejects_and_how_often() {
        for (expression, this, count) in [
            ("this > '1'", Ty::Double, 1),
            ("this * 2", Ty::String, 1),
            ("this + 1", Ty::Int, 1),
            ("xyz", Ty::Int, 1),
            ("foo + bar", Ty::Int, 2),
            ("this +", Ty::Int, 1),
            ("this <= 1", Ty::Duration, 1),
            ("this > 2", Ty::List(Box::new(Ty::Int)), 1),
            ("1 + 1", Ty::Int, 1),
            ("this.nope()", Ty::String, 1),
            ("size(this, 1)", Ty::String, 1),
        ] {
            let (text, found) = errors(expression, this);
            assert_eq!(found, count, "{expression}: {text}");
        }
    }

    #[test]
    fn ids_empty_expressions_and_redundant_messages() {
        let pool = DescriptorPool::global();
        let env = Env {
            variables: vec![("this", Ty::Int)],
            pool: &pool,
            owner: "message `M`".into(),
            option: "(buf.validate.message).cel".into(),
        };
        let rule = |id: &str, message: &str, expression: &str| CelRule {
            id: id.into(),
            message: message.into(),
            expression: expression.into(),
        };
        let rules = [
            rule("?", "m", "true"),
            rule("dup", "m", "true"),
            rule("dup", "m", "true"),
            rule("empty", "m", "  "),
            rule("s", "m", "'text'"),
            rule("ok", "", "'text'"),
        ];
        let mut at = Vec::new();
        check_rules(&env, &rules, false, &mut |i, _| at.push(i));
        at.sort_unstable();
        assert_eq!(at, [0, 1, 2, 3, 4]);
    }
}
