//! Turns a submitted file into a [`Document`].
//!
//! One reader per format (`docx`, `pdf`, `text`), chosen by the file's content first and its
//! extension second: a `.docx` that is really a legacy `.doc`, or a PDF renamed `.txt`, gets
//! the reader (or the error) its bytes call for. Every reader works in bounded memory: inputs
//! and decompressed parts are read through [`read_limited`], XML entities are never expanded,
//! and any failure becomes an [`ExtractError`] naming what the user can do about it.

pub mod archive;
mod doc;
mod docx;
mod image;
mod markdown;
pub mod ocr;
mod odt;
mod ofd;
mod pdf;
mod pdf_cmap;
pub(crate) mod sheet;
mod text;

use std::io::Read;
use std::path::Path;

use crate::doc::{Document, Format};

/// Largest file read into memory whole (docx, PDF, and text the stream cannot take): keeps a
/// hostile or absurd file well under 1 GiB of memory. Text files stream (`textcount`) and have
/// no such limit.
pub const MAX_FILE_BYTES: u64 = 256 << 20;

pub use text::stream_plain;
pub(crate) use text::{decoding, guess_legacy, looks_like_utf16, open_plain};
/// Largest decompressed part of a docx (document.xml and friends).
/// A 1,000-page report's document.xml is about 50 MiB; past this it is a bomb.
pub const MAX_PART_BYTES: u64 = 128 << 20;

/// Why a file could not be read. Messages are for the reviewer, in Chinese, with the fix.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum ExtractError {
    #[error("无法读取文件：{0}")]
    Io(String),
    #[error("Word 6.0/95 格式的旧文档无法读取：请用 Word 或 WPS 打开后“另存为” .docx 再提交")]
    OldWord,
    #[error("Office 文档已加密（设有打开密码）：请去掉密码后另存再提交")]
    EncryptedOffice,
    #[error("RTF 文档无法直接读取：请用 Word 或 WPS 打开后“另存为” .docx 再提交")]
    Rtf,
    #[error("不支持的文件类型“{0}”：请提交 .docx、.doc、.pdf、.xlsx、.txt 等文件")]
    Unsupported(String),
    #[error("压缩包中的压缩包未展开：请解压后提交")]
    NestedArchive,
    #[error("PDF 已加密（设有打开密码）：请提交未加密的版本")]
    Encrypted,
    #[error("文件已损坏或格式不符：{0}")]
    Corrupt(String),
    #[error("文件过大：{0}")]
    TooLarge(String),
    /// The file asks for more work than any real document needs (a form that draws itself a
    /// million times, a page of a million operators): stopped, so one file cannot hang a run.
    #[error("处理超时/超出限制：{0}")]
    TooComplex(String),
}

impl ExtractError {
    /// A reader that panicked on a file: caught, reported as this file's error.
    pub fn internal() -> ExtractError {
        ExtractError::Corrupt("读取时发生内部错误（已记录，其余文件照常处理）".into())
    }
}

impl From<std::io::Error> for ExtractError {
    fn from(e: std::io::Error) -> Self {
        ExtractError::Io(e.to_string())
    }
}

/// Reads at most `limit` bytes; more is an error, never a silent truncation.
pub(crate) fn read_limited(r: impl Read, limit: u64, what: &str) -> Result<Vec<u8>, ExtractError> {
    let mut buf = Vec::new();
    r.take(limit + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > limit {
        return Err(ExtractError::TooLarge(format!(
            "{what} 超过 {} MiB 的上限（可能是压缩炸弹）",
            limit >> 20
        )));
    }
    Ok(buf)
}

/// What a file's first bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sniffed {
    Zip,
    Pdf,
    Ole,
    Rtf,
    Other,
}

fn sniff(head: &[u8]) -> Sniffed {
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        Sniffed::Zip
    } else if is_pdf(head) {
        Sniffed::Pdf
    } else if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Sniffed::Ole
    } else if head.starts_with(b"{\\rtf") {
        Sniffed::Rtf
    } else {
        Sniffed::Other
    }
}

/// Does this OLE file hold a workbook (`Workbook`, or `Book` for Excel 5/95)?
fn ole_workbook(bytes: &[u8]) -> bool {
    cfb::CompoundFile::open(std::io::Cursor::new(bytes))
        .is_ok_and(|c| c.is_stream("Workbook") || c.is_stream("Book"))
}

/// What a zip package holds, by its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ZipKind {
    Docx,
    Sheet,
    Odt,
    Ofd,
    Other,
}

fn zip_kind(bytes: &[u8]) -> ZipKind {
    let Ok(mut z) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return ZipKind::Other;
    };
    if z.index_for_name("word/document.xml").is_some() {
        return ZipKind::Docx;
    }
    if z.index_for_name("xl/workbook.xml").is_some() {
        return ZipKind::Sheet;
    }
    if z.index_for_name("OFD.xml").is_some() {
        return ZipKind::Ofd;
    }
    // OpenDocument's first member, `mimetype`, names the kind (a few dozen bytes).
    let mut mime = String::new();
    if let Ok(f) = z.by_name("mimetype") {
        let _ = f.take(100).read_to_string(&mut mime);
    }
    match mime.trim() {
        "application/vnd.oasis.opendocument.text" => ZipKind::Odt,
        "application/vnd.oasis.opendocument.spreadsheet" => ZipKind::Sheet,
        _ => ZipKind::Other,
    }
}

/// A PDF starts with `%PDF-` and a version digit; readers accept junk before it within the
/// first KiB, but only binary junk (or a text header such as a saved HTTP response, when the
/// file also ends like a PDF): a text file that merely mentions `%PDF-1.7` is text.
fn is_pdf(b: &[u8]) -> bool {
    let head = &b[..b.len().min(1024)];
    let Some(i) = head.windows(5).position(|w| w == b"%PDF-") else {
        return false;
    };
    if !head.get(i + 5).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    if i == 0 {
        return true;
    }
    let prefix = &head[..i];
    let tail = &b[b.len().saturating_sub(2048)..];
    prefix.contains(&0)
        || std::str::from_utf8(prefix).is_err()
        || (matches!(prefix.last(), Some(b'\n' | b'\r')) && tail.windows(5).any(|w| w == b"%%EOF"))
}

/// Extracts a file from disk.
pub fn extract_path(path: &Path) -> Result<Document, ExtractError> {
    let bytes = read_file(path)?;
    extract_bytes(bytes, &extension(path))
}

/// The lower-case extension without the dot, or "".
pub fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Reads a file for extraction, refusing folders and files over the size limit.
pub fn read_file(path: &Path) -> Result<Vec<u8>, ExtractError> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ExtractError::Io("文件不存在".into()),
        _ => ExtractError::Io(e.to_string()),
    })?;
    if meta.is_dir() {
        return Err(ExtractError::Io("这是一个文件夹，不是文件".into()));
    }
    if !meta.is_file() {
        // A device or a pipe has no size and may never end (/dev/zero) or never start.
        return Err(ExtractError::Io(
            "不是普通文件（设备、管道或套接字），无法读取".into(),
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ExtractError::TooLarge(format!(
            "{} MiB，超过 {} MiB 的上限",
            meta.len() >> 20,
            MAX_FILE_BYTES >> 20
        )));
    }
    Ok(std::fs::read(path)?)
}

/// Does this extension name plain text?
pub fn is_text_extension(ext: &str) -> bool {
    matches!(ext, "txt" | "text" | "csv")
}

/// Do a file's first bytes carry no other format's signature? (A `.txt` that is really a PDF
/// or a Word file is read as what it is.)
pub fn looks_plain(head: &[u8]) -> bool {
    sniff(head) == Sniffed::Other
}

/// Extracts a file already in memory; `ext` is its lower-case extension without the dot.
pub fn extract_bytes(bytes: Vec<u8>, ext: &str) -> Result<Document, ExtractError> {
    match (sniff(&bytes), ext) {
        (Sniffed::Pdf, _) => pdf::extract(&bytes),
        // An OLE file is a Word 97–2003 or WPS document, or an encrypted docx (which Word
        // also wraps in OLE, and the reader refuses with the fix).
        // A workbook (Excel's BIFF, WPS 表格) is told by its stream, whatever its name says.
        (Sniffed::Ole, _) if ole_workbook(&bytes) => {
            sheet::extract(&bytes, if ext == "et" { "et" } else { "xls" })
        }
        (Sniffed::Ole, "wps") => doc::extract(&bytes, Format::Wps),
        (Sniffed::Ole, _) => doc::extract(&bytes, Format::Doc),
        (Sniffed::Rtf, _) => Err(ExtractError::Rtf),
        (Sniffed::Zip, "zip") => archive::extract(&bytes),
        // A package says what it is by its parts, whatever its name says.
        (Sniffed::Zip, _) => match (zip_kind(&bytes), ext) {
            (ZipKind::Docx, _) => docx::extract(&bytes),
            (ZipKind::Sheet, "xlsx" | "xlsm" | "et" | "ods" | "xls") => sheet::extract(&bytes, ext),
            (ZipKind::Sheet, _) => sheet::extract(&bytes, "xlsx"),
            (ZipKind::Odt, _) => odt::extract(&bytes),
            (ZipKind::Ofd, _) => ofd::extract(&bytes),
            (ZipKind::Other, "docx" | "docm" | "dotx" | "wps") => docx::extract(&bytes),
            (ZipKind::Other, "xlsx" | "xlsm" | "et" | "ods") => sheet::extract(&bytes, ext),
            (ZipKind::Other, "odt") => odt::extract(&bytes),
            (ZipKind::Other, "") => archive::extract(&bytes),
            (ZipKind::Other, other) => Err(ExtractError::Unsupported(other.to_string())),
        },
        (Sniffed::Other, _) if archive::is_7z(&bytes) => archive::extract(&bytes),
        (Sniffed::Other, "jpg" | "jpeg") => image::extract(&bytes, false),
        (Sniffed::Other, "png") => image::extract(&bytes, true),
        (Sniffed::Other, e) if is_text_extension(e) => text::extract_text(bytes),
        (Sniffed::Other, "md" | "markdown") => text::extract_markdown(bytes),
        (Sniffed::Other, "docx") => Err(ExtractError::Corrupt(
            "不是有效的 .docx（ZIP）文件，可能已损坏或只是改了扩展名".into(),
        )),
        (Sniffed::Other, "pdf") => Err(ExtractError::Corrupt(
            "不是有效的 PDF 文件（缺少 %PDF 文件头）".into(),
        )),
        (Sniffed::Other, "doc" | "wps") => Err(ExtractError::Corrupt(
            "不是有效的 Word 97–2003 / WPS 文档（缺少 OLE 文件头），可能已损坏或只是改了扩展名"
                .into(),
        )),
        (Sniffed::Other, "rtf") => Err(ExtractError::Rtf),
        (Sniffed::Other, other) => Err(ExtractError::Unsupported(if other.is_empty() {
            "无扩展名".into()
        } else {
            format!(".{other}")
        })),
    }
}

/// Is this a file extension yanshou tries to read (or names a fix for)?
pub fn is_candidate(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    matches!(
        ext.as_str(),
        "docx"
            | "docm"
            | "pdf"
            | "txt"
            | "md"
            | "markdown"
            | "doc"
            | "wps"
            | "rtf"
            | "xlsx"
            | "xlsm"
            | "xls"
            | "et"
            | "ods"
            | "zip"
            | "7z"
            | "odt"
            | "ofd"
            | "jpg"
            | "jpeg"
            | "png"
    )
}

/// The character an XML reference stands for: a character reference, or one of the five
/// predefined entities. Entities declared in a DTD are never expanded.
pub(crate) fn xml_ref(g: &quick_xml::events::BytesRef) -> Option<char> {
    if g.is_char_ref() {
        g.resolve_char_ref().ok().flatten()
    } else {
        match g.as_ref() {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => None,
        }
    }
}

/// Calls `f` with the local name of the enclosing element and the trimmed text, for every
/// non-empty text in `xml` (metadata parts: `<dc:title>…</dc:title>`).
pub(crate) fn for_each_text(xml: &str, mut f: impl FnMut(&str, String)) {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_str(xml);
    let mut cur = String::new();
    loop {
        match r.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(Event::Start(e)) => cur = docx::local(&e),
            Ok(Event::End(_)) => cur.clear(),
            Ok(Event::Text(t)) => {
                let v = t.xml10_content().trim().to_string();
                if !v.is_empty() {
                    f(&cur, v);
                }
            }
            _ => {}
        }
    }
}
