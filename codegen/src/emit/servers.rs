//! Server variables as builder fields and setters: the document's server's
//! on `ClientBuilder` (`client.rs`), an operation's own on its request
//! builder (`builders.rs`).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, plain};
use super::ident;
use crate::ir::{Docs, ServerTemplate, ServerVariable};

/// What a server template's variables add to the builder that sets them.
pub struct Variables {
    /// A field per variable: `None` until set.
    pub fields: Vec<TokenStream>,
    pub setters: Vec<TokenStream>,
    /// The enums of variables with listed values.
    pub enums: Vec<TokenStream>,
    /// The URL with each variable's value (set, or its default), through the
    /// runtime's `server_url`; `?` on its error (a value that would break the URL).
    pub url: TokenStream,
}

/// The fields, setters and enums of `template`'s variables; each setter's
/// docs say it is ignored when `ignored_when`.
pub fn variables(template: &ServerTemplate, ignored_when: &str) -> Variables {
    let mut rendered = Variables { fields: Vec::new(), setters: Vec::new(), enums: Vec::new(), url: quote!() };
    let mut values = Vec::new();
    for variable in &template.variables {
        let field = ident(&variable.name);
        let wire = &variable.wire;
        let doc = variable_doc(variable, ignored_when);
        match &variable.values {
            Some(values_enum) => {
                let name = ident(&values_enum.name);
                rendered.fields.push(quote!(#field: Option<#name>,));
                rendered.setters.push(quote! {
                    #doc
                    pub fn #field(mut self, value: #name) -> Self {
                        self.#field = Some(value);
                        self
                    }
                });
                values.push(quote!((#wire, self.#field.unwrap_or_default().as_str())));
                let variants = values_enum.variants.iter().enumerate().map(|(index, (variant, value))| {
                    let variant = ident(variant);
                    let doc = format!(" `{value}`");
                    let default = if index == values_enum.default { quote!(#[default]) } else { quote!() };
                    quote!(#[doc = #doc] #default #variant,)
                });
                let arms = values_enum.variants.iter().map(|(variant, value)| {
                    let variant = ident(variant);
                    quote!(#name::#variant => #value,)
                });
                let enum_doc = plain(&format!("The values of the `{wire}` server variable."));
                rendered.enums.push(quote! {
                    #enum_doc
                    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
                    pub enum #name {
                        #(#variants)*
                    }

                    impl #name {
                        /// The value as the server URL takes it.
                        pub fn as_str(self) -> &'static str {
                            match self {
                                #(#arms)*
                            }
                        }
                    }
                });
            }
            None => {
                let default = &variable.default;
                rendered.fields.push(quote!(#field: Option<String>,));
                rendered.setters.push(quote! {
                    #doc
                    pub fn #field(mut self, value: impl Into<String>) -> Self {
                        self.#field = Some(value.into());
                        self
                    }
                });
                values.push(quote!((#wire, self.#field.as_deref().unwrap_or(#default))));
            }
        }
    }
    let url = &template.url;
    let server_url = super::runtime::item("server_url");
    rendered.url = quote!(#server_url(#url, &[#(#values),*])?);
    rendered
}

fn variable_doc(variable: &ServerVariable, ignored_when: &str) -> TokenStream {
    let summary = plain(&format!(
        "The `{}` variable of the server URL; `{}` unless set. Ignored when\n{ignored_when}.",
        variable.wire,
        variable.default.replace('`', "'")
    ));
    match &variable.description {
        Some(description) => {
            let description =
                doc_attrs(&Docs { summary: None, description: Some(description.clone()), deprecated: false }, "");
            quote!(#summary #[doc = ""] #description)
        }
        None => summary,
    }
}
