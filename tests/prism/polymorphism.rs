//! Calls every operation of `tests/fixtures/specs/polymorphism.yaml` (see
//! `common.rs` for how it is run): adds a cat, whose body carries its
//! `petType` tag beside the fields of both schemas, and lists pets. Prism
//! answers the list with the spec's example (a cat, a dog, a parrot, which
//! the spec does not list, and a puppy, a subtype of the dog): each tag must
//! pick its variant.

mod common;

use client::types::{Cat, Pet};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = common::args();
    let client = common::client_builder(&args).build().expect("client");
    let mut report = common::Report::default();

    let cat = Pet::Cat(Cat { pet_type: "cat".to_owned(), name: "Tom".to_owned(), purrs: Some(true) });
    report.call("addPet", seen!(client.add_pet(cat).send_with_response().await));
    let listed = client.list_pets().send_with_response().await;
    if let Ok(response) = &listed {
        let kinds: Vec<String> = response
            .body
            .iter()
            .map(|pet| match pet {
                Pet::Cat(cat) => format!("cat {}", cat.name),
                Pet::Dog(dog) => format!("dog {}", dog.name),
                Pet::Puppy(puppy) => format!("puppy {} {}", puppy.name, puppy.vaccinated),
                Pet::Unknown(other) => format!("unlisted {}", other["petType"]),
            })
            .collect();
        if kinds != ["cat Tom", "dog Rex", "unlisted \"parrot\"", "puppy Bit true"] {
            report.fail("listPets", format!("decoded as {kinds:?}"));
        }
    }
    report.call("listPets", seen!(listed));
    report.finish()
}
