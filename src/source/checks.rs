//! Checks protoc makes that prost-reflect's linker does not. On a parsed file (options still
//! uninterpreted): names taken by a reservation, overlapping ranges, `allow_alias` without
//! aliases, and a method whose request or response names one of its service's methods. On the
//! linked pool: an implicit-presence field of a closed enum, and a use of another file's
//! edition 2024 `local` type. Each is a located COMPILE finding, worded for protoforge, with
//! protoc's verdict.

use std::collections::{BTreeSet, HashMap};

use prost_types::uninterpreted_option::NamePart;
use prost_types::{DescriptorProto, EnumDescriptorProto, FileDescriptorProto, UninterpretedOption};

use super::finding::{Finding, Label};
use super::link_errors::file_finding;
use super::loaded::{Compilation, LoadedFile};
use super::locate::{Locations, path as p};
use super::text::SourceText;

/// The largest field number (`max` in a message's ranges).
const MAX_FIELD: i32 = 536_870_911;

/// Runs every check on a parsed file of the user's.
pub(super) fn check(file: &LoadedFile, proto: &FileDescriptorProto, out: &mut Vec<Finding>) {
    let Some(text) = &file.text else { return };
    let mut cx = Cx {
        file,
        text,
        locations: Locations::new(proto),
        out,
    };
    for (i, message) in proto.message_type.iter().enumerate() {
        cx.message(message, &mut vec![p::FILE_MESSAGE, i as i32]);
    }
    for (i, en) in proto.enum_type.iter().enumerate() {
        cx.enumeration(en, &[p::FILE_ENUM, i as i32]);
    }
    for (s, service) in proto.service.iter().enumerate() {
        for (m, method) in service.method.iter().enumerate() {
            let types = [
                (p::METHOD_INPUT, method.input_type()),
                (p::METHOD_OUTPUT, method.output_type()),
            ];
            for (tag, name) in types {
                // protoc looks a method's types up among every symbol, starting in the service:
                // a single name that is one of its methods is found there, and is no message.
                if service.method.iter().any(|other| other.name() == name) {
                    let path = [p::FILE_SERVICE, s as i32, p::SERVICE_METHOD, m as i32, tag];
                    cx.push(
                        &path,
                        format!(
                            "`{name}` is the method `{}.{name}`, not a message",
                            service.name()
                        ),
                        "names a method",
                        format!(
                            "write the message's full name (`.{}{name}`) or rename the method",
                            match proto.package() {
                                "" => String::new(),
                                package => format!("{package}."),
                            }
                        ),
                        None,
                    );
                }
            }
        }
    }
}

/// A COMPILE finding at `path` of a linked user file (none for other files, or without source).
fn linked_finding(
    loaded: &LoadedFile,
    path: &[i32],
    message: String,
    label: &str,
    help: String,
) -> Option<Finding> {
    if !loaded.is_disk() {
        return None;
    }
    let (Some(text), Some(locations)) = (&loaded.text, loaded.locations()) else {
        return None;
    };
    let span = locations.span_or_parent(text, path);
    let mut finding = file_finding(loaded, span, message, Some(help));
    finding.label = Some(label.to_owned());
    Some(finding)
}

/// The checks on the linked pool: editions fields with implicit presence whose enum is closed
/// (protoc requires such enums to be open: a closed enum has no default to leave unwritten),
/// and uses of another file's local types.
pub(super) fn check_linked(c: &mut Compilation) {
    use super::resolved;
    let mut findings = Vec::new();
    for message in c.pool.all_messages() {
        let file = message.parent_file();
        if !resolved::is_editions(&file) {
            continue;
        }
        let Some(loaded) = c.file(file.name()) else {
            continue;
        };
        for field in message.fields() {
            let Some(en) = field.kind().as_enum().cloned() else {
                continue;
            };
            if field.is_list() || resolved::has_presence(&field) || !resolved::enum_is_closed(&en) {
                continue;
            }
            let name = [field.path(), &[p::NAME]].concat();
            findings.extend(linked_finding(
                loaded,
                &name,
                format!(
                    "field `{}` has implicit presence but its enum `{}` is closed",
                    field.name(),
                    en.full_name()
                ),
                "implicit presence",
                "give the field explicit presence (`features.field_presence = EXPLICIT`) \
                 or make the enum open"
                    .into(),
            ));
        }
    }
    check_proto3_extensions(c, &mut findings);
    check_visibility(c, &mut findings);
    c.findings.extend(findings);
}

/// The option messages a proto3 file may extend: proto3 has extensions only for custom options.
const OPTIONS_MESSAGES: &[&str] = &[
    "google.protobuf.FileOptions",
    "google.protobuf.MessageOptions",
    "google.protobuf.FieldOptions",
    "google.protobuf.OneofOptions",
    "google.protobuf.EnumOptions",
    "google.protobuf.EnumValueOptions",
    "google.protobuf.ServiceOptions",
    "google.protobuf.MethodOptions",
    "google.protobuf.ExtensionRangeOptions",
];

/// A proto3 file that extends anything but an options message, as protoc rejects it.
fn check_proto3_extensions(c: &Compilation, findings: &mut Vec<Finding>) {
    for extension in c.pool.all_extensions() {
        let extended = extension.containing_message();
        if OPTIONS_MESSAGES.contains(&extended.full_name()) {
            continue;
        }
        let Some(loaded) = c.file(extension.parent_file().name()) else {
            continue;
        };
        if loaded.edition != super::syntax::features::Edition::Proto3 {
            continue;
        }
        let extendee = [extension.path(), &[p::FIELD_EXTENDEE]].concat();
        findings.extend(linked_finding(
            loaded,
            &extendee,
            format!(
                "`{}` extends `{}`: in proto3, extensions are only allowed for defining options",
                extension.name(),
                extended.full_name()
            ),
            "not an options message",
            "move the extension to a proto2 or editions file".into(),
        ));
    }
}

/// The messages and enums of an edition 2024 file (as lowered, options uninterpreted) that
/// are local: `local`, or without a keyword where `default_symbol_visibility` (EXPORT_TOP_LEVEL
/// unless the file sets it) makes them so: nested types under EXPORT_TOP_LEVEL, every type
/// under LOCAL_ALL and STRICT.
pub(super) fn local_types(
    proto: &FileDescriptorProto,
    visibility: &[(Vec<i32>, u32, i32)],
) -> BTreeSet<String> {
    use super::syntax::features::{self, DEFAULT_SYMBOL_VISIBILITY};
    // SymbolVisibility: LOCAL = 1; DefaultSymbolVisibility: EXPORT_ALL = 1, EXPORT_TOP_LEVEL =
    // 2, LOCAL_ALL = 3, STRICT = 4.
    let default = proto
        .options
        .as_ref()
        .and_then(|o| features::explicit(&o.uninterpreted_option).get(DEFAULT_SYMBOL_VISIBILITY))
        .unwrap_or(2);
    let is_local = |path: &[i32]| match visibility.iter().find(|(p, _, _)| p == path) {
        Some((_, _, value)) => *value == 1,
        None => match default {
            1 => false,
            2 => path.len() > 2,
            _ => true,
        },
    };
    fn walk(
        m: &DescriptorProto,
        path: &mut Vec<i32>,
        scope: &str,
        is_local: &dyn Fn(&[i32]) -> bool,
        out: &mut BTreeSet<String>,
    ) {
        let name = format!("{scope}{}", m.name());
        if is_local(path) {
            out.insert(name.clone());
        }
        for (i, en) in m.enum_type.iter().enumerate() {
            path.extend([p::MESSAGE_ENUM, i as i32]);
            if is_local(path) {
                out.insert(format!("{name}.{}", en.name()));
            }
            path.truncate(path.len() - 2);
        }
        for (i, nested) in m.nested_type.iter().enumerate() {
            path.extend([p::MESSAGE_NESTED, i as i32]);
            walk(nested, path, &format!("{name}."), is_local, out);
            path.truncate(path.len() - 2);
        }
    }
    let scope = match proto.package() {
        "" => String::new(),
        package => format!("{package}."),
    };
    let mut out = BTreeSet::new();
    for (i, m) in proto.message_type.iter().enumerate() {
        walk(
            m,
            &mut vec![p::FILE_MESSAGE, i as i32],
            &scope,
            &is_local,
            &mut out,
        );
    }
    for (i, en) in proto.enum_type.iter().enumerate() {
        if is_local(&[p::FILE_ENUM, i as i32]) {
            out.insert(format!("{scope}{}", en.name()));
        }
    }
    out
}

/// Uses of another file's local types (edition 2024's `local`, or local by default): by
/// fields, extensions and methods of the user's files, in any syntax.
fn check_visibility(c: &Compilation, findings: &mut Vec<Finding>) {
    use prost_reflect::Kind;
    // Every local type once, with the file it belongs to: a lookup per use, not a scan.
    let owners: HashMap<&str, &LoadedFile> = c
        .files
        .iter()
        .flat_map(|f| f.local_types.iter().map(move |t| (t.as_str(), f)))
        .collect();
    if owners.is_empty() {
        return;
    }
    let mut check = |file: &str, ty: &str, at: &[i32], tag: i32| {
        let Some(owner) = owners.get(ty).filter(|o| o.name != file) else {
            return;
        };
        let Some(loaded) = c.file(file) else {
            return;
        };
        findings.extend(linked_finding(
            loaded,
            &[at, &[tag]].concat(),
            format!(
                "`{ty}` is local to `{}`, so `{file}` cannot use it",
                owner.name
            ),
            "a local type",
            format!(
                "mark it `export` in `{}` (edition 2024 makes nested types local by default)",
                owner.name
            ),
        ));
    };
    let type_name = |kind: Kind| match kind {
        Kind::Message(m) if !m.is_map_entry() => Some(m.full_name().to_owned()),
        Kind::Enum(e) => Some(e.full_name().to_owned()),
        _ => None,
    };
    for message in c.pool.all_messages() {
        for field in message.fields() {
            if let Some(ty) = type_name(field.kind()) {
                check(
                    field.parent_file().name(),
                    &ty,
                    field.path(),
                    p::FIELD_TYPE_NAME,
                );
            }
        }
    }
    for ext in c.pool.all_extensions() {
        if let Some(ty) = type_name(ext.kind()) {
            check(
                ext.parent_file().name(),
                &ty,
                ext.path(),
                p::FIELD_TYPE_NAME,
            );
        }
    }
    for service in c.pool.services() {
        let file = service.parent_file();
        for method in service.methods() {
            check(
                file.name(),
                method.input().full_name(),
                method.path(),
                p::METHOD_INPUT,
            );
            check(
                file.name(),
                method.output().full_name(),
                method.path(),
                p::METHOD_OUTPUT,
            );
        }
    }
}

struct Cx<'a> {
    file: &'a LoadedFile,
    text: &'a SourceText,
    locations: Locations<'static>,
    out: &'a mut Vec<Finding>,
}

/// A range of numbers, inclusive, and where it was declared (`at`: its byte offset).
struct Range {
    start: i32,
    end: i32,
    reserved: bool,
    path: Vec<i32>,
    at: usize,
}

impl Cx<'_> {
    fn range(&self, (start, end): (i32, i32), reserved: bool, path: Vec<i32>) -> Range {
        let at = self
            .locations
            .span(self.text, &path)
            .map_or(usize::MAX, |s| s.start);
        Range {
            start,
            end,
            reserved,
            path,
            at,
        }
    }

    fn push(
        &mut self,
        path: &[i32],
        message: String,
        label: &str,
        help: String,
        related: Option<(&[i32], &str)>,
    ) {
        let related = related
            .and_then(|(path, text)| {
                Some(Label {
                    span: self.locations.span(self.text, path)?,
                    text: text.to_owned(),
                })
            })
            .into_iter()
            .collect();
        let span = self.locations.span_or_parent(self.text, path);
        let mut finding = file_finding(self.file, span, message, Some(help));
        finding.label = Some(label.to_owned());
        finding.related = related;
        self.out.push(finding);
    }

    fn message(&mut self, message: &DescriptorProto, path: &mut Vec<i32>) {
        for (i, field) in message.field.iter().enumerate() {
            if let Some(r) = message.reserved_name.iter().position(|n| n == field.name()) {
                let at = [&path[..], &[p::MESSAGE_FIELD, i as i32, p::NAME]].concat();
                let reserved = [&path[..], &[p::MESSAGE_RESERVED_NAME, r as i32]].concat();
                self.reserved_name(
                    &at,
                    &reserved,
                    format!(
                        "field name `{}` is reserved in message `{}`",
                        field.name(),
                        message.name()
                    ),
                );
            }
        }
        // Message ranges are stored with an exclusive end.
        let reserved = message.reserved_range.iter().enumerate().map(|(i, r)| {
            let at = [&path[..], &[p::MESSAGE_RESERVED_RANGE, i as i32]].concat();
            self.range((r.start(), r.end().saturating_sub(1)), true, at)
        });
        let extensions = message.extension_range.iter().enumerate().map(|(i, r)| {
            let at = [&path[..], &[p::MESSAGE_EXTENSION_RANGE, i as i32]].concat();
            self.range((r.start(), r.end().saturating_sub(1)), false, at)
        });
        let ranges = reserved.chain(extensions).collect();
        self.overlaps(ranges, MAX_FIELD);
        for (i, nested) in message.nested_type.iter().enumerate() {
            path.extend([p::MESSAGE_NESTED, i as i32]);
            self.message(nested, path);
            path.truncate(path.len() - 2);
        }
        for (i, en) in message.enum_type.iter().enumerate() {
            self.enumeration(en, &[&path[..], &[p::MESSAGE_ENUM, i as i32]].concat());
        }
    }

    fn enumeration(&mut self, en: &EnumDescriptorProto, path: &[i32]) {
        for (i, value) in en.value.iter().enumerate() {
            if let Some(r) = en.reserved_name.iter().position(|n| n == value.name()) {
                let at = [path, &[p::ENUM_VALUE, i as i32, p::NAME]].concat();
                let reserved = [path, &[p::ENUM_RESERVED_NAME, r as i32]].concat();
                self.reserved_name(
                    &at,
                    &reserved,
                    format!(
                        "enum value name `{}` is reserved in enum `{}`",
                        value.name(),
                        en.name()
                    ),
                );
            }
        }
        let reserved = en.reserved_range.iter().enumerate().map(|(i, r)| {
            let at = [path, &[p::ENUM_RESERVED_RANGE, i as i32]].concat();
            self.range((r.start(), r.end()), true, at)
        });
        let ranges = reserved.collect();
        self.overlaps(ranges, i32::MAX);

        let options = en
            .options
            .as_ref()
            .map(|o| o.uninterpreted_option.as_slice());
        let Some(at) = options.and_then(|o| o.iter().rposition(is_allow_alias)) else {
            return;
        };
        let option = &options.unwrap_or_default()[at];
        let option_path = [path, &[p::ENUM_OPTIONS, p::UNINTERPRETED_OPTION, at as i32]].concat();
        match option.identifier_value() {
            "false" => self.push(
                &option_path,
                format!(
                    "`option allow_alias = false;` in enum `{}` has no effect",
                    en.name()
                ),
                "has no effect",
                "remove the option: enums reject aliases unless they allow them".into(),
                None,
            ),
            "true" => {
                let mut numbers: Vec<i32> = en.value.iter().map(|v| v.number()).collect();
                numbers.sort_unstable();
                if numbers.windows(2).all(|w| w[0] != w[1]) {
                    self.push(
                        &option_path,
                        format!(
                            "enum `{}` allows aliases but no two of its values share a number",
                            en.name()
                        ),
                        "no value is an alias",
                        "remove `option allow_alias = true;`".into(),
                        None,
                    );
                }
            }
            _ => {}
        }
    }

    fn reserved_name(&mut self, at: &[i32], reserved: &[i32], message: String) {
        self.push(
            at,
            message,
            "uses a reserved name",
            "pick another name; a reserved name must never be used again".into(),
            Some((reserved, "reserved here")),
        );
    }

    /// Ranges that share a number, each pair once, reported at the one declared later. Sorted
    /// by start, so linear in the number of ranges after the sort, never in their width.
    fn overlaps(&mut self, mut ranges: Vec<Range>, max: i32) {
        if ranges.len() < 2 {
            return;
        }
        ranges.sort_by_key(|r| (r.start, r.at));
        // The range reaching furthest among those seen.
        let mut reach = 0;
        for i in 1..ranges.len() {
            let (earlier, later) = if ranges[reach].at < ranges[i].at {
                (&ranges[reach], &ranges[i])
            } else {
                (&ranges[i], &ranges[reach])
            };
            if ranges[i].start <= ranges[reach].end {
                let shown = |r: &Range| match (r.start, r.end) {
                    (s, e) if s == e => format!("{s}"),
                    (s, e) if e == max => format!("{s} to max"),
                    (s, e) => format!("{s} to {e}"),
                };
                let kind = |r: &Range| if r.reserved { "reserved" } else { "extension" };
                let message = format!(
                    "{} range {} overlaps {} range {}",
                    kind(later),
                    shown(later),
                    kind(earlier),
                    shown(earlier)
                );
                let (later_path, earlier_path) = (later.path.clone(), earlier.path.clone());
                let help = if earlier.reserved == later.reserved {
                    "merge the ranges or make them disjoint: a number may be in one range only"
                } else {
                    "an extension number cannot be reserved: make the ranges disjoint"
                };
                self.push(
                    &later_path,
                    message,
                    "overlaps an earlier range",
                    help.into(),
                    Some((&earlier_path, "the earlier range")),
                );
            }
            if ranges[i].end > ranges[reach].end {
                reach = i;
            }
        }
    }
}

fn is_allow_alias(option: &UninterpretedOption) -> bool {
    matches!(option.name.as_slice(), [NamePart { name_part, is_extension: false }] if name_part == "allow_alias")
}
