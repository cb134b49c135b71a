//! The generated crate of every feature spec in `tests/fixtures/specs`, kept
//! as reviewable snapshots (`tests/snapshots/`): an emitter change shows up
//! as a snapshot diff in the pull request.
//!
//! After an intended output change, `INSTA_UPDATE=always cargo test -p
//! payouts-tests --test snapshots` rewrites them (or use `cargo insta review`).

use std::fs;

use payouts_tests::{fixture_specs, repo_root};

#[test]
fn generated_crates_match_their_snapshots() {
    let specs = fixture_specs();
    assert!(specs.len() >= 9, "the fixture specs: {specs:?}");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(repo_root().join("tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for spec in &specs {
            let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
            let name =
                format!("tests/fixtures/specs/{}", spec.file_name().and_then(|s| s.to_str()).unwrap_or_default());
            let text = fs::read_to_string(spec).unwrap_or_else(|error| panic!("{name}: {error}"));
            let files =
                codegen::generate(&text, &codegen::Options::new(&name)).unwrap_or_else(|error| panic!("{error}"));
            for (path, contents) in &files {
                let snapshot = format!("{stem}__{}", path.replace(['/', '.'], "_"));
                insta::assert_snapshot!(snapshot, contents);
            }
        }
    });
}
