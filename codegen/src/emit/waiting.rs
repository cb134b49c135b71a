//! Waiting for long-running operations (`x-long-running-operation`):
//! `Client::wait_for_*`, and `send_and_wait` on the builder of the operation
//! that starts the work. The `Polling` settings are runtime
//! (`codegen/runtime/src/client/public/polling.rs`).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, plain};
use super::type_ref::{Scope, rust_type};
use super::{Emitter, ident};
use crate::ir::{LongRunning, Operation, ResourceStep, TypeRef};

fn is_copy(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Bool
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F32
            | TypeRef::F64
            | TypeRef::Uuid
            | TypeRef::Date
            | TypeRef::DateTime
    )
}

/// `Client::wait_for_*`, the poll loop, and the resource extraction.
pub fn client_methods(emitter: &Emitter, operation: &Operation, long_running: &LongRunning) -> TokenStream {
    let Some(status_operation) = emitter.api.operation(long_running.status_operation) else { return quote!() };
    let Some(id_param) = status_operation.param(long_running.id_param) else { return quote!() };
    let wait = ident(&long_running.wait_method);
    let poll = ident(&long_running.poll_method);
    let fetch = ident(&long_running.fetch_method);
    let extract = ident(&long_running.resource_fn);
    let status_method = ident(&status_operation.name);
    let resource_type = rust_type(&long_running.resource_type, Scope::Crate);
    let id_name = ident(&id_param.name);
    let id_type = rust_type(&id_param.ty, Scope::Crate);
    let started_by = operation.operation_id.clone().unwrap_or_else(|| operation.name.clone());
    let status_id = status_operation.operation_id.clone().unwrap_or_else(|| status_operation.name.clone());
    let pointer = &long_running.resource_pointer;
    let id_field = ident(&long_running.id_field.name);
    let id_value = match (long_running.id_field.optional, is_copy(&id_param.ty)) {
        (false, true) => quote!(Some(resource.#id_field)),
        (false, false) => quote!(Some(resource.#id_field.clone())),
        (true, _) => quote!(resource.#id_field.clone()),
    };
    let id_text = emitter.to_text(&id_param.ty, quote!(id));
    let status_field = ident(&long_running.status_field.name);
    let status_is_string = status_type_is_string(emitter, long_running);
    let state = match (long_running.status_field.optional, status_is_string) {
        (false, _) => quote!(resource.#status_field.as_str()),
        (true, true) => quote!(resource.#status_field.as_deref().unwrap_or("")),
        (true, false) => quote!(resource.#status_field.as_ref().map_or("", |state| state.as_str())),
    };
    let success = &long_running.success_states;
    let failure = &long_running.failure_states;
    let default_interval = long_running.poll_interval_seconds;
    let wait_doc = plain(&format!(
        "Waits for the work {} started to finish: polls {} until the\nstate is one of {} (returned) or {} (an error), or the polling timeout passes.\n\nPolls every {default_interval} s unless [`Polling::interval`] or the status response's\n`Retry-After` says otherwise, at least once, and a last time at the deadline.",
        code(&started_by),
        code(&status_id),
        states(success),
        states(failure)
    ));
    quote! {
        #wait_doc
        pub async fn #wait(&self, #id_name: #id_type, polling: Polling) -> Result<#resource_type, Error> {
            let (resource, retry_after) = self.#fetch(#id_name).await?;
            self.#poll(resource, polling, Some(retry_after)).await
        }

        /// The resource, and how long its `Retry-After` asks to wait before the next poll.
        async fn #fetch(&self, #id_name: #id_type) -> Result<(#resource_type, Option<Duration>), Error> {
            let response = self.#status_method(#id_name).send_with_response().await?;
            let retry_after = response.header("retry-after").and_then(|value| value.trim().parse().ok());
            Ok((#extract(response.body)?, retry_after.map(Duration::from_secs)))
        }

        /// Polls until `resource` reaches a final state: at least once, then
        /// every interval (or as the status response's `Retry-After` says),
        /// and a last time at the deadline.
        /// `polled` is the `Retry-After` of the poll that gave `resource`, if
        /// it came from one.
        pub(crate) async fn #poll(
            &self,
            mut resource: #resource_type,
            polling: Polling,
            polled: Option<Option<Duration>>,
        ) -> Result<#resource_type, Error> {
            let interval = polling.interval.unwrap_or(Duration::from_secs(#default_interval));
            let started = tokio::time::Instant::now();
            let mut pause = polled.flatten().unwrap_or(interval);
            let mut polled = polled.is_some();
            loop {
                let state = #state;
                if [#(#success),*].iter().any(|final_state| final_state.eq_ignore_ascii_case(state)) {
                    return Ok(resource);
                }
                let Some(id) = #id_value else {
                    return Err(crate::error::WaitError::missing(#started_by, concat!(#pointer, " (its id)")));
                };
                if [#(#failure),*].iter().any(|final_state| final_state.eq_ignore_ascii_case(state)) {
                    return Err(Error::Wait(Box::new(crate::error::WaitError::Failed {
                        operation: #started_by,
                        id: #id_text,
                        state: state.to_owned(),
                        resource: serde_json::to_value(&resource).unwrap_or_default(),
                    })));
                }
                let waited = started.elapsed();
                if polled && waited >= polling.timeout {
                    return Err(Error::Wait(Box::new(crate::error::WaitError::TimedOut {
                        operation: #started_by,
                        id: #id_text,
                        state: state.to_owned(),
                        waited,
                    })));
                }
                tokio::time::sleep(pause.min(polling.timeout.saturating_sub(waited))).await;
                let (next, retry_after) = self.#fetch(id).await?;
                resource = next;
                polled = true;
                pause = retry_after.unwrap_or(interval);
            }
        }
    }
}

/// The free function that takes the tracked resource out of a response body.
pub fn resource_fn(emitter: &Emitter, operation: &Operation, long_running: &LongRunning) -> TokenStream {
    let extract = ident(&long_running.resource_fn);
    let Some(status_operation) = emitter.api.operation(long_running.status_operation) else { return quote!() };
    let body_type = match status_operation.responses.iter().find(|r| r.status.is_success()).map(|r| &r.body) {
        Some(crate::ir::BodyKind::Json(ty)) => rust_type(ty, Scope::Crate),
        _ => quote!(serde_json::Value),
    };
    let resource_type = rust_type(&long_running.resource_type, Scope::Crate);
    let steps = long_running.resource.iter().map(|step| match step {
        ResourceStep::Field { name, optional: false } => {
            let name = ident(name);
            quote!(.map(|value| value.#name))
        }
        ResourceStep::Field { name, optional: true } => {
            let name = ident(name);
            quote!(.and_then(|value| value.#name))
        }
        ResourceStep::Index(0) => quote!(.and_then(|value| value.into_iter().next())),
        ResourceStep::Index(index) => quote!(.and_then(|value| value.into_iter().nth(#index))),
    });
    let started_by = operation.operation_id.clone().unwrap_or_else(|| operation.name.clone());
    let pointer = &long_running.resource_pointer;
    let doc = plain(&format!("The resource at {} in a response body.", code(pointer)));
    quote! {
        #doc
        pub(crate) fn #extract(body: #body_type) -> Result<#resource_type, Error> {
            Some(body)#(#steps)*.ok_or_else(|| crate::error::WaitError::missing(#started_by, #pointer))
        }
    }
}

fn states(list: &[String]) -> String {
    list.iter().map(|state| code(state)).collect::<Vec<_>>().join(", ")
}

fn status_type_is_string(emitter: &Emitter, long_running: &LongRunning) -> bool {
    let TypeRef::Named(name) = &long_running.resource_type else { return false };
    let Some(crate::ir::TypeKind::Struct(fields)) = emitter.type_def(name).map(|d| &d.kind) else { return false };
    fields
        .fields
        .iter()
        .find(|f| f.name == long_running.status_field.name)
        .is_some_and(|f| *emitter.resolve(&f.ty) == TypeRef::String)
}

/// `send_and_wait` on the starting operation's builder.
pub fn builder_method(emitter: &Emitter, long_running: &LongRunning) -> TokenStream {
    let poll = ident(&long_running.poll_method);
    let extract = ident(&long_running.resource_fn);
    let resource_type = rust_type(&long_running.resource_type, Scope::Crate);
    let Some(status_operation) = emitter.api.operation(long_running.status_operation) else { return quote!() };
    let doc = plain(&format!(
        "Sends the request, then polls [`Client::{}`] until the work reaches a final\nstate: {} returns the resource, {} is an error, as is passing\n`polling.timeout`.",
        status_operation.name,
        states(&long_running.success_states),
        states(&long_running.failure_states)
    ));
    quote! {
        #doc
        pub async fn send_and_wait(self, polling: crate::client::Polling) -> Result<#resource_type, Error> {
            let client = self.client;
            let body = self.send().await?;
            let resource = crate::client::#extract(body)?;
            client.#poll(resource, polling, None).await
        }
    }
}
