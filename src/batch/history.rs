//! What a batch remembers between runs (`OUT_DIR/state.json`) and what it tells about the
//! difference (`changes` of the summary, `OUT_DIR/history.jsonl`).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::inputs::ProjectInput;
use super::plan::Work;
use super::summary::{ProjectRow, RunStats};
use super::{BatchError, FileRef};
use crate::check::Verdict;
use crate::check::checklist::OverlapRow;
use crate::fsutil::write_durable;

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
    fn of(project: &str, event: ChangeEvent, path: Option<&str>) -> Change {
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

    fn project_removed(project: &str) -> Change {
        Change::of(project, ChangeEvent::ProjectRemoved, None)
    }
}

/// The state kept between runs (`OUT_DIR/state.json`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct State {
    pub projects: BTreeMap<String, ProjectState>,
    /// Inputs of the last overlap stage, and its rows per project.
    #[serde(default)]
    pub overlap_key: String,
    #[serde(default)]
    pub overlaps: BTreeMap<String, Vec<OverlapRow>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct ProjectState {
    pub fingerprint: String,
    pub verdict: Option<Verdict>,
    pub verdict_since: Option<String>,
    pub files: BTreeMap<String, FileState>,
    pub row: Option<ProjectRow>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct FileState {
    pub hash: String,
    pub first_seen: String,
    pub changed_at: String,
}

impl State {
    fn path(out: &Path) -> std::path::PathBuf {
        out.join("state.json")
    }

    /// The state of the previous run; empty on the first run or when it cannot be read.
    pub fn load(out: &Path) -> State {
        std::fs::read(State::path(out))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// Records each project's row (checked or reused), counts them in `stats`, and pushes
    /// the verdicts that changed since `prev`, then the projects no longer in `projects`, onto
    /// `changes`. Returns the rows in order.
    pub fn record(
        &mut self,
        work: Vec<Work>,
        checked: Vec<Result<ProjectRow, BatchError>>,
        prev: &State,
        projects: &[ProjectInput],
        stats: &mut RunStats,
        changes: &mut Vec<Change>,
    ) -> Result<Vec<ProjectRow>, BatchError> {
        let mut rows: Vec<ProjectRow> = Vec::new();
        for (w, row) in work.into_iter().zip(checked) {
            let row = row?;
            if w.reuse.is_some() {
                stats.projects_unchanged += 1;
            } else {
                stats.projects_rechecked += 1;
            }
            if let Some(ps) = prev.projects.get(&w.id)
                && let Some(old) = ps.verdict
                && old != row.verdict
            {
                changes.push(Change::verdict(&w.id, old, row.verdict));
            }
            self.projects.insert(
                w.id,
                ProjectState {
                    fingerprint: w.fingerprint,
                    verdict: Some(row.verdict),
                    verdict_since: row.verdict_since.clone(),
                    files: w.fstates,
                    row: Some(row.clone()),
                },
            );
            rows.push(row);
        }
        for old in prev.projects.keys() {
            if !projects.iter().any(|p| &p.id == old) {
                changes.push(Change::project_removed(old));
            }
        }
        Ok(rows)
    }

    /// Saves the state unless the run changed nothing (the same bytes would be written).
    pub fn save_if_changed(
        &self,
        prev: &State,
        changes: &[Change],
        stats: &RunStats,
        out: &Path,
    ) -> Result<(), BatchError> {
        let unchanged = changes.is_empty()
            && stats.projects_rechecked == 0
            && self.projects.len() == prev.projects.len()
            && self.overlap_key == prev.overlap_key;
        if unchanged { Ok(()) } else { self.save(out) }
    }

    pub fn save(&self, out: &Path) -> Result<(), BatchError> {
        let path = State::path(out);
        write_durable(&path, &serde_json::to_vec(self).unwrap_or_default())
            .map_err(|e| BatchError::io(&path, e))
    }
}

/// The history of one project's files: when each first arrived and last changed. Pushes the
/// files added, changed and removed since `prev` (and the project itself when it is new to a
/// batch that ran before) onto `changes`.
pub(super) fn file_history(
    id: &str,
    files: &[FileRef],
    prev: Option<&ProjectState>,
    first_run: bool,
    today: &str,
    changes: &mut Vec<Change>,
) -> BTreeMap<String, FileState> {
    let mut fstates: BTreeMap<String, FileState> = BTreeMap::new();
    for f in files {
        let fresh = |first_seen: &str| FileState {
            hash: f.hash.clone(),
            first_seen: first_seen.to_string(),
            changed_at: today.to_string(),
        };
        let fs = match prev.and_then(|s| s.files.get(&f.path)) {
            Some(o) if o.hash == f.hash => o.clone(),
            Some(o) => {
                changes.push(Change::of(id, ChangeEvent::FileChanged, Some(&f.path)));
                fresh(&o.first_seen)
            }
            None => {
                if prev.is_some() {
                    changes.push(Change::of(id, ChangeEvent::FileAdded, Some(&f.path)));
                }
                fresh(today)
            }
        };
        fstates.insert(f.path.clone(), fs);
    }
    if let Some(ps) = prev {
        for old in ps.files.keys() {
            if !fstates.contains_key(old) {
                changes.push(Change::of(id, ChangeEvent::FileRemoved, Some(old)));
            }
        }
    } else if !first_run {
        changes.push(Change::of(id, ChangeEvent::ProjectAdded, None));
    }
    fstates
}

/// Appends one line to `OUT_DIR/history.jsonl`: the verdicts on a first run, else the changes.
pub(super) fn append_history(
    out: &Path,
    at: &str,
    changes: &[Change],
    first: bool,
    rows: &[ProjectRow],
) -> Result<(), BatchError> {
    let path = out.join("history.jsonl");
    let entry = if first {
        let verdicts: BTreeMap<&str, Verdict> =
            rows.iter().map(|r| (r.id.as_str(), r.verdict)).collect();
        serde_json::json!({"at": at, "event": "first_run", "verdicts": verdicts})
    } else {
        serde_json::json!({"at": at, "changes": changes})
    };
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)?;
        writeln!(f, "{entry}")?;
        f.sync_all()
    };
    write().map_err(|e| BatchError::io(&path, e))
}
