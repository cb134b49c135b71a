//! A review as a pull-request comment (Markdown), as JSON, or as GitHub
//! workflow commands that annotate the spec's lines.

use std::fmt::Write;

use serde_json::{Value, json};

use super::{Area, Change, Review, Severity, Verdict};

/// Where the new spec is, as annotations and messages should name it.
pub struct Target<'a> {
    /// The spec file, relative to the repository root when possible.
    pub spec_path: &'a str,
}

/// The pull-request comment: a one-line verdict, counts, the changes grouped
/// by what they concern, the Rust API listing diff and the lint findings.
pub fn markdown(review: &Review, target: &Target<'_>) -> String {
    let mut out = String::new();
    let verdict = review.verdict();
    if verdict == Verdict::None {
        out.push_str(&format!(
            "**Spec review: no change.** `{}` and the generated Rust API are the same as before.\n",
            target.spec_path
        ));
        lint_section(review, &mut out);
        return out;
    }
    let counts = [Severity::Breaking, Severity::Compatible, Severity::DocsOnly].map(|severity| {
        let count = |area| review.changes.iter().filter(|c| c.severity == severity && c.area == area).count();
        (severity, count(Area::Http), count(Area::Rust))
    });
    let summary: Vec<String> = counts
        .iter()
        .filter(|(_, http, rust)| http + rust > 0)
        .map(|(severity, http, rust)| format!("{} {}", http + rust, severity.as_str()))
        .collect();
    let summary = if summary.is_empty() { "no API change".to_owned() } else { summary.join(", ") };
    let _ = writeln!(
        out,
        "**Spec review: {}.** {summary}; the generated crate needs {} version bump.\n",
        verdict.as_str(),
        match review.semver.as_str() {
            "none" => "no".to_owned(),
            bump => format!("a **{bump}**"),
        }
    );
    out.push_str("| severity | HTTP contract | Rust API |\n|---|---:|---:|\n");
    for (severity, http, rust) in counts {
        let _ = writeln!(out, "| {} | {http} | {rust} |", severity.as_str());
    }
    for subject in subjects(review, Area::Http) {
        let users = review.changes.iter().find(|c| c.subject == subject).map(|c| c.used_by.as_slice()).unwrap_or(&[]);
        let used_by = if users.is_empty() {
            String::new()
        } else {
            let listed: Vec<String> = users.iter().map(|user| format!("`{user}`")).collect();
            format!(" (used by {})", listed.join(", "))
        };
        let _ = writeln!(out, "\n#### {}{used_by}\n", subject_heading(&subject));
        for change in review.changes.iter().filter(|c| c.area == Area::Http && c.subject == subject) {
            let line = change.line.map(|line| format!(" (line {line})")).unwrap_or_default();
            // The heading names the subject; a message that starts with it need not again.
            let message =
                change.message.strip_prefix(subject.as_str()).map(|rest| rest.trim_start_matches(':').trim_start());
            let message = message.filter(|rest| !rest.is_empty()).unwrap_or(&change.message);
            let _ = writeln!(out, "- **{}**{line}: {message}", change.severity.as_str());
        }
    }
    if review.changes.iter().any(|c| c.area == Area::Rust) {
        let _ = writeln!(out, "\n#### Rust API (`API.md`, semver: {})\n", review.semver.as_str());
        for change in review.changes.iter().filter(|c| c.area == Area::Rust) {
            let _ = writeln!(out, "- **{}**: {}", change.severity.as_str(), change.message);
        }
    }
    if !review.listing_diff.is_empty() {
        out.push_str("\n```diff\n");
        for (old, new) in &review.listing_diff {
            if let Some(old) = old {
                let _ = writeln!(out, "- {old}");
            }
            if let Some(new) = new {
                let _ = writeln!(out, "+ {new}");
            }
        }
        out.push_str("```\n");
    }
    lint_section(review, &mut out);
    out
}

fn lint_section(review: &Review, out: &mut String) {
    if let Some(why) = &review.lint_skipped {
        let _ = writeln!(out, "\n#### Lint\n\nNot run: {why}");
        return;
    }
    if review.lint.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n#### Lint (Spectral)\n");
    for finding in &review.lint {
        let line = finding.line.map(|line| format!(" (line {line})")).unwrap_or_default();
        let _ = writeln!(out, "- **{}** `{}`{line}: {}", finding.severity, finding.code, finding.message);
    }
}

/// Operation subjects are shown as code; component subjects already quote their name.
fn subject_heading(subject: &str) -> String {
    if subject.contains('`') { subject.to_owned() } else { format!("`{subject}`") }
}

/// The subjects of one area, in the order their first change was found.
fn subjects(review: &Review, area: Area) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for change in review.changes.iter().filter(|c| c.area == area) {
        if !seen.contains(&change.subject) {
            seen.push(change.subject.clone());
        }
    }
    seen
}

/// The message with its subject, readable on its own (messages about a
/// component already start with it).
pub fn full_message(change: &Change) -> String {
    match change.area {
        Area::Http if !change.message.starts_with(&change.subject) => format!("{}: {}", change.subject, change.message),
        _ => change.message.clone(),
    }
}

/// The stable JSON form documented in README.md.
pub fn json(review: &Review) -> String {
    let changes: Vec<Value> = review
        .changes
        .iter()
        .map(|change| {
            json!({
                "severity": change.severity.as_str(),
                "area": change.area.as_str(),
                "subject": change.subject,
                "message": full_message(change),
                "old": change.old.as_ref().map(ToString::to_string),
                "new": change.new.as_ref().map(ToString::to_string),
                "line": change.line,
            })
        })
        .collect();
    let lint: Vec<Value> = review
        .lint
        .iter()
        .map(|finding| {
            json!({
                "severity": finding.severity,
                "code": finding.code,
                "message": finding.message,
                "pointer": finding.pointer.as_ref().map(ToString::to_string),
                "line": finding.line,
            })
        })
        .collect();
    let value = json!({
        "verdict": review.verdict().as_str(),
        "semver": review.semver.as_str(),
        "changes": changes,
        "lint": lint,
        "lint_skipped": review.lint_skipped,
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}

/// GitHub workflow commands: an error on the line of each breaking change,
/// a notice for the others, lint findings by their severity, then a summary.
pub fn github(review: &Review, target: &Target<'_>) -> String {
    let mut out = String::new();
    for change in &review.changes {
        let level = if change.severity == Severity::Breaking { "error" } else { "notice" };
        let title = match change.area {
            Area::Http => format!("{} change: {}", change.severity.as_str(), change.subject),
            Area::Rust => format!("{} Rust API change", change.severity.as_str()),
        };
        let mut properties = Vec::new();
        if change.area == Area::Http {
            properties.push(format!("file={}", escape_property(target.spec_path)));
            if let Some(line) = change.line {
                properties.push(format!("line={line}"));
            }
        }
        properties.push(format!("title={}", escape_property(&title)));
        let _ = writeln!(out, "::{level} {}::{}", properties.join(","), escape_data(&full_message(change)));
    }
    for finding in &review.lint {
        let level = match finding.severity.as_str() {
            "error" => "error",
            "warning" => "warning",
            _ => "notice",
        };
        let mut properties = vec![format!("file={}", escape_property(target.spec_path))];
        if let Some(line) = finding.line {
            properties.push(format!("line={line}"));
        }
        properties.push(format!("title={}", escape_property(&format!("Spectral {}", finding.code))));
        let _ = writeln!(out, "::{level} {}::{}", properties.join(","), escape_data(&finding.message));
    }
    let _ = writeln!(
        out,
        "Spec review: {} ({} changes; the generated crate needs semver {}).",
        review.verdict().as_str(),
        review.changes.len(),
        review.semver.as_str()
    );
    out
}

/// Workflow command data: `%`, CR and LF are escaped.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Workflow command properties: also `:` and `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
