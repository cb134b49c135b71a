//! No panic, no hang, on any input: the generator is fed mutated versions of
//! real specs (deterministically, from fixed seeds) and must return either an
//! error or files that parse as Rust. Deep nesting, long reference chains and
//! YAML alias bombs must end quickly with an error.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

use payouts_tests::repo_root;
use serde_json::{Map, Value, json};

/// A small deterministic random number generator (xorshift64*), so every run
/// feeds the same inputs and a failure can be replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Names and values that have broken generators before.
const NASTY_STRINGS: &[&str] = &[
    "",
    " ",
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "fn",
    "1st",
    "$ref",
    "$filter",
    "@id",
    "a.b",
    "a-b",
    "a b",
    "Größe",
    "名前",
    "🎉",
    "String",
    "Option",
    "Result",
    "Vec",
    "Box",
    "Client",
    "Error",
    "new",
    "send",
    "{",
    "}",
    "{id}",
    "/",
    "~",
    "~1",
    "#",
    "\"",
    "'",
    "\\",
    "\n",
    "r#type",
    "__",
    "_",
    "null",
    "true",
    "0",
    "-1",
    "#/components/schemas/Missing",
    "#/components/schemas",
    "#",
    "#/",
    "#/paths",
    "other.yaml#/x",
];

const SCHEMA_TYPES: &[&str] = &["string", "integer", "number", "boolean", "array", "object", "null", "file", ""];

fn nasty_value(rng: &mut Rng) -> Value {
    match rng.below(12) {
        0 => Value::Null,
        1 => json!(rng.below(2) == 0),
        2 => json!(rng.next() as i64),
        3 => json!(-1.5e300),
        4 => json!({}),
        5 => json!([]),
        6 => json!({"$ref": *rng.pick(NASTY_STRINGS)}),
        7 => {
            json!({"type": *rng.pick(SCHEMA_TYPES), "format": *rng.pick(&["int32", "uuid", "date-time", "binary", "x"])})
        }
        8 => json!({"enum": [*rng.pick(NASTY_STRINGS), *rng.pick(NASTY_STRINGS), 1, null]}),
        9 => json!({"allOf": [{"$ref": "#/components/schemas/A"}, {"type": "string"}]}),
        10 => {
            json!({"oneOf": [{"type": "string"}, {"$ref": *rng.pick(NASTY_STRINGS)}], "discriminator": {"propertyName": "kind"}})
        }
        _ => Value::String((*rng.pick(NASTY_STRINGS)).to_owned()),
    }
}

/// Every node of the tree, as a path of keys and indices.
fn paths(value: &Value, prefix: &mut Vec<PathStep>, out: &mut Vec<Vec<PathStep>>) {
    out.push(prefix.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                prefix.push(PathStep::Key(key.clone()));
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                prefix.push(PathStep::Index(index));
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn node_mut<'a>(root: &'a mut Value, path: &[PathStep]) -> Option<&'a mut Value> {
    let mut current = root;
    for step in path {
        current = match (step, current) {
            (PathStep::Key(key), Value::Object(map)) => map.get_mut(key)?,
            (PathStep::Index(index), Value::Array(items)) => items.get_mut(*index)?,
            _ => return None,
        };
    }
    Some(current)
}

fn pointer_of(path: &[PathStep]) -> String {
    let mut pointer = String::from("#");
    for step in path {
        pointer.push('/');
        match step {
            PathStep::Key(key) => pointer.push_str(&key.replace('~', "~0").replace('/', "~1")),
            PathStep::Index(index) => pointer.push_str(&index.to_string()),
        }
    }
    pointer
}

/// Applies one random change to the tree.
fn mutate(tree: &mut Value, rng: &mut Rng) {
    let mut all = Vec::new();
    paths(tree, &mut Vec::new(), &mut all);
    let target = rng.pick(&all).clone();
    let other = rng.pick(&all).clone();
    let copy = node_mut(tree, &other).map(|v| v.clone()).unwrap_or(Value::Null);
    let Some(node) = node_mut(tree, &target) else { return };
    match rng.below(9) {
        // Replace the node with something odd.
        0 | 1 => *node = nasty_value(rng),
        // Delete a child.
        2 => match node {
            Value::Object(map) if !map.is_empty() => {
                let key = map.keys().nth(rng.below(map.len())).cloned().unwrap_or_default();
                map.remove(&key);
            }
            Value::Array(items) if !items.is_empty() => {
                items.remove(rng.below(items.len()));
            }
            _ => *node = Value::Null,
        },
        // Rename a key to an adversarial name.
        3 => {
            if let Value::Object(map) = node {
                if let Some(key) = map.keys().nth(rng.below(map.len().max(1))).cloned() {
                    if let Some(value) = map.remove(&key) {
                        map.insert((*rng.pick(NASTY_STRINGS)).to_owned(), value);
                    }
                }
            }
        }
        // Copy another part of the document here (aliasing, wrong kinds of things).
        4 => *node = copy,
        // A reference to somewhere, possibly to itself (a cycle).
        5 => *node = json!({"$ref": if rng.below(2) == 0 { pointer_of(&target) } else { pointer_of(&other) }}),
        // Wrap it in a composition.
        6 => {
            let inner = node.take();
            *node = json!({ *rng.pick(&["allOf", "oneOf", "anyOf", "not", "items", "additionalProperties"]): [inner] });
        }
        // Add an adversarial entry.
        7 => {
            if let Value::Object(map) = node {
                map.insert((*rng.pick(NASTY_STRINGS)).to_owned(), nasty_value(rng));
            } else if let Value::Array(items) = node {
                items.push(nasty_value(rng));
            }
        }
        // Nest it deeply.
        _ => {
            let mut inner = node.take();
            for _ in 0..rng.below(40) {
                inner = json!({"type": "object", "properties": {"x": inner}});
            }
            *node = inner;
        }
    }
}

/// Runs the generator, turning a panic into a test failure message.
fn check(text: &str, label: &str) -> Result<(), String> {
    let options = codegen::Options::new(label.to_owned());
    let outcome = catch_unwind(AssertUnwindSafe(|| codegen::generate(text, &options)));
    match outcome {
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            Err(format!("{label}: the generator panicked: {message}"))
        }
        Ok(Err(error)) => {
            if error.diagnostics.is_empty() {
                return Err(format!("{label}: an error without a diagnostic"));
            }
            Ok(())
        }
        Ok(Ok(files)) => {
            for (path, contents) in files.iter().filter(|(path, _)| path.ends_with(".rs")) {
                if let Err(error) = syn::parse_file(contents) {
                    return Err(format!("{label}: {path} does not parse: {error}"));
                }
            }
            Ok(())
        }
    }
}

/// The specs mutations start from: the repository's own, and the public
/// corpus when it is beside the repository (`../shared/specs/public`).
fn seeds() -> Vec<(String, Value)> {
    let root = repo_root();
    let mut files: Vec<PathBuf> = vec![root.join("spec/payouts.yaml")];
    for dir in [root.join("tests/fixtures/specs"), root.join("../shared/specs/public")] {
        if let Ok(entries) = std::fs::read_dir(&dir) {
            let mut found: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")))
                .collect();
            found.sort();
            files.extend(found);
        }
    }
    files
        .into_iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).ok()?;
            // Very large specs take long to generate in a debug build; the small ones cover the same code.
            if text.len() > 200_000 {
                return None;
            }
            let tree = codegen::load::parse_tree(&text).ok()?;
            Some((path.file_name()?.to_string_lossy().into_owned(), tree))
        })
        .collect()
}

#[test]
fn mutated_specs_never_panic_and_always_give_parsable_rust_or_an_error() {
    const CASES_PER_SEED: u64 = 60;
    let seeds = seeds();
    assert!(!seeds.is_empty(), "no seed specs found");
    let mut failures = Vec::new();
    let mut generated = 0;
    for (name, tree) in &seeds {
        for case in 0..CASES_PER_SEED {
            let seed = 0x9E37_79B9_7F4A_7C15 ^ (case + 1).wrapping_mul(0x1000_0001) ^ name.len() as u64;
            let mut rng = Rng(seed | 1);
            let mut mutated = tree.clone();
            for _ in 0..=rng.below(4) {
                mutate(&mut mutated, &mut rng);
            }
            let text = serde_json::to_string(&mutated).unwrap_or_default();
            let label = format!("{name} case {case}");
            if std::env::var_os("NO_PANIC_TRACE").is_some() {
                eprintln!("{label}");
                let _ = std::fs::write(std::env::temp_dir().join("no-panic-current.json"), &text);
            }
            match check(&text, &label) {
                Ok(()) => generated += 1,
                Err(failure) => {
                    let saved = std::env::temp_dir().join(format!("no-panic-{name}-{case}.json"));
                    let _ = std::fs::write(&saved, &text);
                    failures.push(format!("{failure} (input saved to {})", saved.display()));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(generated, seeds.len() as u64 * CASES_PER_SEED);
}

#[test]
fn mutated_text_never_panics() {
    let text = std::fs::read_to_string(repo_root().join("spec/payouts.yaml")).expect("the spec");
    let bytes = text.as_bytes();
    let mut rng = Rng(0xDEAD_BEEF);
    for case in 0..300 {
        let mut mutated = bytes.to_vec();
        for _ in 0..=rng.below(8) {
            let at = rng.below(mutated.len());
            match rng.below(4) {
                0 => mutated.truncate(at),
                1 => {
                    mutated.remove(at.min(mutated.len().saturating_sub(1)));
                }
                2 => mutated.insert(at, *rng.pick(b":-{}[]&*!|>'\"#\t\n ")),
                _ => {
                    let from = rng.below(mutated.len());
                    let chunk: Vec<u8> = mutated[from..(from + 40).min(mutated.len())].to_vec();
                    mutated.splice(at..at, chunk);
                }
            }
            if mutated.is_empty() {
                break;
            }
        }
        let text = String::from_utf8_lossy(&mutated).into_owned();
        if let Err(failure) = check(&text, &format!("payouts.yaml text case {case}")) {
            panic!("{failure}");
        }
    }
}

fn expect_error(text: &str, what: &str, needle: &str) {
    match codegen::generate(text, &codegen::Options::new(what)) {
        Ok(_) => panic!("{what}: expected an error"),
        Err(error) => assert!(error.to_string().contains(needle), "{what}: {error}"),
    }
}

#[test]
fn deep_nesting_ends_with_an_error() {
    let depth = 5_000;
    let json = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    expect_error(&json, "deep.json", "recursion limit exceeded");
    let yaml = format!("openapi: 3.0.3\nx: {}{}\n", "[".repeat(depth), "]".repeat(depth));
    expect_error(&yaml, "deep.yaml", "invalid YAML");

    let mut schema = json!({"type": "string"});
    for _ in 0..100 {
        schema = json!({"type": "object", "properties": {"x": schema}});
    }
    let spec = json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
        "components": {"schemas": {"Deep": schema}}
    });
    expect_error(&spec.to_string(), "deep-schema.json", "recursion limit exceeded");
}

#[test]
fn long_reference_chains_end_with_an_error() {
    let mut schemas = Map::new();
    for index in 0..1000 {
        schemas.insert(format!("S{index}"), json!({"$ref": format!("#/components/schemas/S{}", index + 1)}));
    }
    schemas.insert("S1000".to_owned(), json!({"type": "string"}));
    let spec = json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
        "components": {"schemas": schemas}
    });
    expect_error(&spec.to_string(), "chain.json", "passes through more than");
}

#[test]
fn alias_bombs_end_with_an_error() {
    let mut yaml = String::from("openapi: 3.0.3\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..12 {
        let previous = format!("*a{}", level - 1);
        yaml.push_str(&format!("a{level}: &a{level} [{}]\n", vec![previous; 10].join(", ")));
    }
    expect_error(&yaml, "bomb.yaml", "invalid YAML");
}
