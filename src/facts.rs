//! What the checks need to know about one submitted file, computed once and cached.
//!
//! Extraction is the expensive part of a batch; checking is cheap. So each file is read once
//! into `FileFacts` — its counts, its title, its headings, the cases it lists, the sentences
//! that state figures or mention activities — and the batch caches these facts by content
//! hash. Every check runs on facts only, so an unchanged rerun never extracts anything.

use regex::Regex;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::LazyLock;

use crate::count::Counts;
use crate::doc::FileStatus;
use crate::doc::{Document, ParaKind};
use crate::extract::{ExtractError, extract_bytes};
use crate::report::{CountOptions, count_document};

/// Bump when `FileFacts` or how it is computed changes: old cache entries are then ignored.
/// (7: archives are fingerprinted for the overlap stage.)
pub const FACTS_VERSION: u32 = 7;

/// Caps that keep one hostile or huge file from bloating the cache.
const MAX_HEADINGS: usize = 400;
const MAX_SENTENCES: usize = 400;
const MAX_SENTENCE_CHARS: usize = 160;

/// The default is a readable file in which nothing was found, of this `FACTS_VERSION`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileFacts {
    pub version: u32,
    pub format: Option<String>,
    pub status: FileStatus,
    pub error: Option<String>,
    pub counts: Option<Counts>,
    pub body_counts: Option<Counts>,
    /// What `body_counts` leaves out: (label, 字数).
    pub excluded: Vec<(String, u64)>,
    pub empty_pages: Vec<u32>,
    /// Set when some of the counted text was read by OCR: the counts are an estimate.
    #[serde(default)]
    pub source: Option<crate::report::TextSource>,
    /// 字数 on the OCR'd pages (part of `counts`).
    #[serde(default)]
    pub ocr_words: u64,
    /// Scanned pages were left unread for want of an OCR engine: the batch reads the file
    /// again once one is installed.
    #[serde(default)]
    pub ocr_missing: bool,
    /// The document's title: metadata title, else its first title or heading line.
    pub title: Option<String>,
    /// The last-modified (else created) date the file's metadata states, ISO `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Heading-like lines in order (for pointers to sections).
    pub headings: Vec<String>,
    /// Case titles found inside the document (案例一：…, 【案例2】…).
    pub cases: Vec<String>,
    /// Headings of the form （一）/一、 — cases when the file is a case collection.
    pub numbered_headings: Vec<String>,
    /// Parallel sections each naming an organisation or a practice, whatever their numbering
    /// ("（一）中国某某学会：…", "1. 某某协会——…", "【案例】…"): the cases of a collection
    /// that does not say 案例 (see [`case_sections`]).
    #[serde(default)]
    pub case_sections: Vec<String>,
    /// Top-level chapters (第一章 …, else 一、 …, else level-1 headings).
    #[serde(default)]
    pub chapters: u32,
    /// Sentences stating a number with a unit (claims for indicators and events).
    pub figures: Vec<String>,
    /// Sentences mentioning an activity (会议, 研讨, 活动 …), for event evidence.
    pub events: Vec<String>,
    /// The first lines of the text, for classifying the file.
    pub head: String,
    /// Names listed in a sign-in sheet or roster (non-empty rows under 姓名/签名 …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_rows: Option<u64>,
    /// For an archive: each member's path inside it and its facts; the checks see the members
    /// as files of their own (`佐证材料.zip!/签到表.xlsx`, see [`expand_members`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<(String, FileFacts)>,
    /// For a compilation (结题材料汇编): each part's facts, counted on its own (see `parts`);
    /// the checks see the parts instead of the file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<PartFacts>,
}

/// One part of a compilation: its name ("第二部分 建议报告"), where it is ("第35–80段",
/// "第5–9页") and its facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartFacts {
    pub name: String,
    pub range: String,
    pub facts: FileFacts,
}

static CASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:【\s*)?(?:典型)?案例\s*(?:[0-9０-９]+|[一二三四五六七八九十]+)\s*(?:】|[:：、.．\s]|$)")
        .unwrap()
});
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)").unwrap()
});
static OUTLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:第[一二三四五六七八九十0-9]+[章节部分篇]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+(?:\.\d+)*[\s、.．]\S)").unwrap()
});
static FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[0-9０-９]+(?:\.[0-9]+)?\s*(?:万)?\s*(?:人次|场次|家次|人|次|场|家|名|个|项|篇|期|批)",
    )
    .unwrap()
});
const EVENT_WORDS: &[&str] = &[
    "活动", "研讨", "交流", "论坛", "沙龙", "培训", "会议", "座谈", "讲座", "年会",
];

/// Reads and analyses one file; a bad file gives facts with `status: error`, never a panic.
pub fn analyse_path(path: &Path) -> FileFacts {
    match crate::extract::read_file(path) {
        Ok(b) => analyse_bytes(b, &crate::extract::extension(path)),
        Err(e) => error_facts(&e),
    }
}

/// Like `analyse_path` on bytes already read (the batch reads once to hash and extract).
pub fn analyse_bytes(bytes: Vec<u8>, ext: &str) -> FileFacts {
    analyse_bytes_fp(bytes, ext).0
}

/// Facts and, for a readable file, the overlap fingerprints of its extracted text.
pub fn analyse_bytes_fp(
    bytes: Vec<u8>,
    ext: &str,
) -> (FileFacts, Option<crate::overlap::Fingerprints>) {
    let (facts, fp, _) = analyse_bytes_doc(bytes, ext);
    (facts, fp)
}

/// [`analyse_bytes_fp`], also handing back the extracted document (of a file that could be
/// read; an archive's members as one document), so that a caller can keep it instead of
/// extracting it again.
pub fn analyse_bytes_doc(
    bytes: Vec<u8>,
    ext: &str,
) -> (
    FileFacts,
    Option<crate::overlap::Fingerprints>,
    Option<Document>,
) {
    let archive =
        (ext == "zip" && bytes.starts_with(b"PK")) || crate::extract::archive::is_7z(&bytes);
    let r = std::panic::catch_unwind(|| {
        if archive {
            // Facts per member; the members' text as one document (what `extract` shows of an
            // archive) is fingerprinted like any file's, so copying inside a zipped
            // submission is found.
            analyse_archive(&bytes)
        } else {
            extract_bytes(bytes, ext).map(|doc| (analyse_document(&doc), doc))
        }
    });
    match r {
        Ok(Ok((f, doc))) => {
            let fp = doc
                .has_text()
                .then(|| crate::overlap::fingerprint_document(&doc));
            (f, fp, Some(doc))
        }
        Ok(Err(e)) => (error_facts(&e), None, None),
        Err(_) => (error_facts(&ExtractError::internal()), None, None),
    }
}

impl Default for FileFacts {
    fn default() -> Self {
        FileFacts {
            version: FACTS_VERSION,
            format: None,
            status: FileStatus::Ok,
            error: None,
            counts: None,
            body_counts: None,
            excluded: Vec::new(),
            empty_pages: Vec::new(),
            source: None,
            ocr_words: 0,
            ocr_missing: false,
            title: None,
            date: None,
            headings: Vec::new(),
            cases: Vec::new(),
            numbered_headings: Vec::new(),
            case_sections: Vec::new(),
            chapters: 0,
            figures: Vec::new(),
            events: Vec::new(),
            head: String::new(),
            name_rows: None,
            members: Vec::new(),
            parts: Vec::new(),
        }
    }
}

pub fn error_facts(e: &ExtractError) -> FileFacts {
    FileFacts {
        status: FileStatus::Error,
        error: Some(e.to_string()),
        ..FileFacts::default()
    }
}

fn short(s: &str) -> String {
    let t = s.trim();
    if t.chars().count() > MAX_SENTENCE_CHARS {
        t.chars().take(MAX_SENTENCE_CHARS).collect::<String>() + "…"
    } else {
        t.to_string()
    }
}

/// ISO date from a metadata timestamp ("2022-11-30T08:00:00Z", "D:20221130…").
fn iso_date(s: &str) -> Option<String> {
    let d: String = s
        .trim_start_matches("D:")
        .chars()
        .filter(|c| c.is_ascii_digit())
        .take(8)
        .collect();
    (d.len() == 8).then(|| format!("{}-{}-{}", &d[0..4], &d[4..6], &d[6..8]))
}

pub fn analyse_document(doc: &Document) -> FileFacts {
    let mut f = analyse_whole(doc);
    if f.status == FileStatus::Ok {
        f.parts = crate::parts::split(doc)
            .iter()
            .map(|span| PartFacts {
                name: span.name.clone(),
                range: crate::parts::range_text(doc, span),
                facts: analyse_whole(&crate::parts::sub_document(doc, span.paras.clone())),
            })
            .collect();
    }
    f
}

/// The facts of a document as one piece (a part is analysed by this too, never split again).
fn analyse_whole(doc: &Document) -> FileFacts {
    let fc = count_document("", doc, CountOptions::default());
    let mut headings = Vec::new();
    let mut cases = Vec::new();
    let mut numbered = Vec::new();
    let mut figures = Vec::new();
    let mut events = Vec::new();
    let mut first_title: Option<String> = None;
    let mut head = String::new();
    // Short lines that may head a section, with their numbering style, for case sections and
    // chapters.
    let mut outline: Vec<(Numbering, String)> = Vec::new();
    for p in &doc.paras {
        let t = doc.para_text(p).trim();
        if t.is_empty() || p.kind == ParaKind::Toc {
            continue;
        }
        if head.chars().count() < 400 {
            head.push_str(t);
            head.push('\n');
        }
        let len = t.chars().count();
        let is_heading = matches!(p.kind, ParaKind::Title | ParaKind::Heading(_))
            || (len <= 40 && OUTLINE.is_match(t))
            || (len <= 40 && CASE.is_match(t));
        if first_title.is_none()
            && len <= 60
            && matches!(p.kind, ParaKind::Title | ParaKind::Heading(_))
        {
            first_title = Some(t.to_string());
        }
        if is_heading && headings.len() < MAX_HEADINGS {
            headings.push(short(t));
        }
        if len <= 60 && outline.len() < MAX_HEADINGS * 4 {
            let styled = p.kind == ParaKind::Heading(1);
            if let Some(n) = numbering(t, styled) {
                outline.push((n, t.to_string()));
            }
        }
        if len <= 60 && CASE.is_match(t) && cases.len() < MAX_HEADINGS {
            cases.push(short(t));
        } else if is_heading && len <= 60 && NUMBERED.is_match(t) && numbered.len() < MAX_HEADINGS {
            numbered.push(short(t));
        }
        if figures.len() < MAX_SENTENCES || events.len() < MAX_SENTENCES {
            for sent in t.split(['。', '；', ';', '！', '？']) {
                if sent.trim().is_empty() {
                    continue;
                }
                if figures.len() < MAX_SENTENCES && FIGURE.is_match(sent) {
                    figures.push(short(sent));
                }
                if events.len() < MAX_SENTENCES && EVENT_WORDS.iter().any(|w| sent.contains(w)) {
                    events.push(short(sent));
                }
            }
        }
    }
    let title = doc
        .meta
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .or(first_title)
        .or_else(|| {
            doc.paras
                .iter()
                .map(|p| doc.para_text(p).trim())
                .find(|t| !t.is_empty() && t.chars().count() <= 60)
                .map(str::to_string)
        });
    let date = doc
        .meta
        .modified
        .as_deref()
        .or(doc.meta.created.as_deref())
        .and_then(iso_date);
    FileFacts {
        version: FACTS_VERSION,
        format: fc.format.map(str::to_string),
        status: fc.status,
        error: fc.error,
        counts: fc.counts,
        body_counts: fc.body_counts,
        excluded: fc
            .excluded
            .iter()
            .map(|e| (e.label.to_string(), e.words))
            .collect(),
        empty_pages: fc.empty_pages,
        source: fc.source,
        ocr_words: fc.ocr_words.unwrap_or(0),
        ocr_missing: doc.ocr_missing,
        title,
        date,
        headings,
        cases,
        numbered_headings: numbered,
        case_sections: case_sections(&outline),
        chapters: chapters(&outline),
        figures,
        events,
        head,
        name_rows: doc.name_rows,
        members: Vec::new(),
        parts: Vec::new(),
    }
}

/// How a heading-like line is numbered; lines of one style at one level are parallel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Numbering {
    /// 第一章 / 第1章
    Zhang,
    /// 一、
    Han,
    /// （一）
    Paren,
    /// 1. / 1、 / 1．
    Digit,
    /// 案例一 / 【案例2】 / 【案例】
    Case,
    /// A heading without a number (a bold or styled title line).
    Bare,
    /// A level-1 heading style.
    Styled1,
}

static ZHANG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*第[一二三四五六七八九十0-9]+章").unwrap());
static HAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[一二三四五六七八九十]+、").unwrap());
static PAREN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[（(][一二三四五六七八九十]+[)）]").unwrap());
static DIGIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[0-9０-９]{1,2}\s*[.．、](?:\s|[^0-9])").unwrap());
static CASE_BARE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*【\s*(?:典型)?案例\s*】").unwrap());

/// The numbering style of a line that may head a section, if it may.
fn numbering(t: &str, styled: bool) -> Option<Numbering> {
    if ZHANG.is_match(t) {
        return Some(Numbering::Zhang);
    }
    if CASE.is_match(t) || CASE_BARE.is_match(t) {
        return Some(Numbering::Case);
    }
    if PAREN.is_match(t) {
        return Some(Numbering::Paren);
    }
    if HAN.is_match(t) {
        return Some(Numbering::Han);
    }
    if DIGIT.is_match(t) {
        return Some(Numbering::Digit);
    }
    if styled {
        return Some(Numbering::Styled1);
    }
    // A title line without a number: short, no sentence punctuation, and a separator between
    // a name and what it did ("某某学会：以章程为核心完善治理").
    let bare = t.chars().count() <= 40
        && !t.ends_with(['。', '；', ';', '，', ','])
        && (t.contains('：') || t.contains("——"));
    bare.then_some(Numbering::Bare)
}

/// Does a section heading name an organisation or a practice? The name (before a colon or
/// dash, else the whole title) must end with an organisation word after two characters or
/// more ("中国某某学会：…", not the 学会 of "一、我国学会发展现状"), or a practice (做法,
/// 模式 …) must follow a colon or dash as in a case title.
fn names_a_subject(t: &str) -> bool {
    let body = t.trim_start_matches(|c: char| {
        c.is_ascii_digit()
            || c.is_whitespace()
            || crate::numerals::is_numeral_char(c)
            || "（）()【】、.．:：第章案例典型".contains(c)
    });
    let (name, rest) = match body
        .split_once(['：', ':'])
        .or_else(|| body.split_once("——"))
    {
        Some((a, b)) => (a, Some(b)),
        None => (body, None),
    };
    let name = name.trim_end_matches(['）', ')', ' ', '　']);
    let org = crate::check::vocab::CASE_ORGS.iter().any(|w| {
        name.strip_suffix(w)
            .is_some_and(|before| before.chars().count() >= 2)
    });
    let practice = rest.is_some_and(|r| {
        crate::check::vocab::CASE_PRACTICES
            .iter()
            .any(|w| r.contains(w))
    });
    org || practice
}

/// The case sections of a document: the longest run of headings of one numbering style whose
/// entries (at least three, and most of them) each name an organisation or a practice.
fn case_sections(outline: &[(Numbering, String)]) -> Vec<String> {
    let styles = [
        Numbering::Case,
        Numbering::Paren,
        Numbering::Han,
        Numbering::Digit,
        Numbering::Styled1,
        Numbering::Bare,
        Numbering::Zhang,
    ];
    let mut best: Vec<String> = Vec::new();
    for st in styles {
        let lines: Vec<&String> = outline
            .iter()
            .filter(|(n, _)| *n == st)
            .map(|(_, t)| t)
            .collect();
        let named: Vec<String> = lines
            .iter()
            .filter(|t| st == Numbering::Case || names_a_subject(t))
            .map(|t| short(t))
            .collect();
        if named.len() >= 3 && named.len() * 3 >= lines.len() * 2 && named.len() > best.len() {
            best = named;
        }
    }
    best.truncate(MAX_HEADINGS);
    best
}

/// Top-level chapters: 第…章 headings, else 一、 headings, else level-1 heading styles.
fn chapters(outline: &[(Numbering, String)]) -> u32 {
    let n = |st: Numbering| outline.iter().filter(|(x, _)| *x == st).count() as u32;
    [Numbering::Zhang, Numbering::Han, Numbering::Styled1]
        .into_iter()
        .map(n)
        .find(|&c| c > 0)
        .unwrap_or(0)
}

/// Replaces each archive by its members, at `archive!/member` (an archive with no member that
/// yanshou reads stays as it is).
pub fn expand_members(files: Vec<(String, FileFacts)>) -> Vec<(String, FileFacts)> {
    let mut out = Vec::with_capacity(files.len());
    for (path, mut f) in files {
        if f.members.is_empty() {
            out.push((path, f));
            continue;
        }
        for (name, m) in std::mem::take(&mut f.members) {
            out.push((format!("{path}!/{name}"), m));
        }
    }
    out
}

/// An archive's facts, each member a file of its own (see [`expand_members`]), and the
/// archive as one document; its members are read once for both.
fn analyse_archive(bytes: &[u8]) -> Result<(FileFacts, Document), ExtractError> {
    use crate::extract::archive;
    let mut members = Vec::new();
    let doc = archive::extract_with(bytes, |name, read| {
        let f = match read {
            Ok(doc) => analyse_document(doc),
            Err(e) => error_facts(e),
        };
        members.push((name.to_string(), f));
    })?;
    let facts = FileFacts {
        format: Some(if archive::is_7z(bytes) { "7z" } else { "zip" }.into()),
        status: FileStatus::Ok,
        error: None,
        members,
        ..error_facts(&ExtractError::Io(String::new()))
    };
    Ok((facts, doc))
}
