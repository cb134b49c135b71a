//! Diagnostics: what is wrong with a spec, and where.

use std::fmt;

use crate::pointer::Pointer;

/// Where in the spec file a problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// The whole file (for example, it is not an OpenAPI document at all).
    File,
    /// A line and column (1-based), as the YAML or JSON parser reports them.
    LineColumn { line: usize, column: usize },
    /// A JSON pointer into the document.
    Pointer(Pointer),
}

/// One problem found in a spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub location: Location,
    pub message: String,
}

impl Diagnostic {
    pub fn at(pointer: &Pointer, message: impl Into<String>) -> Self {
        Self { location: Location::Pointer(pointer.clone()), message: message.into() }
    }

    pub fn file(message: impl Into<String>) -> Self {
        Self { location: Location::File, message: message.into() }
    }
}

/// Why generation failed: one or more diagnostics about one spec file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// The spec's name as the user gave it (a path, usually).
    pub spec: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl Error {
    pub fn new(spec: &str, diagnostics: Vec<Diagnostic>) -> Self {
        Self { spec: spec.to_owned(), diagnostics }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, diagnostic) in self.diagnostics.iter().enumerate() {
            if index > 0 {
                f.write_str("\n")?;
            }
            match &diagnostic.location {
                Location::File => write!(f, "{}: {}", self.spec, diagnostic.message)?,
                Location::LineColumn { line, column } => {
                    write!(f, "{}:{line}:{column}: {}", self.spec, diagnostic.message)?
                }
                Location::Pointer(pointer) => write!(f, "{}: {pointer}: {}", self.spec, diagnostic.message)?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// The result of a stage that reports diagnostics.
pub type Result<T, E = Diagnostic> = std::result::Result<T, E>;
