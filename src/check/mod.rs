//! Checking one project's files against its item of a call: the 验收 itself.
//!
//! Input is the item's requirements and the cached facts of each submitted file (see
//! `facts`); output is one result per requirement with status, expected and actual figures
//! and evidence (file and detail), and the project's verdict. Everything here works on facts
//! only, so it is cheap and deterministic: the batch reruns it whenever anything changes.

pub mod checklist;
mod classify;
pub mod copying;
pub mod project;
pub mod vocab;

use serde::{Deserialize, Serialize};

use crate::doc::FileStatus;
use crate::facts::FileFacts;
use crate::guide::{Item, Kind, Requirement, expected_text};
use crate::text::thousands;
use classify::acceptable;
pub use classify::{Class, LabelSource, classify, classify_why, label_of_text};
use vocab::EVENT_EVIDENCE;

/// What `yanshou.toml` can change about checking.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CheckSettings {
    /// Tolerance for 左右/约 lengths, as a fraction (0.2 = ±20%).
    pub approx_tolerance: f64,
    /// Which 字数 a length is checked on: "body" (without cover, 目录, 参考文献, 附录, 致谢)
    /// or "total" (Word's 字数 of the whole file).
    pub length_scope: LengthScope,
    /// How far an OCR estimate must clear (or miss) a length to say so, as a fraction of the
    /// OCR'd 字数 (0.1 = 10%). OCR alone never passes or fails a report.
    pub ocr_margin: f64,
}

impl Default for CheckSettings {
    fn default() -> Self {
        CheckSettings {
            approx_tolerance: 0.2,
            length_scope: LengthScope::Body,
            ocr_margin: 0.1,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LengthScope {
    Body,
    Total,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Review,
    Fail,
    Missing,
}

impl Status {
    /// The status as the JSON outputs spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Review => "review",
            Status::Fail => "fail",
            Status::Missing => "missing",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Status::Pass => "通过",
            Status::Fail => "不通过",
            Status::Missing => "缺失",
            Status::Review => "需人工复核",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Fail,
    Review,
    /// A project the 立项名单 lists and nobody submitted anything for (batch only).
    Missing,
}

impl Verdict {
    /// The verdict as the JSON outputs spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Review => "review",
            Verdict::Missing => "missing",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Verdict::Pass => "通过",
            Verdict::Fail => "不通过",
            Verdict::Review => "需人工复核",
            Verdict::Missing => "未提交",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The file, relative to the project folder.
    pub path: String,
    pub detail: String,
    /// The part of a compilation the evidence is in, and where ("第二部分 建议报告（第35–80段）").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
}

impl Evidence {
    /// The file as a reviewer reads it: `汇编.docx#第二部分 建议报告（第35–80段）` for a part.
    pub fn shown(&self) -> String {
        match &self.part {
            Some(p) => format!("{}#{p}", self.path),
            None => self.path.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequirementResult {
    pub id: String,
    pub label: String,
    pub kind: Kind,
    pub status: Status,
    pub expected: String,
    pub actual: String,
    /// The call's words this requirement was read from.
    pub quote: String,
    pub evidence: Vec<Evidence>,
}

/// One submitted file as the checks see it.
#[derive(Debug, Clone, Default)]
pub struct SubmittedFile {
    /// Path relative to the project folder, with `/`.
    pub path: String,
    pub facts: FileFacts,
    /// The deliverable label, and how it was decided.
    pub label: Option<&'static str>,
    pub label_source: LabelSource,
    /// Why an inferred label was given ("文件名含“最终成果”").
    pub label_reason: Option<String>,
    /// The part of a compilation this is (the file's other parts are submitted files too).
    pub part: Option<PartRef>,
    /// Files joined to this one as one deliverable (研究报告（上）/（下）, 正文 + 附件): each
    /// with its body 字数; `path` is the first of them.
    pub joined: Vec<(String, u64)>,
}

/// A part of a compilation: "第二部分 建议报告" at "第35–80段".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartRef {
    pub name: String,
    pub range: String,
}

impl SubmittedFile {
    /// The file as a reviewer reads it: `汇编.docx#第二部分 建议报告（第35–80段）` for a part.
    pub fn shown(&self) -> String {
        match &self.part {
            Some(p) => format!("{}#{}（{}）", self.path, p.name, p.range),
            None => self.path.clone(),
        }
    }

    /// "项目最终成果.docx（32,103字，4章）": the file as a reviewer is pointed at it.
    pub fn described(&self) -> String {
        let file = self.path.rsplit('/').next().unwrap_or(&self.path);
        let name = match &self.part {
            Some(p) => format!("{file}#{}", p.name),
            None if self.joined.len() > 1 => format!("{file}等{}个文件", self.joined.len()),
            None => file.to_string(),
        };
        let mut bits = Vec::new();
        if let Some(w) = words_of(&self.facts, LengthScope::Body) {
            bits.push(format!("{}字", thousands(w)));
        }
        if self.facts.chapters >= 2 {
            bits.push(format!("{}章", self.facts.chapters));
        }
        if bits.is_empty() {
            name
        } else {
            format!("{name}（{}）", bits.join("，"))
        }
    }
}

fn words_of(f: &FileFacts, scope: LengthScope) -> Option<u64> {
    match scope {
        LengthScope::Body => f.body_counts.map(|c| c.words),
        LengthScope::Total => f.counts.map(|c| c.words),
    }
}

/// Does a length pass? And the reason when not.
fn length_ok(words: u64, req: &Requirement, tol: f64) -> Result<(), String> {
    let Some(l) = &req.length else {
        return Ok(());
    };
    if let Some(a) = l.approx {
        // The allowed deviation in whole 字, without float noise (3000 × 0.1 is 300.00000000000006).
        let dev = (a as f64 * tol + 1e-6).floor() as u64;
        let (lo, hi) = (a.saturating_sub(dev), a + dev);
        if words < lo || words > hi {
            return Err(format!(
                "{}字，不在约{}字允许的 {}–{} 字范围内（容差 {:.0}%）",
                thousands(words),
                thousands(a),
                thousands(lo),
                thousands(hi),
                tol * 100.0
            ));
        }
    }
    if let Some(min) = l.min
        && words < min
    {
        return Err(format!(
            "{}字，少于要求的{}字",
            thousands(words),
            thousands(min)
        ));
    }
    if let Some(max) = l.max
        && words > max
    {
        return Err(format!(
            "{}字，超过上限{}字",
            thousands(words),
            thousands(max)
        ));
    }
    Ok(())
}

/// Why the body figure of a file is in doubt, if it is.
fn body_doubt(f: &FileFacts) -> Option<String> {
    match (f.counts, f.body_counts) {
        (Some(t), Some(b)) => crate::sections::body_doubt(t.words, b.words),
        _ => None,
    }
}

fn file_figures(f: &FileFacts, scope: LengthScope) -> String {
    match (f.counts, f.body_counts) {
        (Some(t), Some(b)) => {
            let mut s = format!("全文{}字，正文{}字", thousands(t.words), thousands(b.words));
            if !f.excluded.is_empty() {
                let parts: Vec<String> = f
                    .excluded
                    .iter()
                    .map(|(l, w)| format!("{l}{}字", thousands(*w)))
                    .collect();
                s.push_str(&format!("（不计{}）", parts.join("、")));
            }
            if scope == LengthScope::Total {
                s.push_str("；按全文字数核对");
            }
            s
        }
        _ => String::new(),
    }
}

fn ev(path: &str, detail: impl Into<String>) -> Evidence {
    Evidence {
        path: path.to_string(),
        detail: detail.into(),
        part: None,
    }
}

/// Evidence in a submitted file, or in the part of a compilation it is.
fn evf(f: &SubmittedFile, detail: impl Into<String>) -> Evidence {
    Evidence {
        part: f
            .part
            .as_ref()
            .map(|p| format!("{}（{}）", p.name, p.range)),
        ..ev(&f.path, detail)
    }
}

fn count_status(found: u64, req: &Requirement) -> Status {
    let min = req.count.min.unwrap_or(1);
    if found == 0 {
        Status::Missing
    } else if found < min {
        Status::Fail
    } else {
        Status::Pass
    }
}

/// A length that rests on an OCR estimate is never passed or failed: `review`, saying whether
/// the estimate clears the requirement by the margin. `None`: no OCR in the file, no length
/// asked, or the file's text layer alone clears it.
fn ocr_verdict(f: &FileFacts, w: u64, req: &Requirement, s: &CheckSettings) -> Option<String> {
    let source = f.source?;
    let l = req.length.as_ref()?;
    let ok = |x: u64| length_ok(x, req, s.approx_tolerance).is_ok();
    if source == crate::report::TextSource::Mixed && ok(w) && ok(w.saturating_sub(f.ocr_words)) {
        return None;
    }
    let m = (f.ocr_words as f64 * s.ocr_margin).round() as u64;
    let (lo, hi) = (w.saturating_sub(m), w + m);
    let span = format!(
        "OCR 估计 {}–{} 字（±{:.0}%）",
        thousands(lo),
        thousands(hi),
        s.ocr_margin * 100.0
    );
    Some(if ok(lo) && ok(hi) {
        format!("扫描件，OCR 估计已达要求：{span}")
    } else if !ok(lo) && !ok(w) && !ok(hi) {
        let short = w < l.min.or(l.approx).unwrap_or(0);
        let what = if short {
            "不足要求"
        } else {
            "超出要求"
        };
        format!("扫描件，OCR 估计{what}：{span}")
    } else {
        format!("扫描件，OCR 估计接近要求，请人工核对：{span}")
    })
}

/// The files a report requirement may take, best first, each with the reason when the match
/// is inferred: its own label (or the call's words for it in the name or title), then close
/// relatives that no other report requirement names exactly.
fn report_candidates(
    req: &Requirement,
    files: &[SubmittedFile],
    used: &[usize],
    exact_elsewhere: &[usize],
) -> Vec<(usize, Option<String>)> {
    let labels = acceptable(&req.label);
    let own = crate::guide::norm::Norm::new(req.label.trim_matches(['“', '”'])).text;
    let mut cands: Vec<(usize, Option<String>)> = Vec::new();
    let mut push = |i: usize, f: &SubmittedFile| {
        if !used.contains(&i) && !cands.iter().any(|c| c.0 == i) {
            let why = (f.label_source == LabelSource::Inferred)
                .then(|| f.label_reason.clone().unwrap_or_else(|| "推断".into()));
            cands.push((i, why));
        }
    };
    for (i, f) in files.iter().enumerate() {
        // The call's own words for it in a name or title ("决策咨询专题报告"), on a file the
        // vocabulary gives no other genre.
        let named = (own.chars().count() >= 4 || !labels.is_empty())
            && f.label_source != LabelSource::Config
            && f.label.is_none_or(|l| labels.contains(&l))
            && (f.path.contains(own.as_str())
                || f.facts
                    .title
                    .as_deref()
                    .is_some_and(|t| t.contains(own.as_str())));
        if labels.first().is_some_and(|l| f.label == Some(*l)) || named {
            push(i, f);
        }
    }
    for l in labels.iter().skip(1) {
        for (i, f) in files.iter().enumerate() {
            if f.label == Some(*l) && !exact_elsewhere.contains(&i) {
                push(i, f);
            }
        }
    }
    cands
}

fn check_report(
    req: &Requirement,
    files: &[SubmittedFile],
    cands: Vec<(usize, Option<String>)>,
    used: &mut Vec<usize>,
    s: &CheckSettings,
) -> RequirementResult {
    let inferred: Vec<(usize, String)> = cands
        .iter()
        .filter_map(|(i, why)| why.clone().map(|w| (*i, w)))
        .collect();
    let cands: Vec<usize> = cands.into_iter().map(|c| c.0).collect();
    let need = req.count.min.unwrap_or(1) as usize;
    let mut evidence = Vec::new();
    let mut passing = Vec::new();
    let mut no_text = false;
    let mut failing_reason: Option<String> = None;
    let mut doubtful: Option<String> = None;
    let mut ocr_review: Option<String> = None;
    for &i in &cands {
        let f = &files[i];
        // A deliverable over several files: each piece is evidence.
        for (p, w) in &f.joined {
            let what = if *w > 0 {
                format!("合并计数：正文{}字", thousands(*w))
            } else {
                "合并计数：附件，计入全文字数".to_string()
            };
            evidence.push(ev(p, what));
        }
        match f.facts.status {
            FileStatus::NoText => {
                no_text = true;
                evidence.push(evf(
                    f,
                    "PDF 没有文字层（扫描件），无法核对字数，请人工核对或索取可复制文字的版本",
                ));
            }
            FileStatus::Error => {
                evidence.push(evf(
                    f,
                    format!("无法读取：{}", f.facts.error.as_deref().unwrap_or("")),
                ));
            }
            FileStatus::Ok => {
                let w = words_of(&f.facts, s.length_scope).unwrap_or(0);
                let figures = file_figures(&f.facts, s.length_scope);
                if let Some(why) = ocr_verdict(&f.facts, w, req, s) {
                    evidence.push(evf(f, format!("{figures}：{why}")));
                    ocr_review.get_or_insert(why);
                    continue;
                }
                match length_ok(w, req, s.approx_tolerance) {
                    Ok(()) => {
                        passing.push(i);
                        evidence.push(evf(f, figures));
                    }
                    // A body figure the tool itself doubts never fails a report on its own.
                    Err(why)
                        if s.length_scope == LengthScope::Body
                            && body_doubt(&f.facts).is_some() =>
                    {
                        let doubt = body_doubt(&f.facts).unwrap_or_default();
                        doubtful.get_or_insert(doubt.clone());
                        evidence.push(evf(f, format!("{figures}：{why}；{doubt}")));
                    }
                    Err(why) => {
                        failing_reason.get_or_insert(why.clone());
                        evidence.push(evf(f, format!("{figures}：{why}")));
                    }
                }
            }
        }
    }
    let readable = cands
        .iter()
        .filter(|&&i| files[i].facts.status == FileStatus::Ok)
        .count();
    let (status, actual) = if passing.len() >= need {
        used.extend(passing.iter());
        let words: Vec<String> = passing
            .iter()
            .filter_map(|&i| words_of(&files[i].facts, s.length_scope))
            .map(|w| format!("{}字", thousands(w)))
            .collect();
        let actual = if req.length.is_some() {
            format!("{}份，{}", passing.len(), words.join("、"))
        } else {
            format!("{}份", passing.len())
        };
        (Status::Pass, actual)
    } else if let Some(why) = ocr_review {
        used.extend(cands.iter());
        (Status::Review, why)
    } else if let Some(doubt) = doubtful {
        used.extend(cands.iter());
        (Status::Review, doubt)
    } else if no_text
        || cands
            .iter()
            .any(|&i| files[i].facts.status == FileStatus::Error)
    {
        used.extend(cands.iter());
        (
            Status::Review,
            format!("{}份，其中有文件无法核对字数", cands.len()),
        )
    } else if cands.is_empty() {
        (Status::Missing, "未找到".to_string())
    } else {
        used.extend(cands.iter());
        let actual = match &failing_reason {
            Some(r) if readable > passing.len() => r.clone(),
            _ => format!("{}份，少于要求的{}份", cands.len(), need),
        };
        (Status::Fail, actual)
    };
    // A match from weaker signals is never a plain pass: a reviewer confirms it.
    let guessed: Vec<&(usize, String)> = inferred
        .iter()
        .filter(|(i, _)| used.contains(i) && status != Status::Missing)
        .collect();
    if guessed.is_empty() {
        return result(req, status, actual, evidence);
    }
    let status = if status == Status::Pass {
        Status::Review
    } else {
        status
    };
    let who: Vec<String> = guessed.iter().map(|(i, _)| files[*i].described()).collect();
    for (i, why) in &guessed {
        evidence.push(evf(&files[*i], format!("推断依据：{why}")));
    }
    result(
        req,
        status,
        format!("推断：{}；{actual}", who.join("、")),
        evidence,
    )
}

fn result(
    req: &Requirement,
    status: Status,
    actual: String,
    evidence: Vec<Evidence>,
) -> RequirementResult {
    RequirementResult {
        id: req.id.clone(),
        label: req.label.clone(),
        kind: req.kind,
        status,
        expected: expected_text(req),
        actual,
        quote: req.quote.clone(),
        evidence,
    }
}

fn check_cases(req: &Requirement, files: &[SubmittedFile]) -> RequirementResult {
    let mut titles: Vec<(&SubmittedFile, String)> = Vec::new();
    let mut evidence = Vec::new();
    let mut inferred: Vec<String> = Vec::new();
    for f in files {
        match f.label {
            Some("案例集") => {
                // Cases that say 案例, else parallel sections naming an organisation or a
                // practice, else the collection's numbered headings.
                let (list, how) = if !f.facts.cases.is_empty() {
                    (&f.facts.cases, "")
                } else if !f.facts.case_sections.is_empty() {
                    (&f.facts.case_sections, "（按并列小节识别）")
                } else {
                    (&f.facts.numbered_headings, "")
                };
                for t in list {
                    titles.push((f, t.clone()));
                }
                let mut detail = format!("案例集，识别出{}个案例{how}", list.len());
                if f.label_source == LabelSource::Inferred {
                    inferred.push(f.described());
                    if let Some(why) = &f.label_reason {
                        detail.push_str(&format!("；推断依据：{why}"));
                    }
                }
                evidence.push(evf(f, detail));
            }
            Some("案例") => {
                if f.facts.cases.len() > 1 {
                    for t in &f.facts.cases {
                        titles.push((f, t.clone()));
                    }
                } else if f.facts.case_sections.len() > 1 {
                    for t in &f.facts.case_sections {
                        titles.push((f, t.clone()));
                    }
                } else {
                    let t = f
                        .facts
                        .cases
                        .first()
                        .cloned()
                        .or(f.facts.title.clone())
                        .unwrap_or_else(|| f.path.clone());
                    titles.push((f, t));
                }
                evidence.push(evf(f, "案例文件"));
            }
            _ => {}
        }
    }
    let mut in_reports = false;
    if titles.is_empty() {
        // Cases written inside a report ("第五章 典型案例" with 案例一…).
        for f in files {
            for t in &f.facts.cases {
                titles.push((f, t.clone()));
            }
            if !f.facts.cases.is_empty() {
                in_reports = true;
                evidence.push(evf(f, format!("报告中含{}个案例", f.facts.cases.len())));
            }
        }
    }
    let n = titles.len() as u64;
    let mut status = count_status(n, req);
    if status == Status::Missing {
        // Nothing says 案例: an unnamed file with parallel numbered sections may hold them.
        let maybe: Vec<&SubmittedFile> = files
            .iter()
            .filter(|f| f.label.is_none() && f.facts.numbered_headings.len() >= 3)
            .collect();
        if !maybe.is_empty() {
            let names: Vec<String> = maybe
                .iter()
                .map(|f| {
                    format!(
                        "{}（{}个编号小节）",
                        f.shown(),
                        f.facts.numbered_headings.len()
                    )
                })
                .collect();
            for f in &maybe {
                evidence.push(evf(f, "可能为此项：有并列的编号小节，请人工确认是否为案例"));
            }
            return result(
                req,
                Status::Review,
                format!("未按名称找到；可能为：{}", names.join("、")),
                evidence,
            );
        }
    }
    let mut actual = format!("{n}个");
    if status == Status::Fail {
        actual.push_str(&format!("，少于要求的{}个", req.count.min.unwrap_or(1)));
    }
    if let Some(max) = req.count.max
        && n > max
    {
        actual.push_str(&format!("（多于上限{max}个）"));
    }
    if !req.alternatives.is_empty() && status == Status::Pass {
        // Either/or: which kind it is needs a reader.
        status = Status::Review;
        actual.push_str(&format!("，请确认属于：{}", req.alternatives.join(" 或 ")));
    }
    if in_reports {
        actual.push_str("（在报告正文中）");
    }
    if !inferred.is_empty() && status == Status::Pass {
        // A collection known by its structure, not its name: a reviewer confirms it.
        status = Status::Review;
        actual = format!("推断：{}；{actual}", inferred.join("、"));
    }
    for (p, t) in titles.iter().take(30) {
        evidence.push(evf(p, format!("案例：{t}")));
    }
    result(req, status, actual, evidence)
}

/// The words that identify an event in text: the label and its tails of five or more
/// characters ("科技志愿服务活动" → 志愿服务活动 …), never a bare 活动 that every event shares.
fn event_keys(label: &str) -> Vec<String> {
    let label = label.trim_matches(['“', '”']);
    let chars: Vec<char> = label.chars().collect();
    let mut keys = vec![label.to_string()];
    for i in 1..chars.len() {
        if chars.len() - i < 5 {
            break;
        }
        keys.push(chars[i..].iter().collect());
    }
    keys
}

/// The largest count a sentence claims next to one of `keys` ("开展线下活动6次").
/// The largest count a sentence claims next to one of `keys`: the number whose unit passes
/// `unit_ok` nearest to the key, after it only when `after_only` ("开展线下活动6次"), on
/// either side otherwise ("由56人组成的专家团队"). Returns (count, file, sentence).
fn claimed(
    files: &[SubmittedFile],
    keys: &[String],
    unit_ok: impl Fn(&str) -> bool,
    after_only: bool,
    call: &CallWords,
) -> Option<(u64, usize, String)> {
    let mut best: Option<(u64, usize, String)> = None;
    for (i, f) in files.iter().enumerate() {
        for s in f.facts.figures.iter().filter(|s| !call.quoted_in(s)) {
            let folded: String = s.chars().map(crate::numerals::fold_width).collect();
            let Some(pos) = keys.iter().find_map(|k| folded.find(k.as_str())) else {
                continue;
            };
            let near = numbers_with_unit(s)
                .into_iter()
                .filter(|(at, _, u)| (!after_only || *at >= pos) && unit_ok(u))
                .min_by_key(|(at, _, _)| at.abs_diff(pos));
            if let Some((_, v, _)) = near {
                let v = v.round() as u64;
                if best.as_ref().is_none_or(|b| v > b.0) {
                    best = Some((v, i, s.clone()));
                }
            }
        }
    }
    best
}

/// The call's own words, as a report may quote them: "探索形成1项以上可复制可推广的制度化改革
/// 成果" copied from the item into a report is no claim that the project achieved it. A
/// sentence is the call's when it shares with a requirement's quote a run of
/// [`CALL_RUN`] characters (punctuation and spaces aside) that holds the quote's number:
/// a report's own claim ("形成了2项可复制可推广的…成果") differs right at its number.
pub struct CallWords {
    quotes: Vec<Vec<char>>,
}

/// Shared run, in characters, that makes a sentence the call's words.
const CALL_RUN: usize = 8;

impl CallWords {
    pub fn of(item: &Item) -> Self {
        CallWords {
            quotes: item
                .requirements
                .iter()
                .map(|r| call_chars(&r.quote))
                .filter(|q| q.len() >= CALL_RUN)
                .collect(),
        }
    }

    fn quoted_in(&self, sentence: &str) -> bool {
        if self.quotes.is_empty() {
            return false;
        }
        let s: String = call_chars(sentence).into_iter().collect();
        let number = |c: &char| c.is_ascii_digit() || crate::numerals::is_numeral_char(*c);
        self.quotes.iter().any(|q| {
            q.windows(CALL_RUN)
                .filter(|w| w.iter().any(number))
                .any(|w| s.contains(&w.iter().collect::<String>()))
        })
    }
}

/// Letters, digits and Han characters of a text, widths folded: what a quotation keeps.
fn call_chars(s: &str) -> Vec<char> {
    s.chars()
        .map(crate::numerals::fold_width)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

fn check_event(req: &Requirement, files: &[SubmittedFile], call: &CallWords) -> RequirementResult {
    let keys = event_keys(&req.label);
    let mut evidence = Vec::new();
    let mut per_label: std::collections::BTreeMap<&str, u64> = Default::default();
    // Some proof is known by its name, its title or a person's say.
    let mut named = false;
    for f in files {
        let Some(l) = f.label else { continue };
        if !EVENT_EVIDENCE.contains(&l) {
            continue;
        }
        // A photo has no text: its file name says which event it shows.
        let photo = if l == "活动照片" {
            f.path.as_str()
        } else {
            ""
        };
        let text = format!(
            "{}\n{}\n{}\n{photo}",
            f.facts.title.as_deref().unwrap_or(""),
            f.facts.head,
            f.facts.events.join("\n")
        );
        if keys.iter().any(|k| text.contains(k.as_str())) {
            *per_label.entry(l).or_default() += 1;
            let what = f.facts.title.clone().unwrap_or_else(|| f.path.clone());
            let names = roster_note(f);
            let taken = match (&f.facts.date, photo.is_empty()) {
                (Some(d), false) => format!("（拍摄于{d}）"),
                _ => String::new(),
            };
            let why = match (&f.label_source, &f.label_reason) {
                (LabelSource::Inferred, Some(r)) => format!("（推断依据：{r}）"),
                _ => {
                    named = true;
                    String::new()
                }
            };
            evidence.push(evf(f, format!("{l}：{what}{names}{taken}{why}")));
        }
    }
    // A notice, an agenda and minutes of one meeting are one event.
    let held = per_label.values().copied().max().unwrap_or(0);
    let need = req.count.min.unwrap_or(1);
    if held >= need {
        // Proof known only from weaker signals (各有关单位 in an unnamed file): confirmed by a
        // reviewer.
        let (status, how) = if named {
            (Status::Pass, "")
        } else {
            (Status::Review, "推断：")
        };
        return result(
            req,
            status,
            format!("{how}{held}次（有佐证材料）"),
            evidence,
        );
    }
    // Fewer proofs than events asked: a report may claim the rest ("开展线下活动6次"), which a
    // reviewer must confirm; a claim below the target, or none, fails.
    let claim = claimed(
        files,
        &keys,
        |u| matches!(u, "次" | "场" | "场次" | "期"),
        true,
        call,
    );
    if held > 0 {
        if let Some((n, path, s)) = claim
            && n >= need
        {
            evidence.push(evf(&files[path], format!("材料称：{s}")));
            return result(
                req,
                Status::Review,
                format!("有{held}次的佐证材料，材料称{n}次，请核对其余佐证"),
                evidence,
            );
        }
        return result(
            req,
            Status::Fail,
            format!("{held}次（有佐证材料），少于要求的{need}次"),
            evidence,
        );
    }
    if let Some((n, path, s)) = &claim {
        evidence.push(evf(&files[*path], format!("材料称：{s}")));
        let status = if *n >= need {
            Status::Review
        } else {
            Status::Fail
        };
        let actual = if *n >= need {
            format!("材料称{n}次，缺少纪要、通知、议程或签到表等佐证")
        } else {
            format!("材料称{n}次，少于要求的{need}次")
        };
        return result(req, status, actual, evidence);
    }
    // Only said in a report: a reviewer must look for proof.
    for f in files {
        for s in f.facts.events.iter().filter(|s| !call.quoted_in(s)) {
            if keys.iter().any(|k| s.contains(k.as_str()))
                && ["召开", "举办", "组织", "开展", "举行"]
                    .iter()
                    .any(|v| s.contains(v))
            {
                evidence.push(evf(f, format!("报告中提及：{s}")));
                break;
            }
        }
    }
    if evidence.is_empty() {
        result(req, Status::Missing, "未找到活动佐证材料".into(), evidence)
    } else {
        result(
            req,
            Status::Review,
            "仅在报告中提及，缺少纪要、通知、议程或签到表等佐证".into(),
            evidence,
        )
    }
}

/// Numbers in a sentence with their unit: "线上服务52次" → (52, "次").
fn numbers_with_unit(s: &str) -> Vec<(usize, f64, String)> {
    use regex::Regex;
    use std::sync::LazyLock;
    static N: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?P<n>[0-9]+(?:\.[0-9]+)?)\s*(?P<m>万)?\s*(?P<u>人次|场次|家次|人|次|场|家|名|个|项|篇|期|批)").unwrap()
    });
    let folded: String = s.chars().map(crate::numerals::fold_width).collect();
    N.captures_iter(&folded)
        .filter_map(|c| {
            let m = c.get(0)?;
            let v: f64 = c["n"].parse().ok()?;
            let v = if c.name("m").is_some() {
                v * 10000.0
            } else {
                v
            };
            Some((m.start(), v, c["u"].to_string()))
        })
        .collect()
}

fn check_indicator(
    req: &Requirement,
    files: &[SubmittedFile],
    call: &CallWords,
) -> RequirementResult {
    let label = req.label.trim_matches(['“', '”']).to_string();
    // Long labels rarely recur verbatim: also try their last four characters.
    let mut keys = vec![label.clone()];
    // "线上服务次数" is written "线上服务62次": also try the label without its 次数/人数.
    for suffix in ["次数", "人数", "数量", "家数", "个数"] {
        if let Some(stem) = label.strip_suffix(suffix)
            && stem.chars().count() >= 2
        {
            keys.push(stem.to_string());
        }
    }
    let chars: Vec<char> = label.chars().collect();
    if chars.len() > 4 {
        keys.push(chars[chars.len() - 4..].iter().collect());
    }
    // The claim's unit starts like the target's (人 for 人, 次 for 次数, 个 for 个片区).
    let unit_head = req.unit.as_deref().and_then(|u| u.chars().next());
    let best = claimed(
        files,
        &keys,
        |u| unit_head.is_none_or(|h| u.starts_with(h)),
        false,
        call,
    );
    // Sign-in sheets and rosters back a headcount with names; the figure is shown, and a
    // reviewer weighs it (one sheet may be one event of several).
    let rosters: Vec<Evidence> = files
        .iter()
        .filter(|f| unit_head == Some('人') && f.facts.name_rows.is_some_and(|n| n > 0))
        .map(|f| evf(f, format!("名单{}", roster_note(f))))
        .collect();
    let Some((v_int, path, sentence)) = best else {
        let names: u64 = files.iter().filter_map(|f| f.facts.name_rows).sum();
        let actual = if rosters.is_empty() {
            "材料中未找到对应的数字，请人工核对".into()
        } else {
            format!("签到表/名单共列{names}人，材料中未找到对应的数字，请人工核对")
        };
        return result(req, Status::Review, actual, rosters);
    };
    let unit = req.unit.clone().unwrap_or_default();
    let ok_min = req.count.min.is_none_or(|m| v_int >= m);
    // A bare target ("评选100人") is a floor: exceeding it is not a failure. Only a real
    // upper bound (以内, a range) caps the claim.
    let real_max = req.count.max.filter(|&m| Some(m) != req.count.min);
    let ok_max = real_max.is_none_or(|m| v_int <= m);
    let status = if ok_min && ok_max {
        Status::Pass
    } else {
        Status::Fail
    };
    let mut actual = format!("{v_int}{unit}");
    if !ok_min {
        actual.push_str(&format!("，少于要求的{}{unit}", req.count.min.unwrap_or(0)));
    } else if !ok_max {
        actual.push_str(&format!("，超过上限{}{unit}", real_max.unwrap_or(0)));
    }
    let mut evidence = vec![evf(&files[path], format!("材料称：{sentence}"))];
    evidence.extend(rosters);
    result(req, status, actual, evidence)
}

/// "（签到名单12人）" for a sign-in sheet or roster, else "".
fn roster_note(f: &SubmittedFile) -> String {
    match f.facts.name_rows {
        Some(n) if n > 0 => format!("（签到名单{n}人）"),
        _ => String::new(),
    }
}

/// CJK bigrams of a text, for matching a qualitative requirement to section headings.
fn bigrams(s: &str) -> std::collections::HashSet<(char, char)> {
    let cs: Vec<char> = s
        .chars()
        .filter(|c| !c.is_ascii() && c.is_alphanumeric())
        .collect();
    cs.windows(2).map(|w| (w[0], w[1])).collect()
}

fn check_qualitative(req: &Requirement, files: &[SubmittedFile]) -> RequirementResult {
    let want = bigrams(&req.quote);
    let mut scored: Vec<(usize, &SubmittedFile, &str)> = Vec::new();
    for f in files {
        for h in &f.facts.headings {
            let n = bigrams(h).intersection(&want).count();
            if n >= 2 {
                scored.push((n, f, h));
            }
        }
    }
    scored.sort_by_key(|x| std::cmp::Reverse(x.0));
    let evidence: Vec<Evidence> = scored
        .iter()
        .take(3)
        .map(|(_, p, h)| evf(p, format!("可能相关的章节：{h}")))
        .collect();
    let actual = if evidence.is_empty() {
        "需专家判断；未找到明显相关的章节".to_string()
    } else {
        "需专家判断；见相关章节".to_string()
    };
    result(req, Status::Review, actual, evidence)
}

/// The result of checking one project.
#[derive(Debug, Clone)]
pub struct ProjectCheck {
    pub requirements: Vec<RequirementResult>,
    pub verdict: Verdict,
    /// Files that match no requirement, with their classified label.
    pub unmatched: Vec<(String, Option<&'static str>)>,
}

/// Checks a project's files against an item. `deadline` is the completion deadline that
/// applies to the project (its own, else the item's).
pub fn check_project(
    item: &Item,
    files: &[SubmittedFile],
    deadline: Option<&str>,
    settings: &CheckSettings,
) -> ProjectCheck {
    let mut used: Vec<usize> = Vec::new();
    let mut results = Vec::new();
    // Reports with the most specific label go first, so that a 调研报告 standing in for a
    // 研究报告 is not taken before a requirement that names it exactly.
    let mut order: Vec<&Requirement> = item.requirements.iter().collect();
    order.sort_by_key(|r| (r.kind != Kind::Report, r.label.chars().count() < 4));
    let mut by_id = std::collections::HashMap::new();
    let call = CallWords::of(item);
    // Files that some report requirement names exactly: a relative is not taken from it.
    let exact_elsewhere: Vec<usize> = item
        .requirements
        .iter()
        .filter(|r| r.kind == Kind::Report)
        .filter_map(|r| acceptable(&r.label).first().copied())
        .flat_map(|l| {
            files
                .iter()
                .enumerate()
                .filter(move |(_, f)| f.label == Some(l))
                .map(|(i, _)| i)
        })
        .collect();
    for req in order {
        let r = match req.kind {
            Kind::Report => {
                let mine = acceptable(&req.label);
                let others: Vec<usize> = exact_elsewhere
                    .iter()
                    .copied()
                    .filter(|&i| files[i].label != mine.first().copied())
                    .collect();
                let cands = report_candidates(req, files, &used, &others);
                check_report(req, files, cands, &mut used, settings)
            }
            Kind::Cases => check_cases(req, files),
            Kind::Event => check_event(req, files, &call),
            Kind::Indicator => check_indicator(req, files, &call),
            Kind::Qualitative => check_qualitative(req, files),
        };
        by_id.insert(req.id.clone(), r);
    }
    infer_missing_reports(item, files, &mut used, &mut by_id, settings);
    for req in &item.requirements {
        if let Some(mut r) = by_id.remove(&req.id) {
            // A report that is missing while a file of that name could not be read is a
            // reviewer's call, not a plain "missing".
            if r.status == Status::Missing && r.kind == Kind::Report {
                let labels = acceptable(&req.label);
                for f in files {
                    if f.facts.status == FileStatus::Error
                        && f.label.is_some_and(|l| labels.contains(&l))
                    {
                        r.status = Status::Review;
                        r.actual = "对应文件无法读取".into();
                        r.evidence
                            .push(evf(f, f.facts.error.clone().unwrap_or_default()));
                    }
                }
            }
            results.push(r);
        }
    }
    if let Some(d) = deadline {
        let due = crate::dates::parse_date(d);
        let late: Vec<Evidence> = files
            .iter()
            .filter_map(|f| {
                let fd = f.facts.date.as_deref()?;
                (crate::dates::parse_date(fd)? > due?)
                    .then(|| evf(f, format!("文件日期 {fd} 晚于完成期限 {d}")))
            })
            .collect();
        if !late.is_empty() {
            results.push(RequirementResult {
                id: format!("{}/期限", item.id),
                label: "完成期限".into(),
                kind: Kind::Qualitative,
                status: Status::Review,
                expected: format!("{d}前完成"),
                actual: format!("{}个文件的日期晚于期限", late.len()),
                quote: String::new(),
                evidence: late,
            });
        }
    }
    alternative_forms(item, &mut results);
    let unmatched = files
        .iter()
        .enumerate()
        .filter(|(i, f)| {
            !used.contains(i)
                && !matches!(f.label, Some(l) if EVENT_EVIDENCE.contains(&l) || l == "案例集" || l == "案例" || vocab::NOT_DELIVERABLES.contains(&l))
        })
        .map(|(_, f)| (f.shown(), f.label))
        .collect();
    let verdict = verdict_of(&results);
    ProjectCheck {
        requirements: results,
        verdict,
        unmatched,
    }
}

/// Labels a file keeps for itself: evidence of an event, cases, a summary or an application
/// form is not put forward for a report by inference.
fn spoken_for(f: &SubmittedFile) -> bool {
    f.label.is_some_and(|l| {
        EVENT_EVIDENCE.contains(&l)
            || vocab::NOT_DELIVERABLES.contains(&l)
            || ((l == "案例集" || l == "案例") && f.label_source != LabelSource::Inferred)
            || (l == "案例集" && !f.facts.case_sections.is_empty())
    })
}

/// A report requirement nothing matched by name takes what is left, from weaker signals: a
/// weak word, the length against what it asks, chapters for a long report, being the only
/// file left. The best-scored file is taken as "推断" (the requirement goes to review); a file
/// that merely could be it is named ("可能为：…"), so a requirement is never `missing` while
/// an unassigned file could satisfy it.
fn infer_missing_reports(
    item: &Item,
    files: &[SubmittedFile],
    used: &mut Vec<usize>,
    by_id: &mut std::collections::HashMap<String, RequirementResult>,
    s: &CheckSettings,
) {
    let mut order: Vec<&Requirement> = item
        .requirements
        .iter()
        .filter(|r| r.kind == Kind::Report)
        .collect();
    // The most demanding first: a 3万字 report picks before a 3000字 proposal.
    order.sort_by_key(|r| {
        std::cmp::Reverse(
            r.length
                .as_ref()
                .and_then(|l| l.min.or(l.approx))
                .unwrap_or(0),
        )
    });
    for req in order {
        if by_id
            .get(&req.id)
            .is_none_or(|r| r.status != Status::Missing)
        {
            continue;
        }
        let labels = acceptable(&req.label);
        let pool: Vec<usize> = (0..files.len())
            .filter(|i| !used.contains(i))
            .filter(|&i| files[i].facts.status == FileStatus::Ok && !spoken_for(&files[i]))
            // A file another requirement names by its label is not this one's to take.
            .filter(|&i| {
                files[i].label.is_none()
                    || files[i].label.is_some_and(|l| labels.contains(&l))
                    || files[i].label_source == LabelSource::Inferred
            })
            .collect();
        let mut scored: Vec<(u32, usize, Vec<String>)> = Vec::new();
        for &i in &pool {
            let f = &files[i];
            let w = words_of(&f.facts, s.length_scope).unwrap_or(0);
            let mut score = 0;
            let mut why = Vec::new();
            if f.label.is_some_and(|l| labels.contains(&l)) {
                score += 3;
                why.push(f.label_reason.clone().unwrap_or_else(|| "名称相近".into()));
            }
            if let Some(l) = &req.length {
                let asked = l.min.or(l.approx).unwrap_or(0);
                // Far off what is asked: not this deliverable.
                if w * 2 < asked || l.approx.is_some_and(|a| w > a * 2) {
                    continue;
                }
                if length_ok(w, req, s.approx_tolerance).is_ok() {
                    score += 2;
                    why.push(format!("字数符合要求（{}字）", thousands(w)));
                }
                if asked >= 10_000 && f.facts.chapters >= 3 {
                    score += 1;
                    why.push(format!("分{}章", f.facts.chapters));
                }
            }
            scored.push((score, i, why));
        }
        if scored.is_empty() {
            continue;
        }
        if scored.len() == 1 && pool.len() == 1 {
            scored[0].0 += 1;
            scored[0].2.push("唯一未对应要求的文件".into());
        }
        scored.sort_by_key(|x| (std::cmp::Reverse(x.0), x.1));
        let best = scored[0].0;
        let tied = scored.iter().filter(|x| x.0 == best).count();
        if best >= 2 && tied == 1 {
            let (_, i, why) = &scored[0];
            let cands = vec![(*i, Some(why.join("；")))];
            let r = check_report(req, files, cands, used, s);
            by_id.insert(req.id.clone(), r);
            continue;
        }
        let names: Vec<String> = scored.iter().map(|x| files[x.1].described()).collect();
        let evidence = scored
            .iter()
            .map(|(_, i, why)| {
                let detail = if why.is_empty() {
                    "未对应其他要求的文件".to_string()
                } else {
                    why.join("；")
                };
                evf(&files[*i], format!("可能为此项：{detail}"))
            })
            .collect();
        by_id.insert(
            req.id.clone(),
            result(
                req,
                Status::Review,
                format!("未按名称找到；可能为：{}", names.join("、")),
                evidence,
            ),
        );
    }
}

/// Alternative forms of result ("以专著形式结项的…；以研究报告形式结项的…"): when every
/// requirement of one condition passes, those of the other conditions are not required.
fn alternative_forms(item: &Item, results: &mut [RequirementResult]) {
    let cond_of = |id: &str| {
        item.requirements
            .iter()
            .find(|r| r.id == id)
            .and_then(|r| r.condition.as_deref())
    };
    let met = |c: &str| {
        results
            .iter()
            .filter(|x| cond_of(&x.id) == Some(c))
            .all(|x| x.status == Status::Pass)
    };
    let Some(chosen) = item
        .requirements
        .iter()
        .filter_map(|r| r.condition.as_deref())
        .find(|c| met(c))
    else {
        return;
    };
    for x in results.iter_mut() {
        if cond_of(&x.id).is_some_and(|c| c != chosen) && x.status != Status::Pass {
            x.status = Status::Pass;
            x.actual
                .push_str(&format!("（已满足“{chosen}”的全部要求，此形式不作要求）"));
        }
    }
}

pub fn verdict_of(results: &[RequirementResult]) -> Verdict {
    if results
        .iter()
        .any(|r| matches!(r.status, Status::Fail | Status::Missing))
    {
        Verdict::Fail
    } else if results.iter().any(|r| r.status == Status::Review) {
        Verdict::Review
    } else {
        Verdict::Pass
    }
}
