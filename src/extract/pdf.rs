//! PDF: a text layer of our own on top of lopdf.
//!
//! Why not pdf-extract or lopdf's `extract_text`: the first panics on Chinese fonts that use a
//! predefined CMap without `/ToUnicode` (e-invoices, 公文), the second splits numbers at
//! kerning (`3 0 . 0 %`), which inflates Word's non-CJK word count. Here every glyph is placed
//! with its position and advance, so spaces come from real gaps, lines from baselines and
//! paragraphs from indentation and line ends, as a reader sees the page.
//!
//! Decoding, per font: `/ToUnicode` first; else the predefined CMap's own charset (UniGB-UCS2,
//! GBK-EUC, Big5 …, decoded by encoding_rs); else `Identity-H` with an Adobe-GB1 collection via
//! Adobe's CID→Unicode table; simple fonts through lopdf's encodings. Running headers, footers
//! and page numbers (the same line at the top or bottom of most pages) are moved out of the
//! main text. Pages without a text layer are listed in `empty_pages`; when they show a
//! scanned image and Tesseract is installed, they are read by OCR (see `ocr`) and their lines
//! join the text layer's, listed in `ocr_pages`.

use std::collections::HashMap;

use lopdf::content::Content;
use lopdf::{Dictionary, Object, ObjectId};

use crate::count::{Class, classify};
use crate::doc::{Document, ExtraKind, ExtraPara, Format, ParaKind};

use super::ExtractError;
use super::pdf_cmap::{ADOBE_GB1, CMap};

/// Largest decompressed content stream read per page.
const MAX_STREAM: usize = 64 << 20;
/// Deepest nesting of form XObjects followed.
const MAX_FORM_DEPTH: usize = 8;
/// Most glyphs kept per page (a hostile page could show a string a million times).
const MAX_GLYPHS_PER_PAGE: usize = 200_000;
/// Largest content of one page (or one form) parsed into operators: parsing holds every
/// operator in memory, about 30 times the stream's size, so this keeps a page under ~0.5 GiB.
const MAX_PAGE_CONTENT: usize = 16 << 20;

/// The work one file may cost: operators run and glyphs placed, content bytes decoded (a form
/// drawn again is decoded again), and wall-clock time. Nesting depth alone bounds nothing: a
/// form that draws itself ten times, eight deep, is 10⁸ invocations in a 1 KB file. Real
/// documents use a small fraction of each figure (a 250-page manual: ~3 M operators, 40 MB).
struct Budget {
    work: u64,
    bytes: u64,
    forms: u32,
    deadline: std::time::Instant,
}

const MAX_WORK_PER_FILE: u64 = 50_000_000;
/// Form XObjects drawn per file: a running head drawn as a form on each of 1,000 pages with a
/// few nested logos is a few thousand.
const MAX_FORMS_PER_FILE: u32 = 20_000;
const MAX_DECODED_PER_FILE: u64 = 2 << 30;
const MAX_SECONDS_PER_FILE: u64 = 120;

/// Why a page stopped: a fault of the page (the rest of the file is read), or the file's
/// budget spent (the file is an error).
enum PageError {
    Page(String),
    /// The page is over a size limit: read nothing of it.
    TooLarge(String),
    Budget(String),
}

impl From<String> for PageError {
    fn from(s: String) -> Self {
        PageError::Page(s)
    }
}

impl Budget {
    fn new() -> Self {
        Budget {
            work: MAX_WORK_PER_FILE,
            bytes: MAX_DECODED_PER_FILE,
            forms: MAX_FORMS_PER_FILE,
            deadline: std::time::Instant::now()
                + std::time::Duration::from_secs(MAX_SECONDS_PER_FILE),
        }
    }

    fn spend(&mut self, work: u64) -> Result<(), PageError> {
        let before = self.work;
        self.work = self.work.checked_sub(work).ok_or_else(|| {
            PageError::Budget(format!(
                "PDF 页面内容过于复杂（超过 {} 万个操作），已停止读取",
                MAX_WORK_PER_FILE / 10_000
            ))
        })?;
        // The clock is read about every 64 Ki units of work.
        if before >> 16 != self.work >> 16 && std::time::Instant::now() > self.deadline {
            return Err(PageError::Budget(format!(
                "读取 PDF 超过 {MAX_SECONDS_PER_FILE} 秒，已停止"
            )));
        }
        Ok(())
    }

    fn form(&mut self) -> Result<(), PageError> {
        self.forms = self.forms.checked_sub(1).ok_or_else(|| {
            PageError::Budget(format!(
                "PDF 的表单对象被引用超过 {MAX_FORMS_PER_FILE} 次（可能是自我引用的表单），已停止读取"
            ))
        })?;
        Ok(())
    }

    fn decode(&mut self, bytes: usize) -> Result<(), PageError> {
        // Charged before the size is judged: a large form refused again and again still costs.
        self.bytes = self.bytes.checked_sub(bytes as u64).ok_or_else(|| {
            PageError::Budget(format!(
                "PDF 需解码的内容超过 {} GiB（可能是反复引用的表单对象），已停止读取",
                MAX_DECODED_PER_FILE >> 30
            ))
        })?;
        if bytes > MAX_PAGE_CONTENT {
            return Err(PageError::TooLarge(format!(
                "页面内容过大（{} MiB，上限 {} MiB），未读取",
                bytes >> 20,
                MAX_PAGE_CONTENT >> 20
            )));
        }
        Ok(())
    }
}

pub(crate) fn extract(bytes: &[u8]) -> Result<Document, ExtractError> {
    let opts = lopdf::LoadOptions {
        max_decompressed_size: Some(MAX_STREAM),
        ..Default::default()
    };
    let pdf = lopdf::Document::load_mem_with_options(bytes, opts).map_err(|e| match e {
        lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_) => ExtractError::Encrypted,
        other => ExtractError::Corrupt(format!("PDF 无法解析（{other}）")),
    })?;
    if pdf.is_encrypted() && !pdf.was_encrypted() {
        return Err(ExtractError::Encrypted);
    }
    let pages = pdf.get_pages();
    if pages.is_empty() {
        return Err(ExtractError::Corrupt("PDF 没有页面".into()));
    }
    let mut doc = Document::new(Format::Pdf);
    doc.meta = metadata(&pdf, pages.len() as u32);
    // A PDF ends with %%EOF; without it the file was cut (a broken download or copy) and what
    // reads is what survived, which the reviewer must know.
    if !bytes[bytes.len().saturating_sub(2048)..]
        .windows(5)
        .any(|w| w == b"%%EOF")
    {
        doc.warnings.push(
            "PDF 文件不完整（结尾缺失，可能下载或复制时被截断）：只读出了保留下来的部分".into(),
        );
    }
    let mut fonts: HashMap<ObjectId, Font> = HashMap::new();
    let mut laid: Vec<PageLines> = Vec::with_capacity(pages.len());
    let mut budget = Budget::new();
    let mut too_large: Option<String> = None;
    for (&no, &id) in &pages {
        let mut glyphs = Vec::new();
        let mut images = false;
        match page_glyphs(&pdf, id, &mut fonts, &mut glyphs, &mut images, &mut budget) {
            Ok(()) => {}
            Err(PageError::Page(msg)) => doc.warnings.push(format!("第 {no} 页：{msg}")),
            Err(PageError::TooLarge(msg)) => {
                let m = format!("第 {no} 页：{msg}");
                doc.warnings.push(m.clone());
                too_large.get_or_insert(m);
            }
            Err(PageError::Budget(msg)) => {
                return Err(ExtractError::TooComplex(format!("第 {no} 页：{msg}")));
            }
        }
        if glyphs.len() >= MAX_GLYPHS_PER_PAGE {
            doc.warnings.push(format!(
                "第 {no} 页文字过多：只读了前 {MAX_GLYPHS_PER_PAGE} 个字形，其余未计入"
            ));
        }
        let lines = page_lines(glyphs);
        if lines.iter().all(|l| l.text.trim().is_empty()) {
            doc.empty_pages.push(no);
        }
        laid.push(PageLines {
            no,
            lines,
            images,
            ocr: false,
        });
    }
    let undecoded: usize = fonts.values().filter(|f| f.undecodable).count();
    if undecoded > 0 {
        doc.warnings.push(format!(
            "{undecoded} 个字体缺少编码信息，部分文字可能无法还原"
        ));
    }
    // Blank pages (no text, no image) are not scanned pages; list only pages that show
    // something without a text layer, unless the whole file has no text at all.
    let any_text = laid.iter().any(|p| !p.lines.is_empty());
    // No text because pages were too large to read is no scan: say why.
    if let (false, Some(m)) = (any_text, too_large) {
        return Err(ExtractError::TooComplex(m));
    }
    if any_text {
        let keep: Vec<u32> = laid
            .iter()
            .filter(|p| p.images && p.lines.iter().all(|l| l.text.trim().is_empty()))
            .map(|p| p.no)
            .collect();
        doc.empty_pages = keep;
    }
    ocr_pages(&pdf, &pages, &mut laid, &mut doc);
    lay_out(&mut laid, &mut doc);
    Ok(doc)
}

/// Pages of lines to paragraphs: running heads, page numbers and footnotes set apart, then
/// lines joined into paragraphs at the body's type size.
fn lay_out(laid: &mut [PageLines], doc: &mut Document) {
    strip_running_lines(laid, &mut doc.extra);
    let body_size = body_size(laid);
    strip_footnotes(laid, body_size, &mut doc.extra);
    paragraphs(laid, body_size, doc);
}

/// Reads the pages listed in `doc.empty_pages` that show an image by OCR, in parallel (one
/// Tesseract process per core); pages read are taken off `empty_pages` and listed in
/// `doc.ocr_pages`. Without Tesseract, one warning says what to install.
fn ocr_pages(
    pdf: &lopdf::Document,
    pages: &std::collections::BTreeMap<u32, ObjectId>,
    laid: &mut [PageLines],
    doc: &mut Document,
) {
    use rayon::prelude::*;
    let mut wanted: Vec<u32> = doc
        .empty_pages
        .iter()
        .copied()
        .filter(|no| laid.iter().any(|p| p.no == *no && p.images))
        .collect();
    if wanted.is_empty() {
        return;
    }
    let engine = match super::ocr::engine() {
        Ok(e) => e,
        Err(why) => {
            doc.warnings.push(why);
            doc.ocr_missing = true;
            return;
        }
    };
    if wanted.len() > super::ocr::MAX_OCR_PAGES {
        doc.warnings.push(format!(
            "扫描页共 {} 页，只识别了前 {} 页",
            wanted.len(),
            super::ocr::MAX_OCR_PAGES
        ));
        wanted.truncate(super::ocr::MAX_OCR_PAGES);
    }
    let mut images = Vec::new();
    for &no in &wanted {
        match super::ocr::page_image(pdf, pages[&no]) {
            Ok(Some(img)) => images.push((no, img)),
            Ok(None) => {}
            Err(why) => doc.warnings.push(format!("第 {no} 页：{why}")),
        }
    }
    super::ocr::queue_pages(images.len());
    let read: Vec<(u32, Result<super::ocr::OcrPage, String>)> = images
        .par_iter()
        .with_max_len(1)
        .map(|(no, img)| (*no, super::ocr::recognise_best(&engine, img)))
        .collect();
    let mut confidence = Vec::new();
    for (no, r) in read {
        match r {
            Ok(page) if !page.lines.is_empty() => {
                confidence.push(page.confidence);
                let Some(p) = laid.iter_mut().find(|p| p.no == no) else {
                    continue;
                };
                p.ocr = true;
                p.lines = ocr_lines(page.lines);
                doc.ocr_pages.push(no);
            }
            Ok(_) => doc.warnings.push(format!("第 {no} 页：OCR 未识别出文字")),
            Err(why) => doc.warnings.push(format!("第 {no} 页：{why}")),
        }
    }
    doc.empty_pages.retain(|no| !doc.ocr_pages.contains(no));
    if !confidence.is_empty() {
        doc.ocr_confidence =
            Some((confidence.iter().sum::<f64>() / confidence.len() as f64).round() as u8);
    }
}

fn ocr_lines(lines: Vec<super::ocr::OcrLine>) -> Vec<Line> {
    lines
        .into_iter()
        .map(|l| Line {
            x0: l.x0,
            x1: l.x1,
            y: l.y,
            size: l.size,
            text: l.text,
            wide_gap: false,
            first_word: l.first_word,
            column: None,
        })
        .collect()
}

/// Lays out one OCR'd page image (a scanned page submitted as a picture) into `doc` as page 1,
/// through the same paragraph, heading and page-number logic as a scanned PDF page.
pub(super) fn lay_out_ocr_page(page: super::ocr::OcrPage, doc: &mut Document) {
    let mut laid = vec![PageLines {
        no: 1,
        lines: ocr_lines(page.lines),
        images: true,
        ocr: true,
    }];
    doc.ocr_pages = vec![1];
    doc.ocr_confidence = Some(page.confidence.round().clamp(0.0, 100.0) as u8);
    lay_out(&mut laid, doc);
}

fn metadata(pdf: &lopdf::Document, pages: u32) -> crate::doc::Metadata {
    let mut m = crate::doc::Metadata {
        pages: Some(pages),
        ..Default::default()
    };
    let info = pdf
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| pdf.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok());
    if let Some(info) = info {
        let get = |k: &[u8]| {
            info.get(k)
                .ok()
                .and_then(|o| pdf.dereference(o).ok())
                .and_then(|(_, o)| o.as_str().ok())
                .map(|b| lopdf::decode_text_string(&Object::string_literal(b.to_vec())))
                .and_then(|r| r.ok())
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        m.title = get(b"Title");
        m.author = get(b"Author");
        m.application = get(b"Creator").or_else(|| get(b"Producer"));
        m.created = get(b"CreationDate");
        m.modified = get(b"ModDate");
    }
    m
}

/// One placed glyph (or a few characters, for a ligature).
#[derive(Debug, Clone)]
struct Glyph {
    x: f64,
    y: f64,
    /// Advance in user space.
    w: f64,
    size: f64,
    text: String,
}

#[derive(Debug, Clone)]
struct Line {
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
    text: String,
    /// A gap of several ems inside the line: a table row or a form, never wrapped prose.
    wide_gap: bool,
    /// Width of the line's first word (one CJK character, or a Latin word), for wrap tests.
    first_word: f64,
    /// Left and right edges of the column the line is in, on a page set in columns.
    column: Option<(f64, f64)>,
}

struct PageLines {
    no: u32,
    lines: Vec<Line>,
    images: bool,
    /// The lines were read by OCR (their positions jitter by a few points).
    ocr: bool,
}

/// How a font turns string bytes into characters and advances.
struct Font {
    /// Composite (Type0) font: codes of 1–4 bytes.
    composite: bool,
    to_unicode: Option<CMap>,
    /// Predefined CMap decoded by charset.
    charset: Option<Charset>,
    /// Embedded encoding CMap (code → CID) for composite fonts.
    encoding_cmap: Option<CMap>,
    /// Composite fonts: is the character collection Adobe-GB1?
    gb1: bool,
    /// Simple fonts: per-byte characters from lopdf's encodings.
    simple: Option<Box<[Option<String>; 256]>>,
    /// Widths: simple by code, composite by CID; in glyph space (1/1000 em).
    widths: HashMap<u32, f64>,
    default_width: f64,
    undecodable: bool,
}

#[derive(Clone, Copy)]
enum Charset {
    Ucs2,
    Utf16,
    Gbk,
    Big5,
    ShiftJis,
    EucKr,
    Identity,
}

fn charset_of(name: &[u8]) -> Option<Charset> {
    let n = String::from_utf8_lossy(name);
    let n = n.trim_end_matches("-H").trim_end_matches("-V");
    Some(match n {
        "Identity" => Charset::Identity,
        _ if n.starts_with("Uni") && n.contains("UCS2") => Charset::Ucs2,
        _ if n.starts_with("Uni") && n.contains("UTF16") => Charset::Utf16,
        "GBK-EUC" | "GB-EUC" | "GBpc-EUC" | "GBK2K" | "GBKp-EUC" | "GBT-EUC" | "GBTpc-EUC" => {
            Charset::Gbk
        }
        "B5pc" | "ETen-B5" | "HKscs-B5" | "ETenms-B5" | "B5" => Charset::Big5,
        "90ms-RKSJ" | "90msp-RKSJ" | "83pv-RKSJ" | "90pv-RKSJ" => Charset::ShiftJis,
        "KSC-EUC" | "KSCms-UHC" | "KSCpc-EUC" | "KSCms-UHC-HW" => Charset::EucKr,
        _ => return None,
    })
}

fn deref<'a>(pdf: &'a lopdf::Document, o: &'a Object) -> Option<&'a Object> {
    pdf.dereference(o).ok().map(|(_, o)| o)
}

fn num(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(*r as f64),
        _ => None,
    }
}

fn stream_bytes(pdf: &lopdf::Document, o: &Object) -> Option<Vec<u8>> {
    let s = deref(pdf, o)?.as_stream().ok()?;
    s.get_plain_content_with_limit(MAX_STREAM).ok()
}

impl Font {
    fn load(pdf: &lopdf::Document, dict: &Dictionary) -> Font {
        let subtype = dict
            .get(b"Subtype")
            .and_then(|o| o.as_name())
            .unwrap_or(b"");
        let to_unicode = dict
            .get(b"ToUnicode")
            .ok()
            .and_then(|o| stream_bytes(pdf, o))
            .map(|b| CMap::parse(&b))
            .filter(|m| !m.unicode.is_empty());
        let mut f = Font {
            composite: subtype == b"Type0",
            to_unicode,
            charset: None,
            encoding_cmap: None,
            gb1: false,
            simple: None,
            widths: HashMap::new(),
            default_width: 1000.0,
            undecodable: false,
        };
        if f.composite {
            match dict.get(b"Encoding").ok().and_then(|o| deref(pdf, o)) {
                Some(Object::Name(n)) => f.charset = charset_of(n),
                Some(o @ Object::Stream(_)) => {
                    f.encoding_cmap = stream_bytes(pdf, o).map(|b| CMap::parse(&b))
                }
                _ => f.charset = Some(Charset::Identity),
            }
            let desc = dict
                .get(b"DescendantFonts")
                .ok()
                .and_then(|o| deref(pdf, o))
                .and_then(|o| o.as_array().ok())
                .and_then(|a| a.first())
                .and_then(|o| deref(pdf, o))
                .and_then(|o| o.as_dict().ok());
            if let Some(d) = desc {
                f.default_width = d.get(b"DW").ok().and_then(num).unwrap_or(1000.0);
                if let Some(w) = d
                    .get(b"W")
                    .ok()
                    .and_then(|o| deref(pdf, o))
                    .and_then(|o| o.as_array().ok())
                {
                    f.widths = cid_widths(pdf, w);
                }
                let info = d
                    .get(b"CIDSystemInfo")
                    .ok()
                    .and_then(|o| deref(pdf, o))
                    .and_then(|o| o.as_dict().ok());
                if let Some(ord) = info
                    .and_then(|i| i.get(b"Ordering").ok())
                    .and_then(|o| deref(pdf, o))
                    .and_then(|o| o.as_str().ok())
                {
                    f.gb1 = ord == b"GB1";
                }
            }
            if f.to_unicode.is_none() {
                let decodable = match f.charset {
                    Some(Charset::Identity) | None => f.gb1,
                    Some(_) => true,
                };
                f.undecodable = !decodable;
            }
        } else {
            let first = dict.get(b"FirstChar").ok().and_then(num).unwrap_or(0.0) as u32;
            if let Some(w) = dict
                .get(b"Widths")
                .ok()
                .and_then(|o| deref(pdf, o))
                .and_then(|o| o.as_array().ok())
            {
                for (i, o) in w.iter().enumerate() {
                    if let Some(v) = deref(pdf, o).and_then(num) {
                        f.widths.insert(first + i as u32, v);
                    }
                }
            }
            f.default_width = dict
                .get(b"FontDescriptor")
                .ok()
                .and_then(|o| deref(pdf, o))
                .and_then(|o| o.as_dict().ok())
                .and_then(|d| d.get(b"MissingWidth").ok())
                .and_then(num)
                .unwrap_or(500.0);
            if f.to_unicode.is_none() {
                if let Ok(enc) = dict.get_font_encoding(pdf) {
                    let table: [Option<String>; 256] = std::array::from_fn(|b| {
                        enc.bytes_to_string(&[b as u8])
                            .ok()
                            .filter(|s| !s.is_empty())
                    });
                    f.simple = Some(Box::new(table));
                } else {
                    f.undecodable = true;
                }
            }
        }
        f
    }

    /// Splits a shown string into (code, code length, characters).
    fn decode(&self, bytes: &[u8], out: &mut Vec<(u32, u8, String)>) {
        let mut i = 0;
        while i < bytes.len() {
            let rest = &bytes[i..];
            let (n, code) = self.next_code(rest);
            let n = (n as usize).clamp(1, rest.len());
            let raw = &rest[..n];
            let text = self.chars_of(code, n as u8, raw);
            out.push((code, n as u8, text));
            i += n;
        }
    }

    fn next_code(&self, b: &[u8]) -> (u8, u32) {
        if !self.composite {
            return (1, b[0] as u32);
        }
        if let Some(m) = &self.encoding_cmap
            && let Some(c) = m.next_code(b)
        {
            return c;
        }
        let two = |b: &[u8]| {
            if b.len() >= 2 {
                (2, ((b[0] as u32) << 8) | b[1] as u32)
            } else {
                (1, b[0] as u32)
            }
        };
        match self.charset {
            Some(Charset::Gbk) => {
                if b[0] < 0x81 {
                    (1, b[0] as u32)
                } else if b.len() >= 4 && (0x30..=0x39).contains(&b[1]) {
                    (4, u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
                } else {
                    two(b)
                }
            }
            Some(Charset::Big5 | Charset::EucKr) => {
                if b[0] < 0x81 {
                    (1, b[0] as u32)
                } else {
                    two(b)
                }
            }
            Some(Charset::ShiftJis) => {
                if b[0] < 0x81 || (0xA0..=0xDF).contains(&b[0]) {
                    (1, b[0] as u32)
                } else {
                    two(b)
                }
            }
            Some(Charset::Utf16) if (0xD8..=0xDB).contains(&b[0]) && b.len() >= 4 => {
                (4, u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
            }
            _ => {
                if let Some(m) = &self.to_unicode
                    && let Some(c) = m.next_code(b)
                {
                    return c;
                }
                two(b)
            }
        }
    }

    fn cid_of(&self, code: u32, n: u8) -> Option<u32> {
        if let Some(m) = &self.encoding_cmap {
            return m.cid.get(&(n, code)).copied();
        }
        matches!(self.charset, Some(Charset::Identity)).then_some(code)
    }

    fn chars_of(&self, code: u32, n: u8, raw: &[u8]) -> String {
        if let Some(m) = &self.to_unicode
            && let Some(s) = m.unicode.get(&(n, code))
        {
            return fold_radicals(s);
        }
        if !self.composite {
            return self
                .simple
                .as_ref()
                .and_then(|t| t[code as usize & 0xFF].clone())
                .unwrap_or_default();
        }
        let legacy = |enc: &'static encoding_rs::Encoding| {
            enc.decode_without_bom_handling(raw).0.into_owned()
        };
        match self.charset {
            Some(Charset::Ucs2 | Charset::Utf16) => legacy(encoding_rs::UTF_16BE),
            Some(Charset::Gbk) => legacy(encoding_rs::GB18030),
            Some(Charset::Big5) => legacy(encoding_rs::BIG5),
            Some(Charset::ShiftJis) => legacy(encoding_rs::SHIFT_JIS),
            Some(Charset::EucKr) => legacy(encoding_rs::EUC_KR),
            _ => match self.cid_of(code, n) {
                Some(cid) if self.gb1 => ADOBE_GB1
                    .unicode
                    .get(&(2, cid))
                    .cloned()
                    .unwrap_or_default(),
                _ => String::new(),
            },
        }
    }

    fn width(&self, code: u32, n: u8) -> f64 {
        let key = if self.composite {
            match self.cid_of(code, n) {
                Some(c) => c,
                None => return self.default_width,
            }
        } else {
            code
        };
        self.widths.get(&key).copied().unwrap_or(self.default_width)
    }
}

/// The `/W` array of a CID font: `c [w1 w2 …]` or `c_first c_last w`.
fn cid_widths(pdf: &lopdf::Document, w: &[Object]) -> HashMap<u32, f64> {
    let mut out = HashMap::new();
    let mut i = 0;
    while i < w.len() && out.len() < 1 << 17 {
        let Some(first) = deref(pdf, &w[i]).and_then(num) else {
            break;
        };
        match w.get(i + 1).and_then(|o| deref(pdf, o)) {
            Some(Object::Array(a)) => {
                for (k, v) in a.iter().enumerate() {
                    if let Some(v) = deref(pdf, v).and_then(num) {
                        out.insert(first as u32 + k as u32, v);
                    }
                }
                i += 2;
            }
            Some(o) => {
                let last = num(o).unwrap_or(first);
                let v = w
                    .get(i + 2)
                    .and_then(|o| deref(pdf, o))
                    .and_then(num)
                    .unwrap_or(1000.0);
                let (a, b) = (first as u32, (last as u32).min(first as u32 + 0xFFFF));
                for c in a..=b {
                    out.insert(c, v);
                }
                i += 3;
            }
            None => break,
        }
    }
    out
}

type Matrix = [f64; 6];

fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<ObjectId>,
    size: f64,
    tc: f64,
    tw: f64,
    th: f64,
    tl: f64,
    rise: f64,
}

fn page_glyphs(
    pdf: &lopdf::Document,
    page: ObjectId,
    fonts: &mut HashMap<ObjectId, Font>,
    out: &mut Vec<Glyph>,
    images: &mut bool,
    budget: &mut Budget,
) -> Result<(), PageError> {
    let content = pdf
        .get_page_content_with_limit(page, MAX_STREAM)
        .map_err(|e| format!("页面内容无法读取（{e}）"))?;
    let (res, res_ids) = pdf
        .get_page_resources(page)
        .map_err(|e| format!("页面资源无法读取（{e}）"))?;
    // Resources may be inherited (ids) or inline (dict); collect both, inline first.
    let mut dicts: Vec<&Dictionary> = Vec::new();
    if let Some(d) = res {
        dicts.push(d);
    }
    for id in res_ids {
        if let Ok(d) = pdf.get_dictionary(id) {
            dicts.push(d);
        }
    }
    let st = GState {
        ctm: IDENTITY,
        font: None,
        size: 0.0,
        tc: 0.0,
        tw: 0.0,
        th: 1.0,
        tl: 0.0,
        rise: 0.0,
    };
    run(pdf, &content, &dicts, st, fonts, out, images, 0, budget)
}

/// Finds a named resource (`/Font /F1`) in the resource dictionaries.
fn resource<'a>(
    pdf: &'a lopdf::Document,
    dicts: &[&'a Dictionary],
    kind: &[u8],
    name: &[u8],
) -> Option<(ObjectId, &'a Object)> {
    for d in dicts {
        let Some(sub) = d
            .get(kind)
            .ok()
            .and_then(|o| deref(pdf, o))
            .and_then(|o| o.as_dict().ok())
        else {
            continue;
        };
        if let Ok(o) = sub.get(name) {
            let id = o.as_reference().unwrap_or((0, 0));
            if let Some(obj) = deref(pdf, o) {
                return Some((id, obj));
            }
        }
    }
    None
}

#[allow(clippy::too_many_arguments)]
fn run(
    pdf: &lopdf::Document,
    content: &[u8],
    dicts: &[&Dictionary],
    mut st: GState,
    fonts: &mut HashMap<ObjectId, Font>,
    out: &mut Vec<Glyph>,
    images: &mut bool,
    depth: usize,
    budget: &mut Budget,
) -> Result<(), PageError> {
    budget.decode(content.len())?;
    let ops = Content::decode(content)
        .map_err(|e| format!("页面内容流无法解析（{e}）"))?
        .operations;
    let mut stack: Vec<GState> = Vec::new();
    let mut tm = IDENTITY;
    let mut tlm = IDENTITY;
    let mut codes = Vec::new();
    for op in ops {
        budget.spend(1)?;
        let a = &op.operands;
        let f = |i: usize| a.get(i).and_then(num).unwrap_or(0.0);
        match op.operator.as_str() {
            "q" if stack.len() < 256 => {
                stack.push(st.clone());
            }
            "Q" => {
                if let Some(s) = stack.pop() {
                    st = s;
                }
            }
            "cm" => st.ctm = mul(&[f(0), f(1), f(2), f(3), f(4), f(5)], &st.ctm),
            "BT" => {
                tm = IDENTITY;
                tlm = IDENTITY;
            }
            "Tf" => {
                st.size = f(1);
                let name = a.first().and_then(|o| o.as_name().ok()).unwrap_or(b"");
                st.font = match resource(pdf, dicts, b"Font", name) {
                    Some((id, obj)) => {
                        let key = if id == (0, 0) {
                            // A font without an indirect id (an inline dict) is keyed by its
                            // place in memory, the same each time the dict is met: a counter
                            // per content stream gave two forms' inline fonts one key.
                            let addr = obj as *const Object as usize;
                            (addr as u32, (addr >> 32) as u16)
                        } else {
                            id
                        };
                        if !fonts.contains_key(&key)
                            && let Ok(d) = obj.as_dict()
                        {
                            fonts.insert(key, Font::load(pdf, d));
                        }
                        Some(key)
                    }
                    None => None,
                };
            }
            "Tc" => st.tc = f(0),
            "Tw" => st.tw = f(0),
            "Tz" => st.th = f(0) / 100.0,
            "TL" => st.tl = f(0),
            "Ts" => st.rise = f(0),
            "Td" => {
                tlm = mul(&[1.0, 0.0, 0.0, 1.0, f(0), f(1)], &tlm);
                tm = tlm;
            }
            "TD" => {
                st.tl = -f(1);
                tlm = mul(&[1.0, 0.0, 0.0, 1.0, f(0), f(1)], &tlm);
                tm = tlm;
            }
            "Tm" => {
                tlm = [f(0), f(1), f(2), f(3), f(4), f(5)];
                tm = tlm;
            }
            "T*" => {
                tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -st.tl], &tlm);
                tm = tlm;
            }
            "Tj" | "'" | "\"" | "TJ" => {
                if op.operator == "'" || op.operator == "\"" {
                    if op.operator == "\"" {
                        st.tw = f(0);
                        st.tc = f(1);
                    }
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -st.tl], &tlm);
                    tm = tlm;
                }
                let Some(font) = st.font.and_then(|k| fonts.get(&k)) else {
                    continue;
                };
                let items: Vec<&Object> = match op.operator.as_str() {
                    "TJ" => a
                        .first()
                        .and_then(|o| o.as_array().ok())
                        .map(|v| v.iter().collect())
                        .unwrap_or_default(),
                    _ => a.last().into_iter().collect(),
                };
                for item in items {
                    if let Some(adj) = num(item) {
                        let tx = -adj / 1000.0 * st.size * st.th;
                        tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                        continue;
                    }
                    let Ok(bytes) = item.as_str() else { continue };
                    // Past the page's glyph limit nothing more is kept: decode only what can
                    // be (a code is at most 4 bytes), so a 60 MB string costs nothing.
                    let room = MAX_GLYPHS_PER_PAGE
                        .saturating_sub(out.len())
                        .saturating_mul(4);
                    let bytes = &bytes[..bytes.len().min(room)];
                    budget.spend(bytes.len() as u64)?;
                    codes.clear();
                    font.decode(bytes, &mut codes);
                    for (code, n, text) in codes.drain(..) {
                        let w0 = font.width(code, n) / 1000.0;
                        let space = if n == 1 && code == 32 { st.tw } else { 0.0 };
                        let tx = (w0 * st.size + st.tc + space) * st.th;
                        let trm = mul(
                            &[st.size * st.th, 0.0, 0.0, st.size, 0.0, st.rise],
                            &mul(&tm, &st.ctm),
                        );
                        let start = (trm[4], trm[5]);
                        let scale = (trm[2] * trm[2] + trm[3] * trm[3]).sqrt();
                        tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                        // Where the next glyph starts, in user space.
                        let end = mul(&tm, &st.ctm);
                        if out.len() < MAX_GLYPHS_PER_PAGE {
                            out.push(Glyph {
                                x: start.0,
                                y: start.1,
                                w: (end[4] - start.0).abs(),
                                size: scale.abs().max(0.1),
                                text,
                            });
                        }
                    }
                }
            }
            "Do" => {
                *images = true;
                if depth >= MAX_FORM_DEPTH {
                    continue;
                }
                let name = a.first().and_then(|o| o.as_name().ok()).unwrap_or(b"");
                if let Some((_, Object::Stream(s))) = resource(pdf, dicts, b"XObject", name)
                    && s.dict.get(b"Subtype").and_then(|o| o.as_name()).ok() == Some(b"Form")
                {
                    budget.form()?;
                    let Ok(body) = s.get_plain_content_with_limit(MAX_STREAM) else {
                        continue;
                    };
                    let mut inner = st.clone();
                    if let Ok(m) = s.dict.get(b"Matrix").and_then(|o| o.as_array()) {
                        let v: Vec<f64> = m.iter().filter_map(num).collect();
                        if v.len() == 6 {
                            inner.ctm = mul(&[v[0], v[1], v[2], v[3], v[4], v[5]], &st.ctm);
                        }
                    }
                    let mut sub: Vec<&Dictionary> = Vec::new();
                    if let Some(d) = s
                        .dict
                        .get(b"Resources")
                        .ok()
                        .and_then(|o| deref(pdf, o))
                        .and_then(|o| o.as_dict().ok())
                    {
                        sub.push(d);
                    }
                    sub.extend_from_slice(dicts);
                    let mut form_images = false;
                    run(
                        pdf,
                        &body,
                        &sub,
                        inner,
                        fonts,
                        out,
                        &mut form_images,
                        depth + 1,
                        budget,
                    )?;
                }
            }
            "BI" | "EI" => *images = true,
            _ => {}
        }
    }
    Ok(())
}

fn is_cjk(c: char) -> bool {
    matches!(classify(c), Class::EastAsian | Class::Hangul)
}

/// A page's lines in reading order: on a page set in two columns, the left column before the
/// right one, between the lines that span both (a title above, a footer below).
///
/// Written here because no PDF crate in reach finds columns: a column gap is a band of the
/// page, in its middle half, that almost no text row crosses, with prose on both sides (most
/// lines on each side nearly as wide as the side: a two-column table is not two columns).
fn page_lines(glyphs: Vec<Glyph>) -> Vec<Line> {
    match columns(&glyphs) {
        Some(split) => split.order(glyphs),
        None => lines_of(glyphs),
    }
}

/// Where a page's two columns meet.
struct ColumnSplit {
    /// The gap between the columns: text crossing it spans both.
    gap: (f64, f64),
}

fn columns(glyphs: &[Glyph]) -> Option<ColumnSplit> {
    let glyphs: Vec<&Glyph> = glyphs
        .iter()
        .filter(|g| !g.text.trim().is_empty() && g.x.is_finite() && g.y.is_finite() && g.w > 0.0)
        .collect();
    if glyphs.len() < 100 {
        return None;
    }
    let mut sizes: Vec<f64> = glyphs.iter().map(|g| g.size).collect();
    sizes.sort_by(f64::total_cmp);
    let size = sizes[sizes.len() / 2].max(1.0);
    let x0 = glyphs.iter().map(|g| g.x).fold(f64::INFINITY, f64::min);
    let x1 = glyphs
        .iter()
        .map(|g| g.x + g.w)
        .fold(f64::NEG_INFINITY, f64::max);
    let width = x1 - x0;
    // All positions are finite (filtered above), so the comparisons below are plain.
    if width <= 10.0 * size {
        return None;
    }
    // Rows by baseline, top first, grouped once for both passes below.
    let mut order: Vec<&Glyph> = glyphs.clone();
    order.sort_by(|a, b| b.y.total_cmp(&a.y));
    let mut by_row: Vec<Vec<&Glyph>> = Vec::new();
    for g in order {
        match by_row.last_mut() {
            Some(r) if (r[0].y - g.y).abs() < 0.45 * size => r.push(g),
            _ => by_row.push(vec![g]),
        }
    }
    // For every quarter-em of width, how many rows put text there.
    let bin = size / 4.0;
    let nbins = ((width / bin).ceil() as usize).min(8192);
    let mut cover = vec![0u32; nbins];
    let mut last_row = vec![usize::MAX; nbins];
    for (row, gs) in by_row.iter().enumerate() {
        for g in gs {
            let a = (((g.x - x0) / bin).floor().max(0.0) as usize).min(nbins - 1);
            let b = (((g.x + g.w - x0) / bin).ceil().max(0.0) as usize).min(nbins);
            for (c, last) in cover[a..b].iter_mut().zip(&mut last_row[a..b]) {
                if *last != row {
                    *last = row;
                    *c += 1;
                }
            }
        }
    }
    let rows = by_row.len() as u32;
    // The widest band of the middle half that the fewest rows cross (the rows spanning both
    // columns), at most one row in twenty. A right column with only a few lines is crossed by
    // few rows too, but not by as few as the gap between the columns.
    let (lo, hi) = (nbins / 4, nbins * 3 / 4);
    let least = cover[lo..hi].iter().copied().min().unwrap_or(u32::MAX);
    if least > rows / 20 {
        return None;
    }
    let allowed = least + (rows / 50).max(1);
    let (mut best, mut run_start) = ((0, 0), None);
    for i in lo..=hi {
        let open = cover.get(i).is_some_and(|&c| i < hi && c <= allowed);
        match (open, run_start) {
            (true, None) => run_start = Some(i),
            (false, Some(s)) => {
                if i - s > best.1 - best.0 {
                    best = (s, i);
                }
                run_start = None;
            }
            _ => {}
        }
    }
    if ((best.1 - best.0) as f64) * bin < 0.8 * size {
        return None;
    }
    let (ga, gb) = (x0 + best.0 as f64 * bin, x0 + best.1 as f64 * bin);
    let gap = (ga, gb);
    // Per row, the extent of its text on each side of the gap; rows crossing it span both.
    fn extent<'a>(gs: impl Iterator<Item = &'a &'a Glyph>) -> Option<(f64, f64)> {
        gs.map(|g| (g.x, g.x + g.w))
            .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
    }
    let mut left = Vec::new();
    let mut right = Vec::new();
    for gs in &by_row {
        if gs.iter().any(|g| g.x + g.w > gap.0 && g.x < gap.1) {
            continue; // spans both columns
        }
        left.extend(extent(gs.iter().filter(|g| g.x + g.w <= gap.0)));
        right.extend(extent(gs.iter().filter(|g| g.x >= gap.1)));
    }
    let column_width = gap.0 - x0;
    let prose = |ws: Vec<(f64, f64)>, min_lines: usize| {
        let full = ws
            .iter()
            .filter(|(a, b)| b - a >= 0.6 * column_width)
            .count();
        ws.len() >= min_lines && full * 2 >= ws.len()
    };
    (prose(left, 4) && prose(right, 2)).then_some(ColumnSplit { gap })
}

impl ColumnSplit {
    fn order(&self, glyphs: Vec<Glyph>) -> Vec<Line> {
        let (ga, gb) = self.gap;
        // Across the middle of the gap: punctuation hanging into its edge does not span.
        let mid = (ga + gb) / 2.0;
        let crosses = |g: &Glyph| g.x < mid && g.x + g.w > mid;
        // Rows with a glyph across the gap span both columns (titles, footers).
        let spanning_y: Vec<(f64, f64)> = glyphs
            .iter()
            .filter(|g| crosses(g) && !g.text.trim().is_empty())
            .map(|g| (g.y, g.size.max(1.0)))
            .collect();
        let spans = |g: &Glyph| {
            spanning_y
                .iter()
                .any(|&(y, s)| (y - g.y).abs() < 0.45 * s.max(g.size))
        };
        let (mut span, mut left, mut right) = (Vec::new(), Vec::new(), Vec::new());
        for g in glyphs {
            if spans(&g) {
                span.push(g);
            } else if g.x + 0.5 * g.w < (ga + gb) / 2.0 {
                left.push(g);
            } else {
                right.push(g);
            }
        }
        let set_column = |lines: &mut Vec<Line>| {
            let a = lines.iter().map(|l| l.x0).fold(f64::INFINITY, f64::min);
            let mut ends: Vec<f64> = lines.iter().map(|l| l.x1).collect();
            ends.sort_by(f64::total_cmp);
            let b = ends
                .get((ends.len() * 95 / 100).min(ends.len().saturating_sub(1)))
                .copied()
                .unwrap_or(a);
            for l in lines.iter_mut() {
                l.column = Some((a, b));
            }
        };
        let span = lines_of(span);
        let (mut left, mut right) = (lines_of(left), lines_of(right));
        set_column(&mut left);
        set_column(&mut right);
        // Bands between spanning lines, top to bottom; in each, the left column, then the right.
        let mut out = Vec::with_capacity(span.len() + left.len() + right.len());
        let (mut li, mut ri) = (0, 0);
        for s in span {
            while li < left.len() && left[li].y > s.y {
                out.push(left[li].clone());
                li += 1;
            }
            while ri < right.len() && right[ri].y > s.y {
                out.push(right[ri].clone());
                ri += 1;
            }
            out.push(s);
        }
        out.extend(left.drain(li..));
        out.extend(right.drain(ri..));
        out
    }
}

/// Groups glyphs into lines by baseline, each sorted left to right, top line first.
fn lines_of(mut glyphs: Vec<Glyph>) -> Vec<Line> {
    glyphs.retain(|g| !g.text.is_empty() && g.x.is_finite() && g.y.is_finite());
    if glyphs.is_empty() {
        return Vec::new();
    }
    glyphs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut groups: Vec<Vec<Glyph>> = Vec::new();
    for g in glyphs {
        match groups.last_mut() {
            Some(cur) if (cur[0].y - g.y).abs() < 0.45 * cur[0].size.max(g.size).max(1.0) => {
                cur.push(g)
            }
            _ => groups.push(vec![g]),
        }
    }
    let mut lines = Vec::with_capacity(groups.len());
    for mut grp in groups {
        grp.sort_by(|a, b| a.x.total_cmp(&b.x));
        let size = grp.iter().map(|g| g.size).fold(0.0, f64::max);
        // The size most of the line's characters have: a Chinese line set in 10.5 pt with
        // its digits in a 12 pt Western font is a 10.5 pt line.
        let common = {
            let mut by: Vec<(f64, usize)> = Vec::new();
            for g in &grp {
                let n = g.text.chars().count();
                match by.iter_mut().find(|(s, _)| (s - g.size).abs() < 0.05) {
                    Some(e) => e.1 += n,
                    None => by.push((g.size, n)),
                }
            }
            by.into_iter()
                .max_by_key(|e| e.1)
                .map(|e| e.0)
                .unwrap_or(size)
        };
        // The baseline is that of the full-size glyphs: superscripts sit above it.
        let y = grp
            .iter()
            .filter(|g| g.size >= 0.9 * size)
            .map(|g| g.y)
            .fold(f64::INFINITY, f64::min);
        let mut text = String::new();
        let mut prev_end: Option<f64> = None;
        let mut prev_char: Option<char> = None;
        let mut wide_gap = false;
        let mut first_word = 0.0;
        let mut in_first_word = true;
        let mut x0 = f64::INFINITY;
        let mut x1 = f64::NEG_INFINITY;
        for g in &grp {
            // A small raised number is a footnote reference mark, which Word does not count.
            if g.size < 0.8 * size
                && g.y > y + 0.2 * size
                && g.text.chars().all(|c| {
                    c.is_ascii_digit() || ('\u{2460}'..='\u{2473}').contains(&c) || c == '*'
                })
            {
                continue;
            }
            // Text drawn twice at the same spot (fake bold) shows once.
            if let Some(end) = prev_end {
                let overlap = end - g.x;
                if overlap > 0.6 * g.w.max(0.1) && text.ends_with(g.text.as_str()) {
                    continue;
                }
                let gap = g.x - end;
                let first = g.text.chars().next();
                let cjk_side = prev_char.is_some_and(is_cjk) || first.is_some_and(is_cjk);
                let threshold = if cjk_side { 0.9 } else { 0.18 } * g.size.max(1.0);
                let already = prev_char.is_some_and(char::is_whitespace)
                    || first.is_some_and(char::is_whitespace);
                if gap > 2.5 * g.size.max(1.0) {
                    wide_gap = true;
                }
                if gap > threshold && !already {
                    text.push(' ');
                    in_first_word = false;
                }
            }
            if in_first_word {
                first_word += g.w;
                if g.text.chars().any(|c| is_cjk(c) || c.is_whitespace()) {
                    in_first_word = false;
                }
            }
            text.push_str(&g.text);
            prev_char = g.text.chars().last().or(prev_char);
            prev_end = Some(g.x + g.w);
            x0 = x0.min(g.x);
            x1 = x1.max(g.x + g.w);
        }
        let text = text.trim().to_string();
        if !text.is_empty() {
            lines.push(Line {
                x0,
                x1,
                y,
                size: common,
                text,
                wide_gap,
                first_word,
                column: None,
            });
        }
    }
    lines
}

/// Does a line end a sentence (。！？；：)?
fn ends_sentence(t: &str) -> bool {
    t.trim_end()
        .ends_with(['。', '！', '？', '；', '：', '!', '?', ';', ':'])
}

/// Does a line end as the last line of a paragraph may: a sentence's end, or a closing
/// bracket or quote, or an ellipsis.
fn ends_sentence_or_bracket(t: &str) -> bool {
    ends_sentence(t)
        || t.trim_end().ends_with([
            '）', ')', '”', '’', '」', '』', '】', ']', '…', '.', '》', '"',
        ])
}

/// A key under which running headers and footers of different pages compare equal: a page
/// number of any length ("1 / 57" and "12 / 57") or in roman numerals ("iv", "XII") is one
/// `#`.
fn running_key(s: &str) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() {
            if is_roman(word) {
                out.push('#');
            } else {
                out.push_str(word);
            }
            word.clear();
        }
    };
    for c in s.chars().filter(|c| !c.is_whitespace()) {
        if c.is_ascii_alphabetic() {
            word.push(c);
            continue;
        }
        flush(&mut word, &mut out);
        if c.is_ascii_digit() {
            if !out.ends_with('#') {
                out.push('#');
            }
        } else {
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// A roman numeral of at most 3999, in one case ("iv", "XII"; not "Mix").
fn is_roman(w: &str) -> bool {
    static ROMAN: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^(?:M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3}))$")
            .expect("valid pattern")
    });
    !w.is_empty()
        && (w.chars().all(|c| c.is_ascii_uppercase()) || w.chars().all(|c| c.is_ascii_lowercase()))
        && ROMAN.is_match(&w.to_ascii_uppercase())
}

#[cfg(test)]
mod running_key_tests {
    use super::running_key;

    #[test]
    fn page_numbers_of_any_length_or_in_roman_share_a_key() {
        assert_eq!(running_key("1 / 57"), running_key("12 / 57"));
        assert_eq!(running_key("第 iv 页"), running_key("第 xii 页"));
        assert_eq!(running_key("- IX -"), running_key("- 3 -"));
        assert_eq!(running_key("学会年度报告 2022"), "学会年度报告#");
        assert_ne!(running_key("Chapter 1"), running_key("Section 1"));
        assert_eq!(running_key("Mix"), "Mix");
    }
}

/// A line that is only a page number: "3", "- 3 -", "第 3 页", "3 / 20", "Page 3".
fn is_page_number(s: &str) -> bool {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() || t.chars().count() > 16 || !t.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let rest: String = t
        .chars()
        .filter(|c| !c.is_ascii_digit())
        .filter(|c| !"-—–/第页共Page of·|()（）".contains(*c))
        .collect();
    rest.is_empty() || rest.eq_ignore_ascii_case("page") || rest.eq_ignore_ascii_case("pageof")
}

/// "第工页", "第 l 页": OCR reads the digit of a `第 N 页` foot as a letter or a Han
/// character often enough that on an OCR'd page any one to three characters will do.
fn is_misread_page_number(s: &str) -> bool {
    let t: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
    (3..=5).contains(&t.len()) && t[0] == '第' && t[t.len() - 1] == '页'
}

/// Running heads and feet stand at the same height on every page: a heading that happens to
/// open two pages of a short document ("第一章 总论" atop the 目录 page and atop the first
/// chapter) is not one, as it stands lower under the 目录 title.
fn edge_key(l: &Line, ocr: bool) -> String {
    let bucket = if ocr { 12.0 } else { 2.0 };
    format!("{}@{}", running_key(&l.text), (l.y / bucket).round() as i64)
}

fn strip_running_lines(pages: &mut [PageLines], extra: &mut Vec<ExtraPara>) {
    let n = pages.len();
    let ranks: Vec<Vec<usize>> = pages.iter().map(|p| ranks_from_top(&p.lines)).collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (p, rank) in pages.iter().zip(&ranks) {
        let len = p.lines.len();
        let mut keys: Vec<String> = p
            .lines
            .iter()
            .zip(rank)
            .filter(|&(_, &r)| at_edge(r, len))
            .map(|(l, _)| edge_key(l, p.ocr))
            .collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            *seen.entry(k).or_default() += 1;
        }
    }
    let min_pages = if n >= 3 { (n / 2).max(2) } else { usize::MAX };
    for (p, rank) in pages.iter_mut().zip(&ranks) {
        let len = p.lines.len();
        let mut drop = vec![false; len];
        for (at, (l, &i)) in p.lines.iter().zip(rank).enumerate() {
            // `i` is the line's place from the top of the page, `at` its place in reading order.
            if !at_edge(i, len) {
                continue;
            }
            let repeated =
                len > 1 && seen.get(&edge_key(l, p.ocr)).copied().unwrap_or(0) >= min_pages;
            let number = (i == 0 || i + 1 == len)
                && (is_page_number(&l.text) || (p.ocr && is_misread_page_number(&l.text)))
                && len > 1;
            if repeated || number {
                drop[at] = true;
                let kind = if i < len / 2 {
                    ExtraKind::Header
                } else {
                    ExtraKind::Footer
                };
                extra.push(ExtraPara {
                    kind,
                    text: l.text.clone(),
                    counted: None,
                });
            }
        }
        let mut k = 0;
        p.lines.retain(|_| {
            k += 1;
            !drop[k - 1]
        });
    }
}

/// The most common line size: the size of body text.
fn body_size(pages: &[PageLines]) -> f64 {
    let mut count: HashMap<i64, usize> = HashMap::new();
    for l in pages.iter().flat_map(|p| p.lines.iter()) {
        *count.entry((l.size * 10.0).round() as i64).or_default() += l.text.chars().count();
    }
    count
        .into_iter()
        .max_by_key(|&(size, n)| (n, -size))
        .map(|(s, _)| s as f64 / 10.0)
        .unwrap_or(12.0)
}

/// Does a line open a footnote: "1 ", "①", "[1]", "注："?
fn footnote_marker(t: &str) -> bool {
    let mut cs = t.chars();
    match cs.next() {
        Some(c) if c.is_ascii_digit() => {
            let rest = t.trim_start_matches(|c: char| c.is_ascii_digit());
            rest.starts_with([' ', '.', '、', ')', '）'])
                || rest.starts_with(|c: char| !c.is_ascii())
        }
        Some('\u{2460}'..='\u{2473}') | Some('*') => true,
        Some('[') | Some('［') => cs.next().is_some_and(|c| c.is_ascii_digit()),
        _ => t.starts_with("注：") || t.starts_with("注:"),
    }
}

/// Footnotes: the run of small-type lines at the bottom of a page, opened by a marker.
fn strip_footnotes(pages: &mut [PageLines], body_size: f64, extra: &mut Vec<ExtraPara>) {
    for p in pages.iter_mut() {
        let n = p.lines.len();
        let mut k = n;
        while k > 1 && p.lines[k - 1].size < 0.97 * body_size {
            k -= 1;
        }
        // Move k down to the first marker line of that small run.
        while k < n && !footnote_marker(&p.lines[k].text) {
            k += 1;
        }
        // Notes are clearly smaller type, or set apart from the text above by a wide gap.
        let apart = |k: usize| {
            p.lines[k].size < 0.9 * body_size || p.lines[k - 1].y - p.lines[k].y > 3.0 * body_size
        };
        if k < n && k > 0 && apart(k) {
            for l in p.lines.drain(k..) {
                extra.push(ExtraPara {
                    kind: ExtraKind::Footnote,
                    text: l.text,
                    counted: None,
                });
            }
        }
    }
}

/// The two top and two bottom lines of a page, where running heads and feet live.
/// Ranks of a page's lines from the top of the page (0) down, whatever their reading order
/// (on a page in columns the footer is read after the left column, not last).
fn ranks_from_top(lines: &[Line]) -> Vec<usize> {
    let mut by_y: Vec<usize> = (0..lines.len()).collect();
    by_y.sort_by(|&a, &b| lines[b].y.total_cmp(&lines[a].y));
    let mut rank = vec![0; lines.len()];
    for (r, i) in by_y.into_iter().enumerate() {
        rank[i] = r;
    }
    rank
}

/// Is the line of this rank from the top one of the two nearest the top of the page or the
/// two nearest its bottom?
fn at_edge(rank: usize, len: usize) -> bool {
    rank < 2 || rank + 2 >= len
}

/// The usual distance between the baselines of two lines of body text in one paragraph: the
/// most common one between consecutive body lines closer than 1.9 em, if any line pair shows it.
fn line_pitch(pages: &[PageLines], body_size: f64) -> Option<f64> {
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for p in pages {
        for w in p.lines.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            let body = |l: &Line| (l.size - body_size).abs() < 0.15 * body_size;
            let gap = a.y - b.y;
            if body(a) && body(b) && gap > 0.5 * body_size && gap < 1.9 * body_size {
                // Half-point buckets: the same pitch may differ by rounding from line to line.
                *counts.entry((gap * 2.0).round() as i64).or_default() += 1;
            }
        }
    }
    let (&bucket, &n) = counts.iter().max_by_key(|&(k, n)| (*n, -*k))?;
    (n >= 3).then_some(bucket as f64 / 2.0)
}

/// Joins lines into paragraphs: a line continues the previous one when the previous reached
/// the right edge of the text block and this one is not indented, at the usual line pitch.
fn paragraphs(pages: &[PageLines], body_size: f64, doc: &mut Document) {
    let mut sizes: Vec<f64> = pages
        .iter()
        .flat_map(|p| p.lines.iter().map(|l| (l.size * 10.0).round() / 10.0))
        .collect();
    sizes.sort_by(f64::total_cmp);
    // The right edge of the text block: where most body lines end (wrapped lines reach it).
    let mut ends: Vec<f64> = pages
        .iter()
        .flat_map(|p| p.lines.iter())
        .filter(|l| (l.size - body_size).abs() < 0.15 * body_size)
        .map(|l| l.x1)
        .collect();
    ends.sort_by(f64::total_cmp);
    let doc_right = ends
        .get((ends.len() * 95 / 100).min(ends.len().saturating_sub(1)))
        .copied();
    let mut heading_sizes: Vec<f64> = sizes
        .iter()
        .copied()
        .filter(|&s| s > body_size * 1.15)
        .collect();
    heading_sizes.dedup();
    heading_sizes.reverse();

    let pitch = line_pitch(pages, body_size);

    let mut cur: Option<(String, ParaKind, u32, Line)> = None;
    for p in pages {
        if p.lines.is_empty() {
            continue;
        }
        let left = p.lines.iter().map(|l| l.x0).fold(f64::INFINITY, f64::min);
        let right = doc_right.unwrap_or_else(|| {
            p.lines
                .iter()
                .map(|l| l.x1)
                .fold(f64::NEG_INFINITY, f64::max)
        });
        for (i, l) in p.lines.iter().enumerate() {
            let kind = if l.size > body_size * 1.15 {
                let lvl = heading_sizes
                    .iter()
                    .position(|&s| (s - (l.size * 10.0).round() / 10.0).abs() < 0.05);
                ParaKind::Heading(lvl.map(|x| x as u8 + 1).unwrap_or(1).min(9))
            } else {
                ParaKind::Body
            };
            let joins = match &cur {
                Some((_, pkind, _, prev)) => {
                    let em = l.size.max(1.0);
                    // The previous line was wrapped if this line's first word would not have
                    // fitted in the space left at its end.
                    let prev_right = prev.column.map_or(right, |c| c.1);
                    let line_left = l.column.map_or(left, |c| c.0);
                    let prev_full = prev.x1 + l.first_word.max(0.5 * em) > prev_right - 0.3 * em;
                    let indented = l.x0 > line_left + 0.9 * em;
                    let same_size = (prev.size - l.size).abs() < 0.15 * em;
                    let body_line = (l.size - body_size).abs() < 0.15 * body_size;
                    let close = if i == 0 {
                        true // first line of a page continues the previous page's last
                    } else {
                        // Space before or after a paragraph shows as a wider gap than the
                        // document's usual line pitch: a break even after a full line. The
                        // pitch is that of body text; larger type keeps the 1.9 em rule.
                        let gap = prev.y - l.y;
                        gap < 1.9 * em && (!body_line || pitch.is_none_or(|p| gap < p + 0.25 * em))
                    };
                    let table = prev.wide_gap || l.wide_gap;
                    // A title centred over two lines: the first line wide, both centred.
                    let block = |x: &Line| x.column.unwrap_or((left, right));
                    let centred = |x: &Line| {
                        let (a, b) = block(x);
                        ((x.x0 + x.x1) / 2.0 - (a + b) / 2.0).abs() < 1.5 * em
                    };
                    let (a, b) = block(prev);
                    let wrapped_title = kind != ParaKind::Body
                        && centred(prev)
                        && centred(l)
                        && prev.x1 - prev.x0 >= 0.5 * (b - a);
                    // A short line without a sentence's end after a line that ended one
                    // starts a paragraph (a heading), full as that line may be: the last line
                    // of a paragraph ends with its last sentence.
                    let heading_after_sentence = !wrapped_title
                        && ends_sentence(&prev.text)
                        && !ends_sentence_or_bracket(&l.text)
                        && l.x1 + em < prev_right - 0.3 * em;
                    *pkind == kind
                        && (prev_full || wrapped_title)
                        && !heading_after_sentence
                        // A wrapped line is not indented; a centred title's second line is.
                        && (!indented || wrapped_title)
                        && same_size
                        && close
                        && !table
                }
                None => false,
            };
            if joins {
                if let Some((text, _, _, prev)) = cur.as_mut() {
                    let a = text.chars().last();
                    let b = l.text.chars().next();
                    if a.is_some_and(|c| c.is_ascii_alphanumeric() || c == ',' || c == '.')
                        && b.is_some_and(|c| c.is_ascii_alphanumeric())
                    {
                        text.push(' ');
                    }
                    text.push_str(&l.text);
                    *prev = l.clone();
                }
            } else {
                if let Some((text, kind, page, _)) = cur.take() {
                    doc.push(&text, kind, Some(page));
                }
                cur = Some((l.text.clone(), kind, p.no, l.clone()));
            }
        }
    }
    if let Some((text, kind, page, _)) = cur.take() {
        doc.push(&text, kind, Some(page));
    }
    // Dotted leader lines ("第一章 总论 ……… 3") are table-of-contents entries.
    for i in 0..doc.paras.len() {
        let t = doc.para_text(&doc.paras[i]);
        if is_toc_line(t) {
            doc.paras[i].kind = ParaKind::Toc;
        }
    }
}

/// "第一章 总论……………3", "1.1 背景 ........ 12"
pub(crate) fn is_toc_line(t: &str) -> bool {
    let t = t.trim_end();
    let ends_with_number = t.chars().last().is_some_and(|c| c.is_ascii_digit());
    let leaders =
        t.contains("……") || t.contains("....") || t.contains("···") || t.contains("．．．");
    ends_with_number && leaders
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misread_page_numbers_on_ocr_pages() {
        assert!(is_misread_page_number("第工页"));
        assert!(is_misread_page_number("第 l2 页"));
        assert!(!is_misread_page_number("第一章总论页"));
        assert!(!is_misread_page_number("页"));
    }

    #[test]
    fn page_numbers() {
        for s in [
            "3",
            "- 3 -",
            "第 3 页",
            "3 / 20",
            "第3页 共20页",
            "Page 3",
            "— 12 —",
        ] {
            assert!(is_page_number(s), "{s}");
        }
        for s in ["第三章", "2022年", "研究报告", "3.1 背景", ""] {
            assert!(!is_page_number(s), "{s}");
        }
    }

    #[test]
    fn toc_lines() {
        assert!(is_toc_line("第一章 总论……………………3"));
        assert!(is_toc_line("1.1 背景 .......... 12"));
        assert!(!is_toc_line("第一章 总论"));
        assert!(!is_toc_line("截至2022年底共计3"));
    }

    #[test]
    fn charset_names() {
        assert!(matches!(charset_of(b"UniGB-UCS2-H"), Some(Charset::Ucs2)));
        assert!(matches!(charset_of(b"GBK-EUC-H"), Some(Charset::Gbk)));
        assert!(matches!(charset_of(b"Identity-H"), Some(Charset::Identity)));
        assert!(charset_of(b"Bogus-H").is_none());
    }
}

/// Radicals a ToUnicode map gave for ideographs (U+2F00–U+2FD5 Kangxi, U+2E80–U+2EF3 CJK
/// radicals supplement) folded to the unified ideographs they stand for, through their
/// compatibility decomposition (⼀ → 一, ⺟ → 母), so search, overlap and Han-based checks see
/// the characters the page shows. Supplement radicals without a decomposition (⺌) stay.
fn fold_radicals(s: &str) -> String {
    let radical = |c: char| matches!(c as u32, 0x2E80..=0x2EF3 | 0x2F00..=0x2FD5);
    if !s.chars().any(radical) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if radical(c) {
            let mut d = String::new();
            unicode_normalization::char::decompose_compatible(c, |x| d.push(x));
            if d.chars().count() == 1 {
                out.push_str(&d);
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod radical_tests {
    #[test]
    fn radicals_fold_to_ideographs() {
        // U+2F00 → U+4E00, U+2F08 → U+4EBA, U+2F24 → U+5927, U+2E9F → U+6BCD; U+2E8C has no
        // decomposition and stays.
        assert_eq!(
            super::fold_radicals("\u{2F00}\u{2F08}\u{2F24}\u{2E9F}\u{2E8C}a"),
            "\u{4E00}\u{4EBA}\u{5927}\u{6BCD}\u{2E8C}a"
        );
        assert_eq!(super::fold_radicals("学会"), "学会");
    }
}
