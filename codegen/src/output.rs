//! The only part of the generator that touches the disk: writing an emitted
//! crate into a folder safely, and checking a folder against one.
//!
//! The generator owns every file in the folder except `target/` and
//! `Cargo.lock` at its top (a standalone crate's build leaves those there).
//! Writes are staged: every new file is written beside its final place first,
//! and only when all of them are written are they renamed into place and the
//! files no longer emitted removed, so a failure leaves the folder as it was.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::Files;

/// Entries at the top of the folder the generator does not own.
const NOT_OWNED: &[&str] = &["target", "Cargo.lock"];

/// The first line of an emitted `Cargo.toml`, which marks a folder as generated.
const MARKER: &str = "# @generated";

/// Why the folder could not be written or read.
#[derive(Debug)]
pub struct OutputError {
    pub message: String,
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for OutputError {}

fn io_error(what: &str, path: &Path, error: io::Error) -> OutputError {
    OutputError { message: format!("cannot {what} {}: {error}", path.display()) }
}

/// What a write changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct WriteSummary {
    pub written: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
}

/// How a folder differs from what the generator emits.
#[derive(Debug, Default)]
pub struct Staleness {
    /// Unified diffs (from the folder to the emitted files), one per file.
    pub diffs: Vec<String>,
}

impl Staleness {
    pub fn is_fresh(&self) -> bool {
        self.diffs.is_empty()
    }
}

/// Reads the files the generator owns in `dir` (none when it does not exist).
pub fn read_owned(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>, OutputError> {
    let mut files = BTreeMap::new();
    if !dir.exists() {
        return Ok(files);
    }
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let absolute = dir.join(&relative);
        let entries = fs::read_dir(&absolute).map_err(|e| io_error("read the folder", &absolute, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| io_error("read the folder", &absolute, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if relative.as_os_str().is_empty() && NOT_OWNED.contains(&name.as_str()) {
                continue;
            }
            let child = relative.join(&name);
            let file_type = entry.file_type().map_err(|e| io_error("read", &entry.path(), e))?;
            if file_type.is_dir() {
                pending.push(child);
            } else {
                let contents = fs::read(entry.path()).map_err(|e| io_error("read", &entry.path(), e))?;
                files.insert(key_of(&child), contents);
            }
        }
    }
    Ok(files)
}

/// Paths in the map use `/`, whatever the platform.
fn key_of(relative: &Path) -> String {
    relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
}

/// Whether a file on disk holds `new`, line endings aside (a checkout may
/// have turned `\n` into `\r\n`).
fn same_text(old: &[u8], new: &str) -> bool {
    old == new.as_bytes() || (old.contains(&b'\r') && String::from_utf8_lossy(old).replace("\r\n", "\n") == new)
}

/// Compares the folder with the emitted files; writes nothing.
pub fn check(dir: &Path, files: &Files) -> Result<Staleness, OutputError> {
    Ok(check_against(&read_owned(dir)?, files))
}

/// [`check`] against the folder's files as [`read_owned`] read them.
pub fn check_against(existing: &BTreeMap<String, Vec<u8>>, files: &Files) -> Staleness {
    let mut staleness = Staleness::default();
    for (path, contents) in files {
        match existing.get(path) {
            Some(old) if same_text(old, contents) => {}
            Some(old) => staleness.diffs.push(diff(path, &String::from_utf8_lossy(old), contents, false)),
            None => staleness.diffs.push(diff(path, "", contents, true)),
        }
    }
    for (path, old) in existing {
        if !files.contains_key(path) {
            let text = String::from_utf8_lossy(old);
            let mut removal = diff(path, &text, "", false);
            removal = removal.replacen(&format!("+++ b/{path}"), "+++ /dev/null", 1);
            staleness.diffs.push(removal);
        }
    }
    staleness
}

fn diff(path: &str, old: &str, new: &str, added: bool) -> String {
    let old = old.replace("\r\n", "\n");
    let text_diff = similar::TextDiff::from_lines(old.as_str(), new);
    let old_header = if added { "/dev/null".to_owned() } else { format!("a/{path}") };
    let mut out = text_diff.unified_diff().context_radius(3).header(&old_header, &format!("b/{path}")).to_string();
    if out.is_empty() {
        out = format!("--- a/{path}\n+++ b/{path}\n(the files differ only in bytes that are not text)\n");
    }
    out
}

/// Makes `dir` hold exactly `files` (plus what the generator does not own).
///
/// Refuses a folder that has files but no generated `Cargo.toml`, so that a
/// wrong `--out` cannot wipe someone's work.
pub fn write(dir: &Path, files: &Files) -> Result<WriteSummary, OutputError> {
    write_over(dir, &read_owned(dir)?, files)
}

/// [`write()`] over the folder's files as [`read_owned`] read them (they may
/// be read while the crate is generated).
pub fn write_over(
    dir: &Path,
    existing: &BTreeMap<String, Vec<u8>>,
    files: &Files,
) -> Result<WriteSummary, OutputError> {
    if !existing.is_empty() {
        let marked = existing.get("Cargo.toml").is_some_and(|manifest| manifest.starts_with(MARKER.as_bytes()));
        if !marked {
            return Err(OutputError {
                message: format!(
                    "refusing to write into {}: it has files, but no Cargo.toml starting with `{MARKER}`, so it does not look like a generated crate (remove it or choose another --out)",
                    dir.display()
                ),
            });
        }
    }
    let mut summary = WriteSummary::default();
    let mut staged: Vec<(PathBuf, PathBuf, String)> = Vec::new();
    for (path, contents) in files {
        if existing.get(path).is_some_and(|old| same_text(old, contents)) {
            summary.unchanged += 1;
            continue;
        }
        let target = dir.join(path);
        let temporary = temporary_path(&target);
        let staged_ok =
            target.parent().map_or(Ok(()), fs::create_dir_all).and_then(|()| fs::write(&temporary, contents));
        if let Err(error) = staged_ok {
            let _ = fs::remove_file(&temporary);
            discard(&staged);
            return Err(io_error("write", &target, error));
        }
        staged.push((temporary, target, path.clone()));
    }
    for (index, (temporary, target, path)) in staged.iter().enumerate() {
        if let Err(error) = fs::rename(temporary, target) {
            discard(&staged[index..]);
            return Err(io_error("replace", target, error));
        }
        summary.written.push(path.clone());
    }
    for path in existing.keys() {
        if !files.contains_key(path) {
            let target = dir.join(path);
            fs::remove_file(&target).map_err(|e| io_error("remove", &target, e))?;
            remove_empty_parents(dir, &target);
            summary.removed.push(path.clone());
        }
    }
    Ok(summary)
}

fn temporary_path(target: &Path) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    target.with_file_name(format!(".{name}.generating-{}", std::process::id()))
}

fn discard(staged: &[(PathBuf, PathBuf, String)]) {
    for (temporary, _, _) in staged {
        let _ = fs::remove_file(temporary);
    }
}

fn remove_empty_parents(root: &Path, file: &Path) {
    let mut current = file.parent();
    while let Some(dir) = current {
        if dir == root || fs::remove_dir(dir).is_err() {
            break;
        }
        current = dir.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(entries: &[(&str, &str)]) -> Files {
        entries.iter().map(|(p, c)| ((*p).to_owned(), (*c).to_owned())).collect()
    }

    #[test]
    fn writes_checks_and_removes_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("crate");
        let first = files(&[("Cargo.toml", "# @generated\n"), ("src/lib.rs", "a\n"), ("src/old.rs", "x\n")]);
        write(&out, &first).unwrap();
        assert!(check(&out, &first).unwrap().is_fresh());

        let second = files(&[("Cargo.toml", "# @generated\n"), ("src/lib.rs", "b\n")]);
        let stale = check(&out, &second).unwrap();
        assert_eq!(stale.diffs.len(), 2, "{:?}", stale.diffs);
        assert!(stale.diffs[0].contains("-a\n+b"), "{}", stale.diffs[0]);
        assert!(stale.diffs[1].contains("+++ /dev/null"), "{}", stale.diffs[1]);

        let summary = write(&out, &second).unwrap();
        assert_eq!(summary.written, vec!["src/lib.rs"]);
        assert_eq!(summary.removed, vec!["src/old.rs"]);
        assert!(check(&out, &second).unwrap().is_fresh());
        let leftovers: Vec<_> = fs::read_dir(out.join("src")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }

    #[test]
    fn leaves_build_output_alone_and_refuses_foreign_folders() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("target")).unwrap();
        fs::write(dir.path().join("target/x"), "build").unwrap();
        fs::write(dir.path().join("Cargo.lock"), "lock").unwrap();
        let emitted = files(&[("Cargo.toml", "# @generated\n")]);
        write(dir.path(), &emitted).unwrap();
        assert!(dir.path().join("target/x").exists());
        assert!(check(dir.path(), &emitted).unwrap().is_fresh());

        let foreign = tempfile::tempdir().unwrap();
        fs::write(foreign.path().join("notes.txt"), "mine").unwrap();
        let error = write(foreign.path(), &emitted).unwrap_err();
        assert!(error.message.contains("refusing"), "{error}");
        assert_eq!(fs::read_to_string(foreign.path().join("notes.txt")).unwrap(), "mine");
    }

    #[test]
    fn crlf_checkouts_are_fresh() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("Cargo.toml"), "# @generated\r\nx\r\n").unwrap();
        assert!(check(dir.path(), &files(&[("Cargo.toml", "# @generated\nx\n")])).unwrap().is_fresh());
    }
}
