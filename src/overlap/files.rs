//! Comparing files given by path (`yanshou overlap`): every readable file against every
//! other, with its text at hand so passages get exact edges.

use std::path::PathBuf;

use rayon::prelude::*;

use super::report::{Input, OverlapReport, build};
use super::{Fingerprints, Text, call_hashes, exclude, fingerprint_document};
use crate::extract::ExtractError;
use crate::progress::Progress;

/// What [`compare_files`] found.
pub struct FilesOverlap {
    pub report: OverlapReport,
    /// The text of each document of the report, in its order (for the HTML report).
    pub texts: Vec<Option<String>>,
    /// Some files could not be read or had no text (`progress` heard which).
    pub failed: bool,
}

/// A readable document: its text, fingerprints and normalized form.
struct Loaded {
    text: String,
    fp: Fingerprints,
    norm: Text,
}

/// Compares `files` (shown by their path as given), reporting passages of at least
/// `min_chars`; the text of `calls` never counts as copied. A call that cannot be read stops
/// the comparison; a file that cannot be read is left out and `progress` hears why.
pub fn compare_files(
    files: &[PathBuf],
    calls: &[PathBuf],
    min_chars: u32,
    progress: &dyn Progress,
) -> Result<FilesOverlap, (PathBuf, ExtractError)> {
    compare_files_grouped(files, &vec![None; files.len()], calls, min_chars, progress)
}

/// As [`compare_files`]; files of one group (`groups[i]`, `None` for a group of its own) are
/// not compared with each other: a project's 专报 inside its own 研究报告 is not copying.
pub fn compare_files_grouped(
    files: &[PathBuf],
    groups: &[Option<String>],
    calls: &[PathBuf],
    min_chars: u32,
    progress: &dyn Progress,
) -> Result<FilesOverlap, (PathBuf, ExtractError)> {
    let (hashes, failed_calls) = call_hashes(calls);
    if let Some(first) = failed_calls.into_iter().next() {
        return Err(first);
    }
    let docs: Vec<(String, Option<Loaded>, Option<String>)> = files
        .par_iter()
        .zip(groups)
        .map(|(p, g)| {
            let shown = p.display().to_string();
            match crate::report::document_with_text(p, &shown, progress) {
                Some(d) => {
                    let mut fp = fingerprint_document(&d);
                    exclude(&mut fp, &hashes);
                    let norm = Text::new(&d.text);
                    let text = d.text;
                    (shown, Some(Loaded { text, fp, norm }), g.clone())
                }
                None => (shown, None, None),
            }
        })
        .collect();
    let ok: Vec<(&String, &Loaded, &Option<String>)> = docs
        .iter()
        .filter_map(|(p, d, g)| d.as_ref().map(|d| (p, d, g)))
        .collect();
    let inputs: Vec<Input> = ok
        .iter()
        .map(|(p, d, g)| Input {
            path: (*p).clone(),
            project: (*g).clone(),
            fp: &d.fp,
            text: Some(&d.norm),
        })
        .collect();
    let (report, _) = build(&inputs, min_chars, false);
    Ok(FilesOverlap {
        report,
        texts: ok.iter().map(|(_, d, _)| Some(d.text.clone())).collect(),
        failed: ok.len() != docs.len(),
    })
}
