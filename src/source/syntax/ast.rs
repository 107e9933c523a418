//! The syntax tree: every declaration of a file in source order, with byte spans. Statements also
//! keep the indexes of their first token and of the token their trailing comment follows, so
//! that comments are read off the token stream (`comments.rs`) only when asked for.

use std::borrow::Cow;

/// A byte range of the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: u32, end: u32) -> Span {
        Span { start, end }
    }

    /// From the start of `self` to the end of `other`.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start, other.end)
    }
}

/// Where a statement is: its span, its first token and the token its trailing comment follows
/// (`;` for most statements, `{` for blocks, the closing `}` of an rpc with a body).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Meta {
    pub span: Span,
    pub first: u32,
    pub trailing_after: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ident<'a> {
    pub name: &'a str,
    pub span: Span,
}

/// A (possibly qualified, possibly fully-qualified) name: `Foo`, `a.b.Foo`, `.a.b.Foo`.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeName<'a> {
    pub name: Cow<'a, str>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Syntax<'a> {
    Proto2,
    Proto3,
    /// `edition = "2023";`: the edition as written.
    Edition(&'a str),
}

#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxDecl<'a> {
    pub syntax: Syntax<'a>,
    pub value_span: Span,
    /// Whether the keyword was `edition` (an unknown edition keeps this true).
    pub is_edition: bool,
    pub meta: Meta,
}

#[derive(Debug, Clone, PartialEq)]
pub struct File<'a> {
    pub syntax: Option<SyntaxDecl<'a>>,
    pub items: Vec<FileItem<'a>>,
    /// From the first statement's first token to the last statement's end.
    pub span: Option<Span>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FileItem<'a> {
    Package(Package<'a>),
    Import(Import),
    Option(OptionStmt<'a>),
    Message(Message<'a>),
    Enum(Enum<'a>),
    Service(Service<'a>),
    Extend(Extend<'a>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Package<'a> {
    pub name: TypeName<'a>,
    pub meta: Meta,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Public,
    Weak,
    /// Edition 2024's `import option "x.proto";`: only for options.
    Option,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    pub kind: Option<(ImportKind, Span)>,
    pub path: String,
    pub path_span: Span,
    pub meta: Meta,
}

/// Edition 2024's `export` / `local` before a message or enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    Export,
    Local,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Message<'a> {
    pub visibility: Option<(Visibility, Span)>,
    pub name: Ident<'a>,
    pub body: Vec<MessageItem<'a>>,
    pub meta: Meta,
}

#[derive(Debug, Clone, PartialEq)]
pub enum MessageItem<'a> {
    Field(Field<'a>),
    Message(Message<'a>),
    Enum(Enum<'a>),
    Extend(Extend<'a>),
    Oneof(Oneof<'a>),
    Option(OptionStmt<'a>),
    Reserved(Reserved<'a>),
    Extensions(Extensions<'a>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Optional,
    Required,
    Repeated,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    Double,
    Float,
    Int32,
    Int64,
    Uint32,
    Uint64,
    Sint32,
    Sint64,
    Fixed32,
    Fixed64,
    Sfixed32,
    Sfixed64,
    Bool,
    String,
    Bytes,
}

impl Scalar {
    pub fn from_name(name: &str) -> Option<Scalar> {
        Some(match name {
            "double" => Scalar::Double,
            "float" => Scalar::Float,
            "int32" => Scalar::Int32,
            "int64" => Scalar::Int64,
            "uint32" => Scalar::Uint32,
            "uint64" => Scalar::Uint64,
            "sint32" => Scalar::Sint32,
            "sint64" => Scalar::Sint64,
            "fixed32" => Scalar::Fixed32,
            "fixed64" => Scalar::Fixed64,
            "sfixed32" => Scalar::Sfixed32,
            "sfixed64" => Scalar::Sfixed64,
            "bool" => Scalar::Bool,
            "string" => Scalar::String,
            "bytes" => Scalar::Bytes,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum FieldType<'a> {
    Scalar(Scalar),
    Named(TypeName<'a>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind<'a> {
    Normal {
        ty: FieldType<'a>,
        ty_span: Span,
    },
    /// `group Name = N { ... }`; `ty_span` is the `group` keyword.
    Group {
        ty_span: Span,
        body: Vec<MessageItem<'a>>,
    },
    /// `map<K, V>`; `ty_span` covers `map<...>`.
    Map {
        ty_span: Span,
        key: FieldType<'a>,
        key_span: Span,
        value: FieldType<'a>,
        value_span: Span,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field<'a> {
    pub label: Option<(Label, Span)>,
    pub kind: FieldKind<'a>,
    pub name: Ident<'a>,
    pub number: Int,
    pub options: Option<OptionList<'a>>,
    pub meta: Meta,
}

/// An integer as written: sign, magnitude (`None` past 64 bits), span (sign included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Int {
    pub negative: bool,
    pub value: Option<u64>,
    pub span: Span,
}

impl Int {
    pub fn as_i32(&self) -> Option<i32> {
        let v = self.value?;
        if self.negative {
            i32::try_from(-i64::try_from(v).ok()?).ok()
        } else {
            i32::try_from(v).ok()
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        let v = self.value?;
        if self.negative {
            if v == 1 << 63 {
                Some(i64::MIN)
            } else {
                Some(-i64::try_from(v).ok()?)
            }
        } else {
            i64::try_from(v).ok()
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        if self.negative { None } else { self.value }
    }

    pub fn as_u32(&self) -> Option<u32> {
        u32::try_from(self.as_u64()?).ok()
    }
}

impl std::fmt::Display for Int {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.negative { "-" } else { "" };
        match self.value {
            Some(v) => write!(f, "{sign}{v}"),
            None => write!(f, "{sign}(too large)"),
        }
    }
}

/// `[a = 1, (b).c = "x"]`
#[derive(Debug, Clone, PartialEq)]
pub struct OptionList<'a> {
    pub span: Span,
    pub options: Vec<OptionBody<'a>>,
}

/// `name = value`, without `option` and `;`.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionBody<'a> {
    pub name: Vec<OptionNamePart<'a>>,
    pub value: OptionValue<'a>,
    /// From the name's start to the value's end.
    pub span: Span,
}

impl OptionBody<'_> {
    /// Whether the name is the single plain identifier `name` (`default`, `json_name`).
    pub fn is_named(&self, name: &str) -> bool {
        matches!(self.name.as_slice(), [OptionNamePart::Ident(i)] if i.name == name)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum OptionNamePart<'a> {
    Ident(Ident<'a>),
    /// `(foo.bar)`; the span includes the parentheses.
    Extension(TypeName<'a>, Span),
}

#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue<'a> {
    Ident {
        negative: bool,
        name: &'a str,
        span: Span,
    },
    Int(Int),
    Float {
        value: f64,
        span: Span,
    },
    String {
        value: Vec<u8>,
        span: Span,
    },
    /// `{ ... }` in text format, as protoc stores it: its tokens joined by spaces.
    Aggregate {
        text: String,
        span: Span,
    },
}

impl OptionValue<'_> {
    pub fn span(&self) -> Span {
        match self {
            OptionValue::Ident { span, .. }
            | OptionValue::Float { span, .. }
            | OptionValue::String { span, .. }
            | OptionValue::Aggregate { span, .. } => *span,
            OptionValue::Int(int) => int.span,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct OptionStmt<'a> {
    pub body: OptionBody<'a>,
    pub meta: Meta,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeEnd {
    /// A single number.
    None,
    Int(Int),
    /// `to max`, with the span of `max`.
    Max(Span),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub start: Int,
    pub end: RangeEnd,
}

impl Range {
    pub fn end_span(&self) -> Span {
        match self.end {
            RangeEnd::None => self.start.span,
            RangeEnd::Int(i) => i.span,
            RangeEnd::Max(s) => s,
        }
    }

    pub fn span(&self) -> Span {
        self.start.span.to(self.end_span())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ReservedKind<'a> {
    Ranges(Vec<Range>),
    /// `reserved "a", "b";` (proto2/proto3).
    Names(Vec<(String, Span)>),
    /// `reserved a, b;` (editions).
    Idents(Vec<Ident<'a>>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reserved<'a> {
    pub kind: ReservedKind<'a>,
    pub meta: Meta,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Extensions<'a> {
    pub ranges: Vec<Range>,
    pub options: Option<OptionList<'a>>,
    pub meta: Meta,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Oneof<'a> {
    pub name: Ident<'a>,
    pub items: Vec<OneofItem<'a>>,
    pub meta: Meta,
}

#[derive(Debug, Clone, PartialEq)]
pub enum OneofItem<'a> {
    Field(Field<'a>),
    Option(OptionStmt<'a>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Extend<'a> {
    pub extendee: TypeName<'a>,
    pub fields: Vec<Field<'a>>,
    pub meta: Meta,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Enum<'a> {
    pub visibility: Option<(Visibility, Span)>,
    pub name: Ident<'a>,
    pub items: Vec<EnumItem<'a>>,
    pub meta: Meta,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EnumItem<'a> {
    Value(EnumValue<'a>),
    Option(OptionStmt<'a>),
    Reserved(Reserved<'a>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue<'a> {
    pub name: Ident<'a>,
    pub number: Int,
    pub options: Option<OptionList<'a>>,
    pub meta: Meta,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Service<'a> {
    pub name: Ident<'a>,
    pub items: Vec<ServiceItem<'a>>,
    pub meta: Meta,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ServiceItem<'a> {
    Method(Method<'a>),
    Option(OptionStmt<'a>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Method<'a> {
    pub name: Ident<'a>,
    pub client_streaming: Option<Span>,
    pub input: TypeName<'a>,
    pub server_streaming: Option<Span>,
    pub output: TypeName<'a>,
    pub options: Vec<OptionStmt<'a>>,
    pub meta: Meta,
}
