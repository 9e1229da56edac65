//! What a batch reads: its settings (`yanshou.toml`), its calls (`guidelines/`), and its
//! projects (`projects/<id>/project.toml` and the files beside it).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::check::CheckSettings;
use crate::check::checklist::ProjectInfo;
use crate::check::copying::OverlapSettings;
use crate::error::Error as BatchError;
use crate::fsutil::{Found, rel, walk};
use crate::guide::Spec;

/// Stops a run whose folder is not a batch.
/// The output folder must not be inside what the batch reads (its own output would be read
/// back as submissions on the next run) and must be a folder.
pub(super) fn check_out(batch: &Path, out: &Path) -> Result<(), BatchError> {
    if out.exists() && !out.is_dir() {
        return Err(BatchError::Usage(format!(
            "{}：输出目录已存在且不是文件夹，请换一个 --out",
            out.display()
        )));
    }
    check_out_inside(batch, out)?;
    // Can anything be written there? Asked before any work: a read-only or unwritable --out
    // is bad usage (exit 2, nothing written), not a run that failed half-way.
    let unwritable = |e: std::io::Error| {
        BatchError::Usage(format!(
            "{}：输出目录无法写入：{}，请换一个 --out 或检查权限",
            out.display(),
            crate::error::io_reason(&e)
        ))
    };
    std::fs::create_dir_all(out).map_err(unwritable)?;
    let probe = out.join(format!(".yanshou-probe-{}", std::process::id()));
    std::fs::write(&probe, b"probe").map_err(unwritable)?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// Refuses an `--out` inside `projects/`, `archive/` or `guidelines/`, which the next run
/// would read back as submitted material.
fn check_out_inside(batch: &Path, out: &Path) -> Result<(), BatchError> {
    // `out` may not exist yet: judge by its nearest existing ancestor.
    let real = |p: &Path| -> std::path::PathBuf {
        let mut p = p.to_path_buf();
        let mut tail = Vec::new();
        while !p.exists() {
            match (p.file_name().map(|n| n.to_os_string()), p.parent()) {
                (Some(n), Some(parent)) => {
                    tail.push(n);
                    p = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut r = std::fs::canonicalize(&p).unwrap_or(p);
        r.extend(tail.into_iter().rev());
        r
    };
    let o = real(
        if out.is_absolute() {
            out.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(out)
        }
        .as_path(),
    );
    for part in ["projects", "archive", "guidelines"] {
        let inside = real(&batch.join(part));
        if o.starts_with(&inside) {
            return Err(BatchError::Usage(format!(
                "输出目录 {} 在批次的 {part}/ 之内：下次运行会把输出当作提交材料读入，请放到 {part}/ 之外",
                out.display()
            )));
        }
    }
    Ok(())
}

pub(super) fn check_layout(batch: &Path) -> Result<(), BatchError> {
    if !batch.is_dir() {
        return Err(BatchError::Usage(format!(
            "批次目录不存在：{}",
            batch.display()
        )));
    }
    if !batch.join("projects").is_dir() {
        return Err(BatchError::Usage(format!(
            "{} 下没有 projects/ 目录（批次结构：guidelines/、projects/<编号>/project.toml）",
            batch.display()
        )));
    }
    Ok(())
}

/// `yanshou.toml`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub check: CheckSettings,
    pub overlap: OverlapSettings,
    pub ocr: OcrSettings,
}

/// `[ocr]`: where Tesseract is, when not on `PATH` (`YANSHOU_TESSERACT` overrides it).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OcrSettings {
    pub tesseract: Option<PathBuf>,
}

/// `projects/<id>/project.toml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectConfig {
    pub title: String,
    #[serde(default)]
    pub org: String,
    pub guideline: String,
    pub item: String,
    #[serde(default)]
    pub year: Option<i64>,
    /// Completion deadline, overriding the call's ("2022-12-31").
    #[serde(default)]
    pub deadline: Option<String>,
    /// "file name" = "label" overrides.
    #[serde(default)]
    pub files: BTreeMap<String, String>,
    /// Set when the item was inferred from titles, not named by a person or the roster
    /// (`yanshou init` writes it with the score): the project stays `review` until a person
    /// confirms the item by deleting this line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_inferred: Option<f64>,
}

/// Where a project's item came from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemSource {
    /// Its `project.toml`.
    Toml,
    /// Its row of the 立项名单.
    Roster,
    /// Inferred from titles (the roster row's or the submitted documents'): to be confirmed.
    Inferred,
}

/// Files submitted in a project folder, sorted; project.toml is not a deliverable.
pub(super) fn project_files(dir: &Path) -> Vec<Found> {
    walk(dir, |p| p.file_name().is_none_or(|n| n != "project.toml"))
}

pub(super) fn load_settings(batch: &Path) -> Result<Settings, BatchError> {
    let p = batch.join("yanshou.toml");
    if !p.exists() {
        return Ok(Settings::default());
    }
    let s = std::fs::read_to_string(&p).map_err(|e| {
        BatchError::Usage(format!(
            "{}：无法读取设置：{}",
            p.display(),
            crate::error::io_reason(&e)
        ))
    })?;
    let settings: Settings =
        toml::from_str(&s).map_err(|e| BatchError::Usage(format!("yanshou.toml 有误：{e}")))?;
    let t = settings.check.approx_tolerance;
    if !(0.0..1.0).contains(&t) {
        return Err(BatchError::Usage(format!(
            "yanshou.toml 有误：approx_tolerance 应在 0 与 1 之间（如 0.2 表示 ±20%），现为 {t}"
        )));
    }
    let m = settings.check.ocr_margin;
    if !(0.0..1.0).contains(&m) {
        return Err(BatchError::Usage(format!(
            "yanshou.toml 有误：ocr_margin 应在 0 与 1 之间（如 0.1 表示 10%），现为 {m}"
        )));
    }
    if let Some(t) = &settings.ocr.tesseract {
        crate::extract::ocr::configure(crate::extract::ocr::resolve_beside(&p, t.clone()));
    }
    Ok(settings)
}

/// Why a project has no configuration yet, when it has no `project.toml`.
pub(super) const NO_TOML: &str =
    "缺少 project.toml（需写明 title、guideline、item），立项名单中也没有对应的项目";

/// One project, read from its folder.
pub(super) struct ProjectInput {
    pub id: String,
    pub config: Result<ProjectConfig, String>,
    /// Where `config` came from (a missing toml is `Toml` until the roster or inference
    /// supplies one).
    pub source: ItemSource,
    /// Whether the folder has a `project.toml` (which overrides the roster).
    pub has_toml: bool,
    /// The file on disk and its path relative to the project.
    pub files: Vec<(Found, String)>,
}

pub(super) fn load_projects(batch: &Path) -> Vec<ProjectInput> {
    let dir = batch.join("projects");
    let Ok(rd) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = rd
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    dirs.sort();
    dirs.into_par_iter()
        .map(|d| {
            let id = d.file_name().unwrap().to_string_lossy().to_string();
            let toml_path = d.join("project.toml");
            let text = std::fs::read_to_string(&toml_path);
            let has_toml = text.is_ok();
            let config = match text {
                Err(_) => Err(NO_TOML.to_string()),
                Ok(s) => toml::from_str::<ProjectConfig>(&s)
                    .map_err(|e| format!("project.toml 有误：{e}")),
            };
            let source = match &config {
                Ok(c) if c.item_inferred.is_some() => ItemSource::Inferred,
                _ => ItemSource::Toml,
            };
            let files = project_files(&d)
                .into_iter()
                .map(|f| {
                    let r = rel(&d, &f.path);
                    (f, r)
                })
                .collect();
            ProjectInput {
                id,
                config,
                source,
                has_toml,
                files,
            }
        })
        .collect()
}

impl ProjectConfig {
    /// The call and the item of it this project answers.
    pub fn resolve<'s>(
        &self,
        specs: &'s BTreeMap<String, Spec>,
    ) -> Result<(&'s Spec, &'s crate::guide::Item), String> {
        let spec = specs.get(&self.guideline).ok_or_else(|| {
            format!(
                "指定的指南“{}”不在 guidelines/ 中（现有：{}）",
                self.guideline,
                specs.keys().cloned().collect::<Vec<_>>().join("、")
            )
        })?;
        let item = spec.find_item(&self.item).map_err(|e| e.to_string())?;
        Ok((spec, item))
    }

    /// The head of the project's checklist.
    pub fn info(&self, id: &str, spec: &Spec, item: &crate::guide::Item) -> ProjectInfo {
        ProjectInfo {
            id: id.into(),
            title: self.title.clone(),
            org: self.org.clone(),
            guideline: self.guideline.clone(),
            guideline_title: spec.title.clone(),
            item: item.id.clone(),
            item_title: item.title.clone(),
            year: self.year,
        }
    }

    /// The completion deadline that applies: the project's, else the call's.
    pub fn deadline(&self, item: &crate::guide::Item) -> Option<String> {
        self.deadline.clone().or_else(|| item.deadline.clone())
    }
}
