use prost_reflect::FileDescriptor;
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{DescriptorProto, FileDescriptorProto};

use crate::diagnostic::{Edit, Fix};
use crate::rules::{Cx, LintRule, declare_rule};
use crate::source::locate::path;

declare_rule! {
    /// Every file declares its syntax (fixable).
    ///
    /// ## What it does
    /// Checks that every file declares its syntax (`syntax = "proto3";`) or edition.
    ///
    /// ## Why
    /// A file without a syntax line is compiled as proto2, which changes field presence, default
    /// values and enum handling. Usually that is not what the author meant.
    ///
    /// ## Example
    /// ```proto
    /// package acme.shop.v1;
    /// message Order {}
    /// ```
    ///
    /// ## Fix
    /// Add `syntax = "proto3";` (or `syntax = "proto2";` if proto2 is intended) as the first line.
    /// `--fix` adds `syntax = "proto3";` only when the file means the same in proto3; a file that
    /// uses proto2's semantics (required fields, defaults, groups, extension ranges, closed enums,
    /// unpacked repeated scalars) gets `syntax = "proto2";`, which is what it already compiles as.
    pub struct SyntaxSpecified;
}

impl LintRule for SyntaxSpecified {
    fn check_file(&self, cx: &mut Cx, file: &FileDescriptor) {
        let proto = file.file_descriptor_proto();
        if proto.syntax.is_some()
            || cx.has_location(&[path::FILE_SYNTAX])
            || cx.has_location(&[path::FILE_EDITION])
        {
            return;
        }
        let message = format!("`{}` does not declare its syntax", cx.file_name());
        let syntax = if means_the_same_in_proto3(proto) {
            "proto3"
        } else {
            "proto2"
        };
        let help = if syntax == "proto3" {
            "add `syntax = \"proto3\";` as the first line (`--fix` does this)".to_owned()
        } else {
            "the file uses proto2 semantics (it has no syntax line, so it is compiled as proto2): \
             add `syntax = \"proto2\";` as the first line (`--fix` does this), or move it to proto3 \
             by hand"
                .to_owned()
        };
        // Before the first token, not only the first element: an empty statement (`;`) is a
        // statement, and `syntax` must come before every one.
        let first = cx.text().and_then(|t| t.first_token_start());
        match (first, cx.text()) {
            (Some(offset), Some(text)) => {
                let at = text.insertion_point_before(offset);
                let fix = Fix {
                    description: format!("added `syntax = \"{syntax}\";`"),
                    edits: vec![Edit {
                        start: at,
                        end: at,
                        replacement: format!("syntax = \"{syntax}\";\n\n"),
                    }],
                };
                cx.report_top_with_fix(message, help, fix);
            }
            _ => cx.report_top(message, help),
        }
    }
}

/// Whether a file compiled as proto2 (it has no syntax line) compiles to the same meaning as
/// proto3: nothing proto3 rejects (required, defaults, groups, extension ranges, extensions of
/// anything but options) and nothing it reads differently (enums become open, repeated scalars
/// packed).
fn means_the_same_in_proto3(file: &FileDescriptorProto) -> bool {
    fn field_ok(field: &prost_types::FieldDescriptorProto) -> bool {
        let scalar_repeated = field.label() == Label::Repeated
            && !matches!(
                field.r#type(),
                Type::String | Type::Bytes | Type::Message | Type::Group
            )
            && field.options.as_ref().and_then(|o| o.packed).is_none();
        field.label() != Label::Required
            && field.default_value.is_none()
            && field.r#type() != Type::Group
            && field.r#type() != Type::Enum
            && !scalar_repeated
    }
    fn extension_ok(field: &prost_types::FieldDescriptorProto) -> bool {
        field_ok(field)
            && field
                .extendee
                .as_deref()
                .is_some_and(|e| e.starts_with(".google.protobuf.") && e.ends_with("Options"))
    }
    fn message_ok(message: &DescriptorProto) -> bool {
        message.extension_range.is_empty()
            && message.enum_type.is_empty()
            && message
                .options
                .as_ref()
                .and_then(|o| o.message_set_wire_format)
                != Some(true)
            && message.field.iter().all(field_ok)
            && message.extension.iter().all(extension_ok)
            && message.nested_type.iter().all(message_ok)
    }
    file.enum_type.is_empty()
        && file.extension.iter().all(extension_ok)
        && file.message_type.iter().all(message_ok)
}
