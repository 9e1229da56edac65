//! Plain text and Markdown: decoding first, then lines (or Markdown blocks) as paragraphs.
//!
//! Chinese text arrives as UTF-8 (with or without BOM), UTF-16 with BOM from Windows Notepad,
//! and GB18030/GBK or Big5 from older systems. A BOM decides; otherwise valid UTF-8 is
//! UTF-8, and anything else is guessed by chardetng (which is trained on exactly these legacy
//! CJK encodings) and decoded by encoding_rs. The extracted text is the decoded content with
//! the BOM removed and CRLF/CR turned into LF (CONTRACT), so offsets match what a user sees.

use crate::doc::{Document, Format, Para, ParaKind};

use super::ExtractError;

/// Decodes bytes to text, returning the encoding's name.
pub(crate) fn decode(bytes: Vec<u8>) -> Result<(String, &'static str), ExtractError> {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(&bytes) {
        if enc == encoding_rs::UTF_8 {
            let mut bytes = bytes;
            bytes.drain(..bom_len);
            return match String::from_utf8(bytes) {
                Ok(s) => Ok((s, "UTF-8")),
                Err(e) => Ok((
                    String::from_utf8_lossy(e.as_bytes()).into_owned(),
                    "UTF-8（含无效字节）",
                )),
            };
        }
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok((text.into_owned(), enc.name()));
    }
    if bytes.contains(&0) && !looks_like_utf16(&bytes) {
        return Err(ExtractError::Corrupt(
            "文件含有二进制内容，不是文本文件".into(),
        ));
    }
    if looks_like_utf16(&bytes) {
        let le = bytes.iter().skip(1).step_by(2).filter(|&&b| b == 0).count()
            >= bytes.iter().step_by(2).filter(|&&b| b == 0).count();
        let enc = if le {
            encoding_rs::UTF_16LE
        } else {
            encoding_rs::UTF_16BE
        };
        let (text, _) = enc.decode_without_bom_handling(&bytes);
        return Ok((text.into_owned(), enc.name()));
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok((s, "UTF-8")),
        Err(e) => {
            let bytes = e.into_bytes();
            let enc = guess_legacy(&bytes[..bytes.len().min(GUESS_BYTES)], bytes.len());
            let (text, _, _) = enc.decode(&bytes);
            Ok((text.into_owned(), enc.name()))
        }
    }
}

/// How much of a file chardetng reads: a sample is enough to tell GB18030 from Big5, and
/// keeps huge files fast.
pub(crate) const GUESS_BYTES: usize = 1 << 20;

/// The legacy encoding of text that is not UTF-8, guessed from its first [`GUESS_BYTES`]
/// (`head`) of `len` bytes in all.
pub(crate) fn guess_legacy(head: &[u8], len: usize) -> &'static encoding_rs::Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(head, len <= GUESS_BYTES);
    det.guess(None, chardetng::Utf8Detection::Allow)
}

/// UTF-16 without a BOM: many NUL bytes, all at even or all at odd positions.
pub(crate) fn looks_like_utf16(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(4096)];
    if sample.len() < 4 {
        return false;
    }
    let even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    let half = sample.len() / 2;
    (odd * 10 >= half * 3 && even * 20 < half) || (even * 10 >= half * 3 && odd * 20 < half)
}

/// CRLF and lone CR become LF. Borrows nothing new when there is no CR.
pub(crate) fn normalize_newlines(s: String) -> String {
    if !s.contains('\r') {
        return s;
    }
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\r' {
            if it.peek() == Some(&'\n') {
                it.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

pub(crate) fn extract_text(bytes: Vec<u8>) -> Result<Document, ExtractError> {
    let (text, enc) = decode(bytes)?;
    let mut doc = Document::new(Format::Txt);
    doc.text = normalize_newlines(text);
    if enc != "UTF-8" {
        doc.warnings.push(format!("文本编码：{enc}"));
    }
    let mut start = 0;
    let t = doc.text.as_bytes();
    loop {
        let end = match memchr_nl(&t[start..]) {
            Some(i) => start + i,
            None => t.len(),
        };
        doc.paras.push(Para {
            start,
            end,
            kind: ParaKind::Body,
            page: None,
            counted: None,
        });
        if end == t.len() {
            break;
        }
        start = end + 1;
    }
    // A final "\n" ends the last line; it does not open an empty one.
    if doc.paras.len() > 1 && doc.paras.last().is_some_and(|p| p.start == p.end) {
        doc.paras.pop();
    }
    Ok(doc)
}

fn memchr_nl(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}

pub(crate) fn extract_markdown(bytes: Vec<u8>) -> Result<Document, ExtractError> {
    let (text, _) = decode(bytes)?;
    let text = normalize_newlines(text);
    Ok(super::markdown::parse(text))
}

/// Opens a file the streaming paths may read as plain text: a regular file (asked before
/// opening: opening a pipe blocks until someone writes to it) whose first [`GUESS_BYTES`]
/// carry no other format's signature (a PDF, a Word file or a 7z archive named .txt). Gives
/// the file, positioned after those bytes, and the bytes; `None` sends the file the general
/// path's way.
pub(crate) fn open_plain(
    path: &std::path::Path,
) -> std::io::Result<Option<(std::fs::File, Vec<u8>)>> {
    use std::io::Read;
    if !std::fs::metadata(path)?.is_file() {
        return Ok(None);
    }
    let mut f = std::fs::File::open(path)?;
    let mut head = Vec::new();
    f.by_ref().take(GUESS_BYTES as u64).read_to_end(&mut head)?;
    if !super::looks_plain(&head) || super::archive::is_7z(&head) {
        return Ok(None);
    }
    Ok(Some((f, head)))
}

/// `f` decoded from `enc` to UTF-8 as it is read (the caller has dealt with any BOM).
pub(crate) fn decoding(
    f: std::fs::File,
    enc: &'static encoding_rs::Encoding,
) -> encoding_rs_io::DecodeReaderBytes<std::fs::File, Vec<u8>> {
    encoding_rs_io::DecodeReaderBytesBuilder::new()
        .encoding(Some(enc))
        .bom_sniffing(false)
        .build(f)
}

/// `extract` of a plain-text file without holding it: decodes as it reads and writes the text
/// to `out`, with the same decisions as [`decode`] and [`normalize_newlines`] (byte for byte the
/// general path's `doc.text`), in memory bounded by a few buffers whatever the file's size or
/// shape (a 200 MB file of one-character lines would otherwise build 100 M paragraphs).
/// Returns the warnings the general path gives, or `None` when the general path must decide
/// (no plain text by its signature, UTF-16 without a BOM, NUL bytes).
pub fn stream_plain(
    path: &std::path::Path,
    out: &mut impl std::io::Write,
) -> std::io::Result<Option<Vec<String>>> {
    use std::io::{Seek, SeekFrom};
    let Some((mut f, head)) = open_plain(path)? else {
        return Ok(None);
    };
    let len = usize::try_from(f.metadata()?.len()).unwrap_or(usize::MAX);
    let mut nl = Newlines::default();
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(&head) {
        f.seek(SeekFrom::Start(bom as u64))?;
        if enc == encoding_rs::UTF_8 {
            // Valid or not: invalid bytes become U+FFFD as `from_utf8_lossy` makes them.
            let valid = valid_utf8(&mut f)?;
            f.seek(SeekFrom::Start(bom as u64))?;
            nl.copy(decoding(f, enc), out)?;
            let label = if valid {
                "UTF-8"
            } else {
                "UTF-8（含无效字节）"
            };
            return Ok(Some(encoding_warning(label)));
        }
        nl.copy(decoding(f, enc), out)?;
        return Ok(Some(encoding_warning(enc.name())));
    }
    if looks_like_utf16(&head) {
        return Ok(None);
    }
    f.seek(SeekFrom::Start(0))?;
    if has_nul(&mut f)? {
        return Ok(None); // binary: the general path's error
    }
    f.seek(SeekFrom::Start(0))?;
    if valid_utf8(&mut f)? {
        f.seek(SeekFrom::Start(0))?;
        nl.copy(f, out)?;
        return Ok(Some(Vec::new()));
    }
    let enc = guess_legacy(&head, len);
    f.seek(SeekFrom::Start(0))?;
    nl.copy(decoding(f, enc), out)?;
    Ok(Some(encoding_warning(enc.name())))
}

fn encoding_warning(enc: &str) -> Vec<String> {
    if enc == "UTF-8" {
        Vec::new()
    } else {
        vec![format!("文本编码：{enc}")]
    }
}

const STREAM_PIECE: usize = 1 << 20;

/// Does the rest of the stream hold a NUL byte?
fn has_nul(r: &mut impl std::io::Read) -> std::io::Result<bool> {
    let mut buf = vec![0u8; STREAM_PIECE];
    loop {
        let n = r.read(&mut buf)?;
        if n == 0 {
            return Ok(false);
        }
        if memchr::memchr(0, &buf[..n]).is_some() {
            return Ok(true);
        }
    }
}

/// Is the rest of the stream valid UTF-8? (A character cut by a piece's end is carried over.)
fn valid_utf8(r: &mut impl std::io::Read) -> std::io::Result<bool> {
    let mut buf = vec![0u8; STREAM_PIECE + 4];
    let mut carry = 0;
    loop {
        let n = r.read(&mut buf[carry..carry + STREAM_PIECE])?;
        let filled = carry + n;
        match std::str::from_utf8(&buf[..filled]) {
            Ok(_) => carry = 0,
            // An incomplete character at the end: keep it for the next piece.
            Err(e) if e.error_len().is_none() && n > 0 => {
                let at = e.valid_up_to();
                buf.copy_within(at..filled, 0);
                carry = filled - at;
            }
            Err(_) => return Ok(false),
        }
        if n == 0 {
            return Ok(carry == 0);
        }
    }
}

/// CRLF and lone CR to LF across pieces: a CR at a piece's end waits for the next byte.
#[derive(Default)]
struct Newlines {
    pending_cr: bool,
}

impl Newlines {
    fn copy(
        &mut self,
        mut r: impl std::io::Read,
        out: &mut impl std::io::Write,
    ) -> std::io::Result<()> {
        let mut buf = vec![0u8; STREAM_PIECE];
        let mut piece = Vec::with_capacity(STREAM_PIECE + 1);
        loop {
            let n = r.read(&mut buf)?;
            if n == 0 {
                break;
            }
            piece.clear();
            let mut bytes = &buf[..n];
            if self.pending_cr {
                piece.push(b'\n');
                if bytes[0] == b'\n' {
                    bytes = &bytes[1..];
                }
                self.pending_cr = false;
            }
            let mut start = 0;
            while let Some(i) = memchr::memchr(b'\r', &bytes[start..]) {
                let at = start + i;
                piece.extend_from_slice(&bytes[start..at]);
                match bytes.get(at + 1) {
                    Some(b'\n') => {
                        piece.push(b'\n');
                        start = at + 2;
                    }
                    Some(_) => {
                        piece.push(b'\n');
                        start = at + 1;
                    }
                    None => {
                        self.pending_cr = true;
                        start = at + 1;
                    }
                }
            }
            piece.extend_from_slice(&bytes[start..]);
            out.write_all(&piece)?;
        }
        if self.pending_cr {
            out.write_all(b"\n")?;
            self.pending_cr = false;
        }
        Ok(())
    }
}

#[cfg(test)]
mod stream_tests {
    use super::*;

    /// Streams `bytes` from a temp file and compares with the general path's text.
    fn same_as_general(name: &str, bytes: &[u8]) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        let mut out = Vec::new();
        let warnings = stream_plain(&p, &mut out).unwrap().expect("streamed");
        let doc = extract_text(bytes.to_vec()).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), doc.text, "{name}");
        assert_eq!(warnings, doc.warnings, "{name}");
    }

    #[test]
    fn streaming_gives_the_general_paths_text() {
        same_as_general("plain.txt", "第一行\r\n第二行\r第三行\n".as_bytes());
        same_as_general("bom.txt", b"\xEF\xBB\xBF\xE4\xB8\xAD\r\n");
        same_as_general("bad-bom.txt", b"\xEF\xBB\xBFab\xFFcd\r");
        let source = "学会服务能力提升调研报告，第一章 总论。\r\n".repeat(50);
        let (gbk, _, _) = encoding_rs::GBK.encode(&source);
        same_as_general("gbk.txt", &gbk);
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "中文\r\n行".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        same_as_general("utf16.txt", &utf16);
    }

    #[test]
    fn pieces_never_cut_a_character_or_a_crlf() {
        // A CR and a 3-byte character straddle the 1 MiB piece boundary.
        let mut bytes = vec![b'a'; STREAM_PIECE - 1];
        bytes.extend_from_slice(b"\r\n");
        bytes.extend_from_slice(&vec![b'b'; STREAM_PIECE - 2]);
        bytes.extend_from_slice("中\r".as_bytes());
        same_as_general("boundary.txt", &bytes);
    }

    #[test]
    fn binary_and_utf16_without_bom_go_the_general_way() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bin.txt");
        std::fs::write(&p, b"abc\0def").unwrap();
        assert!(stream_plain(&p, &mut Vec::new()).unwrap().is_none());
        let p = dir.path().join("u16.txt");
        let b: Vec<u8> = "plain ASCII text, 2022"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        std::fs::write(&p, b).unwrap();
        assert!(stream_plain(&p, &mut Vec::new()).unwrap().is_none());
        // A 7z archive named .txt is read as the archive it is, by streaming count too.
        let p = dir.path().join("archive.txt");
        let mut b = b"7z\xBC\xAF\x27\x1C".to_vec();
        b.extend_from_slice(b"plain-looking bytes after the signature");
        std::fs::write(&p, b).unwrap();
        assert!(stream_plain(&p, &mut Vec::new()).unwrap().is_none());
        assert!(crate::textcount::count_file(&p).unwrap().is_none());
    }
}
