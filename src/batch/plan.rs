//! Which projects a run checks again, and checking them: a project whose inputs (its files,
//! its item of the call, the settings, the date, the overlap rows) are those of the last run
//! and whose checklists are all present is reused as it was.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;

use super::cache::FileRef;
use super::cache::{load_facts, ocr_absent};
use super::history::{FileState, ProjectState, State, file_history};
use super::inputs::{ItemSource, ProjectConfig, ProjectInput, Settings};
use super::summary::{Change, ErrorRow, ProjectRow, RunStats, row_of};
use crate::check::checklist::{Checklist, OverlapRow};
use crate::check::copying::add_overlaps;
use crate::check::project::{When, build_checklist, submitted};
use crate::error::Error as BatchError;
use crate::facts::{FACTS_VERSION, FileFacts, error_facts};
use crate::fsutil::write_atomic;
use crate::guide::{Item, Spec};
use crate::render::Format;

/// The formats every project's checklist is written in.
const CHECKLIST_FORMATS: [Format; 4] = [Format::Json, Format::Md, Format::Html, Format::Docx];

/// A project ready to be checked (or reused).
pub(super) struct Work<'a> {
    pub id: String,
    cfg: &'a ProjectConfig,
    source: ItemSource,
    spec: &'a Spec,
    item: &'a Item,
    files: Vec<FileRef>,
    pub fstates: BTreeMap<String, FileState>,
    pub fingerprint: String,
    pub reuse: Option<ProjectRow>,
}

/// What a run knows when it decides which projects to check.
pub(super) struct Plan<'a> {
    pub specs: &'a BTreeMap<String, Spec>,
    pub settings: &'a Settings,
    pub prev: &'a State,
    pub overlap_rows: &'a BTreeMap<String, Vec<OverlapRow>>,
    pub today: &'a str,
    pub checklists_dir: &'a Path,
}

impl<'a> Plan<'a> {
    /// The work of each project whose configuration holds, with its file history; records
    /// what changed in `changes` and the projects that cannot be checked in `errors`.
    pub fn work(
        &self,
        projects: &'a [ProjectInput],
        per_project: Vec<Vec<FileRef>>,
        changes: &mut Vec<Change>,
        errors: &mut Vec<ErrorRow>,
    ) -> Result<Vec<Work<'a>>, BatchError> {
        std::fs::create_dir_all(self.checklists_dir)
            .map_err(|e| BatchError::io(self.checklists_dir, e))?;
        let present: HashSet<String> = std::fs::read_dir(self.checklists_dir)
            .map(|rd| {
                rd.flatten()
                    .filter_map(|e| e.file_name().to_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let settings_json = serde_json::to_string(self.settings).unwrap_or_default();
        let mut item_keys: HashMap<(String, String), String> = HashMap::new();
        let mut ocr_missing: Option<bool> = None;
        let mut work = Vec::new();
        for (p, files) in projects.iter().zip(per_project) {
            let resolved = p
                .config
                .as_ref()
                .map_err(String::clone)
                .and_then(|cfg| cfg.resolve(self.specs).map(|(s, i)| (cfg, s, i)));
            let (cfg, spec, item) = match resolved {
                Ok(x) => x,
                Err(error) => {
                    // Where the item came from: a roster row's error names the row and
                    // belongs to the folder; otherwise the project.toml (to fix, or to write).
                    let path = match p.source {
                        super::inputs::ItemSource::Toml => {
                            format!("projects/{}/project.toml", p.id)
                        }
                        _ => format!("projects/{}", p.id),
                    };
                    errors.push(ErrorRow { path, error });
                    continue;
                }
            };
            let prev_p = self.prev.projects.get(&p.id);
            let first_run = self.prev.projects.is_empty();
            let fstates = file_history(&p.id, &files, prev_p, first_run, self.today, changes);
            // Inputs of this project's checklist: unchanged inputs and outputs present → reuse.
            let fingerprint = {
                let mut h = blake3::Hasher::new();
                let item_key = item_keys
                    .entry((cfg.guideline.clone(), item.id.clone()))
                    .or_insert_with(|| {
                        let mut ih = blake3::Hasher::new();
                        ih.update(serde_json::to_string(item).unwrap_or_default().as_bytes());
                        ih.update(spec.title.as_bytes());
                        ih.finalize().to_hex().to_string()
                    });
                h.update(item_key.as_bytes());
                h.update(serde_json::to_string(cfg).unwrap_or_default().as_bytes());
                h.update(format!("{:?}", p.source).as_bytes());
                h.update(settings_json.as_bytes());
                h.update(self.today.as_bytes());
                h.update(&FACTS_VERSION.to_le_bytes());
                h.update(env!("CARGO_PKG_VERSION").as_bytes());
                // A scan cached without OCR is read again once OCR is installed: recheck then.
                h.update(&[u8::from(*ocr_missing.get_or_insert_with(ocr_absent))]);
                for f in &files {
                    h.update(f.path.as_bytes());
                    h.update(f.hash.as_bytes());
                    h.update(f.error.as_deref().unwrap_or("").as_bytes());
                }
                if let Some(o) = self.overlap_rows.get(&p.id) {
                    h.update(serde_json::to_string(o).unwrap_or_default().as_bytes());
                }
                h.finalize().to_hex().to_string()
            };
            let reuse = prev_p
                .filter(|s| s.fingerprint == fingerprint)
                .filter(|_| {
                    CHECKLIST_FORMATS
                        .iter()
                        .all(|f| present.contains(&format!("{}.{}", p.id, f.ext())))
                })
                .and_then(|s| s.row.clone());
            work.push(Work {
                id: p.id.clone(),
                cfg,
                source: p.source,
                spec,
                item,
                files,
                fstates,
                fingerprint,
                reuse,
            });
        }
        Ok(work)
    }

    /// Checks the projects whose inputs changed and writes their checklists, in parallel;
    /// the others keep their row.
    pub fn check(
        &self,
        work: &[Work],
        out: &Path,
        generated_at: &str,
        progress: &dyn crate::progress::Progress,
    ) -> Vec<Result<ProjectRow, BatchError>> {
        let facts_dir = super::cache::facts_dir(out);
        progress.start("核对项目并写清单", work.len() as u64);
        let rows = work
            .par_iter()
            .map(|w| {
                let row = self.check_one(w, &facts_dir, generated_at);
                progress.step(w.reuse.is_none().then_some(w.id.as_str()));
                row
            })
            .collect();
        progress.finish();
        rows
    }

    /// One project's row: reused when its inputs are unchanged, else checked and its
    /// checklists written.
    fn check_one(
        &self,
        w: &Work,
        facts_dir: &Path,
        generated_at: &str,
    ) -> Result<ProjectRow, BatchError> {
        if let Some(row) = &w.reuse {
            return Ok(row.clone());
        }
        let files: Vec<(String, FileFacts)> = w
            .files
            .iter()
            .map(|f| {
                let facts = (!f.hash.is_empty())
                    .then(|| load_facts(facts_dir, &f.hash))
                    .flatten()
                    .unwrap_or_else(|| {
                        error_facts(&crate::extract::ExtractError::Io(
                            f.error.clone().unwrap_or_else(|| "无法读取".into()),
                        ))
                    });
                (f.path.clone(), facts)
            })
            .collect();
        let first_seen: BTreeMap<String, String> = w
            .fstates
            .iter()
            .map(|(k, v)| (k.clone(), v.first_seen.clone()))
            .collect();
        let subs = submitted(&w.cfg.files, files);
        let mut cl = build_checklist(
            w.cfg.info(&w.id, w.spec, w.item),
            w.item,
            &subs,
            w.cfg.deadline(w.item),
            &first_seen,
            &self.settings.check,
            When {
                today: self.today,
                generated_at,
            },
        );
        let overlaps = self.overlap_rows.get(&w.id).cloned().unwrap_or_default();
        add_overlaps(&mut cl, overlaps, &self.settings.overlap);
        if let Some(score) = w.cfg.item_inferred {
            mark_inferred(&mut cl, score);
        }
        write_checklist(self.checklists_dir, &w.id, &cl)?;
        let since = match self.prev.projects.get(&w.id) {
            Some(s) if s.verdict == Some(cl.verdict) => s.verdict_since.clone(),
            _ => Some(self.today.to_string()),
        };
        let mut row = row_of(&cl, w.item, since);
        row.item_source = Some(w.source);
        row.item_score = w.cfg.item_inferred;
        Ok(row)
    }
}

/// A project whose item was inferred is `review` until a person confirms the item: its
/// reason says which item and how sure.
pub(super) fn mark_inferred(cl: &mut Checklist, score: f64) {
    cl.verdict = crate::check::Verdict::Review;
    cl.reason = format!(
        "指南条目为推断：{} {}（相似度 {score:.2}），请确认后写入 project.toml（或运行 yanshou init 后删去 item_inferred 一行）。{}",
        cl.project.item, cl.project.item_title, cl.reason
    );
}

/// Writes a project's checklist in every format.
fn write_checklist(dir: &Path, id: &str, c: &Checklist) -> Result<(), BatchError> {
    for format in CHECKLIST_FORMATS {
        let path = dir.join(format!("{id}.{}", format.ext()));
        let bytes =
            crate::render::checklist(c, format).map_err(|e| BatchError::output(&path, e))?;
        write_atomic(&path, &bytes).map_err(|e| BatchError::io(&path, e))?;
    }
    Ok(())
}

/// Records in `state` each project's row (checked or reused), counts them in `stats`, and pushes
/// the verdicts that changed since `prev`, then the projects no longer in `projects`, onto
/// `changes`. Returns the rows in order.
pub(super) fn record(
    state: &mut State,
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
        state.projects.insert(
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

/// A project removed from the batch takes its checklists with it.
pub(super) fn remove_gone_checklists(checklists_dir: &Path, projects: &[ProjectInput]) {
    let ids: std::collections::HashSet<&str> = projects.iter().map(|p| p.id.as_str()).collect();
    if let Ok(rd) = std::fs::read_dir(checklists_dir) {
        for e in rd.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            let stem = name.rsplit_once('.').map_or(name.as_ref(), |(s, _)| s);
            if !name.starts_with('.') && !ids.contains(stem) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}
