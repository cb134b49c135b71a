//! The document as a whole: top-level keys and `components`.

use super::Severity;
use super::differ::{Differ, Place};
use crate::pointer::Pointer;

impl<'a> Differ<'a> {
    /// Every HTTP contract change between the two documents.
    pub(super) fn compare_document(&mut self) {
        let old = Place::new(self.old, Pointer::root());
        let new = Place::new(self.new, Pointer::root());
        // `info` is documentation: the title and version name the document.
        let both_have_info = match (old.get("info"), new.get("info")) {
            (Some(before), Some(after)) => {
                self.compare_docs_object("document", "`info`", &before, &after);
                true
            }
            _ => false,
        };
        self.compare_servers("document", old.get("servers").as_ref(), new.get("servers").as_ref());
        self.compare_document_security(&old, &new);
        self.compare_operations();
        self.compare_components(&old, &new);
        let handled = ["servers", "security", "paths", "components", if both_have_info { "info" } else { "" }];
        self.other_keys("document", "", &old, &new, &handled);
    }

    /// An object all of whose keys are documentation.
    fn compare_docs_object(&mut self, subject: &str, label: &str, old: &Place<'a>, new: &Place<'a>) {
        let before = self.changes.len();
        self.other_keys(subject, label, old, new, &[]);
        for change in &mut self.changes[before..] {
            change.severity = Severity::DocsOnly;
        }
    }

    fn compare_components(&mut self, old: &Place<'a>, new: &Place<'a>) {
        let (old_components, new_components) = (old.get("components"), new.get("components"));
        for kind in ["schemas", "parameters", "requestBodies", "responses", "headers", "securitySchemes"] {
            let before = old_components.as_ref().and_then(|c| c.get(kind));
            let after = new_components.as_ref().and_then(|c| c.get(kind));
            self.each_key(before.as_ref(), after.as_ref(), |differ, name, a, b| {
                let noun = noun(kind);
                let subject = format!("{noun} `{name}`");
                let first = differ.changes.len();
                let users = differ.users(&a.as_ref().or(b.as_ref()).map(|p| p.at.clone()).unwrap_or_default());
                match (a, b) {
                    (Some(a), Some(b)) => differ.compare_component(kind, &subject, a, b),
                    // A component in itself is no part of the contract: its
                    // uses are, and each use is compared where it is.
                    (None, Some(b)) => {
                        differ.push(Severity::Compatible, &subject, format!("{noun} added"), None, Some(&b.at))
                    }
                    (Some(a), None) => {
                        differ.push(Severity::Compatible, &subject, format!("{noun} removed"), Some(&a.at), None)
                    }
                    (None, None) => {}
                }
                for change in &mut differ.changes[first..] {
                    change.used_by = users.clone();
                }
            });
        }
        if let (Some(before), Some(after)) = (&old_components, &new_components) {
            let handled = ["schemas", "parameters", "requestBodies", "responses", "headers", "securitySchemes"];
            self.other_keys("components", "`components`", before, after, &handled);
        } else if old_components.is_some() != new_components.is_some() {
            let (a, b) = (old_components.as_ref().map(|p| &p.at), new_components.as_ref().map(|p| &p.at));
            self.push(Severity::Compatible, "components", "`components` added or removed".to_owned(), a, b);
        }
    }

    fn compare_component(&mut self, kind: &str, subject: &str, old: Place<'a>, new: Place<'a>) {
        let directions = self.usage(&new.at);
        // Messages name the component itself; schema messages name the property.
        let label = subject.to_owned();
        match kind {
            "schemas" => self.compare_component_schema(subject, "", directions, old, new),
            "parameters" => {
                let (old, new) = (self.resolve(old, true), self.resolve(new, false));
                self.compare_parameter(subject, &label, &old, &new)
            }
            "requestBodies" => {
                let (old, new) = (self.resolve(old, true), self.resolve(new, false));
                self.compare_request_body(subject, &label, &old, &new)
            }
            "responses" => {
                let (old, new) = (self.resolve(old, true), self.resolve(new, false));
                self.compare_response(subject, &label, &old, &new)
            }
            "headers" => {
                let (old, new) = (self.resolve(old, true), self.resolve(new, false));
                self.compare_header(subject, &label, directions, &old, &new)
            }
            _ => self.compare_security_scheme(subject, &old, &new),
        }
    }
}

fn noun(kind: &str) -> &'static str {
    match kind {
        "schemas" => "schema",
        "parameters" => "parameter",
        "requestBodies" => "request body",
        "responses" => "response",
        "headers" => "header",
        _ => "security scheme",
    }
}
