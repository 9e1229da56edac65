//! The overlap stage of a batch: every project file against the files of other projects and
//! the archive, from the fingerprints in the cache, the calls' own text excluded.

use std::collections::BTreeMap;
use std::path::Path;

use super::cache::FileRef;
use super::cache::{facts_dir, fp_path};
use super::calls::call_files;
use super::history::State;
use super::inputs::ProjectInput;
use crate::check::checklist::OverlapRow;
use crate::check::copying::OverlapSettings;
use crate::error::Error as BatchError;
use crate::fsutil::write_atomic;
use crate::overlap::incremental::{self, Doc, Sources};

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
    // What every pair depends on besides its two documents: settings, version, calls.
    let base_key = {
        let mut h = blake3::Hasher::new();
        h.update(
            serde_json::to_string(settings)
                .unwrap_or_default()
                .as_bytes(),
        );
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        for c in &call_files {
            h.update(c.to_string_lossy().as_bytes());
            h.update(b"\0");
            h.update(&crate::extract::read_file(c).unwrap_or_default());
        }
        h.finalize().to_hex().to_string()
    };
    // All the stage's inputs: the base and every document by path and content.
    let key = {
        let mut h = blake3::Hasher::new();
        h.update(base_key.as_bytes());
        for (p, _, hash) in &docs {
            h.update(p.as_bytes());
            h.update(hash.as_bytes());
        }
        h.finalize().to_hex().to_string()
    };
    // The key the outputs on disk were written for: a run stopped after writing them but
    // before `state.json` must not leave outputs of other inputs to be reused.
    let written = out.join("cache").join("overlap-outputs.key");
    if key == prev.overlap_key
        && std::fs::read(&written).is_ok_and(|k| k == key.as_bytes())
        && out.join("overlap.json").exists()
    {
        return Ok((key, prev.overlaps.clone()));
    }
    let _ = std::fs::remove_file(&written);
    let docs: Vec<Doc> = docs
        .into_iter()
        .map(|(path, project, content)| Doc {
            path,
            project,
            content,
        })
        .collect();
    let read_fp = |hash: &str| {
        let b = std::fs::read(fp_path(&facts_dir, hash)).ok()?;
        crate::overlap::Fingerprints::from_bytes(&b)
    };
    // Texts come from the run's document cache (extracted once, by the reading stage).
    let text = |d: &Doc| analysed.texts.text(&d.path).ok();
    // A call that cannot be read is among the run's errors already.
    let calls = || crate::overlap::call_hashes(&call_files).0;
    let sources = Sources {
        fingerprints: &read_fp,
        text: &text,
        call_hashes: &calls,
    };
    let outcome = incremental::run(
        &out.join("cache"),
        &base_key,
        &docs,
        settings.min_chars,
        &sources,
        progress,
    );
    // A phase of its own, so timings tell a full recomputation from an incremental one.
    let s = &outcome.stats;
    progress.phase(&format!(
        "重复检测·{}（{} 个文件，重新比对 {} 对，沿用 {} 对，读取文字 {} 个）",
        if s.full { "全部重算" } else { "增量" },
        s.documents,
        s.pairs_recomputed,
        s.pairs_kept,
        s.texts_read
    ));
    let report = outcome.report;
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
    let html_path = out.join("overlap.html");
    write_atomic(&html_path, outcome.html.as_bytes()).map_err(|e| BatchError::io(&html_path, e))?;
    write_atomic(&written, key.as_bytes()).map_err(|e| BatchError::io(&written, e))?;
    Ok((key, rows))
}
