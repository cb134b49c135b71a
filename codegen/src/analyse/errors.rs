//! The crate's error variants: one per documented error status across all
//! operations, with the body and headers it carries, and which statuses share
//! one payload struct. Decided here, once, for the `error` module and the
//! builders that read responses into it.

use std::collections::BTreeMap;

use crate::ir::{Api, BodyKind, ErrorBody, ErrorBodyKind, ErrorHeader, ErrorVariant, Response, StatusKey, TypeRef};
use crate::names::{self, Namespace};

/// Items of the `error` module that variants must not be named after.
const RESERVED: &[&str] = &[
    "Error",
    "DecodeError",
    "UnexpectedStatus",
    "InvalidRequest",
    "Transport",
    "Decode",
    "Body",
    "Paging",
    "Download",
];

/// Collects the error variants, in status order.
pub fn collect(api: &Api) -> Vec<ErrorVariant> {
    let mut by_status: BTreeMap<StatusKey, Vec<&Response>> = BTreeMap::new();
    for operation in &api.operations {
        let has_success = operation.responses.iter().any(|r| r.status.is_success());
        for response in &operation.responses {
            if response.status.is_success() || (response.status == StatusKey::Default && !has_success) {
                continue;
            }
            by_status.entry(response.status).or_default().push(response);
        }
    }
    let mut variant_names = Namespace::with_reserved(RESERVED.iter().copied());
    let mut variants = Vec::new();
    for (status, responses) in by_status {
        let name = variant_names.claim(names::type_name(&status_name(status)));
        let mut kinds: Vec<BodyKind> = Vec::new();
        for response in &responses {
            if !kinds.contains(&response.body) {
                kinds.push(response.body.clone());
            }
        }
        let body = match kinds.as_slice() {
            [] | [BodyKind::Empty] => ErrorBody::None,
            [one] => ErrorBody::One(one.clone()),
            _ => {
                let mut kind_names = Namespace::new();
                let kinds = kinds
                    .into_iter()
                    .map(|kind| ErrorBodyKind { name: kind_names.claim(body_kind_name(&kind)), kind })
                    .collect();
                ErrorBody::Several { name: variant_names.claim(format!("{name}Body")), kinds }
            }
        };
        let mut headers: Vec<ErrorHeader> = Vec::new();
        let mut header_names = Namespace::with_reserved(["status", "body"]);
        for response in &responses {
            for header in &response.headers {
                if !headers.iter().any(|known| known.wire.eq_ignore_ascii_case(&header.wire)) {
                    headers.push(ErrorHeader {
                        name: header_names.claim(header.name.clone()),
                        wire: header.wire.clone(),
                        ty: header.read_as.clone(),
                    });
                }
            }
        }
        let docs = responses.first().map(|response| response.docs.clone()).unwrap_or_default();
        variants.push(ErrorVariant { status, payload: name.clone(), name, body, headers, docs });
    }
    // Statuses with the same body and headers share one payload struct, named
    // after the body. Its name is claimed after every variant's, so it never
    // takes a name a variant needs.
    for index in 0..variants.len() {
        let (before, rest) = variants.split_at_mut(index);
        let Some((variant, after)) = rest.split_first_mut() else { break };
        if matches!(variant.body, ErrorBody::Several { .. }) {
            continue;
        }
        if let Some(first) = before.iter().find(|other| same_shape(other, variant)) {
            variant.payload = first.payload.clone();
        } else if after.iter().any(|other| same_shape(other, variant)) {
            variant.payload = variant_names.claim(format!("{}Details", shape_name(&variant.body)));
        }
    }
    variants
}

fn same_shape(a: &ErrorVariant, b: &ErrorVariant) -> bool {
    a.body == b.body && a.headers == b.headers
}

/// The stem of a shared payload's name: its body type's.
fn shape_name(body: &ErrorBody) -> String {
    match body {
        ErrorBody::One(kind) => body_kind_name(kind),
        ErrorBody::None | ErrorBody::Several { .. } => "Status".to_owned(),
    }
}

/// The variant name for a status: its reason phrase where there is one.
fn status_name(status: StatusKey) -> String {
    match status {
        StatusKey::Code(code) => {
            crate::ir::reason_phrase(code).map(str::to_owned).unwrap_or_else(|| format!("Status {code}"))
        }
        StatusKey::Range(1) => "Informational".to_owned(),
        StatusKey::Range(3) => "Redirection".to_owned(),
        StatusKey::Range(4) => "Client Error".to_owned(),
        StatusKey::Range(5) => "Server Error".to_owned(),
        StatusKey::Range(class) => format!("Status {class}xx"),
        StatusKey::Default => "Other Status".to_owned(),
    }
}

fn body_kind_name(kind: &BodyKind) -> String {
    match kind {
        BodyKind::Json(TypeRef::Named(name)) | BodyKind::Form(TypeRef::Named(name)) => name.clone(),
        BodyKind::Json(_) | BodyKind::Form(_) => "Json".to_owned(),
        BodyKind::Text => "Text".to_owned(),
        BodyKind::Bytes => "Bytes".to_owned(),
        BodyKind::Empty => "Empty".to_owned(),
    }
}
