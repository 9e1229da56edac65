//! The full-text index of a batch (`OUT_DIR/index/`): projects and archive, kept up to date
//! with only new or changed files read.

use std::path::Path;

use super::cache::FileRef;
use super::inputs::ProjectInput;
use super::texts::TextSource;
use crate::progress::Progress;
use crate::search::{DocMeta, ToIndex, label_of_name, update_with};

/// Brings the index up to date. A failure here is told to `progress` and does not stop the
/// run (files that cannot be read are already among the run's errors).
pub(super) fn index_stage(
    out: &Path,
    projects: &[ProjectInput],
    per_project: &[Vec<FileRef>],
    archive: &[FileRef],
    texts: &TextSource,
    progress: &dyn Progress,
) {
    // The text of a new or changed file comes from the reading stage's cache; a file without
    // text is not indexed (the checks report it).
    let text_of = |shown: String| {
        move || {
            texts
                .text(&shown)
                .ok()
                .filter(|t| t.chars().any(|c| !c.is_whitespace()))
        }
    };
    let usable = |f: &&FileRef| f.error.is_none() && !f.hash.is_empty();
    let mut docs: Vec<ToIndex> = Vec::new();
    for (p, files) in projects.iter().zip(per_project) {
        let cfg = p.config.as_ref().ok();
        for f in files.iter().filter(usable) {
            let meta = DocMeta {
                project: Some(p.id.clone()),
                org: cfg.map(|c| c.org.clone()).filter(|o| !o.is_empty()),
                item: cfg.map(|c| c.item.clone()),
                label: label_of_name(&f.path),
                year: cfg.and_then(|c| c.year).and_then(|y| u64::try_from(y).ok()),
                title: None,
            };
            let shown = format!("projects/{}/{}", p.id, f.path);
            docs.push(ToIndex {
                path: shown.clone(),
                hash: f.hash.clone(),
                meta,
                text: Box::new(text_of(shown)),
            });
        }
    }
    for f in archive.iter().filter(usable) {
        docs.push(ToIndex {
            path: f.path.clone(),
            hash: f.hash.clone(),
            meta: DocMeta::default(),
            text: Box::new(text_of(f.path.clone())),
        });
    }
    if let Err(e) = update_with(&out.join("index"), &docs, progress) {
        progress.note(&format!("全文索引未能更新（验收结果不受影响）：{e}"));
    }
}
