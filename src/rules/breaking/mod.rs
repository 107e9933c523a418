//! Breaking-change rules: pure comparisons of a previous and a current descriptor set. One file
//! per rule; `context` pairs the elements and dispatches them.

pub mod context;
mod helpers;

mod enum_no_delete;
mod enum_same_json_format;
mod enum_same_type;
mod enum_value_no_delete;
mod enum_value_no_delete_unless_name_reserved;
mod enum_value_no_delete_unless_number_reserved;
mod enum_value_same_name;
mod extension_message_no_delete;
mod extension_no_delete;
mod field_no_delete;
mod field_no_delete_unless_name_reserved;
mod field_no_delete_unless_number_reserved;
mod field_same_cardinality;
mod field_same_cpp_string_type;
mod field_same_default;
mod field_same_java_utf8_validation;
mod field_same_json_name;
mod field_same_jstype;
mod field_same_name;
mod field_same_oneof;
mod field_same_type;
mod field_same_utf8_validation;
mod field_wire_compatible_cardinality;
mod field_wire_compatible_type;
mod field_wire_json_compatible_cardinality;
mod field_wire_json_compatible_type;
mod file_no_delete;
mod file_same_cc_enable_arenas;
mod file_same_cc_generic_services;
mod file_same_csharp_namespace;
mod file_same_go_package;
mod file_same_java_generic_services;
mod file_same_java_multiple_files;
mod file_same_java_outer_classname;
mod file_same_java_package;
mod file_same_objc_class_prefix;
mod file_same_optimize_for;
mod file_same_package;
mod file_same_php_class_prefix;
mod file_same_php_metadata_namespace;
mod file_same_php_namespace;
mod file_same_py_generic_services;
mod file_same_ruby_package;
mod file_same_swift_prefix;
mod file_same_syntax;
mod message_no_delete;
mod message_no_remove_standard_descriptor_accessor;
mod message_same_json_format;
mod message_same_required_fields;
mod oneof_no_delete;
mod package_enum_no_delete;
mod package_extension_no_delete;
mod package_message_no_delete;
mod package_no_delete;
mod package_service_no_delete;
mod reserved_enum_no_delete;
mod reserved_message_no_delete;
mod rpc_no_delete;
mod rpc_same_client_streaming;
mod rpc_same_idempotency_level;
mod rpc_same_request_type;
mod rpc_same_response_type;
mod rpc_same_server_streaming;
mod service_no_delete;

pub use enum_no_delete::EnumNoDelete;
pub use enum_same_json_format::EnumSameJsonFormat;
pub use enum_same_type::EnumSameType;
pub use enum_value_no_delete::EnumValueNoDelete;
pub use enum_value_no_delete_unless_name_reserved::EnumValueNoDeleteUnlessNameReserved;
pub use enum_value_no_delete_unless_number_reserved::EnumValueNoDeleteUnlessNumberReserved;
pub use enum_value_same_name::EnumValueSameName;
pub use extension_message_no_delete::ExtensionMessageNoDelete;
pub use extension_no_delete::ExtensionNoDelete;
pub use field_no_delete::FieldNoDelete;
pub use field_no_delete_unless_name_reserved::FieldNoDeleteUnlessNameReserved;
pub use field_no_delete_unless_number_reserved::FieldNoDeleteUnlessNumberReserved;
pub use field_same_cardinality::FieldSameCardinality;
pub use field_same_cpp_string_type::FieldSameCppStringType;
pub use field_same_default::FieldSameDefault;
pub use field_same_java_utf8_validation::FieldSameJavaUtf8Validation;
pub use field_same_json_name::FieldSameJsonName;
pub use field_same_jstype::FieldSameJstype;
pub use field_same_name::FieldSameName;
pub use field_same_oneof::FieldSameOneof;
pub use field_same_type::FieldSameType;
pub use field_same_utf8_validation::FieldSameUtf8Validation;
pub use field_wire_compatible_cardinality::FieldWireCompatibleCardinality;
pub use field_wire_compatible_type::FieldWireCompatibleType;
pub use field_wire_json_compatible_cardinality::FieldWireJsonCompatibleCardinality;
pub use field_wire_json_compatible_type::FieldWireJsonCompatibleType;
pub use file_no_delete::FileNoDelete;
pub use file_same_cc_enable_arenas::FileSameCcEnableArenas;
pub use file_same_cc_generic_services::FileSameCcGenericServices;
pub use file_same_csharp_namespace::FileSameCsharpNamespace;
pub use file_same_go_package::FileSameGoPackage;
pub use file_same_java_generic_services::FileSameJavaGenericServices;
pub use file_same_java_multiple_files::FileSameJavaMultipleFiles;
pub use file_same_java_outer_classname::FileSameJavaOuterClassname;
pub use file_same_java_package::FileSameJavaPackage;
pub use file_same_objc_class_prefix::FileSameObjcClassPrefix;
pub use file_same_optimize_for::FileSameOptimizeFor;
pub use file_same_package::FileSamePackage;
pub use file_same_php_class_prefix::FileSamePhpClassPrefix;
pub use file_same_php_metadata_namespace::FileSamePhpMetadataNamespace;
pub use file_same_php_namespace::FileSamePhpNamespace;
pub use file_same_py_generic_services::FileSamePyGenericServices;
pub use file_same_ruby_package::FileSameRubyPackage;
pub use file_same_swift_prefix::FileSameSwiftPrefix;
pub use file_same_syntax::FileSameSyntax;
pub use message_no_delete::MessageNoDelete;
pub use message_no_remove_standard_descriptor_accessor::MessageNoRemoveStandardDescriptorAccessor;
pub use message_same_json_format::MessageSameJsonFormat;
pub use message_same_required_fields::MessageSameRequiredFields;
pub use oneof_no_delete::OneofNoDelete;
pub use package_enum_no_delete::PackageEnumNoDelete;
pub use package_extension_no_delete::PackageExtensionNoDelete;
pub use package_message_no_delete::PackageMessageNoDelete;
pub use package_no_delete::PackageNoDelete;
pub use package_service_no_delete::PackageServiceNoDelete;
pub use reserved_enum_no_delete::ReservedEnumNoDelete;
pub use reserved_message_no_delete::ReservedMessageNoDelete;
pub use rpc_no_delete::RpcNoDelete;
pub use rpc_same_client_streaming::RpcSameClientStreaming;
pub use rpc_same_idempotency_level::RpcSameIdempotencyLevel;
pub use rpc_same_request_type::RpcSameRequestType;
pub use rpc_same_response_type::RpcSameResponseType;
pub use rpc_same_server_streaming::RpcSameServerStreaming;
pub use service_no_delete::ServiceNoDelete;

use prost_reflect::{
    EnumDescriptor, EnumValueDescriptor, FileDescriptor, MessageDescriptor, MethodDescriptor,
    ServiceDescriptor,
};

pub use context::{BCx, FieldView, Side};

use crate::diagnostic::Fix;
use crate::source::locate::path;

/// A breaking rule. Every hook gets the previous element first.
pub trait BreakingRule: Sync {
    /// Whole-schema rules (deleted files and packages, package-level deletions).
    fn check_sides(&self, _cx: &mut BCx, _previous: &Side, _current: &Side) {}
    /// Files present in both, by name.
    fn check_file_pair(
        &self,
        _cx: &mut BCx,
        _previous: &FileDescriptor,
        _current: &FileDescriptor,
    ) {
    }
    /// Messages present in both, by full name (map entries included).
    fn check_message_pair(
        &self,
        _cx: &mut BCx,
        _previous: &MessageDescriptor,
        _current: &MessageDescriptor,
    ) {
    }
    /// Fields present in both, by message and number; extensions by extendee and number.
    fn check_field_pair(&self, _cx: &mut BCx, _previous: &FieldView, _current: &FieldView) {}
    /// Enums present in both, by full name.
    fn check_enum_pair(
        &self,
        _cx: &mut BCx,
        _previous: &EnumDescriptor,
        _current: &EnumDescriptor,
    ) {
    }
    /// Values with the same number in an enum present in both.
    fn check_enum_value_pair(
        &self,
        _cx: &mut BCx,
        _number: i32,
        _previous: &[EnumValueDescriptor],
        _current: &[EnumValueDescriptor],
    ) {
    }
    /// Services present in both, by full name.
    fn check_service_pair(
        &self,
        _cx: &mut BCx,
        _previous: &ServiceDescriptor,
        _current: &ServiceDescriptor,
    ) {
    }
    /// RPCs present in both, by service and name.
    fn check_method_pair(
        &self,
        _cx: &mut BCx,
        _previous: &MethodDescriptor,
        _current: &MethodDescriptor,
    ) {
    }
}

/// Path of an element's name.
pub(crate) fn name_of(p: &[i32]) -> Vec<i32> {
    let mut v = p.to_vec();
    v.push(path::NAME);
    v
}

/// Path of a sub-element (`[..., field, index...]`).
pub(crate) fn sub(p: &[i32], tail: &[i32]) -> Vec<i32> {
    let mut v = p.to_vec();
    v.extend_from_slice(tail);
    v
}

pub(crate) use crate::diagnostic::reserve::name_list;

/// What a message or enum must reserve, in a current file.
pub(crate) struct Reserve<'a> {
    pub file: &'a str,
    pub decl: &'a [i32],
    pub ranges_field: i32,
    pub names_field: i32,
    pub numbers: Vec<(i64, i64)>,
    pub names: Vec<String>,
}

impl<'a> Reserve<'a> {
    /// Reservations (`numbers`, `names`) in the message at `decl` of the current file `file`.
    pub fn message(file: &'a str, decl: &'a [i32], numbers: Ranges, names: Vec<String>) -> Self {
        use crate::source::locate::path::{MESSAGE_RESERVED_NAME, MESSAGE_RESERVED_RANGE};
        let fields = (MESSAGE_RESERVED_RANGE, MESSAGE_RESERVED_NAME);
        Reserve::new(file, decl, fields, numbers, names)
    }

    /// Reservations in the enum at `decl` of the current file `file`.
    pub fn enumeration(
        file: &'a str,
        decl: &'a [i32],
        numbers: Ranges,
        names: Vec<String>,
    ) -> Self {
        use crate::source::locate::path::{ENUM_RESERVED_NAME, ENUM_RESERVED_RANGE};
        let fields = (ENUM_RESERVED_RANGE, ENUM_RESERVED_NAME);
        Reserve::new(file, decl, fields, numbers, names)
    }

    fn new(
        file: &'a str,
        decl: &'a [i32],
        (ranges_field, names_field): (i32, i32),
        numbers: Ranges,
        names: Vec<String>,
    ) -> Self {
        Reserve {
            file,
            decl,
            ranges_field,
            names_field,
            numbers,
            names,
        }
    }
}

/// Inclusive number ranges (`(3, 3)` is `3`).
type Ranges = Vec<(i64, i64)>;

/// The fix that adds the reservations to the current file.
pub(crate) fn reserve_fix(cx: &BCx, r: &Reserve) -> Option<Fix> {
    let (text, locations) = cx.source(r.file)?;
    crate::diagnostic::reserve::reserve_fix(
        text,
        locations,
        &crate::diagnostic::reserve::Reserve {
            decl: r.decl,
            ranges_field: r.ranges_field,
            names_field: r.names_field,
            numbers: r.numbers.clone(),
            names: r.names.clone(),
        },
    )
}
