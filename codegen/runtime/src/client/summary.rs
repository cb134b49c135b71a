//! The one-line `Display` of every documented error payload.

use super::text::one_line;

/// Writes `HTTP <status> <reason>: <summary parts> (<header>: <value>, ...)`,
/// leaving out absent parts; server text is kept to one line.
pub(crate) fn write_summary(
    f: &mut std::fmt::Formatter<'_>,
    status: u16,
    summary: &[Option<String>],
    headers: &[(&str, Option<String>)],
) -> std::fmt::Result {
    write!(f, "HTTP {status}")?;
    let reason = reqwest::StatusCode::from_u16(status).ok().and_then(|status| status.canonical_reason());
    if let Some(reason) = reason {
        write!(f, " {reason}")?;
    }
    for part in summary.iter().flatten() {
        let part = one_line(part);
        write!(f, ": {part}")?;
    }
    let headers: Vec<String> = headers
        .iter()
        .filter_map(|(name, value)| {
            let value = one_line(value.as_deref()?);
            Some(format!("{name}: {value}"))
        })
        .collect();
    if !headers.is_empty() {
        let headers = headers.join(", ");
        write!(f, " ({headers})")?;
    }
    Ok(())
}
