//! The full-text index of a batch (`OUT_DIR/index/`): projects and archive, kept up to date
//! with only new or changed files read.

use std::path::Path;
use std::sync::Arc;

use super::cache::FileRef;
use super::inputs::ProjectInput;
use super::texts::DocSource;
use crate::progress::Progress;
use crate::search::{DocMeta, ToIndex, label_of_name, update};

/// The documents of a run for the index (path as shown, content hash, metadata): every
/// readable file of every project and of the archive.
fn entries(
    projects: &[ProjectInput],
    per_project: &[Vec<FileRef>],
    archive: &[FileRef],
) -> Vec<(String, String, DocMeta)> {
    let usable = |f: &&FileRef| f.error.is_none() && !f.hash.is_empty();
    let mut docs = Vec::new();
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
            docs.push((shown, f.hash.clone(), meta));
        }
    }
    for f in archive.iter().filter(usable) {
        docs.push((f.path.clone(), f.hash.clone(), DocMeta::default()));
    }
    docs
}

/// The index being brought up to date by a thread of its own (or why there is none); `None`
/// once waited for.
pub(super) struct Indexing(Option<Result<std::thread::JoinHandle<Result<(), String>>, String>>);

/// Starts bringing the index up to date beside the stages that follow. The text of a new or
/// changed file comes from the reading stage's cache; a file without text is not indexed (the
/// checks report it, as they do files that cannot be read).
pub(super) fn start(
    out: &Path,
    projects: &[ProjectInput],
    per_project: &[Vec<FileRef>],
    archive: &[FileRef],
    texts: &Arc<DocSource>,
) -> Indexing {
    let entries = entries(projects, per_project, archive);
    let dir = out.join("index");
    let texts = texts.clone();
    let job = move || {
        let docs: Vec<ToIndex> = entries
            .into_iter()
            .map(|(path, hash, meta)| {
                let (texts, shown) = (&texts, path.clone());
                ToIndex {
                    path,
                    hash,
                    meta,
                    text: Box::new(move || {
                        texts
                            .text(&shown)
                            .ok()
                            .filter(|t| t.chars().any(|c| !c.is_whitespace()))
                    }),
                }
            })
            .collect();
        update(&dir, &docs).map(|_| ()).map_err(|e| e.to_string())
    };
    let handle = std::thread::Builder::new()
        .name("yanshou-index".into())
        .spawn(job);
    Indexing(Some(handle.map_err(|e| e.to_string())))
}

impl Indexing {
    /// Waits for the index; a failure is told to `progress` and does not stop the run.
    pub(super) fn wait(mut self, progress: &dyn Progress) {
        // The index tells no steps from its thread (the bar is the other stages'); while the
        // run waits for it, a spinner with the time.
        progress.start("全文索引", 0);
        let failed = match self.0.take() {
            Some(Ok(h)) => match h.join() {
                Ok(Ok(())) => None,
                Ok(Err(e)) => Some(e),
                Err(_) => Some("内部错误".to_string()),
            },
            Some(Err(e)) => Some(format!("无法启动索引线程：{e}")),
            None => None,
        };
        progress.finish();
        if let Some(e) = failed {
            progress.note(&format!("全文索引未能更新（验收结果不受影响）：{e}"));
        }
    }
}

impl Drop for Indexing {
    /// A run that stops early still waits for its index: the lock on `OUT_DIR` is its.
    fn drop(&mut self) {
        if let Some(Ok(h)) = self.0.take() {
            let _ = h.join();
        }
    }
}
