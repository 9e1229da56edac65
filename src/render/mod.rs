//! Renderers: a project's checklist as Markdown, HTML and Word, and the batch summary as CSV
//! and XLSX. They only shape what the checks decided; nothing here decides anything.

pub mod docx;
pub mod html;
pub mod markdown;
pub mod summary;

use crate::check::RequirementResult;
use crate::check::checklist::Checklist;

/// The formats of a checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `yanshou.checklist.v1`
    Json,
    Md,
    /// Prints on A4.
    Html,
    /// A4, opens in Word and WPS.
    Docx,
}

impl Format {
    /// The file name extension.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Md => "md",
            Format::Html => "html",
            Format::Docx => "docx",
        }
    }
}

/// A checklist in one format.
pub fn checklist(c: &Checklist, format: Format) -> Result<Vec<u8>, String> {
    Ok(match format {
        Format::Json => serde_json::to_vec_pretty(c).map_err(|e| e.to_string())?,
        Format::Md => markdown::checklist(c).into_bytes(),
        Format::Html => html::checklist(c).into_bytes(),
        Format::Docx => docx::checklist(c)?,
    })
}

/// Escapes text for HTML, quotes included (it may stand in an attribute).
pub fn esc_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn esc_md(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn evidence_text(r: &RequirementResult) -> Vec<String> {
    r.evidence
        .iter()
        .map(|e| format!("{}：{}", e.path, e.detail))
        .collect()
}
