//! Stage 5: tokens to formatted source text.

use proc_macro2::TokenStream;

use crate::error::Diagnostic;

/// Formats one emitted Rust file with prettyplease, after its header line.
pub fn rust_file(path: &str, tokens: TokenStream, header: &str) -> Result<String, Diagnostic> {
    let file: syn::File = syn::parse2(tokens).map_err(|error| {
        Diagnostic::file(format!(
            "internal error: the generator produced invalid Rust for {path} ({error}); please report this with the spec"
        ))
    })?;
    let body = prettyplease::unparse(&file);
    Ok(format!("{header}\n{body}"))
}
