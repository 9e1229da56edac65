//! The summary of a run (`summary.json`, `yanshou.batch.v1`): one row per project, the files
//! that could not be read, what changed, and how much work was done.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::assign::RosterReport;
use super::inputs::ItemSource;
use crate::check::checklist::{Checklist, OverlapRow, Tracking};
use crate::check::{Evidence, Status, Verdict};
use crate::error::Error as BatchError;
use crate::fsutil::write_atomic;
use crate::guide::{Item, Kind};
use crate::render::summary::{self, SummaryTables};

pub const BATCH_SCHEMA: &str = "yanshou.batch.v1";

/// What changed since the previous run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub project: String,
    pub event: ChangeEvent,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<Verdict>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<Verdict>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeEvent {
    FileAdded,
    FileChanged,
    FileRemoved,
    VerdictChanged,
    ProjectAdded,
    ProjectRemoved,
}

impl ChangeEvent {
    pub fn label_zh(self) -> &'static str {
        match self {
            ChangeEvent::FileAdded => "新增文件",
            ChangeEvent::FileChanged => "文件更新",
            ChangeEvent::FileRemoved => "文件删除",
            ChangeEvent::VerdictChanged => "结论变化",
            ChangeEvent::ProjectAdded => "新增项目",
            ChangeEvent::ProjectRemoved => "项目移除",
        }
    }
}

impl Change {
    pub(super) fn of(project: &str, event: ChangeEvent, path: Option<&str>) -> Change {
        Change {
            project: project.to_string(),
            event,
            path: path.map(str::to_string),
            from: None,
            to: None,
        }
    }

    pub(super) fn verdict(project: &str, from: Verdict, to: Verdict) -> Change {
        Change {
            from: Some(from),
            to: Some(to),
            ..Change::of(project, ChangeEvent::VerdictChanged, None)
        }
    }

    pub(super) fn project_removed(project: &str) -> Change {
        Change::of(project, ChangeEvent::ProjectRemoved, None)
    }
}

/// A row of `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectRow {
    pub id: String,
    pub title: String,
    pub org: String,
    pub guideline: String,
    pub item: String,
    pub item_title: String,
    pub verdict: Verdict,
    pub reason: String,
    pub requirements: Vec<RequirementRow>,
    pub overlaps: Vec<OverlapRow>,
    pub tracking: Tracking,
    /// Files and their label, for the summary's key figures.
    pub files: u64,
    pub main_report_words: Option<u64>,
    pub verdict_since: Option<String>,
    /// Where the item came from: `toml`, `roster` (the 立项名单) or `inferred` (from titles;
    /// the project is `review` until a person confirms it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_source: Option<ItemSource>,
    /// The similarity an inferred item was chosen with (0–1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_score: Option<f64>,
    /// The call's title (`guideline` is its file stem).
    #[serde(default)]
    pub guideline_title: String,
    /// The length the call asks of the main report (its minimum, else the 约 figure), when it
    /// asks one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main_report_required_words: Option<u64>,
    /// Why `main_report_words` is empty: 不要求 (no length asked), 未提交 (no report found),
    /// 无法统计 (the report could not be counted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main_report_words_note: Option<String>,
    /// Set when `main_report_words` rests on OCR, in whole (`ocr`) or in part (`mixed`): an
    /// estimate, shown with ≈.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main_report_words_source: Option<crate::report::TextSource>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequirementRow {
    pub id: String,
    pub label: String,
    pub kind: Kind,
    pub status: Status,
    pub expected: String,
    pub actual: String,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorRow {
    pub path: String,
    pub error: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Summary {
    pub schema: String,
    pub generated_at: String,
    pub batch: String,
    pub projects: Vec<ProjectRow>,
    pub errors: Vec<ErrorRow>,
    pub changes: Vec<Change>,
    pub stats: RunStats,
    /// The 立项名单 the projects were matched to, when the batch has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roster: Option<RosterReport>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RunStats {
    pub files: u64,
    pub extracted: u64,
    pub cached: u64,
    pub projects_rechecked: u64,
    pub projects_unchanged: u64,
}

pub(super) fn row_of(c: &Checklist, item: &Item, verdict_since: Option<String>) -> ProjectRow {
    let main = main_report(c, item);
    ProjectRow {
        guideline_title: c.project.guideline_title.clone(),
        main_report_required_words: main.required,
        main_report_words_note: main.note.map(str::to_string),
        id: c.project.id.clone(),
        title: c.project.title.clone(),
        org: c.project.org.clone(),
        guideline: c.project.guideline.clone(),
        item: c.project.item.clone(),
        item_title: c.project.item_title.clone(),
        verdict: c.verdict,
        reason: c.reason.clone(),
        requirements: c
            .requirements
            .iter()
            .map(|r| RequirementRow {
                id: r.id.clone(),
                label: r.label.clone(),
                kind: r.kind,
                status: r.status,
                expected: r.expected.clone(),
                actual: r.actual.clone(),
                evidence: r.evidence.clone(),
            })
            .collect(),
        overlaps: c.overlaps.clone(),
        tracking: c.tracking.clone(),
        files: c.files.len() as u64,
        main_report_words: main.words,
        main_report_words_source: main.source,
        verdict_since,
        item_source: None,
        item_score: None,
    }
}

/// The main report of a project as the summary shows it: the first report requirement with a
/// length, the length asked, the body words of its first file, or why there are none.
struct MainReport {
    required: Option<u64>,
    words: Option<u64>,
    note: Option<&'static str>,
    /// What OCR contributed to `words`.
    source: Option<crate::report::TextSource>,
}

/// The length an item asks of its main report (the first report with a length): its minimum,
/// else its 约 figure.
pub(super) fn required_words(item: &Item) -> Option<u64> {
    item.requirements
        .iter()
        .filter(|q| q.kind == Kind::Report)
        .find_map(|q| q.length.as_ref())
        .and_then(|l| l.min.or(l.approx))
}

fn main_report(c: &Checklist, item: &Item) -> MainReport {
    let asked = c.requirements.iter().find_map(|r| {
        let length = item
            .requirements
            .iter()
            .find(|q| q.id == r.id && q.kind == Kind::Report)?
            .length
            .as_ref()?;
        Some((r, length.min.or(length.approx)))
    });
    let Some((r, required)) = asked else {
        return MainReport {
            required: None,
            words: None,
            note: Some("不要求"),
            source: None,
        };
    };
    let file = r.evidence.first().and_then(|e| {
        c.files
            .iter()
            .find(|f| f.path == e.path && f.part == e.part)
    });
    let (words, note) = match file {
        None => (None, Some("未提交")),
        Some(f) => match f.body_words {
            Some(w) => (Some(w), None),
            None => (None, Some("无法统计")),
        },
    };
    MainReport {
        required,
        words,
        note,
        source: file.and_then(|f| f.source),
    }
}

/// Writes `summary.json`, and the CSV and XLSX tables when their content changed.
pub(super) fn write_summary(out: &Path, s: &Summary) -> Result<(), BatchError> {
    let json_path = out.join("summary.json");
    let json = serde_json::to_vec_pretty(s).map_err(|e| BatchError::output(&json_path, e))?;
    write_atomic(&json_path, &json).map_err(|e| BatchError::io(&json_path, e))?;
    let tables = tables(s);
    // The tables carry no timestamp: when their content is what was written last time, they
    // are left alone.
    let key = {
        let mut h = blake3::Hasher::new();
        h.update(
            serde_json::to_string(&(&s.projects, &s.changes, &s.errors))
                .unwrap_or_default()
                .as_bytes(),
        );
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.finalize().to_hex().to_string()
    };
    let key_path = out.join("cache").join("summary-tables.key");
    if std::fs::read_to_string(&key_path).is_ok_and(|k| k == key)
        && out.join("summary.csv").exists()
        && out.join("summary.xlsx").exists()
    {
        return Ok(());
    }
    let csv_path = out.join("summary.csv");
    let csv = summary::csv(&tables).map_err(|e| BatchError::output(&csv_path, e))?;
    write_atomic(&csv_path, &csv).map_err(|e| BatchError::io(&csv_path, e))?;
    let xlsx_path = out.join("summary.xlsx");
    let xlsx = summary::xlsx(&tables).map_err(|e| BatchError::output(&xlsx_path, e))?;
    write_atomic(&xlsx_path, &xlsx).map_err(|e| BatchError::io(&xlsx_path, e))?;
    write_atomic(&key_path, key.as_bytes()).map_err(|e| BatchError::io(&key_path, e))?;
    Ok(())
}

/// The summary columns shared by CSV and XLSX, with their widths in the workbook: about two
/// lines of a title or an organisation, the reason in a wide column that wraps.
const COLUMNS: [(&str, f64); 14] = [
    ("项目编号", 9.0),
    ("项目名称", 22.0),
    ("承担单位", 18.0),
    ("指南", 24.0),
    ("指南项目", 22.0),
    ("结论", 11.0),
    ("要求字数", 9.0),
    ("主报告正文字数", 10.0),
    ("未满足的要求", 14.0),
    ("完成期限", 11.0),
    ("逾期天数", 7.0),
    ("结论自", 11.0),
    ("说明", 40.0),
    ("验收清单", 10.0),
];
/// The column of the verdict, in colour in the workbook.
const VERDICT_COLUMN: usize = 5;

/// The summary tables of a run.
fn tables(s: &Summary) -> SummaryTables {
    use crate::render::summary::{Column, Value};
    let text = |t: &str| Value::Text(t.to_string());
    let rows = s
        .projects
        .iter()
        .map(|p| {
            let words = match (p.main_report_words, &p.main_report_words_note) {
                // An OCR estimate stays a figure a person can tell from a count.
                (Some(w), _) if p.main_report_words_source.is_some() => {
                    text(&format!("≈{}", crate::text::thousands(w)))
                }
                (Some(w), _) => Value::Number(w),
                (None, Some(note)) => text(note),
                (None, None) => text(""),
            };
            let guideline = if p.guideline_title.is_empty() {
                &p.guideline
            } else {
                &p.guideline_title
            };
            vec![
                text(&p.id),
                text(&p.title),
                text(&p.org),
                text(guideline),
                text(&format!("{} {}", p.item, p.item_title)),
                text(p.verdict.label_zh()),
                p.main_report_required_words
                    .map_or_else(|| text(""), Value::Number),
                words,
                text(&p.tracking.outstanding.join("、")),
                Value::Date(p.tracking.deadline.clone().unwrap_or_default()),
                if p.tracking.days_overdue > 0 {
                    Value::Number(p.tracking.days_overdue as u64)
                } else {
                    text("")
                },
                Value::Date(p.verdict_since.clone().unwrap_or_default()),
                text(&p.reason),
                Value::Link(format!("checklists/{}.docx", p.id)),
            ]
        })
        .collect();
    // A file that could not be processed, as a row: the project it belongs to (when it is
    // under projects/), 无法处理, and the path and reason in 说明.
    let error_rows = s
        .errors
        .iter()
        .map(|e| {
            let id = e
                .path
                .strip_prefix("projects/")
                .and_then(|r| r.split('/').next())
                .unwrap_or("");
            let mut row = vec![text(""); COLUMNS.len()];
            row[0] = text(id);
            row[VERDICT_COLUMN] = text("无法处理");
            row[12] = text(&format!("{}：{}", e.path, e.error));
            row
        })
        .collect();
    SummaryTables {
        columns: COLUMNS
            .iter()
            .map(|&(header, width)| Column { header, width })
            .collect(),
        rows,
        verdicts: s.projects.iter().map(|p| p.verdict).collect(),
        verdict_column: VERDICT_COLUMN,
        error_rows,
        changes: s
            .changes
            .iter()
            .map(|c| {
                let verdict = |v: Option<Verdict>| v.map_or("", Verdict::label_zh).to_string();
                let path = c.path.clone().unwrap_or_default();
                let event = c.event.label_zh().to_string();
                [
                    c.project.clone(),
                    event,
                    path,
                    verdict(c.from),
                    verdict(c.to),
                ]
            })
            .collect(),
        errors: s
            .errors
            .iter()
            .map(|e| [e.path.clone(), e.error.clone()])
            .collect(),
    }
}
