//! OpenDocument text `.odt` (LibreOffice, WPS's "ODF" export): a zip with `content.xml`.
//!
//! The body's `text:p` and `text:h` are paragraphs (`text:h`'s outline level, or a paragraph
//! style named Title / Heading N, decides the kind); table cells, the table of contents,
//! notes, comments and text boxes are kept apart as docx does, and the master pages' headers
//! and footers in `styles.xml` go to [`Document::extra`]. Text set in a style with
//! `text:display="none"` is hidden text, left out and reported. Deleted tracked changes
//! (`text:tracked-changes`) are skipped, so changes read as accepted. Parts are read through
//! docx's capped reader, and quick-xml never expands entities.

use std::collections::{HashMap, HashSet};
use std::io::Cursor;

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::doc::{Document, ExtraKind, ExtraPara, Format, ParaKind};

use super::ExtractError;
use super::docx::{attr, local, read_part};

pub(crate) fn extract(bytes: &[u8]) -> Result<Document, ExtractError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ExtractError::Corrupt(format!("无法打开 .odt 压缩包（{e}）")))?;
    let content = read_part(&mut zip, "content.xml")?.ok_or_else(|| {
        ExtractError::Corrupt("不是 OpenDocument 文本：压缩包里没有 content.xml".into())
    })?;
    let styles = read_part(&mut zip, "styles.xml")?.unwrap_or_default();
    let mut st = Styles::default();
    st.read(&styles);
    st.read(&content);
    let mut w = Walker {
        styles: &st,
        main: Vec::new(),
        extra: Vec::new(),
        hidden_chars: 0,
    };
    w.walk(&content, false);
    w.walk(&styles, true);
    let mut doc = Document::new(Format::Odt);
    for (t, k) in w.main {
        let (t, counted) = crate::doc::split_breaks(t, None);
        doc.push(&t, k, None);
        if let (Some(c), Some(last)) = (counted, doc.paras.last_mut()) {
            last.counted = Some(c.into_boxed_str());
        }
    }
    doc.extra = w.extra;
    if w.hidden_chars > 0 {
        doc.warnings.push(format!(
            "文档含 {} 个字符的隐藏文字（Word 不显示也不计入字数），未计入",
            w.hidden_chars
        ));
    }
    Ok(doc)
}

/// Style names: each style's parent, and the text styles that hide their text.
#[derive(Default)]
struct Styles {
    parent: HashMap<String, String>,
    hidden: HashSet<String>,
}

impl Styles {
    fn read(&mut self, xml: &str) {
        let mut r = Reader::from_str(xml);
        let mut cur: Option<String> = None;
        loop {
            match r.read_event() {
                Ok(Event::Eof) | Err(_) => break,
                Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match local(&e).as_str() {
                    "style" => {
                        cur = attr(&e, "name");
                        if let (Some(n), Some(p)) = (&cur, attr(&e, "parent-style-name")) {
                            self.parent.insert(n.clone(), p);
                        }
                    }
                    "text-properties" if attr(&e, "display").as_deref() == Some("none") => {
                        if let Some(n) = &cur {
                            self.hidden.insert(n.clone());
                        }
                    }
                    _ => {}
                },
                _ => {}
            }
        }
    }

    /// The style and its ancestors, nearest first.
    fn chain<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        let mut cur = Some(name);
        let mut n = 0;
        std::iter::from_fn(move || {
            let c = cur?;
            n += 1;
            cur = if n < 8 {
                self.parent.get(c).map(String::as_str)
            } else {
                None
            };
            Some(c)
        })
    }

    fn kind(&self, name: &str) -> Option<ParaKind> {
        for s in self.chain(name) {
            let l = s.replace("_20_", " ").to_lowercase();
            if l == "title" {
                return Some(ParaKind::Title);
            }
            if let Some(h) = super::docx::heading_level(&l) {
                return Some(ParaKind::Heading(h));
            }
            if l.starts_with("contents ") || l == "contents heading" {
                return Some(ParaKind::Toc);
            }
        }
        None
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Main,
    Extra(ExtraKind),
}

struct Para {
    text: String,
    kind: ParaKind,
    target: Target,
}

struct Walker<'s> {
    styles: &'s Styles,
    main: Vec<(String, ParaKind)>,
    extra: Vec<ExtraPara>,
    hidden_chars: usize,
}

impl Walker<'_> {
    /// Walks content.xml (`master` false: the body) or styles.xml (`master`: headers and
    /// footers of the master pages only).
    fn walk(&mut self, xml: &str, master: bool) {
        let mut r = Reader::from_str(xml);
        let mut targets: Vec<Target> = Vec::new();
        let mut paras: Vec<Para> = Vec::new();
        // Depths of elements whose content is skipped, hidden, a table, a TOC.
        let (mut skip, mut hidden, mut table, mut toc) = (0usize, 0usize, 0usize, 0usize);
        // Each open span: was it hidden?
        let mut spans: Vec<bool> = Vec::new();
        let mut in_body = false;
        loop {
            let ev = match r.read_event() {
                Ok(Event::Eof) | Err(_) => break,
                Ok(ev) => ev,
            };
            match ev {
                Event::Start(e) => {
                    let name = local(&e);
                    if skip > 0 {
                        skip += 1;
                        continue;
                    }
                    match name.as_str() {
                        "text" | "body" if !master => in_body = true,
                        "header" | "header-left" | "header-first" if master => {
                            targets.push(Target::Extra(ExtraKind::Header));
                        }
                        "footer" | "footer-left" | "footer-first" if master => {
                            targets.push(Target::Extra(ExtraKind::Footer));
                        }
                        "note-citation" | "tracked-changes" | "sequence-decls" | "forms" => {
                            skip = 1
                        }
                        // An annotation's author and date; a drawing's title and description.
                        "creator" | "date" | "title" | "desc"
                            if !e.name().as_ref().starts_with("text:") =>
                        {
                            skip = 1
                        }
                        "note" => {
                            let k = if attr(&e, "note-class").as_deref() == Some("endnote") {
                                ExtraKind::Endnote
                            } else {
                                ExtraKind::Footnote
                            };
                            targets.push(Target::Extra(k));
                        }
                        "annotation" => targets.push(Target::Extra(ExtraKind::Comment)),
                        // Text boxes, and drawn shapes holding text (what a docx text box
                        // becomes in LibreOffice).
                        n if is_shape(n) => targets.push(Target::Extra(ExtraKind::TextBox)),
                        "table" => table += 1,
                        "table-of-content" => toc += 1,
                        "span" => {
                            let h = attr(&e, "style-name")
                                .is_some_and(|s| self.styles.hidden.contains(&s));
                            hidden += h as usize;
                            spans.push(h);
                        }
                        "p" | "h" => {
                            let style = attr(&e, "style-name").unwrap_or_default();
                            let kind = if toc > 0 {
                                ParaKind::Toc
                            } else if name == "h" {
                                let l = attr(&e, "outline-level")
                                    .and_then(|l| l.parse::<u8>().ok())
                                    .unwrap_or(1);
                                ParaKind::Heading(l.clamp(1, 9))
                            } else if let Some(k) = self.styles.kind(&style) {
                                k
                            } else if table > 0 {
                                ParaKind::TableCell
                            } else {
                                ParaKind::Body
                            };
                            let target = targets.last().copied().unwrap_or(Target::Main);
                            paras.push(Para {
                                text: String::new(),
                                kind,
                                target,
                            });
                        }
                        _ => {}
                    }
                }
                Event::Empty(e) => {
                    if skip > 0 || hidden > 0 {
                        continue;
                    }
                    let Some(p) = paras.last_mut() else { continue };
                    match local(&e).as_str() {
                        "s" => {
                            let n = attr(&e, "c").and_then(|c| c.parse().ok()).unwrap_or(1usize);
                            p.text.extend(std::iter::repeat_n(' ', n.min(1000)));
                        }
                        "tab" => p.text.push('\t'),
                        "line-break" => p.text.push(crate::doc::BREAK_MARK),
                        _ => {}
                    }
                }
                Event::End(e) => {
                    if skip > 0 {
                        skip -= 1;
                        continue;
                    }
                    match e.local_name().as_ref() {
                        "header" | "header-left" | "header-first" | "footer" | "footer-left"
                        | "footer-first"
                            if master =>
                        {
                            targets.pop();
                        }
                        "note" | "annotation" => {
                            targets.pop();
                        }
                        n if is_shape(n) => {
                            targets.pop();
                        }
                        "table" => table = table.saturating_sub(1),
                        "table-of-content" => toc = toc.saturating_sub(1),
                        // Every span end pops its flag; a hidden one also ends hiding.
                        "span" if spans.pop() == Some(true) => {
                            hidden = hidden.saturating_sub(1);
                        }
                        "p" | "h" => {
                            if let Some(p) = paras.pop() {
                                self.finish(p, master, in_body);
                            }
                        }
                        _ => {}
                    }
                }
                Event::Text(t) if skip == 0 => {
                    let s = t.xml10_content();
                    self.text(&mut paras, &s, hidden > 0);
                }
                Event::GeneralRef(g) if skip == 0 => {
                    let ch = super::xml_ref(&g);
                    if let Some(c) = ch {
                        self.text(&mut paras, c.encode_utf8(&mut [0; 4]), hidden > 0);
                    }
                }
                _ => {}
            }
        }
    }

    fn text(&mut self, paras: &mut [Para], s: &str, hidden: bool) {
        let Some(p) = paras.last_mut() else { return };
        if hidden {
            self.hidden_chars += s.chars().filter(|c| !c.is_whitespace()).count();
        } else {
            p.text.push_str(s);
        }
    }

    fn finish(&mut self, p: Para, master: bool, in_body: bool) {
        match p.target {
            Target::Extra(kind) => {
                if !p.text.trim().is_empty() {
                    let (text, counted) = crate::doc::split_breaks(p.text, None);
                    self.extra.push(ExtraPara {
                        kind,
                        text,
                        counted,
                    });
                }
            }
            Target::Main if !master && in_body => self.main.push((p.text, p.kind)),
            Target::Main => {}
        }
    }
}

fn is_shape(name: &str) -> bool {
    matches!(
        name,
        "text-box" | "custom-shape" | "rect" | "ellipse" | "polygon" | "path" | "caption"
    )
}
