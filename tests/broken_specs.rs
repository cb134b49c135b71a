//! Broken and unsupported specs: each gets a clear error that names the file
//! and the place, the command fails, and the output folder is left untouched.

use std::path::Path;

use payouts_tests::{repo_root, snapshot, xtask};

/// Fixture, and what its error must say (location and message).
const CASES: &[(&str, &[&str])] = &[
    ("malformed.yaml", &["malformed.yaml:9:1: invalid YAML"]),
    ("malformed.json", &["malformed.json:4:13: invalid JSON"]),
    ("duplicate-keys.yaml", &["duplicate-keys.yaml:7:5:", "#/paths/~1pets/get: duplicate key `get`"]),
    ("swagger2.yaml", &["swagger2.yaml: #/swagger: unsupported: this is a Swagger 2.0"]),
    ("openapi31.yaml", &["openapi31.yaml: #/openapi: unsupported: OpenAPI 3.1.0"]),
    ("not-openapi.yaml", &["not-openapi.yaml: not an OpenAPI document"]),
    (
        "unresolved-ref.yaml",
        &[
            "#/paths/~1pets/get/responses/200/content/application~1json/schema/$ref: unresolved reference `#/components/schemas/Pet`",
        ],
    ),
    ("ref-cycle.yaml", &["#/paths/~1pets/get/parameters/0/$ref: reference cycle"]),
    (
        "duplicate-operation-id.yaml",
        &[
            "#/paths/~1owners/get/operationId: duplicate operationId `getThing`",
            "#/paths/~1pets/get/operationId uses it already",
        ],
    ),
    ("path-parameter-undeclared.yaml", &["#/paths/~1pets~1{petId}/get: path `/pets/{petId}` has `{petId}`"]),
    ("path-parameter-not-in-template.yaml", &["#/paths/~1pets/get: path parameter `petId` does not appear"]),
    (
        "bad-filter-extension.yaml",
        &[
            "#/paths/~1payments/post/parameters/0/x-odata-filter/fields/paymentAmount/operators/1: unknown operator \"between\"",
        ],
    ),
    ("allof-cycle.yaml", &["#/components/schemas/A/allOf/0: `allOf` cycle"]),
    (
        "style-not-allowed-here.yaml",
        &[
            "#/paths/~1pets~1{petId}/get/parameters/0/style: style `deepObject` is not allowed for a path parameter; OpenAPI 3.0 allows `simple`, `label`, `matrix` there",
        ],
    ),
    (
        "server-variable-undefined.yaml",
        &["#/servers/0/url: server URL `https://{region}.example.com/{version}` uses variable `version`"],
    ),
    (
        "bad-download-link.yaml",
        &[
            "#/paths/~1exports~1{id}/get/parameters/0/schema/x-download-link: `x-download-link` belongs on a property of an object schema",
            "#/components/schemas/Export/properties/location/x-download-link: `x-download-link` must be `true` or a map",
            "#/components/schemas/Export/properties/size/x-download-link: `x-download-link` belongs on a `type: string` property",
            "#/components/schemas/Export/properties/mirror/x-download-link/mediaType: `mediaType` must be a media type",
        ],
    ),
];

fn fixture(name: &str) -> String {
    repo_root().join("tests/fixtures/broken").join(name).to_string_lossy().into_owned()
}

/// A folder holding a crate generated from the real spec.
fn generated_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = dir.path().join("client");
    let run = xtask(&["generate", "--out", out.to_str().unwrap_or_default()]);
    assert_eq!(run.code, 0, "{run:?}");
    dir
}

#[test]
fn every_broken_spec_is_reported_with_its_place_and_nothing_is_written() {
    let dir = generated_folder();
    let out = dir.path().join("client");
    let before = snapshot(&out);
    assert!(before.len() > 3, "the folder should hold a generated crate");
    let mut failures = Vec::new();
    for (name, expected) in CASES {
        let run = xtask(&["generate", "--spec", &fixture(name), "--out", out.to_str().unwrap_or_default()]);
        let problems: Vec<String> = expected
            .iter()
            .filter(|needle| !run.stderr.contains(*needle))
            .map(|needle| format!("missing `{needle}`"))
            .collect();
        if run.code != 1
            || !problems.is_empty()
            || !run.stderr.contains("nothing was written")
            || run.stderr.contains("panicked")
        {
            failures.push(format!("{name}: exit {} {problems:?}\n{}", run.code, run.stderr));
        }
        assert_eq!(snapshot(&out), before, "{name} changed the output folder");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_broken_spec_does_not_create_the_output_folder() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = dir.path().join("never");
    let run =
        xtask(&["generate", "--spec", &fixture("unresolved-ref.yaml"), "--out", out.to_str().unwrap_or_default()]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(!Path::new(&out).exists());
}

#[test]
fn check_mode_on_a_broken_spec_fails_too() {
    let dir = generated_folder();
    let out = dir.path().join("client");
    let run =
        xtask(&["generate", "--check", "--spec", &fixture("swagger2.yaml"), "--out", out.to_str().unwrap_or_default()]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("Swagger 2.0"), "{run:?}");
}

#[test]
fn a_missing_spec_file_and_bad_arguments_are_errors() {
    let run = xtask(&["generate", "--spec", "/no/such/spec.yaml"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("cannot read /no/such/spec.yaml"), "{run:?}");
    let run = xtask(&["generate", "--frobnicate"]);
    assert_eq!(run.code, 2, "{run:?}");
    let run = xtask(&["generate", "--crate-name", "9lives"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("not a valid package name"), "{run:?}");
}

#[test]
fn a_folder_that_is_not_a_generated_crate_is_refused() {
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::write(dir.path().join("notes.md"), "my notes").expect("write");
    let run = xtask(&["generate", "--out", dir.path().to_str().unwrap_or_default()]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("refusing to write"), "{run:?}");
    assert_eq!(std::fs::read_to_string(dir.path().join("notes.md")).unwrap_or_default(), "my notes");
}

/// The library checks the crate name itself, not only the command line.
#[test]
fn generate_refuses_an_invalid_crate_name() {
    let spec = std::fs::read_to_string(payouts_tests::repo_root().join("spec/payouts.yaml")).expect("spec");
    for name in ["1x", "", "a b", "crate/name", "ünïcode"] {
        let mut options = codegen::Options::new("spec/payouts.yaml");
        options.crate_name = Some(name.to_owned());
        let error = codegen::generate(&spec, &options).expect_err(name);
        assert!(error.to_string().contains("is not a valid package name"), "{name}: {error}");
    }
    let mut options = codegen::Options::new("spec/payouts.yaml");
    options.crate_name = Some("payouts-2".to_owned());
    assert!(codegen::generate(&spec, &options).is_ok());
}
