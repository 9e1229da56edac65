//! OFD (GB/T 33190, the fixed-layout format of Chinese government systems): a zip whose
//! `OFD.xml` names each document's `Document.xml`, which lists the pages; each page's
//! `Content.xml` places text as `TextObject` (a boundary box, a size) holding `TextCode`
//! runs at X/Y offsets.
//!
//! Like a PDF, OFD stores lines, not paragraphs: runs are grouped into lines by baseline,
//! lines are read top to bottom and left to right, and a new paragraph starts where the gap
//! to the previous line is wider than the text's line pitch, where a line is indented past
//! the page's left edge (a first-line indent), or after a line that stops well short of the
//! right edge. Lines ending and starting in Latin letters are joined with a space.
//! Parts are read through docx's capped reader; paths inside the package are resolved
//! relative to the part that names them, and never leave it.

use std::io::Cursor;

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::doc::{Document, Format, ParaKind};

use super::ExtractError;
use super::docx::{attr, local, read_part};

/// Pages read from one document (a 100,000-page OFD is not a deliverable).
const MAX_PAGES: usize = 20_000;

pub(crate) fn extract(bytes: &[u8]) -> Result<Document, ExtractError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ExtractError::Corrupt(format!("无法打开 OFD 压缩包（{e}）")))?;
    let root = read_part(&mut zip, "OFD.xml")?
        .ok_or_else(|| ExtractError::Corrupt("不是 OFD 文件：压缩包里没有 OFD.xml".into()))?;
    let mut doc = Document::new(Format::Ofd);
    let (roots, meta) = doc_roots(&root);
    doc.meta = meta;
    if roots.is_empty() {
        return Err(ExtractError::Corrupt(
            "OFD.xml 没有指明文档（DocRoot）".into(),
        ));
    }
    let mut page_no = 0u32;
    for root in roots {
        let Some(xml) = read_part(&mut zip, &root)? else {
            return Err(ExtractError::Corrupt(format!("OFD 缺少 {root}")));
        };
        for page in page_locs(&xml).into_iter().take(MAX_PAGES) {
            page_no += 1;
            let path = resolve(&root, &page);
            let Some(content) = read_part(&mut zip, &path)? else {
                doc.warnings
                    .push(format!("第 {page_no} 页缺少内容文件 {path}"));
                continue;
            };
            let runs = text_runs(&content);
            if runs.is_empty() {
                doc.empty_pages.push(page_no);
            }
            for p in paragraphs(runs) {
                doc.push(&p, ParaKind::Body, Some(page_no));
            }
        }
    }
    Ok(doc)
}

/// A path inside the package, relative to the part `base` (or absolute from the root), with
/// `.` and `..` resolved inside the package.
fn resolve(base: &str, rel: &str) -> String {
    let rel = rel.trim().replace('\\', "/");
    let mut parts: Vec<&str> = if rel.starts_with('/') {
        Vec::new()
    } else {
        base.rsplit_once('/')
            .map(|(d, _)| d.split('/').collect())
            .unwrap_or_default()
    };
    for c in rel.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    parts.join("/")
}

/// Each DocBody's DocRoot, and the first document's DocInfo.
fn doc_roots(xml: &str) -> (Vec<String>, crate::doc::Metadata) {
    let mut roots = Vec::new();
    let mut meta = crate::doc::Metadata::default();
    super::for_each_text(xml, |name, v| match name {
        "DocRoot" => roots.push(resolve("", &v)),
        "Title" if meta.title.is_none() => meta.title = Some(v),
        "Author" if meta.author.is_none() => meta.author = Some(v),
        "CreationDate" if meta.created.is_none() => meta.created = Some(v),
        "ModDate" if meta.modified.is_none() => meta.modified = Some(v),
        "Creator" if meta.application.is_none() => meta.application = Some(v),
        _ => {}
    });
    (roots, meta)
}

/// The pages' content paths in order (`Page/@BaseLoc`).
fn page_locs(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut r = Reader::from_str(xml);
    loop {
        match r.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if local(&e) == "Page" => {
                if let Some(l) = attr(&e, "BaseLoc") {
                    out.push(l);
                }
            }
            _ => {}
        }
    }
    out
}

/// A run of text placed on the page: left x, baseline y, font size, estimated width (mm).
#[derive(Debug, Clone, PartialEq)]
struct Run {
    x: f64,
    y: f64,
    size: f64,
    width: f64,
    text: String,
}

fn nums(s: &str) -> Vec<f64> {
    s.split_whitespace()
        .filter_map(|v| v.parse().ok())
        .collect()
}

/// The advance of a TextCode: its DeltaX (with `g N d` repeats) plus one glyph, else an
/// estimate from the characters (East Asian a full em, others half).
fn width(text: &str, delta: Option<&str>, size: f64) -> f64 {
    let n = text.chars().count();
    if let Some(d) = delta {
        let toks: Vec<&str> = d.split_whitespace().collect();
        let (mut sum, mut count, mut i) = (0.0, 0usize, 0);
        while i < toks.len() && count + 1 < n {
            if toks[i] == "g" && i + 2 < toks.len() {
                let k: usize = toks[i + 1].parse().unwrap_or(0);
                let v: f64 = toks[i + 2].parse().unwrap_or(0.0);
                let k = k.min(n - 1 - count);
                sum += v * k as f64;
                count += k;
                i += 3;
            } else {
                sum += toks[i].parse().unwrap_or(0.0);
                count += 1;
                i += 1;
            }
        }
        if count + 1 == n {
            return sum + size;
        }
    }
    text.chars()
        .map(|c| {
            if (c as u32) < 0x2E80 {
                size * 0.5
            } else {
                size
            }
        })
        .sum()
}

/// Every TextCode of a page as a run in page coordinates.
fn text_runs(xml: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let mut r = Reader::from_str(xml);
    // The open TextObject: boundary origin and size.
    let mut obj: Option<(f64, f64, f64)> = None;
    let mut code: Option<(f64, f64, Option<String>)> = None;
    let mut text = String::new();
    loop {
        match r.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(Event::Start(e)) => match local(&e).as_str() {
                "TextObject" => {
                    let b = nums(&attr(&e, "Boundary").unwrap_or_default());
                    let size = attr(&e, "Size").and_then(|s| s.parse().ok()).unwrap_or(3.5);
                    obj = Some((
                        b.first().copied().unwrap_or(0.0),
                        b.get(1).copied().unwrap_or(0.0),
                        size,
                    ));
                }
                "TextCode" => {
                    let x = attr(&e, "X").and_then(|s| s.parse().ok()).unwrap_or(0.0);
                    let y = attr(&e, "Y").and_then(|s| s.parse().ok()).unwrap_or(0.0);
                    code = Some((x, y, attr(&e, "DeltaX")));
                    text.clear();
                }
                _ => {}
            },
            Ok(Event::Text(t)) if code.is_some() => text.push_str(&t.xml10_content()),
            Ok(Event::GeneralRef(g)) if code.is_some() => {
                let ch = super::xml_ref(&g);
                text.extend(ch);
            }
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                "TextCode" => {
                    if let (Some((x, y, delta)), Some((bx, by, size))) = (code.take(), obj)
                        && !text.trim().is_empty()
                    {
                        let w = width(&text, delta.as_deref(), size);
                        out.push(Run {
                            x: bx + x,
                            y: by + y,
                            size,
                            width: w,
                            text: std::mem::take(&mut text),
                        });
                    }
                }
                "TextObject" => obj = None,
                _ => {}
            },
            _ => {}
        }
    }
    out
}

/// A line: its runs joined left to right.
struct Line {
    x: f64,
    right: f64,
    y: f64,
    size: f64,
    text: String,
}

/// Lines from runs sharing a baseline, top to bottom.
fn lines(mut runs: Vec<Run>) -> Vec<Line> {
    runs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut out: Vec<(f64, Vec<Run>)> = Vec::new();
    for r in runs {
        match out.last_mut() {
            Some((y, v)) if (r.y - *y).abs() < r.size * 0.4 => v.push(r),
            _ => out.push((r.y, vec![r])),
        }
    }
    out.into_iter()
        .map(|(y, mut v)| {
            v.sort_by(|a, b| a.x.total_cmp(&b.x));
            let mut text = String::new();
            let mut end: Option<f64> = None;
            for r in &v {
                if let Some(e) = end
                    && r.x - e > r.size * 0.3
                    && !text.ends_with(' ')
                {
                    text.push(' ');
                }
                text.push_str(&r.text);
                end = Some(r.x + r.width);
            }
            Line {
                x: v[0].x,
                right: end.unwrap_or(v[0].x),
                y,
                size: v.iter().map(|r| r.size).fold(0.0, f64::max),
                text,
            }
        })
        .collect()
}

/// Paragraphs of one page from its runs (see the module doc for the rules).
fn paragraphs(runs: Vec<Run>) -> Vec<String> {
    let lines = lines(runs);
    let Some(left) = lines.iter().map(|l| l.x).reduce(f64::min) else {
        return Vec::new();
    };
    let right = lines.iter().map(|l| l.right).fold(f64::MIN, f64::max);
    let mut out: Vec<String> = Vec::new();
    let mut prev: Option<&Line> = None;
    for l in &lines {
        let new = match prev {
            None => true,
            Some(p) => {
                let gap = l.y - p.y;
                gap > 1.9 * p.size.max(l.size)
                    || l.x - left > 1.5 * l.size
                    || right - p.right > 2.0 * p.size
                    || (l.size - p.size).abs() > 0.5
            }
        };
        if new || out.is_empty() {
            out.push(l.text.trim().to_string());
        } else if let Some(last) = out.last_mut() {
            let a = last
                .chars()
                .last()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '.' || c == ',');
            let b = l
                .text
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric());
            if a && b {
                last.push(' ');
            }
            last.push_str(l.text.trim());
        }
        prev = Some(l);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_package() {
        assert_eq!(
            resolve("Doc_0/Document.xml", "Pages/Page_0/Content.xml"),
            "Doc_0/Pages/Page_0/Content.xml"
        );
        assert_eq!(
            resolve("Doc_0/Document.xml", "/Doc_0/Pages/P.xml"),
            "Doc_0/Pages/P.xml"
        );
        assert_eq!(
            resolve("Doc_0/Document.xml", "../../../etc/passwd"),
            "etc/passwd"
        );
    }

    #[test]
    fn delta_x_gives_the_width() {
        // Three glyphs: advances 5 and 5 ("g 2 5"), plus the last glyph's em.
        assert_eq!(width("一二三", Some("g 2 5"), 4.0), 14.0);
        assert_eq!(width("一二三", Some("5 6"), 4.0), 15.0);
        assert_eq!(width("ab一", None, 4.0), 8.0);
    }
}
