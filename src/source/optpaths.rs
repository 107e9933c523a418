//! prost-reflect rewrites the SourceCodeInfo paths of options from their uninterpreted form
//! (`[8, 999, 0]`) to the option's field (`[8, 1]` for `java_package`) by scanning every location
//! once per option: quadratic, and most of the linking time on option-heavy trees. protoforge
//! links without source info and does the rewrite itself, once per file, with a map.

use std::collections::{BTreeSet, HashMap};

use prost_reflect::{DescriptorPool, MessageDescriptor};
use prost_types::{FileDescriptorProto, SourceCodeInfo, UninterpretedOption};

const UNINTERPRETED: i32 = 999;

/// Which options message an options path belongs to.
#[derive(Clone, Copy)]
enum Owner {
    File,
    Message,
    Field,
    Enum,
    EnumValue,
    Service,
    Method,
    Oneof,
    ExtensionRange,
}

impl Owner {
    fn options_message(self) -> &'static str {
        match self {
            Owner::File => "google.protobuf.FileOptions",
            Owner::Message => "google.protobuf.MessageOptions",
            Owner::Field => "google.protobuf.FieldOptions",
            Owner::Enum => "google.protobuf.EnumOptions",
            Owner::EnumValue => "google.protobuf.EnumValueOptions",
            Owner::Service => "google.protobuf.ServiceOptions",
            Owner::Method => "google.protobuf.MethodOptions",
            Owner::Oneof => "google.protobuf.OneofOptions",
            Owner::ExtensionRange => "google.protobuf.ExtensionRangeOptions",
        }
    }
}

/// The uninterpreted options at an options path (`[4, 0, 7]` = options of the first message),
/// and the scope names are resolved in.
fn options_at<'a>(
    file: &'a FileDescriptorProto,
    path: &[i32],
) -> Option<(Owner, &'a [UninterpretedOption], String)> {
    use prost_types::{DescriptorProto, EnumDescriptorProto, ServiceDescriptorProto};
    enum At<'a> {
        File,
        Message(&'a DescriptorProto),
        Enum(&'a EnumDescriptorProto),
        Service(&'a ServiceDescriptorProto),
    }
    let mut scope = file.package().to_owned();
    let mut at = At::File;
    let mut i = 0;
    while i < path.len() {
        let tag = path[i];
        if i + 1 == path.len() {
            // The last element is the options field itself.
            let found: Option<(Owner, &[UninterpretedOption])> = match (&at, tag) {
                (At::File, 8) => file
                    .options
                    .as_ref()
                    .map(|o| (Owner::File, o.uninterpreted_option.as_slice())),
                (At::Message(m), 7) => m
                    .options
                    .as_ref()
                    .map(|o| (Owner::Message, o.uninterpreted_option.as_slice())),
                (At::Enum(e), 3) => e
                    .options
                    .as_ref()
                    .map(|o| (Owner::Enum, o.uninterpreted_option.as_slice())),
                (At::Service(s), 3) => s
                    .options
                    .as_ref()
                    .map(|o| (Owner::Service, o.uninterpreted_option.as_slice())),
                _ => None,
            };
            return found.map(|(o, u)| (o, u, scope));
        }
        let index = usize::try_from(path[i + 1]).ok()?;
        // Leaf elements whose options come right after them.
        let rest = &path[i + 2..];
        match (&at, tag) {
            (At::File, 4) => at = At::Message(file.message_type.get(index)?),
            (At::File, 5) => at = At::Enum(file.enum_type.get(index)?),
            (At::File, 6) => at = At::Service(file.service.get(index)?),
            (At::File, 7) if rest == [8] => {
                let f = file.extension.get(index)?;
                return f
                    .options
                    .as_ref()
                    .map(|o| (Owner::Field, o.uninterpreted_option.as_slice(), scope));
            }
            (At::Message(m), 3) => {
                scope = format!("{scope}.{}", m.name());
                at = At::Message(m.nested_type.get(index)?)
            }
            (At::Message(m), 4) => at = At::Enum(m.enum_type.get(index)?),
            (At::Message(m), 2 | 6) if rest == [8] => {
                let f = if tag == 2 {
                    m.field.get(index)?
                } else {
                    m.extension.get(index)?
                };
                return f
                    .options
                    .as_ref()
                    .map(|o| (Owner::Field, o.uninterpreted_option.as_slice(), scope));
            }
            (At::Message(m), 8) if rest == [2] => {
                let o = m.oneof_decl.get(index)?;
                return o
                    .options
                    .as_ref()
                    .map(|o| (Owner::Oneof, o.uninterpreted_option.as_slice(), scope));
            }
            (At::Message(m), 5) if rest == [3] => {
                let r = m.extension_range.get(index)?;
                return r.options.as_ref().map(|o| {
                    (
                        Owner::ExtensionRange,
                        o.uninterpreted_option.as_slice(),
                        scope,
                    )
                });
            }
            (At::Enum(e), 2) if rest == [3] => {
                let v = e.value.get(index)?;
                return v
                    .options
                    .as_ref()
                    .map(|o| (Owner::EnumValue, o.uninterpreted_option.as_slice(), scope));
            }
            (At::Service(s), 2) if rest == [4] => {
                let m = s.method.get(index)?;
                return m
                    .options
                    .as_ref()
                    .map(|o| (Owner::Method, o.uninterpreted_option.as_slice(), scope));
            }
            _ => return None,
        }
        i += 2;
    }
    None
}

/// The field numbers an option name resolves to (`(google.api.http).get` -> [72295728, 2]), and
/// whether the last field is repeated. Files that define the extensions used are added to `used`.
fn resolve(
    pool: &DescriptorPool,
    owner: Owner,
    option: &UninterpretedOption,
    scope: &str,
    used: &mut BTreeSet<String>,
) -> Option<(Vec<i32>, bool)> {
    let global = DescriptorPool::global();
    let mut message: Option<MessageDescriptor> = pool
        .get_message_by_name(owner.options_message())
        .or_else(|| global.get_message_by_name(owner.options_message()));
    let mut out = Vec::new();
    let mut repeated = false;
    for part in &option.name {
        let m = message.clone()?;
        if part.is_extension {
            let name = part.name_part.trim_start_matches('.');
            let ext = if part.name_part.starts_with('.') {
                pool.get_extension_by_name(name)
            } else {
                let mut found = None;
                let mut s = scope;
                loop {
                    let candidate = if s.is_empty() {
                        name.to_owned()
                    } else {
                        format!("{s}.{name}")
                    };
                    if let Some(e) = pool.get_extension_by_name(&candidate) {
                        found = Some(e);
                        break;
                    }
                    if s.is_empty() {
                        break;
                    }
                    s = s.rsplit_once('.').map(|(a, _)| a).unwrap_or("");
                }
                found
            }?;
            out.push(ext.number() as i32);
            used.insert(ext.parent_file().name().to_owned());
            repeated = ext.is_list();
            message = ext.kind().as_message().cloned();
        } else {
            let field = m.get_field_by_name(&part.name_part)?;
            out.push(field.number() as i32);
            repeated = field.is_list();
            message = field.kind().as_message().cloned();
        }
    }
    Some((out, repeated))
}

/// Rewrites `info`'s option paths as prost-reflect would, in one pass. Returns the files whose
/// extensions the file's custom options use (for IMPORT_USED).
pub fn remap(
    pool: &DescriptorPool,
    parsed: &FileDescriptorProto,
    info: &mut SourceCodeInfo,
) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    // options path -> the resolved path of each of its options, computed once per options message.
    let mut resolved: HashMap<Vec<i32>, Vec<Option<Vec<i32>>>> = HashMap::new();
    for location in &mut info.location {
        // 999 is also an index (`[4, 999]`, the thousandth message): the one that counts follows
        // an options field.
        let mut to = None;
        for pos in 1..location.path.len().saturating_sub(1) {
            if location.path[pos] != UNINTERPRETED {
                continue;
            }
            let prefix = &location.path[..pos];
            let paths = resolved
                .entry(prefix.to_vec())
                .or_insert_with(|| resolve_all(pool, parsed, prefix, &mut used));
            if !paths.is_empty() {
                to = usize::try_from(location.path[pos + 1])
                    .ok()
                    .and_then(|i| paths.get(i)?.clone())
                    .map(|to| (pos, to));
                break;
            }
        }
        if let Some((pos, to)) = to {
            let rest = location.path[pos + 2..].to_vec();
            location.path = to;
            location.path.extend(rest);
        }
    }
    used
}

/// The paths protoc gives the options at `prefix`, in order: the options path, the option's field
/// numbers and, when the last field is repeated, the element's index among the options that set
/// that same field (`[(google.api.field_behavior) = REQUIRED]` is `[.., 8, 1052, 0]`).
fn resolve_all(
    pool: &DescriptorPool,
    parsed: &FileDescriptorProto,
    prefix: &[i32],
    used: &mut BTreeSet<String>,
) -> Vec<Option<Vec<i32>>> {
    let Some((owner, options, scope)) = options_at(parsed, prefix) else {
        return Vec::new();
    };
    let mut elements: HashMap<Vec<i32>, i32> = HashMap::new();
    options
        .iter()
        .map(|option| {
            let (numbers, repeated) = resolve(pool, owner, option, &scope, used)?;
            let mut to = prefix.to_vec();
            to.extend(numbers);
            if repeated {
                let next = elements.entry(to.clone()).or_insert(0);
                to.push(*next);
                *next += 1;
            }
            Some(to)
        })
        .collect()
}
