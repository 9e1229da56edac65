//! The summary of a run (`summary.json`, `yanshou.batch.v1`): one row per project, the files
//! that could not be read, what changed, and how much work was done.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::check::checklist::{Checklist, OverlapRow, Tracking};
use crate::check::{Evidence, Status, Verdict};
use crate::error::Error as BatchError;
use crate::fsutil::write_atomic;
use crate::guide::Kind;
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
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RunStats {
    pub files: u64,
    pub extracted: u64,
    pub cached: u64,
    pub projects_rechecked: u64,
    pub projects_unchanged: u64,
}

pub(super) fn row_of(c: &Checklist, verdict_since: Option<String>) -> ProjectRow {
    let main_report_words = c
        .requirements
        .iter()
        .find(|r| r.kind == Kind::Report && r.expected.contains('字'))
        .and_then(|r| {
            r.evidence.first().and_then(|e| {
                c.files
                    .iter()
                    .find(|f| f.path == e.path && f.part == e.part)
                    .and_then(|f| f.body_words)
            })
        });
    ProjectRow {
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
        main_report_words,
        verdict_since,
    }
}

/// Writes `summary.json`, and the CSV and XLSX tables when their content changed.
pub(super) fn write_summary(out: &Path, s: &Summary) -> Result<(), BatchError> {
    let json_path = out.join("summary.json");
    let json = serde_json::to_vec_pretty(s).map_err(|e| BatchError::output(&json_path, e))?;
    write_atomic(&json_path, &json).map_err(|e| BatchError::io(&json_path, e))?;
    let (header, rows) = table(&s.projects);
    // The tables carry no timestamp: when their content is what was written last time, they
    // are left alone.
    let key = {
        let mut h = blake3::Hasher::new();
        h.update(
            serde_json::to_string(&(&rows, &s.changes, &s.errors))
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
    let tables = SummaryTables {
        header,
        rows,
        verdicts: s.projects.iter().map(|p| p.verdict).collect(),
        changes: s
            .changes
            .iter()
            .map(|c| {
                let verdict = |v: Option<Verdict>| v.map_or("", Verdict::as_str).to_string();
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
    };
    let csv = summary::csv(&tables).map_err(|e| BatchError::output(&csv_path, e))?;
    write_atomic(&csv_path, &csv).map_err(|e| BatchError::io(&csv_path, e))?;
    let xlsx_path = out.join("summary.xlsx");
    let xlsx = summary::xlsx(&tables).map_err(|e| BatchError::output(&xlsx_path, e))?;
    write_atomic(&xlsx_path, &xlsx).map_err(|e| BatchError::io(&xlsx_path, e))?;
    write_atomic(&key_path, key.as_bytes()).map_err(|e| BatchError::io(&key_path, e))?;
    Ok(())
}

/// The summary columns shared by CSV and XLSX.
fn table(projects: &[ProjectRow]) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let header = vec![
        "项目编号",
        "项目名称",
        "承担单位",
        "指南",
        "指南项目",
        "结论",
        "主报告正文字数",
        "未满足的要求",
        "完成期限",
        "逾期天数",
        "结论自",
        "说明",
    ];
    let rows = projects
        .iter()
        .map(|p| {
            vec![
                p.id.clone(),
                p.title.clone(),
                p.org.clone(),
                p.guideline.clone(),
                format!("{} {}", p.item, p.item_title),
                p.verdict.label_zh().to_string(),
                p.main_report_words.map_or(String::new(), |w| w.to_string()),
                p.tracking.outstanding.join("、"),
                p.tracking.deadline.clone().unwrap_or_default(),
                if p.tracking.days_overdue > 0 {
                    p.tracking.days_overdue.to_string()
                } else {
                    String::new()
                },
                p.verdict_since.clone().unwrap_or_default(),
                p.reason.clone(),
            ]
        })
        .collect();
    (header, rows)
}
