//! `yanshou init`: writes the `project.toml` of each project folder from the 立项名单 (or,
//! without a row, from the titles of its documents), so that a person can read and correct
//! what the batch would assume. A file it writes starts with [`GENERATED_MARK`]; a file
//! without it was written (or taken over) by a person and is never touched.

use std::collections::BTreeSet;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use super::assign::{self, MissingRow, UnmatchedFolder};
use super::inputs::{self, ItemSource, NO_TOML, ProjectConfig};
use crate::error::Error as BatchError;
use crate::fsutil::{rel, write_atomic};

/// The first line of every `project.toml` that `init` writes.
pub const GENERATED_MARK: &str = "# 由 yanshou init 生成";

/// What `init` did and could not do.
#[derive(Debug, Clone, Default)]
pub struct InitReport {
    /// The roster's file name, when there is one.
    pub roster: Option<String>,
    /// Folders given a `project.toml`: folder, where its item came from, item and title.
    pub written: Vec<Written>,
    /// Folders whose `project.toml` a person wrote: left as they are.
    pub kept: Vec<String>,
    /// Folders no roster row names (or several name equally).
    pub unmatched_folders: Vec<UnmatchedFolder>,
    /// Roster rows without a folder.
    pub missing_rows: Vec<MissingRow>,
    /// Folders left without a `project.toml`: why (no item found, ambiguous item).
    pub failed: Vec<UnmatchedFolder>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub folder: String,
    pub source: ItemSource,
    pub guideline: String,
    pub item: String,
    pub score: Option<f64>,
}

impl InitReport {
    /// Every folder and every row found its counterpart and its item.
    pub fn complete(&self) -> bool {
        self.unmatched_folders.is_empty() && self.missing_rows.is_empty() && self.failed.is_empty()
    }
}

/// The fields `init` writes, in the order a person reads them.
#[derive(Serialize)]
struct TomlOut<'a> {
    title: &'a str,
    org: &'a str,
    guideline: &'a str,
    item: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    item_inferred: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deadline: Option<&'a str>,
}

/// Whether a `project.toml` is one `init` wrote (and may write again).
fn generated(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|s| s.starts_with(GENERATED_MARK))
}

/// Writes the `project.toml` files of `batch` (see the module doc). `roster` names the
/// roster when it is not the one at the batch's root.
pub fn init(batch: &Path, roster: Option<&Path>) -> Result<InitReport, BatchError> {
    inputs::check_layout(batch)?;
    if let Some(r) = roster
        && !r.is_file()
    {
        return Err(BatchError::Usage(format!(
            "立项名单不存在：{}",
            r.display()
        )));
    }
    let (specs, spec_errors) = super::load_guidelines(batch);
    if specs.is_empty() {
        let why = spec_errors
            .iter()
            .map(|e| format!("{}：{}", e.path, e.error))
            .collect::<Vec<_>>()
            .join("；");
        return Err(BatchError::Usage(format!(
            "{} 的 guidelines/ 下没有可用的申报指南{}",
            batch.display(),
            if why.is_empty() {
                String::new()
            } else {
                format!("（{why}）")
            }
        )));
    }
    let roster = crate::roster::find_roster(batch, roster).map_err(BatchError::Input)?;
    let mut projects = inputs::load_projects(batch);
    // A file init wrote is written again, from what the roster says now.
    for p in &mut projects {
        if p.has_toml && generated(&batch.join("projects").join(&p.id).join("project.toml")) {
            p.has_toml = false;
            p.config = Err(NO_TOML.into());
        }
    }
    let mut report = InitReport::default();
    let mut in_roster: BTreeSet<String> = BTreeSet::new();
    if let Some(r) = &roster {
        let (rr, _) = assign::assign_rows(r, &mut projects, &specs);
        in_roster = rr.matched.iter().map(|m| m.folder.clone()).collect();
        report.roster = Some(rr.file);
        report.unmatched_folders = rr.unmatched_folders;
        report.missing_rows = rr.missing_rows;
        report.warnings = rr.warnings;
    }
    // Folders still without an item: what their documents call themselves.
    let dir = batch.join("projects");
    let inferred: Vec<(usize, Result<ProjectConfig, String>)> = projects
        .par_iter()
        .enumerate()
        .filter(|(_, p)| !p.has_toml && matches!(&p.config, Err(e) if e == NO_TOML))
        .map(|(i, p)| {
            let root = dir.join(&p.id);
            let texts =
                assign::document_titles(p.files.iter().filter(|(f, _)| f.refused.is_none()).map(
                    |(f, _)| {
                        let title = crate::facts::analyse_path(&f.path).title;
                        (rel(&root, &f.path), title)
                    },
                ));
            (i, assign::config_inferred(&p.id, &texts, &specs))
        })
        .collect();
    for (i, c) in inferred {
        if c.is_ok() {
            projects[i].source = ItemSource::Inferred;
        }
        projects[i].config = c;
    }
    for p in &projects {
        let path = dir.join(&p.id).join("project.toml");
        if p.has_toml {
            report.kept.push(p.id.clone());
            continue;
        }
        let cfg = match &p.config {
            Ok(c) => c,
            Err(e) => {
                report.failed.push(UnmatchedFolder {
                    folder: p.id.clone(),
                    reason: e.clone(),
                });
                continue;
            }
        };
        let basis = match (&report.roster, in_roster.contains(&p.id)) {
            (Some(f), true) if cfg.item_inferred.is_none() => format!("依据立项名单 {f}"),
            (Some(f), true) => format!("依据立项名单 {f}，指南条目由项目名称推断"),
            _ => "指南条目由提交文件的标题推断".to_string(),
        };
        let mut text = format!(
            "{GENERATED_MARK}（{basis}）。\n# 人工修改前请删去第一行：第一行是上面这句的文件，再次运行 yanshou init 时会被重写；否则永不改动。\n"
        );
        if let Some(score) = cfg.item_inferred {
            text.push_str(&format!(
                "# 指南条目为推断（相似度 {score:.2}）：确认无误后删去 item_inferred 一行；在此之前验收结论为“需人工复核”。\n"
            ));
        }
        let body = toml::to_string(&TomlOut {
            title: &cfg.title,
            org: &cfg.org,
            guideline: &cfg.guideline,
            item: &cfg.item,
            item_inferred: cfg.item_inferred,
            year: cfg.year,
            deadline: cfg.deadline.as_deref(),
        })
        .map_err(|e| BatchError::output(&path, e))?;
        text.push_str(&body);
        write_atomic(&path, text.as_bytes()).map_err(|e| BatchError::io(&path, e))?;
        report.written.push(Written {
            folder: p.id.clone(),
            source: p.source,
            guideline: cfg.guideline.clone(),
            item: cfg.item.clone(),
            score: cfg.item_inferred,
        });
    }
    Ok(report)
}
