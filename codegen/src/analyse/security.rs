//! `components.securitySchemes` to the ways the client can authenticate,
//! and each operation's `security` to the requirements it accepts.

use openapiv3::{APIKeyLocation, Operation as SpecOperation, SecurityScheme};

use super::Context;
use crate::error::Diagnostic;
use crate::ir::{ApiKeyLocation, Auth, AuthIndex, AuthScheme, Docs, Requirement, Security};
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
            self.auth_places.push(place(&auth));
            schemes.push(auth);
        }
        Ok(named(schemes))
    }

    /// The operation's `security`, or the document's when it has none:
    /// requirements in the spec's order (OR), each a set of schemes sent
    /// together (AND). `{}`, `security: []` or no security at all allow a
    /// call without credentials.
    pub(super) fn operation_security(&self, spec: &SpecOperation, at: &Pointer) -> Result<Security, Diagnostic> {
        let (requirements, requirements_at) = match &spec.security {
            Some(requirements) => (requirements, at.join("security")),
            None => match &self.api.security {
                Some(requirements) => (requirements, Pointer::root().join("security")),
                None => return Ok(Security { requirements: Vec::new(), anonymous: true }),
            },
        };
        let mut security = Security { requirements: Vec::new(), anonymous: requirements.is_empty() };
        for (index, requirement) in requirements.iter().enumerate() {
            let at = requirements_at.join(index);
            let mut schemes: Vec<AuthIndex> = Vec::new();
            for scheme in requirement.keys() {
                let position = self.auth_keys.iter().position(|key| key == scheme).ok_or_else(|| {
                    Diagnostic::at(
                        &at.join(scheme),
                        format!("security requirement names `{scheme}`, which is not in #/components/securitySchemes"),
                    )
                })?;
                // Two schemes in one place cannot both be sent: one would
                // silently replace the other.
                if let Some(other) =
                    schemes.iter().find(|other| self.auth_places[other.0] == self.auth_places[position])
                {
                    return Err(Diagnostic::at(
                        &at,
                        format!(
                            "security requirement needs `{}` and `{scheme}` together, but both are sent as {}; a request can carry only one",
                            self.auth_keys[other.0], self.auth_places[position]
                        ),
                    ));
                }
                schemes.push(AuthIndex(position));
            }
            if schemes.is_empty() {
                security.anonymous = true;
            } else if !security.requirements.iter().any(|known| known.schemes == schemes) {
                security.requirements.push(Requirement { schemes });
            }
        }
        Ok(security)
    }
}

/// Where a scheme's credential goes on a request, as a reader would name it;
/// equal places collide. Header names compare without case.
fn place(auth: &AuthScheme) -> String {
    match auth {
        AuthScheme::Bearer { .. } | AuthScheme::Basic { .. } => "the `authorization` header".to_owned(),
        AuthScheme::ApiKey { name, location: ApiKeyLocation::Header, .. } => {
            format!("the `{}` header", name.to_ascii_lowercase())
        }
        AuthScheme::ApiKey { name, location: ApiKeyLocation::Query, .. } => format!("the `{name}` query parameter"),
        AuthScheme::ApiKey { name, location: ApiKeyLocation::Cookie, .. } => format!("the `{name}` cookie"),
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
