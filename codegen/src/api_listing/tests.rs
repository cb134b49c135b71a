use std::collections::BTreeMap;
use std::path::Path;

use super::*;

const LIB: &str = r#"
//! A crate with one item of every kind.
pub mod shapes;
mod hidden;
pub(crate) mod internal;
pub use shapes::{Shape, area as compute_area};
pub use self::shapes::*;
pub const LIMIT: u32 = 3;
pub static mut COUNTER: u8 = 0;
pub fn top<T: Clone>(value: &T) -> T where T: Send { value.clone() }
pub type Pair<'a> = (&'a str, u8);
pub mod inline {
    pub fn inner() {}
    mod deeper {
        pub fn unreachable() {}
    }
}
#[cfg(test)]
pub fn only_in_tests() {}
#[cfg(test)]
mod tests {
    pub fn inside_tests() {}
}
"#;

const SHAPES: &str = r#"
use crate::LIMIT;

#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
#[non_exhaustive]
pub struct Shape<T: Copy = u8> {
    pub sides: u8,
    pub label: Option<String>,
    hidden: T,
    pub(crate) internal: u8,
}

#[derive(Default)]
pub struct Point(pub i32, pub i32);

pub struct Marker;

#[derive(Debug)]
#[non_exhaustive]
pub enum Kind {
    Flat,
    #[non_exhaustive]
    Round(f64),
    Named { name: String, sides: u8 },
}

pub enum Level {
    Low = 1,
    High = -1,
}

pub union Bits {
    pub int: u32,
    float: f32,
}

pub trait Measure: Send {
    const UNIT: &'static str;
    const SCALE: f64 = 1.0;
    type Output: Clone;
    fn measure(&self) -> Self::Output;
    fn describe(&self) -> String {
        String::new()
    }
}

pub(crate) trait Sealed {}

struct Secret;

impl Shape<u8> {
    pub const MAX_SIDES: u8 = 12;
    pub fn new(sides: u8) -> Self {
        todo!()
    }
    pub async fn scaled(&mut self, mut scale: f64) -> Result<f64, String> {
        todo!()
    }
    pub(crate) fn internal_method(&self) {}
    fn private_method(&self) {}
    #[cfg(test)]
    pub fn test_helper() {}
}

impl Measure for Point {
    const UNIT: &'static str = "m";
    type Output = i32;
    fn measure(&self) -> i32 {
        self.0
    }
}

impl std::fmt::Display for Point {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Ok(())
    }
}

impl core::fmt::Debug for Marker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Ok(())
    }
}

impl Sealed for Point {}

impl Secret {
    pub fn leak(&self) {}
}

impl Clone for Secret {
    fn clone(&self) -> Self {
        Secret
    }
}

impl<T: Measure> Measure for Vec<T>
where
    T: Clone,
{
    const UNIT: &'static str = "";
    type Output = ();
    fn measure(&self) {}
}

pub fn area(shape: &Shape) -> f64 {
    0.0
}

pub(super) fn helper() {}

#[cfg(test)]
mod tests {
    pub fn in_shape_tests() {}
}
"#;

fn parsed(sources: &[(&str, &str)]) -> BTreeMap<String, syn::File> {
    sources.iter().map(|(path, text)| ((*path).to_owned(), syn::parse_file(text).unwrap())).collect()
}

fn fixture() -> BTreeMap<String, syn::File> {
    parsed(&[
        ("src/lib.rs", LIB),
        ("src/shapes.rs", SHAPES),
        ("src/hidden.rs", "pub struct Hidden;\npub fn hidden_function() {}"),
        ("src/internal.rs", "pub fn internal_function() {}"),
        ("src/inline/deeper.rs", "pub fn not_a_file_module() {}"),
        ("tests/it.rs", "pub fn in_integration_tests() {}"),
    ])
}

fn lines(items: &[ApiItem]) -> Vec<&str> {
    items.iter().map(|item| item.line.as_str()).collect()
}

#[test]
fn listing_shows_every_item_kind_with_full_paths_and_signatures() {
    let items = listing("my-crate", fixture());
    let expected = [
        "#[non_exhaustive] pub enum my_crate::shapes::Kind",
        "#[non_exhaustive] pub my_crate::shapes::Kind::Round(f64)",
        "#[non_exhaustive] pub struct my_crate::shapes::Shape<T: Copy = u8> { /* private fields */ }",
        "impl Debug for my_crate::shapes::Kind",
        "impl Debug for my_crate::shapes::Marker",
        "impl Default for my_crate::shapes::Point",
        "impl my_crate::shapes::Measure for my_crate::shapes::Point",
        "impl std::fmt::Display for my_crate::shapes::Point",
        "impl<'de, T: Copy> serde::Deserialize<'de> for my_crate::shapes::Shape<T>",
        "impl<T: Copy> Clone for my_crate::shapes::Shape<T>",
        "impl<T: Copy> Debug for my_crate::shapes::Shape<T>",
        "impl<T: Copy> PartialEq for my_crate::shapes::Shape<T>",
        "impl<T: crate::shapes::Measure> my_crate::shapes::Measure for Vec<T> where T: Clone",
        "pub async fn my_crate::shapes::Shape::scaled(&mut self, scale: f64) -> Result<f64, String>",
        "pub const my_crate::LIMIT: u32",
        "pub const my_crate::shapes::Measure::SCALE: f64 = ...",
        "pub const my_crate::shapes::Measure::UNIT: &'static str",
        "pub const my_crate::shapes::Shape::MAX_SIDES: u8",
        "pub enum my_crate::shapes::Level",
        "pub fn my_crate::inline::inner()",
        "pub fn my_crate::shapes::Measure::describe(&self) -> String { ... }",
        "pub fn my_crate::shapes::Measure::measure(&self) -> Self::Output",
        "pub fn my_crate::shapes::Shape::new(sides: u8) -> Self",
        "pub fn my_crate::shapes::area(shape: &crate::shapes::Shape) -> f64",
        "pub fn my_crate::top<T: Clone>(value: &T) -> T where T: Send",
        "pub mod my_crate::inline",
        "pub mod my_crate::shapes",
        "pub my_crate::shapes::Bits::int: u32",
        "pub my_crate::shapes::Kind::Flat",
        "pub my_crate::shapes::Kind::Named { name: String, sides: u8 }",
        "pub my_crate::shapes::Level::High = -1",
        "pub my_crate::shapes::Level::Low = 1",
        "pub my_crate::shapes::Point::0: i32",
        "pub my_crate::shapes::Point::1: i32",
        "pub my_crate::shapes::Shape::label: Option<String>",
        "pub my_crate::shapes::Shape::sides: u8",
        "pub static mut my_crate::COUNTER: u8",
        "pub struct my_crate::shapes::Marker",
        "pub struct my_crate::shapes::Point",
        "pub trait my_crate::shapes::Measure: Send",
        "pub type my_crate::Pair<'a> = (&'a str, u8)",
        "pub type my_crate::shapes::Measure::Output: Clone",
        "pub union my_crate::shapes::Bits { /* private fields */ }",
        "pub use my_crate::* = my_crate::shapes::*",
        "pub use my_crate::Shape = my_crate::shapes::Shape",
        "pub use my_crate::compute_area = my_crate::shapes::area",
    ];
    assert_eq!(lines(&items), expected);
}

#[test]
fn private_restricted_and_test_only_items_are_left_out() {
    let items = listing("my-crate", fixture());
    let text = lines(&items).join("\n");
    for absent in [
        "hidden",
        "Hidden",
        "internal",
        "deeper",
        "unreachable",
        "only_in_tests",
        "inside_tests",
        "in_shape_tests",
        "test_helper",
        "private_method",
        "helper",
        "Secret",
        "leak",
        "Sealed",
        "float",
        "in_integration_tests",
        print::NAME,
        print::TRAIT,
    ] {
        assert!(!text.contains(absent), "{absent} is listed:\n{text}");
    }
    // The same crate with everything private lists nothing but its modules.
    let private = parsed(&[("src/lib.rs", "pub mod a; pub(crate) fn f() {} pub(super) struct S;"), ("src/a.rs", "")]);
    assert_eq!(lines(&listing("k", private)), ["pub mod k::a"]);
}

#[test]
fn listing_is_sorted_deduplicated_and_independent_of_source_order() {
    let forward = listing("my-crate", fixture());
    assert_eq!(forward, listing("my-crate", fixture()));
    let mut sorted = lines(&forward);
    sorted.sort();
    sorted.dedup();
    assert_eq!(lines(&forward), sorted);

    let mut reversed = fixture();
    for file in reversed.values_mut() {
        file.items.reverse();
    }
    assert_eq!(listing("my-crate", reversed), forward);

    let rendered = render("my-crate", "cargo xtask generate", &forward);
    let mut shuffled = forward.clone();
    shuffled.reverse();
    shuffled.extend(forward.iter().take(3).cloned());
    assert_eq!(render("my-crate", "cargo xtask generate", &shuffled), rendered);
}

#[test]
fn render_then_parse_gives_the_same_items() {
    let items = listing("my-crate", fixture());
    let rendered = render("my-crate", "cargo xtask generate", &items);
    assert!(
        rendered.starts_with(
            "<!-- @generated by `cargo xtask generate`. Do not edit by hand: change the spec and regenerate. -->\n# Public API of `my_crate`\n"
        ),
        "{rendered}"
    );
    assert!(rendered.ends_with("\n```\n"), "{rendered}");
    assert_eq!(parse(&rendered), items);
    // Windows line endings and indentation do not matter.
    assert_eq!(parse(&rendered.replace('\n', "\r\n")), items);
}

#[test]
fn parse_never_fails_and_ignores_what_is_outside_the_block() {
    assert_eq!(parse(""), []);
    assert_eq!(parse("# Public API\nno block at all\npub fn x()"), []);
    assert_eq!(parse("```rust\npub fn x()\n```"), []);
    assert_eq!(lines(&parse("```text\npub fn k::x()\n\npub fn k::x()")), ["pub fn k::x()"]);
    assert_eq!(lines(&parse("before\n```text\nb\na\n```\nafter\n```text\nc\n```")), ["a", "b"]);
    for garbage in [
        "#[",
        "#[[]",
        "impl<",
        "impl<<<>",
        "impl<F: Fn() -> T",
        "pub ",
        "pub fn",
        "pub static mut",
        "pub const",
        "é::ü",
        "\u{0}",
    ] {
        let items = parse(&format!("```text\n{garbage}\n```"));
        assert_eq!(items.len(), 1, "{garbage:?}");
    }
}

#[test]
fn keys_are_kind_and_path_without_signature_or_markers() {
    let cases = [
        ("pub fn k::Client::new(token: impl Into<String>) -> Result<Self, Error>", "pub fn k::Client::new"),
        ("pub async fn k::Client::send(self) -> Result<(), Error>", "pub fn k::Client::send"),
        ("pub const unsafe fn k::f()", "pub fn k::f"),
        ("pub extern \"C\" fn k::f()", "pub fn k::f"),
        ("pub const k::LIMIT: u32", "pub const k::LIMIT"),
        ("pub static mut k::COUNTER: u8", "pub static k::COUNTER"),
        ("pub fn dyn k::Shape::area(&self) -> f64", "pub fn k::Shape::area"),
        ("#[non_exhaustive] pub struct k::S<T> { /* private fields */ }", "pub struct k::S"),
        ("#[non_exhaustive] pub k::E::V(f64)", "pub k::E::V"),
        ("pub k::S::field: Option<String>", "pub k::S::field"),
        ("pub k::S::r#type: String", "pub k::S::r#type"),
        ("pub k::S::0: i32", "pub k::S::0"),
        ("pub use k::Client = k::client::Client", "pub use k::Client"),
        ("pub use k::* = k::shapes::*", "pub use k::*"),
        ("pub type k::T::Output: Clone = ...", "pub type k::T::Output"),
        ("pub mod k::a", "pub mod k::a"),
        ("pub unsafe trait k::T: Send", "pub trait k::T"),
        ("impl Clone for k::S", "impl Clone for k::S"),
        ("impl<'de> serde::Deserialize<'de> for k::S", "impl serde::Deserialize<'de> for k::S"),
        ("impl<F: Fn() -> T, T> k::P for F where F: Send", "impl k::P for F"),
        ("unsafe impl Send for k::S", "impl Send for k::S"),
        ("not a listing line", "not a listing line"),
    ];
    for (line, expected) in cases {
        assert_eq!(key(line), expected, "{line}");
        assert_eq!(ApiItem::new(line).key, expected);
    }
}

/// A small old listing that the diff cases below edit.
const OLD: &[&str] = &[
    "pub struct k::Open",
    "pub k::Open::a: u8",
    "#[non_exhaustive] pub struct k::Closed",
    "pub k::Closed::a: u8",
    "pub struct k::Sealed { /* private fields */ }",
    "pub enum k::Exhaustive",
    "pub k::Exhaustive::A",
    "#[non_exhaustive] pub enum k::Open2",
    "pub k::Open2::A",
    "pub trait k::T",
    "pub fn k::T::required(&self)",
    "pub fn k::Open::get(&self) -> u8",
    "impl Clone for k::Open",
];

fn edited(remove: &[&str], add: &[&str]) -> Vec<ApiItem> {
    OLD.iter().filter(|line| !remove.contains(line)).chain(add).map(|line| ApiItem::new(*line)).collect()
}

#[test]
fn diff_gives_the_semver_bump_of_each_kind_of_change() {
    let old = edited(&[], &[]);
    let cases: &[(&str, &[&str], &[&str], Semver)] = &[
        ("nothing", &[], &[], Semver::None),
        ("field added to an exhaustive struct", &[], &["pub k::Open::b: u8"], Semver::Major),
        ("field added to a non_exhaustive struct", &[], &["pub k::Closed::b: u8"], Semver::Minor),
        ("field added to a struct with private fields", &[], &["pub k::Sealed::b: u8"], Semver::Minor),
        ("field added to a new struct", &[], &["pub struct k::New", "pub k::New::a: u8"], Semver::Minor),
        ("variant added to an exhaustive enum", &[], &["pub k::Exhaustive::B"], Semver::Major),
        ("variant added to a non_exhaustive enum", &[], &["pub k::Open2::B"], Semver::Minor),
        ("new method", &[], &["pub fn k::Open::set(&mut self, a: u8)"], Semver::Minor),
        ("removed method", &["pub fn k::Open::get(&self) -> u8"], &[], Semver::Major),
        (
            "changed return type",
            &["pub fn k::Open::get(&self) -> u8"],
            &["pub fn k::Open::get(&self) -> u16"],
            Semver::Major,
        ),
        ("derive removed", &["impl Clone for k::Open"], &[], Semver::Major),
        ("derive added", &[], &["impl Debug for k::Open"], Semver::Minor),
        ("required trait method added", &[], &["pub fn k::T::more(&self)"], Semver::Major),
        ("provided trait method added", &[], &["pub fn k::T::more(&self) { ... }"], Semver::Minor),
        (
            "trait method given a default",
            &["pub fn k::T::required(&self)"],
            &["pub fn k::T::required(&self) { ... }"],
            Semver::Minor,
        ),
        (
            "struct made non_exhaustive",
            &["pub struct k::Open"],
            &["#[non_exhaustive] pub struct k::Open"],
            Semver::Major,
        ),
        (
            "struct no longer non_exhaustive",
            &["#[non_exhaustive] pub struct k::Closed"],
            &["pub struct k::Closed"],
            Semver::Minor,
        ),
        (
            "struct gained a private field",
            &["pub struct k::Open"],
            &["pub struct k::Open { /* private fields */ }"],
            Semver::Major,
        ),
        (
            "enum made non_exhaustive",
            &["pub enum k::Exhaustive"],
            &["#[non_exhaustive] pub enum k::Exhaustive"],
            Semver::Major,
        ),
        ("new module", &[], &["pub mod k::extra"], Semver::Minor),
    ];
    for (name, remove, add, expected) in cases {
        let changes = diff(&old, &edited(remove, add));
        assert_eq!(changes.semver(), *expected, "{name}: {changes:#?}");
        assert_eq!(changes.is_empty(), *expected == Semver::None, "{name}");
    }
}

#[test]
fn a_changed_signature_is_one_change_of_the_same_key() {
    let old = edited(&[], &[]);
    let new = edited(&["pub fn k::Open::get(&self) -> u8"], &["pub async fn k::Open::get(&self) -> u16"]);
    let changes = diff(&old, &new).changes;
    assert_eq!(changes.len(), 1, "{changes:#?}");
    let change = &changes[0];
    assert_eq!(change.kind, ChangeKind::Changed);
    assert_eq!(change.key, "pub fn k::Open::get");
    assert_eq!(change.old.as_deref(), Some("pub fn k::Open::get(&self) -> u8"));
    assert_eq!(change.new.as_deref(), Some("pub async fn k::Open::get(&self) -> u16"));
    assert!(change.breaking);
    assert_eq!(
        change.message,
        "signature changed: `pub fn k::Open::get(&self) -> u8` -> `pub async fn k::Open::get(&self) -> u16`"
    );

    let removed = diff(&old, &edited(&["impl Clone for k::Open"], &[])).changes;
    assert_eq!(removed.len(), 1);
    assert_eq!((removed[0].kind, removed[0].breaking), (ChangeKind::Removed, true));
    assert_eq!(removed[0].message, "removed `impl Clone for k::Open`");

    let added = diff(&old, &edited(&[], &["pub k::Open::b: u8", "pub fn k::Open::c()"])).changes;
    assert_eq!(
        lines_of(&added),
        [
            "added `pub fn k::Open::c()`",
            "added `pub k::Open::b: u8` (breaking: `k::Open` was an exhaustive struct without private fields: struct literals and patterns must now name the new field)"
        ]
    );
}

fn lines_of(changes: &[Change]) -> Vec<&str> {
    changes.iter().map(|change| change.message.as_str()).collect()
}

#[test]
fn diff_is_sorted_by_key_and_the_same_whatever_the_input_order() {
    let old = edited(&[], &[]);
    let new = edited(
        &["pub fn k::Open::get(&self) -> u8", "impl Clone for k::Open"],
        &["pub k::Exhaustive::B", "pub mod k::z"],
    );
    let changes = diff(&old, &new);
    let keys: Vec<&str> = changes.changes.iter().map(|change| change.key.as_str()).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    let mut old_reversed = old.clone();
    old_reversed.reverse();
    let mut new_reversed = new.clone();
    new_reversed.reverse();
    assert_eq!(diff(&old_reversed, &new_reversed), changes);
}

#[test]
fn bump_is_patch_only_when_the_api_is_the_same_but_other_files_differ() {
    let old = edited(&[], &[]);
    let same = diff(&old, &old);
    assert_eq!(bump(&same, false), Semver::None);
    assert_eq!(bump(&same, true), Semver::Patch);
    let minor = diff(&old, &edited(&[], &["pub mod k::extra"]));
    assert_eq!(bump(&minor, true), Semver::Minor);
    let major = diff(&old, &edited(&["pub trait k::T"], &[]));
    assert_eq!(bump(&major, false), Semver::Major);
    assert!(Semver::None < Semver::Patch && Semver::Patch < Semver::Minor && Semver::Minor < Semver::Major);
    let names: Vec<&str> =
        [Semver::None, Semver::Patch, Semver::Minor, Semver::Major].iter().map(|s| s.as_str()).collect();
    assert_eq!(names, ["none", "patch", "minor", "major"]);
}

/// The real client: `API.md` is emitted, matches the code it describes, and
/// lists the runtime and spec items while leaving the crate's internals out.
#[test]
fn the_generated_client_lists_its_public_api() {
    let spec_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/payouts.yaml");
    let spec = std::fs::read_to_string(&spec_path).unwrap();
    let files = crate::generate(&spec, &crate::Options::new("spec/payouts.yaml")).unwrap();
    let md = &files[FILE_NAME];
    assert!(md.starts_with("<!-- @generated by `cargo xtask generate`."), "{md}");
    let items = parse(md);

    // The same listing from the emitted text, parsed again.
    let trees: BTreeMap<String, syn::File> = files
        .iter()
        .filter(|(path, _)| path.ends_with(".rs"))
        .map(|(path, text)| (path.clone(), syn::parse_file(text).unwrap()))
        .collect();
    assert_eq!(items, listing("partner-center-payouts-client", trees));

    let text = lines(&items).join("\n");
    for present in [
        "pub use partner_center_payouts_client::Client = partner_center_payouts_client::client::Client",
        "pub fn partner_center_payouts_client::client::Client::new(token: impl Into<String>) -> Result<Self, crate::error::Error>",
        "pub async fn partner_center_payouts_client::builders::GetPaymentsExportRequest::send(self) -> Result<crate::types::PaymentsExportRequestCollection, crate::error::Error>",
        "pub struct partner_center_payouts_client::client::Client { /* private fields */ }",
        "pub partner_center_payouts_client::client::RetryPolicy::max_attempts: u32",
        "#[non_exhaustive] pub enum partner_center_payouts_client::error::Error",
        "pub partner_center_payouts_client::types::ExportStatus::Completed",
        "impl Clone for partner_center_payouts_client::client::Client",
        "pub fn partner_center_payouts_client::client::TokenProvider::token(&self) -> crate::client::TokenFuture<'_>",
        // Implemented by the runtime's `string_enum!`, expanded for the listing.
        "impl std::fmt::Display for partner_center_payouts_client::types::ExportStatus",
        "pub mod partner_center_payouts_client::types",
    ] {
        assert!(text.contains(present), "missing {present}:\n{text}");
    }
    for absent in ["::Request", "::Token ", "execute", "poll_payments_export_request", "Secret", "::Expr", "examples"] {
        assert!(!text.contains(absent), "{absent} is listed:\n{text}");
    }
    for item in &items {
        let line = &item.line;
        assert!(!line.contains("( ") && !line.contains(" )") && !line.contains(", )"), "{line}");
        assert!(line.starts_with("pub ") || line.starts_with("impl") || line.starts_with(NON_EXHAUSTIVE), "{line}");
        assert!(line.contains("partner_center_payouts_client::"), "{line}");
    }
    let keys: std::collections::BTreeSet<&str> = items.iter().map(|item| item.key.as_str()).collect();
    assert_eq!(keys.len(), items.len(), "every item has its own key");
}

#[test]
fn odd_sources_are_listed_as_written_without_panicking() {
    let source = r#"
        pub mod missing;
        pub mod r#async { pub struct r#type; }
        pub(in crate) fn restricted() {}
        pub extern crate alloc;
        macro_rules! m { () => {} }
        m!();
        pub trait Shape {}
        impl dyn Shape { pub fn dynamic(&self) {} }
        impl<'a> Clone for &'a Wrapper { fn clone(&self) -> Self { self } }
        pub struct Wrapper;
        unsafe impl Send for Wrapper {}
        pub use ::std::fmt::Debug as D;
        pub use super::outside;
        pub type Alias = <Wrapper as Shape>::Output;
        pub fn many(a: u8, (b, c): (u8, u8), ref d: u8) -> impl Iterator<Item = u8> + 'static { todo!() }
        pub const fn constant() -> u8 { 0 }
        pub unsafe extern "C" fn foreign(x: *const u8) {}
    "#;
    let items = listing("k", parsed(&[("src/lib.rs", source)]));
    assert_eq!(
        lines(&items),
        [
            "impl<'a> Clone for &'a Wrapper",
            "pub const fn k::constant() -> u8",
            "pub fn dyn k::Shape::dynamic(&self)",
            "pub fn k::many(a: u8, (b, c): (u8, u8), d: u8) -> impl Iterator<Item = u8> + 'static",
            "pub mod k::missing",
            "pub mod k::r#async",
            "pub struct k::Wrapper",
            "pub struct k::r#async::r#type",
            "pub trait k::Shape",
            "pub type k::Alias = <crate::Wrapper as Shape>::Output",
            "pub unsafe extern \"C\" fn k::foreign(x: *const u8)",
            "pub use k::D = ::std::fmt::Debug",
            "pub use k::outside = super::outside",
            "unsafe impl Send for k::Wrapper",
        ]
    );
}

/// A crate committed before `API.md` existed is listed from its sources,
/// exactly as `generate` lists the crate it makes: from files formatted and
/// read in parts (a long `builders.rs` is), or whole.
#[test]
fn sources_give_the_same_listing_as_generation() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut specs = vec![format!("{root}/spec/payouts.yaml")];
    for entry in std::fs::read_dir(format!("{root}/tests/fixtures/specs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|extension| extension == "yaml" || extension == "json") {
            specs.push(path.display().to_string());
        }
    }
    let mut parted = 0;
    for spec in specs {
        let text = std::fs::read_to_string(&spec).unwrap();
        let options = crate::Options { crate_name: Some("k".to_owned()), ..crate::Options::new(&spec) };
        let files = crate::generate(&text, &options).unwrap();
        let from_sources = super::listing_of_sources("k", &files).unwrap();
        let generated = files.get(super::FILE_NAME).unwrap();
        assert_eq!(super::parse(&from_sources), super::parse(generated), "{spec}");
        assert!(super::parse(generated).len() > 10, "{spec}");
        parted +=
            usize::from(files.get("src/builders.rs").is_some_and(|text| text.matches("impl Client {").count() > 16));
    }
    assert!(parted > 0, "no spec has a builders.rs long enough to be made in parts");
    let text = std::fs::read_to_string(format!("{root}/spec/payouts.yaml")).unwrap();
    let files = crate::generate(&text, &crate::Options::new("spec/payouts.yaml")).unwrap();
    let mut broken = files.clone();
    broken.insert("src/types.rs".to_owned(), "pub struct {".to_owned());
    assert_eq!(super::listing_of_sources("partner-center-payouts-client", &broken), None);
}

/// However a signature spells one of the crate's own types (imported, through
/// its module, in full, or through `super`), its line is the same; another
/// crate's type imported by `use` is written as imported.
#[test]
fn the_crates_own_types_are_written_in_full_however_the_source_spells_them() {
    let listed = |body: &str| {
        let files = BTreeMap::from([
            ("src/lib.rs".to_owned(), syn::parse_file("pub mod a; pub mod b;").unwrap()),
            ("src/a.rs".to_owned(), syn::parse_file("pub struct Thing<T>(pub T);").unwrap()),
            ("src/b.rs".to_owned(), syn::parse_file(body).unwrap()),
        ]);
        lines(&listing("k", files))
            .into_iter()
            .map(str::to_owned)
            .filter(|line| line.contains("fn"))
            .collect::<Vec<_>>()
    };
    let expected = ["pub fn k::b::f(x: crate::a::Thing<std::time::Duration>) -> Option<crate::a::Thing<u8>>"];
    assert_eq!(
        listed(
            "use crate::a::Thing; use std::time::Duration; pub fn f(x: Thing<Duration>) -> Option<Thing<u8>> { todo!() }"
        ),
        expected
    );
    assert_eq!(
        listed("use crate::a; pub fn f(x: a::Thing<std::time::Duration>) -> Option<a::Thing<u8>> { todo!() }"),
        expected
    );
    assert_eq!(
        listed("pub fn f(x: super::a::Thing<std::time::Duration>) -> Option<crate::a::Thing<u8>> { todo!() }"),
        expected
    );
}

/// What a one-identifier `macro_rules!` macro of the crate defines is listed,
/// wherever the macro is defined; other macros are left alone, and a macro
/// that invokes itself does not loop.
#[test]
fn items_a_crate_macro_defines_are_listed() {
    let files = BTreeMap::from([
        ("src/lib.rs".to_owned(), syn::parse_file("pub mod types; mod support;").unwrap()),
        (
            "src/support.rs".to_owned(),
            syn::parse_file(
                "macro_rules! shown { ($name:ident) => { impl std::fmt::Display for $name { fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { Ok(()) } } }; }
                 macro_rules! again { ($name:ident) => { again!($name); } }
                 macro_rules! two_rules { () => {}; ($name:ident) => { impl Clone for $name {} }; }
                 macro_rules! paired { ($name:ident, $other:ident) => { impl From<$other> for $name { fn from(_: $other) -> Self { Self } } }; }
                 pub(crate) use {again, paired, shown, two_rules};",
            )
            .unwrap(),
        ),
        (
            "src/types.rs".to_owned(),
            syn::parse_file(
                "pub struct A; pub struct B; crate::support::shown!(A); again!(A); two_rules!(A); shown!(1);
                 paired!(A, B); paired!(A);",
            )
            .unwrap(),
        ),
    ]);
    assert_eq!(
        lines(&listing("k", files)),
        [
            "impl From<crate::types::B> for k::types::A",
            "impl std::fmt::Display for k::types::A",
            "pub mod k::types",
            "pub struct k::types::A",
            "pub struct k::types::B"
        ]
    );
}
