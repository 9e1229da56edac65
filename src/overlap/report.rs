//! `yanshou.overlap.v1`: the overlap report of a set of documents, and its HTML form.

use crate::text::esc_html;
use serde::{Deserialize, Serialize};

use super::{
    Fingerprints, PairResult, Text, candidate_pairs, figures, min_core, pair_chars, refine,
};

pub const OVERLAP_SCHEMA: &str = "yanshou.overlap.v1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverlapReport {
    pub schema: String,
    /// The shortest passage reported, in normalized characters.
    pub min_chars: u32,
    pub documents: Vec<DocRow>,
    /// Pairs whose bodies share passages: what the figures are made of.
    pub pairs: Vec<PairRow>,
    /// Pairs sharing text in what pads a report (cover, 目录, 参考文献, 附录, 致谢): two reports
    /// listing one book, or one template's cover. Shown apart, never counted; ratios are 0.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub padding_pairs: Vec<PairRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocRow {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    /// Characters of the body without punctuation and white space (文字数（不计标点）): not
    /// Word's 字数, which counts punctuation; cover, 目录, 参考文献, 附录 and 致谢 left out.
    pub chars: u32,
    /// 重复字数
    pub copied_chars: u32,
    /// 总文字复制比
    pub copy_ratio: f64,
    /// 去除引用文献复制比
    pub copy_ratio_without_cited: f64,
    /// 单篇最大文字复制比
    pub max_single_ratio: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_single_source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairRow {
    pub a: String,
    pub b: String,
    /// Shared characters (side a).
    pub chars: u32,
    pub a_ratio: f64,
    pub b_ratio: f64,
    pub passages: Vec<PassageRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PassageRow {
    /// Char offsets into the extracted texts, end exclusive.
    pub a_start: u32,
    pub a_end: u32,
    pub b_start: u32,
    pub b_end: u32,
    pub chars: u32,
    /// Inside a quotation that names its source: cited, not copied.
    pub cited: bool,
}

/// One input document.
pub struct Input<'a> {
    pub path: String,
    pub project: Option<String>,
    pub fp: &'a Fingerprints,
    /// The extracted text, when at hand: passages are then refined to exact edges.
    pub text: Option<&'a Text>,
}

/// Runs the overlap stage on `docs`. Documents of one project are not compared with each
/// other, nor are two documents without a project when `archive_group` marks them as archive
/// (their overlap is not anyone's submission).
pub fn build(
    docs: &[Input],
    min_chars: u32,
    archive_group: bool,
) -> (OverlapReport, Vec<PairResult>) {
    build_with(docs, min_chars, archive_group, &|_| None)
}

/// As [`build`]; `load(i)` reads the text of document `i` when its input has none, asked only
/// for documents that share passages (the batch keeps texts on disk, not in memory). With both
/// texts at hand a pair's passages are refined to their exact edges, and short copies whose
/// edits left only a seeded core are recovered.
pub fn build_with(
    docs: &[Input],
    min_chars: u32,
    archive_group: bool,
    load: &(dyn Fn(usize) -> Option<Text> + Sync),
) -> (OverlapReport, Vec<PairResult>) {
    let mut groups: Vec<u32> = Vec::with_capacity(docs.len());
    let mut names: std::collections::HashMap<&str, u32> = Default::default();
    for (i, d) in docs.iter().enumerate() {
        let g = match &d.project {
            Some(p) => {
                let n = names.len() as u32;
                *names.entry(p.as_str()).or_insert(n)
            }
            None if archive_group => u32::MAX,
            None => 1_000_000 + i as u32,
        };
        groups.push(g);
    }
    let fps: Vec<&Fingerprints> = docs.iter().map(|d| d.fp).collect();
    let mut pairs = candidate_pairs(&fps, &groups, min_core(min_chars));
    // Texts of the documents in pairs that came without one.
    let mut wanted: Vec<usize> = pairs
        .iter()
        .flat_map(|p| [p.a, p.b])
        .filter(|&i| docs[i].text.is_none())
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let loaded: std::collections::HashMap<usize, Text> = {
        use rayon::prelude::*;
        wanted
            .par_iter()
            .filter_map(|&i| load(i).map(|t| (i, t)))
            .collect()
    };
    let text = |i: usize| docs[i].text.or_else(|| loaded.get(&i));
    refine_pairs(&mut pairs, &text, min_chars);
    assemble(docs, pairs, min_chars)
}

/// Refines each pair's passages to their exact edges where both texts are at hand
/// (`text(i)`), then applies the `min_chars` floor and drops pairs left with nothing.
pub fn refine_pairs<'t>(
    pairs: &mut Vec<PairResult>,
    text: &dyn Fn(usize) -> Option<&'t Text>,
    min_chars: u32,
) {
    for p in pairs.iter_mut() {
        if let (Some(ta), Some(tb)) = (text(p.a), text(p.b)) {
            for x in p.passages.iter_mut().chain(p.padding.iter_mut()) {
                refine(x, ta, tb);
            }
        }
        // The floor applies to what was found, refined or not.
        let long = |x: &super::Passage| {
            x.a_norm.1 - x.a_norm.0 >= min_chars && x.b_norm.1 - x.b_norm.0 >= min_chars
        };
        p.passages.retain(long);
        p.padding.retain(long);
    }
    pairs.retain(|p| !p.passages.is_empty() || !p.padding.is_empty());
}

/// The report of refined pairs (indices into `docs`): figures per document, pairs in order.
/// Shared by the one-machine path and `yanshou align` (the cluster path), so both print the
/// same bytes for the same pairs.
pub fn assemble(
    docs: &[Input],
    mut pairs: Vec<PairResult>,
    min_chars: u32,
) -> (OverlapReport, Vec<PairResult>) {
    let fps: Vec<&Fingerprints> = docs.iter().map(|d| d.fp).collect();
    pairs.sort_by_key(|x| (x.a, x.b));
    let figs = figures(&fps, &pairs);
    let documents = docs
        .iter()
        .zip(&figs)
        .map(|(d, f)| DocRow {
            path: d.path.clone(),
            project: d.project.clone(),
            chars: f.chars,
            copied_chars: f.copied_chars,
            copy_ratio: round4(f.copy_ratio),
            copy_ratio_without_cited: round4(f.copy_ratio_without_cited),
            max_single_ratio: round4(f.max_single_ratio),
            max_single_source: f.max_single_source.map(|i| docs[i].path.clone()),
        })
        .collect();
    let passage_rows = |ps: &[super::Passage]| -> Vec<PassageRow> {
        ps.iter()
            .map(|x| PassageRow {
                a_start: x.a_start,
                a_end: x.a_end,
                b_start: x.b_start,
                b_end: x.b_end,
                chars: x.chars,
                cited: x.cited,
            })
            .collect()
    };
    let rows = pairs
        .iter()
        .filter(|p| !p.passages.is_empty())
        .map(|p| {
            let (ca, cb) = pair_chars(&fps, p);
            PairRow {
                a: docs[p.a].path.clone(),
                b: docs[p.b].path.clone(),
                chars: ca,
                a_ratio: round4(ca as f64 / docs[p.a].fp.body_len.max(1) as f64),
                b_ratio: round4(cb as f64 / docs[p.b].fp.body_len.max(1) as f64),
                passages: passage_rows(&p.passages),
            }
        })
        .collect();
    let padding_rows = pairs
        .iter()
        .filter(|p| !p.padding.is_empty())
        .map(|p| PairRow {
            a: docs[p.a].path.clone(),
            b: docs[p.b].path.clone(),
            chars: super::union_len(p.padding.iter().map(|x| x.a_norm).collect()),
            a_ratio: 0.0,
            b_ratio: 0.0,
            passages: passage_rows(&p.padding),
        })
        .collect();
    (
        OverlapReport {
            schema: OVERLAP_SCHEMA.into(),
            min_chars,
            documents,
            pairs: rows,
            padding_pairs: padding_rows,
        },
        pairs,
    )
}

fn round4(x: f64) -> f64 {
    (x * 10000.0).round() / 10000.0
}

/// Text with the given char ranges marked (copied red, cited green).
fn marked(text: &[char], ranges: &[(u32, u32, bool)], from: u32, to: u32) -> String {
    let mut out = String::new();
    let mut pos = from;
    let mut rs: Vec<&(u32, u32, bool)> = ranges.iter().filter(|r| r.1 > from && r.0 < to).collect();
    rs.sort_by_key(|r| r.0);
    let slice = |a: u32, b: u32| -> String {
        text[(a as usize).min(text.len())..(b as usize).min(text.len())]
            .iter()
            .collect()
    };
    for r in rs {
        let a = r.0.max(pos);
        let b = r.1.min(to);
        if a > pos {
            out.push_str(&esc_html(&slice(pos, a)));
        }
        if b > a {
            let class = if r.2 { "cited" } else { "copied" };
            out.push_str(&format!(
                "<span class=\"{class}\">{}</span>",
                esc_html(&slice(a, b))
            ));
            pos = b;
        }
    }
    if pos < to {
        out.push_str(&esc_html(&slice(pos, to)));
    }
    out
}

/// One pair's passages side by side, with their text where it is at hand.
fn pair_table(s: &mut String, p: &PairRow, ta: Option<&[char]>, tb: Option<&[char]>) {
    use std::fmt::Write;
    let _ = write!(
        s,
        "<table><tr><th class=side>{}</th><th class=side>{}</th></tr>",
        esc_html(&p.a),
        esc_html(&p.b)
    );
    for x in &p.passages {
        let show = |t: Option<&[char]>, a: u32, b: u32| match t {
            Some(t) => marked(
                t,
                &[(a, b, x.cited)],
                a.saturating_sub(20),
                (b + 20).min(t.len() as u32),
            ),
            None => format!("（字符 {a}–{b}，文字未能读出）"),
        };
        let _ = write!(
            s,
            "<tr><td class=side>{}</td><td class=side>{}</td></tr>",
            show(ta, x.a_start, x.a_end),
            show(tb, x.b_start, x.b_end)
        );
    }
    let _ = write!(s, "</table>");
}

/// The section of one pair in the HTML report: a listed pair (`padding` false) or a pair
/// sharing text only in what pads a report. `ta` and `tb` are the extracted texts of its two
/// documents as characters, when at hand. A section depends on nothing else, so a rerun can
/// keep the sections of pairs that did not change (`overlap::incremental`).
pub fn pair_html(p: &PairRow, padding: bool, ta: Option<&[char]>, tb: Option<&[char]>) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    if padding {
        let _ = write!(
            s,
            "<h3>{} ↔ {}</h3><p>相同 {} 字（不计入复制比）</p>",
            esc_html(&p.a),
            esc_html(&p.b),
            p.chars
        );
    } else {
        let _ = write!(
            s,
            "<h2>{} ↔ {}</h2><p>重复 {} 字；占前者 {:.1}%，占后者 {:.1}%</p>",
            esc_html(&p.a),
            esc_html(&p.b),
            p.chars,
            p.a_ratio * 100.0,
            p.b_ratio * 100.0,
        );
    }
    pair_table(&mut s, p, ta, tb);
    s
}

/// The report a reviewer reads: ratios per document, then each pair's passages side by side
/// with the copied text red and cited text green. `texts[i]` is document i's extracted text
/// (when available), for showing the passages.
pub fn to_html(r: &OverlapReport, texts: &[Option<String>]) -> String {
    let index: std::collections::HashMap<&str, usize> = r
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| (d.path.as_str(), i))
        .collect();
    let chars: Vec<Option<Vec<char>>> = texts
        .iter()
        .map(|t| t.as_ref().map(|t| t.chars().collect()))
        .collect();
    let text = |path: &str| {
        index
            .get(path)
            .and_then(|&i| chars.get(i))
            .and_then(|c| c.as_deref())
    };
    to_html_with(r, &mut |p, padding| {
        pair_html(p, padding, text(&p.a), text(&p.b))
    })
}

/// As [`to_html`], each pair's section made by `section(pair, padding)` (see [`pair_html`]).
pub fn to_html_with(
    r: &OverlapReport,
    section: &mut dyn FnMut(&PairRow, bool) -> String,
) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>文字重复检测报告</title>
<style>
body {{ font-family: "Noto Serif CJK SC","SimSun",serif; font-size: 10.5pt; max-width: 280mm; margin: auto; }}
table {{ border-collapse: collapse; width: 100%; }} th, td {{ border: 1px solid #999; padding: 3px 6px; vertical-align: top; }}
th {{ background: #eee; }} .copied {{ color: #c00000; background: #fde8e8; }} .cited {{ color: #1b7a1b; background: #e6f4e6; }}
.side {{ width: 50%; white-space: pre-wrap; }} .num {{ text-align: right; }}
</style></head><body><h1>文字重复检测报告</h1>
<p>最短报告片段：{} 字（不计标点和空白）。红色为重复文字，绿色为注明出处的引用。复制比按正文计算：封面、目录、参考文献、附录和致谢中的相同文字另列于文末，不计入复制比。“文字数”不计标点和空白，与 Word 的“字数”不同。</p>
<h2>各文件复制比</h2><table><tr><th>文件</th><th>正文文字数（不计标点）</th><th>重复文字数</th><th>总文字复制比</th><th>去除引用文献复制比</th><th>单篇最大文字复制比</th><th>最大来源</th></tr>"#,
        r.min_chars
    );
    for d in &r.documents {
        let _ = write!(
            s,
            "<tr><td>{}</td><td class=num>{}</td><td class=num>{}</td><td class=num>{:.1}%</td><td class=num>{:.1}%</td><td class=num>{:.1}%</td><td>{}</td></tr>",
            esc_html(&d.path),
            d.chars,
            d.copied_chars,
            d.copy_ratio * 100.0,
            d.copy_ratio_without_cited * 100.0,
            d.max_single_ratio * 100.0,
            esc_html(d.max_single_source.as_deref().unwrap_or("—"))
        );
    }
    let _ = write!(s, "</table>");
    for p in &r.pairs {
        s.push_str(&section(p, false));
    }
    if !r.padding_pairs.is_empty() {
        let _ = write!(
            s,
            "<h2>封面、目录、参考文献、附录中的相同文字（不计入复制比）</h2>"
        );
        for p in &r.padding_pairs {
            s.push_str(&section(p, true));
        }
    }
    let _ = writeln!(s, "</body></html>");
    s
}
