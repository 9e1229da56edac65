//! Copying as a requirement: the thresholds over which shared text sends a project to review,
//! and the 文字重复 row that overlap findings add to a checklist.

use serde::{Deserialize, Serialize};

use super::checklist::{Checklist, OverlapRow};
use super::project::reason_of;
use super::{Evidence, RequirementResult, Status, verdict_of};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OverlapSettings {
    /// A project is `review` when one of its files shares more than this many 字 with a
    /// document of another project or the archive …
    pub review_chars: u64,
    /// … or more than this fraction of the file's text.
    pub review_ratio: f64,
    /// The shortest passage counted, in 字 without punctuation.
    pub min_chars: u32,
    /// The ratio rule applies only from this many shared 字: two 100-字 meeting notices
    /// built on one template share 80% and are not copying.
    pub ratio_floor_chars: u64,
}

impl Default for OverlapSettings {
    fn default() -> Self {
        OverlapSettings {
            review_chars: 500,
            review_ratio: 0.05,
            min_chars: 50,
            ratio_floor_chars: 200,
        }
    }
}

/// Is a shared stretch large enough to send a project to review?
pub fn flag(chars: u64, ratio: f64, s: &OverlapSettings) -> bool {
    chars > s.review_chars || (ratio > s.review_ratio && chars >= s.ratio_floor_chars)
}

/// Puts a project's overlap rows into its checklist; rows over the thresholds add a
/// "文字重复" requirement for review, which makes a passing project `review`.
pub fn add_overlaps(c: &mut Checklist, rows: Vec<OverlapRow>, s: &OverlapSettings) {
    let flagged: Vec<&OverlapRow> = rows.iter().filter(|o| flag(o.chars, o.ratio, s)).collect();
    if !flagged.is_empty() {
        let worst = flagged
            .iter()
            .max_by(|a, b| a.ratio.total_cmp(&b.ratio))
            .unwrap();
        c.requirements.push(RequirementResult {
            id: format!("{}/重复", c.project.item),
            label: "文字重复".into(),
            kind: crate::guide::Kind::Qualitative,
            status: Status::Review,
            expected: format!(
                "与其他项目或往年材料重复不超过{}字且不超过{:.0}%",
                s.review_chars,
                s.review_ratio * 100.0
            ),
            // Rows are pairs of files, not passages: said so, or "20处" reads as 20 passages.
            actual: format!(
                "与{}个文件疑似重复，最高{:.1}%（{}字，与 {}）",
                flagged.len(),
                worst.ratio * 100.0,
                worst.chars,
                worst.other
            ),
            quote: String::new(),
            evidence: flagged
                .iter()
                .map(|o| Evidence {
                    path: o.path.clone(),
                    detail: format!(
                        "与 {}{} 重复 {} 字，占本文件 {:.1}%（详见 overlap.html）",
                        o.other,
                        o.other_project
                            .as_ref()
                            .map_or(String::new(), |p| format!("（项目 {p}）")),
                        o.chars,
                        o.ratio * 100.0
                    ),
                    part: None,
                })
                .collect(),
        });
        c.verdict = verdict_of(&c.requirements);
        c.reason = reason_of(&c.requirements);
    }
    c.overlaps = rows;
}
