//! One project's checklist from its files' facts: labels, the rules of its item, the verdict
//! and the one line that says why, and how late it is.

use std::collections::BTreeMap;

use super::checklist::{CHECKLIST_SCHEMA, Checklist, FileRow, ProjectInfo, Tracking};
use regex::Regex;
use std::sync::LazyLock;

use super::{
    CheckSettings, Class, LabelSource, PartRef, RequirementResult, Status, SubmittedFile,
    check_project, classify_why, label_of_text,
};
use crate::count::Counts;
use crate::dates::{days_between, parse_date};
use crate::facts::FileFacts;
use crate::guide::Item;

/// Labels each file of a project: an override of `project.toml` (by path, else by name)
/// when it names a known label, else what [`classify_why`] makes of the file. A compilation
/// is replaced by its parts (each labelled by its own name and text, and overridable as
/// `汇编.docx#第二部分 建议报告`); pieces of one deliverable over several files are joined
/// (see [`join_split`]).
pub fn submitted(
    overrides: &BTreeMap<String, String>,
    files: Vec<(String, FileFacts)>,
) -> Vec<SubmittedFile> {
    let over_of = |path: &str, key: &str| -> Option<Class> {
        let name = key.rsplit('/').next().unwrap_or(key);
        let l = overrides
            .get(key)
            .or_else(|| overrides.get(name))
            .or_else(|| {
                // An override of the whole file still applies to a file without parts.
                (key == path).then(|| overrides.get(path)).flatten()
            })?;
        label_of_text(l).map(|l| Class {
            label: Some(l),
            source: LabelSource::Config,
            reason: None,
        })
    };
    let mut out = Vec::new();
    for (path, mut facts) in crate::facts::expand_members(files) {
        let parts = std::mem::take(&mut facts.parts);
        if parts.is_empty() {
            let class = over_of(&path, &path).unwrap_or_else(|| classify_why(&path, &facts));
            out.push(sub(path, facts, class, None));
            continue;
        }
        for p in parts {
            let key = format!("{path}#{}", p.name);
            // A part is named by its division ("第二部分 建议报告"), else its title.
            let class = over_of(&path, &key).unwrap_or_else(|| {
                let mut c = classify_why(&format!("{}.part", p.name), &p.facts);
                if c.source == LabelSource::Name {
                    c.source = LabelSource::Title;
                }
                c
            });
            let part = PartRef {
                name: p.name,
                range: p.range,
            };
            out.push(sub(path.clone(), p.facts, class, Some(part)));
        }
    }
    join_split(out)
}

fn sub(path: String, facts: FileFacts, class: Class, part: Option<PartRef>) -> SubmittedFile {
    SubmittedFile {
        path,
        facts,
        label: class.label,
        label_source: class.source,
        label_reason: class.reason,
        part,
        joined: Vec::new(),
    }
}

/// What marks a file as one piece of a deliverable: （上）/（下）, 上册/第2册, -正文/-附件,
/// 第3章 at the end of its name. The rest of the name is the deliverable's.
static PIECE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<base>.+?)[\s_\-—－]*(?:[（(](?P<a>[上中下])[)）]|(?P<b>[上中下])册|第(?P<c>[0-9一二三四五六七八九十]+)[册章部分篇]|(?P<d>正文|附件[0-9一二三四五六七八九十]*|附录))$",
    )
    .unwrap()
});

/// Files that are pieces of one deliverable (研究报告（上）.docx and 研究报告（下）.docx, a report's
/// 正文 and 附件, chapters as files) become one submitted file: counts added up, each piece
/// listed. A 附件 piece counts in the whole, not in the body, as an appendix inside the file
/// would.
pub fn join_split(files: Vec<SubmittedFile>) -> Vec<SubmittedFile> {
    // (deliverable, piece marker, is an attachment); a file without a marker is a main piece
    // of the deliverable its name says ("研究报告.docx" beside "研究报告-附件.docx").
    let key = |f: &SubmittedFile| -> Option<(String, Option<String>, bool)> {
        if f.part.is_some() || f.facts.status != crate::doc::FileStatus::Ok {
            return None;
        }
        let (dir, name) = f.path.rsplit_once('/').unwrap_or(("", &f.path));
        let stem = name.rsplit_once('.').map_or(name, |x| x.0);
        let Some(c) = PIECE.captures(stem) else {
            return Some((format!("{dir}/{stem}"), None, false));
        };
        let marker = c.get(0).map(|m| m.as_str()[c["base"].len()..].to_string());
        let attachment = c.name("d").is_some_and(|m| m.as_str() != "正文");
        Some((format!("{dir}/{}", &c["base"]), marker, attachment))
    };
    let keys: Vec<Option<(String, Option<String>, bool)>> = files.iter().map(key).collect();
    let mut out: Vec<SubmittedFile> = Vec::new();
    let mut taken = vec![false; files.len()];
    for i in 0..files.len() {
        if taken[i] {
            continue;
        }
        let Some((k, _, _)) = &keys[i] else {
            out.push(files[i].clone());
            continue;
        };
        let group: Vec<usize> = (i..files.len())
            .filter(|&j| !taken[j] && keys[j].as_ref().is_some_and(|x| &x.0 == k))
            .collect();
        let markers: Vec<&Option<String>> = group
            .iter()
            .filter_map(|&j| keys[j].as_ref().map(|x| &x.1))
            .collect();
        let distinct = markers
            .iter()
            .enumerate()
            .all(|(n, m)| !markers[..n].contains(m));
        let mains = group
            .iter()
            .filter(|&&j| keys[j].as_ref().is_some_and(|x| !x.2))
            .count();
        // One piece alone, only attachments, or the same piece twice (a docx and its PDF):
        // nothing to join.
        if group.len() < 2 || mains == 0 || !distinct {
            out.push(files[i].clone());
            continue;
        }
        let first = group
            .iter()
            .copied()
            .find(|&j| keys[j].as_ref().is_some_and(|x| !x.2))
            .unwrap_or(i);
        let mut whole = files[first].clone();
        whole.joined.clear();
        let (mut counts, mut body) = (Counts::default(), Counts::default());
        let mut chapters = 0;
        for &j in &group {
            taken[j] = true;
            let f = &files[j];
            let attachment = keys[j].as_ref().is_some_and(|x| x.2);
            let c = f.facts.counts.unwrap_or_default();
            let b = f.facts.body_counts.unwrap_or_default();
            counts += c;
            // Padding of one label is shown once, added up ("封面38字", not "封面19字、封面19字").
            let mut exclude =
                |l: &str, w: u64| match whole.facts.excluded.iter_mut().find(|e| e.0 == l) {
                    Some(e) => e.1 += w,
                    None => whole.facts.excluded.push((l.to_string(), w)),
                };
            if attachment {
                exclude("附件", c.words);
            } else {
                body += b;
                chapters += f.facts.chapters;
                if j != first {
                    for (l, w) in &f.facts.excluded {
                        exclude(l, *w);
                    }
                }
            }
            if j != first && !attachment {
                whole.facts.cases.extend(f.facts.cases.iter().cloned());
                whole
                    .facts
                    .headings
                    .extend(f.facts.headings.iter().cloned());
                whole.facts.figures.extend(f.facts.figures.iter().cloned());
                whole.facts.events.extend(f.facts.events.iter().cloned());
            }
            whole
                .joined
                .push((f.path.clone(), if attachment { 0 } else { b.words }));
        }
        whole.facts.counts = Some(counts);
        whole.facts.body_counts = Some(body);
        whole.facts.chapters = chapters;
        // Named by the deliverable, not by its first piece ("研究报告", not "研究报告（上）").
        let base = k.trim_start_matches('/').to_string();
        let class = classify_why(&format!("{base}.docx"), &whole.facts);
        if whole.label_source != LabelSource::Config {
            whole.label = class.label;
            whole.label_source = class.source;
            whole.label_reason = class.reason;
        }
        out.push(whole);
    }
    out
}

/// Builds the checklist of one project from its files' facts.
/// The day a check counts overdue days up to, and the time stamp of its checklist.
#[derive(Debug, Clone, Copy)]
pub struct When<'a> {
    pub today: &'a str,
    pub generated_at: &'a str,
}

/// `project` names it; `deadline` is the one that applies (the project's, else the call's);
/// `first_seen` dates the files; overdue days count up to `today`.
pub fn build_checklist(
    project: ProjectInfo,
    item: &Item,
    files: &[SubmittedFile],
    deadline: Option<String>,
    first_seen: &BTreeMap<String, String>,
    settings: &CheckSettings,
    when: When,
) -> Checklist {
    let When {
        today,
        generated_at,
    } = when;
    let pc = check_project(item, files, deadline.as_deref(), settings);
    let outstanding: Vec<String> = pc
        .requirements
        .iter()
        .filter(|r| matches!(r.status, Status::Fail | Status::Missing))
        .map(|r| r.label.clone())
        .collect();
    let days_overdue = match (deadline.as_deref().and_then(parse_date), parse_date(today)) {
        (Some(d), Some(t)) if t > d && !outstanding.is_empty() => days_between(d, t),
        _ => 0,
    };
    let reason = reason_of(&pc.requirements);
    Checklist {
        schema: CHECKLIST_SCHEMA.into(),
        generated_at: generated_at.into(),
        project,
        verdict: pc.verdict,
        reason,
        requirements: pc.requirements.clone(),
        files: files
            .iter()
            .map(|f| FileRow {
                path: f.path.clone(),
                label: f.label.map(str::to_string),
                label_source: f.label_source,
                label_reason: f.label_reason.clone(),
                status: f.facts.status,
                words: f.facts.counts.map(|c| c.words),
                body_words: f.facts.body_counts.map(|c| c.words),
                error: f.facts.error.clone(),
                first_seen: first_seen.get(&f.path).cloned(),
                part: f
                    .part
                    .as_ref()
                    .map(|p| format!("{}（{}）", p.name, p.range)),
                joined: f.joined.iter().map(|(p, _)| p.clone()).collect(),
                source: f.facts.source,
            })
            .collect(),
        unmatched: pc.unmatched.iter().map(|(p, _)| p.clone()).collect(),
        tracking: Tracking {
            deadline,
            days_overdue,
            as_of: (days_overdue > 0).then(|| today.to_string()),
            outstanding,
        },
        overlaps: Vec::new(),
    }
}

/// `actual` to be put in brackets: its own brackets become commas, so a reason never nests
/// （…（…）…）, which Chinese house styles avoid ("最高100.0%（30594字）" → "最高100.0%，30594字").
fn unbracketed(actual: &str) -> String {
    actual
        .replace('（', "，")
        .replace(['）'], "")
        .trim_start_matches('，')
        .to_string()
}

/// One line on why the verdict is what it is.
pub fn reason_of(requirements: &[RequirementResult]) -> String {
    let part = |st: Status| -> Vec<String> {
        requirements
            .iter()
            .filter(|r| r.status == st)
            .map(|r| format!("{}（{}）", r.label, unbracketed(&r.actual)))
            .collect()
    };
    let fail = part(Status::Fail);
    let missing = part(Status::Missing);
    let review = part(Status::Review);
    let mut v = Vec::new();
    if !missing.is_empty() {
        v.push(format!("缺失{}项：{}", missing.len(), missing.join("；")));
    }
    if !fail.is_empty() {
        v.push(format!("不通过{}项：{}", fail.len(), fail.join("；")));
    }
    if !review.is_empty() {
        v.push(format!("需复核{}项：{}", review.len(), review.join("；")));
    }
    if v.is_empty() {
        format!("全部{}项要求均已满足", requirements.len())
    } else {
        v.join("。")
    }
}

#[cfg(test)]
mod tests {
    use super::unbracketed;

    #[test]
    fn reasons_never_nest_brackets() {
        for (actual, flat) in [
            (
                "与21个文件疑似重复，最高100.0%（30594字，与 a.docx）",
                "与21个文件疑似重复，最高100.0%，30594字，与 a.docx",
            ),
            ("OCR 估计 813–993 字（±10%）", "OCR 估计 813–993 字，±10%"),
            ("（扫描件）无文字", "扫描件无文字"),
            ("26729字，少于要求的30000字", "26729字，少于要求的30000字"),
        ] {
            assert_eq!(unbracketed(actual), flat);
        }
    }
}
