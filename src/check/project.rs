//! One project's checklist from its files' facts: labels, the rules of its item, the verdict
//! and the one line that says why, and how late it is.

use std::collections::BTreeMap;

use super::checklist::{CHECKLIST_SCHEMA, Checklist, FileRow, ProjectInfo, Tracking};
use super::{
    CheckSettings, Class, LabelSource, RequirementResult, Status, SubmittedFile, check_project,
    classify_why, label_of_text,
};
use crate::dates::{days_between, parse_date};
use crate::facts::FileFacts;
use crate::guide::Item;

/// Labels each file of a project: an override of `project.toml` (by path, else by name)
/// when it names a known label, else what [`classify`] makes of the file.
pub fn submitted(
    overrides: &BTreeMap<String, String>,
    files: Vec<(String, FileFacts)>,
) -> Vec<SubmittedFile> {
    crate::facts::expand_members(files)
        .into_iter()
        .map(|(path, facts)| {
            let name = path.rsplit('/').next().unwrap_or(&path).to_string();
            let over = overrides.get(&path).or_else(|| overrides.get(&name));
            let class = match over.map(|l| label_of_text(l)) {
                Some(Some(l)) => Class {
                    label: Some(l),
                    source: LabelSource::Config,
                    reason: None,
                },
                _ => classify_why(&path, &facts),
            };
            SubmittedFile {
                path,
                facts,
                label: class.label,
                label_source: class.source,
                label_reason: class.reason,
            }
        })
        .collect()
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
