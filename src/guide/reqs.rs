//! Reading requirements out of one sentence, and one line, of a call.
//!
//! A call states its deliverables in running prose: "挖掘6-8个学会相关案例并整理相关专报，形成1篇
//! 3万字以上研究报告、1篇3000字左右建议报告". The reader works on a normalized sentence (see
//! `norm`) in two passes:
//!
//! 1. **Documents and cases.** A deliverable is known by its head noun (`HEADS`: …报告, …建议,
//!    …专报, …简介, …文章, …案例 …) and labelled as written, modifiers kept ("决策咨询专报").
//!    It is a requirement when the sentence demands it: a count (1篇, 6-8个, 若干) or a length
//!    (3万字以上) stands in its own list piece, or after it ("研究报告1篇（1.5万字左右）",
//!    "成果简介：1份，3000字左右"), or a verb of delivery (形成, 提交, 整理 …) precedes it (not
//!    for weak heads such as 建议 or 成果, which need a figure). A piece runs back from the
//!    noun to the previous noun or list separator (、，和及与或), so "形成3000字左右的建议报告和
//!    不少于5万字的研究报告" gives each report its own figures. Two nouns joined by 或 are one
//!    requirement with both options. 一式N份 / 数量N份 are copies of one document, not a
//!    count; 鼓励/如有 clauses are not demands; "每篇/各" make the length per piece.
//!    A length no noun took ("…,篇幅一般不超过5000字") goes to the sentence's deliverable,
//!    else it is an `orphan` the line or the item places.
//! 2. **Counted targets.** Every other count with a unit (50人, 4次以上, 不少于3场次) is an
//!    `event` when what it counts is an activity (活动, 研讨, 培训, 论坛 … counted in 次/场/期)
//!    and an `indicator` otherwise; its label is the noun after the count ("50人以上专家团队")
//!    or before it ("线上服务次数不少于50次"). Chinese numerals only count here with a
//!    comparator ("至少一场"), because prose is full of "四个面向" and "一个较为完善的网络";
//!    documents left over (份, 篇) and project quotas (立项课题10项) are not targets.
//!
//! A sentence under a form of result ("以专著形式结项的，…") gives requirements with that
//! `condition`.

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
    /// A length stated with no deliverable to attach it to (label empty): the line or the
    /// item places it, or it becomes a warning.
    pub orphan: bool,
    /// The count is written ("1篇", "不少于1篇"), not the default of one or more.
    pub counted: bool,
    /// Other text this requirement was read from (a length stated in a sentence of its
    /// own), so that sentence is not reported as unread.
    pub also: Vec<String>,
    /// The form of result the sentence is about ("以专著成果形式结项的"), see
    /// `Requirement::condition`.
    pub condition: Option<String>,
}

const NUM: &str = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+|若干)";
const PRE: &str = r"(?:不少于|不低于|不超过|不多于|不高于|至少|最少|最多|多于|超过|少于|低于|约|大约|达到|达|共|累计|合计|总计)";
/// Range dashes: `-` (norm folds -, ~, – into it), em dashes (2—3万字), 至, 到.
/// Printed copies of one document: "一式三份", "各一式2份", "数量2份".
static COPIES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?:一式|数量(?:为)?)(?:{NUM})(?:份|套|本)")).unwrap());

const DASH: &str = r"-|—{1,2}|至|到";
const POST: &str = r"(?:及以上|以上|以下|以内|之内|左右|上下|内)";

static LENGTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<pre>{PRE})?(?P<a>{NUM})(?P<ma>万|千)?(?:字?(?:{DASH})(?P<b>{NUM})(?P<mb>万|千)?)?字(?P<post>{POST}|为宜)?"
    ))
    .unwrap()
});

static MEASURE_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<noun>[\p{Han}&&[^零〇一二两三四五六七八九十百千万字以]]{1,3}?)(?P<post>以上|以下|以内)").unwrap()
});

static COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<pre>{PRE})?(?P<a>{NUM})(?P<m>万|千)?(?:(?:{DASH})(?P<b>{NUM}))?(?P<unit>场次|人次|家次|篇|个|份|次|场|项|人|名|家|期|部|本|套|册|条|件|所|轮|批次)(?P<post>{POST})?"
    ))
    .unwrap()
});

/// The deliverable vocabulary, in ONE table: head nouns that end a deliverable's name, the
/// kind they give, and where each word came from. A deliverable is recognized by its head
/// (…报告, …建议, …专报), and labelled as written: the modifiers before the head are kept
/// ("决策咨询专报", "成果简介"), see `nouns`. Longer heads come first so that 报告书 wins over
/// 报告 at the same place.
///
/// `weak`: the word is also common prose (建议 is a verb, 成果 and 文章 are everyday words), so
/// it is a deliverable only with a figure (count, length, copies) or as a list entry of its own,
/// never from a delivering verb alone.
pub const HEADS: &[(&str, Kind, bool, &str)] = &[
    (
        "典型案例集",
        Kind::Cases,
        false,
        "seed: 2022 科协改革试点指南 (案例集)",
    ),
    (
        "案例汇编",
        Kind::Cases,
        false,
        "seed: 2022 湖南学会能力提升计划",
    ),
    ("案例集", Kind::Cases, false, "seed: 2022 科协改革试点指南"),
    (
        "案例",
        Kind::Cases,
        false,
        "seed: 2022 科协改革试点指南 (挖掘…案例)",
    ),
    (
        "报告书",
        Kind::Report,
        false,
        "issue 12: 结题材料 (…总结报告书)",
    ),
    (
        "报告",
        Kind::Report,
        false,
        "seed: 研究报告/调研报告/建议报告/专题报告 …",
    ),
    (
        "专报",
        Kind::Report,
        false,
        "seed: 2022 科协改革试点指南 (整理相关专报)",
    ),
    (
        "要报",
        Kind::Report,
        false,
        "issue 12: 成果要报/研究成果要报",
    ),
    ("白皮书", Kind::Report, false, "seed lexicon"),
    ("蓝皮书", Kind::Report, false, "seed lexicon"),
    (
        "专著",
        Kind::Report,
        false,
        "seed lexicon; issue 12: 以专著形式结项",
    ),
    ("著作", Kind::Report, false, "issue 12: 结项成果形式"),
    ("论文集", Kind::Report, false, "issue 12: 以论文集形式结题"),
    (
        "论文",
        Kind::Report,
        false,
        "seed lexicon (发表论文2篇以上)",
    ),
    ("工作总结", Kind::Report, false, "seed lexicon"),
    ("书稿", Kind::Report, false, "issue 12: 结项材料"),
    (
        "读物",
        Kind::Report,
        false,
        "issue 12: 社科普及读物 (出版…1部，字数不少于…)",
    ),
    ("图书", Kind::Report, false, "issue 12: 读物 family"),
    ("手册", Kind::Report, false, "issue 12: 读物 family"),
    (
        "审批书",
        Kind::Report,
        false,
        "issue 12: 结项审批书1份 (结项材料)",
    ),
    (
        "审批表",
        Kind::Report,
        false,
        "issue 12: 《结项审批表》 (结项材料)",
    ),
    ("建议书", Kind::Report, false, "issue 12: 对策建议"),
    (
        "建议",
        Kind::Report,
        true,
        "issue 12: 对策建议/政策建议/决策咨询建议",
    ),
    (
        "简介",
        Kind::Report,
        true,
        "issue 12: 成果简介1份,3000字左右",
    ),
    ("摘要", Kind::Report, true, "issue 12: 内容摘要/报告摘要"),
    (
        "概述",
        Kind::Report,
        true,
        "issue 12: 问题的概述(3000-5000字)",
    ),
    ("综述", Kind::Report, true, "issue 12: 文献综述"),
    ("文章", Kind::Report, true, "issue 12: 科普文章/成果文章"),
    (
        "稿件",
        Kind::Report,
        true,
        "issue 12: 重要稿件1篇(5000字以内)",
    ),
    ("文稿", Kind::Report, true, "issue 12: 稿件 family"),
    (
        "成果",
        Kind::Report,
        true,
        "issue 12: 《研究成果》…6000字以上",
    ),
];

/// Characters after a head that continue it as one noun ("报告书", "摘要版", "论文集").
const HEAD_SUFFIX: &[char] = &['书', '集', '版', '稿', '本'];

/// Characters that may follow a deliverable noun: particles, comparators, counters,
/// punctuation. Any other Han character means the head is the start of a longer word
/// (报告会, 建议采用, 专报省委, 成果形式), so it is no deliverable there.
const AFTER_NOUN: &str = "的和及与或等、各每须应要需必中内为是不字篇份部本册套以并在之均一二两三四五六七八九十由于可也都将已还含共约全正主即;:,.()《》“”\"\'[]-/";

/// Characters that end a label when reading back from the head (particles, counters,
/// comparators, list words).
const LABEL_STOP: &str =
    "的和及与或等各每为是有其该此并要需须应将把向在于由以了含即式类种篇份外约字共余多首第";

/// Counters that end a label when a number stands before them.
const COUNTERS: &str = "个项名次场期本部册套";

/// Words that end a label when reading back (the verb before the noun: "形成研究报告").
const LABEL_STOP_WORDS: &[&str] = &[
    "形成", "提交", "撰写", "完成", "整理", "编制", "编写", "报送", "提供", "出版", "发表", "起草",
    "出具", "挖掘", "收集", "提炼", "遴选", "梳理", "上报", "交付", "提出", "报", "附", "交",
    "征集", "包括", "包含", "设计", "打印", "刊发", "采纳", "获得", "作为", "相关", "有关", "若干",
    "上述", "下列", "各类", "系列", "全部", "所有", "以上", "以下", "以内", "左右", "上下", "之内",
    "对于", "针对", "其中", "年度",
];

/// Verbs that make a noun a demanded deliverable even without a number.
const DELIVER_VERBS: &[&str] = &[
    "形成",
    "提交",
    "撰写",
    "完成",
    "整理",
    "编制",
    "编写",
    "报送",
    "提供",
    "出版",
    "发表",
    "起草",
    "出具",
    "挖掘",
    "收集",
    "总结",
    "提炼",
    "汇编",
    "遴选",
    "梳理",
    "上报",
    "交付",
    "征集",
    // "成果形式为研究报告", "课题成果应为综合报告和专报": the call names the result.
    "形式为",
    "成果为",
    "成果主要为",
    "成果应为",
    "成果应当为",
];

/// Words that make what follows in the clause optional: encouraged (鼓励) or conditional
/// (如有) outputs are not requirements.
const OPTIONAL: &[&str] = &["鼓励", "如有", "欢迎", "可另附"];

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
    "制作",
    "创作",
    "拍摄",
    "录制",
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

/// A length written right after a noun ("，字数5万字左右", "不少于2万字"): the length and the
/// end byte of its text in `window`.
fn trailing_length(window: &str) -> Option<(Length, usize)> {
    let head = window.trim_start_matches([',', '，', ':', '(']);
    let mut off = window.len() - head.len();
    let mut rest = head;
    for p in ["字数要求", "字数", "篇幅", "全文", "正文"] {
        if let Some(r) = rest.strip_prefix(p) {
            off += p.len();
            rest = r;
            break;
        }
    }
    // "字数一般控制在…", "篇幅以…为宜", "字数要求为…".
    loop {
        let before = rest.len();
        for w in [
            "每篇",
            "每份",
            "每部",
            "各",
            "一般",
            "控制在",
            "要求",
            "应",
            "须",
            "在",
            "为",
            "以",
            "达",
            ":",
        ] {
            if let Some(r) = rest.strip_prefix(w) {
                off += w.len();
                rest = r;
            }
        }
        if rest.len() == before {
            break;
        }
    }
    let c = LENGTH.captures(rest)?;
    let m = c.get(0)?;
    (m.start() == 0).then(|| (length_of(&c), off + m.end()))
}

/// A deliverable noun in a sentence: (label start, end, kind, label as written, weak, head).
type Noun = (usize, usize, Kind, String, bool, &'static str);

/// Is the text nothing but a deliverable's name ("研究报告", "《成果简介》")? A heading that
/// is one lists a deliverable; it does not name a project ("学会发展报告编写" does).
pub fn is_deliverable_name(s: &str) -> bool {
    let bare: String = s
        .chars()
        .filter(|c| *c > '\u{2E80}' && !"《》“”".contains(*c))
        .collect();
    let ns = nouns(&bare);
    let covered: usize = ns.iter().map(|x| bare[x.0..x.1].chars().count()).sum();
    !ns.is_empty() && covered == bare.chars().count()
}

/// Non-overlapping deliverable nouns in `s`.
/// The head is found by `HEADS`; the label runs back from it over modifiers up to a
/// particle, a counter or a verb (`LABEL_STOP`, `LABEL_STOP_WORDS`), at most eight
/// characters before the head.
fn nouns(s: &str) -> Vec<Noun> {
    let mut out: Vec<Noun> = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let Some(&(w, kind, weak, _)) = HEADS.iter().find(|h| s[i..].starts_with(h.0)) else {
            i += s[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let mut j = i + w.len();
        if let Some(c) = s[j..].chars().next()
            && HEAD_SUFFIX.contains(&c)
            && !w.ends_with(c)
        {
            j += c.len_utf8();
        }
        let next = s[j..].chars().next();
        let continues = next.is_some_and(|c| {
            c > '\u{2E80}'
                && !AFTER_NOUN.contains(c)
                && !HEADS.iter().any(|h| s[j..].starts_with(h.0))
        });
        // "建议报告": the head is the later word; "报告会": not a deliverable.
        let later_head = HEADS.iter().any(|h| s[j..].starts_with(h.0));
        if continues || later_head {
            i += s[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        // Read back over the modifiers.
        let mut a = i;
        let floor = out.last().map_or(0, |x| x.1);
        let mut n = 0;
        while a > floor && n < 8 {
            let before = &s[..a];
            if LABEL_STOP_WORDS.iter().any(|v| before.ends_with(v)) {
                break;
            }
            let c = before.chars().next_back().unwrap();
            // 要 is a modal ("要报告…"), but 重要/主要/纲要 are modifiers ("重要稿件").
            let modifier_yao = c == '要'
                && before[..before.len() - c.len_utf8()].ends_with(['重', '主', '纲', '摘']);
            if !modifier_yao && (c <= '\u{2E80}' || LABEL_STOP.contains(c) || !c.is_alphabetic()) {
                break;
            }
            // A counter after a number ("1项", "两部") ends the label; 项目 does not.
            let prev = before[..before.len() - c.len_utf8()].chars().next_back();
            if COUNTERS.contains(c)
                && prev.is_some_and(|p| {
                    p.is_ascii_digit() || "一二两三四五六七八九十百千干几".contains(p)
                })
            {
                break;
            }
            a -= c.len_utf8();
            n += 1;
        }
        out.push((a, j, kind, s[a..j].to_string(), weak, w));
        i = j;
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
    // Printed copies ("一式三份", "数量2份") are how many prints of one document, not a count.
    let copies: Vec<(usize, usize)> = COPIES.find_iter(s).map(|m| (m.start(), m.end())).collect();
    used.extend(copies.iter().copied());
    // "《结项审批书》各一式三份": a listed document in copies is asked for (once), and so is
    // every document listed with it ("审批书、成果简介及研究报告各一式两份").
    let mut listed_in_copies = vec![false; nouns.len()];
    for k in (0..nouns.len()).rev() {
        let le = nouns[k].1;
        let t = s[le..].trim_start_matches(['》', '”', '"', ')']);
        let t = t.strip_prefix('各').unwrap_or(t);
        let own = COPIES.find(t).is_some_and(|m| m.start() == 0);
        let with_next = nouns.get(k + 1).is_some_and(|x| {
            listed_in_copies[k + 1] && s[le..x.0].chars().all(|c| "、和及与《》“”\"".contains(c))
        });
        listed_in_copies[k] = own || with_next;
    }
    for (k, (ls, le, kind, word, weak, head)) in nouns.iter().enumerate() {
        let (ls, le, kind, weak) = (*ls, *le, *kind, *weak);
        let region = &s[prev_end..ls];
        let pstart = prev_end + piece_break_before(region).unwrap_or(0);
        let piece = &s[pstart..ls];
        let or_join = s[prev_end..pstart].contains('或');
        let len_m = LENGTH.captures(piece);
        let count_m = COUNT.captures_iter(piece).last().filter(|c| {
            // A count inside the length ("3万字") is not a count, nor is "第2篇", nor copies.
            let m = c.get(0).unwrap();
            let in_len = len_m.as_ref().is_some_and(|l| {
                let lm = l.get(0).unwrap();
                m.start() < lm.end() && lm.start() < m.end()
            });
            !in_len
                && !piece[..m.start()].ends_with('第')
                && !overlaps(&copies, pstart + m.start(), pstart + m.end())
        });
        // "应当是一篇…的文章" describes what a document is, it does not ask for one more.
        let described = count_m
            .as_ref()
            .is_some_and(|c| piece[..c.get(0).unwrap().start()].ends_with('是'));
        // A delivering verb counts within the clause (a comma ends it, 、 does not:
        // "形成1篇…研究报告、若干分报告" delivers both).
        let clause = &s[punct_break_no_dun(&s[..ls]).unwrap_or(0)..ls];
        let verb = DELIVER_VERBS.iter().any(|v| clause.contains(v));
        // "鼓励形成…", "如有…": encouraged or optional, not asked for.
        // What follows 鼓励/如有 in the sentence is optional ("如有阶段性成果，可附论文1篇").
        let optional = OPTIONAL.iter().any(|w| s[..ls].contains(w));
        // "《结项审批书》各一式三份": a listed document in copies is asked for (once).
        let in_copies = listed_in_copies[k];
        // A length written after the noun: "研究报告，字数5万字左右".
        // A count written after the noun: "研究报告1篇", "论文2篇以上", "专报2期".
        // "成果简介：1份": a colon may stand between them.
        let colon = if s[le..].starts_with(':') { 1 } else { 0 };
        let trailing_count = if count_m.is_none() {
            COUNT
                .captures(&s[le + colon..])
                .filter(|c| {
                    let m = c.get(0).unwrap();
                    m.start() == 0
                        && matches!(
                            c.name("unit").unwrap().as_str(),
                            "篇" | "份" | "部" | "本" | "册" | "套" | "个" | "期"
                        )
                        && !overlaps(&copies, le + colon, le + colon + m.end())
                })
                .map(|c| (count_of(&c), le + colon + c.get(0).unwrap().end()))
        } else {
            None
        };
        // A length written after the noun (and its count): "研究报告，字数5万字左右",
        // "调研报告1篇（1.5万字左右）", "研究报告1篇，字数不少于1万字".
        let trailing_len = if len_m.is_none() && kind == Kind::Report {
            let from = trailing_count.as_ref().map_or(le, |t| t.1);
            let next_noun = nouns.get(k + 1).map_or(s.len(), |x| x.0).max(from);
            trailing_length(&s[from..next_noun])
                .map(|(l, e)| (l, from + e))
                // "咨询报告应提出…的建议，字数为…": a length after a comma is the
                // sentence's subject's, not a weak noun's in the middle of it.
                .filter(|(_, e)| !(weak && k > 0 && s[from..*e].contains([',', '，'])))
        } else {
            None
        };
        prev_end = le;
        // A weak head is counted in documents (篇, 份 …), not in 项 or 个: "1项以上…改革成果"
        // is a target, not a paper.
        let doc_unit = |c: &regex::Captures| {
            matches!(
                c.name("unit").unwrap().as_str(),
                "篇" | "份" | "部" | "本" | "册" | "套" | "期"
            )
        };
        let count_m = count_m.filter(|c| !weak || doc_unit(c));
        let figure = count_m.is_some()
            || len_m.is_some()
            || trailing_len.is_some()
            || trailing_count.is_some();
        if optional || described || !(figure || in_copies || (verb && !weak)) {
            last = None;
            continue;
        }
        // Copies are prints of one document: it is asked for once.
        let mut count = count_m.as_ref().map(count_of).unwrap_or(if in_copies {
            Range::exactly(1)
        } else {
            Range::at_least(1)
        });
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
            used.push((le, *e));
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
        let label = clean_label(word);
        // "每篇…3000字", "2份各3000字左右的…": the length is each piece's.
        let each_after = trailing_len
            .as_ref()
            .is_some_and(|(_, e)| s[le..*e].contains(['每', '各']));
        let each_before = ["每篇", "每份", "每部", "每本", "每期"]
            .iter()
            .any(|w| piece.contains(w))
            || len_m
                .as_ref()
                .is_some_and(|c| piece[..c.get(0).unwrap().start()].ends_with('各'));
        if length.is_some() && (each_before || each_after) {
            count.per_piece = true;
        }
        if or_join
            && let Some((idx, first_opt, first_q)) = &last
            && out[*idx].kind == kind
        {
            let f = &mut out[*idx];
            if f.alternatives.is_empty() {
                f.alternatives.push(first_opt.clone());
                if f.label != option_text {
                    f.label = head.to_string();
                }
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
            orphan: false,
            counted: count_m.is_some() || trailing_count.is_some() || in_copies,
            also: Vec::new(),
            condition: None,
        });
        last = Some((out.len() - 1, option_text, qstart));
    }

    // Pass 1b: a length no noun took ("…,篇幅一般不超过5000字", "…,6000字以上") belongs to
    // the deliverable the sentence is about: one already read without a length, else the
    // sentence's first deliverable noun; with no noun it is left for the line or the item
    // (`orphan`).
    for c in LENGTH.captures_iter(s) {
        let m = c.get(0).unwrap();
        if overlaps(&used, m.start(), m.end()) {
            continue;
        }
        used.push((m.start(), m.end()));
        let length = length_of(&c);
        if let Some(f) = out
            .iter_mut()
            .filter(|f| f.kind == Kind::Report && f.length.is_none())
            .min_by_key(|f| f.at)
        {
            f.length = Some(length);
            continue;
        }
        let first = nouns.iter().find(|x| x.2 == Kind::Report);
        match first {
            Some(x) if !out.iter().any(|f| f.kind == Kind::Report) => out.push(Found {
                kind: Kind::Report,
                label: clean_label(&x.3),
                count: Range::at_least(1),
                length: Some(length),
                unit: None,
                alternatives: Vec::new(),
                quote: n.quote(start + x.0, start + m.end()),
                at: start + x.0,
                orphan: false,
                counted: false,
                also: Vec::new(),
                condition: None,
            }),
            _ => out.push(Found {
                kind: Kind::Report,
                label: String::new(),
                count: Range::at_least(1),
                length: Some(length),
                unit: None,
                alternatives: Vec::new(),
                quote: n.quote(start, end),
                at: start + m.start(),
                orphan: true,
                counted: false,
                also: Vec::new(),
                condition: None,
            }),
        }
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
        // Documents (份, 篇) are read with their nouns in pass 1; a document count left over
        // is copies or an application form ("申报书6份"), not a target.
        if matches!(c.name("unit").unwrap().as_str(), "份" | "篇") {
            continue;
        }
        // "成果包括2个:1.…": the count announces a list, whose entries are read themselves.
        if rest0.starts_with(':') {
            continue;
        }
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
        // "资助学术交流类项目15个", "立项课题10项": how many projects the call funds.
        let quota = ["项目", "课题", "类"].iter().any(|w| label.ends_with(w));
        let optional = OPTIONAL.iter().any(|w| s[..m.start()].contains(w));
        if label.is_empty() || quota || optional {
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
            orphan: false,
            counted: true,
            also: Vec::new(),
            condition: None,
        });
    }
    // "以专著成果形式结项的，专著字数不少于8万字": what this sentence asks holds for that form.
    if let Some(m) = FORM_CONDITION.find(s) {
        let cond = n.quote(start + m.start(), start + m.end());
        for f in &mut out {
            f.condition = Some(cond.clone());
        }
    }
    out.sort_by_key(|f| f.at);
    out
}

/// "以专著成果形式结项的", "以论文或研究报告形式立项的": one of several forms of result.
static FORM_CONDITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"以[^,，;。:]{1,12}?形式(?:结项|结题|立项|验收|完成)的?").unwrap()
});

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
///
/// A line whose first sentence is nothing but a deliverable's name ("（一）文章。",
/// "三、《项目研究报告》摘要版。要求：数量2份") is an entry listing that deliverable: it is a
/// requirement even without a figure, and the copies the entry asks for make it one document.
/// A length in a later sentence with no noun of its own goes to the line's first deliverable
/// ("咨询报告一篇。……字数为1.5万字左右"); the same deliverable named again later only adds its
/// length to the first mention.
pub fn read_line(n: &Norm, from: usize) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    for (k, (a, b)) in sentences(&n.text[from..]).into_iter().enumerate() {
        let (a, b) = (from + a, from + b);
        let got = read_sentence(n, a, b);
        if k == 0
            && got.is_empty()
            && let Some(f) = entry_noun(n, a, b)
        {
            out.push(f);
            continue;
        }
        out.extend(got);
    }
    // The entry's copies ("数量1份"): one document.
    if let Some(f) = out.first_mut()
        && f.kind == Kind::Report
        && f.count == Range::at_least(1)
        && COPIES.is_match(&n.text[from..])
    {
        f.count = Range::exactly(1);
        f.counted = true;
    }
    // Orphan lengths: to the line's first deliverable without a length.
    let mut k = 0;
    while k < out.len() {
        if out[k].orphan
            && let Some(t) = out
                .iter()
                .position(|f| !f.orphan && f.kind == Kind::Report && f.length.is_none())
        {
            let o = out.remove(k);
            let f = &mut out[if t > k { t - 1 } else { t }];
            f.length = o.length;
            f.also.push(o.quote);
            continue;
        }
        k += 1;
    }
    // A deliverable named again only to give its length.
    let mut k = 1;
    while k < out.len() {
        // "咨询报告一篇。报告应……字数为1.2万字左右": 报告 is the 咨询报告 again.
        let dup = (0..k).find(|&j| {
            out[j].label.ends_with(&out[k].label)
                && !out[k].label.is_empty()
                && out[j].length.is_none()
                && out[k].length.is_some()
                && !out[k].counted
        });
        if let Some(j) = dup {
            let f = out.remove(k);
            out[j].length = f.length;
            out[j].also.push(f.quote);
            continue;
        }
        k += 1;
    }
    dedupe_bare(&mut out);
    out
}

/// Does a sentence state a length (…字) or a count of documents (N篇, N部), the figures a
/// reviewer must not lose?
pub fn states_figure(s: &str) -> bool {
    if LENGTH.is_match(s) {
        return true;
    }
    let copies: Vec<(usize, usize)> = COPIES.find_iter(s).map(|m| (m.start(), m.end())).collect();
    COUNT.captures_iter(s).any(|c| {
        let m = c.get(0).unwrap();
        let a = c.name("a").unwrap().as_str();
        matches!(c.name("unit").unwrap().as_str(), "篇" | "部" | "册" | "本")
            && a != "若干"
            && !(is_chinese_numeral(a) && a.chars().count() == 1 && a != "一" && a != "两")
            && !overlaps(&copies, m.start(), m.end())
    })
}

/// Drops a requirement that only names a deliverable ("撰写课题报告": no count, no length)
/// when the same deliverable is also asked for with figures ("完成一篇课题报告").
pub fn dedupe_bare(out: &mut Vec<Found>) {
    let bare = |f: &Found| !f.counted && f.length.is_none();
    let mut k = 0;
    while k < out.len() {
        let f = &out[k];
        let covered = bare(f)
            && !f.orphan
            && f.alternatives.is_empty()
            && out.iter().enumerate().any(|(j, g)| {
                j != k
                    && g.kind == f.kind
                    && (g.label.ends_with(&f.label) || f.label.ends_with(&g.label))
                    && !bare(g)
            });
        if covered {
            out.remove(k);
        } else {
            k += 1;
        }
    }
}

/// The deliverable a sentence names and nothing else ("文章", "《项目研究报告》摘要版").
fn entry_noun(n: &Norm, a: usize, b: usize) -> Option<Found> {
    let s = &n.text[a..b];
    let bare: String = s
        .chars()
        .filter(|c| !matches!(c, '《' | '》' | '“' | '”' | '"' | ':' | ',' | '、'))
        .collect();
    if bare.is_empty() || bare.chars().count() > 20 || !bare.chars().all(|c| c > '\u{2E80}') {
        return None;
    }
    let ns = nouns(s);
    let covered: usize = ns.iter().map(|x| s[x.0..x.1].chars().count()).sum();
    if ns.is_empty() || covered < bare.chars().count() {
        return None;
    }
    let kind = ns.last().unwrap().2;
    Some(Found {
        kind,
        label: bare,
        count: Range::at_least(1),
        length: None,
        unit: None,
        alternatives: Vec::new(),
        quote: n.quote(a, b),
        at: a,
        orphan: false,
        counted: false,
        also: Vec::new(),
        condition: None,
    })
}
