//! Separates a report's body from what pads it: cover, table of contents (目录), references
//! (参考文献), appendices (附录/附件) and acknowledgements (致谢/后记).
//!
//! A reviewer's "3万字以上" means the body. Word counts everything, so a report can reach 3万
//! with a 5,000-字 appendix of copied policy papers; `body_counts` is what the checks use, and
//! the excluded parts are listed with their 字数 so the reviewer sees both figures.
//!
//! The rules are structural, not statistical: a section starts at a short heading-like line
//! whose text names it, and runs to the next such line or the end. The table of contents is
//! found first and its entries start nothing (a 目录 that lists "附录 调查问卷……13" must not
//! turn the report into an appendix); the document's own headings after it decide. A numbered
//! chapter returns to the body after references, and after an appendix when it continues the
//! body's numbering (a short appendix between chapters). The cover is what comes before the
//! table of contents or the first front heading (摘要, 前言, 第一章 …), when that part is short.
//! When the body found is under half of the text, `body_doubt` says so: the checks then ask a
//! reviewer instead of failing a report on a figure the rules may have misread.

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
    /// A heading starting a numbered chapter (第二章, 三、, 4 …), with its numbering.
    chapter: Option<Chapter>,
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
    /// The line's text without spaces, leaders and a separated page number, hashed: a TOC
    /// entry and the heading it lists have the same key. Zero on lines that are no marker.
    key: u64,
}

/// How a chapter heading is numbered, and its number: "第三章" is (Zhang, 3). An appendix
/// heading followed by "第四章" after a body that ended at 第三章 is a short appendix in the
/// middle of the report; "一、" after it is the appendix's own outline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chapter {
    style: ChapterStyle,
    /// 0 when the numeral cannot be read.
    number: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChapterStyle {
    /// 第…章
    Zhang,
    /// 第…部分
    Bufen,
    /// 第…篇
    Pian,
    /// 一、 二、 (Chinese numeral and 、)
    Han,
    /// 1、 1. 1 引言 (Arabic numeral)
    Digit,
}

const CHAPTER_STYLES: usize = 5;

impl ChapterStyle {
    fn index(self) -> usize {
        self as usize
    }
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
    let mut flags = Flags {
        back: if heading { back_matter(t) } else { None },
        chapter: if heading { chapter_of(t) } else { None },
        front: heading && starts_front_or_chapter(t),
        toc_title: matches!(
            t,
            "目录" | "目錄" | "目次" | "contents" | "Contents" | "CONTENTS"
        ),
        toc_line: toc_styled || toc_entry(t),
        toc_styled,
        cover: cover_marker(t),
        key: 0,
    };
    if flags == Flags::default() {
        Scan::Plain
    } else {
        flags.key = heading_key(trimmed);
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
/// `words_before(pos)` gives the 字数 of the paragraphs before `pos` (asked only at the start
/// or end of a marker's paragraph): the cover is only the front part when that part is short,
/// and a TOC without page numbers is only taken as one when its lines are short.
///
/// The order matters: the table of contents is found first, and its entries start nothing, so
/// a 目录 that lists "附录 调查问卷……13" does not turn the report into an appendix; the
/// document's own headings after it decide.
pub fn plan(
    markers: &[Marker],
    end: Pos,
    mut words_before: impl FnMut(Pos) -> u64,
) -> Vec<Segment> {
    use SectionKind::*;
    let start = Pos { para: 0, byte: 0 };
    if end.para == 0 {
        return Vec::new();
    }

    let toc = toc_ranges(markers, &mut words_before);
    let in_toc = |m: &Marker| {
        m.flags.toc_styled || toc.iter().any(|(a, b)| a.para <= m.para && m.para < b.para)
    };

    // Back matter: from a heading that names it to the next one. A numbered chapter after the
    // references or acknowledgements returns to the body (references after each chapter); after
    // an appendix it does only when it continues the body's numbering (an appendix in the
    // middle of the report), not when it restarts it (the appendix's own outline).
    let mut back = vec![(start, Body)];
    let mut current = Body;
    let mut last_body = [None::<u32>; CHAPTER_STYLES];
    let mut decided = [false; CHAPTER_STYLES];
    for m in markers.iter().filter(|m| !in_toc(m)) {
        let next = if let Some(k) = m.flags.back {
            if k == Appendix {
                decided = [false; CHAPTER_STYLES];
            }
            k
        } else if let Some(ch) = m.flags.chapter {
            let s = ch.style.index();
            let next = match current {
                Body => Body,
                Appendix if decided[s] => Appendix,
                Appendix => {
                    decided[s] = true;
                    match last_body[s] {
                        Some(n) if n > 0 && ch.number == n + 1 => Body,
                        _ => Appendix,
                    }
                }
                _ => Body,
            };
            if next == Body && ch.number > 0 {
                last_body[s] = Some(ch.number);
            }
            next
        } else {
            continue;
        };
        if next != current {
            back.push((m.at(), next));
            current = next;
        }
    }

    // Cover: the short front part before the TOC or the first front heading (摘要, 前言,
    // 第一章 …), whichever comes first.
    let first_toc = toc.first().map(|(a, _)| *a);
    let first_front = markers.iter().find(|m| m.flags.front).map(|m| m.at());
    let front_end = match (first_toc, first_front) {
        (Some(a), Some(b)) => Some(if a.para <= b.para { a } else { b }),
        (a, b) => a.or(b),
    };
    let mut cover = None;
    if let Some(front_end) = front_end
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

/// How many non-blank paragraphs after a 目录 title a TOC without page numbers may span.
const MAX_TOC_SPAN: usize = 300;

/// The most 字 a TOC line has on average (entries are headings, not paragraphs).
const MAX_TOC_LINE_WORDS: u64 = 50;

/// The tables of contents, as ranges of paragraphs, in document order.
///
/// A 目录 title starts one. With page numbers, it is the run of entries right after the title
/// up to the last line that ends in a page number (unnumbered part headings inside the run
/// belong to it). Without page numbers, it runs to the first heading that repeats one of its
/// entries (the document's own first heading), provided the lines in between are as short as
/// TOC entries. Lines styled as TOC entries (Word's TOC field) are TOC wherever they are.
fn toc_ranges(markers: &[Marker], words_before: &mut impl FnMut(Pos) -> u64) -> Vec<(Pos, Pos)> {
    let mut toc: Vec<(Pos, Pos)> = Vec::new();
    if let Some(s) = markers.iter().position(|m| m.flags.toc_title) {
        let title = &markers[s];
        let mut last_numbered = None;
        let mut j = s;
        while j + 1 < markers.len()
            && markers[j + 1].ordinal == markers[j].ordinal + 1
            && markers[j + 1].ordinal <= title.ordinal + MAX_TOC_SPAN
            && markers[j + 1].flags.may_be_toc_entry()
        {
            j += 1;
            if markers[j].flags.toc_line {
                last_numbered = Some(j);
            }
        }
        let end = match last_numbered {
            Some(l) => Some(markers[l].after()),
            None => unnumbered_toc_end(markers, s, words_before),
        };
        toc.push((title.at(), end.unwrap_or(title.after())));
    }
    for m in markers.iter().filter(|m| m.flags.toc_styled) {
        toc.push((m.at(), m.after()));
    }
    toc.sort_by_key(|(a, _)| a.para);
    toc
}

/// The end of a TOC without page numbers whose title is `markers[s]`: the first heading whose
/// text one of the entries already had, when it comes within [`MAX_TOC_SPAN`] lines and the
/// lines before it are short.
fn unnumbered_toc_end(
    markers: &[Marker],
    s: usize,
    words_before: &mut impl FnMut(Pos) -> u64,
) -> Option<Pos> {
    let title = &markers[s];
    let mut seen = std::collections::HashSet::new();
    for m in &markers[s + 1..] {
        if m.ordinal > title.ordinal + MAX_TOC_SPAN {
            break;
        }
        if !m.flags.may_be_toc_entry() {
            continue;
        }
        if seen.contains(&m.flags.key) {
            let lines = (m.ordinal - title.ordinal - 1) as u64;
            let words = words_before(m.at()) - words_before(title.after());
            return (words <= lines * MAX_TOC_LINE_WORDS).then(|| m.at());
        }
        seen.insert(m.flags.key);
    }
    None
}

impl Flags {
    /// Could this line be an entry of a table of contents?
    fn may_be_toc_entry(&self) -> bool {
        self.toc_line || self.chapter.is_some() || self.front || self.back.is_some()
    }
}

/// Drops the markers of one stretch of a document that cannot change its plan, whatever
/// comes before or after the stretch, so a text of millions of heading-like lines ("附录"
/// again and again) keeps a handful of markers, not millions.
///
/// What `plan` reads, and so what is kept:
/// - TOC: every possible entry within [`MAX_TOC_SPAN`] lines after the first title, and from
///   the stretch's start when `continues` (a TOC may have begun in the stretch before); every
///   TOC-styled line.
/// - Back matter: every back-matter heading, except one right after another of the same kind.
/// - Chapters: between two back-matter headings (or a stretch's edges), the first and the last
///   chapter heading of each numbering style (the first decides after an appendix or the
///   references, the last is the body's last number).
/// - The first front-matter heading and the first cover line.
pub fn prune(markers: Vec<Marker>, continues: bool) -> Vec<Marker> {
    let n = markers.len();
    let mut keep = vec![false; n];

    // TOC: every possible entry within MAX_TOC_SPAN lines after the first title, and, when
    // the stretch may continue a TOC that began before it, from its start. `plan` reads a TOC
    // no further than that, and needs all of its lines: one left out breaks a run.
    let title = markers.iter().position(|m| m.flags.toc_title);
    let zones = [
        continues.then_some((0, MAX_TOC_SPAN)),
        title.map(|t| {
            let o = markers[t].ordinal;
            (o, o + MAX_TOC_SPAN)
        }),
    ];
    for (lo, hi) in zones.into_iter().flatten() {
        for (i, m) in markers.iter().enumerate() {
            if m.ordinal > hi {
                break;
            }
            if m.ordinal >= lo && (m.flags.may_be_toc_entry() || m.flags.toc_title) {
                keep[i] = true;
            }
        }
    }

    // Back matter and chapters.
    let mut prev_back: Option<SectionKind> = None; // the marker just before, if a back heading
    let mut first = [false; CHAPTER_STYLES];
    let mut last: [Option<usize>; CHAPTER_STYLES] = [None; CHAPTER_STYLES];
    let flush = |last: &mut [Option<usize>; CHAPTER_STYLES], keep: &mut Vec<bool>| {
        for l in last.iter_mut() {
            if let Some(i) = l.take() {
                keep[i] = true;
            }
        }
    };
    let (mut front, mut cover) = (false, false);
    for (i, m) in markers.iter().enumerate() {
        let f = &m.flags;
        let tocish = f.toc_line || f.toc_styled || f.toc_title;
        // Kept as a possible TOC line: `plan` may skip it, so it takes no chapter's first or
        // last place, and the chapters after it are judged on their own.
        let toc_kept = keep[i];
        if toc_kept {
            flush(&mut last, &mut keep);
            first = [false; CHAPTER_STYLES];
        }
        if let Some(k) = f.back {
            if prev_back != Some(k) || tocish {
                keep[i] = true;
            }
            flush(&mut last, &mut keep);
            first = [false; CHAPTER_STYLES];
        } else if let Some(ch) = f.chapter
            && !toc_kept
        {
            let s = ch.style.index();
            if !first[s] {
                first[s] = true;
                keep[i] = true;
            }
            last[s] = Some(i);
        }
        prev_back = if tocish { None } else { f.back };
        keep[i] |= f.toc_styled;
        if f.front && !front {
            front = true;
            keep[i] = true;
        }
        if f.cover && !cover {
            cover = true;
            keep[i] = true;
        }
    }
    flush(&mut last, &mut keep);
    markers
        .into_iter()
        .zip(keep)
        .filter_map(|(m, k)| k.then_some(m))
        .collect()
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

/// A body the tool itself doubts: none at all in a file with text, or less than half of the
/// whole. Real reports pad less than that; when the rules above find so little body, they have
/// more likely misread the layout than the report is mostly padding, so a reviewer is told,
/// with both figures, instead of being given a length verdict on the smaller one.
pub fn body_doubt(total_words: u64, body_words: u64) -> Option<String> {
    (total_words > 0 && body_words * 2 < total_words).then(|| {
        format!(
            "正文识别可疑：正文{}字，不足全文{}字的一半，请人工核对正文范围",
            crate::text::thousands(body_words),
            crate::text::thousands(total_words)
        )
    })
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
    // Back matter that is not the report: appendices, and what a thesis-like report adds
    // after them (攻读学位期间取得的研究成果, 作者简介).
    if [
        "附录",
        "附件",
        "appendix",
        "攻读",
        "作者简介",
        "个人简历",
        "作者简历",
    ]
    .iter()
    .any(|k| lower.starts_with(k))
    {
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
            "Abstract",
            "ABSTRACT",
        ]
        .iter()
        .any(|k| t.starts_with(k))
}

fn starts_chapter(t: &str) -> bool {
    chapter_of(t).is_some()
}

/// The numbering of a chapter heading: "第三章…", "第二部分…", "四、…", "1、…", "2.…", "3 范围".
fn chapter_of(t: &str) -> Option<Chapter> {
    use crate::numerals::{is_numeral_char, parse_chinese};
    let number = |s: &str| -> u32 {
        let n = if s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse::<u64>().ok()
        } else {
            parse_chinese(s)
        };
        n.and_then(|n| u32::try_from(n).ok()).unwrap_or(0)
    };
    let mut cs = t.chars();
    let style_of = |rest: &str| {
        if rest.starts_with('章') {
            Some(ChapterStyle::Zhang)
        } else if rest.starts_with("部分") {
            Some(ChapterStyle::Bufen)
        } else if rest.starts_with('篇') {
            Some(ChapterStyle::Pian)
        } else {
            None
        }
    };
    match cs.next() {
        Some('第') => {
            let body = &t['第'.len_utf8()..];
            let end = body
                .find(|c: char| !(c.is_ascii_digit() || is_numeral_char(c)))
                .unwrap_or(body.len());
            if let Some(style) = style_of(&body[end..]) {
                return Some(Chapter {
                    style,
                    number: number(&body[..end]),
                });
            }
            // "第…" without its unit right after the numeral: a chapter only by the old,
            // looser rule (the unit somewhere in the line), with no number to continue.
            let style = if t.contains('章') {
                ChapterStyle::Zhang
            } else if t.contains("部分") {
                ChapterStyle::Bufen
            } else if t.contains('篇') {
                ChapterStyle::Pian
            } else {
                return None;
            };
            Some(Chapter { style, number: 0 })
        }
        Some(c) if crate::numerals::digit(c).is_some() || c == '十' => {
            let end = t.find(|c: char| !is_numeral_char(c)).unwrap_or(t.len());
            t[end..].starts_with('、').then(|| Chapter {
                style: ChapterStyle::Han,
                number: number(&t[..end]),
            })
        }
        Some(c) if c.is_ascii_digit() => {
            let end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
            let rest = &t[end..];
            let ok = rest.starts_with('、')
                || rest.starts_with('.') && !rest[1..].starts_with(|c: char| c.is_ascii_digit())
                || rest.starts_with(|c: char| !c.is_ascii());
            ok.then(|| Chapter {
                style: ChapterStyle::Digit,
                number: number(&t[..end]),
            })
        }
        _ => None,
    }
}

/// Characters that lead from a TOC entry to its page number.
fn is_leader(c: char) -> bool {
    matches!(
        c,
        '.' | '．' | '…' | '‥' | '⋯' | '·' | '・' | '-' | '－' | '—' | '_' | '＿' | '。'
    ) || c.is_whitespace()
}

/// A page number: Arabic in either width, or Roman in ASCII or as the Unicode numerals (Ⅲ).
fn is_page_number_char(c: char) -> bool {
    let c = crate::text::fold_width(c);
    c.is_ascii_digit() || "ivxlcIVXLC".contains(c) || ('\u{2160}'..='\u{217F}').contains(&c)
}

/// The text of a heading or TOC entry as the two share it: without a page number that leaders
/// or spaces set apart, without leaders, spaces, and width differences. "第一章 总论……3" and
/// "第一章　总论" have the same key.
fn heading_key(raw: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let raw = raw.trim_end();
    let before_number = raw.trim_end_matches(is_page_number_char);
    let raw = if before_number.len() < raw.len() && before_number.ends_with(is_leader) {
        before_number
    } else {
        raw
    };
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for c in raw
        .trim_end_matches(is_leader)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(crate::numerals::fold_width)
    {
        c.hash(&mut h);
    }
    // Zero means "no key" in `Flags::default()`.
    h.finish().max(1)
}

/// A TOC entry: ends in a page number after leaders, a tab or spaces.
fn toc_entry(t: &str) -> bool {
    let trimmed = t.trim_end_matches(is_page_number_char);
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
        // 附录, the first 参考文献, the first and last chapter of the 章 style after it (the
        // first decides, the last is the body's last number), the first front heading (the
        // first chapter is also one). The stretch is a whole document: no TOC began before it.
        let mut lines = vec!["附录"; 10_000];
        lines.extend(["参考文献", "参考文献", "第一章 总论", "第二章 案例"]);
        let d = doc(&lines);
        let all = markers(&d);
        assert_eq!(all.len(), 10_004);
        let kept = prune(all.clone(), false);
        let paras: Vec<usize> = kept.iter().map(|m| m.para).collect();
        assert_eq!(paras, [0, 10_000, 10_002, 10_003]);
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
