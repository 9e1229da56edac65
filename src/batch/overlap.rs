//! The overlap stage of a batch: every project file against the files of other projects and
//! the archive, from the fingerprints in the cache, the calls' own text excluded.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use super::cache::FileRef;
use super::cache::{facts_dir, fp_path};
use super::calls::call_files;
use super::history::State;
use super::inputs::ProjectInput;
use crate::check::checklist::OverlapRow;
use crate::check::copying::OverlapSettings;
use crate::error::Error as BatchError;
use crate::fsutil::write_atomic;
use crate::overlap::report::{Input, build_with, to_html};

/// The overlap stage of a run: every project file against the files of other projects and
/// the archive, the calls' own text excluded. Reused as is when none of its inputs changed.
/// Returns the key of its inputs and the rows per project.
pub(super) fn overlap_stage(
    batch: &Path,
    out: &Path,
    projects: &[ProjectInput],
    analysed: &super::cache::Analysed,
    settings: &OverlapSettings,
    prev: &State,
    progress: &dyn crate::progress::Progress,
) -> Result<(String, BTreeMap<String, Vec<OverlapRow>>), BatchError> {
    let facts_dir = facts_dir(out);
    let call_files = call_files(batch);
    // (display path, project, hash)
    let mut docs: Vec<(String, Option<String>, String)> = Vec::new();
    let usable = |f: &&FileRef| f.error.is_none() && !f.hash.is_empty();
    for (p, files) in projects.iter().zip(&analysed.per_project) {
        for f in files.iter().filter(usable) {
            let shown = format!("projects/{}/{}", p.id, f.path);
            docs.push((shown, Some(p.id.clone()), f.hash.clone()));
        }
    }
    for f in analysed.archive.iter().filter(usable) {
        docs.push((f.path.clone(), None, f.hash.clone()));
    }
    let key = {
        let mut h = blake3::Hasher::new();
        h.update(
            serde_json::to_string(settings)
                .unwrap_or_default()
                .as_bytes(),
        );
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        for c in &call_files {
            h.update(&crate::extract::read_file(c).unwrap_or_default());
        }
        for (p, _, hash) in &docs {
            h.update(p.as_bytes());
            h.update(hash.as_bytes());
        }
        h.finalize().to_hex().to_string()
    };
    if key == prev.overlap_key && out.join("overlap.json").exists() {
        return Ok((key, prev.overlaps.clone()));
    }
    // A call that cannot be read is among the run's errors already.
    let (call_hashes, _) = crate::overlap::call_hashes(&call_files);
    progress.start("重复检测：读取指纹", docs.len() as u64);
    let fps: Vec<Option<crate::overlap::Fingerprints>> = docs
        .par_iter()
        .map(|(_, _, hash)| {
            let f = (|| {
                let b = std::fs::read(fp_path(&facts_dir, hash)).ok()?;
                let mut f = crate::overlap::Fingerprints::from_bytes(&b)?;
                crate::overlap::exclude(&mut f, &call_hashes);
                Some(f)
            })();
            progress.step(None);
            f
        })
        .collect();
    progress.finish();
    let inputs: Vec<Input> = docs
        .iter()
        .zip(&fps)
        .filter_map(|((path, project, _), f)| {
            f.as_ref().map(|fp| Input {
                path: path.clone(),
                project: project.clone(),
                fp,
                text: None,
            })
        })
        .collect();
    // Texts are read back only for documents that share passages, to refine them.
    let load = |i: usize| {
        analysed
            .texts
            .text(&inputs[i].path)
            .ok()
            .map(|t| crate::overlap::Text::new(&t))
    };
    progress.start(&format!("重复检测：两两比对 {} 个文件", inputs.len()), 0);
    let (report, _) = build_with(&inputs, settings.min_chars, true, &load);
    progress.finish();
    // Rows per project file and other document.
    let mut rows: BTreeMap<String, Vec<OverlapRow>> = BTreeMap::new();
    let own = |path: &str| -> Option<(String, String)> {
        let rest = path.strip_prefix("projects/")?;
        let (id, file) = rest.split_once('/')?;
        Some((id.to_string(), file.to_string()))
    };
    let project_of = |path: &str| own(path).map(|x| x.0);
    for pr in &report.pairs {
        for (this, other, ratio, chars) in [
            (&pr.a, &pr.b, pr.a_ratio, pr.chars),
            (&pr.b, &pr.a, pr.b_ratio, {
                let n = report
                    .documents
                    .iter()
                    .find(|d| d.path == pr.b)
                    .map_or(0, |d| d.chars);
                (pr.b_ratio * n as f64).round() as u32
            }),
        ] {
            if let Some((id, file)) = own(this) {
                rows.entry(id).or_default().push(OverlapRow {
                    path: file,
                    other: other.clone(),
                    other_project: project_of(other),
                    chars: chars as u64,
                    ratio,
                });
            }
        }
    }
    for v in rows.values_mut() {
        v.sort_by(|a, b| b.ratio.total_cmp(&a.ratio));
    }
    let json_path = out.join("overlap.json");
    let json = serde_json::to_vec_pretty(&report).map_err(|e| BatchError::output(&json_path, e))?;
    write_atomic(&json_path, &json).map_err(|e| BatchError::io(&json_path, e))?;
    // The HTML shows every listed pair's passages with their text on both sides.
    let flagged: std::collections::HashSet<&str> = report
        .pairs
        .iter()
        .chain(&report.padding_pairs)
        .flat_map(|p| [p.a.as_str(), p.b.as_str()])
        .collect();
    progress.start("重复检测：写报告", report.documents.len() as u64);
    let texts: Vec<Option<String>> = report
        .documents
        .par_iter()
        .map(|d| {
            let text = flagged
                .contains(d.path.as_str())
                .then(|| analysed.texts.text(&d.path).ok());
            progress.step(None);
            text.flatten()
        })
        .collect();
    progress.finish();
    let html_path = out.join("overlap.html");
    write_atomic(&html_path, to_html(&report, &texts).as_bytes())
        .map_err(|e| BatchError::io(&html_path, e))?;
    Ok((key, rows))
}
