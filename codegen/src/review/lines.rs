//! Where each value of a spec file starts: JSON pointer to line number.
//!
//! The tree the generator works on (`load::parse_tree`) keeps no positions,
//! and review messages and pull-request annotations need the line of a change
//! in the new file. A second, position-reporting pass over the text with an
//! event parser (YAML 1.2, which also reads JSON) records the line of every
//! map key and sequence item.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, Span};

use crate::pointer::Pointer;

/// Lines of the values of one spec text, by JSON pointer.
#[derive(Debug, Default)]
pub struct LineIndex {
    lines: HashMap<String, usize>,
}

/// What the walk is inside of.
enum Frame {
    Map { pointer: Pointer, key: Option<String> },
    Seq { pointer: Pointer, index: usize },
}

impl LineIndex {
    /// Indexes `text`. A text the event parser cannot read (the generator has
    /// already accepted it, so this is rare) gives an index of what was read
    /// before the error: lines are a help, never a reason to fail a review.
    pub fn new(text: &str) -> Self {
        let mut index = Self::default();
        let mut stack: Vec<Frame> = Vec::new();
        let mut root_seen = false;
        for item in Parser::new_from_str(text) {
            let Ok((event, span)) = item else { break };
            match event {
                Event::Scalar(value, ..) => {
                    if let Some(Frame::Map { key: key @ None, .. }) = stack.last_mut() {
                        // A key: its line is the line of the value it introduces.
                        *key = Some(value.into_owned());
                        if let Some(pointer) = value_pointer(&stack) {
                            index.record(&pointer, &span);
                        }
                        continue;
                    }
                    index.value_at(&stack, &span, &mut root_seen);
                    advance(&mut stack);
                }
                Event::Alias(_) => {
                    index.value_at(&stack, &span, &mut root_seen);
                    advance(&mut stack);
                }
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    // A container used as a map key has no pointer; its
                    // contents are still walked, under a placeholder key.
                    if let Some(Frame::Map { key: key @ None, .. }) = stack.last_mut() {
                        *key = Some(String::new());
                    }
                    index.value_at(&stack, &span, &mut root_seen);
                    let pointer = value_pointer(&stack).unwrap_or_default();
                    stack.push(match event {
                        Event::MappingStart(..) => Frame::Map { pointer, key: None },
                        _ => Frame::Seq { pointer, index: 0 },
                    });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                    advance(&mut stack);
                }
                _ => {}
            }
        }
        index
    }

    /// The line of the value at `pointer`, if the text has it.
    pub fn line(&self, pointer: &Pointer) -> Option<usize> {
        self.lines.get(&pointer.to_string()).copied()
    }

    /// The line of `pointer`, or of its nearest ancestor that the text has:
    /// where a removed thing was, as close as the new file can say.
    pub fn nearest_line(&self, pointer: &Pointer) -> Option<usize> {
        let segments = pointer.segments();
        (0..=segments.len()).rev().find_map(|length| {
            let ancestor = segments[..length].iter().fold(Pointer::root(), |at, segment| at.join(segment));
            self.line(&ancestor)
        })
    }

    fn record(&mut self, pointer: &Pointer, span: &Span) {
        self.lines.entry(pointer.to_string()).or_insert(span.start.line());
    }

    /// Records a value that starts at `span`, unless its key already did.
    fn value_at(&mut self, stack: &[Frame], span: &Span, root_seen: &mut bool) {
        match stack.last() {
            None if !*root_seen => {
                *root_seen = true;
                self.record(&Pointer::root(), span);
            }
            Some(Frame::Seq { .. }) => {
                if let Some(pointer) = value_pointer(stack) {
                    self.record(&pointer, span);
                }
            }
            _ => {}
        }
    }
}

/// The pointer of the value about to be read at the top of `stack`.
fn value_pointer(stack: &[Frame]) -> Option<Pointer> {
    match stack.last()? {
        Frame::Map { pointer, key } => key.as_ref().map(|key| pointer.join(key)),
        Frame::Seq { pointer, index } => Some(pointer.join(index)),
    }
}

/// After a whole value: a map waits for its next key, a sequence moves on.
fn advance(stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Map { key, .. }) => *key = None,
        Some(Frame::Seq { index, .. }) => *index += 1,
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pointer(text: &str) -> Pointer {
        Pointer::parse_local_ref(text).unwrap()
    }

    #[test]
    fn finds_keys_and_items_in_yaml() {
        let text = "openapi: 3.0.3\npaths:\n  /a/{id}:\n    get:\n      parameters:\n        - name: id\n          in: path\n        - $ref: '#/x'\n      tags: [one, two]\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line(&pointer("#/openapi")), Some(1));
        assert_eq!(index.line(&pointer("#/paths/~1a~1{id}/get")), Some(4));
        assert_eq!(index.line(&pointer("#/paths/~1a~1{id}/get/parameters/0")), Some(6));
        assert_eq!(index.line(&pointer("#/paths/~1a~1{id}/get/parameters/0/in")), Some(7));
        assert_eq!(index.line(&pointer("#/paths/~1a~1{id}/get/parameters/1/$ref")), Some(8));
        assert_eq!(index.line(&pointer("#/paths/~1a~1{id}/get/tags/1")), Some(9));
        assert_eq!(index.line(&pointer("#/paths/~1a~1{id}/post")), None);
        assert_eq!(index.nearest_line(&pointer("#/paths/~1a~1{id}/post/responses")), Some(3));
    }

    #[test]
    fn finds_keys_in_json_and_block_scalars() {
        let text = "{\n  \"info\": {\n    \"title\": \"x\",\n    \"description\": \"a\"\n  },\n  \"paths\": {}\n}\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line(&pointer("#/info/description")), Some(4));
        assert_eq!(index.line(&pointer("#/paths")), Some(6));
        let yaml = "a:\n  b: |\n    one\n    two\n  c: 1\n";
        assert_eq!(LineIndex::new(yaml).line(&pointer("#/a/c")), Some(5));
    }

    #[test]
    fn survives_unreadable_text() {
        let index = LineIndex::new("a: 1\nb: [unclosed\n");
        assert_eq!(index.line(&pointer("#/a")), Some(1));
        assert_eq!(LineIndex::new("").line(&Pointer::root()), None);
    }
}
