//! Separates a report's body from what pads it: cover, table of contents (目录), references
//! (参考文献), appendices (附录/附件) and acknowledgements (致谢/后记).
//!
//! A reviewer's "3万字以上" means the body. Word counts everything, so a report can reach 3万
//! with a 5,000-字 appendix of copied policy papers; `body_counts` is what the checks use, and
//! the excluded parts are listed with their 字数 so the reviewer sees both figures.
//!
//! The rules are structural, not statistical: a section starts at a short heading-like line
//! whose text names it, and runs to the next such line or the end. The cover is what comes
//! before the table of contents or the first chapter heading, when that front part is short.

use serde::Serialize;

use crate::count::Counts;
use crate::doc::{Document, ParaKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    Cover,
    Toc,
    Body,
    References,
    Appendix,
    Acknowledgements,
}

impl SectionKind {
    pub fn label(self) -> &'static str {
        match self {
            SectionKind::Cover => "封面",
            SectionKind::Toc => "目录",
            SectionKind::Body => "正文",
            SectionKind::References => "参考文献",
            SectionKind::Appendix => "附录",
            SectionKind::Acknowledgements => "致谢",
        }
    }
}

/// What the section rules need to know of one paragraph, read from its text and style alone.
///
/// Almost every paragraph of a long report is body text that can start nothing; only the few
/// that can (headings, TOC lines, cover lines) are kept as [`Marker`]s, so classifying a 200 MB
/// text costs a scan, not a copy of every paragraph.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flags {
    /// A heading naming back matter (参考文献, 附录 …).
    back: Option<SectionKind>,
    /// A heading starting a numbered chapter (第二章, 三、, 4 …).
    chapter: bool,
    /// A heading starting the front matter or a chapter (摘要, 前言, 第一章 …).
    front: bool,
    /// The title of a table of contents (目录, 目次, Contents).
    toc_title: bool,
    /// A TOC entry: a page number after the text, or a TOC style.
    toc_line: bool,
    /// Styled as a TOC line (Word's TOC field).
    toc_styled: bool,
    /// A line typical of a cover (承担单位, 二〇二二年十二月 …).
    cover: bool,
}

/// One paragraph as the section rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scan {
    /// Nothing but white space (and not styled as a TOC line).
    Blank,
    /// Text that can start or continue no section.
    Plain,
    Marker(Flags),
}

/// Reads one paragraph; `buf` is scratch space reused between calls.
pub fn scan(kind: ParaKind, text: &str, buf: &mut String) -> Scan {
    let styled_heading = matches!(kind, ParaKind::Heading(_) | ParaKind::Title);
    let toc_styled = kind == ParaKind::Toc;
    let trimmed = text.trim_end();
    if !toc_styled {
        match trimmed.chars().next_back() {
            None => return Scan::Blank,
            // A sentence is not a heading, a TOC entry or a cover line: most paragraphs of a
            // report end here, before any copying.
            Some('。' | '；' | ';') if !styled_heading => return Scan::Plain,
            _ => {}
        }
    }
    if text.len() > MAX_MARKER_BYTES {
        // Too long to be a heading, a TOC entry or a cover line: only its style can matter.
        return if toc_styled {
            Scan::Marker(Flags {
                toc_line: true,
                toc_styled: true,
                ..Flags::default()
            })
        } else {
            Scan::Plain
        };
    }
    buf.clear();
    buf.extend(
        text.chars()
            .filter(|c| !c.is_whitespace())
            .map(crate::numerals::fold_width),
    );
    let t = buf.as_str();
    if t.is_empty() && !toc_styled {
        return Scan::Blank;
    }
    let heading = styled_heading || heading_like(t);
    let flags = Flags {
        back: if heading { back_matter(t) } else { None },
        chapter: heading && starts_chapter(t),
        front: heading && starts_front_or_chapter(t),
        toc_title: matches!(t, "目录" | "目次" | "contents" | "Contents" | "CONTENTS"),
        toc_line: toc_styled || toc_entry(t),
        toc_styled,
        cover: cover_marker(t),
    };
    if flags == Flags::default() {
        Scan::Plain
    } else {
        Scan::Marker(flags)
    }
}

/// A paragraph that may start or continue a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marker {
    /// Index of the paragraph.
    pub para: usize,
    /// Index among the paragraphs that are not [`Scan::Blank`]: TOC entries separated only by
    /// blank lines are consecutive.
    pub ordinal: usize,
    /// Byte offset where the paragraph starts, and where the next one starts, in the text the
    /// caller counts (for callers that count byte ranges rather than paragraphs).
    pub start: usize,
    pub next: usize,
    pub flags: Flags,
}

/// A position between paragraphs: a paragraph index and the byte offset where it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub para: usize,
    pub byte: usize,
}

/// A run of paragraphs of one section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub paras: std::ops::Range<usize>,
    pub bytes: std::ops::Range<usize>,
    pub kind: SectionKind,
}

impl Marker {
    fn at(&self) -> Pos {
        Pos {
            para: self.para,
            byte: self.start,
        }
    }
    fn after(&self) -> Pos {
        Pos {
            para: self.para + 1,
            byte: self.next,
        }
    }
}

/// Splits a document of `end.para` paragraphs into sections, from its markers in order.
///
/// `words_before(pos)` gives the 字数 of the paragraphs before `pos`: the cover is only the
/// front part when that part is short.
pub fn plan(markers: &[Marker], end: Pos, words_before: impl FnOnce(Pos) -> u64) -> Vec<Segment> {
    use SectionKind::*;
    let start = Pos { para: 0, byte: 0 };
    if end.para == 0 {
        return Vec::new();
    }

    // Back matter: from a heading that names it to the next one.
    let mut back = vec![(start, Body)];
    let mut current = Body;
    for m in markers {
        let next = if let Some(k) = m.flags.back {
            k
        } else if current != Body && m.flags.chapter && current != Appendix {
            // A numbered chapter after the references (rare) returns to the body; an
            // appendix keeps its own chapters.
            Body
        } else {
            continue;
        };
        if next != current {
            back.push((m.at(), next));
            current = next;
        }
    }

    // Table of contents: a "目录" line and the entries after it, plus any TOC-styled lines.
    let mut toc: Vec<(Pos, Pos)> = Vec::new();
    if let Some(s) = markers.iter().position(|m| m.flags.toc_title) {
        let mut last = s;
        while last + 1 < markers.len()
            && markers[last + 1].ordinal == markers[last].ordinal + 1
            && markers[last + 1].flags.toc_line
        {
            last += 1;
        }
        toc.push((markers[s].at(), markers[last].after()));
    }
    for m in markers.iter().filter(|m| m.flags.toc_styled) {
        toc.push((m.at(), m.after()));
    }
    toc.sort_by_key(|(a, _)| a.para);

    // Cover: the short front part before the TOC or the first chapter.
    let first_toc = toc.first().map(|(a, _)| *a);
    let first_chapter = markers.iter().find(|m| m.flags.front).map(|m| m.at());
    let mut cover = None;
    if let Some(front_end) = first_toc.or(first_chapter)
        && front_end.para > 0
    {
        let marker = markers
            .iter()
            .take_while(|m| m.para < front_end.para)
            .any(|m| m.flags.cover);
        if (first_toc.is_some() || marker) && words_before(front_end) <= 600 {
            cover = Some(front_end);
        }
    }

    // Paint: cover over TOC over back matter, between every position where one may change.
    let mut cuts: Vec<Pos> = vec![start, end];
    cuts.extend(back.iter().map(|(p, _)| *p));
    for (a, b) in &toc {
        cuts.push(*a);
        cuts.push(*b);
    }
    cuts.extend(cover);
    cuts.retain(|p| p.para <= end.para);
    cuts.sort_by_key(|p| p.para);
    cuts.dedup_by_key(|p| p.para);

    let mut out: Vec<Segment> = Vec::new();
    let (mut bi, mut ti) = (0, 0);
    let mut toc_open: Vec<usize> = Vec::new(); // ends of TOC ranges covering the cursor
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        while bi + 1 < back.len() && back[bi + 1].0.para <= a.para {
            bi += 1;
        }
        while ti < toc.len() && toc[ti].0.para <= a.para {
            toc_open.push(toc[ti].1.para);
            ti += 1;
        }
        toc_open.retain(|&e| e > a.para);
        let kind = if cover.is_some_and(|c| a.para < c.para) {
            Cover
        } else if !toc_open.is_empty() {
            Toc
        } else {
            back[bi].1
        };
        match out.last_mut() {
            Some(s) if s.kind == kind => {
                s.paras.end = b.para;
                s.bytes.end = b.byte;
            }
            _ => out.push(Segment {
                paras: a.para..b.para,
                bytes: a.byte..b.byte,
                kind,
            }),
        }
    }
    out
}

/// Drops the markers of one stretch of a document that cannot change its plan, whatever
/// comes before or after the stretch, so a text of millions of heading-like lines ("附录"
/// again and again) keeps a handful of markers, not millions.
///
/// Kept: back-matter and chapter headings that may change the current section given what
/// the stretch itself has set (the section before it being unknown); the first TOC title and
/// the TOC entries right after it; TOC entries at the very start (a TOC continued from the
/// stretch before); every TOC-styled line; the first front-matter heading; the first cover
/// line. That is all `plan` reads: the first TOC title and its run, the first front heading,
/// whether any cover line comes before the front part ends, and the transitions.
pub fn prune(markers: Vec<Marker>) -> Vec<Marker> {
    use SectionKind::*;
    #[derive(PartialEq)]
    enum State {
        Unknown,
        /// Body or Appendix: a chapter heading changes nothing.
        NotReferences,
        Known(SectionKind),
    }
    let mut state = State::Unknown;
    let (mut toc_title, mut front, mut cover) = (false, false, false);
    // The TOC run being kept, by its last ordinal; at first, the stretch's leading run (its
    // first non-blank paragraph has ordinal 0).
    let mut run_ordinal: Option<usize> = None;
    let mut leading = true;
    let mut out = Vec::new();
    for m in markers {
        let f = &m.flags;
        let mut keep = f.toc_styled;
        if let Some(k) = f.back {
            if state != State::Known(k) {
                keep = true;
            }
            state = State::Known(k);
        } else if f.chapter {
            match state {
                State::Unknown => {
                    keep = true;
                    state = State::NotReferences;
                }
                State::Known(References | Acknowledgements) => {
                    keep = true;
                    state = State::Known(Body);
                }
                _ => {}
            }
        }
        // TOC entries continuing a run: the kept title's, or the stretch's leading one.
        let expected = match run_ordinal {
            Some(o) => Some(o + 1),
            None if leading => Some(0),
            None => None,
        };
        leading = false;
        if f.toc_line && expected == Some(m.ordinal) {
            keep = true;
            run_ordinal = Some(m.ordinal);
        } else {
            run_ordinal = None;
        }
        if f.toc_title && !toc_title {
            toc_title = true;
            keep = true;
            run_ordinal = Some(m.ordinal);
        }
        if f.front && !front {
            front = true;
            keep = true;
        }
        if f.cover && !cover {
            cover = true;
            keep = true;
        }
        if keep {
            out.push(m);
        }
    }
    out
}

/// The markers of a document, in order.
pub fn markers(doc: &Document) -> Vec<Marker> {
    use rayon::prelude::*;
    let scans: Vec<Scan> = doc
        .paras
        .par_iter()
        .map_init(String::new, |buf, p| scan(p.kind, doc.counted_text(p), buf))
        .collect();
    let mut out = Vec::new();
    let mut ordinal = 0;
    for (i, s) in scans.into_iter().enumerate() {
        match s {
            Scan::Blank => continue,
            Scan::Plain => {}
            Scan::Marker(flags) => {
                let p = &doc.paras[i];
                out.push(Marker {
                    para: i,
                    ordinal,
                    start: p.start,
                    next: doc.paras.get(i + 1).map_or(doc.text.len(), |q| q.start),
                    flags,
                });
            }
        }
        ordinal += 1;
    }
    out
}

/// The sections of a document, as runs of paragraphs.
pub fn segments(doc: &Document) -> Vec<Segment> {
    let end = Pos {
        para: doc.paras.len(),
        byte: doc.text.len(),
    };
    plan(&markers(doc), end, |p| doc.count_paras(0..p.para).words)
}

/// The section of every paragraph, by index.
pub fn classify(doc: &Document) -> Vec<SectionKind> {
    let mut kinds = vec![SectionKind::Body; doc.paras.len()];
    for s in segments(doc) {
        kinds[s.paras].fill(s.kind);
    }
    kinds
}

/// Longest paragraph (in bytes) that may be a heading, a TOC entry or a cover line.
const MAX_MARKER_BYTES: usize = 160;

/// Adds up the 字数 of segments into the body and each excluded part, in document order of
/// first appearance.
pub fn tally(
    segments: &[Segment],
    mut count: impl FnMut(&Segment) -> Counts,
) -> (Counts, Vec<(SectionKind, Counts)>) {
    let mut body = Counts::default();
    let mut excluded: Vec<(SectionKind, Counts)> = Vec::new();
    for s in segments {
        let c = count(s);
        if s.kind == SectionKind::Body {
            body += c;
        } else if let Some((_, e)) = excluded.iter_mut().find(|(k, _)| *k == s.kind) {
            *e += c;
        } else {
            excluded.push((s.kind, c));
        }
    }
    (body, excluded)
}

/// 字数 of the body and of each excluded part, in document order of first appearance.
///
/// Each part is counted once, run by run of consecutive paragraphs, so the whole text is
/// walked once whatever its layout.
pub fn split_counts(doc: &Document) -> (Counts, Vec<(SectionKind, Counts)>) {
    tally(&segments(doc), |s| doc.count_paras(s.paras.clone()))
}

/// A short line without sentence-final punctuation.
fn heading_like(t: &str) -> bool {
    let len = t.chars().count();
    len > 0 && len <= 30 && !t.ends_with('。') && !t.ends_with('；') && !t.ends_with(';')
}

fn back_matter(t: &str) -> Option<SectionKind> {
    // Strip a leading number ("七、参考文献", "5 References").
    let t = t.trim_start_matches(|c: char| {
        c.is_ascii_digit()
            || crate::numerals::is_numeral_char(c)
            || "、.．:：()（）第章部分".contains(c)
    });
    // Only the English names need lower-casing; most headings are Chinese and copy nothing.
    let lower: std::borrow::Cow<str> = if t.bytes().any(|b| b.is_ascii_uppercase()) {
        t.to_lowercase().into()
    } else {
        t.into()
    };
    let lower = lower.as_ref();
    if [
        "参考文献",
        "主要参考文献",
        "参考资料",
        "参考书目",
        "references",
        "bibliography",
    ]
    .iter()
    .any(|k| {
        lower
            .strip_prefix(k)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '：']))
    }) {
        return Some(SectionKind::References);
    }
    if lower.starts_with("附录") || lower.starts_with("附件") || lower.starts_with("appendix") {
        return Some(SectionKind::Appendix);
    }
    if [
        "致谢",
        "鸣谢",
        "后记",
        "acknowledgements",
        "acknowledgments",
        "acknowledgement",
    ]
    .contains(&lower)
    {
        return Some(SectionKind::Acknowledgements);
    }
    None
}

/// "第一章", "一、", "1 引言", "1.", "摘要", "前言", "引言", "绪论".
fn starts_front_or_chapter(t: &str) -> bool {
    starts_chapter(t)
        || [
            "摘要",
            "内容摘要",
            "前言",
            "引言",
            "绪论",
            "概述",
            "导论",
            "序言",
            "执行摘要",
        ]
        .iter()
        .any(|k| t.starts_with(k))
}

fn starts_chapter(t: &str) -> bool {
    let mut cs = t.chars();
    match cs.next() {
        Some('第') => t.contains('章') || t.contains("部分") || t.contains('篇'),
        Some(c) if crate::numerals::digit(c).is_some() || c == '十' => {
            let rest: String = t
                .chars()
                .skip_while(|&c| crate::numerals::is_numeral_char(c))
                .collect();
            rest.starts_with('、')
        }
        Some(c) if c.is_ascii_digit() => {
            let rest = t.trim_start_matches(|c: char| c.is_ascii_digit());
            rest.starts_with('、')
                || rest.starts_with('.') && !rest[1..].starts_with(|c: char| c.is_ascii_digit())
                || rest.starts_with(|c: char| !c.is_ascii())
        }
        _ => false,
    }
}

/// A TOC entry: ends in a page number after leaders, a tab or spaces.
fn toc_entry(t: &str) -> bool {
    let trimmed = t.trim_end_matches(|c: char| c.is_ascii_digit() || "ivxlcIVXLC".contains(c));
    if trimmed.len() == t.len() || trimmed.is_empty() {
        return false;
    }
    // `t` is compacted (no spaces), so a heading number glued to its page number looks like
    // "第一章总论3": accept when what precedes the number is not itself a number.
    !trimmed.ends_with(|c: char| c.is_ascii_digit())
}

fn cover_marker(t: &str) -> bool {
    // Every rule below needs one of these characters: one pass rules out most lines.
    if !t
        .chars()
        .any(|c| matches!(c, '名' | '单' | '组' | '负' | '报' | '日' | '验' | '年'))
    {
        return false;
    }
    [
        "项目名称",
        "课题名称",
        "承担单位",
        "申报单位",
        "负责人",
        "课题组",
        "项目组",
        "完成单位",
        "编制单位",
        "报告人",
        "日期",
        "研究报告",
        "结题报告",
        "验收",
    ]
    .iter()
    .any(|k| t.contains(k))
        || (t.contains('年') && t.contains('月') && t.chars().count() <= 16)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Format;

    fn doc(lines: &[&str]) -> Document {
        let mut d = Document::new(Format::Txt);
        for l in lines {
            d.push(l, ParaKind::Body, None);
        }
        d
    }

    #[test]
    fn report_layout() {
        // The layout shared with tests/textcount.rs (corpora/README.md).
        let lines: Vec<&str> = include_str!("../corpora/fixtures/report-layout.txt")
            .lines()
            .collect();
        let d = doc(&lines);
        let k = classify(&d);
        use SectionKind::*;
        assert_eq!(
            k,
            vec![
                Cover,
                Cover,
                Cover,
                Toc,
                Toc,
                Toc,
                Body,
                Body,
                Body,
                Body,
                References,
                References,
                Appendix,
                Appendix,
                Acknowledgements,
                Acknowledgements
            ]
        );
        let (body, ex) = split_counts(&d);
        // Body: "第一章 总论" 5 + "正文第一段。" 6 + "第二章 案例" 5 + "正文第二段。" 6 = 22.
        assert_eq!(body.words, 22);
        assert_eq!(ex.len(), 5);
    }

    #[test]
    fn pruning_keeps_what_can_change_the_plan() {
        // 10,000 "附录" headings, then "参考文献" twice and chapters after them: the first
        // 附录, the first 参考文献, the first chapter after it and the first front heading
        // (the chapter is also one) are all that can matter.
        let mut lines = vec!["附录"; 10_000];
        lines.extend(["参考文献", "参考文献", "第一章 总论", "第二章 案例"]);
        let d = doc(&lines);
        let all = markers(&d);
        assert_eq!(all.len(), 10_004);
        let kept = prune(all.clone());
        let paras: Vec<usize> = kept.iter().map(|m| m.para).collect();
        assert_eq!(paras, [0, 10_000, 10_002]);
        let end = Pos {
            para: d.paras.len(),
            byte: d.text.len(),
        };
        let words = |p: Pos| d.count_paras(0..p.para).words;
        assert_eq!(plan(&kept, end, words), plan(&all, end, words));
    }

    #[test]
    fn plain_text_has_no_cover() {
        let d = doc(&["一段没有封面的文字。", "第二段。"]);
        assert!(classify(&d).iter().all(|k| *k == SectionKind::Body));
    }
}
