//! Local `$ref` resolution over the document tree.
//!
//! References are followed in the plain JSON tree, so any local pointer works
//! (not only `#/components/...`), chains of references are followed, and a
//! chain that comes back on itself is an error rather than a hang.

use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;

use openapiv3::ReferenceOr;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::Diagnostic;
use crate::pointer::Pointer;

/// How many references a chain may pass through before it is called a cycle.
const MAX_CHAIN: usize = 64;

pub struct Resolver<'a> {
    tree: &'a Value,
    /// What [`Resolver::item`] read at a reference's target, by target: a
    /// spec refers to one response or parameter from many operations, and
    /// reading it from the tree again each time cost more than a copy.
    targets: RefCell<HashMap<Pointer, Box<dyn Any>>>,
    /// Where each reference followed leads, by its text: a spec refers to
    /// one schema or response from many places. Only references that
    /// resolve are kept (a message names the place it is written at).
    resolved: RefCell<HashMap<String, Pointer>>,
}

impl<'a> Resolver<'a> {
    pub fn new(tree: &'a Value) -> Self {
        Self { tree, targets: RefCell::new(HashMap::new()), resolved: RefCell::new(HashMap::new()) }
    }

    pub fn tree(&self) -> &'a Value {
        self.tree
    }

    /// Follows `reference`, written at `at` (the object holding `$ref`), through
    /// any chain of references to the first value that is not itself a reference.
    pub fn target(&self, reference: &str, at: &Pointer) -> Result<Pointer, Diagnostic> {
        if let Some(pointer) = self.resolved.borrow().get(reference) {
            return Ok(pointer.clone());
        }
        let pointer = self.follow(reference, at)?;
        self.resolved.borrow_mut().insert(reference.to_owned(), pointer.clone());
        Ok(pointer)
    }

    fn follow(&self, reference: &str, at: &Pointer) -> Result<Pointer, Diagnostic> {
        let mut current = reference.to_owned();
        let mut holder = at.clone();
        let mut seen = vec![at.clone()];
        for _ in 0..MAX_CHAIN {
            let pointer = self.parse(&current, &holder)?;
            let Some(value) = pointer.lookup(self.tree) else {
                return Err(Diagnostic::at(
                    &holder.join("$ref"),
                    format!("unresolved reference `{current}`: nothing in the document is at {pointer}"),
                ));
            };
            match value.get("$ref") {
                Some(Value::String(next)) if value.is_object() => {
                    if seen.contains(&pointer) {
                        return Err(Diagnostic::at(
                            &at.join("$ref"),
                            format!(
                                "reference cycle: `{reference}` leads back to {pointer} without reaching a definition"
                            ),
                        ));
                    }
                    seen.push(pointer.clone());
                    current = next.clone();
                    holder = pointer;
                }
                _ => return Ok(pointer),
            }
        }
        Err(Diagnostic::at(
            &at.join("$ref"),
            format!("reference `{reference}` passes through more than {MAX_CHAIN} references"),
        ))
    }

    fn parse(&self, reference: &str, holder: &Pointer) -> Result<Pointer, Diagnostic> {
        Pointer::parse_local_ref(reference).ok_or_else(|| {
            let what = if reference.starts_with('#') {
                "is not a valid JSON pointer"
            } else {
                "points outside this document; only local references (`#/...`) are supported"
            };
            Diagnostic::at(&holder.join("$ref"), format!("unsupported reference `{reference}`: it {what}"))
        })
    }

    /// Reads the value at `pointer` as a `T`; only a value that does not
    /// read is read again with its path tracked, for the message.
    pub fn read<T: DeserializeOwned>(&self, pointer: &Pointer, what: &str) -> Result<T, Diagnostic> {
        let value =
            pointer.lookup(self.tree).ok_or_else(|| Diagnostic::at(pointer, format!("expected {what} here")))?;
        if let Ok(read) = T::deserialize(value) {
            return Ok(read);
        }
        serde_path_to_error::deserialize(value).map_err(|error| {
            let mut at = pointer.clone();
            for segment in error.path().iter() {
                match segment {
                    serde_path_to_error::Segment::Seq { index } => at = at.join(index),
                    serde_path_to_error::Segment::Map { key } => at = at.join(key),
                    _ => {}
                }
            }
            Diagnostic::at(&at, format!("not a valid {what}: {}", error.inner()))
        })
    }

    /// An item that may be a reference: the item itself and where it is.
    pub fn item<T: DeserializeOwned + Clone + 'static>(
        &self,
        item: &ReferenceOr<T>,
        at: &Pointer,
        what: &str,
    ) -> Result<(T, Pointer), Diagnostic> {
        match item {
            ReferenceOr::Item(value) => Ok((value.clone(), at.clone())),
            ReferenceOr::Reference { reference } => {
                let target = self.target(reference, at)?;
                let known = self.targets.borrow().get(&target).and_then(|read| read.downcast_ref::<T>()).cloned();
                let value = match known {
                    Some(value) => value,
                    None => {
                        let value: T = self.read(&target, what)?;
                        self.targets.borrow_mut().insert(target.clone(), Box::new(value.clone()));
                        value
                    }
                };
                Ok((value, target))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> Value {
        serde_json::json!({
            "components": {
                "responses": {
                    "bad": {"description": "d", "headers": {"X-A": {"schema": {"type": "string"}, "required": "yes"}}},
                },
                "parameters": {
                    "a": {"$ref": "#/components/parameters/b"},
                    "b": {"name": "x", "in": "query", "schema": {"type": "string"}},
                    "loop1": {"$ref": "#/components/parameters/loop2"},
                    "loop2": {"$ref": "#/components/parameters/loop1"},
                }
            }
        })
    }

    #[test]
    fn follows_chains() {
        let tree = tree();
        let resolver = Resolver::new(&tree);
        let target = resolver.target("#/components/parameters/a", &Pointer::root()).unwrap();
        assert_eq!(target.to_string(), "#/components/parameters/b");
    }

    #[test]
    fn a_target_read_again_is_the_same_whatever_type_it_is_read_as() {
        let tree = tree();
        let resolver = Resolver::new(&tree);
        let at = Pointer::root().join("paths");
        let reference =
            ReferenceOr::<openapiv3::Parameter>::Reference { reference: "#/components/parameters/a".into() };
        let first = resolver.item(&reference, &at, "parameter");
        let again = resolver.item(&reference, &at, "parameter");
        assert_eq!(first, again);
        assert_eq!(first.map(|(parameter, _)| parameter.parameter_data().name), Ok("x".to_owned()));
        // The same target read as another type is read from the tree, not mistaken for the first.
        let as_value = ReferenceOr::<Value>::Reference { reference: "#/components/parameters/b".into() };
        let value = resolver.item(&as_value, &at, "value").map(|(value, _)| value);
        assert_eq!(value, Ok(serde_json::json!({"name": "x", "in": "query", "schema": {"type": "string"}})));
    }

    #[test]
    fn a_reference_followed_again_leads_to_the_same_place_and_errors_name_each_place() {
        let tree = tree();
        let resolver = Resolver::new(&tree);
        let (first, second) = (Pointer::root().join("x"), Pointer::root().join("y"));
        let target = resolver.target("#/components/parameters/a", &first).map(|target| target.to_string());
        assert_eq!(target.as_deref(), Ok("#/components/parameters/b"));
        assert_eq!(
            resolver.target("#/components/parameters/a", &second),
            resolver.target("#/components/parameters/b", &first)
        );
        // A reference that fails is not kept: the message names where each one is written.
        for at in [&first, &second] {
            let missing = resolver.target("#/components/parameters/nope", at).unwrap_err();
            assert_eq!(missing.location, crate::error::Location::Pointer(at.join("$ref")));
        }
    }

    #[test]
    fn a_target_that_does_not_read_is_reported_where_it_goes_wrong() {
        let tree = tree();
        let resolver = Resolver::new(&tree);
        let reference =
            ReferenceOr::<openapiv3::Response>::Reference { reference: "#/components/responses/bad".into() };
        let error = resolver.item(&reference, &Pointer::root().join("paths"), "response").unwrap_err();
        assert!(error.message.starts_with("not a valid response: "), "{error:?}");
        let at = Pointer::root().join("components").join("responses").join("bad").join("headers").join("X-A");
        assert_eq!(error.location, crate::error::Location::Pointer(at));
    }

    #[test]
    fn reports_missing_targets_cycles_and_remote_references() {
        let tree = tree();
        let resolver = Resolver::new(&tree);
        let at = Pointer::root().join("paths");
        let missing = resolver.target("#/components/parameters/nope", &at).unwrap_err();
        assert!(missing.message.contains("unresolved reference"), "{missing:?}");
        assert_eq!(missing.location, crate::error::Location::Pointer(at.join("$ref")));
        let cycle = resolver.target("#/components/parameters/loop1", &at).unwrap_err();
        assert!(cycle.message.contains("reference cycle"), "{cycle:?}");
        let remote = resolver.target("other.yaml#/x", &at).unwrap_err();
        assert!(remote.message.contains("only local references"), "{remote:?}");
    }
}
