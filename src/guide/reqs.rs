//! Reading requirements out of one sentence of a call.
//!
//! A call states its deliverables in running prose: "挖掘6-8个学会相关案例并整理相关专报，形成1篇
//! 3万字以上研究报告、1篇3000字左右建议报告". The reader works on a normalized sentence (see
//! `norm`) in two passes:
//!
//! 1. **Documents and cases.** Every deliverable noun of the lexicon (研究报告, 专报, 案例 …) is a
//!    requirement when the sentence demands it: a count (1篇, 6-8个, 若干) or a length
//!    (3万字以上) stands in its own list piece, or a verb of delivery (形成, 提交, 整理, 挖掘 …)
//!    precedes it. A piece runs back from the noun to the previous noun or list separator
//!    (、，和及与或), so "形成3000字左右的建议报告和不少于5万字的研究报告" gives each report its own
//!    figures. A length written after the noun ("研究报告，字数5万字左右") is attached too.
//!    Two nouns joined by 或 ("一个突破性工作案例或一项品牌建设案例") are one requirement with
//!    both options.
//! 2. **Counted targets.** Every other count with a unit (50人, 4次以上, 不少于3场次) is an
//!    `event` when what it counts is an activity (活动, 研讨, 培训, 论坛 … counted in 次/场/期)
//!    and an `indicator` otherwise; its label is the noun after the count ("50人以上专家团队")
//!    or before it ("线上服务次数不少于50次"). Chinese numerals only count here with a
//!    comparator ("至少一场"), because prose is full of "四个面向" and "一个较为完善的网络".

use super::norm::Norm;
use super::spec::{Kind, Length, Range};
use regex::Regex;
use std::sync::LazyLock;

/// A requirement read from one sentence, before ids are assigned.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub kind: Kind,
    pub label: String,
    pub count: Range,
    pub length: Option<Length>,
    pub unit: Option<String>,
    pub alternatives: Vec<String>,
    pub quote: String,
    /// Byte offset in the normalized line where the requirement is stated (for ordering).
    pub at: usize,
}

const NUM: &str = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+|若干)";
const PRE: &str = r"(?:不少于|不低于|不超过|不多于|不高于|至少|最少|最多|多于|超过|少于|低于|约|大约|达到|达|共|累计|合计|总计)";
const POST: &str = r"(?:及以上|以上|以下|以内|之内|左右|上下|内)";

static LENGTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<pre>{PRE})?(?P<a>{NUM})(?P<ma>万|千)?(?:(?:-|至|到)(?P<b>{NUM})(?P<mb>万|千)?)?字(?P<post>{POST})?"
    ))
    .unwrap()
});

static MEASURE_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<noun>[\p{Han}&&[^零〇一二两三四五六七八九十百千万字以]]{1,3}?)(?P<post>以上|以下|以内)").unwrap()
});

static COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<pre>{PRE})?(?P<a>{NUM})(?P<m>万|千)?(?:(?:-|至|到)(?P<b>{NUM}))?(?P<unit>场次|人次|家次|篇|个|份|次|场|项|人|名|家|期|部|本|套|册|条|件|所|轮|批次)(?P<post>{POST})?"
    ))
    .unwrap()
});

/// Deliverable nouns, longest first so that 研究报告 wins over 报告.
const REPORTS: &[&str] = &[
    "决策咨询报告",
    "政策建议报告",
    "研究总报告",
    "项目总结报告",
    "工作总结报告",
    "研究报告",
    "调研报告",
    "建议报告",
    "咨询报告",
    "总结报告",
    "评估报告",
    "发展报告",
    "年度报告",
    "结题报告",
    "分报告",
    "子报告",
    "专题报告",
    "研究专报",
    "专报",
    "工作总结",
    "白皮书",
    "蓝皮书",
    "专著",
    "论文",
    "报告",
];
const CASES: &[&str] = &["典型案例集", "案例汇编", "案例集", "典型案例", "案例"];

/// Verbs that make a noun a demanded deliverable even without a number.
const DELIVER_VERBS: &[&str] = &[
    "形成", "提交", "撰写", "完成", "整理", "编制", "编写", "报送", "提供", "出版", "发表", "起草",
    "出具", "挖掘", "收集", "总结", "提炼", "汇编", "遴选", "梳理", "上报", "交付",
];

/// Verbs stripped from the front of a counted target's label.
const LEAD_VERBS: &[&str] = &[
    "主办或承办",
    "组织开展",
    "组织召开",
    "举办",
    "组织",
    "开展",
    "召开",
    "建立",
    "组建",
    "培养",
    "评选",
    "发展",
    "新增",
    "提供",
    "形成",
    "完成",
    "挖掘",
    "参加",
    "引进",
    "吸纳",
    "推荐",
    "发布",
    "达到",
    "实现",
    "承办",
    "主办",
];

const EVENT_WORDS: &[&str] = &[
    "活动",
    "研讨",
    "交流",
    "论坛",
    "沙龙",
    "培训",
    "会议",
    "讲座",
    "年会",
    "座谈",
    "研修",
    "比赛",
    "竞赛",
    "展览",
    "对接会",
    "报告会",
    "宣讲",
];

const TIMES_UNITS: &[&str] = &["次", "场", "场次", "期", "轮", "批次", "个"];

fn parse_num(s: &str) -> Option<f64> {
    if s == "若干" {
        return None;
    }
    if s.as_bytes()[0].is_ascii_digit() {
        s.parse().ok()
    } else {
        crate::numerals::parse_chinese(s).map(|n| n as f64)
    }
}

fn mult(m: Option<regex::Match>) -> f64 {
    match m.map(|m| m.as_str()) {
        Some("万") => 10000.0,
        Some("千") => 1000.0,
        _ => 1.0,
    }
}

fn is_chinese_numeral(s: &str) -> bool {
    !s.as_bytes()[0].is_ascii_digit()
}

/// Turns a number with its comparators into a range. `exact_is_min` makes a bare number a
/// lower bound only (used for lengths without a comparator, which calls mean as a floor).
fn to_range(a: Option<f64>, b: Option<f64>, pre: Option<&str>, post: Option<&str>) -> Range {
    let r = |x: f64| x.round() as u64;
    match (a, b) {
        (Some(a), Some(b)) => Range::between(r(a), r(b)),
        (Some(a), None) => match (pre, post) {
            (Some("不超过" | "不多于" | "不高于" | "最多" | "少于" | "低于"), _)
            | (_, Some("以下" | "以内" | "之内" | "内")) => Range::at_most(r(a)),
            (Some("不少于" | "不低于" | "至少" | "最少" | "多于" | "超过" | "达到" | "达"), _)
            | (_, Some("以上" | "及以上")) => Range::at_least(r(a)),
            _ => Range::exactly(r(a)),
        },
        _ => Range::at_least(1),
    }
}

fn is_approx(pre: Option<&str>, post: Option<&str>) -> bool {
    matches!(pre, Some("约" | "大约")) || matches!(post, Some("左右" | "上下"))
}

/// Reads a length expression (3万字以上, 3000-5000字, 约2万字) into `Length`.
fn length_of(c: &regex::Captures) -> Length {
    let ma = c.name("ma");
    let mb = c.name("mb");
    // "2-3万字": the multiplier written once applies to both ends.
    let ma_eff = if ma.is_none() { mb } else { ma };
    let a = c
        .name("a")
        .and_then(|m| parse_num(m.as_str()))
        .map(|x| x * mult(ma_eff));
    let b = c
        .name("b")
        .and_then(|m| parse_num(m.as_str()))
        .map(|x| x * mult(mb));
    let pre = c.name("pre").map(|m| m.as_str());
    let post = c.name("post").map(|m| m.as_str());
    if b.is_none() && is_approx(pre, post) {
        return Length {
            approx: a.map(|x| x.round() as u64),
            ..Length::default()
        };
    }
    let r = to_range(a, b, pre, post);
    Length {
        min: r.min,
        max: r.max,
        approx: None,
    }
}

fn count_of(c: &regex::Captures) -> Range {
    let m = mult(c.name("m"));
    let a = c
        .name("a")
        .and_then(|x| parse_num(x.as_str()))
        .map(|x| x * m);
    let b = c
        .name("b")
        .and_then(|x| parse_num(x.as_str()))
        .map(|x| x * m);
    let pre = c.name("pre").map(|m| m.as_str());
    let post = c.name("post").map(|m| m.as_str());
    if a.is_none() {
        // 若干
        return Range::at_least(1);
    }
    to_range(a, b, pre, post)
}

/// Punctuation that ends a clause, as byte offset just after the last one in `s`.
fn punct_break_before(s: &str) -> Option<usize> {
    s.char_indices()
        .filter(|&(_, c)| matches!(c, ',' | '，' | '、' | ':' | ';'))
        .map(|(i, c)| i + c.len_utf8())
        .next_back()
}

/// Like `punct_break_before`, but a list comma (、) does not end the clause.
fn punct_break_no_dun(s: &str) -> Option<usize> {
    s.char_indices()
        .filter(|&(_, c)| matches!(c, ',' | '，' | ':' | ';'))
        .map(|(i, c)| i + c.len_utf8())
        .next_back()
}

/// Separators that end a list piece (punctuation or 和/及/或), as byte offset just after
/// the last one in `s`.
fn piece_break_before(s: &str) -> Option<usize> {
    // Search backwards for the last separator; return its end byte offset.
    let mut best = None;
    for (i, c) in s.char_indices() {
        if matches!(c, ',' | '，' | '、' | ':' | ';' | '(' | ')') {
            best = Some(i + c.len_utf8());
        }
    }
    for sep in ["和", "及", "或", "以及", "并且", "同时"] {
        if let Some(i) = s.rfind(sep) {
            let end = i + sep.len();
            if best.is_none_or(|b| end > b) {
                best = Some(end);
            }
        }
    }
    best
}

fn find_label(s: &str, at: usize, lex: &[&'static str]) -> Option<&'static str> {
    lex.iter().copied().find(|w| s[at..].starts_with(w))
}

/// A length written right after a noun ("，字数5万字左右", "不少于2万字"): the length and the
/// end byte of its text in `window`.
fn trailing_length(window: &str) -> Option<(Length, usize)> {
    let head = window.trim_start_matches([',', '，', ':', '(']);
    let mut off = window.len() - head.len();
    let mut rest = head;
    for p in ["字数要求", "字数", "篇幅", "全文"] {
        if let Some(r) = rest.strip_prefix(p) {
            let r2 = r.trim_start_matches([':', '为', '在', '达']);
            off += p.len() + (r.len() - r2.len());
            rest = r2;
            break;
        }
    }
    let c = LENGTH.captures(rest)?;
    let m = c.get(0)?;
    (m.start() == 0).then(|| (length_of(&c), off + m.end()))
}

/// Non-overlapping deliverable nouns in `s`: (start, end, kind, lexicon word).
fn nouns(s: &str) -> Vec<(usize, usize, Kind, &'static str)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        if let Some(w) = find_label(s, i, CASES) {
            out.push((i, i + w.len(), Kind::Cases, w));
            i += w.len();
            continue;
        }
        if let Some(w) = find_label(s, i, REPORTS) {
            // "报告" alone inside 报告会 / 报告书申报 is not a deliverable.
            let after = &s[i + w.len()..];
            if !(after.starts_with('会') || after.starts_with("厅")) {
                out.push((i, i + w.len(), Kind::Report, w));
                i += w.len();
                continue;
            }
        }
        i += s[i..].chars().next().map_or(1, char::len_utf8);
    }
    out
}

fn clean_label(s: &str) -> String {
    let t = s.trim_matches(|c: char| matches!(c, '的' | ',' | '，' | ':' | '、'));
    // "“创新达人”" → 创新达人, but "“揭榜挂帅”活动" keeps its quotes.
    for (open, close) in [('“', '”'), ('"', '"'), ('「', '」'), ('《', '》')] {
        if let Some(inner) = t.strip_prefix(open).and_then(|r| r.strip_suffix(close))
            && !inner.contains(close)
        {
            return inner.to_string();
        }
    }
    t.to_string()
}

fn strip_lead(mut s: &str) -> &str {
    loop {
        let before = s;
        for p in [
            "其中",
            "且",
            "并",
            "的",
            "是",
            "要求",
            "须",
            "应",
            "需",
            "每年",
            "本年度",
            "年度",
            "全年",
        ] {
            if let Some(r) = s.strip_prefix(p) {
                s = r;
            }
        }
        if s == before {
            return s;
        }
    }
}

/// The label of a counted target written before its number: the words after the last verb,
/// or after the last 的.
fn label_before(s: &str) -> String {
    let s = strip_lead(s);
    let mut best: Option<usize> = None;
    for v in LEAD_VERBS {
        if let Some(i) = s.rfind(v) {
            let end = i + v.len();
            // A verb at the very end ("…入驻网络平台新增") leaves nothing: keep what precedes it.
            if end < s.len() && best.is_none_or(|b| end > b) {
                best = Some(end);
            }
        }
    }
    let mut t = match best {
        Some(b) => &s[b..],
        None => s,
    };
    // "…入驻网络平台新增1万家": the verb ends the words, so the label is what precedes it.
    for v in LEAD_VERBS {
        if let Some(r) = t.strip_suffix(v)
            && !r.is_empty()
        {
            t = r;
            break;
        }
    }
    if let Some(i) = t.rfind('的') {
        let rest = &t[i + '的'.len_utf8()..];
        if rest.chars().count() >= 2 {
            t = rest;
        }
    }
    clean_label(strip_lead(t))
}

/// The noun written right after a count ("50人以上专家团队" → 专家团队).
fn label_after(s: &str) -> String {
    let mut end = 0;
    for (i, c) in s.char_indices() {
        let stop = matches!(
            c,
            ',' | '，' | '、' | ';' | '。' | ':' | '(' | ')' | '/' | '-' | '和' | '及' | '或'
        ) || c.is_ascii_digit();
        if stop {
            break;
        }
        end = i + c.len_utf8();
    }
    clean_label(&s[..end])
}

fn overlaps(used: &[(usize, usize)], a: usize, b: usize) -> bool {
    used.iter().any(|&(x, y)| a < y && x < b)
}

/// All requirements of one sentence (no 。 or ； inside) of normalized text.
pub fn read_sentence(n: &Norm, start: usize, end: usize) -> Vec<Found> {
    let s = &n.text[start..end];
    let mut out: Vec<Found> = Vec::new();
    let mut used: Vec<(usize, usize)> = Vec::new();
    let nouns = nouns(s);
    let mut prev_end = 0usize;
    // The requirement pushed for the previous noun: (index in `out`, its option text, quote
    // start), for joining "…案例或…案例" into one either/or requirement.
    let mut last: Option<(usize, String, usize)> = None;
    for (k, &(ls, le, kind, word)) in nouns.iter().enumerate() {
        let region = &s[prev_end..ls];
        let pstart = prev_end + piece_break_before(region).unwrap_or(0);
        let piece = &s[pstart..ls];
        let or_join = s[prev_end..pstart].contains('或');
        let len_m = LENGTH.captures(piece);
        let count_m = COUNT.captures_iter(piece).last().filter(|c| {
            // A count inside the length ("3万字") is not a count, nor is "第2篇".
            let m = c.get(0).unwrap();
            let in_len = len_m.as_ref().is_some_and(|l| {
                let lm = l.get(0).unwrap();
                m.start() < lm.end() && lm.start() < m.end()
            });
            !in_len && !piece[..m.start()].ends_with('第')
        });
        // A delivering verb counts within the clause (a comma ends it, 、 does not:
        // "形成1篇…研究报告、若干分报告" delivers both).
        let clause = &s[punct_break_no_dun(&s[..ls]).unwrap_or(0)..ls];
        let verb = DELIVER_VERBS.iter().any(|v| clause.contains(v));
        // A length written after the noun: "研究报告，字数5万字左右".
        // A count written after the noun: "研究报告1篇", "论文2篇以上", "专报2期".
        let trailing_count = if count_m.is_none() {
            COUNT
                .captures(&s[le..])
                .filter(|c| {
                    let m = c.get(0).unwrap();
                    m.start() == 0
                        && matches!(
                            c.name("unit").unwrap().as_str(),
                            "篇" | "份" | "部" | "本" | "册" | "套" | "个" | "期"
                        )
                })
                .map(|c| (count_of(&c), le + c.get(0).unwrap().end()))
        } else {
            None
        };
        // A length written after the noun (and its count): "研究报告，字数5万字左右",
        // "调研报告1篇（1.5万字左右）", "研究报告1篇，字数不少于1万字".
        let trailing_len = if len_m.is_none() && kind == Kind::Report {
            let from = trailing_count.as_ref().map_or(le, |t| t.1);
            let next_noun = nouns.get(k + 1).map_or(s.len(), |x| x.0).max(from);
            trailing_length(&s[from..next_noun]).map(|(l, e)| (l, from + e))
        } else {
            None
        };
        prev_end = le;
        if !(count_m.is_some()
            || len_m.is_some()
            || trailing_len.is_some()
            || trailing_count.is_some()
            || verb)
        {
            last = None;
            continue;
        }
        let mut count = count_m.as_ref().map(count_of).unwrap_or(Range::at_least(1));
        let mut length = len_m.as_ref().map(length_of);
        let mut qend = le;
        if let Some((c, e)) = &trailing_count {
            count = c.clone();
            qend = *e;
            used.push((le, *e));
            prev_end = *e;
        }
        if let Some((_, e)) = &trailing_len {
            prev_end = prev_end.max(*e);
        }
        if let Some((l, e)) = &trailing_len {
            length = Some(l.clone());
            qend = *e;
            // "（3000-5000字）": the quote closes what it opened.
            if s[..qend].rfind('(') > s[..qend].rfind(')') && s[qend..].starts_with(')') {
                qend += 1;
            }
        }
        let abs = |c: &regex::Captures| {
            let m = c.get(0).unwrap();
            (pstart + m.start(), pstart + m.end())
        };
        // The quote starts at the delivering verb of this piece, else at its count or length.
        let figure_start = [
            count_m.as_ref().map(|c| abs(c).0),
            len_m.as_ref().map(|c| abs(c).0),
            piece.find("若干").map(|i| pstart + i),
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(ls);
        let qstart = DELIVER_VERBS
            .iter()
            .filter_map(|v| piece.find(v).map(|i| pstart + i))
            .filter(|&i| i <= figure_start)
            .min()
            .unwrap_or(figure_start);
        for c in count_m.iter().chain(len_m.iter()) {
            used.push(abs(c));
        }
        // The option's own words: what stands between the figures and the noun's end
        // ("一个突破性工作案例" → 突破性工作案例).
        let figures_end = count_m
            .iter()
            .chain(len_m.iter())
            .map(|c| abs(c).1)
            .max()
            .unwrap_or(pstart);
        let option_text = clean_label(strip_lead(&s[figures_end.min(ls)..le]));
        let mut label = word.to_string();
        if word == "报告" {
            // "形成1份调研分析报告": keep the words the call used.
            let l = clean_label(strip_lead(&s[figures_end.min(ls)..ls]));
            if !l.is_empty() && l.chars().count() <= 8 {
                label = format!("{l}报告");
            }
        }
        if or_join
            && let Some((idx, first_opt, first_q)) = &last
            && out[*idx].kind == kind
        {
            let f = &mut out[*idx];
            if f.alternatives.is_empty() {
                f.alternatives.push(first_opt.clone());
            }
            f.alternatives.push(option_text);
            f.quote = n.quote(start + first_q, start + qend);
            continue;
        }
        out.push(Found {
            kind,
            label,
            count,
            length,
            unit: None,
            alternatives: Vec::new(),
            quote: n.quote(start + qstart, start + qend),
            at: start + qstart,
        });
        last = Some((out.len() - 1, option_text, qstart));
    }

    // Pass 2: counted targets.
    for c in COUNT.captures_iter(s) {
        let m = c.get(0).unwrap();
        if overlaps(&used, m.start(), m.end()) || s[..m.start()].ends_with('第') {
            continue;
        }
        // A count inside a length ("3万字") never reaches here: 字 is not a unit.
        let a = c.name("a").unwrap().as_str();
        let has_cmp = c.name("pre").is_some() || c.name("post").is_some();
        if a == "若干" || (is_chinese_numeral(a) && !has_cmp) {
            continue;
        }
        // "2.5%"-like or year-like numbers are not counts; nor is "2个工作日".
        let rest0 = &s[m.end()..];
        if rest0.starts_with("工作日") || rest0.starts_with("月") || rest0.starts_with("小时")
        {
            continue;
        }
        let mut unit = c.name("unit").unwrap().as_str().to_string();
        let mut count = count_of(&c);
        let mut m_end = m.end();
        // "2个片区以上": a measure word, a short noun, then the comparator.
        if c.name("post").is_none()
            && let Some(x) = MEASURE_TAIL.captures(rest0)
        {
            let noun = x.name("noun").unwrap().as_str();
            let post = x.name("post").unwrap().as_str();
            unit.push_str(noun);
            let a = c.name("a").and_then(|a| parse_num(a.as_str()));
            let pre = c.name("pre").map(|p| p.as_str());
            count = to_range(a.map(|a| a * mult(c.name("m"))), None, pre, Some(post));
            m_end += x.get(0).unwrap().end();
        }
        let unit = unit.as_str();
        let rest = &s[m_end..];
        // Skip counts that belong to a report or case noun handled in pass 1.
        // "至少一场是全国或全省（区域）性学术交流活动": what the count must be.
        let after_label = match rest.strip_prefix('是') {
            Some(r) => clean_label(&r[..r.find([',', '，', ';', '。']).unwrap_or(r.len())]),
            None => label_after(rest),
        };
        let region_start = punct_break_before(&s[..m.start()]).unwrap_or(0);
        let before_text = &s[region_start..m.start()];
        let label = if after_label.chars().count() >= 2 {
            after_label.clone()
        } else {
            label_before(before_text)
        };
        if label.is_empty() {
            continue;
        }
        let is_event = TIMES_UNITS.contains(&unit) && EVENT_WORDS.iter().any(|w| label.contains(w));
        let kind = if is_event {
            Kind::Event
        } else {
            Kind::Indicator
        };
        let mut qend = m_end;
        if after_label.chars().count() >= 2 {
            qend = m_end + rest.find(&after_label).map_or(0, |i| i + after_label.len());
        }
        if s[qend..].starts_with("/年") {
            qend += "/年".len();
        }
        let qstart = if after_label.chars().count() >= 2 {
            // From the verb before the count, if any.
            let b = strip_lead(before_text);
            region_start + (before_text.len() - b.len())
        } else {
            region_start + (before_text.len() - strip_lead(before_text).len())
        };
        used.push((m.start(), m.end()));
        out.push(Found {
            kind,
            label,
            count,
            length: None,
            unit: Some(unit.to_string()),
            alternatives: Vec::new(),
            quote: n.quote(start + qstart, start + qend),
            at: start + qstart,
        });
    }
    out.sort_by_key(|f| f.at);
    out
}

/// Splits normalized text into sentences (byte ranges) at 。；;!? — commas stay inside.
pub fn sentences(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut st = 0;
    for (i, c) in s.char_indices() {
        if matches!(c, '。' | ';' | '!' | '?') {
            if i > st {
                out.push((st, i));
            }
            st = i + c.len_utf8();
        }
    }
    if st < s.len() {
        out.push((st, s.len()));
    }
    out
}

/// All requirements of a normalized line, sentence by sentence.
pub fn read_line(n: &Norm, from: usize) -> Vec<Found> {
    let mut out = Vec::new();
    for (a, b) in sentences(&n.text[from..]) {
        out.extend(read_sentence(n, from + a, from + b));
    }
    out
}
