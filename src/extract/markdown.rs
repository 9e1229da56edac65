//! Markdown: the raw text is the extracted text (offsets point into what the author wrote);
//! each block (heading, paragraph, list item, table cell, code line) is a paragraph whose
//! *counted* text is what a reader sees, markup removed, as if pasted into Word.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::doc::{Document, Format, Para, ParaKind};

pub(crate) fn parse(text: String) -> Document {
    let mut doc = Document::new(Format::Md);
    let mut paras = Vec::new();
    {
        let opts = Options::ENABLE_TABLES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
        let mut cur: Option<(usize, usize, ParaKind, String)> = None;
        let mut kind_stack: Vec<ParaKind> = Vec::new();
        let mut skip = 0usize; // inside metadata or an image's alt text
        for (ev, range) in Parser::new_ext(&text, opts).into_offset_iter() {
            match ev {
                Event::Start(tag) => {
                    let kind = match &tag {
                        Tag::Heading { level, .. } => Some(ParaKind::Heading(heading(*level))),
                        Tag::Paragraph => Some(*kind_stack.last().unwrap_or(&ParaKind::Body)),
                        Tag::Item => {
                            kind_stack.push(ParaKind::ListItem);
                            Some(ParaKind::ListItem)
                        }
                        Tag::TableCell => Some(ParaKind::TableCell),
                        Tag::CodeBlock(_) => Some(ParaKind::Body),
                        Tag::MetadataBlock(_) | Tag::Image { .. } => {
                            skip += 1;
                            None
                        }
                        _ => None,
                    };
                    if let Some(kind) = kind {
                        flush(&mut cur, &mut paras);
                        cur = Some((range.start, range.end, kind, String::new()));
                    }
                }
                Event::End(end) => match end {
                    TagEnd::Item => {
                        kind_stack.pop();
                        flush(&mut cur, &mut paras);
                    }
                    TagEnd::MetadataBlock(_) | TagEnd::Image => skip = skip.saturating_sub(1),
                    TagEnd::Heading(_)
                    | TagEnd::Paragraph
                    | TagEnd::TableCell
                    | TagEnd::CodeBlock => flush(&mut cur, &mut paras),
                    _ => {}
                },
                Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t)
                    if skip == 0 =>
                {
                    let c = cur.get_or_insert_with(|| {
                        (range.start, range.end, ParaKind::Body, String::new())
                    });
                    c.1 = c.1.max(range.end);
                    c.3.push_str(&t);
                }
                Event::SoftBreak | Event::HardBreak => {
                    if let Some(c) = cur.as_mut() {
                        // Lines of one paragraph join with no space between CJK characters,
                        // as a renderer would show them.
                        if c.3.chars().last().is_some_and(|ch| ch.is_ascii()) {
                            c.3.push(' ');
                        }
                    }
                }
                _ => {}
            }
        }
        flush(&mut cur, &mut paras);
    }
    // Spans must not run past a newline inside the source for one-line paragraphs; multi-line
    // blocks keep their whole source span, trimmed of trailing newlines.
    for (start, mut end, kind, counted) in paras {
        while end > start && text.as_bytes()[end - 1] == b'\n' {
            end -= 1;
        }
        doc.paras.push(Para {
            start,
            end,
            kind,
            page: None,
            counted: Some(counted.into_boxed_str()),
        });
    }
    doc.text = text;
    doc
}

type Pending = (usize, usize, ParaKind, String);

fn flush(cur: &mut Option<Pending>, out: &mut Vec<Pending>) {
    if let Some(c) = cur.take()
        && !c.3.trim().is_empty()
    {
        // A code block's lines are paragraphs of their own, as pasted into Word.
        if c.3.contains('\n') {
            for line in c.3.split('\n').filter(|l| !l.trim().is_empty()) {
                out.push((c.0, c.1, c.2, line.to_string()));
            }
        } else {
            out.push(c);
        }
    }
}

fn heading(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}
