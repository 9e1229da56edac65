//! The document model every later stage consumes.
//!
//! A [`Document`] holds its *extracted text* (what `yanshou extract` prints, the text all
//! character offsets refer to) as one string, and its paragraphs as spans into it, so that a
//! 200 MB text file is one allocation, not millions. Streams that Word keeps out of the main
//! text (headers, footers, notes, text boxes, comments) are kept apart in [`Document::extra`].

use serde::Serialize;

use crate::count::{Counts, count_str};

/// Whether a submitted file could be read: it has text, it could not be read, or it is a
/// PDF without a text layer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    #[default]
    Ok,
    Error,
    NoText,
}

impl FileStatus {
    /// The status as the JSON outputs spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            FileStatus::Ok => "ok",
            FileStatus::Error => "error",
            FileStatus::NoText => "no_text",
        }
    }
}

/// What a paragraph is in the layout of its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParaKind {
    Title,
    Heading(u8),
    Body,
    ListItem,
    TableCell,
    Caption,
    /// A line of a table of contents (Word's TOC field result, or a dotted leader line).
    Toc,
}

/// One paragraph: a span of the extracted text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Para {
    /// Byte range into [`Document::text`], without the trailing `\n`.
    pub start: usize,
    pub end: usize,
    pub kind: ParaKind,
    /// 1-based page, for paginated formats.
    pub page: Option<u32>,
    /// The text Word would count when it differs from the span (Markdown without its markup).
    pub counted: Option<Box<str>>,
}

/// What a reader pushes for a manual line break while building a paragraph: a noncharacter
/// that no document carries, turned by [`split_breaks`] into U+2028 in the extracted text and
/// into [`crate::count::MANUAL_BREAK`] in the counted text.
pub const BREAK_MARK: char = '\u{FDD0}';

/// A paragraph's extracted text and, when it had manual breaks, its counted text: `counted`
/// is the counted text the reader already has (with marks), else the text itself.
pub fn split_breaks(text: String, counted: Option<String>) -> (String, Option<String>) {
    if !text.contains(BREAK_MARK) {
        return (text, counted);
    }
    let c = counted
        .as_deref()
        .unwrap_or(&text)
        .replace(BREAK_MARK, "\u{B}");
    (text.replace(BREAK_MARK, "\u{2028}"), Some(c))
}

/// Streams outside the main text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtraKind {
    Header,
    Footer,
    Footnote,
    Endnote,
    TextBox,
    Comment,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ExtraPara {
    pub kind: ExtraKind,
    pub text: String,
    /// The text Word would count when it differs (marks a hinted run sets in the East Asian
    /// font, see `count::east_asian_under_hint`).
    pub counted: Option<String>,
}

/// Document properties, as far as the format carries them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Metadata {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<u32>,
}

/// Input formats yanshou reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Docx,
    Pdf,
    Txt,
    Md,
    /// Word 97–2003 binary.
    Doc,
    /// WPS 文字 (Word's binary layout).
    Wps,
    Xlsx,
    Xls,
    /// WPS 表格.
    Et,
    Ods,
    /// A `.zip` archive read as the concatenation of its members.
    Zip,
    /// A `.7z` archive, likewise.
    #[serde(rename = "7z")]
    SevenZip,
    /// OpenDocument text.
    Odt,
    /// GB/T 33190 fixed-layout document.
    Ofd,
    /// A photo (`.jpg`, `.png`): listed, never counted.
    Image,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Pdf => "pdf",
            Format::Txt => "txt",
            Format::Md => "md",
            Format::Doc => "doc",
            Format::Wps => "wps",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Et => "et",
            Format::Ods => "ods",
            Format::Zip => "zip",
            Format::SevenZip => "7z",
            Format::Odt => "odt",
            Format::Ofd => "ofd",
            Format::Image => "image",
        }
    }
}

// Serde: the batch keeps extracted documents in its cache (`batch::texts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Document {
    pub format: Format,
    pub text: String,
    pub paras: Vec<Para>,
    pub extra: Vec<ExtraPara>,
    pub meta: Metadata,
    /// Pages (1-based) that have no text layer at all, for PDF.
    pub empty_pages: Vec<u32>,
    /// Pages (1-based) whose text was read by OCR from a scanned image: an estimate.
    pub ocr_pages: Vec<u32>,
    /// Tesseract's mean word confidence over the OCR'd pages, in percent.
    pub ocr_confidence: Option<u8>,
    /// Some pages wanted OCR but no OCR engine was installed (results may change once it is).
    pub ocr_missing: bool,
    /// Notes for the reader about what was skipped or guessed (an undecodable font …).
    pub warnings: Vec<String>,
    /// Non-empty rows under a name column (姓名, 参会人员, 签名 …) of a spreadsheet: the
    /// headcount of a sign-in sheet or roster. `None` when the file has no such column.
    pub name_rows: Option<u64>,
}

impl Document {
    pub fn new(format: Format) -> Self {
        Document {
            format,
            text: String::new(),
            paras: Vec::new(),
            extra: Vec::new(),
            meta: Metadata::default(),
            empty_pages: Vec::new(),
            ocr_pages: Vec::new(),
            ocr_confidence: None,
            ocr_missing: false,
            warnings: Vec::new(),
            name_rows: None,
        }
    }

    /// Appends a paragraph to the extracted text (joined by `\n`).
    pub fn push(&mut self, text: &str, kind: ParaKind, page: Option<u32>) {
        if !self.paras.is_empty() {
            self.text.push('\n');
        }
        let start = self.text.len();
        self.text.push_str(text);
        self.paras.push(Para {
            start,
            end: self.text.len(),
            kind,
            page,
            counted: None,
        });
    }

    pub fn para_text(&self, p: &Para) -> &str {
        &self.text[p.start..p.end]
    }

    /// The text of a paragraph as Word counts it.
    pub fn counted_text<'a>(&'a self, p: &'a Para) -> &'a str {
        p.counted.as_deref().unwrap_or(&self.text[p.start..p.end])
    }

    /// Word's statistics of the main text (Word's default scope).
    pub fn counts(&self) -> Counts {
        if self.paras.iter().all(|p| p.counted.is_none()) {
            // The extracted text *is* the counted text: count it in one parallel pass.
            return crate::count::count_str_parallel(&self.text);
        }
        self.count_paras(0..self.paras.len())
    }

    /// Statistics of a range of paragraphs.
    ///
    /// Paragraphs without a counted-text override are contiguous in [`Document::text`],
    /// separated by `\n`, so a run of them is counted as one slice, in parallel when large.
    pub fn count_paras(&self, range: std::ops::Range<usize>) -> Counts {
        let paras = &self.paras[range];
        let mut c = Counts::default();
        let mut i = 0;
        while i < paras.len() {
            if let Some(t) = &paras[i].counted {
                c += count_str(t);
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < paras.len()
                && paras[j].counted.is_none()
                && paras[j].start == paras[j - 1].end + 1
            {
                j += 1;
            }
            c += crate::count::count_str_parallel(&self.text[paras[i].start..paras[j - 1].end]);
            i = j;
        }
        c
    }

    /// Statistics of the paragraphs whose index passes `keep`, counted run by run.
    pub fn count_where(&self, keep: impl Fn(usize) -> bool) -> Counts {
        let mut c = Counts::default();
        let mut i = 0;
        while i < self.paras.len() {
            if !keep(i) {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < self.paras.len() && keep(j) {
                j += 1;
            }
            c += self.count_paras(i..j);
            i = j;
        }
        c
    }

    /// Statistics of text boxes, footnotes and endnotes (Word's "包括文本框、脚注和尾注").
    pub fn notes_counts(&self) -> Counts {
        let mut c = Counts::default();
        for e in &self.extra {
            if matches!(
                e.kind,
                ExtraKind::Footnote | ExtraKind::Endnote | ExtraKind::TextBox
            ) {
                c += count_str(e.counted.as_deref().unwrap_or(&e.text));
            }
        }
        c
    }

    /// Does the main text have any non-space character?
    pub fn has_text(&self) -> bool {
        self.text.chars().any(|c| !c.is_whitespace())
    }
}
