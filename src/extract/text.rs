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
