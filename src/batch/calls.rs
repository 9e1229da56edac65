//! The calls of a batch (`guidelines/`): each parsed into a spec once and cached by content;
//! a `NAME.spec.json` beside `NAME` replaces the parsed spec.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::summary::ErrorRow;
use crate::fsutil::{rel, write_atomic};
use crate::guide::Spec;

/// The guideline files of a batch: stem → spec (a NAME.spec.json beside NAME overrides),
/// parsed without a cache.
pub fn load_guidelines(batch: &Path) -> (BTreeMap<String, Spec>, Vec<ErrorRow>) {
    load_guidelines_cached(batch, None)
}

pub(super) fn load_guidelines_cached(
    batch: &Path,
    cache: Option<&Path>,
) -> (BTreeMap<String, Spec>, Vec<ErrorRow>) {
    let dir = batch.join("guidelines");
    let mut specs = BTreeMap::new();
    let mut errors = Vec::new();
    let Ok(rd) = std::fs::read_dir(&dir) else {
        return (specs, errors);
    };
    let mut paths: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in &paths {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if let Some(stem) = name.strip_suffix(".spec.json") {
            match std::fs::read_to_string(p)
                .map_err(|e| e.to_string())
                .and_then(|s| serde_json::from_str::<Spec>(&s).map_err(|e| e.to_string()))
            {
                Ok(s) => {
                    specs.insert(stem.to_string(), s);
                }
                Err(e) => errors.push(ErrorRow {
                    path: rel(batch, p),
                    error: format!("手工要求文件无法读取：{e}"),
                }),
            }
        }
    }
    for p in &paths {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.ends_with(".spec.json") || !crate::extract::is_candidate(p) {
            continue;
        }
        let stem = p
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        if specs.contains_key(&stem) {
            continue;
        }
        match parse_guideline(p, &p.display().to_string(), cache) {
            Ok(s) => {
                specs.insert(stem, s);
            }
            Err(e) => errors.push(ErrorRow {
                path: rel(batch, p),
                error: e,
            }),
        }
    }
    (specs, errors)
}

/// Parses a call, reusing `cache/specs/<key>.json` when the file, its path and the program
/// are unchanged.
pub(super) fn parse_guideline(
    p: &Path,
    source: &str,
    cache: Option<&Path>,
) -> Result<Spec, String> {
    let bytes = crate::extract::read_file(p).map_err(|e| e.to_string())?;
    let key = {
        let mut h = blake3::Hasher::new();
        h.update(&bytes);
        h.update(source.as_bytes());
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.finalize().to_hex().to_string()
    };
    let cached = cache.map(|d| d.join(format!("{key}.json")));
    if let Some(c) = &cached
        && let Ok(b) = std::fs::read(c)
        && let Ok(spec) = serde_json::from_slice::<Spec>(&b)
    {
        return Ok(spec);
    }
    let doc = crate::extract::extract_bytes(bytes, &crate::extract::extension(p))
        .map_err(|e| e.to_string())?;
    let spec = crate::guide::parse_document(source, &doc);
    if let Some(c) = &cached
        && let Ok(json) = serde_json::to_vec(&spec)
    {
        let _ = write_atomic(c, &json);
    }
    Ok(spec)
}

/// The calls of a batch, sorted: their text never counts as copied.
pub(super) fn call_files(batch: &Path) -> Vec<PathBuf> {
    let mut call_files: Vec<PathBuf> = std::fs::read_dir(batch.join("guidelines"))
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| crate::extract::is_candidate(p))
                .collect()
        })
        .unwrap_or_default();
    call_files.sort();
    call_files
}
