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

/// The section of every paragraph, by index.
pub fn classify(doc: &Document) -> Vec<SectionKind> {
    let n = doc.paras.len();
    // Only short paragraphs can be headings, TOC entries or cover lines; long ones are body
    // text and are not copied (a 200 MB text has millions of paragraphs).
    use rayon::prelude::*;
    let texts: Vec<String> = doc
        .paras
        .par_iter()
        .map(|p| {
            let t = doc.counted_text(p);
            if t.len() <= MAX_MARKER_BYTES {
                compact(t)
            } else {
                // Not a marker and not empty: a placeholder that matches no rule, without
                // allocating.
                String::from(LONG)
            }
        })
        .collect();
    let mut kinds = vec![SectionKind::Body; n];

    // Back matter: from a heading that names it to the next one.
    let mut current = SectionKind::Body;
    for i in 0..n {
        if heading_like(doc, i, &texts[i]) {
            if let Some(k) = back_matter(&texts[i]) {
                current = k;
            } else if current != SectionKind::Body
                && starts_chapter(&texts[i])
                && current != SectionKind::Appendix
            {
                // A numbered chapter after the references (rare) returns to the body; an
                // appendix keeps its own chapters.
                current = SectionKind::Body;
            }
        }
        kinds[i] = current;
    }

    // Table of contents: a "目录" line and the entries after it, plus any TOC-styled lines.
    let toc_start = (0..n).find(|&i| {
        matches!(
            texts[i].as_str(),
            "目录" | "目次" | "contents" | "Contents" | "CONTENTS"
        )
    });
    if let Some(s) = toc_start {
        kinds[s] = SectionKind::Toc;
        let mut i = s + 1;
        while i < n
            && (doc.paras[i].kind == ParaKind::Toc || toc_entry(&texts[i]) || texts[i].is_empty())
        {
            kinds[i] = SectionKind::Toc;
            i += 1;
        }
    }
    for (i, p) in doc.paras.iter().enumerate() {
        if p.kind == ParaKind::Toc {
            kinds[i] = SectionKind::Toc;
        }
    }

    // Cover: the short front part before the TOC or the first chapter.
    let first_toc = (0..n).find(|&i| kinds[i] == SectionKind::Toc);
    let first_chapter =
        (0..n).find(|&i| heading_like(doc, i, &texts[i]) && starts_front_or_chapter(&texts[i]));
    let front_end = match (first_toc, first_chapter) {
        (Some(t), _) => Some(t),
        (None, Some(c)) => Some(c),
        _ => None,
    };
    if let Some(end) = front_end
        && end > 0
    {
        let words = doc.count_paras(0..end).words;
        let marker = texts[..end].iter().any(|t| cover_marker(t));
        if words <= 600 && (first_toc.is_some() || marker) {
            for k in kinds.iter_mut().take(end) {
                *k = SectionKind::Cover;
            }
        }
    }
    kinds
}

/// Longest paragraph (in bytes) that may be a heading, a TOC entry or a cover line.
const MAX_MARKER_BYTES: usize = 160;
/// Stands for a paragraph too long to be a marker (a static string: `String::from` of it
/// allocates, but only `LONG.len()` bytes).
const LONG: &str = "\u{FFFC}";

/// 字数 of the body and of each excluded part, in document order of first appearance.
///
/// Each part is counted once, run by run of consecutive paragraphs, so the whole text is
/// walked once whatever its layout.
pub fn split_counts(doc: &Document) -> (Counts, Vec<(SectionKind, Counts)>) {
    let kinds = classify(doc);
    let body = doc.count_where(|i| kinds[i] == SectionKind::Body);
    let mut excluded: Vec<(SectionKind, Counts)> = Vec::new();
    for k in &kinds {
        if *k != SectionKind::Body && !excluded.iter().any(|(kk, _)| kk == k) {
            excluded.push((*k, Counts::default()));
        }
    }
    for (k, c) in excluded.iter_mut() {
        *c = doc.count_where(|i| kinds[i] == *k);
    }
    (body, excluded)
}

fn compact(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(crate::numerals::fold_width)
        .collect()
}

/// A short line without sentence-final punctuation, or a paragraph styled as a heading.
fn heading_like(doc: &Document, i: usize, t: &str) -> bool {
    if matches!(doc.paras[i].kind, ParaKind::Heading(_) | ParaKind::Title) {
        return true;
    }
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
    let lower = t.to_lowercase();
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
        lower == *k || lower.starts_with(&format!("{k}:")) || lower.starts_with(&format!("{k}："))
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
    .iter()
    .any(|k| lower == *k)
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
        let d = doc(&[
            "学会服务青年科技工作者研究报告",
            "承担单位：中国某某学会",
            "二〇二二年十二月",
            "目  录",
            "第一章 总论\t1",
            "第二章 案例\t5",
            "第一章 总论",
            "正文第一段。",
            "第二章 案例",
            "正文第二段。",
            "参考文献",
            "[1] 某某. 某书. 2020.",
            "附录",
            "附录正文。",
            "致谢",
            "感谢各位专家。",
        ]);
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
    fn plain_text_has_no_cover() {
        let d = doc(&["一段没有封面的文字。", "第二段。"]);
        assert!(classify(&d).iter().all(|k| *k == SectionKind::Body));
    }
}
