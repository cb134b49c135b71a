//! The spec-independent runtime, `codegen/runtime/src/client/`: real Rust,
//! compiled and tested in that crate, copied into a generated crate whole.
//!
//! Its modules become private modules of the generated `client` module, as
//! files `src/client/<name>.rs` with the text unchanged after the header. Its
//! public types (`public/*.rs`) are placed in the generated `client.rs`
//! itself, so that they keep their `client::Name` paths. A crate gets only
//! the files its spec needs, so nothing in it is unused.

use std::cell::RefCell;
use std::collections::BTreeSet;

use proc_macro2::{TokenStream, TokenTree};
use quote::quote;

use super::ident;
use crate::ir::Features;

/// A module of the runtime: its name, its source, and the items it offers
/// the rest of the generated crate as `crate::client::<item>`.
struct Module {
    name: &'static str,
    source: &'static str,
    exports: &'static [&'static str],
}

/// Every runtime module, by name.
const MODULES: &[Module] = &[
    Module { name: "decode", source: include_str!("../../runtime/src/client/decode.rs"), exports: &["decode_json"] },
    Module {
        name: "encoding",
        source: include_str!("../../runtime/src/client/encoding.rs"),
        exports: &["push_encoded"],
    },
    Module { name: "form", source: include_str!("../../runtime/src/client/form.rs"), exports: &["form_body"] },
    Module { name: "header", source: include_str!("../../runtime/src/client/header.rs"), exports: &["header"] },
    Module {
        name: "integer_enum",
        source: include_str!("../../runtime/src/client/integer_enum.rs"),
        exports: &["integer_enum"],
    },
    Module { name: "json", source: include_str!("../../runtime/src/client/json.rs"), exports: &["json_body"] },
    Module {
        name: "multipart",
        source: include_str!("../../runtime/src/client/multipart.rs"),
        exports: &["PartEncoding", "multipart_body"],
    },
    Module {
        name: "param_text",
        source: include_str!("../../runtime/src/client/param_text.rs"),
        exports: &["text_of"],
    },
    Module { name: "retry", source: include_str!("../../runtime/src/client/retry.rs"), exports: &[] },
    Module { name: "secret", source: include_str!("../../runtime/src/client/secret.rs"), exports: &[] },
    Module {
        name: "send",
        source: include_str!("../../runtime/src/client/send.rs"),
        exports: &["Operation", "Reply", "Request"],
    },
    Module {
        name: "server",
        source: include_str!("../../runtime/src/client/server.rs"),
        exports: &["operation_base", "server_url"],
    },
    Module { name: "status", source: include_str!("../../runtime/src/client/status.rs"), exports: &["unexpected"] },
    Module {
        name: "string_enum",
        source: include_str!("../../runtime/src/client/string_enum.rs"),
        exports: &["string_enum"],
    },
    Module {
        name: "style",
        source: include_str!("../../runtime/src/client/style.rs"),
        exports: &["Style", "push_path"],
    },
    Module {
        name: "summary",
        source: include_str!("../../runtime/src/client/summary.rs"),
        exports: &["write_summary"],
    },
    Module {
        name: "text",
        source: include_str!("../../runtime/src/client/text.rs"),
        exports: &["one_line", "snippet"],
    },
    Module { name: "token", source: include_str!("../../runtime/src/client/token.rs"), exports: &[] },
    Module { name: "transfer", source: include_str!("../../runtime/src/client/transfer.rs"), exports: &[] },
];

/// A [`Tail`] of the runtime file at this path under `codegen/runtime/src/`.
macro_rules! tail {
    ($path:literal) => {
        Tail { name: $path, source: include_str!(concat!("../../runtime/src/", $path)) }
    };
}

const CLIENT_CONFIG: Tail = tail!("client/public/client_config.rs");
const RETRY_POLICY: Tail = tail!("client/public/retry_policy.rs");
const RESPONSE: Tail = tail!("client/public/response.rs");
const TOKEN_PROVIDER: Tail = tail!("client/public/token_provider.rs");
const POLLING: Tail = tail!("client/public/polling.rs");
const PAGER: Tail = tail!("client/public/pager.rs");
const POLLER: Tail = tail!("client/public/poller.rs");
const ERROR_BODY: Tail = tail!("client/public/error_body.rs");
const DOWNLOAD: Tail = tail!("client/public/download.rs");
const BODY_STREAM: Tail = tail!("client/public/body_stream.rs");
const FILE_CONTENT: Tail = tail!("client/public/file_content.rs");
const FAILURES: Tail = tail!("error/failures.rs");
const WAIT_ERROR: Tail = tail!("error/wait_error.rs");
const PAYLOAD: Tail = tail!("error/payload.rs");
const FILTER_EXPRESSION: Tail = tail!("filter/expression.rs");
const STRING_LITERAL: Tail = tail!("filter/string_literal.rs");
const NUMBER_LITERAL: Tail = tail!("filter/number_literal.rs");

/// A runtime file placed, as written, at the end of a generated file: its
/// text is already formatted (by rustfmt, as the runtime crate is), so it is
/// neither re-lexed nor re-printed on every generation.
#[derive(Clone, Copy, Debug)]
pub struct Tail {
    /// The file's path under `codegen/runtime/src/`, for messages.
    pub name: &'static str,
    source: &'static str,
}

impl Tail {
    /// The text copied: the file without its leading `//` note, which speaks
    /// of the runtime file itself (where it is placed, and why).
    pub fn text(&self) -> &'static str {
        let mut rest = self.source;
        while rest.starts_with("//") && !rest.starts_with("///") {
            rest = rest.split_once('\n').map_or("", |(_, after)| after);
        }
        rest.trim_start_matches('\n')
    }
}

/// Every runtime file the client module may end with, those every client
/// has first (the order [`Needs::public_tail`] places them in).
pub fn client_tails() -> [Tail; 11] {
    [
        CLIENT_CONFIG,
        RETRY_POLICY,
        RESPONSE,
        TOKEN_PROVIDER,
        POLLING,
        POLLER,
        PAGER,
        ERROR_BODY,
        DOWNLOAD,
        BODY_STREAM,
        FILE_CONTENT,
    ]
}

/// The runtime's items of the generated `error.rs` (`codegen/runtime/src/error/`):
/// the fixed payloads every crate has, `WaitError` when it has long-running
/// operations, and the `Payload` trait when error payloads are read alike.
pub fn error_tail(polling: bool, payloads: bool) -> Vec<Tail> {
    tail_of(FAILURES, [(polling, WAIT_ERROR), (payloads, PAYLOAD)])
}

/// The runtime's items of a generated filter module
/// (`codegen/runtime/src/filter/`): the expression type every one has, and
/// the literal helpers its fields' types need.
pub fn filter_tail(strings: bool, numbers: bool) -> Vec<Tail> {
    tail_of(FILTER_EXPRESSION, [(strings, STRING_LITERAL), (numbers, NUMBER_LITERAL)])
}

/// A file's tail: the runtime file it always ends with, then each optional
/// one it needs, in this order.
fn tail_of<const N: usize>(always: Tail, optional: [(bool, Tail); N]) -> Vec<Tail> {
    std::iter::once(always).chain(optional.into_iter().filter_map(|(needed, tail)| needed.then_some(tail))).collect()
}

/// What a spec needs of the runtime.
pub struct Needs {
    /// The spec's features that bring runtime files of their own.
    pub features: Features,
    /// The runtime items the rest of the crate names as `client::<item>`.
    pub used: BTreeSet<String>,
}

impl Needs {
    /// The runtime modules the crate gets: those every client uses, those the
    /// spec's features need, and those whose items other modules name.
    fn modules(&self) -> impl Iterator<Item = &'static Module> + '_ {
        MODULES.iter().filter(|module| match module.name {
            "encoding" | "retry" | "send" | "text" => true,
            "secret" => self.features.credentials,
            "token" => self.features.bearer,
            "transfer" => self.features.download,
            // Form and multipart bodies are written by the parameter styles' serde walk.
            "style" => {
                ["Style", "push_path", "form_body", "multipart_body"].iter().any(|item| self.used.contains(*item))
            }
            _ => module.exports.iter().any(|item| self.used.contains(*item)),
        })
    }

    /// `mod` declarations and the re-exports other modules use.
    pub fn declarations(&self) -> TokenStream {
        let modules = self.modules().map(|module| {
            let name = ident(module.name);
            quote!(mod #name;)
        });
        let exports = self.modules().flat_map(|module| {
            let name = ident(module.name);
            module.exports.iter().filter(|item| self.used.contains(**item)).map(move |item| {
                let item = ident(item);
                quote!(pub(crate) use self::#name::#item;)
            })
        });
        quote! {
            #(#modules)*
            #(#exports)*
        }
    }

    /// The public types, which live at the end of `client.rs` itself.
    pub fn public_tail(&self) -> Vec<Tail> {
        let mut sources = vec![CLIENT_CONFIG, RETRY_POLICY, RESPONSE];
        if self.features.bearer {
            sources.push(TOKEN_PROVIDER);
        }
        if self.features.long_running {
            sources.push(POLLING);
            sources.push(POLLER);
        }
        if self.features.paging {
            sources.push(PAGER);
        }
        if self.used.contains("ErrorBody") {
            sources.push(ERROR_BODY);
        }
        if self.features.download {
            sources.push(DOWNLOAD);
        }
        if self.used.contains("BodyStream") {
            sources.push(BODY_STREAM);
        }
        if self.used.contains("FileContent") {
            sources.push(FILE_CONTENT);
        }
        sources
    }

    /// The module files, each `src/client/<name>.rs`, after the header line.
    pub fn files(&self, command: &str) -> Vec<(String, String)> {
        let header = format!("// @generated by `{command}`. Do not edit by hand: change the spec and regenerate.");
        self.modules()
            .map(|module| (format!("src/client/{}.rs", module.name), format!("{header}\n{}", module.source)))
            .collect()
    }
}

/// The runtime modules that define macros, which the crate's modules may
/// invoke (`string_enum!`): their sources.
pub fn macro_sources() -> impl Iterator<Item = &'static str> {
    MODULES.iter().map(|module| module.source).filter(|source| source.contains("macro_rules!"))
}

thread_local! {
    /// What the module being emitted on this thread names ([`item`], [`note`]).
    static NAMED: RefCell<Named> = RefCell::new(Named::default());
}

/// What a module names, noted by the emitters as they write it: the
/// runtime items it reaches as `crate::client::NAME`, and whether its code
/// names the `types` module or the parameter `Style`. Noting costs nothing
/// next to walking every token of the module afterwards ([`client_paths`],
/// which debug builds still do, to check the notes: [`check_named`]).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Named {
    pub items: BTreeSet<&'static str>,
    pub types: bool,
    pub style: bool,
}

/// `crate::client::NAME`, noted as named.
pub fn item(name: &'static str) -> TokenStream {
    note(name);
    let name = ident(name);
    quote!(crate::client::#name)
}

/// Notes a runtime item that code names without writing its path here (an
/// import in a `use crate::client::{...}` list).
pub fn note(name: &'static str) {
    NAMED.with(|named| named.borrow_mut().items.insert(name));
}

/// Notes a path into the `types` module (`types::Name`).
pub fn note_types() {
    NAMED.with(|named| named.borrow_mut().types = true);
}

/// Notes a use of the parameter `Style` (`Style::form(true)`).
pub fn note_style() {
    NAMED.with(|named| named.borrow_mut().style = true);
}

/// What was noted on this thread since the last call; a module's emission
/// starts and ends with one, so that what other code noted (the listing's
/// context) is not counted.
pub fn take_named() -> Named {
    NAMED.with(|named| std::mem::take(&mut *named.borrow_mut()))
}

/// The runtime items whose use changes the crate (the modules declared, the
/// public types in `client.rs`): what the notes must hold exactly.
fn deciding(item: &str) -> bool {
    MODULES.iter().any(|module| module.exports.contains(&item))
        || ["ErrorBody", "BodyStream", "FileContent"].contains(&item)
}

/// In debug builds, `tokens` walked for what they name, against the notes:
/// `Err` with the difference when a deciding item (or, for operations, a
/// mention of `types` or `Style`) was named and not noted, or noted and not
/// named. The tokens are given back.
pub fn check_named(tokens: TokenStream, named: &Named, mentions: bool) -> Result<TokenStream, String> {
    if !cfg!(debug_assertions) {
        return Ok(tokens);
    }
    let mut found = BTreeSet::new();
    let mut seen = [("types", false), ("Style", false)];
    let tokens = client_paths(tokens, &mut found, &mut seen);
    let found: BTreeSet<&str> = found.iter().map(String::as_str).filter(|item| deciding(item)).collect();
    let noted: BTreeSet<&str> = named.items.iter().copied().filter(|item| deciding(item)).collect();
    let [(_, types), (_, style)] = seen;
    let mut wrong: Vec<String> = found.symmetric_difference(&noted).map(|item| format!("`client::{item}`")).collect();
    if mentions && types != named.types {
        wrong.push("`types`".to_owned());
    }
    if mentions && style != named.style {
        wrong.push("`Style`".to_owned());
    }
    if wrong.is_empty() { Ok(tokens) } else { Err(wrong.join(", ")) }
}

/// Every `NAME` in a `client::NAME` path in `tokens`: the runtime items the
/// code reaches through the `client` module. Whether each identifier of
/// `seen` starts a path anywhere (`types::Pet`, `Style::form(..)`, not a
/// field `self.types` nor the last segment of `types::Style`) is noted on
/// the way. The tokens are moved through and given back: walking a
/// borrowed stream would copy every token in it.
pub fn client_paths(tokens: TokenStream, out: &mut BTreeSet<String>, seen: &mut [(&str, bool)]) -> TokenStream {
    let mut trees: Vec<TokenTree> = tokens.into_iter().collect();
    let is_colon = |tree: Option<&TokenTree>| matches!(tree, Some(TokenTree::Punct(punct)) if punct.as_char() == ':');
    for index in 0..trees.len() {
        let TokenTree::Ident(name) = &trees[index] else { continue };
        let path_follows = is_colon(trees.get(index + 1)) && is_colon(trees.get(index + 2));
        if name != "client" {
            let starts_path = path_follows && !is_colon(index.checked_sub(1).and_then(|before| trees.get(before)));
            for (wanted, found) in seen.iter_mut() {
                *found |= starts_path && name == wanted;
            }
            continue;
        }
        let Some(item) = trees.get(index + 3).filter(|_| path_follows) else { continue };
        match item {
            TokenTree::Ident(item) => {
                out.insert(item.to_string());
            }
            // `use crate::client::{A, B};`
            TokenTree::Group(group) => {
                for tree in group.stream() {
                    if let TokenTree::Ident(item) = tree {
                        out.insert(item.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    for tree in &mut trees {
        if !matches!(tree, TokenTree::Group(_)) {
            continue;
        }
        let placeholder = TokenTree::Punct(proc_macro2::Punct::new('.', proc_macro2::Spacing::Alone));
        let TokenTree::Group(group) = std::mem::replace(tree, placeholder) else { continue };
        let (delimiter, span, stream) = (group.delimiter(), group.span(), group.stream());
        // The stream is now this function's alone: iterating it copies nothing.
        drop(group);
        let mut inner = proc_macro2::Group::new(delimiter, client_paths(stream, out, seen));
        inner.set_span(span);
        *tree = TokenTree::Group(inner);
    }
    trees.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL_TAILS: [Tail; 17] = [
        CLIENT_CONFIG,
        RETRY_POLICY,
        RESPONSE,
        TOKEN_PROVIDER,
        POLLING,
        PAGER,
        POLLER,
        ERROR_BODY,
        DOWNLOAD,
        BODY_STREAM,
        FILE_CONTENT,
        FAILURES,
        WAIT_ERROR,
        PAYLOAD,
        FILTER_EXPRESSION,
        STRING_LITERAL,
        NUMBER_LITERAL,
    ];

    #[test]
    fn every_runtime_file_parses_and_a_tail_is_its_items_alone() {
        for tail in ALL_TAILS {
            let text = tail.text();
            assert!(syn::parse_file(text).is_ok_and(|file| !file.items.is_empty()), "{}", tail.name);
            // What the file says of itself as a runtime file is not copied.
            assert!(!text.starts_with("// ") && !text.starts_with('\n'), "{}", tail.name);
            assert!(text.ends_with("\n") && !text.ends_with("\n\n"), "{}", tail.name);
        }
        assert!(FAILURES.source.starts_with("// ") && FAILURES.text().starts_with("///"));
        for module in MODULES {
            assert!(syn::parse_file(module.source).is_ok(), "{}", module.name);
        }
    }

    #[test]
    fn a_tails_outline_lists_as_the_whole_file_does() {
        let listing = |text: &str| {
            let file = syn::parse_file(text).map_err(|error| error.to_string())?;
            let root = syn::parse_file("pub mod client;").map_err(|error| error.to_string())?;
            let none = crate::api_listing::KnownMacros::default();
            let root = crate::api_listing::read_file("k", "src/lib.rs", root, &none);
            let file = crate::api_listing::read_file("k", "src/client.rs", file, &none);
            Ok::<_, String>(crate::api_listing::combine(vec![root, file]).into_iter().collect::<Vec<_>>())
        };
        let mut listed = 0;
        for tail in ALL_TAILS {
            // The types the files' impls are for, so that those are listed too.
            let text = format!("pub struct Client;\npub struct ClientBuilder;\n{}", tail.text());
            let whole = listing(&text);
            assert!(whole.as_ref().is_ok_and(|lines| lines.len() > 2), "{}: {whole:?}", tail.name);
            assert_eq!(listing(&crate::format::outline(&text)), whole, "{}", tail.name);
            listed += whole.map_or(0, |lines| lines.len());
        }
        assert!(listed > 100, "{listed}");
    }

    #[test]
    fn a_spec_gets_only_the_modules_it_needs() {
        let needs = |credentials, bearer, used: &[&str]| Needs {
            features: Features { credentials, bearer, ..Features::default() },
            used: used.iter().map(|item| (*item).to_owned()).collect(),
        };
        let names = |needs: &Needs| needs.modules().map(|module| module.name).collect::<Vec<_>>();
        assert_eq!(names(&needs(false, false, &[])), ["encoding", "retry", "send", "text"]);
        assert_eq!(
            names(&needs(
                true,
                true,
                &["decode_json", "header", "text_of", "form_body", "json_body", "unexpected", "Style", "server_url"]
            )),
            [
                "decode",
                "encoding",
                "form",
                "header",
                "json",
                "param_text",
                "retry",
                "secret",
                "send",
                "server",
                "status",
                "style",
                "text",
                "token"
            ]
        );
        let declared = needs(true, false, &["snippet", "header"]).declarations().to_string();
        assert!(declared.contains("pub (crate) use self :: text :: snippet"), "{declared}");
        assert!(!declared.contains("one_line") && !declared.contains("token"), "{declared}");
    }

    #[test]
    fn the_client_tails_are_every_public_runtime_file() {
        let mut listed: Vec<&str> = client_tails().iter().map(|tail| tail.name).collect();
        let mut public: Vec<&str> =
            ALL_TAILS.iter().map(|tail| tail.name).filter(|name| name.starts_with("client/public/")).collect();
        listed.sort_unstable();
        public.sort_unstable();
        assert_eq!(listed, public);
    }

    #[test]
    fn notes_are_checked_against_what_the_tokens_name() {
        // Release builds trust the notes; debug builds (tests) check them.
        if !cfg!(debug_assertions) {
            return;
        }
        let tokens = || {
            quote!(
                fn f() {
                    crate::client::decode_json(reply);
                    crate::client::Pager::new(types::Thing)
                }
            )
        };
        take_named();
        let _ = item("decode_json");
        note_types();
        let named = take_named();
        assert_eq!(named.items.iter().copied().collect::<Vec<_>>(), ["decode_json"]);
        // `Pager` decides nothing (its file comes with a feature), so it needs no note.
        let checked = check_named(tokens(), &named, true).map(|tokens| tokens.to_string());
        assert_eq!(checked, Ok(tokens().to_string()));
        let unnoted = Named { items: BTreeSet::new(), types: true, style: false };
        assert_eq!(check_named(tokens(), &unnoted, true).map(|_| ()), Err("`client::decode_json`".to_owned()));
        let extra = Named { items: ["decode_json", "header"].into(), types: true, style: true };
        assert_eq!(check_named(tokens(), &extra, true).map(|_| ()), Err("`client::header`, `Style`".to_owned()));
        // Mentions count for operations only.
        let no_types = Named { items: ["decode_json"].into(), types: false, style: false };
        assert!(check_named(tokens(), &no_types, false).is_ok());
        assert_eq!(check_named(tokens(), &no_types, true).map(|_| ()), Err("`types`".to_owned()));
    }

    #[test]
    fn a_parameter_named_types_and_a_schema_named_style_import_nothing_they_do_not_use() {
        // In debug builds `generate` also checks the notes against the tokens.
        let spec = r##"
openapi: 3.0.3
info: {title: Names, version: "1"}
paths:
  /styles:
    get:
      operationId: listStyles
      parameters:
        - {name: types, in: query, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Style"}
components:
  schemas:
    Style:
      type: object
      properties:
        name: {type: string}
"##;
        let files = crate::generate(spec, &crate::Options::new("names.yaml"));
        let builders = match files {
            Ok(files) => files.get("src/builders.rs").cloned().unwrap_or_default(),
            Err(error) => error.to_string(),
        };
        assert!(builders.contains("use crate::types;"), "{builders}");
        assert!(builders.contains("use crate::client::{Client, Operation, Reply, Request, Response};"), "{builders}");
    }

    #[test]
    fn client_paths_are_found_at_any_depth() {
        let mut found = BTreeSet::new();
        let tokens = quote! {
            use crate::client::{Client, Request};
            fn f() { crate::client::snippet(x); reqwest::header::HeaderMap::new(); client::Auth::A }
        };
        let mut seen = [("reqwest", false), ("HeaderMap", false), ("types", false)];
        client_paths(tokens, &mut found, &mut seen);
        assert_eq!(found.into_iter().collect::<Vec<_>>(), ["Auth", "Client", "Request", "snippet"]);
        // `HeaderMap` is in a path, but does not start one.
        assert_eq!(seen, [("reqwest", true), ("HeaderMap", false), ("types", false)]);
        let mut found = BTreeSet::new();
        let mut seen = [("types", false), ("Style", false)];
        client_paths(
            quote!(
                fn f(&self) {
                    g(self.types, types::Style::A)
                }
            ),
            &mut found,
            &mut seen,
        );
        assert_eq!(seen, [("types", true), ("Style", false)]);
        let mut seen = [("types", false), ("Style", false)];
        client_paths(
            quote!(
                fn f(&self) -> Vec<Style> {
                    h(self.types, Style::form(true))
                }
            ),
            &mut found,
            &mut seen,
        );
        assert_eq!(seen, [("types", false), ("Style", true)]);
    }
}
