//! The cache of a batch (`OUT_DIR/cache/`): each file's facts, overlap fingerprints and
//! extracted document by content hash (`facts/`, `fp/`, `text/`: see `texts.rs`), the size and
//! time last seen of each path (`stat.json`), and the parsed calls (`specs/`). A file is read again only when its size or time changed
//! and then its content hash did too.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::inputs::{ProjectInput, project_files};
use super::summary::{ErrorRow, RunStats};
use crate::doc::FileStatus;
use crate::error::Error as BatchError;
use crate::facts::{FACTS_VERSION, FileFacts};
use crate::fsutil::{Found, rel, write_atomic, write_durable};
use crate::progress::Progress;

/// Stat cache (`OUT_DIR/cache/stat.json`): path → size, mtime, content hash.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct StatCache {
    files: HashMap<String, StatEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct StatEntry {
    size: u64,
    mtime_ns: u128,
    hash: String,
    /// The file's extraction error, if any (so an unchanged bad file is still reported
    /// without reading its facts).
    #[serde(default)]
    error: Option<String>,
}

/// What phase 1 of a run knows about one file.
struct Seen {
    /// Content hash; empty when the file could not be read at all.
    hash: String,
    size: u64,
    mtime_ns: u128,
    error: Option<String>,
    extracted: bool,
}

fn facts_path(cache_dir: &Path, hash: &str) -> PathBuf {
    cache_dir.join(format!("{hash}.json"))
}

/// Overlap fingerprints live beside the facts: `cache/fp/<hash>.fp`.
pub(super) fn fp_path(facts_dir: &Path, hash: &str) -> PathBuf {
    facts_dir
        .parent()
        .unwrap_or(facts_dir)
        .join("fp")
        .join(format!("{hash}.fp"))
}

/// Facts of a file whose scanned pages went unread for want of an OCR engine are kept apart
/// (`<hash>.noocr.json`) and count as cached only while there is still no engine: once
/// Tesseract is installed, the next run reads those files again.
fn noocr_path(cache_dir: &Path, hash: &str) -> PathBuf {
    cache_dir.join(format!("{hash}.noocr.json"))
}

pub(super) fn ocr_absent() -> bool {
    crate::extract::ocr::engine().is_err()
}

pub(super) fn load_facts(cache_dir: &Path, hash: &str) -> Option<FileFacts> {
    let s = std::fs::read(facts_path(cache_dir, hash))
        .ok()
        .or_else(|| {
            ocr_absent()
                .then(|| std::fs::read(noocr_path(cache_dir, hash)).ok())
                .flatten()
        })?;
    let f: FileFacts = serde_json::from_slice(&s).ok()?;
    (f.version == FACTS_VERSION).then_some(f)
}

/// Makes sure the facts of a file are in the cache, reading the file only when its size or
/// modification time changed (then its content hash decides) or its facts are missing.
fn ensure_facts(
    found: &Found,
    key: &str,
    stat: &StatCache,
    cache_dir: &Path,
    text_dir: &Path,
    cached: &HashSet<String>,
) -> Seen {
    let (path, size, mtime_ns) = (found.path.as_path(), found.size, found.mtime_ns);
    if let Some(why) = &found.refused {
        return Seen {
            hash: String::new(),
            size,
            mtime_ns,
            error: Some(why.clone()),
            extracted: false,
        };
    }
    if let Some(e) = stat.files.get(key)
        && e.size == size
        && e.mtime_ns == mtime_ns
        && cached.contains(&e.hash)
    {
        return Seen {
            hash: e.hash.clone(),
            size,
            mtime_ns,
            error: e.error.clone(),
            extracted: false,
        };
    }
    let bytes = match crate::extract::read_file(path) {
        Ok(b) => b,
        Err(e) => {
            return Seen {
                hash: String::new(),
                size,
                mtime_ns,
                error: Some(e.to_string()),
                extracted: false,
            };
        }
    };
    let hash = blake3::hash(&bytes).to_hex().to_string();
    if let Some(f) = load_facts(cache_dir, &hash) {
        return Seen {
            hash,
            size,
            mtime_ns,
            error: f.error.filter(|_| f.status == FileStatus::Error),
            extracted: false,
        };
    }
    let ext = crate::extract::extension(path);
    let (facts, fp, doc) = crate::facts::analyse_bytes_doc(bytes, &ext);
    if let Some(doc) = doc {
        // The document for the stages after this one (index, overlap, site), so that they do
        // not extract the file again.
        super::texts::store(text_dir, &hash, &ext, &doc);
    }
    if let Some(fp) = fp {
        // Fingerprints first: facts on disk mean both are there.
        let _ = write_atomic(&fp_path(cache_dir, &hash), &fp.to_bytes());
    }
    if let Ok(json) = serde_json::to_vec(&facts) {
        // Cached at once, so an interrupted run keeps what it has done.
        let path = if facts.ocr_missing {
            noocr_path(cache_dir, &hash)
        } else {
            facts_path(cache_dir, &hash)
        };
        let _ = write_atomic(&path, &json);
    }
    Seen {
        hash,
        size,
        mtime_ns,
        error: facts.error.filter(|_| facts.status == FileStatus::Error),
        extracted: true,
    }
}

/// A file of a run once the cache knows it: its path (relative to its project, or
/// `archive/…`), its content hash (empty when it could not be read) and its error.
#[derive(Debug, Clone)]
pub(super) struct FileRef {
    pub path: String,
    pub hash: String,
    pub error: Option<String>,
}

/// The files of a run, after the cache has been brought up to date.
pub(super) struct Analysed {
    /// Per project, in the order of the projects: path relative to the project.
    pub per_project: Vec<Vec<FileRef>>,
    /// The archive's files: path `archive/…`.
    pub archive: Vec<FileRef>,
    pub stats: RunStats,
    /// The extracted documents of these files, from the cache (else extracted again); shared
    /// with the index, which runs beside the stages that take this struct.
    pub texts: std::sync::Arc<super::texts::DocSource>,
}

/// Makes sure the facts of every file of every project and of the archive are cached,
/// reading in parallel only what is new or changed; records each file's error in `errors`.
pub(super) fn analyse_all(
    batch: &Path,
    out: &Path,
    projects: &[ProjectInput],
    errors: &mut Vec<ErrorRow>,
    progress: &dyn Progress,
) -> Result<Analysed, BatchError> {
    let cache_dir = facts_dir(out);
    std::fs::create_dir_all(&cache_dir).map_err(|e| BatchError::io(&cache_dir, e))?;
    let text_dir = super::texts::text_dir(out);
    std::fs::create_dir_all(&text_dir).map_err(|e| BatchError::io(&text_dir, e))?;
    let stat_path = out.join("cache").join("stat.json");
    // The hashes whose facts are cached, from one directory listing instead of a stat each.
    let mut no_ocr: Option<bool> = None;
    let cached: HashSet<String> = std::fs::read_dir(&cache_dir)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| {
                    let name = e.file_name().to_str()?.strip_suffix(".json")?.to_string();
                    match name.strip_suffix(".noocr") {
                        Some(h) => (*no_ocr.get_or_insert_with(ocr_absent)).then(|| h.to_string()),
                        None => Some(name),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let stat: StatCache = std::fs::read(&stat_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    progress.phase("读取缓存索引");

    // Project files are keyed "<id>/<path>", archive files "archive/<path>" (index usize::MAX).
    let archive_dir = batch.join("archive");
    let mut jobs: Vec<(usize, Found, String)> = projects
        .iter()
        .enumerate()
        .flat_map(|(i, p)| {
            p.files
                .iter()
                .map(move |(abs, r)| (i, abs.clone(), format!("{}/{}", p.id, r)))
        })
        .collect();
    if archive_dir.is_dir() {
        for f in project_files(&archive_dir) {
            let key = format!("archive/{}", rel(&archive_dir, &f.path));
            jobs.push((usize::MAX, f, key));
        }
    }
    progress.start("读取文件", jobs.len() as u64);
    let seen: Vec<Seen> = jobs
        .par_iter()
        .map(|(_, found, key)| {
            let r = ensure_facts(found, key, &stat, &cache_dir, &text_dir, &cached);
            progress.step(r.extracted.then_some(key.as_str()));
            r
        })
        .collect();
    progress.finish();
    progress.phase("读取文件");

    let mut stats = RunStats {
        files: seen.len() as u64,
        ..Default::default()
    };
    let mut new_stat = StatCache::default();
    let mut per_project: Vec<Vec<FileRef>> = vec![Vec::new(); projects.len()];
    let mut archive: Vec<FileRef> = Vec::new();
    let mut hashes: HashMap<String, String> = HashMap::new();
    for ((i, _, key), r) in jobs.iter().zip(seen) {
        if r.extracted {
            stats.extracted += 1;
        } else {
            stats.cached += 1;
        }
        if !r.hash.is_empty() {
            new_stat.files.insert(
                key.clone(),
                StatEntry {
                    size: r.size,
                    mtime_ns: r.mtime_ns,
                    hash: r.hash.clone(),
                    error: r.error.clone(),
                },
            );
        }
        let (path, shown) = if *i == usize::MAX {
            (key.clone(), key.clone())
        } else {
            let relp = key[projects[*i].id.len() + 1..].to_string();
            (relp, format!("projects/{key}"))
        };
        if !r.hash.is_empty() {
            hashes.insert(shown.clone(), r.hash.clone());
        }
        if let Some(e) = &r.error {
            errors.push(ErrorRow {
                path: shown,
                error: e.clone(),
            });
        }
        let f = FileRef {
            path,
            hash: r.hash,
            error: r.error,
        };
        if *i == usize::MAX {
            archive.push(f);
        } else {
            per_project[*i].push(f);
        }
    }
    // Stat cache first: a crash after this point still finds every extraction.
    if new_stat != stat {
        write_durable(
            &stat_path,
            &serde_json::to_vec(&new_stat).unwrap_or_default(),
        )
        .map_err(|e| BatchError::io(&stat_path, e))?;
    }
    progress.phase("写缓存索引");
    Ok(Analysed {
        per_project,
        archive,
        stats,
        texts: std::sync::Arc::new(super::texts::DocSource::new(batch, out, hashes)),
    })
}

/// `OUT_DIR/cache/facts`.
pub(super) fn facts_dir(out: &Path) -> PathBuf {
    out.join("cache").join("facts")
}

/// Temporary files of a run that was killed or ran out of disk: ours to clear now (the run
/// holds the lock).
pub(super) fn clear_stale_temps(out: &Path) {
    for d in [
        "",
        "checklists",
        "cache",
        "cache/fp",
        "cache/text",
        "cache/specs",
    ] {
        crate::fsutil::remove_stale_temps(&out.join(d));
    }
}
