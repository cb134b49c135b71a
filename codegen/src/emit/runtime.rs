//! The spec-independent runtime, `codegen/runtime/src/client/`: real Rust,
//! compiled and tested in that crate, copied into a generated crate whole.
//!
//! Its modules become private modules of the generated `client` module, as
//! files `src/client/<name>.rs` with the text unchanged after the header. Its
//! public types (`public/*.rs`) are placed in the generated `client.rs`
//! itself, so that they keep their `client::Name` paths. A crate gets only
//! the files its spec needs, so nothing in it is unused.

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

const CLIENT_CONFIG: &str = include_str!("../../runtime/src/client/public/client_config.rs");
const RETRY_POLICY: &str = include_str!("../../runtime/src/client/public/retry_policy.rs");
const RESPONSE: &str = include_str!("../../runtime/src/client/public/response.rs");
const TOKEN_PROVIDER: &str = include_str!("../../runtime/src/client/public/token_provider.rs");
const POLLING: &str = include_str!("../../runtime/src/client/public/polling.rs");
const PAGER: &str = include_str!("../../runtime/src/client/public/pager.rs");
const POLLER: &str = include_str!("../../runtime/src/client/public/poller.rs");
const ERROR_BODY: &str = include_str!("../../runtime/src/client/public/error_body.rs");
const DOWNLOAD: &str = include_str!("../../runtime/src/client/public/download.rs");
const BODY_STREAM: &str = include_str!("../../runtime/src/client/public/body_stream.rs");
const FILE_CONTENT: &str = include_str!("../../runtime/src/client/public/file_content.rs");
const FAILURES: &str = include_str!("../../runtime/src/error/failures.rs");
const WAIT_ERROR: &str = include_str!("../../runtime/src/error/wait_error.rs");
const PAYLOAD: &str = include_str!("../../runtime/src/error/payload.rs");

/// The runtime's items of the generated `error.rs` (`codegen/runtime/src/error/`):
/// the fixed payloads every crate has, `WaitError` when it has long-running
/// operations, and the `Payload` trait when error payloads are read alike.
pub fn error_items(polling: bool, payloads: bool) -> TokenStream {
    let mut sources = vec![("failures.rs", FAILURES)];
    if polling {
        sources.push(("wait_error.rs", WAIT_ERROR));
    }
    if payloads {
        sources.push(("payload.rs", PAYLOAD));
    }
    sources.into_iter().map(|(name, source)| items(&format!("error/{name}"), source)).collect()
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

    /// The public types, which live in `client.rs` itself.
    pub fn public_items(&self) -> TokenStream {
        let mut sources =
            vec![("client_config.rs", CLIENT_CONFIG), ("retry_policy.rs", RETRY_POLICY), ("response.rs", RESPONSE)];
        if self.features.bearer {
            sources.push(("token_provider.rs", TOKEN_PROVIDER));
        }
        if self.features.long_running {
            sources.push(("polling.rs", POLLING));
            sources.push(("poller.rs", POLLER));
        }
        if self.features.paging {
            sources.push(("pager.rs", PAGER));
        }
        if self.used.contains("ErrorBody") {
            sources.push(("error_body.rs", ERROR_BODY));
        }
        if self.features.download {
            sources.push(("download.rs", DOWNLOAD));
        }
        if self.used.contains("BodyStream") {
            sources.push(("body_stream.rs", BODY_STREAM));
        }
        if self.used.contains("FileContent") {
            sources.push(("file_content.rs", FILE_CONTENT));
        }
        sources.into_iter().map(|(name, source)| items(&format!("client/public/{name}"), source)).collect()
    }

    /// The module files, each `src/client/<name>.rs`, after the header line.
    pub fn files(&self, command: &str) -> Vec<(String, String)> {
        let header = format!("// @generated by `{command}`. Do not edit by hand: change the spec and regenerate.");
        self.modules()
            .map(|module| (format!("src/client/{}.rs", module.name), format!("{header}\n{}", module.source)))
            .collect()
    }
}

/// The items of a public runtime file as tokens. The sources are this
/// crate's own constants, compiled in `codegen/runtime`, so they always lex;
/// if one did not, the emitted crate says so instead of silently missing it.
fn items(name: &str, source: &str) -> TokenStream {
    match source.parse::<TokenStream>() {
        Ok(tokens) => tokens,
        Err(error) => {
            let message = format!("internal error: runtime file {name} does not lex: {error}");
            quote!(compile_error!(#message);)
        }
    }
}

/// Every `NAME` in a `client::NAME` path in `tokens`: the runtime items the
/// code reaches through the `client` module. The tokens are moved through and
/// given back: walking a borrowed stream would copy every token in it.
pub fn client_paths(tokens: TokenStream, out: &mut BTreeSet<String>) -> TokenStream {
    let mut trees: Vec<TokenTree> = tokens.into_iter().collect();
    for index in 0..trees.len() {
        let TokenTree::Ident(name) = &trees[index] else { continue };
        if name != "client" {
            continue;
        }
        let after = &trees[(index + 1).min(trees.len())..trees.len().min(index + 4)];
        let [TokenTree::Punct(first), TokenTree::Punct(second), item] = after else { continue };
        if first.as_char() != ':' || second.as_char() != ':' {
            continue;
        }
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
        let mut inner = proc_macro2::Group::new(delimiter, client_paths(stream, out));
        inner.set_span(span);
        *tree = TokenTree::Group(inner);
    }
    trees.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_public_runtime_file_parses_as_items() {
        for (name, source) in [
            ("client_config", CLIENT_CONFIG),
            ("retry_policy", RETRY_POLICY),
            ("response", RESPONSE),
            ("token_provider", TOKEN_PROVIDER),
            ("polling", POLLING),
            ("pager", PAGER),
            ("poller", POLLER),
            ("error_body", ERROR_BODY),
            ("download", DOWNLOAD),
            ("body_stream", BODY_STREAM),
            ("file_content", FILE_CONTENT),
            ("error/failures", FAILURES),
            ("error/wait_error", WAIT_ERROR),
            ("error/payload", PAYLOAD),
        ] {
            assert!(syn::parse_file(source).is_ok_and(|file| !file.items.is_empty()), "{name}");
            assert!(!items(name, source).to_string().contains("compile_error"), "{name}");
        }
        for module in MODULES {
            assert!(syn::parse_file(module.source).is_ok(), "{}", module.name);
        }
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
    fn client_paths_are_found_at_any_depth() {
        let mut found = BTreeSet::new();
        let tokens = quote! {
            use crate::client::{Client, Request};
            fn f() { crate::client::snippet(x); reqwest::header::HeaderMap::new(); client::Auth::A }
        };
        client_paths(tokens, &mut found);
        assert_eq!(found.into_iter().collect::<Vec<_>>(), ["Auth", "Client", "Request", "snippet"]);
    }
}
