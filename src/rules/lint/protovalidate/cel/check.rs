//! A type checker for CEL expressions in protovalidate's environment: the standard library, the
//! string extension functions and protovalidate's own (`isEmail`, `isIp`, `unique`, ...), with
//! `this` (and `rules`, `rule` in predefined rules, `now`) typed from the descriptors.
//!
//! It reports what cel-go's checker reports: one error per undeclared reference, unknown field
//! or call that no overload accepts; an error's type then spreads without further errors.

use std::collections::HashMap;

use prost_reflect::{DescriptorPool, FieldDescriptor, Kind, MessageDescriptor};

use super::parse::{Expr, Lit};

/// A CEL type.
#[derive(Debug, Clone)]
pub enum Ty {
    Int,
    Uint,
    Double,
    Bool,
    String,
    Bytes,
    Null,
    Duration,
    Timestamp,
    /// `google.protobuf.Any`.
    Any,
    List(Box<Ty>),
    Map(Box<Ty>, Box<Ty>),
    Message(MessageDescriptor),
    Type,
    Dyn,
    /// The type of an expression that already has an error.
    Error,
}

impl std::fmt::Display for Ty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Ty::Int => write!(f, "int"),
            Ty::Uint => write!(f, "uint"),
            Ty::Double => write!(f, "double"),
            Ty::Bool => write!(f, "bool"),
            Ty::String => write!(f, "string"),
            Ty::Bytes => write!(f, "bytes"),
            Ty::Null => write!(f, "null_type"),
            Ty::Duration => write!(f, "google.protobuf.Duration"),
            Ty::Timestamp => write!(f, "google.protobuf.Timestamp"),
            Ty::Any => write!(f, "any"),
            Ty::List(e) => write!(f, "list({e})"),
            Ty::Map(k, v) => write!(f, "map({k}, {v})"),
            Ty::Message(m) => write!(f, "{}", m.full_name()),
            Ty::Type => write!(f, "type"),
            Ty::Dyn => write!(f, "dyn"),
            Ty::Error => write!(f, "*error*"),
        }
    }
}

impl Ty {
    fn is_numeric(&self) -> bool {
        matches!(self, Ty::Int | Ty::Uint | Ty::Double)
    }

    fn loose(&self) -> bool {
        matches!(self, Ty::Dyn | Ty::Error | Ty::Any)
    }
}

/// Whether values of `a` and `b` can meet (in `==`, a list, a ternary's branches).
pub fn compatible(a: &Ty, b: &Ty) -> bool {
    match (a, b) {
        (x, y) if x.loose() || y.loose() => true,
        (Ty::List(x), Ty::List(y)) => compatible(x, y),
        (Ty::Map(k, v), Ty::Map(j, w)) => compatible(k, j) && compatible(v, w),
        (Ty::Message(x), Ty::Message(y)) => x.full_name() == y.full_name(),
        (Ty::Null, Ty::Message(_) | Ty::Duration | Ty::Timestamp)
        | (Ty::Message(_) | Ty::Duration | Ty::Timestamp, Ty::Null) => true,
        (x, y) => std::mem::discriminant(x) == std::mem::discriminant(y),
    }
}

/// The more specific of two compatible types.
fn join(a: &Ty, b: &Ty) -> Ty {
    match (a, b) {
        (Ty::Error, _) | (_, Ty::Error) => Ty::Error,
        (Ty::Dyn | Ty::Null, other) | (other, Ty::Dyn | Ty::Null) => other.clone(),
        _ if compatible(a, b) => a.clone(),
        _ => Ty::Dyn,
    }
}

/// The CEL type of a field's values: `list(...)` for a repeated field unless `for_items`,
/// `map(...)` for a map; well-known and wrapper messages as CEL sees them.
pub fn field_type(field: &FieldDescriptor, for_items: bool) -> Ty {
    if field.is_map()
        && let Kind::Message(entry) = field.kind()
    {
        return Ty::Map(
            Box::new(kind_type(&entry.map_entry_key_field().kind())),
            Box::new(kind_type(&entry.map_entry_value_field().kind())),
        );
    }
    let element = kind_type(&field.kind());
    if field.is_list() && !for_items {
        Ty::List(Box::new(element))
    } else {
        element
    }
}

/// The CEL type of one value of `kind`.
pub fn kind_type(kind: &Kind) -> Ty {
    match kind {
        Kind::Double | Kind::Float => Ty::Double,
        Kind::Int32
        | Kind::Int64
        | Kind::Sint32
        | Kind::Sint64
        | Kind::Sfixed32
        | Kind::Sfixed64 => Ty::Int,
        Kind::Uint32 | Kind::Uint64 | Kind::Fixed32 | Kind::Fixed64 => Ty::Uint,
        Kind::Bool => Ty::Bool,
        Kind::String => Ty::String,
        Kind::Bytes => Ty::Bytes,
        Kind::Enum(e) if e.full_name() == "google.protobuf.NullValue" => Ty::Null,
        Kind::Enum(_) => Ty::Int,
        Kind::Message(m) => message_type(m),
    }
}

fn message_type(m: &MessageDescriptor) -> Ty {
    match m.full_name() {
        "google.protobuf.Duration" => Ty::Duration,
        "google.protobuf.Timestamp" => Ty::Timestamp,
        "google.protobuf.Any" => Ty::Any,
        "google.protobuf.Value" => Ty::Dyn,
        "google.protobuf.ListValue" => Ty::List(Box::new(Ty::Dyn)),
        "google.protobuf.Struct" => Ty::Map(Box::new(Ty::String), Box::new(Ty::Dyn)),
        "google.protobuf.DoubleValue" | "google.protobuf.FloatValue" => Ty::Double,
        "google.protobuf.Int64Value" | "google.protobuf.Int32Value" => Ty::Int,
        "google.protobuf.UInt64Value" | "google.protobuf.UInt32Value" => Ty::Uint,
        "google.protobuf.BoolValue" => Ty::Bool,
        "google.protobuf.StringValue" => Ty::String,
        "google.protobuf.BytesValue" => Ty::Bytes,
        _ => Ty::Message(m.clone()),
    }
}

/// Checks `expr` with `variables` declared; returns its type and the errors found.
pub fn check(expr: &Expr, variables: &[(&str, Ty)], pool: &DescriptorPool) -> (Ty, Vec<String>) {
    let mut checker = Checker {
        scopes: vec![
            variables
                .iter()
                .map(|(n, t)| ((*n).to_owned(), t.clone()))
                .collect(),
        ],
        pool,
        errors: Vec::new(),
    };
    let ty = checker.expr(expr);
    (ty, checker.errors)
}

struct Checker<'p> {
    scopes: Vec<HashMap<String, Ty>>,
    pool: &'p DescriptorPool,
    errors: Vec<String>,
}

/// Type names usable as values (`type(x) == int`).
const TYPE_NAMES: &[&str] = &[
    "int",
    "uint",
    "double",
    "bool",
    "string",
    "bytes",
    "list",
    "map",
    "null_type",
    "type",
    "dyn",
];

impl Checker<'_> {
    fn error(&mut self, message: String) -> Ty {
        self.errors.push(message);
        Ty::Error
    }

    fn lookup(&self, name: &str) -> Option<Ty> {
        self.scopes.iter().rev().find_map(|s| s.get(name).cloned())
    }

    fn expr(&mut self, expr: &Expr) -> Ty {
        match expr {
            Expr::Lit(lit) => match lit {
                Lit::Int => Ty::Int,
                Lit::Uint => Ty::Uint,
                Lit::Double => Ty::Double,
                Lit::String(_) => Ty::String,
                Lit::Bytes => Ty::Bytes,
                Lit::Bool => Ty::Bool,
                Lit::Null => Ty::Null,
            },
            Expr::Ident(name) => {
                let bare = name.trim_start_matches('.');
                if let Some(ty) = self.lookup(bare) {
                    ty
                } else if TYPE_NAMES.contains(&bare)
                    || self.pool.get_message_by_name(bare).is_some()
                {
                    Ty::Type
                } else {
                    self.error(format!(
                        "undeclared reference to '{bare}' (in container '')"
                    ))
                }
            }
            Expr::Select(operand, field) => {
                let ty = self.expr(operand);
                self.select(&ty, field)
            }
            Expr::List(items) => {
                let mut element = Ty::Dyn;
                let mut first = true;
                for item in items {
                    let ty = self.expr(item);
                    element = if first {
                        ty
                    } else if compatible(&element, &ty) {
                        join(&element, &ty)
                    } else {
                        Ty::Dyn
                    };
                    first = false;
                }
                Ty::List(Box::new(element))
            }
            Expr::Map(entries) => {
                let (mut key, mut value) = (None::<Ty>, None::<Ty>);
                for (k, v) in entries {
                    let (kt, vt) = (self.expr(k), self.expr(v));
                    key = Some(match key {
                        Some(old) if compatible(&old, &kt) => join(&old, &kt),
                        Some(_) => Ty::Dyn,
                        None => kt,
                    });
                    value = Some(match value {
                        Some(old) if compatible(&old, &vt) => join(&old, &vt),
                        Some(_) => Ty::Dyn,
                        None => vt,
                    });
                }
                Ty::Map(
                    Box::new(key.unwrap_or(Ty::Dyn)),
                    Box::new(value.unwrap_or(Ty::Dyn)),
                )
            }
            Expr::Struct(name, fields) => {
                let bare = name.trim_start_matches('.');
                let Some(message) = self.pool.get_message_by_name(bare) else {
                    for (_, value) in fields {
                        self.expr(value);
                    }
                    return self.error(format!(
                        "undeclared reference to '{bare}' (in container '')"
                    ));
                };
                for (field, value) in fields {
                    let value_ty = self.expr(value);
                    match message.get_field_by_name(field) {
                        None => {
                            self.error(format!("undefined field '{field}'"));
                        }
                        Some(f) => {
                            let want = field_type(&f, false);
                            if !compatible(&want, &value_ty) {
                                self.error(format!(
                                    "expected type of field '{field}' is '{want}' but provided type is '{value_ty}'"
                                ));
                            }
                        }
                    }
                }
                message_type(&message)
            }
            Expr::Call(target, name, args) => self.call(target.as_deref(), name, args),
        }
    }

    fn select(&mut self, ty: &Ty, field: &str) -> Ty {
        match ty {
            Ty::Error => Ty::Error,
            Ty::Dyn | Ty::Any => Ty::Dyn,
            Ty::Map(key, value) if matches!(**key, Ty::String | Ty::Dyn) => (**value).clone(),
            Ty::Message(m) => match m.get_field_by_name(field) {
                Some(f) => field_type(&f, false),
                None => self.error(format!("undefined field '{field}'")),
            },
            other => self.error(format!("type '{other}' does not support field selection")),
        }
    }

    /// `all`, `exists`, `exists_one`, `map` and `filter` over a list or map.
    fn comprehension(&mut self, range: &Expr, name: &str, args: &[Expr]) -> Option<Ty> {
        let Some(Expr::Ident(var)) = args.first() else {
            return None;
        };
        let arity_ok = match name {
            "all" | "exists" | "exists_one" | "filter" => args.len() == 2,
            "map" => args.len() == 2 || args.len() == 3,
            _ => false,
        };
        if !arity_ok {
            return None;
        }
        let range_ty = self.expr(range);
        let element = match &range_ty {
            Ty::List(e) => (**e).clone(),
            Ty::Map(k, _) => (**k).clone(),
            Ty::Dyn | Ty::Any => Ty::Dyn,
            Ty::Error => Ty::Error,
            other => {
                let other = other.clone();
                for arg in &args[1..] {
                    self.expr(arg);
                }
                return Some(self.error(format!(
                    "expression of type '{other}' cannot be range of a comprehension (must be list, map, or dynamic)"
                )));
            }
        };
        self.scopes
            .push(HashMap::from([(var.clone(), element.clone())]));
        let types: Vec<Ty> = args[1..].iter().map(|a| self.expr(a)).collect();
        self.scopes.pop();
        let predicate_ok = |t: &Ty| matches!(t, Ty::Bool | Ty::Dyn | Ty::Error);
        Some(match name {
            "map" => {
                if types.len() == 2 && !predicate_ok(&types[0]) {
                    return Some(self.no_overload("_&&_", &[Ty::Bool, types[0].clone()]));
                }
                Ty::List(Box::new(types.last().cloned().unwrap_or(Ty::Dyn)))
            }
            _ if !predicate_ok(&types[0]) => {
                self.no_overload("_&&_", &[Ty::Bool, types[0].clone()])
            }
            "filter" => match range_ty {
                Ty::List(_) => range_ty,
                _ => Ty::List(Box::new(element)),
            },
            _ => Ty::Bool,
        })
    }

    fn no_overload(&mut self, name: &str, args: &[Ty]) -> Ty {
        if args.iter().any(|a| matches!(a, Ty::Error)) {
            return Ty::Error;
        }
        let shown: Vec<String> = args.iter().map(ToString::to_string).collect();
        self.error(format!(
            "found no matching overload for '{name}' applied to '({})'",
            shown.join(", ")
        ))
    }

    fn call(&mut self, target: Option<&Expr>, name: &str, args: &[Expr]) -> Ty {
        if let Some(range) = target
            && let Some(ty) = self.comprehension(range, name, args)
        {
            return ty;
        }
        if name == "has" && target.is_none() && args.len() == 1 {
            return match &args[0] {
                Expr::Select(operand, field) => {
                    let ty = self.expr(operand);
                    match self.select(&ty, field) {
                        Ty::Error => Ty::Error,
                        _ => Ty::Bool,
                    }
                }
                other => {
                    self.expr(other);
                    self.error("invalid argument to has() macro".to_owned())
                }
            };
        }
        let receiver = target.map(|t| self.expr(t));
        let arg_types: Vec<Ty> = args.iter().map(|a| self.expr(a)).collect();
        let mut all: Vec<Ty> = receiver.iter().cloned().collect();
        all.extend(arg_types.iter().cloned());
        if all.iter().any(|t| matches!(t, Ty::Error)) {
            // Still an unknown function is an error of its own.
            if !FUNCTIONS.contains(&name) {
                return self.error(format!(
                    "undeclared reference to '{name}' (in container '')"
                ));
            }
            return Ty::Error;
        }
        match signature(name, receiver.is_some(), &all) {
            Some(Some(ty)) => ty,
            Some(None) => self.no_overload(name, &all),
            None => self.error(format!(
                "undeclared reference to '{name}' (in container '')"
            )),
        }
    }
}

/// The result of calling `name` (on a receiver, the first of `args`, when `method`):
/// `None` when no such function exists, `Some(None)` when no overload takes these arguments.
fn signature(name: &str, method: bool, args: &[Ty]) -> Option<Option<Ty>> {
    use Ty::*;
    let dyn_or = |t: &Ty, ok: &dyn Fn(&Ty) -> bool| t.loose() || ok(t);
    let same_numeric = |a: &Ty, b: &Ty| {
        (a.is_numeric() || a.loose())
            && (b.is_numeric() || b.loose())
            && (a.loose() || b.loose() || std::mem::discriminant(a) == std::mem::discriminant(b))
    };
    let pick = |a: &Ty, b: &Ty| if a.loose() { b.clone() } else { a.clone() };
    let result = match (name, method, args) {
        // Operators.
        ("!_", false, [a]) => dyn_or(a, &|t| matches!(t, Bool)).then_some(Bool),
        ("-_", false, [a]) => dyn_or(a, &|t| matches!(t, Int | Double)).then(|| a.clone()),
        ("_&&_" | "_||_", false, [a, b]) => {
            (dyn_or(a, &|t| matches!(t, Bool)) && dyn_or(b, &|t| matches!(t, Bool))).then_some(Bool)
        }
        ("_?_:_", false, [c, a, b]) => {
            (dyn_or(c, &|t| matches!(t, Bool)) && compatible(a, b)).then(|| join(a, b))
        }
        ("_==_" | "_!=_", false, [a, b]) => compatible(a, b).then_some(Bool),
        ("_<_" | "_<=_" | "_>_" | "_>=_", false, [a, b]) => {
            let ordered = |t: &Ty| {
                matches!(
                    t,
                    Int | Uint | Double | String | Bytes | Bool | Duration | Timestamp
                )
            };
            let ok = (a.loose() && (b.loose() || ordered(b)))
                || (b.loose() && ordered(a))
                || (a.is_numeric() && b.is_numeric())
                || (ordered(a) && std::mem::discriminant(a) == std::mem::discriminant(b));
            ok.then_some(Bool)
        }
        ("_+_", false, [a, b]) => match (a, b) {
            (Timestamp, Duration) | (Duration, Timestamp) => Some(Timestamp),
            (List(x), List(y)) if compatible(x, y) => Some(List(Box::new(join(x, y)))),
            _ if same_numeric(a, b) => Some(pick(a, b)),
            _ if a.loose() && b.loose() => Some(Dyn),
            _ if (a.loose() || b.loose())
                && matches!(pick(a, b), String | Bytes | Duration | Timestamp | List(_)) =>
            {
                Some(pick(a, b))
            }
            (String, String) | (Bytes, Bytes) | (Duration, Duration) => Some(a.clone()),
            _ => None,
        },
        ("_-_", false, [a, b]) => match (a, b) {
            (Timestamp, Timestamp) => Some(Duration),
            (Timestamp, Duration) => Some(Timestamp),
            (Duration, Duration) => Some(Duration),
            _ if same_numeric(a, b) => Some(pick(a, b)),
            _ if a.loose() && matches!(b, Duration | Timestamp) => Some(Dyn),
            _ if b.loose() && matches!(a, Duration | Timestamp) => Some(a.clone()),
            _ => None,
        },
        ("_*_" | "_/_", false, [a, b]) => same_numeric(a, b).then(|| pick(a, b)),
        ("_%_", false, [a, b]) => {
            (same_numeric(a, b) && !matches!(pick(a, b), Double)).then(|| pick(a, b))
        }
        ("@in", false, [a, container]) => match container {
            List(e) | Map(e, _) => compatible(a, e).then_some(Bool),
            t if t.loose() => Some(Bool),
            _ => None,
        },
        ("_[_]", false, [container, index]) => match container {
            List(e) => dyn_or(index, &|t| matches!(t, Int | Uint)).then(|| (**e).clone()),
            Map(k, v) => compatible(k, index).then(|| (**v).clone()),
            t if t.loose() => Some(Dyn),
            _ => None,
        },
        // The standard library.
        ("size", _, [a]) => {
            dyn_or(a, &|t| matches!(t, String | Bytes | List(_) | Map(..))).then_some(Int)
        }
        ("contains" | "startsWith" | "endsWith" | "matches", true, [s, t])
        | ("matches", false, [s, t]) => (dyn_or(s, &|t| matches!(t, String))
            && dyn_or(t, &|t| matches!(t, String)))
        .then_some(Bool),
        ("int", false, [a]) => dyn_or(a, &|t| {
            matches!(t, Int | Uint | Double | String | Timestamp)
        })
        .then_some(Int),
        ("uint", false, [a]) => {
            dyn_or(a, &|t| matches!(t, Int | Uint | Double | String)).then_some(Uint)
        }
        ("double", false, [a]) => {
            dyn_or(a, &|t| matches!(t, Int | Uint | Double | String)).then_some(Double)
        }
        ("string", false, [a]) => dyn_or(a, &|t| {
            matches!(
                t,
                Int | Uint | Double | String | Bytes | Bool | Duration | Timestamp
            )
        })
        .then_some(String),
        ("bytes", false, [a]) => dyn_or(a, &|t| matches!(t, String | Bytes)).then_some(Bytes),
        ("bool", false, [a]) => dyn_or(a, &|t| matches!(t, String | Bool)).then_some(Bool),
        ("duration", false, [a]) => {
            dyn_or(a, &|t| matches!(t, String | Duration)).then_some(Duration)
        }
        ("timestamp", false, [a]) => {
            dyn_or(a, &|t| matches!(t, String | Int | Timestamp)).then_some(Timestamp)
        }
        ("dyn", false, [_]) => Some(Dyn),
        ("type", false, [_]) => Some(Type),
        ("getSeconds" | "getMilliseconds" | "getMinutes" | "getHours", true, [t, rest @ ..]) => {
            (dyn_or(t, &|t| matches!(t, Duration | Timestamp))
                && rest.len() <= 1
                && rest.iter().all(|r| dyn_or(r, &|t| matches!(t, String))))
            .then_some(Int)
        }
        (
            "getFullYear" | "getMonth" | "getDayOfYear" | "getDayOfMonth" | "getDate"
            | "getDayOfWeek",
            true,
            [t, rest @ ..],
        ) => (dyn_or(t, &|t| matches!(t, Timestamp))
            && rest.len() <= 1
            && rest.iter().all(|r| dyn_or(r, &|t| matches!(t, String))))
        .then_some(Int),
        // protovalidate's library.
        ("isEmail" | "isHostname" | "isUri" | "isUriRef", true, [s]) => {
            dyn_or(s, &|t| matches!(t, String)).then_some(Bool)
        }
        ("isIp", true, [s, rest @ ..]) => (dyn_or(s, &|t| matches!(t, String))
            && rest.len() <= 1
            && rest.iter().all(|r| dyn_or(r, &|t| matches!(t, Int))))
        .then_some(Bool),
        ("isIpPrefix", true, [s, rest @ ..]) => (dyn_or(s, &|t| matches!(t, String))
            && match rest {
                [] => true,
                [x] => dyn_or(x, &|t| matches!(t, Int | Bool)),
                [v, strict] => {
                    dyn_or(v, &|t| matches!(t, Int)) && dyn_or(strict, &|t| matches!(t, Bool))
                }
                _ => false,
            })
        .then_some(Bool),
        ("isHostAndPort", true, [s, port]) => (dyn_or(s, &|t| matches!(t, String))
            && dyn_or(port, &|t| matches!(t, Bool)))
        .then_some(Bool),
        ("isNan", true, [d]) => dyn_or(d, &|t| matches!(t, Double)).then_some(Bool),
        ("isInf", true, [d, rest @ ..]) => (dyn_or(d, &|t| matches!(t, Double))
            && rest.len() <= 1
            && rest.iter().all(|r| dyn_or(r, &|t| matches!(t, Int))))
        .then_some(Bool),
        ("unique", true, [l]) => dyn_or(l, &|t| matches!(t, List(_))).then_some(Bool),
        ("getField", false, [m, f]) => (dyn_or(m, &|t| matches!(t, Message(_)))
            && dyn_or(f, &|t| matches!(t, String)))
        .then_some(Dyn),
        // The strings extension.
        ("format", true, [s, l]) => (dyn_or(s, &|t| matches!(t, String))
            && dyn_or(l, &|t| matches!(t, List(_))))
        .then_some(String),
        ("lowerAscii" | "upperAscii" | "trim" | "reverse", true, [s]) => {
            dyn_or(s, &|t| matches!(t, String)).then_some(String)
        }
        ("charAt", true, [s, i]) => (dyn_or(s, &|t| matches!(t, String))
            && dyn_or(i, &|t| matches!(t, Int)))
        .then_some(String),
        ("indexOf" | "lastIndexOf", true, [s, sub, rest @ ..]) => {
            (dyn_or(s, &|t| matches!(t, String))
                && dyn_or(sub, &|t| matches!(t, String))
                && rest.len() <= 1
                && rest.iter().all(|r| dyn_or(r, &|t| matches!(t, Int))))
            .then_some(Int)
        }
        ("substring", true, [s, rest @ ..]) => (dyn_or(s, &|t| matches!(t, String))
            && (1..=2).contains(&rest.len())
            && rest.iter().all(|r| dyn_or(r, &|t| matches!(t, Int))))
        .then_some(String),
        ("replace", true, [s, a, b, rest @ ..]) => ([s, a, b]
            .iter()
            .all(|x| dyn_or(x, &|t| matches!(t, String)))
            && rest.len() <= 1
            && rest.iter().all(|r| dyn_or(r, &|t| matches!(t, Int))))
        .then_some(String),
        ("split", true, [s, sep, rest @ ..]) => (dyn_or(s, &|t| matches!(t, String))
            && dyn_or(sep, &|t| matches!(t, String))
            && rest.len() <= 1
            && rest.iter().all(|r| dyn_or(r, &|t| matches!(t, Int))))
        .then(|| List(Box::new(String))),
        ("join", true, [l, rest @ ..]) => (dyn_or(l, &|t| matches!(t, List(_)))
            && rest.len() <= 1
            && rest.iter().all(|r| dyn_or(r, &|t| matches!(t, String))))
        .then_some(String),
        _ => {
            return FUNCTIONS.contains(&name).then_some(None);
        }
    };
    Some(result)
}

/// Every function name `signature` knows, for "no matching overload" against "undeclared".
const FUNCTIONS: &[&str] = &[
    "!_",
    "-_",
    "_&&_",
    "_||_",
    "_?_:_",
    "_==_",
    "_!=_",
    "_<_",
    "_<=_",
    "_>_",
    "_>=_",
    "_+_",
    "_-_",
    "_*_",
    "_/_",
    "_%_",
    "@in",
    "_[_]",
    "size",
    "contains",
    "startsWith",
    "endsWith",
    "matches",
    "int",
    "uint",
    "double",
    "string",
    "bytes",
    "bool",
    "duration",
    "timestamp",
    "dyn",
    "type",
    "getSeconds",
    "getMilliseconds",
    "getMinutes",
    "getHours",
    "getFullYear",
    "getMonth",
    "getDayOfYear",
    "getDayOfMonth",
    "getDate",
    "getDayOfWeek",
    "isEmail",
    "isHostname",
    "isUri",
    "isUriRef",
    "isIp",
    "isIpPrefix",
    "isHostAndPort",
    "isNan",
    "isInf",
    "unique",
    "getField",
    "format",
    "lowerAscii",
    "upperAscii",
    "trim",
    "reverse",
    "charAt",
    "indexOf",
    "lastIndexOf",
    "substring",
    "replace",
    "split",
    "join",
    "all",
    "exists",
    "exists_one",
    "map",
    "filter",
    "has",
];
