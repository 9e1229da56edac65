//! `yanshou guide`: calls for proposals → requirement specs.
//!
//! A call is read in four steps:
//!
//! 1. **Lines.** The extracted paragraphs, with run-on paragraphs split where a new numbered
//!    entry starts after 。or ；("…报告。2.学会服务…"), page numbers and converter junk
//!    (`[bookmark: …]`) dropped; the rows of an indicator table in a Word call become one line
//!    each (`table_lines`).
//! 2. **Outline.** Each line that starts with a numbering marker opens a node. Calls nest
//!    their numbering styles in whatever order they like (`一、` › `1.`; `（一）` › `1.` › `（1）`
//!    › `①`; `课题1：`), so levels are assigned the way a reader does it: a style seen before
//!    closes everything opened after it, a new style opens a level below the current one.
//!    Lines without a marker belong to the node above them. A node whose title is a field
//!    label (项目内容, 考核指标, 申报主体, 申报条件 …), or an unnumbered line that is one
//!    ("考核指标："), puts what follows in that field; a label yanshou does not know only ends
//!    the field before it. The outline groups and names items: it is a hint, not a
//!    precondition for finding deliverables.
//! 3. **Items.** An item is a node with fields of its own, a `课题N` heading, or deliverables
//!    in its own text, whose heading names a project (not a requirement sentence, not one of
//!    the call's own sections such as 成果要求, not a deliverable's name); when nested items
//!    qualify, the deepest ones are the items and their ancestors are categories. Item ids
//!    follow the document's numbering, without a single wrapper section that all items share
//!    ("四、项目内容及要求").
//! 4. **Requirements.** Every sentence is mined for deliverables (see `reqs`), then placed:
//!    under the item it sits in (its assessment fields when it has them, else all its text);
//!    under every item when it sits in a results section outside the items (结项要求 …); or,
//!    when the call has no project items at all (a notice for one project), under one item
//!    for the whole call, read from every line except eligibility (申报条件), money, dates and
//!    unknown labels. A length stated with no deliverable goes to the deliverable the passage
//!    is about (`place_orphans`). An assessment line that yields no figure becomes a
//!    `qualitative` requirement, and an item with nothing readable gets one quoting its
//!    content. Never silent: every sentence with a 字 length or a count of documents that
//!    gave no requirement is a warning "未读懂的要求：<quote>".

pub mod norm;
pub mod reqs;
pub mod spec;

use norm::{Norm, clean_title};
use regex::Regex;
use reqs::Found;
pub use spec::{DatedQuote, Item, Kind, Length, Range, Requirement, SPEC_SCHEMA, Spec};
use std::sync::LazyLock;

/// The numbering styles a call uses for its outline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// 一、
    CnDun,
    /// （一）
    CnParen,
    /// 课题1： / 专题一、
    Topic,
    /// 1. / 1、
    Arabic,
    /// 1)
    ArabicHalfParen,
    /// （1）
    ArabicParen,
    /// ①
    Circled,
}

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    /// 研究内容, 项目内容: the work, read for deliverables only when there is no assessment.
    Content,
    /// 考核指标, 项目要求, 申报要求 …: what acceptance checks.
    Assessment,
    Applicants,
    /// 申报条件, 申报资格: who may apply. Eligibility, never requirements.
    Eligibility,
    Quantity,
    Funding,
    Deadline,
    /// Anything else labelled (联系方式 …): not read for requirements.
    Other,
}

const FIELD_LABELS: &[(&str, Field)] = &[
    ("研究内容", Field::Content),
    ("项目内容", Field::Content),
    ("主要内容", Field::Content),
    ("建设内容", Field::Content),
    ("主要任务", Field::Content),
    ("工作任务", Field::Content),
    ("任务要求", Field::Assessment),
    ("考核指标", Field::Assessment),
    ("考核要求", Field::Assessment),
    ("验收指标", Field::Assessment),
    ("验收要求", Field::Assessment),
    ("验收标准", Field::Assessment),
    ("绩效目标", Field::Assessment),
    ("预期成果", Field::Assessment),
    ("成果形式", Field::Assessment),
    ("成果要求", Field::Assessment),
    ("项目要求", Field::Assessment),
    ("相关要求", Field::Assessment),
    ("申报要求", Field::Assessment),
    ("结项要求", Field::Assessment),
    ("结题要求", Field::Assessment),
    ("结项条件", Field::Assessment),
    ("结题条件", Field::Assessment),
    ("验收条件", Field::Assessment),
    ("申报条件", Field::Eligibility),
    ("申报资格", Field::Eligibility),
    ("资格条件", Field::Eligibility),
    ("基本条件", Field::Eligibility),
    ("申报人条件", Field::Eligibility),
    ("申报主体", Field::Applicants),
    ("申报对象", Field::Applicants),
    ("申报单位", Field::Applicants),
    ("项目数量", Field::Quantity),
    ("资助数量", Field::Quantity),
    ("经费安排", Field::Funding),
    ("项目经费", Field::Funding),
    ("资助金额", Field::Funding),
    ("资助额度", Field::Funding),
    ("经费额度", Field::Funding),
    ("完成时间", Field::Deadline),
    ("完成时限", Field::Deadline),
    ("实施周期", Field::Deadline),
    ("执行期限", Field::Deadline),
    ("研究周期", Field::Deadline),
    ("联系方式", Field::Other),
    ("申报程序", Field::Other),
];

/// The field a title starts with: the label alone, or followed by `:` / `。`.
fn field_of(title: &str) -> Option<(Field, usize)> {
    for &(label, f) in FIELD_LABELS {
        if let Some(rest) = title.strip_prefix(label)
            && (rest.is_empty() || rest.starts_with([':', '。', '.']))
        {
            let skip = label.len() + rest.chars().next().map_or(0, |c| c.len_utf8());
            return Some((f, skip));
        }
    }
    None
}

static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:",
        r"(?P<topic>(?:子课题|课题|专题|项目|任务)(?P<tn>\d{1,2}|[一二三四五六七八九十]{1,3})(?:[:.、]|(?:\s|$)))",
        r"|(?P<cndun>第?(?P<cn>[一二三四五六七八九十]{1,3})[、.])",
        r"|(?P<cnparen>\((?P<cp>[一二三四五六七八九十]{1,3})\))",
        r"|(?P<ap>\((?P<apn>\d{1,2})\))",
        r"|(?P<ahp>(?P<ahpn>\d{1,2})\))",
        // "1.形成…" and "1.2018年以来…" (an entry that starts with a year), not "1.5万".
        r"|(?P<ar>(?P<arn>\d{1,2})(?:[、]|\.(?:[^\d]|$|(?:19|20)\d\d年)))",
        r"|(?P<circ>[①-⑳])",
        r")"
    ))
    .unwrap()
});

/// A line's numbering marker: style, number and the byte length of the marker.
fn marker(text: &str) -> Option<(Style, u32, usize)> {
    let c = MARKER.captures(text)?;
    let num = |name: &str| {
        let s = c.name(name).unwrap().as_str();
        s.parse::<u32>()
            .ok()
            .or_else(|| crate::numerals::parse_chinese(s).map(|n| n as u32))
            .unwrap_or(0)
    };
    if let Some(m) = c.name("topic") {
        let len = if m
            .as_str()
            .ends_with(|c: char| c.is_alphanumeric() || c > '\u{2E80}')
        {
            // "项目1 " with the separator as white space dropped: marker ends at the number.
            c.name("tn").unwrap().end()
        } else {
            m.end()
        };
        return Some((Style::Topic, num("tn"), len));
    }
    if let Some(m) = c.name("cndun") {
        return Some((Style::CnDun, num("cn"), m.end()));
    }
    if let Some(m) = c.name("cnparen") {
        return Some((Style::CnParen, num("cp"), m.end()));
    }
    if let Some(m) = c.name("ap") {
        return Some((Style::ArabicParen, num("apn"), m.end()));
    }
    if let Some(m) = c.name("ahp") {
        return Some((Style::ArabicHalfParen, num("ahpn"), m.end()));
    }
    if c.name("ar").is_some() {
        let n = c.name("arn").unwrap();
        // The separator after the digits: 、 (3 bytes) or "." (1); the regex also took the
        // character after a "." to tell "1.形成" from "1.5万".
        let sep = text[n.end()..].chars().next().map_or(0, char::len_utf8);
        return Some((Style::Arabic, num("arn"), n.end() + sep));
    }
    if let Some(m) = c.name("circ") {
        let n = m.as_str().chars().next().unwrap() as u32 - '①' as u32 + 1;
        return Some((Style::Circled, n, m.end()));
    }
    None
}

#[derive(Debug)]
struct Line {
    norm: Norm,
    /// Byte offset in `norm.text` where the content starts (after marker / field label).
    body: usize,
    /// The field this line's content is in, if any.
    field: Option<Field>,
}

#[derive(Debug)]
struct Node {
    style: Option<Style>,
    num: u32,
    parent: Option<usize>,
    children: Vec<usize>,
    /// The heading line (the one with the marker); none for the root.
    head: Option<Line>,
    /// Unnumbered lines under this node.
    lines: Vec<Line>,
    /// The field this node is (its title is a label) or inherits.
    field: Option<Field>,
    /// Field set by an unnumbered label line ("考核指标：") for what follows.
    active: Option<Field>,
    /// Does this node have fields of its own (children or labelled lines)?
    has_fields: bool,
}

static OTHER_LABEL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\p{Han}{2,8}:").unwrap());
static JUNK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\[[A-Za-z_]+:[A-Za-z0-9_]*\])+|^[-*•·]+").unwrap());
static PAGE_NO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:-?\d{1,3}-?|第\d+页(?:/?共\d+页)?|\d+/\d+)$").unwrap());
static RUN_ON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[。;](?:\d{1,2}[.、][^\d]|\(\d{1,2}\)|[①-⑳]|[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\)|课题\d)").unwrap()
});

/// The document's lines: junk and page numbers dropped, lines that a PDF converter wrapped
/// mid-sentence joined back, run-on paragraphs split.
fn lines_of(text: &str) -> Vec<String> {
    let mut joined: Vec<String> = Vec::new();
    for raw in text.lines() {
        let mut n = Norm::new(raw);
        // Converter junk and list bullets at the start of a line are not content.
        let mut raw = raw.to_string();
        if let Some(m) = JUNK.find(&n.text) {
            let o = n.orig[n.char_at(m.end())];
            raw = n.original[o..].iter().collect();
            n = Norm::new(&raw);
        }
        let raw = raw.as_str();
        if n.is_empty() || PAGE_NO.is_match(&n.text) {
            continue;
        }
        if let Some(prev) = joined.last_mut() {
            let pn = Norm::new(prev);
            // A long line that stops without punctuation, followed by a line that opens no
            // numbered entry, is one sentence wrapped by the converter ("…中位居" + "前列；").
            // Titles ("…工作方案", "课题1：…方向") also stop without punctuation: a wrapped line
            // is an entry or sentence that has punctuation inside or a marker in front.
            let open = !pn.text.ends_with(|c: char| "。;:!?,，、)".contains(c));
            let sentence_like =
                marker(&pn.text).is_some() || pn.text.contains([',', '、', ';', '。']);
            if open
                && sentence_like
                && pn.len() >= 20
                && marker(&n.text).is_none()
                && field_of(&n.text).is_none()
                && !n.text.starts_with('[')
            {
                prev.push_str(raw.trim());
                continue;
            }
        }
        joined.push(raw.to_string());
    }
    let mut out = Vec::new();
    for raw in &joined {
        let n = Norm::new(raw);
        // Split "…报告。2.学会…" at the sentence end, in original-text terms.
        let mut cuts = Vec::new();
        for m in RUN_ON.find_iter(&n.text) {
            let after = m.start() + n.text[m.start()..].chars().next().unwrap().len_utf8();
            cuts.push(n.char_at(after));
        }
        // A heading run into its first field ("课题1：…发展方向研究内容：全面阐释…", as PDF
        // paragraph joining produces): split before the field label. Only after a real
        // heading: a marker alone ("（2）申报主体：") is not split off.
        for &(label, _) in FIELD_LABELS {
            let pat = format!("{label}:");
            let mut from = 0;
            while let Some(i) = n.text[from..].find(&pat) {
                let at = from + i;
                let before = &n.text[..at];
                let head_chars = before.chars().count();
                let prev = before.chars().last();
                if head_chars >= 6
                    && prev.is_some_and(|c| !c.is_ascii_punctuation() && !"。，、：；".contains(c))
                {
                    cuts.push(n.char_at(at));
                }
                from = at + pat.len();
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        let mut start = 0usize;
        for c in cuts {
            let o = n.orig[c];
            out.push(n.original[start..o].iter().collect());
            start = o;
        }
        out.push(n.original[start..].iter().collect());
    }
    out
}

fn build_outline(lines: &[String]) -> Vec<Node> {
    let mut nodes = vec![Node {
        style: None,
        num: 0,
        parent: None,
        children: Vec::new(),
        head: None,
        lines: Vec::new(),
        field: None,
        active: None,
        has_fields: false,
    }];
    // The open path: node indices from the root's child down.
    let mut path: Vec<usize> = Vec::new();
    for raw in lines {
        let norm = Norm::new(raw);
        if let Some((style, num, mlen)) = marker(&norm.text) {
            // Close to the level of an earlier node of this style, if one is open.
            if let Some(pos) = path.iter().position(|&i| nodes[i].style == Some(style)) {
                path.truncate(pos);
            }
            let parent = path.last().copied().unwrap_or(0);
            let own = field_of(&norm.text[mlen..]);
            // A real field ("考核指标：" then "1.…") takes the numbered entries under it; an
            // unread label ("类别：…", "本课题实施周期：…") only its own line.
            let inherited = nodes[parent]
                .field
                .or(nodes[parent].active.filter(|f| *f != Field::Other));
            let field = own.map(|f| f.0).or(inherited);
            if own.is_some() {
                nodes[parent].has_fields = true;
            }
            let body = mlen + own.map_or(0, |f| f.1);
            let idx = nodes.len();
            nodes.push(Node {
                style: Some(style),
                num,
                parent: Some(parent),
                children: Vec::new(),
                head: Some(Line { norm, body, field }),
                lines: Vec::new(),
                field,
                active: None,
                has_fields: false,
            });
            nodes[parent].children.push(idx);
            path.push(idx);
        } else {
            let cur = path.last().copied().unwrap_or(0);
            let own = field_of(&norm.text);
            if let Some((f, _)) = own {
                nodes[cur].active = Some(f);
                if f != Field::Other {
                    nodes[cur].has_fields = true;
                }
            } else if OTHER_LABEL.is_match(&norm.text) {
                // "申报截止时间：…", "各有关单位：", "成果简介：…": a label yanshou does not
                // know ends the field before it, and its line is read as plain text (a
                // label is no reason to drop what the line asks for).
                nodes[cur].active = None;
            }
            let field = own.map(|f| f.0).or(nodes[cur].active).or(nodes[cur].field);
            let body = own.map_or(0, |f| f.1);
            nodes[cur].lines.push(Line { norm, body, field });
        }
    }
    nodes
}

/// Every line of a node's subtree, in document order, with the node each belongs to.
fn subtree_lines<'a>(nodes: &'a [Node], i: usize, out: &mut Vec<(usize, &'a Line)>) {
    if let Some(h) = &nodes[i].head {
        out.push((i, h));
    }
    for l in &nodes[i].lines {
        out.push((i, l));
    }
    for &c in &nodes[i].children {
        subtree_lines(nodes, c, out);
    }
}

/// The item's title: the heading's first sentence, without a trailing budget "（50万元）".
fn title_of(line: &Line) -> String {
    let t = &line.norm.text[line.body..];
    let end = t.find(['。', ':', ';']).unwrap_or(t.len());
    let mut e = end;
    static BUDGET: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\([\d.\-]+万元[^)]*\)$").unwrap());
    if let Some(m) = BUDGET.find(&t[..end]) {
        e = m.start();
    }
    clean_title(&line.norm.quote(line.body, line.body + e))
}

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<y>20\d\d)年(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日|(?P<end>底|末))?)?").unwrap()
});
static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"20\d\d年\d{1,2}月(?:\d{1,2}日)?(?:-|至|到)(?P<y>20\d\d)年(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?").unwrap()
});

fn iso(y: &str, m: Option<&str>, d: Option<&str>) -> Option<String> {
    let y: i16 = y.parse().ok()?;
    let m: i8 = m.map_or(Some(12), |m| m.parse().ok())?;
    let d: i8 = match d {
        Some(d) => d.parse().ok()?,
        None => crate::dates::last_day_of_month(y, m)?,
    };
    crate::dates::iso(y, m, d)
}

/// Deadlines in one sentence: (date, is_application_deadline, quote).
fn deadlines(n: &Norm, a: usize, b: usize) -> Vec<(String, bool, String)> {
    let s = &n.text[a..b];
    // "…前报送/前提交" is the application's date when it sends the 申报书, the deliverables'
    // when it sends 成果 or a report ("研究成果须于2025年12月31日前报送"); with neither named it
    // stays the application's, as calls mostly say it of the 申报材料.
    let submission = s.contains("前报送") || s.contains("前提交");
    let results = ["成果", "结题", "结项", "验收", "研究报告", "总报告"]
        .iter()
        .any(|w| s.contains(w));
    let application = s.contains("前完成申报")
        || s.contains("前申报")
        || s.contains("申报截止")
        || s.contains("截止申报")
        || s.contains("前提交申报")
        || s.contains("受理截止")
        || (submission && (s.contains("申报") || !results));
    let completion = [
        "完成",
        "结题",
        "验收",
        "实施周期",
        "执行期",
        "研究周期",
        "完成时间",
        "周期",
    ]
    .iter()
    .any(|w| s.contains(w))
        || (submission && results && !application);
    if !(application || completion) {
        return Vec::new();
    }
    if let Some(c) = PERIOD.captures(s) {
        let m = c.get(0).unwrap();
        if let Some(d) = iso(
            c.name("y").unwrap().as_str(),
            c.name("m").map(|m| m.as_str()),
            c.name("d").map(|m| m.as_str()),
        ) {
            return vec![(d, application, n.quote(a + m.start(), a + m.end()))];
        }
    }
    let mut out = Vec::new();
    for c in DATE.captures_iter(s) {
        let m = c.get(0).unwrap();
        // "2022年度" is a year of work, not a date; a bare year with 底/末 is.
        if c.name("m").is_none() && !s[m.end()..].starts_with(['底', '末']) {
            continue;
        }
        let d = c.name("d").map(|m| m.as_str());
        if let Some(date) = iso(
            c.name("y").unwrap().as_str(),
            c.name("m").map(|m| m.as_str()),
            d,
        ) {
            out.push((date, application, n.quote(a + m.start(), a + m.end())));
        }
    }
    out
}

static APPLICANTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"申报(?:对象|主体|单位)(?:须|必须)?(?:为|是|:)(?P<who>[^。;]+?)(?:[,，。;]|$)")
        .unwrap()
});
static FUND_EACH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:每个项目|每项|每个课题|单个项目)(?:经费|资助)?(?:额度|金额)?(?:为|不超过|最高)?(?P<a>\d+(?:\.\d+)?)(?:-(?P<b>\d+(?:\.\d+)?))?万元|(?P<a2>\d+(?:\.\d+)?)(?:-(?P<b2>\d+(?:\.\d+)?))?万元/(?:个|项)",
    )
    .unwrap()
});
static FUND_ANY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?P<a>\d+(?:\.\d+)?)万元").unwrap());
static QUANTITY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<a>\d+)(?:-(?P<b>\d+))?(?:个|项)").unwrap());

fn yuan(s: &str) -> Option<u64> {
    s.parse::<f64>().ok().map(|x| (x * 10000.0).round() as u64)
}

/// Per-item facts stated by one node (its own head and lines, not its children).
#[derive(Debug, Default, Clone)]
struct Facts {
    applicants: Option<String>,
    funding: Option<Range>,
    single_fund: Option<u64>,
    quantity: Option<Range>,
    deadline: Option<String>,
}

fn node_facts(node: &Node) -> Facts {
    let mut f = Facts::default();
    let lines = node.head.iter().chain(node.lines.iter());
    for l in lines {
        let t = &l.norm.text;
        if f.applicants.is_none() {
            if let Some(c) = APPLICANTS.captures(t) {
                let m = c.name("who").unwrap();
                // "省级、副省级科协，以及具有较好工作基础的地市级科协": the list goes on.
                let mut end = m.end();
                let rest = &t[end..];
                for lead in [",以及", "，以及", ",及", ",和", ",或"] {
                    if let Some(r) = rest.strip_prefix(lead) {
                        let e = r.find([',', '，', '。', ';']).unwrap_or(r.len());
                        end += lead.len() + e;
                        break;
                    }
                }
                f.applicants = Some(clean_title(&l.norm.quote(m.start(), end)));
            } else if l.field == Some(Field::Applicants) && l.body < t.len() {
                let rest = &t[l.body..];
                let e = rest.find(['。', ';']).unwrap_or(rest.len());
                f.applicants = Some(clean_title(&l.norm.quote(l.body, l.body + e)));
            }
        }
        if f.funding.is_none()
            && let Some(c) = FUND_EACH.captures(t)
        {
            let a = c.name("a").or(c.name("a2")).and_then(|m| yuan(m.as_str()));
            let b = c.name("b").or(c.name("b2")).and_then(|m| yuan(m.as_str()));
            f.funding = match (a, b) {
                (Some(a), Some(b)) => Some(Range::between(a, b)),
                (Some(a), None) => Some(Range::at_most(a)),
                _ => None,
            };
        }
        if l.field == Some(Field::Funding) && f.funding.is_none() {
            let all: Vec<_> = FUND_ANY.captures_iter(&t[l.body..]).collect();
            if all.len() == 1 {
                f.single_fund = yuan(&all[0]["a"]);
            }
        }
        if l.field == Some(Field::Quantity)
            && f.quantity.is_none()
            && let Some(c) = QUANTITY.captures(&t[l.body..])
        {
            let a: u64 = c["a"].parse().unwrap_or(0);
            f.quantity = Some(match c.name("b") {
                Some(b) => Range::between(a, b.as_str().parse().unwrap_or(a)),
                None => Range::exactly(a),
            });
        }
        for (a, b) in reqs::sentences(t) {
            for (d, app, _) in deadlines(&l.norm, a, b) {
                if !app && f.deadline.is_none() {
                    f.deadline = Some(d);
                }
            }
        }
    }
    f
}

/// Does a line (in the item's reading scope) demand a deliverable?
fn demands(line: &Line) -> bool {
    reqs::read_line(&line.norm, line.body)
        .iter()
        .any(|f| f.kind != Kind::Indicator && !f.orphan)
}

/// Words that end the headings of a call's own sections (申报要求, 注意事项, 项目管理 …).
const SECTION_WORDS: &[&str] = &[
    "要求", "事项", "材料", "条件", "资格", "说明", "安排", "程序", "通知", "规定", "流程", "纪律",
    "须知", "其他", "联系", "申报", "公告", "结项", "结题", "验收",
];

/// Words that end a section heading when it is short ("项目管理", "研究内容", "考核指标"), but
/// may end a project's name too ("学会规范化财务管理").
const SHORT_SECTION_WORDS: &[&str] = &[
    "管理", "方式", "时间", "形式", "对象", "范围", "原则", "目标", "办法", "标准", "期限", "经费",
    "成果", "内容", "任务", "指标",
];

/// Does a heading name a project (a topic), rather than state a requirement or a section?
fn names_a_project(head: &Line) -> bool {
    let t = &head.norm.text[head.body..];
    let end = t.find(['。', ':', ';', ',', '，']).unwrap_or(t.len());
    let title = &t[..end];
    let modal = ["须", "应", "需", "请", "要", "不得", "可以", "必须"];
    // "以专著形式结项的，…": a clause ending in 的 is a condition, not a name.
    title.chars().count() >= 4
        && !title.ends_with('的')
        && !reqs::is_deliverable_name(title)
        // "2.研究报告1份（不少于2万字）": a counted or sized document is a demand, not a name.
        && !reqs::states_figure(title)
        && !reqs::read_line(&Norm::new(title), 0).iter().any(|f| {
            matches!(f.kind, Kind::Report | Kind::Cases) && (f.counted || f.length.is_some())
        })
        && !modal.iter().any(|m| title.contains(m))
        && !SECTION_WORDS.iter().any(|w| title.ends_with(w))
        && !(title.chars().count() <= 6 && SHORT_SECTION_WORDS.iter().any(|w| title.ends_with(w)))
}

/// Reads a call for proposals from its extracted text.
pub fn parse_text(source: &str, text: &str) -> Spec {
    let lines = lines_of(text);
    let nodes = build_outline(&lines);
    let n = nodes.len();

    // Which nodes qualify as items on their own.
    let in_field = |i: usize| nodes[i].field.is_some();
    let mut qualifies = vec![false; n];
    for i in 1..n {
        if in_field(i) {
            continue;
        }
        let node = &nodes[i];
        // A node that only demands deliverables is an item when its heading names a project
        // ("1.智慧学会建设模式。形成…"), not when the heading is itself a requirement or one
        // of the call's own sections ("3.调研课题完成后需提交…", "二、成果要求").
        let own_demand = node.head.iter().chain(node.lines.iter()).any(demands)
            && node.head.as_ref().is_some_and(names_a_project);
        let has_fields = node.has_fields && node.head.as_ref().is_some_and(names_a_project);
        qualifies[i] = node.style == Some(Style::Topic) || has_fields || own_demand;
    }
    // A sibling of items, numbered alike and named like a project, that asks for counted
    // targets only ("（三）短视频类。制作短视频不少于10个") is an item too.
    for i in 1..n {
        if qualifies[i] || in_field(i) {
            continue;
        }
        let node = &nodes[i];
        let sibling_item = nodes[node.parent.unwrap_or(0)]
            .children
            .iter()
            .any(|&c| c != i && qualifies[c] && nodes[c].style == node.style);
        let asks = node
            .head
            .iter()
            .chain(node.lines.iter())
            .any(|l| !reqs::read_line(&l.norm, l.body).is_empty());
        if sibling_item && asks && node.head.as_ref().is_some_and(names_a_project) {
            qualifies[i] = true;
        }
    }
    // Items are the deepest qualifying nodes.
    let mut has_q_desc = vec![false; n];
    for i in (1..n).rev() {
        if (qualifies[i] || has_q_desc[i])
            && let Some(p) = nodes[i].parent
        {
            has_q_desc[p] = true;
        }
    }
    let items_idx: Vec<usize> = (1..n).filter(|&i| qualifies[i] && !has_q_desc[i]).collect();

    let ancestors = |i: usize| {
        let mut v = Vec::new();
        let mut c = nodes[i].parent;
        while let Some(p) = c {
            if p == 0 {
                break;
            }
            v.push(p);
            c = nodes[p].parent;
        }
        v.reverse();
        v
    };
    // A top-level section that holds every item is a wrapper, not a category.
    let tops: Vec<usize> = items_idx
        .iter()
        .map(|&i| ancestors(i).first().copied().unwrap_or(i))
        .collect();
    // It is told from a lone category ("一、学会改革前瞻调研类项目" → 1.1, 1.2) by holding
    // categories of its own (some item two levels down) or by a title about content.
    let wrapper = (!tops.is_empty()
        && tops.iter().all(|&t| t == tops[0])
        && !items_idx.contains(&tops[0])
        && (items_idx.iter().any(|&i| ancestors(i).len() >= 2)
            || nodes[tops[0]].head.as_ref().is_some_and(|h| {
                let t = &h.norm.text[h.body..];
                ["内容", "要求", "安排", "说明", "指南", "任务"]
                    .iter()
                    .any(|w| t.contains(w))
            })))
    .then(|| tops[0]);

    // Document-level facts: what the root and the wrapper (and non-item sections) say.
    let mut doc_deadline: Option<String> = None;
    let mut app_deadlines: Vec<DatedQuote> = Vec::new();
    for node in nodes.iter() {
        for l in node.head.iter().chain(node.lines.iter()) {
            for (a, b) in reqs::sentences(&l.norm.text) {
                for (d, app, q) in deadlines(&l.norm, a, b) {
                    if app && !app_deadlines.iter().any(|x| x.date == d) {
                        app_deadlines.push(DatedQuote { date: d, quote: q });
                    }
                }
            }
        }
    }
    let mut doc_nodes = vec![0];
    {
        doc_nodes.extend(wrapper);
        // Sections that contain no item (申报要求, 申报程序 …) state document-wide rules.
        for (i, &holds_items) in has_q_desc.iter().enumerate().skip(1) {
            let is_item_related = items_idx.contains(&i) || holds_items;
            let anc = ancestors(i);
            let under_item = anc.iter().any(|a| items_idx.contains(a));
            if !is_item_related && !under_item {
                doc_nodes.push(i);
            }
        }
        for &i in &doc_nodes {
            if let Some(d) = node_facts(&nodes[i]).deadline {
                doc_deadline.get_or_insert(d);
            }
        }
    }

    let mut warnings = Vec::new();
    // Text that requirements were read from besides their quotes.
    let mut read: Vec<String> = Vec::new();
    // Requirements a section outside every item states for all of them ("五、结项要求",
    // "成果要求：…" at document level): deliverables only.
    let mut shared: Vec<Found> = Vec::new();
    if !items_idx.is_empty() {
        for &d in &doc_nodes {
            let node = &nodes[d];
            let results_heading = node.head.as_ref().is_some_and(|h| {
                let t = &h.norm.text[h.body..];
                ["成果", "结项", "结题", "验收"]
                    .iter()
                    .any(|w| t.contains(w))
            });
            let about_results = results_heading || node.field == Some(Field::Assessment);
            if !about_results && d != 0 {
                continue;
            }
            for l in node.head.iter().chain(node.lines.iter()) {
                // At the top of the document only lines labelled as requirements
                // ("成果要求：…") speak for every item; the preamble does not.
                let speaks = if d == 0 {
                    l.field == Some(Field::Assessment)
                } else {
                    readable_everywhere(l.field)
                };
                if l.body < l.norm.text.len() && speaks {
                    shared.extend(
                        reqs::read_line(&l.norm, l.body)
                            .into_iter()
                            // A loose length only speaks for the items' deliverables
                            // under a results heading, not under 申报要求.
                            .filter(|f| {
                                matches!(f.kind, Kind::Report | Kind::Cases)
                                    && (!f.orphan || results_heading)
                            }),
                    );
                }
            }
        }
    }
    let mut items = Vec::new();
    for &i in &items_idx {
        let anc = ancestors(i);
        let id_path: Vec<u32> = anc
            .iter()
            .filter(|&&a| Some(a) != wrapper)
            .map(|&a| nodes[a].num)
            .chain(std::iter::once(nodes[i].num))
            .collect();
        let id = id_path
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(".");
        let category = anc
            .iter()
            .rev()
            .find(|&&a| Some(a) != wrapper)
            .and_then(|&a| nodes[a].head.as_ref())
            .map(title_of);
        let title = nodes[i].head.as_ref().map(title_of).unwrap_or_default();

        // Facts: the item's subtree first, then its ancestors nearest first.
        let mut sub: Vec<usize> = vec![i];
        let mut k = 0;
        while k < sub.len() {
            sub.extend(nodes[sub[k]].children.iter().copied());
            k += 1;
        }
        let mut facts = Facts::default();
        for &s in sub.iter().chain(anc.iter().rev()) {
            let f = node_facts(&nodes[s]);
            facts.applicants = facts.applicants.or(f.applicants);
            facts.funding = facts.funding.or(f.funding);
            facts.single_fund = facts.single_fund.or(f.single_fund);
            facts.quantity = facts.quantity.or(f.quantity);
            facts.deadline = facts.deadline.or(f.deadline);
        }
        let funding = facts.funding.or_else(|| {
            // "经费安排：60万元" for an item funding one project.
            let one = facts.quantity.as_ref().is_some_and(|q| q.max == Some(1));
            facts.single_fund.filter(|_| one).map(Range::at_most)
        });

        let mut lines = Vec::new();
        subtree_lines(&nodes, i, &mut lines);
        let has_assessment = lines
            .iter()
            .any(|(_, l)| l.field == Some(Field::Assessment));
        let mut found: Vec<Found> = Vec::new();
        for (_, l) in &lines {
            let read = match l.field {
                Some(Field::Assessment) => true,
                None | Some(Field::Content) => !has_assessment,
                _ => false,
            };
            if !read || l.body >= l.norm.text.len() {
                continue;
            }
            let got = reqs::read_line(&l.norm, l.body);
            if got.is_empty() && l.field == Some(Field::Assessment) {
                found.push(qualitative(l, true));
            }
            found.extend(got);
        }
        // A rule for all items that the item already states ("项目总结报告" / "总结报告") is
        // not asked twice.
        // A length it gives for a deliverable the item names without one is that
        // deliverable's ("二、成果要求：研究报告字数不少于2万字").
        for f in &shared {
            let same = |g: &Found| {
                !f.orphan
                    && g.kind == f.kind
                    && (g.label.ends_with(&f.label) || f.label.ends_with(&g.label))
            };
            // "专报篇幅一般不超过3000字" says how long a 专报 is where one is asked for; it
            // asks for none itself.
            let describes = !f.orphan
                && !f.counted
                && f.length.is_some()
                && Norm::new(&f.quote).text.starts_with(&f.label);
            match found.iter().position(same) {
                Some(j) => {
                    if found[j].length.is_none() && f.length.is_some() {
                        found[j].length = f.length.clone();
                        found[j].also.push(f.quote.clone());
                    }
                }
                None if describes => read.push(f.quote.clone()),
                None => found.push(f.clone()),
            }
        }
        place_orphans(&mut found, &mut warnings);
        reqs::dedupe_bare(&mut found);
        if found.is_empty() {
            // Nothing readable: the item's content is what a reviewer judges.
            let l = lines
                .iter()
                .map(|(_, l)| *l)
                .find(|l| matches!(l.field, Some(Field::Content)) && l.body < l.norm.text.len())
                .or_else(|| {
                    lines
                        .iter()
                        .map(|(_, l)| *l)
                        .find(|l| l.body < l.norm.text.len() && l.field.is_none())
                });
            if let Some(l) = l {
                found.push(qualitative(l, false));
            }
        }
        let requirements = numbered(&id, found, &mut read);
        items.push(Item {
            id,
            category,
            title,
            funding_yuan: funding,
            applicants: facts.applicants,
            deadline: facts.deadline.or_else(|| doc_deadline.clone()),
            quantity: facts.quantity,
            requirements,
        });
    }

    if items.is_empty() {
        // No numbered items: a notice for one project (or a call whose items are not
        // numbered) is one item, with every deliverable the document asks for, wherever it
        // stands. Counted targets (人, 场) only count inside a requirement section there.
        let mut all = Vec::new();
        subtree_lines(&nodes, 0, &mut all);
        let mut found: Vec<Found> = Vec::new();
        let name = notice_title(&lines);
        for (_, l) in &all {
            // The call's own name ("关于征集……咨询报告的通知") asks for nothing itself.
            if l.norm.len() <= 60 && clean_title(&l.norm.quote_chars(0, l.norm.len())) == name {
                continue;
            }
            // Eligibility asks things of the applicant; a document it asks for with a
            // stated size ("提供…的概述（3000-5000字）") is still to be handed in.
            let eligibility = l.field == Some(Field::Eligibility);
            if l.body >= l.norm.text.len() || !(readable_everywhere(l.field) || eligibility) {
                continue;
            }
            found.extend(reqs::read_line(&l.norm, l.body).into_iter().filter(|f| {
                (matches!(f.kind, Kind::Report | Kind::Cases)
                    && (!eligibility || f.length.is_some()))
                    || l.field == Some(Field::Assessment)
            }));
        }
        let mut w = Vec::new();
        place_orphans(&mut found, &mut w);
        reqs::dedupe_bare(&mut found);
        if found
            .iter()
            .any(|f| matches!(f.kind, Kind::Report | Kind::Cases))
        {
            warnings.extend(w);
            let mut facts = Facts::default();
            for node in &nodes {
                let f = node_facts(node);
                facts.applicants = facts.applicants.or(f.applicants);
                facts.funding = facts.funding.or(f.funding);
            }
            items.push(Item {
                id: "1".to_string(),
                category: None,
                title: notice_title(&lines),
                funding_yuan: facts.funding,
                applicants: facts.applicants,
                deadline: doc_deadline.clone(),
                quantity: None,
                requirements: numbered("1", found, &mut read),
            });
        }
    }
    // Never silent: a sentence that states a length or a count of documents and gave no
    // requirement is listed, so a reviewer can add it to NAME.spec.json by hand.
    {
        let mut quotes: Vec<&str> = read.iter().map(String::as_str).collect();
        for it in &items {
            quotes.extend(it.requirements.iter().map(|r| r.quote.as_str()));
        }
        let mut all = Vec::new();
        subtree_lines(&nodes, 0, &mut all);
        for (_, l) in &all {
            // Eligibility ("近三年发表论文2篇以上") is about who applies, not what to deliver.
            if l.field == Some(Field::Eligibility) {
                continue;
            }
            for (a, b) in reqs::sentences(&l.norm.text) {
                if !reqs::states_figure(&l.norm.text[a..b]) {
                    continue;
                }
                let q = l.norm.quote(a, b);
                let taken = quotes
                    .iter()
                    .any(|r| !r.is_empty() && (q.contains(r) || r.contains(q.as_str())));
                let w = unread(&q);
                if !taken && !warnings.contains(&w) {
                    warnings.push(w);
                }
            }
        }
    }
    if items.is_empty() {
        warnings.push(
            "未在文件中找到项目或考核要求：这可能是政策文件或通知，而不是申报指南；\
             如确为指南，请在指南旁放置 .spec.json 手工给出要求。"
                .to_string(),
        );
    }
    Spec {
        schema: SPEC_SCHEMA.to_string(),
        source: source.to_string(),
        title: doc_title(&lines),
        items,
        application_deadlines: app_deadlines,
        warnings,
    }
}

/// The name of a call read as one item: its "关于……的通知" line if it has one, else its
/// title; salutations ("各有关单位：") are never a name.
fn notice_title(lines: &[String]) -> String {
    let named = lines.iter().take(40).map(|l| clean_title(l)).find(|l| {
        let n = Norm::new(l).text;
        l.chars().count() <= 80
            && (n.starts_with("关于") || n.contains("《关于"))
            && ["通知", "指南", "公告", "要求", "规范", "》"]
                .iter()
                .any(|w| n.ends_with(w))
    });
    named.unwrap_or_else(|| doc_title(lines))
}

/// Fields whose lines are read for deliverables wherever they stand: not who may apply,
/// money, dates or labels yanshou does not read.
fn readable_everywhere(f: Option<Field>) -> bool {
    matches!(f, None | Some(Field::Content) | Some(Field::Assessment))
}

/// Requirements with ids "ITEM/1", "ITEM/2" … in order.
fn numbered(id: &str, found: Vec<Found>, read: &mut Vec<String>) -> Vec<Requirement> {
    for f in &found {
        read.extend(f.also.iter().cloned());
    }
    found
        .into_iter()
        .enumerate()
        .map(|(k, f)| Requirement {
            id: format!("{id}/{}", k + 1),
            kind: f.kind,
            label: f.label,
            count: f.count,
            length: f.length,
            unit: f.unit,
            alternatives: f.alternatives,
            condition: f.condition,
            quote: f.quote,
        })
        .collect()
}

/// Places the lengths stated with no deliverable ("篇幅一般不超过5000字") on the nearest
/// deliverable before them that has no length (the one the passage is about), else the
/// first one after; a length with no place is a warning, never dropped.
fn place_orphans(found: &mut Vec<Found>, warnings: &mut Vec<String>) {
    let mut k = 0;
    while k < found.len() {
        if !found[k].orphan {
            k += 1;
            continue;
        }
        let open = |f: &Found| !f.orphan && f.kind == Kind::Report && f.length.is_none();
        let target = (0..k)
            .rev()
            .find(|&j| open(&found[j]))
            .or_else(|| (k + 1..found.len()).find(|&j| open(&found[j])));
        let o = found.remove(k);
        match target {
            Some(t) => {
                let t = if t > k { t - 1 } else { t };
                found[t].length = o.length;
                found[t].also.push(o.quote);
            }
            None => {
                let w = unread(&o.quote);
                if !warnings.contains(&w) {
                    warnings.push(w);
                }
            }
        }
    }
}

/// The warning for a requirement sentence that was not read.
fn unread(quote: &str) -> String {
    format!("未读懂的要求：{quote}")
}

/// One qualitative requirement quoting a line's content (its first sentence for the label).
/// `whole`: quote the entire entry (an assessment line is one requirement), else only its
/// first sentence (an item's content standing in for requirements the call did not spell out).
fn qualitative(l: &Line, whole: bool) -> Found {
    let t = &l.norm.text[l.body..];
    let end = t.find(['。', ';']).unwrap_or(t.len());
    let all = if whole {
        t.trim_end_matches(['。', ';']).len()
    } else {
        end
    };
    let quote = l.norm.quote(l.body, l.body + all);
    let label_end = t[..end].find([',', '，']).unwrap_or(end);
    let mut label = clean_title(&l.norm.quote(l.body, l.body + label_end));
    if label.chars().count() > 24 {
        label = label.chars().take(24).collect::<String>() + "…";
    }
    Found {
        kind: Kind::Qualitative,
        label,
        count: Range::at_least(1),
        length: None,
        unit: None,
        alternatives: Vec::new(),
        quote,
        at: l.body,
        orphan: false,
        counted: false,
        also: Vec::new(),
        condition: None,
    }
}

/// The call's title: the line naming it a 指南/计划/通知, with a short line before it that
/// belongs to it ("科技社团改革与国家治理现代化" + "系列研究课题申报指南").
fn doc_title(lines: &[String]) -> String {
    let head: Vec<String> = lines
        .iter()
        .take(40)
        .map(|l| clean_title(l))
        .filter(|l| !l.is_empty())
        .collect();
    let is_attach = |l: &str| {
        let n = Norm::new(l).text;
        n.starts_with("附件") && n.chars().count() <= 8
    };
    let names = [
        "指南",
        "申报通知",
        "验收通知",
        "考核指标",
        "实施方案",
        "工作方案",
        "计划",
    ];
    let pick = head.iter().position(|l| {
        let n = Norm::new(l).text;
        l.chars().count() <= 60
            && names
                .iter()
                .any(|w| n.ends_with(w) || n.ends_with(&format!("{w}》")))
    });
    match pick {
        Some(i) => {
            let mut t = head[i].clone();
            if i > 0 {
                let prev = &head[i - 1];
                let pn = Norm::new(prev).text;
                if !is_attach(prev)
                    && prev.chars().count() <= 30
                    && !pn.ends_with(['。', ':', ';', ','])
                    && marker(&pn).is_none()
                    && !pn.ends_with('号')
                    && !pn.ends_with('日')
                    && !pn.ends_with("文件")
                {
                    t = format!("{prev}{t}");
                }
            }
            t
        }
        None => head
            .iter()
            .find(|l| {
                let n = Norm::new(l).text;
                // Not an attachment mark, a salutation ("各有关单位："), a site's menu
                // ("首页>…") or a numbered entry.
                !is_attach(l)
                    && !n.ends_with(':')
                    && !n.contains('>')
                    && marker(&n).is_none()
                    && (7..=60).contains(&n.chars().count())
            })
            .or_else(|| {
                head.iter()
                    .find(|l| !is_attach(l) && !Norm::new(l).text.ends_with(':'))
            })
            .or_else(|| head.iter().find(|l| !is_attach(l)))
            .cloned()
            .unwrap_or_default(),
    }
}

/// Reads a call for proposals from a file (.txt, .md, .docx, .pdf).
pub fn parse_path(path: &std::path::Path) -> Result<Spec, crate::extract::ExtractError> {
    let doc = crate::extract::extract_path(path)?;
    Ok(parse_document(&path.display().to_string(), &doc))
}

/// Reads a call for proposals from an extracted document, one line per paragraph; the rows
/// of an indicator table (指标名称 | 指标值 | 考核方式) become one line each.
pub fn parse_document(source: &str, doc: &crate::doc::Document) -> Spec {
    use crate::doc::ParaKind;
    let mut text = String::with_capacity(doc.text.len());
    let mut k = 0;
    while k < doc.paras.len() {
        if doc.paras[k].kind == ParaKind::TableCell {
            let mut e = k;
            while e < doc.paras.len() && doc.paras[e].kind == ParaKind::TableCell {
                e += 1;
            }
            let cells: Vec<&str> = doc.paras[k..e].iter().map(|p| doc.para_text(p)).collect();
            for line in table_lines(&cells) {
                text.push_str(&line);
                text.push('\n');
            }
            k = e;
            continue;
        }
        text.push_str(doc.para_text(&doc.paras[k]));
        text.push('\n');
        k += 1;
    }
    parse_text(source, &text)
}

/// Column names of the header row of a call's indicator or results table.
const TABLE_HEADS: &[&str] = &[
    "序号",
    "指标名称",
    "指标",
    "指标值",
    "目标值",
    "指标内容",
    "考核方式",
    "考核指标",
    "考核内容",
    "考核要求",
    "成果名称",
    "成果形式",
    "名称",
    "内容",
    "数量",
    "要求",
    "形式",
    "类别",
    "备注",
    "完成时间",
    "预期目标",
    "绩效指标",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度目标",
    "指标类型",
    "评价标准",
    "考核标准",
    "预期成果",
    "成果数量",
    "字数",
];

/// The lines of a run of table cells. With a header row of known column names, each row is
/// one line: the cell before the value column and the value run together as a phrase
/// ("研究报告" + "1篇，不少于3万字" → "研究报告1篇，不少于3万字"), the other cells after "；".
/// Without one, each cell is a line of its own.
fn table_lines(cells: &[&str]) -> Vec<String> {
    let norm: Vec<String> = cells.iter().map(|c| Norm::new(c).text).collect();
    let n = norm
        .iter()
        .take_while(|c| TABLE_HEADS.contains(&c.trim_end_matches(':')))
        .count();
    if n < 2 || cells.len() < 2 * n {
        return cells.iter().map(|c| c.to_string()).collect();
    }
    let head = &norm[..n];
    let value = head
        .iter()
        .position(|h| ["值", "目标", "数量", "字数"].iter().any(|w| h.contains(w)));
    let skip = head.iter().position(|h| h == "序号");
    let mut out = Vec::new();
    for row in cells[n..].chunks(n) {
        let mut parts: Vec<String> = Vec::new();
        for (j, cell) in row.iter().enumerate() {
            let cell = cell.trim();
            if Some(j) == skip {
                continue;
            }
            match value {
                Some(v) if j + 1 == v && Some(j) != skip => {
                    let val = row.get(v).map_or("", |c| c.trim());
                    parts.push(format!("{cell}{val}"));
                }
                Some(v) if j == v && v > 0 && Some(v - 1) != skip => {}
                _ if cell.is_empty() => {}
                _ => parts.push(cell.to_string()),
            }
        }
        // A row is a sentence: it ends, so the next row is not read as its wrapped tail.
        out.push(format!("{}。", parts.join("；")));
    }
    out
}

/// "1..1" → "1", "6..8" → "6-8", "5.." → "≥5".
pub fn range_text(r: &Range) -> String {
    match (r.min, r.max) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a}-{b}"),
        (Some(a), None) => format!("≥{a}"),
        (None, Some(b)) => format!("≤{b}"),
        (None, None) => "不限".to_string(),
    }
}

/// "≥30000字", "≈3000字", "3000-5000字".
pub fn length_text(l: &Length) -> String {
    if let Some(a) = l.approx {
        return format!("约{a}字");
    }
    format!(
        "{}字",
        range_text(&Range {
            min: l.min,
            max: l.max,
            per_piece: false,
        })
    )
}

/// The requirement's expectation in a reviewer's words: "1篇，≥30000字".
pub fn expected_text(r: &Requirement) -> String {
    let mut s = match r.kind {
        Kind::Qualitative => "专家判断".to_string(),
        _ => format!(
            "{}{}",
            range_text(&r.count),
            r.unit.as_deref().unwrap_or("")
        ),
    };
    if let Some(l) = &r.length {
        s.push('，');
        s.push_str(&length_text(l));
    }
    if !r.alternatives.is_empty() {
        s.push_str(&format!("（任选：{}）", r.alternatives.join(" / ")));
    }
    if let Some(c) = &r.condition {
        s.push_str(&format!("（{c}，与其他形式任选其一）"));
    }
    s
}

/// The human-readable table `yanshou guide` prints: item, requirement, numbers, quote.
pub fn render_table(spec: &Spec) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(s, "{}", spec.title);
    for d in &spec.application_deadlines {
        let _ = writeln!(s, "申报截止：{}（{}）", d.date, d.quote);
    }
    for it in &spec.items {
        let _ = writeln!(s);
        let _ = writeln!(s, "【{}】{}", it.id, it.title);
        if let Some(c) = &it.category {
            let _ = writeln!(s, "  类别：{c}");
        }
        if let Some(a) = &it.applicants {
            let _ = writeln!(s, "  申报对象：{a}");
        }
        if let Some(f) = &it.funding_yuan {
            let _ = writeln!(s, "  每项经费（元）：{}", range_text(f));
        }
        if let Some(q) = &it.quantity {
            let _ = writeln!(s, "  项目数量：{}", range_text(q));
        }
        if let Some(d) = &it.deadline {
            let _ = writeln!(s, "  完成期限：{d}");
        }
        for r in &it.requirements {
            let _ = writeln!(
                s,
                "  {}\t{}\t{}\t{}\t“{}”",
                r.id,
                r.kind.label_zh(),
                r.label,
                expected_text(r),
                r.quote
            );
        }
    }
    let unread: Vec<&String> = spec
        .warnings
        .iter()
        .filter(|w| w.starts_with("未读懂的要求"))
        .collect();
    if !unread.is_empty() {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "以下句子含字数或篇数要求，但未能读成要求，请在 .spec.json 中手工补充："
        );
        for w in unread {
            let _ = writeln!(s, "  {w}");
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_markers() {
        // An entry whose text starts with a year is still entry 1; a decimal is no entry.
        assert_eq!(marker("1.2018年以来主持课题"), Some((Style::Arabic, 1, 2)));
        assert_eq!(marker("1.5万字以上"), None);
        assert_eq!(marker("2.形成报告"), Some((Style::Arabic, 2, 2)));
        assert_eq!(marker("12、申报"), Some((Style::Arabic, 12, 5)));
    }

    #[test]
    fn table_rows_with_and_without_a_header() {
        let rows = table_lines(&["指标名称", "指标值", "研究报告", "1篇", "专报", "2篇"]);
        assert_eq!(rows, ["研究报告1篇。", "专报2篇。"]);
        // No header of known column names: each cell stays a line.
        let cells = table_lines(&["甲", "乙"]);
        assert_eq!(cells, ["甲", "乙"]);
    }
}
