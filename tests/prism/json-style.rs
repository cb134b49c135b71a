//! Calls every operation of `tests/fixtures/specs/json-style.json` (see
//! `common.rs` for how it is run): schemas reached through `$ref`s into
//! `paths`, percent-encoded pointers and reference chains, an inline
//! date-time response and an inline UUID request body (a JSON string).
//! Responses with an example (`listPets`, `getClinic`, non-ASCII text
//! included) must decode to it.
//!
//! The spec's server URL ends in `/`, as does the base URL the driver gives
//! (`BASE_URL/`): paths must still join with one slash, or Prism answers 404.
//! The wire recording also notes the server URL built from its variables.

mod common;

use client::client::{Port, Region};
use client::types::{Clinic, Items, OwnerInfo, Species};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = common::args();
    let http = common::http(&args);
    let mut report = common::Report::default();
    if args.proxy.is_some() {
        let defaults = client::Client::builder().http_client(http.clone()).build().expect("client");
        println!("default base URL: {}", defaults.base_url());
        let set = client::Client::builder().region(Region::Ap).port(Port::V8443).base_path("v6").build();
        println!("base URL with variables set: {}", set.expect("client").base_url());
    }
    let client = client::Client::builder()
        .base_url(format!("{}/", args.base_url))
        .http_client(http)
        .retry_policy(client::client::RetryPolicy::none())
        .build()
        .expect("client");

    let listed = client.list_pets().limit(2).species(Species::Dog).send_with_response().await;
    let pet = |id, name: &str, species| Items { id, name: name.to_owned(), species, owner: None, weight_kg: None };
    let owner = OwnerInfo { name: "Ana".to_owned(), phone: Some("+34 600 000 000".to_owned()) };
    let expected = [
        Items { owner: Some(owner), ..pet(1, "Rex", Species::Dog) },
        Items { weight_kg: Some(4.5), ..pet(2, "Tom", Species::Cat) },
    ];
    if let Ok(response) = &listed
        && response.body != expected
    {
        report.fail("listPets", format!("decoded as {:?}", response.body));
    }
    report.call("listPets", seen!(listed));

    let nibbles = Items {
        owner: Some(OwnerInfo { name: "Ana".to_owned(), phone: None }),
        weight_kg: Some(1.25),
        ..pet(3, "Nibbles", Species::Rabbit)
    };
    report.call("registerPet", seen!(client.register_pet(nibbles).send_with_response().await));
    report.call("getPet", seen!(client.get_pet(1).send_with_response().await));
    report.call("listVaccinations", seen!(client.list_vaccinations(1).send_with_response().await));
    report.call("getTwin", seen!(client.get_twin(1).send_with_response().await));
    let slots = client.list_free_slots().send_with_response().await;
    if let Ok(response) = &slots {
        // Prism's static example of a date-time.
        let shown: Vec<String> = response.body.iter().map(|slot| slot.to_rfc3339()).collect();
        if shown != ["2019-08-24T14:15:22+00:00"] {
            report.fail("listFreeSlots", format!("decoded as {shown:?}"));
        }
    }
    report.call("listFreeSlots", seen!(slots));
    let token = client::uuid::uuid!("1c0c5dc4-9d3f-4b0e-8f8c-93c1d0a2e001");
    report.call("confirmVisit", seen!(client.confirm_visit("V-17", token).send_with_response().await));

    let clinic = client.get_clinic().send_with_response().await;
    let open = [("mon", "09:00-18:00"), ("sat", "10:00-13:00")].map(|(day, hours)| (day.to_owned(), hours.to_owned()));
    let expected =
        Clinic { name: "Clinica Café".to_owned(), open: Some(open.into_iter().collect()), phones: Some(Vec::new()) };
    if let Ok(response) = &clinic
        && response.body != expected
    {
        report.fail("getClinic", format!("decoded as {:?}", response.body));
    }
    report.call("getClinic", seen!(clinic));
    report.finish()
}
