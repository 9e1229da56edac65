//! What a batch remembers between runs (`OUT_DIR/state.json`) and what it tells about the
//! difference (`changes` of the summary, `OUT_DIR/history.jsonl`).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::cache::FileRef;
use super::summary::{Change, ChangeEvent, ProjectRow, RunStats};
use crate::check::Verdict;
use crate::check::checklist::OverlapRow;
use crate::error::Error as BatchError;
use crate::fsutil::write_durable;

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
