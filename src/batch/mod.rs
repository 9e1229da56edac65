//! The nightly batch (`yanshou batch`) and the single-project check (`yanshou check`).
//!
//! A run: lock `OUT_DIR`; read settings, calls and `project.toml`s; find every submitted
//! file; reuse the cached facts of files whose size and modification time (else content
//! hash) are unchanged and extract the rest in parallel, caching each one the moment it is
//! done (an interrupted run resumes where it stopped); check each project; write checklists
//! only for projects whose inputs changed; record what moved in the history; write the
//! summary. The stages after the reading one take the files' documents from the cache the
//! reading stage filled (`texts`) instead of extracting them again. Every output is written to a temporary file and renamed, so a reader (or a
//! crash) never sees half a file.

mod assign;
mod cache;
mod calls;
mod history;
mod index;
mod init;
mod inputs;
mod lock;
mod overlap;
mod plan;
mod summary;
mod texts;

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use crate::check::checklist::Checklist;
pub use crate::check::copying::OverlapSettings;
use crate::check::project::{When, build_checklist, submitted};
use crate::dates::{now_stamp, today_in_china};
use crate::facts::FileFacts;
use crate::fsutil::rel;
use crate::progress::{Progress, Silent};
pub use assign::{MissingRow, RosterMatch, RosterReport, UnmatchedFolder};
pub use calls::load_guidelines;
pub use init::{GENERATED_MARK, InitReport, Written, init};
pub use inputs::{ItemSource, ProjectConfig, Settings};
pub use lock::Lock;
pub use summary::{
    BATCH_SCHEMA, Change, ChangeEvent, ErrorRow, ProjectRow, RequirementRow, RunStats, Summary,
};
pub use texts::DocSource;

/// The errors of a run are the library's errors.
pub use crate::error::Error as BatchError;

/// Options of a run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// The date the run counts deadlines from (YYYY-MM-DD); defaults to today (UTC).
    pub today: Option<String>,
}

/// Runs the checks of one project folder inside a batch layout (no cache, no outputs).
pub fn check_one(project_dir: &Path, today: Option<&str>) -> Result<Checklist, BatchError> {
    let dir = project_dir
        .canonicalize()
        .map_err(|e| BatchError::Usage(format!("{}：{e}", project_dir.display())))?;
    let batch = dir
        .parent()
        .and_then(|p| p.parent())
        .filter(|b| b.join("projects").is_dir())
        .ok_or_else(|| {
            BatchError::Usage(format!(
                "{} 不在批次目录的 projects/ 下（需要 BATCH_DIR/projects/<编号>/ 结构，指南放在 BATCH_DIR/guidelines/）",
                project_dir.display()
            ))
        })?;
    let settings = inputs::load_settings(batch)?;
    let (specs, _) = load_guidelines(batch);
    let id = dir.file_name().unwrap().to_string_lossy().to_string();
    let toml_path = dir.join("project.toml");
    // The project.toml, else the roster's row for this folder, else (once the files are read)
    // an inference from their titles.
    let mut cfg: Option<ProjectConfig> = match std::fs::read_to_string(&toml_path) {
        Ok(s) => Some(
            toml::from_str(&s).map_err(|e| BatchError::Input(format!("project.toml 有误：{e}")))?,
        ),
        Err(_) => None,
    };
    let mut unmatched: Option<String> = None;
    if cfg.is_none() {
        let roster = crate::roster::find_roster(batch, None).map_err(BatchError::Input)?;
        if let Some(roster) = roster {
            let mut projects = inputs::load_projects(batch);
            let (report, _) = assign::assign_rows(&roster, &mut projects, &specs);
            if let Some(p) = projects.into_iter().find(|p| p.id == id) {
                match p.config {
                    Ok(c) => cfg = Some(c),
                    Err(e) if e != inputs::NO_TOML => return Err(BatchError::Input(e)),
                    Err(_) => {}
                }
            }
            if cfg.is_none()
                && let Some(u) = report.unmatched_folders.iter().find(|u| u.folder == id)
            {
                unmatched = Some(format!("立项名单 {}：{}", roster.file, u.reason));
            }
        }
    }
    let files: Vec<(String, FileFacts)> = inputs::project_files(&dir)
        .par_iter()
        .map(|f| {
            let facts = match &f.refused {
                Some(why) => {
                    crate::facts::error_facts(&crate::extract::ExtractError::Io(why.clone()))
                }
                None => crate::facts::analyse_path(&f.path),
            };
            (rel(&dir, &f.path), facts)
        })
        .collect();
    let cfg = match cfg {
        Some(c) => c,
        None => {
            let texts =
                assign::document_titles(files.iter().map(|(p, f)| (p.clone(), f.title.clone())));
            assign::config_inferred(&id, &texts, &specs).map_err(|e| {
                BatchError::Input(match &unmatched {
                    Some(u) => format!("{id}：{e}（{u}）"),
                    None => format!("{id}：{e}"),
                })
            })?
        }
    };
    let (spec, item) = cfg
        .resolve(&specs)
        .map_err(|e| BatchError::Input(format!("project.toml {e}")))?;
    let today = today.map(str::to_string).unwrap_or_else(today_in_china);
    let mut cl = build_checklist(
        cfg.info(&id, spec, item),
        item,
        &submitted(&cfg.files, files),
        cfg.deadline(item),
        &BTreeMap::new(),
        &settings.check,
        When {
            today: &today,
            generated_at: &now_stamp(),
        },
    );
    if let Some(score) = cfg.item_inferred {
        plan::mark_inferred(&mut cl, score);
    }
    Ok(cl)
}

/// Runs the batch without telling anyone how it goes. Returns the summary (also written to
/// `out`).
pub fn run(batch: &Path, out: &Path, opts: &RunOptions) -> Result<Summary, BatchError> {
    run_with(batch, out, opts, &Silent)
}

/// Runs the batch; `progress` hears how it goes. Returns the summary (also written to `out`).
pub fn run_with(
    batch: &Path,
    out: &Path,
    opts: &RunOptions,
    progress: &dyn Progress,
) -> Result<Summary, BatchError> {
    inputs::check_layout(batch)?;
    inputs::check_out(batch, out)?;
    let _lock = Lock::acquire(out, progress)?;
    cache::clear_stale_temps(out);
    let today = opts.today.clone().unwrap_or_else(today_in_china);
    let generated_at = now_stamp();
    let settings = inputs::load_settings(batch)?;
    let specs_cache = out.join("cache").join("specs");
    let (specs, mut errors) = calls::load_guidelines_cached(batch, Some(&specs_cache));
    let mut projects = inputs::load_projects(batch);
    errors.extend(assign::stray_files(batch));
    let (roster, missing) = assign::apply_roster(batch, &mut projects, &specs, &mut errors);
    progress.phase("读取指南与项目");
    let prev = history::State::load(out);
    let analysed = cache::analyse_all(batch, out, &projects, &mut errors, progress)?;
    assign::infer_items(
        &mut projects,
        &analysed.per_project,
        &cache::facts_dir(out),
        &specs,
    );
    // The full-text index is written by a thread of its own while the stages below run (no
    // verdict depends on it); the run waits for it at the end.
    let indexing = index::start(
        out,
        &projects,
        &analysed.per_project,
        &analysed.archive,
        &analysed.texts,
    );
    let mut stats = analysed.stats.clone();
    let (overlap_key, overlap_rows) = overlap::overlap_stage(
        batch,
        out,
        &projects,
        &analysed,
        &settings.overlap,
        &prev,
        progress,
    )?;
    progress.phase("重复检测");
    let (per_project, texts) = (analysed.per_project, analysed.texts);
    // The site's file views are keyed by content, as the cache is.
    let hashes: BTreeMap<String, BTreeMap<String, String>> = projects
        .iter()
        .zip(&per_project)
        .map(|(p, files)| {
            let h = files
                .iter()
                .filter(|f| !f.hash.is_empty())
                .map(|f| (f.path.clone(), f.hash.clone()))
                .collect();
            (p.id.clone(), h)
        })
        .collect();
    let checklists_dir = out.join("checklists");
    let plan = plan::Plan {
        specs: &specs,
        settings: &settings,
        prev: &prev,
        overlap_rows: &overlap_rows,
        today: &today,
        checklists_dir: &checklists_dir,
    };
    let mut changes: Vec<Change> = Vec::new();
    let work = plan.work(&projects, per_project, &mut changes, &mut errors)?;
    progress.phase("比对变化");
    let checked = plan.check(&work, out, &generated_at, progress);
    plan::remove_gone_checklists(&checklists_dir, &projects);
    let mut state = history::State {
        overlap_key,
        overlaps: overlap_rows.clone(),
        ..Default::default()
    };
    let mut rows = plan::record(
        &mut state,
        work,
        checked,
        &prev,
        &projects,
        &mut stats,
        &mut changes,
    )?;
    rows.extend(
        missing
            .iter()
            .map(|r| assign::missing_row(r, &specs, &today)),
    );
    progress.phase("核对并写清单");
    state.save_if_changed(&prev, &changes, &stats, out)?;
    progress.phase("写状态");
    let first_run = prev.projects.is_empty();
    if !changes.is_empty() || first_run {
        history::append_history(out, &generated_at, &changes, first_run, &rows)?;
    }
    let summary = Summary {
        schema: BATCH_SCHEMA.into(),
        generated_at,
        batch: batch.display().to_string(),
        projects: rows,
        errors,
        changes,
        stats,
        roster,
    };
    progress.start("写汇总表", 0);
    let written = summary::write_summary(out, &summary);
    progress.finish();
    written?;
    progress.phase("写汇总");
    crate::render::site::write(&crate::render::site::SiteInput {
        out,
        batch,
        summary: &summary,
        first_run,
        hashes,
        copying: &settings.overlap,
        texts: &texts,
    })?;
    progress.phase("写网页");
    indexing.wait(progress);
    progress.phase("等待全文索引");
    Ok(summary)
}
