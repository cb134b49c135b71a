//! The intermediate form: what the spec means, with every name already chosen.
//!
//! Analysis builds it from the OpenAPI model and checks everything it can; the
//! emitters only render it. Nothing here refers back to `openapiv3`, and every
//! collection is a `Vec` in a deterministic order (spec order, then discovery
//! order), so the output never depends on hash order.

use crate::pointer::Pointer;

/// The whole API.
#[derive(Clone, Debug)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// The first server's URL, with server variables at their defaults; none
    /// when the spec names no server or a relative one.
    pub base_url: Option<String>,
    /// The first server's URL template when it is absolute and has
    /// variables, which the client builder can set.
    pub server: Option<ServerTemplate>,
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    /// Security schemes the client can apply, in `components.securitySchemes` order.
    pub auth: Vec<Auth>,
    /// The optional crates the generated code needs.
    pub dependencies: Dependencies,
    /// The optional parts of the runtime and of the `Error` type the crate gets.
    pub features: Features,
    /// One per documented error status across all operations, in status order.
    pub errors: Vec<ErrorVariant>,
    /// The spec's JSON examples, each a test of the generated crate's types.
    pub examples: Vec<ExampleTest>,
    /// Properties marked `x-download-link`, in document order.
    pub download_links: Vec<DownloadLink>,
}

/// A string property whose value is a link that carries its own
/// authorization (`x-download-link`): the client downloads it with no
/// credentials of its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DownloadLink {
    /// The struct that holds it.
    pub type_name: String,
    /// Rust name of the field.
    pub field: String,
    /// Its name on the wire.
    pub wire: String,
    /// Where the property is in the spec.
    pub origin: Pointer,
    /// What the file is, when the spec says (`application/zip`).
    pub media_type: Option<String>,
}

/// A server URL with `{variables}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerTemplate {
    /// The URL as the spec writes it, without a trailing `/`.
    pub url: String,
    pub variables: Vec<ServerVariable>,
}

/// The server an operation names for itself when it is not the document's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperationServer {
    /// Its URL with variables at their defaults: absolute, or relative to the
    /// client's base URL. No trailing `/`.
    pub url: String,
    /// The URL template when it has variables, which the operation's request
    /// builder can set.
    pub template: Option<ServerTemplate>,
}

/// A server variable: a builder's setter (the `ClientBuilder`'s for the
/// document's server, the request builder's for an operation's) and the
/// value it defaults to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerVariable {
    /// Rust name of the builder's setter (and field), unique among its methods.
    pub name: String,
    /// The name in the URL template.
    pub wire: String,
    pub default: String,
    pub description: Option<String>,
    /// The values it may take (`enum`), as a closed Rust enum.
    pub values: Option<ServerEnum>,
}

/// The enum of a server variable's values, in the `client` module (the
/// document's server) or the `builders` module (an operation's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerEnum {
    /// Rust name, unique in the `client` module.
    pub name: String,
    /// Rust variant names with their values, in spec order.
    pub variants: Vec<(String, String)>,
    /// Index of the default's variant.
    pub default: usize,
}

/// A JSON example from the spec that the generated crate must decode.
#[derive(Clone, Debug)]
pub struct ExampleTest {
    /// Rust name of the test function (unique among the crate's tests).
    pub name: String,
    /// Where the example is in the spec.
    pub origin: Pointer,
    /// The type it must decode as.
    pub ty: TypeRef,
    pub json: serde_json::Value,
}

/// One documented error status (or range, or `default`) across all operations.
#[derive(Clone, Debug)]
pub struct ErrorVariant {
    pub status: StatusKey,
    /// Variant of `Error`.
    pub name: String,
    /// The struct the variant holds: named after the variant, or shared by
    /// every status whose body and headers are the same.
    pub payload: String,
    /// The payload's body: one type, or an enum when operations disagree.
    pub body: ErrorBody,
    /// Headers documented for this status by any operation.
    pub headers: Vec<ErrorHeader>,
    pub docs: Docs,
}

impl ErrorVariant {
    /// Whether the payload struct is shared with other statuses.
    pub fn is_shared(&self) -> bool {
        self.payload != self.name
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ErrorBody {
    None,
    One(BodyKind),
    /// Operations give this status different bodies: an enum named `name`.
    Several {
        name: String,
        kinds: Vec<ErrorBodyKind>,
    },
}

impl ErrorBody {
    /// The variant of a `Several` body that holds `kind`.
    pub fn variant_for(&self, kind: &BodyKind) -> Option<&str> {
        match self {
            ErrorBody::Several { kinds, .. } => kinds.iter().find(|k| k.kind == *kind).map(|k| k.name.as_str()),
            _ => None,
        }
    }
}

/// One of the bodies operations give an error status: its variant's name.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorBodyKind {
    pub name: String,
    pub kind: BodyKind,
}

/// A header an error status documents: the payload's field for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorHeader {
    /// Rust name of the field.
    pub name: String,
    pub wire: String,
    /// The type it is read as.
    pub ty: TypeRef,
}

/// The optional crates a generated crate depends on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dependencies {
    /// Dates or timestamps appear in types, parameters or filters.
    pub chrono: bool,
    pub uuid: UuidUse,
    /// Long-running operations: their `Poller` is a `futures_core::Stream`.
    pub futures_core: bool,
}

/// What the spec uses that brings optional parts of the runtime and of the
/// `Error` type into a crate (decided once, in `analyse/decide.rs`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Features {
    /// Security schemes: the client holds secrets.
    pub credentials: bool,
    /// A bearer scheme: tokens, token providers, `Error::Token`.
    pub bearer: bool,
    /// Long-running operations: `Polling`, `Poller`, `WaitError`.
    pub long_running: bool,
    /// Paged operations: `Pager`, `Error::Paging`.
    pub paging: bool,
    /// Download links: `Download`, `Error::Download`.
    pub download: bool,
    /// Operations with servers of their own: `ignore_operation_servers`.
    pub operation_servers: bool,
    /// Operations with security requirements: `builders.rs` imports `Auth`.
    pub secured_operations: bool,
    /// Something the spec deprecates: the modules that use it allow that.
    pub deprecated: bool,
}

/// Why a generated crate needs `uuid`, which decides its features.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UuidUse {
    #[default]
    None,
    /// UUIDs appear in types or parameters.
    Types,
    /// The client also makes up UUIDs (`x-client-generated`).
    Generated,
}

/// A field of an error body that summarises it in one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryField {
    /// Rust name of the field.
    pub name: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
}

/// Documentation taken from the spec.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Docs {
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
}

/// A named Rust type emitted into the client's `types` module.
#[derive(Clone, Debug)]
pub struct TypeDef {
    /// Rust name, unique among all emitted items.
    pub name: String,
    /// Where the schema is in the spec.
    pub origin: Pointer,
    pub docs: Docs,
    pub kind: TypeKind,
    /// Examples given in the spec for this schema, as JSON.
    pub examples: Vec<serde_json::Value>,
}

#[derive(Clone, Debug)]
pub enum TypeKind {
    Struct(Struct),
    Enum(Enum),
    Union(Union),
    /// A named schema that is just another type (`type X = Vec<Y>;`).
    Alias(TypeRef),
    /// Like an alias, but a struct of its own (`struct X(Vec<X>);`), for
    /// schemas that contain themselves, which a type alias cannot.
    Newtype(TypeRef),
}

#[derive(Clone, Debug)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// `additionalProperties`: extra keys kept in a map beside the fields.
    pub additional: Option<Additional>,
    /// The fields that summarise a value in one line (a code, then a
    /// message), for error bodies; decided in `analyse/decide.rs`.
    pub summary: Vec<SummaryField>,
}

/// The map of properties beyond the named ones.
#[derive(Clone, Debug)]
pub struct Additional {
    /// Rust name of the map field (unique among the struct's fields).
    pub field: String,
    /// The type of each extra property's value.
    pub ty: TypeRef,
}

#[derive(Clone, Debug)]
pub struct Field {
    /// Rust name (snake_case, unique in the struct).
    pub name: String,
    /// Name on the wire, exactly as in the spec.
    pub wire: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    pub read_only: bool,
    pub docs: Docs,
    /// Set when the field's type contains the struct itself, so it must be boxed.
    pub boxed: bool,
    /// The value's own fields sit beside the others on the wire (`#[serde(flatten)]`).
    pub flatten: bool,
    /// The schema's `default`, which the server assumes when the field is absent.
    pub default: Option<serde_json::Value>,
}

impl Field {
    /// Whether the generated field is an `Option`: not required (a read-only
    /// field counts as not required, since requests cannot supply it), or
    /// nullable.
    pub fn optional(&self) -> bool {
        !self.required || self.read_only || self.nullable
    }
}

/// An enum of string or integer values. Always open: values the spec does not
/// list are kept, not rejected.
#[derive(Clone, Debug)]
pub struct Enum {
    pub repr: EnumRepr,
    pub variants: Vec<EnumVariant>,
    /// Index of the variant the schema's `default` names, if any.
    pub default: Option<usize>,
    /// The variant that keeps a value the spec does not list.
    pub unknown: String,
    /// Whether a received string value is matched to a variant ignoring ASCII
    /// case (`completed` is `Completed`): true for string enums whose values
    /// stay distinct that way, so the match is never ambiguous.
    pub ignore_case: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnumRepr {
    String,
    Integer,
}

#[derive(Clone, Debug)]
pub struct EnumVariant {
    /// Rust name (UpperCamelCase, unique in the enum).
    pub name: String,
    /// The value on the wire: a string, or an integer written in decimal.
    pub wire: String,
    pub docs: Docs,
}

/// `oneOf` / `anyOf`.
#[derive(Clone, Debug)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    /// The property whose value says which variant a value is, when given.
    pub discriminator: Option<String>,
    /// The variant that keeps a value of none of the known variants.
    pub unknown: String,
}

#[derive(Clone, Debug)]
pub struct UnionVariant {
    pub name: String,
    pub ty: TypeRef,
    /// Discriminator values that select this variant.
    pub tags: Vec<String>,
    pub boxed: bool,
}

/// The type behind any aliases, looking named types up with `lookup`.
/// Chains longer than 64 (a generator bug; analysis rejects cycles) stop.
pub fn resolve_aliases<'t>(ty: &'t TypeRef, lookup: impl Fn(&str) -> Option<&'t TypeDef>) -> &'t TypeRef {
    let mut current = ty;
    for _ in 0..64 {
        match current {
            TypeRef::Named(name) => match lookup(name).map(|def| &def.kind) {
                Some(TypeKind::Alias(inner)) => current = inner,
                _ => return current,
            },
            _ => return current,
        }
    }
    current
}

/// A use of a type.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    Date,
    DateTime,
    Uuid,
    /// `format: byte`: base64 text on the wire.
    Base64,
    /// `format: binary` (and non-JSON bodies): raw bytes.
    Binary,
    Uri,
    /// Any JSON value.
    Json,
    Named(String),
    Vec(Box<TypeRef>),
    Map(Box<TypeRef>),
    /// A value that may be `null`.
    Option(Box<TypeRef>),
}

/// An HTTP operation.
#[derive(Clone, Debug)]
pub struct Operation {
    /// Rust method name (snake_case, unique among the client's methods).
    pub name: String,
    /// The operation's Rust type-name stem (UpperCamelCase), for builders.
    pub type_name: String,
    /// Name of the enum of its successful responses, when they differ in type.
    pub response_enum: String,
    /// Name of the struct of the headers its successful responses document,
    /// when they document any.
    pub headers_type: String,
    pub operation_id: Option<String>,
    pub method: Method,
    /// The path template as written in the spec, e.g. `/pets/{petId}`.
    pub path: String,
    pub path_parts: Vec<PathPart>,
    /// The operation's own server (its or its path's `servers`, the first)
    /// when it differs from the document's.
    pub server: Option<OperationServer>,
    pub origin: Pointer,
    pub docs: Docs,
    pub params: Vec<Param>,
    pub body: Option<RequestBody>,
    pub responses: Vec<Response>,
    /// The credentials this operation accepts (its `security`, or the document's).
    pub security: Security,
    /// `x-long-running-operation`: how to wait for the work this operation starts.
    pub long_running: Option<LongRunning>,
    /// `x-ms-pageable`: the response is one page of a list linked to the next.
    pub paging: Option<Paging>,
    /// What `send` decodes and returns (decided in `analyse/decide.rs`).
    pub success: Success,
}

/// The successful responses of an operation, as its client method sees them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Success {
    /// The statuses `send` decodes: the documented 2xx ones, or `default`
    /// when no 2xx status is documented.
    pub statuses: Vec<StatusKey>,
    pub shape: SuccessShape,
    /// The `Accept` header when it is not the client's default
    /// (`application/json`): the media types of those responses.
    pub accept: Option<String>,
    /// The headers those responses document, each once (by name, ignoring
    /// case): typed fields of the `Operation::headers_type` struct that
    /// `send_with_response` returns beside the body.
    pub headers: Vec<SuccessHeader>,
}

/// A documented header of a successful response, read when present and valid.
#[derive(Clone, Debug, PartialEq)]
pub struct SuccessHeader {
    /// Field name (snake_case, unique in the struct).
    pub field: String,
    pub wire: String,
    /// The type it is read as (see `ResponseHeader::read_as`).
    pub read_as: TypeRef,
    pub docs: Docs,
}

/// What `send` returns.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum SuccessShape {
    /// No success is documented: `()`.
    #[default]
    Unit,
    /// Every success has this body.
    One(BodyKind),
    /// Successes differ: the enum named `Operation::response_enum`, a variant
    /// (named here) per status.
    Several(Vec<SuccessVariant>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct SuccessVariant {
    pub status: StatusKey,
    pub name: String,
}

impl Operation {
    /// Whether a retry cannot repeat a side effect: the method is idempotent,
    /// or the operation carries a per-call idempotency key.
    pub fn retry_safe(&self) -> bool {
        !matches!(self.method, Method::Post | Method::Patch)
            || self.params.iter().any(|p| p.generated == Some(Generated::PerCall))
    }
}

/// A position in `Api::operations`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OperationIndex(pub usize);

/// A position in one operation's `params`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ParamIndex(pub usize);

impl Api {
    /// The operation at `index` (analysis only makes indices that exist,
    /// and `analyse::invariants` checks them).
    pub fn operation(&self, index: OperationIndex) -> Option<&Operation> {
        self.operations.get(index.0)
    }
}

impl Operation {
    /// The parameter at `index`.
    pub fn param(&self, index: ParamIndex) -> Option<&Param> {
        self.params.get(index.0)
    }
}

/// A field of the resource a long-running operation tracks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceField {
    /// Rust name of the field.
    pub name: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
}

/// The field that holds the outcome of a long-running operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultField {
    pub name: String,
    pub optional: bool,
    /// Whether it is text (a `String`), which examples can print.
    pub text: bool,
}

/// Following a paged operation's next links (`x-ms-pageable`).
#[derive(Clone, Debug, PartialEq)]
pub struct Paging {
    /// The page: the successful response's type, a struct.
    pub page_type: TypeRef,
    /// The page's field holding its items (and its name on the wire), and
    /// whether it is an `Option`.
    pub items_field: String,
    pub items_wire: String,
    pub items_optional: bool,
    pub item_type: TypeRef,
    /// The page's field holding the next page's link (and its name on the
    /// wire), and whether it is an `Option` (absent or `null` ends the list).
    pub next_link_field: String,
    pub next_link_wire: String,
    pub next_link_optional: bool,
    /// `nextLinkVerb: POST`: a next page is requested like the first (its
    /// method and body) on the link; otherwise with a `GET` on the link.
    pub next_link_post: bool,
}

/// Polling for the outcome of a long-running operation.
#[derive(Clone, Debug)]
pub struct LongRunning {
    /// The status operation.
    pub status_operation: OperationIndex,
    /// Client methods that wait (`wait_for_*`, public) and make a `Poller`,
    /// and the function that takes the resource out of a body: unique client
    /// names.
    pub wait_method: String,
    pub poll_method: String,
    pub resource_fn: String,
    /// Steps from a 2xx body (of both operations) to the tracked resource.
    pub resource: Vec<ResourceStep>,
    /// The pointer those steps came from, for messages.
    pub resource_pointer: String,
    pub resource_type: TypeRef,
    /// Field of the resource holding its id.
    pub id_field: ResourceField,
    /// The status operation's parameter that takes the id.
    pub id_param: ParamIndex,
    /// Field of the resource holding its state.
    pub status_field: ResourceField,
    /// Whether that state is a plain `String` (otherwise a string enum, read
    /// with `as_str`).
    pub status_is_string: bool,
    /// Field holding the outcome once the work succeeds (`resultProperty`).
    pub result_field: Option<ResultField>,
    pub success_states: Vec<String>,
    pub failure_states: Vec<String>,
    pub poll_interval_seconds: u64,
}

/// One step of a JSON pointer, resolved against the generated types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResourceStep {
    /// A struct field (Rust name), and whether it is an `Option`.
    Field { name: String, optional: bool },
    /// An element of a `Vec`.
    Index(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathPart {
    Literal(String),
    /// Index into `Operation::params`.
    Param(ParamIndex),
}

#[derive(Clone, Debug)]
pub struct Param {
    /// Rust name (snake_case, unique among the operation's parameters).
    pub name: String,
    pub wire: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    /// How the value is written (`style`), decided in analysis from the
    /// spec or the location's default.
    pub style: ParamStyle,
    /// `explode`: lists and objects as one pair (or segment) per item.
    pub explode: bool,
    /// `allowReserved` (query only): reserved characters are not escaped.
    pub allow_reserved: bool,
    pub docs: Docs,
    pub default: Option<serde_json::Value>,
    /// The `x-odata-filter` description of a filter parameter.
    pub filter: Option<Filter>,
    /// `x-client-generated`: the client fills in a UUID when the caller gives none.
    pub generated: Option<Generated>,
}

/// A parameter's `style`, as OpenAPI 3.0 allows it in the parameter's location.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamStyle {
    /// Query and cookie (their default).
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
    /// Path and header (their default).
    Simple,
    Label,
    Matrix,
    /// `content` instead of `schema`: the value serialized as JSON, one text.
    Content,
}

/// When the client makes up a parameter's value (`x-client-generated`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Generated {
    /// A fresh UUID for every HTTP attempt, retries included.
    PerAttempt,
    /// One UUID per logical call, repeated on its retries (an idempotency key).
    PerCall,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    /// Sent as `name=value` in the `Cookie` header.
    Cookie,
}

#[derive(Clone, Debug)]
pub struct RequestBody {
    pub required: bool,
    pub media_type: String,
    pub kind: BodyKind,
    pub docs: Docs,
    /// How a form body's properties are written (the media type's `encoding`).
    pub encoding: FormEncoding,
}

/// How the properties of a `BodyKind::Form` body go on the wire.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum FormEncoding {
    /// Not a form body.
    #[default]
    None,
    /// `application/x-www-form-urlencoded`: the properties the `encoding`
    /// object gives a style (the others are `form`, exploded).
    UrlEncoded(Vec<FieldStyle>),
    /// `multipart/form-data`: every property the schema declares, with its
    /// part's content type.
    Multipart(Vec<PartEncoding>),
}

/// A urlencoded property written in a style of its own.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldStyle {
    pub wire: String,
    pub style: ParamStyle,
    pub explode: bool,
    pub allow_reserved: bool,
}

/// A multipart property's part.
#[derive(Clone, Debug, PartialEq)]
pub struct PartEncoding {
    pub wire: String,
    /// `encoding.<name>.contentType`, or OpenAPI 3.0's default for the
    /// property's schema: `application/octet-stream` for binary, `text/plain`
    /// for other primitives, `application/json` for objects (a list's items decide).
    pub content_type: String,
    /// `format: binary` (or a list of it): a file, sent with a file name.
    pub file: bool,
    /// The property is a list: a part per item.
    pub list: bool,
}

/// How a body is encoded.
#[derive(Clone, Debug, PartialEq)]
pub enum BodyKind {
    Json(TypeRef),
    /// `application/x-www-form-urlencoded` of an object type.
    Form(TypeRef),
    Text,
    Bytes,
    Empty,
}

#[derive(Clone, Debug)]
pub struct Response {
    pub status: StatusKey,
    pub docs: Docs,
    /// The media type `body` is read as.
    pub media_type: Option<String>,
    /// Every media type of the response that is read the same way (JSON ones
    /// for a JSON body, `text/*` for text, the others for bytes): what the
    /// `Accept` header offers.
    pub accepts: Vec<String>,
    pub body: BodyKind,
    pub headers: Vec<ResponseHeader>,
    pub examples: Vec<serde_json::Value>,
    pub origin: Pointer,
}

/// Which statuses a response in the spec stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatusKey {
    Code(u16),
    /// `1XX`..`5XX`: the first digit.
    Range(u16),
    Default,
}

/// The reason phrase of a status code, where HTTP names one.
pub fn reason_phrase(code: u16) -> Option<&'static str> {
    Some(match code {
        100 => "Continue",
        101 => "Switching Protocols",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Payload Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        417 => "Expectation Failed",
        422 => "Unprocessable Entity",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        507 => "Insufficient Storage",
        511 => "Network Authentication Required",
        _ => return None,
    })
}

impl StatusKey {
    pub fn is_success(self) -> bool {
        match self {
            StatusKey::Code(code) => (200..300).contains(&code),
            StatusKey::Range(class) => class == 2,
            StatusKey::Default => false,
        }
    }
}

#[derive(Clone, Debug)]
pub struct ResponseHeader {
    pub name: String,
    pub wire: String,
    pub ty: TypeRef,
    /// The type the client reads it as: `ty` when that parses from text,
    /// otherwise `String`.
    pub read_as: TypeRef,
    pub required: bool,
    pub docs: Docs,
}

/// A position in `Api::auth`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AuthIndex(pub usize);

/// An operation's security: alternatives (OR) in the spec's order, each a
/// set of schemes sent together (AND).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Security {
    /// Never empty requirements, without repeats; `{}` is `anonymous`.
    pub requirements: Vec<Requirement>,
    /// The operation may be called without credentials: the spec lists `{}`,
    /// gives `security: []`, or names no security at all. The client still
    /// sends the first requirement it holds; anonymous is the last resort.
    pub anonymous: bool,
}

/// One security requirement object: schemes that must all be sent together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    /// In the spec's order, each once.
    pub schemes: Vec<AuthIndex>,
}

/// A security scheme the client can apply, with the names it has in the client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Auth {
    pub scheme: AuthScheme,
    /// Variant of the client's private `Auth` enum naming the scheme.
    pub variant: String,
    /// Field of the client's credentials, and the `ClientBuilder` method that sets it.
    pub field: String,
}

impl Api {
    /// The scheme at `index`.
    pub fn auth(&self, index: AuthIndex) -> Option<&Auth> {
        self.auth.get(index.0)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthScheme {
    Bearer { key: String, docs: Docs },
    Basic { key: String, docs: Docs },
    ApiKey { key: String, name: String, location: ApiKeyLocation, docs: Docs },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
}

/// An OData `$filter` grammar described by the `x-odata-filter` extension.
#[derive(Clone, Debug, PartialEq)]
pub struct Filter {
    /// The module its types are emitted in: `filter`, then `filter_2`, ...,
    /// one per distinct grammar (parameters with equal fields share one).
    pub module: String,
    pub fields: Vec<FilterField>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FilterField {
    /// Rust name of the field's constructor function (snake_case).
    pub name: String,
    /// Rust name of the field's type (UpperCamelCase, unique in its module).
    pub type_name: String,
    pub wire: String,
    pub ty: FilterType,
    pub operators: Vec<FilterOperator>,
    pub description: Option<String>,
    pub known_values: Vec<KnownValue>,
}

/// A value a string filter field is known to take, with the name of its
/// associated constant (unique among the field's constants).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownValue {
    pub value: String,
    pub constant: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterType {
    String,
    Integer,
    Number,
    Boolean,
    Date,
    DateTime,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FilterOperator {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl FilterOperator {
    pub const ALL: [FilterOperator; 6] = [
        FilterOperator::Eq,
        FilterOperator::Ne,
        FilterOperator::Lt,
        FilterOperator::Le,
        FilterOperator::Gt,
        FilterOperator::Ge,
    ];

    pub fn keyword(self) -> &'static str {
        match self {
            FilterOperator::Eq => "eq",
            FilterOperator::Ne => "ne",
            FilterOperator::Lt => "lt",
            FilterOperator::Le => "le",
            FilterOperator::Gt => "gt",
            FilterOperator::Ge => "ge",
        }
    }
}
