//! Editions features (`option features.field_presence = IMPLICIT;`): which features exist, the
//! values each takes, where each may be set, their defaults by edition, and the check of every
//! `features.*` option of a file.
//!
//! The table follows `google.protobuf.FeatureSet` in descriptor.proto (field numbers, value
//! numbers, `targets`, `edition_defaults`, `feature_support.edition_introduced`).

use super::ast::{
    EnumItem, Extend, File, FileItem, MessageItem, OneofItem, OptionBody, OptionNamePart,
    OptionValue, ServiceItem,
};
use super::{Span, SyntaxError};

/// What a file is written in: proto2 and proto3 are editions too, for feature defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Edition {
    Proto2,
    Proto3,
    E2023,
    E2024,
}

impl Edition {
    /// The edition of `edition = "TEXT";`, for the editions protoforge compiles.
    pub fn from_text(text: &str) -> Option<Edition> {
        match text {
            "2023" => Some(Edition::E2023),
            "2024" => Some(Edition::E2024),
            _ => None,
        }
    }

    /// `google.protobuf.Edition`'s number (`EDITION_2023` = 1000).
    pub fn number(self) -> i32 {
        match self {
            Edition::Proto2 => 998,
            Edition::Proto3 => 999,
            Edition::E2023 => 1000,
            Edition::E2024 => 1001,
        }
    }

    /// As written in a file: `proto2`, `proto3`, `2023`, `2024`.
    pub fn name(self) -> &'static str {
        match self {
            Edition::Proto2 => "proto2",
            Edition::Proto3 => "proto3",
            Edition::E2023 => "2023",
            Edition::E2024 => "2024",
        }
    }

    pub fn is_edition(self) -> bool {
        self >= Edition::E2023
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Where an option can be set (`FieldOptions.OptionTargetType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    File = 1,
    ExtensionRange = 2,
    Message = 3,
    Field = 4,
    Oneof = 5,
    Enum = 6,
    EnumValue = 7,
    Service = 8,
    Method = 9,
}

impl Target {
    fn name(self) -> &'static str {
        match self {
            Target::File => "a file",
            Target::ExtensionRange => "an extension range",
            Target::Message => "a message",
            Target::Field => "a field",
            Target::Oneof => "a oneof",
            Target::Enum => "an enum",
            Target::EnumValue => "an enum value",
            Target::Service => "a service",
            Target::Method => "a method",
        }
    }
}

/// One field of `google.protobuf.FeatureSet`.
#[derive(Debug)]
pub struct Feature {
    pub name: &'static str,
    pub number: i32,
    /// Value names and numbers.
    pub values: &'static [(&'static str, i32)],
    pub targets: &'static [Target],
    /// The default under proto2, proto3, 2023 and 2024 (value numbers).
    pub defaults: [i32; 4],
    pub introduced: Edition,
}

impl Feature {
    pub fn value_name(&self, number: i32) -> Option<&'static str> {
        self.values.iter().find(|v| v.1 == number).map(|v| v.0)
    }

    pub fn value_number(&self, name: &str) -> Option<i32> {
        self.values.iter().find(|v| v.0 == name).map(|v| v.1)
    }

    pub fn default_for(&self, edition: Edition) -> i32 {
        self.defaults[edition.index()]
    }
}

use Target as T;

pub const FIELD_PRESENCE: usize = 0;
pub const ENUM_TYPE: usize = 1;
pub const REPEATED_FIELD_ENCODING: usize = 2;
pub const UTF8_VALIDATION: usize = 3;
pub const MESSAGE_ENCODING: usize = 4;
pub const JSON_FORMAT: usize = 5;
pub const ENFORCE_NAMING_STYLE: usize = 6;
pub const DEFAULT_SYMBOL_VISIBILITY: usize = 7;

// Value numbers.
pub const EXPLICIT: i32 = 1;
pub const IMPLICIT: i32 = 2;
pub const LEGACY_REQUIRED: i32 = 3;
pub const OPEN: i32 = 1;
pub const CLOSED: i32 = 2;
pub const PACKED: i32 = 1;
pub const EXPANDED: i32 = 2;
pub const VERIFY: i32 = 2;
pub const NONE: i32 = 3;
pub const LENGTH_PREFIXED: i32 = 1;
pub const DELIMITED: i32 = 2;
pub const ALLOW: i32 = 1;
pub const LEGACY_BEST_EFFORT: i32 = 2;

/// Indexed by the constants above (field number - 1).
pub const FEATURES: [Feature; 8] = [
    Feature {
        name: "field_presence",
        number: 1,
        values: &[
            ("EXPLICIT", EXPLICIT),
            ("IMPLICIT", IMPLICIT),
            ("LEGACY_REQUIRED", LEGACY_REQUIRED),
        ],
        targets: &[T::Field, T::File],
        defaults: [EXPLICIT, IMPLICIT, EXPLICIT, EXPLICIT],
        introduced: Edition::E2023,
    },
    Feature {
        name: "enum_type",
        number: 2,
        values: &[("OPEN", OPEN), ("CLOSED", CLOSED)],
        targets: &[T::Enum, T::File],
        defaults: [CLOSED, OPEN, OPEN, OPEN],
        introduced: Edition::E2023,
    },
    Feature {
        name: "repeated_field_encoding",
        number: 3,
        values: &[("PACKED", PACKED), ("EXPANDED", EXPANDED)],
        targets: &[T::Field, T::File],
        defaults: [EXPANDED, PACKED, PACKED, PACKED],
        introduced: Edition::E2023,
    },
    Feature {
        name: "utf8_validation",
        number: 4,
        values: &[("VERIFY", VERIFY), ("NONE", NONE)],
        targets: &[T::Field, T::File],
        defaults: [NONE, VERIFY, VERIFY, VERIFY],
        introduced: Edition::E2023,
    },
    Feature {
        name: "message_encoding",
        number: 5,
        values: &[
            ("LENGTH_PREFIXED", LENGTH_PREFIXED),
            ("DELIMITED", DELIMITED),
        ],
        targets: &[T::Field, T::File],
        defaults: [LENGTH_PREFIXED; 4],
        introduced: Edition::E2023,
    },
    Feature {
        name: "json_format",
        number: 6,
        values: &[("ALLOW", ALLOW), ("LEGACY_BEST_EFFORT", LEGACY_BEST_EFFORT)],
        targets: &[T::Message, T::Enum, T::File],
        defaults: [LEGACY_BEST_EFFORT, ALLOW, ALLOW, ALLOW],
        introduced: Edition::E2023,
    },
    Feature {
        name: "enforce_naming_style",
        number: 7,
        values: &[("STYLE2024", 1), ("STYLE_LEGACY", 2)],
        targets: &[
            T::File,
            T::ExtensionRange,
            T::Message,
            T::Field,
            T::Oneof,
            T::Enum,
            T::EnumValue,
            T::Service,
            T::Method,
        ],
        defaults: [2, 2, 2, 1],
        introduced: Edition::E2024,
    },
    Feature {
        name: "default_symbol_visibility",
        number: 8,
        values: &[
            ("EXPORT_ALL", 1),
            ("EXPORT_TOP_LEVEL", 2),
            ("LOCAL_ALL", 3),
            ("STRICT", 4),
        ],
        targets: &[T::File],
        defaults: [1, 1, 1, 2],
        introduced: Edition::E2024,
    },
];

/// The feature named `name`, by index into `FEATURES`.
pub fn feature(name: &str) -> Option<usize> {
    FEATURES.iter().position(|f| f.name == name)
}

/// Resolved (or explicitly set) features, by index into `FEATURES`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FeatureSet(pub [Option<i32>; 8]);

impl FeatureSet {
    /// Every feature at its default for `edition`.
    pub fn defaults(edition: Edition) -> FeatureSet {
        FeatureSet(std::array::from_fn(|i| {
            Some(FEATURES[i].default_for(edition))
        }))
    }

    /// `self`, with what `over` sets on top.
    pub fn overlay(mut self, over: &FeatureSet) -> FeatureSet {
        for (mine, theirs) in self.0.iter_mut().zip(over.0) {
            if theirs.is_some() {
                *mine = theirs;
            }
        }
        self
    }

    pub fn get(&self, feature: usize) -> Option<i32> {
        self.0[feature]
    }
}

/// Checks every `features.*` option of `file` (written in `edition`): known feature, known
/// value, set where the feature applies, and only in editions that have it.
pub fn check(file: &File<'_>, edition: Edition, errors: &mut Vec<SyntaxError>) {
    let mut cx = Check { edition, errors };
    for item in &file.items {
        match item {
            FileItem::Option(o) => cx.option(&o.body, Target::File),
            FileItem::Message(m) => cx.message(&m.body),
            FileItem::Enum(e) => cx.enumeration(&e.items),
            FileItem::Service(s) => {
                for item in &s.items {
                    match item {
                        ServiceItem::Option(o) => cx.option(&o.body, Target::Service),
                        ServiceItem::Method(m) => {
                            for o in &m.options {
                                cx.option(&o.body, Target::Method);
                            }
                        }
                    }
                }
            }
            FileItem::Extend(e) => cx.extend(e),
            FileItem::Package(_) | FileItem::Import(_) => {}
        }
    }
}

struct Check<'e> {
    edition: Edition,
    errors: &'e mut Vec<SyntaxError>,
}

impl Check<'_> {
    fn error(&mut self, span: Span, message: String) {
        self.errors.push(SyntaxError { span, message });
    }

    fn message(&mut self, body: &[MessageItem<'_>]) {
        for item in body {
            match item {
                MessageItem::Option(o) => self.option(&o.body, Target::Message),
                MessageItem::Field(f) => self.field(f),
                MessageItem::Message(m) => self.message(&m.body),
                MessageItem::Enum(e) => self.enumeration(&e.items),
                MessageItem::Extend(e) => self.extend(e),
                MessageItem::Oneof(o) => {
                    for item in &o.items {
                        match item {
                            OneofItem::Option(o) => self.option(&o.body, Target::Oneof),
                            OneofItem::Field(f) => self.field(f),
                        }
                    }
                }
                MessageItem::Extensions(x) => {
                    for o in x.options.iter().flat_map(|l| &l.options) {
                        self.option(o, Target::ExtensionRange);
                    }
                }
                MessageItem::Reserved(_) => {}
            }
        }
    }

    fn field(&mut self, f: &super::ast::Field<'_>) {
        for o in f.options.iter().flat_map(|l| &l.options) {
            self.option(o, Target::Field);
        }
        if let super::ast::FieldKind::Group { body, .. } = &f.kind {
            self.message(body);
        }
    }

    fn extend(&mut self, e: &Extend<'_>) {
        for f in &e.fields {
            self.field(f);
        }
    }

    fn enumeration(&mut self, items: &[EnumItem<'_>]) {
        for item in items {
            match item {
                EnumItem::Option(o) => self.option(&o.body, Target::Enum),
                EnumItem::Value(v) => {
                    for o in v.options.iter().flat_map(|l| &l.options) {
                        self.option(o, Target::EnumValue);
                    }
                }
                EnumItem::Reserved(_) => {}
            }
        }
    }

    fn option(&mut self, o: &OptionBody<'_>, target: Target) {
        let Some(OptionNamePart::Ident(first)) = o.name.first() else {
            return;
        };
        if first.name != "features" {
            return;
        }
        if !self.edition.is_edition() {
            self.error(
                o.span,
                format!(
                    "features are options of editions files; a {} file has none (write `edition = \"2023\";` instead of the syntax line to use them)",
                    self.edition.name()
                ),
            );
            return;
        }
        let name = match o.name.get(1) {
            // `features.(pb.cpp).string_type`: a language's features, checked when linking.
            Some(OptionNamePart::Extension(..)) => return,
            Some(OptionNamePart::Ident(name)) if o.name.len() == 2 => name,
            Some(OptionNamePart::Ident(name)) => {
                return self.error(
                    name.span,
                    format!("feature `{}` has no fields to set", name.name),
                );
            }
            None => {
                return self.error(
                    first.span,
                    "set one feature at a time: `features.field_presence = EXPLICIT`".into(),
                );
            }
        };
        let Some(index) = feature(name.name) else {
            let known: Vec<&str> = FEATURES
                .iter()
                .filter(|f| f.introduced <= self.edition)
                .map(|f| f.name)
                .collect();
            return self.error(
                name.span,
                format!(
                    "unknown feature `{}`; edition {} has {}",
                    name.name,
                    self.edition.name(),
                    list(&known)
                ),
            );
        };
        let f = &FEATURES[index];
        if f.introduced > self.edition {
            return self.error(
                name.span,
                format!(
                    "feature `{}` needs edition {} or later (this file is edition {})",
                    f.name,
                    f.introduced.name(),
                    self.edition.name()
                ),
            );
        }
        if !f.targets.contains(&target) {
            let on: Vec<String> = f.targets.iter().map(|t| t.name().to_owned()).collect();
            return self.error(
                o.span,
                format!(
                    "feature `{}` cannot be set on {}, only on {}",
                    f.name,
                    target.name(),
                    or_list(&on)
                ),
            );
        }
        let values: Vec<&str> = f.values.iter().map(|v| v.0).collect();
        match &o.value {
            OptionValue::Ident {
                negative: false,
                name: value,
                ..
            } if f.value_number(value).is_some() => {}
            other => self.error(
                other.span(),
                format!(
                    "`{}` is not a value of feature `{}`: expected {}",
                    token_text(other),
                    f.name,
                    list(&values)
                ),
            ),
        }
    }
}

fn token_text(v: &OptionValue<'_>) -> String {
    match v {
        OptionValue::Ident { negative, name, .. } => {
            format!("{}{name}", if *negative { "-" } else { "" })
        }
        OptionValue::Int(i) => i.to_string(),
        OptionValue::Float { value, .. } => value.to_string(),
        OptionValue::String { value, .. } => format!("\"{}\"", String::from_utf8_lossy(value)),
        OptionValue::Aggregate { .. } => "{ ... }".into(),
    }
}

/// `a`, `a or b`, `a, b or c`, each in backticks.
fn list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    or_list(&quoted)
}

/// `a`, `a or b`, `a, b or c`.
fn or_list(quoted: &[String]) -> String {
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// The features set by `features.NAME = VALUE` among uninterpreted options (language features
/// and values that are not names are left out).
pub fn explicit(options: &[prost_types::UninterpretedOption]) -> FeatureSet {
    let mut out = FeatureSet::default();
    for o in options {
        if let [first, name] = o.name.as_slice()
            && first.name_part == "features"
            && !first.is_extension
            && !name.is_extension
            && let Some(i) = feature(&name.name_part)
            && let Some(value) = o.identifier_value.as_deref()
        {
            out.0[i] = FEATURES[i].value_number(value);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_edition() {
        let e2023 = FeatureSet::defaults(Edition::E2023);
        assert_eq!(e2023.get(FIELD_PRESENCE), Some(EXPLICIT));
        assert_eq!(e2023.get(ENUM_TYPE), Some(OPEN));
        let proto2 = FeatureSet::defaults(Edition::Proto2);
        assert_eq!(proto2.get(UTF8_VALIDATION), Some(NONE));
        assert_eq!(proto2.get(JSON_FORMAT), Some(LEGACY_BEST_EFFORT));
        let proto3 = FeatureSet::defaults(Edition::Proto3);
        assert_eq!(proto3.get(FIELD_PRESENCE), Some(IMPLICIT));
        let over = FeatureSet::default().overlay(&FeatureSet({
            let mut s = [None; 8];
            s[ENUM_TYPE] = Some(CLOSED);
            s
        }));
        assert_eq!(e2023.overlay(&over).get(ENUM_TYPE), Some(CLOSED));
        assert_eq!(e2023.overlay(&over).get(FIELD_PRESENCE), Some(EXPLICIT));
    }

    #[test]
    fn lists_read_as_english() {
        assert_eq!(list(&["a"]), "`a`");
        assert_eq!(list(&["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
