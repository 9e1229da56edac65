//! Photos (`.jpg`, `.png`): listed as supporting evidence, never counted as text.
//!
//! A photo of an event is evidence that it was held; its EXIF date (DateTimeOriginal, else
//! DateTime) becomes the document's creation date, which the checks compare with deadlines
//! like any file date. The document has no paragraphs; `count` reports it as `no_text`.

use std::io::Cursor;

use crate::doc::{Document, Format};

use super::ExtractError;

pub(crate) fn extract(bytes: &[u8], png: bool) -> Result<Document, ExtractError> {
    let ok = if png {
        bytes.starts_with(b"\x89PNG\r\n\x1a\n")
    } else {
        bytes.starts_with(&[0xFF, 0xD8, 0xFF])
    };
    if !ok {
        return Err(ExtractError::Corrupt(
            "不是有效的图片文件（文件头不符）".into(),
        ));
    }
    let mut doc = Document::new(Format::Image);
    doc.meta.created = exif_date(bytes);
    Ok(doc)
}

/// The EXIF date as ISO `YYYY-MM-DDTHH:MM:SS`, if the photo carries one.
fn exif_date(bytes: &[u8]) -> Option<String> {
    let exif = exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .ok()?;
    [exif::Tag::DateTimeOriginal, exif::Tag::DateTime]
        .iter()
        .find_map(|&t| {
            let f = exif.get_field(t, exif::In::PRIMARY)?;
            let exif::Value::Ascii(v) = &f.value else {
                return None;
            };
            iso(std::str::from_utf8(v.first()?).ok()?)
        })
}

/// "2022:09:15 10:30:00" → "2022-09-15T10:30:00".
fn iso(s: &str) -> Option<String> {
    let (d, t) = s.trim().split_once(' ')?;
    let p: Vec<&str> = d.split(':').collect();
    if p.len() != 3
        || p.iter()
            .any(|x| x.is_empty() || !x.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    if p[0] == "0000" {
        return None;
    }
    Some(format!("{}-{}-{}T{}", p[0], p[1], p[2], t.trim()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn exif_dates() {
        assert_eq!(
            super::iso("2022:09:15 10:30:00").as_deref(),
            Some("2022-09-15T10:30:00")
        );
        assert_eq!(super::iso("0000:00:00 00:00:00"), None);
        assert_eq!(super::iso("garbage"), None);
    }
}
