//! Stage 5: tokens to formatted source text.

use proc_macro2::TokenStream;

use crate::error::Diagnostic;

/// A formatted Rust file, with the syntax tree it was printed from (kept so
/// that the API listing reads the same tree instead of parsing the text again).
pub struct RustFile {
    pub text: String,
    pub syntax: syn::File,
}

/// Formats one emitted Rust file with prettyplease, after its header line.
pub fn rust_file(path: &str, tokens: TokenStream, header: &str) -> Result<RustFile, Diagnostic> {
    let file: syn::File = syn::parse2(tokens).map_err(|error| {
        Diagnostic::file(format!(
            "internal error: the generator produced invalid Rust for {path} ({error}); please report this with the spec"
        ))
    })?;
    let body = prettyplease::unparse(&file);
    Ok(RustFile { text: format!("{header}\n{body}"), syntax: file })
}
