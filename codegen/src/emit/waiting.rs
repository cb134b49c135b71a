//! Waiting for long-running operations (`x-long-running-operation`):
//! `Client::wait_for_*`, and `send_and_poll` and `send_and_wait` on the
//! builder of the operation that starts the work. Only what the spec decides
//! is emitted here (how to read the state and the id, the final states, the
//! status request); the wait itself is the runtime's `Poller`
//! (`codegen/runtime/src/client/public/poller.rs`), and `Polling` its settings.

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

/// `Client::wait_for_*`, and the method that makes a `Poller` from a response.
pub fn client_methods(emitter: &Emitter, operation: &Operation, long_running: &LongRunning) -> TokenStream {
    let Some(status_operation) = emitter.api.operation(long_running.status_operation) else { return quote!() };
    let Some(id_param) = status_operation.param(long_running.id_param) else { return quote!() };
    let wait = ident(&long_running.wait_method);
    let poll = ident(&long_running.poll_method);
    let extract = ident(&long_running.resource_fn);
    let status_method = ident(&status_operation.name);
    let resource_type = rust_type(&long_running.resource_type, Scope::Crate);
    let body_type = status_body_type(emitter, long_running);
    let id_name = ident(&id_param.name);
    let id_type = rust_type(&id_param.ty, Scope::Crate);
    let started_by = operation.operation_id.clone().unwrap_or_else(|| operation.name.clone());
    let status_id = status_operation.operation_id.clone().unwrap_or_else(|| status_operation.name.clone());
    let id_pointer = format!("{} (its id)", long_running.resource_pointer);
    let id_field = ident(&long_running.id_field.name);
    // The id for the status request, and as text for errors.
    let (id_value, id_text) = if long_running.id_field.optional {
        let text = emitter.to_text(&id_param.ty, quote!(id));
        let value =
            if is_copy(&id_param.ty) { quote!(resource.#id_field?) } else { quote!(resource.#id_field.clone()?) };
        (value, quote!(resource.#id_field.as_ref().map(|id| #text)))
    } else {
        let value = if is_copy(&id_param.ty) { quote!(resource.#id_field) } else { quote!(resource.#id_field.clone()) };
        let text = emitter.to_text(&id_param.ty, quote!(resource.#id_field));
        (value, quote!(Some(#text)))
    };
    let status_field = ident(&long_running.status_field.name);
    let state = match (long_running.status_field.optional, long_running.status_is_string) {
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
    let poll_doc = plain(&format!(
        "Tracks the work {} started from `first`, a response holding its\nresource that took `polls` status requests.",
        code(&started_by)
    ));
    quote! {
        #wait_doc
        pub async fn #wait(&self, #id_name: #id_type, polling: Polling) -> Result<#resource_type, Error> {
            let first = self.#status_method(#id_name).send_with_response().await?;
            self.#poll(first, 1, polling)?.await
        }

        #poll_doc
        pub(crate) fn #poll<H>(
            &self,
            first: Response<#body_type, H>,
            polls: u32,
            polling: Polling,
        ) -> Result<Poller<#resource_type>, Error> {
            let tracking: Tracking<#resource_type> = Tracking {
                operation: #started_by,
                id_pointer: #id_pointer,
                success_states: &[#(#success),*],
                failure_states: &[#(#failure),*],
                interval: Duration::from_secs(#default_interval),
                state: |resource| #state,
                id: |resource| #id_text,
            };
            let first = Polled::new(first, #extract)?;
            let client = self.clone();
            Ok(Poller::new(tracking, first, polls, polling, move |resource| {
                let (client, id) = (client.clone(), #id_value);
                let fetch: Fetch<#resource_type> = Box::pin(async move {
                    Polled::new(client.#status_method(id).send_with_response().await?, #extract)
                });
                Some(fetch)
            }))
        }
    }
}

/// The status operation's success body type, which the resource is taken from.
fn status_body_type(emitter: &Emitter, long_running: &LongRunning) -> TokenStream {
    let status_operation = emitter.api.operation(long_running.status_operation);
    match status_operation.and_then(|op| op.responses.iter().find(|r| r.status.is_success())).map(|r| &r.body) {
        Some(crate::ir::BodyKind::Json(ty)) => rust_type(ty, Scope::Crate),
        _ => quote!(serde_json::Value),
    }
}

/// The free function that takes the tracked resource out of a response body.
pub fn resource_fn(emitter: &Emitter, operation: &Operation, long_running: &LongRunning) -> TokenStream {
    let extract = ident(&long_running.resource_fn);
    let body_type = status_body_type(emitter, long_running);
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

/// `send_and_poll` and `send_and_wait` on the starting operation's builder.
pub fn builder_method(emitter: &Emitter, long_running: &LongRunning) -> TokenStream {
    let poll = ident(&long_running.poll_method);
    let resource_type = rust_type(&long_running.resource_type, Scope::Crate);
    let Some(status_operation) = emitter.api.operation(long_running.status_operation) else { return quote!() };
    let until = format!(
        "polls [`Client::{}`] until the work reaches a final state:\n{} is success, {} is failure (ignoring ASCII case)",
        status_operation.name,
        states(&long_running.success_states),
        states(&long_running.failure_states)
    );
    let poll_doc = plain(&format!(
        "Sends the request, then gives a [`Poller`](crate::client::Poller) that {until}.\n\n\
         The poller is a [`Stream`](futures_core::Stream) of\n\
         [`Snapshot`](crate::client::Snapshot)s (state, time elapsed, number of polls,\n\
         resource) that ends with the resource in its success state or an error, for a\n\
         program that shows progress; awaiting it gives that final result. It pauses\n\
         `polling.interval` between polls (the spec's {} s when `None`), or as long as a\n\
         response's `Retry-After` asks, this request's included. Unless the work is\n\
         already over, it polls at least once, and a last time once `polling.timeout`\n\
         has passed since the request was answered, then fails with\n\
         [`WaitError::TimedOut`](crate::error::WaitError::TimedOut). Dropping the poller\n\
         stops polling: it sends no request after that.",
        long_running.poll_interval_seconds
    ));
    let wait_doc = plain(&format!(
        "Sends the request, then {until}. Returns the resource in\n\
         its success state, or fails with [`WaitError::Failed`](crate::error::WaitError::Failed),\n\
         or with [`WaitError::TimedOut`](crate::error::WaitError::TimedOut) once `polling.timeout` passes.\n\
         The same as awaiting [`send_and_poll`](Self::send_and_poll)'s poller."
    ));
    quote! {
        #poll_doc
        pub async fn send_and_poll(
            self,
            polling: crate::client::Polling,
        ) -> Result<crate::client::Poller<#resource_type>, Error> {
            let client = self.client;
            let response = self.send_with_response().await?;
            client.#poll(response, 0, polling)
        }

        #wait_doc
        pub async fn send_and_wait(self, polling: crate::client::Polling) -> Result<#resource_type, Error> {
            self.send_and_poll(polling).await?.await
        }
    }
}
