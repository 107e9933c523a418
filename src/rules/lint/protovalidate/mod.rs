//! PROTOVALIDATE: the `buf.validate` rules of fields and messages make sense, as buf checks them.
//!
//! The rules are read from the options as the pool resolved them (`(buf.validate.field)`, a
//! `FieldRules` message; `(buf.validate.message)`, a `MessageRules`), by field name through the
//! pool's own `buf/validate/validate.proto`, so any version of that file works. Findings go where
//! buf puts them: at the option path of the offending rule (`Cx::option_span`).

mod cel;
mod examples;
mod field;
mod literal;
mod message;
mod numeric;

use prost_reflect::{
    DynamicMessage, ExtensionDescriptor, FieldDescriptor, Kind, MessageDescriptor, ReflectMessage,
    Value,
};

use crate::rules::{Cx, LintRule, declare_rule};
use crate::source::text::Span;

pub(crate) use cel::fuzz as fuzz_cel;

declare_rule! {
    /// protovalidate (`buf.validate`) rules fit their fields, can be satisfied and are not
    /// redundant.
    ///
    /// ## What it does
    /// Checks the [protovalidate](https://protovalidate.com) rules of fields and messages
    /// (`buf.validate`, from `buf/validate/validate.proto`) as buf's PROTOVALIDATE does: the rules
    /// fit the field's type (`string` rules on a string, `repeated` rules on a repeated field,
    /// wrapper and well-known types included); they can be satisfied (`min_len` not above
    /// `max_len`, bounds that admit a value, no NaN bound, a `prefix` that fits `max_len`); none is
    /// redundant (`const` with other rules, `len` with `min_len`, `ignore = IGNORE_ALWAYS` with
    /// rules); `required` is not used where it cannot hold (in a oneof, on an extension, on map
    /// keys or repeated items); patterns compile, durations and timestamps are valid;
    /// `(buf.validate.message).oneof` names each existing field once; CEL rules (`cel`,
    /// `cel_expression`, predefined rules) type-check and give a bool or a string, with valid,
    /// unique ids; and `example` values satisfy the field's other rules.
    ///
    /// ## Why
    /// protovalidate reports a broken rule only when a message is validated, at run time, or
    /// silently accepts what the author meant to reject.
    ///
    /// ## Example
    /// ```proto
    /// string name = 1 [
    ///   (buf.validate.field).string.min_len = 5,
    ///   (buf.validate.field).string.max_len = 3 // no string is both
    /// ];
    /// ```
    ///
    /// ## Fix
    /// Correct or remove the rule the finding points at.
    pub struct Protovalidate;
}

/// `FieldOptions.(buf.validate.field)` and `MessageOptions.(buf.validate.message)`.
const FIELD_EXTENSION: &str = "buf.validate.field";
const MESSAGE_EXTENSION: &str = "buf.validate.message";
const PREDEFINED_EXTENSION: &str = "buf.validate.predefined";
/// `FieldDescriptorProto.options`, `DescriptorProto.options`.
const FIELD_OPTIONS: i32 = 8;
const MESSAGE_OPTIONS: i32 = 7;

impl LintRule for Protovalidate {
    fn check_field(&self, cx: &mut Cx, field: &FieldDescriptor) {
        // Most trees never import validate.proto: then there is nothing to decode.
        if field
            .parent_pool()
            .get_extension_by_name(FIELD_EXTENSION)
            .is_none()
        {
            return;
        }
        let options = field.options();
        let subject = Subject::of_field(field);
        check_element(cx, &options, field.path(), &subject, field.name());
    }

    fn check_extension(&self, cx: &mut Cx, extension: &ExtensionDescriptor) {
        if extension
            .parent_pool()
            .get_extension_by_name(FIELD_EXTENSION)
            .is_none()
        {
            return;
        }
        let options = extension.options();
        predefined(cx, &options, extension);
        let subject = Subject::of_extension(extension);
        check_element(cx, &options, extension.path(), &subject, extension.name());
    }

    fn check_message(&self, cx: &mut Cx, message: &MessageDescriptor) {
        if message
            .parent_pool()
            .get_extension_by_name(MESSAGE_EXTENSION)
            .is_none()
        {
            return;
        }
        let options = message.options();
        let Some((ext, rules)) = extension_value(&options, MESSAGE_EXTENSION) else {
            return;
        };
        let mut base = message.path().to_vec();
        base.extend([MESSAGE_OPTIONS, ext.number() as i32]);
        message::check(cx, &base, message, &rules);
    }
}

/// The CEL of a predefined rule: an extension of a `buf.validate.*Rules` message whose
/// `(buf.validate.predefined).cel` has `this` of the rules' value type, `rule` of the
/// extension's type and `rules` the rules message.
fn predefined(cx: &mut Cx, options: &DynamicMessage, extension: &ExtensionDescriptor) {
    let extended = extension.containing_message();
    let name = extended.full_name();
    if !(name.starts_with("buf.validate.") && name.ends_with("Rules")) {
        return;
    }
    let Some((ext, rules)) = extension_value(options, PREDEFINED_EXTENSION) else {
        return;
    };
    let this = match extended.name() {
        "AnyRules" => cel::Ty::Any,
        "BoolRules" => cel::Ty::Bool,
        "BytesRules" => cel::Ty::Bytes,
        "StringRules" => cel::Ty::String,
        "Int32Rules" | "Int64Rules" | "SInt32Rules" | "SInt64Rules" | "SFixed32Rules"
        | "SFixed64Rules" | "EnumRules" => cel::Ty::Int,
        "UInt32Rules" | "UInt64Rules" | "Fixed32Rules" | "Fixed64Rules" => cel::Ty::Uint,
        "DoubleRules" | "FloatRules" => cel::Ty::Double,
        "MapRules" => cel::Ty::Map(Box::new(cel::Ty::Dyn), Box::new(cel::Ty::Dyn)),
        "RepeatedRules" => cel::Ty::List(Box::new(cel::Ty::Dyn)),
        "DurationRules" => cel::Ty::Duration,
        "TimestampRules" => cel::Ty::Timestamp,
        _ => return,
    };
    let rule = if extension.is_list() {
        cel::Ty::List(Box::new(cel::kind_type(&extension.kind())))
    } else {
        cel::kind_type(&extension.kind())
    };
    let pool = extension.parent_pool().clone();
    let env = cel::Env {
        variables: vec![
            ("this", this),
            ("rule", rule),
            ("rules", cel::Ty::Message(extended.clone())),
            ("now", cel::Ty::Timestamp),
        ],
        pool: &pool,
        owner: "extension field".to_owned(),
        option: "(buf.validate.predefined).cel".to_owned(),
    };
    let cel_number = number(&rules.descriptor(), "cel");
    let mut base = extension.path().to_vec();
    base.extend([FIELD_OPTIONS, ext.number() as i32]);
    let option_len = base.len();
    let list = cel::rules_of(&rules, "cel");
    cel::check_rules(&env, &list, false, &mut |i, message| {
        let path = [base.as_slice(), &[cel_number, i as i32]].concat();
        let span = cx.option_span(&path, option_len);
        cx.report_span(span, message, None);
    });
}

fn check_element(
    cx: &mut Cx,
    options: &DynamicMessage,
    path: &[i32],
    subject: &Subject,
    name: &str,
) {
    let Some((ext, rules)) = extension_value(options, FIELD_EXTENSION) else {
        return;
    };
    let mut base = path.to_vec();
    base.extend([FIELD_OPTIONS, ext.number() as i32]);
    let mut at = At {
        cx,
        option: base,
        prefix: Vec::new(),
        field: name.to_owned(),
        pretty: subject.pretty.clone(),
        rules: rules.descriptor(),
    };
    field::check(&mut at, &rules, subject, subject.is_repeated);
}

/// The value of the option extension `name`, when the options set it.
fn extension_value(
    options: &DynamicMessage,
    name: &str,
) -> Option<(ExtensionDescriptor, DynamicMessage)> {
    let pool = options.descriptor().parent_pool().clone();
    let ext = pool.get_extension_by_name(name)?;
    if !options.has_extension(&ext) {
        return None;
    }
    match options.get_extension(&ext).as_ref() {
        Value::Message(m) => Some((ext, m.clone())),
        _ => None,
    }
}

/// What a set of field rules applies to: a field, an extension, a map's key or value, or (for
/// `repeated.items`) each item of a repeated field.
#[derive(Clone)]
pub(super) struct Subject {
    /// The element type (a map field: its entry message).
    kind: Kind,
    /// Repeated, maps included (protobuf's cardinality).
    is_repeated: bool,
    is_map: bool,
    has_presence: bool,
    is_extension: bool,
    /// The real (not synthetic) oneof the field is in.
    oneof: Option<String>,
    /// How buf names the type in its messages.
    pretty: String,
    /// `this` in its CEL rules: the whole value (a list or map for repeated fields), and one item.
    cel_whole: cel::Ty,
    cel_item: cel::Ty,
}

impl Subject {
    fn of_field(f: &FieldDescriptor) -> Subject {
        Subject {
            kind: f.kind(),
            is_repeated: f.is_list() || f.is_map(),
            is_map: f.is_map(),
            has_presence: f.supports_presence(),
            is_extension: false,
            oneof: f
                .containing_oneof()
                .filter(|o| !o.is_synthetic())
                .map(|o| o.name().to_owned()),
            pretty: pretty_type(&f.kind(), f.is_map()),
            cel_whole: cel::field_type(f, false),
            cel_item: cel::field_type(f, true),
        }
    }

    fn of_extension(e: &ExtensionDescriptor) -> Subject {
        Subject {
            kind: e.kind(),
            is_repeated: e.is_list(),
            is_map: false,
            has_presence: !e.is_list(),
            is_extension: true,
            oneof: None,
            pretty: pretty_type(&e.kind(), false),
            cel_whole: if e.is_list() {
                cel::Ty::List(Box::new(cel::kind_type(&e.kind())))
            } else {
                cel::kind_type(&e.kind())
            },
            cel_item: cel::kind_type(&e.kind()),
        }
    }

    fn is_list(&self) -> bool {
        self.is_repeated && !self.is_map
    }

    /// The message type of a message (or group) field.
    fn message(&self) -> Option<&MessageDescriptor> {
        match &self.kind {
            Kind::Message(m) => Some(m),
            _ => None,
        }
    }
}

/// `int32`, `acme.v1.Money`, `map<string, int64>`.
fn pretty_type(kind: &Kind, is_map: bool) -> String {
    match kind {
        Kind::Message(entry) if is_map => format!(
            "map<{}, {}>",
            pretty_type(&entry.map_entry_key_field().kind(), false),
            pretty_type(&entry.map_entry_value_field().kind(), false)
        ),
        Kind::Enum(_) => "enum".to_owned(),
        other => crate::source::names::kind_name(other),
    }
}

/// Where the rules being checked sit, for reporting: the option's path, the path of the rules
/// inside `FieldRules` (`map.keys`, `repeated.items`), and the names buf's messages use.
pub(super) struct At<'c, 'a> {
    cx: &'c mut Cx<'a>,
    /// The element's path, then `options` and the extension's number.
    option: Vec<i32>,
    /// Inside `FieldRules`: `[19, 4]` for `map.keys`, empty at the top.
    prefix: Vec<i32>,
    field: String,
    pretty: String,
    /// `buf.validate.FieldRules`.
    rules: MessageDescriptor,
}

impl At<'_, '_> {
    /// The same field, for the rules at `prefix` (map keys or values, repeated items).
    fn nested<R>(&mut self, prefix: &[i32], pretty: String, f: impl FnOnce(&mut At) -> R) -> R {
        let mut inner = At {
            cx: &mut *self.cx,
            option: self.option.clone(),
            prefix: [self.prefix.as_slice(), prefix].concat(),
            field: self.field.clone(),
            pretty,
            rules: self.rules.clone(),
        };
        f(&mut inner)
    }

    fn span(&self, path: &[i32]) -> Span {
        let full = [self.option.as_slice(), &self.prefix, path].concat();
        self.literal_span(&full)
            .unwrap_or_else(|| self.cx.option_span(&full, self.option.len()))
    }

    /// Where `full` is set inside a message literal, when the nearest location encloses it (as
    /// `(buf.validate.field).fixed32 = { lt: 10 }` encloses `fixed32.lt`).
    fn literal_span(&self, full: &[i32]) -> Option<Span> {
        let text = self.cx.text()?;
        let loc = self
            .cx
            .locations()
            .option_location(full, self.option.len())?;
        if loc.path.len() >= full.len() || !full.starts_with(loc.path) {
            return None;
        }
        // The names of the steps inside the literal, through FieldRules.
        let mut message = Some(self.rules.clone());
        let mut names = Vec::new();
        let mut steps = full.iter().enumerate().skip(self.option.len());
        while let Some((i, &number)) = steps.next() {
            let field = message.as_ref()?.get_field(number as u32)?;
            if i >= loc.path.len() {
                names.push(field.name().to_owned());
            }
            if field.is_list() {
                // An index follows; buf locates no list element inside a literal.
                if i >= loc.path.len() {
                    return None;
                }
                steps.next();
            }
            message = field.kind().as_message().cloned();
        }
        let outer = text.span_of_location(&loc.span)?;
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let (a, b) = literal::field_range(&text.as_str()[outer.start..outer.end], &names)?;
        Some(text.span(outer.start + a, outer.start + b))
    }

    /// A finding about the rule at `path` (field numbers inside the current rules).
    fn add(&mut self, path: &[i32], message: String) {
        let span = self.span(path);
        self.cx.report_span(span, message, None);
    }

    /// One finding at each distinct place of `paths`.
    fn add_all(&mut self, paths: &[&[i32]], message: String) {
        let mut spans: Vec<Span> = Vec::new();
        for path in paths {
            let span = self.span(path);
            if !spans.contains(&span) {
                spans.push(span);
            }
        }
        for span in spans {
            self.cx.report_span(span, message.clone(), None);
        }
    }

    /// `(buf.validate.field).string.min_len` for `[14, 2]` under the current prefix.
    fn name(&self, path: &[i32]) -> String {
        let mut name = "(buf.validate.field)".to_owned();
        let mut message = Some(self.rules.clone());
        for &number in self.prefix.iter().chain(path) {
            let Some(field) = message.as_ref().and_then(|m| m.get_field(number as u32)) else {
                break;
            };
            name.push('.');
            name.push_str(field.name());
            message = match field.kind() {
                Kind::Message(m) => Some(m),
                _ => None,
            };
        }
        name
    }
}

/// The number of `message`'s field `name`, for option paths (0 when the version of
/// validate.proto in use has no such field).
fn number(message: &MessageDescriptor, name: &str) -> i32 {
    message
        .get_field_by_name(name)
        .map_or(0, |f| f.number() as i32)
}

/// The set value of `name` in `message`.
fn get(message: &DynamicMessage, name: &str) -> Option<Value> {
    message
        .has_field_by_name(name)
        .then(|| message.get_field_by_name(name).map(|v| v.into_owned()))
        .flatten()
}

/// The name of the `ignore` value `rules` (a `FieldRules`) sets (`IGNORE_IF_ZERO_VALUE`, ...).
fn ignore_of(rules: &DynamicMessage) -> Option<String> {
    let number = get(rules, "ignore")?.as_enum_number()?;
    let field = rules.descriptor().get_field_by_name("ignore")?;
    let value = field.kind().as_enum()?.get_value(number)?;
    Some(value.name().to_owned())
}

/// The items of the repeated field `name` of `message` that `item` reads.
fn list<T>(message: &DynamicMessage, name: &str, item: impl Fn(&Value) -> Option<T>) -> Vec<T> {
    get(message, name)
        .and_then(|v| v.as_list().map(|l| l.iter().filter_map(&item).collect()))
        .unwrap_or_default()
}

/// How many fields (extensions, that is predefined rules, included) `message` sets.
fn set_count(message: &DynamicMessage) -> usize {
    message.fields().count() + message.extensions().count()
}
