//! `components.securitySchemes` to the ways the client can authenticate.

use openapiv3::{APIKeyLocation, SecurityScheme};

use super::Context;
use crate::error::Diagnostic;
use crate::ir::{ApiKeyLocation, Auth, AuthScheme, Docs};
use crate::names::{self, Namespace};
use crate::pointer::Pointer;

impl Context<'_> {
    pub(super) fn security_schemes(&mut self) -> Result<Vec<Auth>, Diagnostic> {
        let Some(components) = &self.api.components else { return Ok(Vec::new()) };
        let mut schemes = Vec::new();
        for (key, scheme) in &components.security_schemes {
            let at = Pointer::root().join("components").join("securitySchemes").join(key);
            let (scheme, at) = self.resolver.item(scheme, &at, "security scheme")?;
            let docs = |description: &Option<String>| Docs { description: description.clone(), ..Docs::default() };
            let auth = match &scheme {
                SecurityScheme::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                    AuthScheme::Bearer { key: key.clone(), docs: docs(description) }
                }
                SecurityScheme::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("basic") => {
                    AuthScheme::Basic { key: key.clone(), docs: docs(description) }
                }
                SecurityScheme::HTTP { scheme, .. } => {
                    return Err(Diagnostic::at(
                        &at.join("scheme"),
                        format!("unsupported HTTP authentication scheme `{scheme}`; bearer and basic are supported"),
                    ));
                }
                SecurityScheme::APIKey { location, name, description, .. } => AuthScheme::ApiKey {
                    key: key.clone(),
                    name: name.clone(),
                    location: match location {
                        APIKeyLocation::Header => ApiKeyLocation::Header,
                        APIKeyLocation::Query => ApiKeyLocation::Query,
                        APIKeyLocation::Cookie => ApiKeyLocation::Cookie,
                    },
                    docs: docs(description),
                },
                // Both hand the client an access token that is sent as a bearer token.
                SecurityScheme::OAuth2 { description, .. } | SecurityScheme::OpenIDConnect { description, .. } => {
                    AuthScheme::Bearer { key: key.clone(), docs: docs(description) }
                }
            };
            self.auth_keys.push(key.clone());
            schemes.push(auth);
        }
        Ok(named(schemes))
    }
}

/// Names each scheme in the client: a variant of its private `Auth` enum, and
/// a credentials field that is also the `ClientBuilder` method setting it
/// (`bearer_token` when there is one bearer scheme, else `<key>_bearer_token`).
fn named(schemes: Vec<AuthScheme>) -> Vec<Auth> {
    let kind = |scheme: &AuthScheme| match scheme {
        AuthScheme::Bearer { .. } => "bearer_token",
        AuthScheme::Basic { .. } => "basic_auth",
        AuthScheme::ApiKey { .. } => "api_key",
    };
    let mut fields = Namespace::with_reserved(["base_url", "http_client", "build", "new"]);
    let mut variants = Namespace::new();
    let counts: Vec<usize> =
        schemes.iter().map(|scheme| schemes.iter().filter(|other| kind(other) == kind(scheme)).count()).collect();
    schemes
        .into_iter()
        .zip(counts)
        .map(|(scheme, same_kind)| {
            let base = kind(&scheme);
            let key = match &scheme {
                AuthScheme::Bearer { key, .. } | AuthScheme::Basic { key, .. } | AuthScheme::ApiKey { key, .. } => key,
            };
            let key_name = names::snake_name(key);
            let candidate = if same_kind == 1 {
                base.to_owned()
            } else if key_name.ends_with(base) {
                key_name
            } else {
                format!("{key_name}_{base}")
            };
            let variant = variants.claim(names::type_name(key));
            Auth { scheme, variant, field: fields.claim(candidate) }
        })
        .collect()
}
