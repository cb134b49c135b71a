//! `components.securitySchemes` to the ways the client can authenticate.

use openapiv3::{APIKeyLocation, SecurityScheme};

use super::Context;
use crate::error::Diagnostic;
use crate::ir::{ApiKeyLocation, AuthScheme, Docs};
use crate::pointer::Pointer;

impl Context<'_> {
    pub(super) fn security_schemes(&mut self) -> Result<Vec<AuthScheme>, Diagnostic> {
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
        Ok(schemes)
    }
}
