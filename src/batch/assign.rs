//! Which item each project of a batch answers, when no `project.toml` says so: its row of
//! the 立项名单 (see `crate::roster`), else an inference from the titles of what it submitted.
//! Rows without a folder become `missing` projects; folders and rows that match nothing are
//! listed in the summary's `roster` section.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::cache::{FileRef, load_facts};
use super::inputs::{ItemSource, NO_TOML, ProjectConfig, ProjectInput};
use super::summary::{ErrorRow, ProjectRow};
use crate::check::Verdict;
use crate::check::checklist::Tracking;
use crate::dates::{days_between, parse_date};
use crate::guide::Spec;
use crate::roster::{self, Roster, RosterRow};

/// The summary's account of the roster: what matched what and what did not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterReport {
    /// The roster's file name.
    pub file: String,
    /// Projects the roster lists.
    pub rows: usize,
    pub matched: Vec<RosterMatch>,
    /// Folders of `projects/` that no row names (or several rows name equally).
    pub unmatched_folders: Vec<UnmatchedFolder>,
    /// Rows no folder was found for: the `missing` projects.
    pub missing_rows: Vec<MissingRow>,
    /// Rows that could not be read as projects.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterMatch {
    pub folder: String,
    /// The row number in the roster's sheet.
    pub line: usize,
    /// How the folder named the row: 项目编号, 项目名称, 承担单位 or 序号.
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnmatchedFolder {
    pub folder: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MissingRow {
    pub line: usize,
    pub id: String,
    pub title: String,
}

/// A project's configuration from its roster row; `Err` says why the row names no item.
pub fn config_of_row(
    row: &RosterRow,
    specs: &BTreeMap<String, Spec>,
) -> Result<ProjectConfig, String> {
    let a = roster::item_of_row(row, specs)
        .map_err(|e| format!("立项名单{}：{e}", roster::describe(row)))?;
    Ok(ProjectConfig {
        title: row.title.clone(),
        org: row.org.clone().unwrap_or_default(),
        guideline: a.guideline,
        item: a.item,
        year: row.year,
        deadline: row.deadline.clone(),
        files: BTreeMap::new(),
        item_inferred: a.inferred,
    })
}

/// The id of a project the roster lists and no folder holds.
fn missing_id(row: &RosterRow) -> String {
    row.number
        .clone()
        .unwrap_or_else(|| format!("名单第{}行", row.line))
}

/// Reads the batch's roster and gives each project without a `project.toml` its row's
/// configuration. Returns the roster's report and its rows without a folder.
pub(super) fn apply_roster(
    batch: &Path,
    projects: &mut [ProjectInput],
    specs: &BTreeMap<String, Spec>,
    errors: &mut Vec<ErrorRow>,
) -> (Option<RosterReport>, Vec<RosterRow>) {
    let roster = match roster::find_roster(batch, None) {
        Ok(Some(r)) => r,
        Ok(None) => return (None, Vec::new()),
        Err(error) => {
            errors.push(ErrorRow {
                path: "立项名单".into(),
                error,
            });
            return (None, Vec::new());
        }
    };
    let (report, missing) = assign_rows(&roster, projects, specs);
    (Some(report), missing)
}

/// Matches the roster's rows to the projects (see [`apply_roster`]).
pub(super) fn assign_rows(
    roster: &Roster,
    projects: &mut [ProjectInput],
    specs: &BTreeMap<String, Spec>,
) -> (RosterReport, Vec<RosterRow>) {
    let folders: Vec<String> = projects.iter().map(|p| p.id.clone()).collect();
    let m = roster::match_folders(&folders, &roster.rows);
    let mut matched = Vec::new();
    for &(fi, ri, how) in &m.matched {
        let p = &mut projects[fi];
        let row = &roster.rows[ri];
        matched.push(RosterMatch {
            folder: p.id.clone(),
            line: row.line,
            by: how.label_zh().into(),
        });
        if p.has_toml {
            continue;
        }
        p.config = config_of_row(row, specs);
        p.source = match &p.config {
            Ok(c) if c.item_inferred.is_some() => ItemSource::Inferred,
            _ => ItemSource::Roster,
        };
    }
    let missing: Vec<RosterRow> = m
        .missing_rows
        .iter()
        .map(|&ri| roster.rows[ri].clone())
        .collect();
    let report = RosterReport {
        file: roster.file.clone(),
        rows: roster.rows.len(),
        matched,
        unmatched_folders: m
            .unmatched_folders
            .iter()
            .map(|(fi, reason)| UnmatchedFolder {
                folder: folders[*fi].clone(),
                reason: if projects[*fi].has_toml {
                    format!("{reason}（按其 project.toml 验收）")
                } else {
                    reason.clone()
                },
            })
            .collect(),
        missing_rows: missing
            .iter()
            .map(|r| MissingRow {
                line: r.line,
                id: missing_id(r),
                title: r.title.clone(),
            })
            .collect(),
        warnings: roster.warnings.clone(),
    };
    (report, missing)
}

/// What a project's documents call themselves: their titles and their file names.
pub fn document_titles(files: impl IntoIterator<Item = (String, Option<String>)>) -> Vec<String> {
    let mut v = Vec::new();
    for (path, title) in files {
        let name = path.rsplit('/').next().unwrap_or(&path);
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        v.push(stem.to_string());
        v.extend(title);
    }
    v
}

/// Infers the item of each project that has neither a `project.toml` nor a roster row, from
/// the titles of its files (their facts are cached by now).
pub(super) fn infer_items(
    projects: &mut [ProjectInput],
    per_project: &[Vec<FileRef>],
    facts_dir: &Path,
    specs: &BTreeMap<String, Spec>,
) {
    for (p, files) in projects.iter_mut().zip(per_project) {
        if p.has_toml || !matches!(&p.config, Err(e) if e == NO_TOML) {
            continue;
        }
        let texts = document_titles(files.iter().map(|f| {
            let title = (!f.hash.is_empty())
                .then(|| load_facts(facts_dir, &f.hash))
                .flatten()
                .and_then(|x| x.title);
            (f.path.clone(), title)
        }));
        p.config = config_inferred(&p.id, &texts, specs);
        if p.config.is_ok() {
            p.source = ItemSource::Inferred;
        }
    }
}

/// The configuration of a project known only by its folder and its documents' titles.
pub fn config_inferred(
    id: &str,
    texts: &[String],
    specs: &BTreeMap<String, Spec>,
) -> Result<ProjectConfig, String> {
    let a = roster::infer_item(texts, specs).map_err(|e| format!("{NO_TOML}；{e}"))?;
    Ok(ProjectConfig {
        title: id.to_string(),
        org: String::new(),
        guideline: a.guideline,
        item: a.item,
        year: None,
        deadline: None,
        files: BTreeMap::new(),
        item_inferred: a.inferred,
    })
}

/// The summary row of a project the roster lists and nobody submitted.
pub(super) fn missing_row(
    row: &RosterRow,
    specs: &BTreeMap<String, Spec>,
    today: &str,
) -> ProjectRow {
    let found = roster::item_of_row(row, specs).ok();
    let item = found.as_ref().and_then(|a| {
        specs
            .get(&a.guideline)?
            .items
            .iter()
            .find(|i| i.id == a.item)
    });
    let deadline = row
        .deadline
        .clone()
        .or_else(|| item.and_then(|i| i.deadline.clone()));
    let days_overdue = match (deadline.as_deref().and_then(parse_date), parse_date(today)) {
        (Some(d), Some(t)) if t > d => days_between(d, t),
        _ => 0,
    };
    ProjectRow {
        id: missing_id(row),
        title: row.title.clone(),
        org: row.org.clone().unwrap_or_default(),
        guideline: found
            .as_ref()
            .map(|a| a.guideline.clone())
            .unwrap_or_default(),
        item: item.map(|i| i.id.clone()).unwrap_or_default(),
        item_title: item.map(|i| i.title.clone()).unwrap_or_default(),
        verdict: Verdict::Missing,
        reason: format!(
            "立项名单{}有此项目，projects/ 下没有对应的文件夹：未提交任何材料",
            roster::describe(row)
        ),
        requirements: Vec::new(),
        overlaps: Vec::new(),
        tracking: Tracking {
            deadline,
            days_overdue,
            as_of: (days_overdue > 0).then(|| today.to_string()),
            outstanding: vec!["全部材料".into()],
        },
        files: 0,
        main_report_words: None,
        verdict_since: None,
        item_source: Some(ItemSource::Roster),
        item_score: None,
        guideline_title: found
            .as_ref()
            .and_then(|a| specs.get(&a.guideline))
            .map(|s| s.title.clone())
            .unwrap_or_default(),
        main_report_required_words: item.and_then(super::summary::required_words),
        main_report_words_note: Some("未提交".into()),
        main_report_words_source: None,
    }
}

/// Files put straight into `projects/` (a project's zip, a stray document): each is an
/// error row, since a project is a folder.
pub(super) fn stray_files(batch: &Path) -> Vec<ErrorRow> {
    let Ok(rd) = std::fs::read_dir(batch.join("projects")) else {
        return Vec::new();
    };
    let mut v: Vec<ErrorRow> = rd
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            if name.starts_with('.') {
                return None;
            }
            let lower = name.to_lowercase();
            let error = if [".zip", ".rar", ".7z"].iter().any(|x| lower.ends_with(x)) {
                let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
                format!("项目的压缩包未被读取：每个项目须是 projects/ 下的文件夹，请解压到 projects/{stem}/")
            } else {
                "不在任何项目文件夹中，未被读取：项目材料须放在 projects/<编号>/ 下".into()
            };
            Some(ErrorRow {
                path: format!("projects/{name}"),
                error,
            })
        })
        .collect();
    v.sort_by(|a, b| a.path.cmp(&b.path));
    v
}
