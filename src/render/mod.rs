//! Renderers: a project's checklist as Markdown, HTML and Word, and the batch summary as CSV
//! and XLSX. They only shape what the checks decided; nothing here decides anything.

pub mod docx;
pub mod html;
pub mod markdown;
pub mod site;
pub mod summary;

use crate::check::checklist::Checklist;
use crate::check::{RequirementResult, Status};
use crate::doc::FileStatus;

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

/// A checklist's table as every renderer shows it.
struct Table {
    heading: &'static str,
    header: Vec<&'static str>,
    rows: Vec<Vec<Cell>>,
}

/// A cell: one or more lines of text, and how it is styled.
struct Cell {
    lines: Vec<String>,
    class: Option<Class>,
}

/// The style of a cell.
#[derive(Debug, Clone, Copy)]
enum Class {
    /// The call's own words.
    Quote,
    /// A requirement's status.
    Status(Status),
}

impl Class {
    /// The CSS class of the HTML rendering.
    fn css(self) -> &'static str {
        match self {
            Class::Quote => "quote",
            Class::Status(s) => s.as_str(),
        }
    }
}

impl Cell {
    fn text(t: impl Into<String>) -> Cell {
        Cell {
            lines: vec![t.into()],
            class: None,
        }
    }

    fn class(self, class: Class) -> Cell {
        Cell {
            class: Some(class),
            ..self
        }
    }
}

/// The requirements, checked: id, label, the call's words, expected, found, status, evidence.
fn requirements_table(c: &Checklist) -> Table {
    Table {
        heading: "考核要求核对",
        header: vec!["编号", "要求", "指南原文", "要求值", "实际", "结论", "依据"],
        rows: c
            .requirements
            .iter()
            .map(|r| {
                vec![
                    Cell::text(&r.id),
                    Cell::text(&r.label),
                    Cell::text(&r.quote).class(Class::Quote),
                    Cell::text(&r.expected),
                    Cell::text(&r.actual),
                    Cell::text(r.status.label_zh()).class(Class::Status(r.status)),
                    Cell {
                        lines: evidence_text(r),
                        class: None,
                    },
                ]
            })
            .collect(),
    }
}

/// The files submitted: path, label and how it was found, status, words in all and in the body.
fn files_table(c: &Checklist) -> Table {
    let words = |w: Option<u64>, f: &crate::check::checklist::FileRow| {
        w.map_or("-".into(), |n| {
            format!("{}{}", crate::report::estimate_mark(f.source), thousands(n))
        })
    };
    Table {
        heading: "提交的文件",
        header: vec!["文件", "识别为", "依据", "状态", "全文字数", "正文字数"],
        rows: c
            .files
            .iter()
            .map(|f| {
                vec![
                    Cell::text(f.shown()),
                    Cell::text(f.label.as_deref().unwrap_or("未识别")),
                    Cell::text(match &f.label_reason {
                        // "推断（文件名含“最终成果”）": why, where the reviewer looks.
                        Some(why) => format!("{}（{why}）", f.label_source.label_zh()),
                        None => f.label_source.label_zh().to_string(),
                    }),
                    Cell::text(f.error.clone().unwrap_or_else(|| {
                        if f.source.is_some() && f.status == FileStatus::Ok {
                            "正常，扫描件 OCR 估计".to_string()
                        } else {
                            file_status_zh(f.status).to_string()
                        }
                    })),
                    Cell::text(words(f.words, f)),
                    Cell::text(words(f.body_words, f)),
                ]
            })
            .collect(),
    }
}

/// A file's status as a reviewer reads it.
fn file_status_zh(s: FileStatus) -> &'static str {
    match s {
        FileStatus::Ok => "正常",
        FileStatus::Error => "无法读取",
        FileStatus::NoText => "无文字层",
    }
}

pub use crate::text::thousands;

/// The files that match no requirement, as one line.
fn unmatched_line(c: &Checklist) -> Option<String> {
    (!c.unmatched.is_empty()).then(|| format!("未对应任何要求的文件：{}", c.unmatched.join("、")))
}

/// One line per overlap with another document.
fn overlap_lines(c: &Checklist) -> Vec<String> {
    c.overlaps
        .iter()
        .map(|o| {
            format!(
                "{} 与 {} 重复 {} 字（{:.1}%）",
                o.path,
                o.other,
                thousands(o.chars),
                o.ratio * 100.0
            )
        })
        .collect()
}

/// The line the reviewer signs.
const SIGNATURE: &str = "验收专家签字：____________________　　日期：______年____月____日";

fn evidence_text(r: &RequirementResult) -> Vec<String> {
    r.evidence
        .iter()
        .map(|e| format!("{}：{}", e.shown(), e.detail))
        .collect()
}
