//! Wire types: the JSON documents yanshou prints, one struct per schema in `schemas/`.
//!
//! Kept apart from the logic so that a change to a JSON field is a visible change here and in
//! the schema, never a side effect of refactoring a computation.

use std::path::Path;

use serde::Serialize;

use crate::count::Counts;
use crate::doc::Document;
use crate::extract::{ExtractError, extension, extract_bytes, is_text_extension, read_file};
use crate::sections::{SectionKind, split_counts};

/// `yanshou.count.v1`
#[derive(Debug, Serialize)]
pub struct CountReport {
    pub schema: &'static str,
    pub files: Vec<FileCount>,
}

pub use crate::doc::FileStatus;

#[derive(Debug, Default, Serialize)]
pub struct FileCount {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<&'static str>,
    pub status: FileStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counts: Option<Counts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_counts: Option<Counts>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub excluded: Vec<Excluded>,
    /// Pages that show something but have no text layer (scanned pages), for PDF.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub empty_pages: Vec<u32>,
    /// Where the text came from when not (only) from a text layer: `ocr` (a scanned file,
    /// every counted page read by OCR) or `mixed` (some pages OCR'd). Counts are then an
    /// estimate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<TextSource>,
    /// Pages read by OCR.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ocr_pages: Vec<u32>,
    /// 字数 of the paragraphs on OCR'd pages (part of `counts`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ocr_words: Option<u64>,
    /// Tesseract's mean word confidence on those pages, in percent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ocr_confidence: Option<u8>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Where a file's text came from, when OCR read some of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextSource {
    Ocr,
    Mixed,
}

/// The mark before a 字数 that rests on OCR, in whole or in part ("≈903"): an estimate, said
/// where the number stands (in `count`'s table and in every checklist).
pub fn estimate_mark(source: Option<TextSource>) -> &'static str {
    if source.is_some() { "≈" } else { "" }
}

/// What OCR contributed to a document's text, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OcrShare {
    pub source: TextSource,
    pub words: u64,
    pub confidence: Option<u8>,
}

/// The OCR share of a document: the 字数 of its paragraphs on OCR'd pages.
pub fn ocr_share(doc: &Document) -> Option<OcrShare> {
    if doc.ocr_pages.is_empty() {
        return None;
    }
    let on_ocr = |i: usize| {
        doc.paras[i]
            .page
            .is_some_and(|p| doc.ocr_pages.contains(&p))
    };
    let words = doc.count_where(on_ocr).words;
    let all =
        (0..doc.paras.len()).all(|i| on_ocr(i) || doc.para_text(&doc.paras[i]).trim().is_empty());
    Some(OcrShare {
        source: if all {
            TextSource::Ocr
        } else {
            TextSource::Mixed
        },
        words,
        confidence: doc.ocr_confidence,
    })
}

/// The reader's line about an OCR estimate.
fn ocr_warning(share: &OcrShare, pages: &[u32]) -> String {
    let conf = share
        .confidence
        .map(|c| format!("，识别置信度约 {c}%"))
        .unwrap_or_default();
    match share.source {
        TextSource::Ocr => format!(
            "扫描件，OCR 估计约 {} 字（估计值{conf}，请人工复核）",
            share.words
        ),
        TextSource::Mixed => format!(
            "第 {} 页为扫描页，OCR 估计约 {} 字，已计入字数（估计值{conf}）",
            join_pages(pages),
            share.words
        ),
    }
}

fn join_pages(pages: &[u32]) -> String {
    pages
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join("、")
}

#[derive(Debug, Serialize)]
pub struct Excluded {
    pub section: SectionKind,
    /// The section's name as a reviewer reads it (封面, 目录, 参考文献 …).
    pub label: &'static str,
    pub words: u64,
}

/// Options of `count`.
#[derive(Debug, Clone, Copy, Default)]
pub struct CountOptions {
    /// Word's "包括文本框、脚注和尾注".
    pub include_notes: bool,
}

/// The message for a PDF without any text layer.
pub const NO_TEXT_MESSAGE: &str =
    "PDF 没有文字层（可能是扫描件或图片）：无法统计字数，请提交可复制文字的 PDF 或 Word 文档";

/// The message for a photo, which is listed as evidence but never counted.
pub const IMAGE_MESSAGE: &str = "图片（照片）：作为佐证材料列出，不统计字数";

/// Why a document of this format yields no text: a scan for a PDF, a photo for an image,
/// an empty file otherwise (an empty `.txt` is no "PDF without a text layer").
pub fn no_text_message(format: crate::doc::Format) -> &'static str {
    match format {
        crate::doc::Format::Pdf => NO_TEXT_MESSAGE,
        crate::doc::Format::Image => IMAGE_MESSAGE,
        _ => "文件没有任何文字",
    }
}

/// The document at `path` when it has text; otherwise `progress` hears why, under `shown`
/// (the reader's error, or that it is a scan, a photo or empty), and there is none.
pub fn document_with_text(
    path: &std::path::Path,
    shown: &str,
    progress: &dyn crate::progress::Progress,
) -> Option<Document> {
    match crate::extract::extract_path(path) {
        Ok(d) if d.has_text() => Some(d),
        Ok(d) => {
            progress.file_error(shown, no_text_message(d.format));
            None
        }
        Err(e) => {
            progress.file_error(shown, &e.to_string());
            None
        }
    }
}

/// Counts one extracted document.
pub fn count_document(path: &str, doc: &Document, opts: CountOptions) -> FileCount {
    let format = Some(doc.format.as_str());
    let image = doc.format == crate::doc::Format::Image;
    if !doc.has_text() && (doc.format == crate::doc::Format::Pdf || image) {
        return FileCount {
            path: path.to_string(),
            format,
            status: FileStatus::NoText,
            error: Some(
                if image {
                    IMAGE_MESSAGE
                } else {
                    NO_TEXT_MESSAGE
                }
                .into(),
            ),
            counts: None,
            body_counts: None,
            excluded: Vec::new(),
            empty_pages: doc.empty_pages.clone(),
            source: None,
            ocr_pages: Vec::new(),
            ocr_words: None,
            ocr_confidence: None,
            warnings: doc.warnings.clone(),
        };
    }
    let (mut body, excluded) = split_counts(doc);
    let mut counts = body;
    for (_, c) in &excluded {
        counts += *c;
    }
    if opts.include_notes {
        let notes = doc.notes_counts();
        counts += notes;
        body += notes;
    }
    let mut row = ok_row(
        path,
        format,
        counts,
        body,
        excluded,
        &doc.empty_pages,
        doc.warnings.clone(),
    );
    if let Some(share) = ocr_share(doc) {
        row.warnings.push(ocr_warning(&share, &doc.ocr_pages));
        row.source = Some(share.source);
        row.ocr_pages = doc.ocr_pages.clone();
        row.ocr_words = Some(share.words);
        row.ocr_confidence = share.confidence;
    }
    row
}

/// The row of a file that was counted.
fn ok_row(
    path: &str,
    format: Option<&'static str>,
    counts: Counts,
    body: Counts,
    excluded: Vec<(SectionKind, Counts)>,
    empty_pages: &[u32],
    mut warnings: Vec<String>,
) -> FileCount {
    if counts.words == 0 {
        // A real zero (an empty file), said plainly so it is never mistaken for a count.
        warnings.push("文件没有任何文字：字数为 0".into());
    }
    if let Some(doubt) = crate::sections::body_doubt(counts.words, body.words) {
        warnings.push(doubt);
    }
    if !empty_pages.is_empty() {
        warnings.push(format!(
            "以下页面没有文字层（可能是扫描页），未计入字数：{}",
            empty_pages
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("、")
        ));
    }
    FileCount {
        path: path.to_string(),
        format,
        status: FileStatus::Ok,
        error: None,
        counts: Some(counts),
        body_counts: Some(body),
        excluded: excluded
            .into_iter()
            .map(|(k, c)| Excluded {
                section: k,
                label: k.label(),
                words: c.words,
            })
            .collect(),
        empty_pages: empty_pages.to_vec(),
        source: None,
        ocr_pages: Vec::new(),
        ocr_words: None,
        ocr_confidence: None,
        warnings,
    }
}

/// An error row.
pub fn error_row(path: &str, e: &ExtractError) -> FileCount {
    FileCount {
        path: path.to_string(),
        status: FileStatus::Error,
        error: Some(e.to_string()),
        ..FileCount::default()
    }
}

/// Extracts and counts one file; never fails, a bad file is an error row.
pub fn count_path(path: &Path, opts: CountOptions) -> FileCount {
    let shown = path.display().to_string();
    // A panic in a reader is a bug, but it must cost one row, not the batch.
    let result = std::panic::catch_unwind(|| -> Result<FileCount, ExtractError> {
        let ext = extension(path);
        if is_text_extension(&ext)
            && let Ok(Some((t, encoding))) = crate::textcount::count_file(path)
        {
            // Text is counted as it streams in, without the document model.
            let mut warnings = Vec::new();
            if encoding != "UTF-8" {
                warnings.push(format!("文本编码：{encoding}"));
            }
            return Ok(ok_row(
                &shown,
                Some(crate::doc::Format::Txt.as_str()),
                t.counts,
                t.body,
                t.excluded,
                &[],
                warnings,
            ));
        }
        let bytes = read_file(path)?;
        let doc = extract_bytes(bytes, &ext)?;
        Ok(count_document(&shown, &doc, opts))
    });
    match result {
        Ok(Ok(row)) => row,
        Ok(Err(e)) => error_row(&shown, &e),
        Err(_) => error_row(&shown, &ExtractError::internal()),
    }
}

impl CountReport {
    pub fn new(files: Vec<FileCount>) -> Self {
        CountReport {
            schema: "yanshou.count.v1",
            files,
        }
    }

    /// Did every file give a count?
    pub fn all_ok(&self) -> bool {
        self.files.iter().all(|f| f.status == FileStatus::Ok)
    }
}
