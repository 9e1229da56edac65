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
                crate::text::thousands(s.review_chars),
                s.review_ratio * 100.0
            ),
            // Who it is shared with (projects, archive files), then how many pairs of files:
            // rows are pairs, not passages, and "与21个文件" read as 21 sources when it was one
            // project's 21 pairs.
            actual: format!(
                "与{}{}疑似重复，最高{:.1}%（{}字，与 {}）",
                parties(&flagged),
                if flagged.len() > 1 {
                    format!("的{}对文件", flagged.len())
                } else {
                    String::new()
                },
                worst.ratio * 100.0,
                crate::text::thousands(worst.chars),
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
                        crate::text::thousands(o.chars),
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

/// The other side of flagged rows as a reviewer names it: "项目 P10", "项目 P10、P11 和档案中
/// 1个文件", "项目 P02、P03、P05 等6个".
fn parties(rows: &[&OverlapRow]) -> String {
    let mut projects: Vec<&str> = rows
        .iter()
        .filter_map(|o| o.other_project.as_deref())
        .collect();
    projects.sort_unstable();
    projects.dedup();
    let mut archive: Vec<&str> = rows
        .iter()
        .filter(|o| o.other_project.is_none())
        .map(|o| o.other.as_str())
        .collect();
    archive.sort_unstable();
    archive.dedup();
    let mut out = Vec::new();
    if !projects.is_empty() {
        let shown = projects
            .iter()
            .take(3)
            .copied()
            .collect::<Vec<_>>()
            .join("、");
        out.push(if projects.len() > 3 {
            format!("项目 {shown} 等{}个", projects.len())
        } else {
            format!("项目 {shown} ")
        });
    }
    if !archive.is_empty() {
        out.push(format!("档案中{}个文件", archive.len()));
    }
    out.join("和")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(other: &str, project: Option<&str>) -> OverlapRow {
        OverlapRow {
            path: "a.docx".into(),
            other: other.into(),
            other_project: project.map(str::to_string),
            chars: 600,
            ratio: 0.3,
        }
    }

    #[test]
    fn parties_name_projects_and_count_archive_files() {
        let rows = [
            row("projects/P10/a.docx", Some("P10")),
            row("projects/P10/b.docx", Some("P10")),
            row("archive/x.txt", None),
        ];
        let refs: Vec<&OverlapRow> = rows.iter().collect();
        assert_eq!(parties(&refs), "项目 P10 和档案中1个文件");
        let many: Vec<OverlapRow> = ["P05", "P02", "P03", "P04"]
            .iter()
            .map(|p| row(&format!("projects/{p}/n.docx"), Some(p)))
            .collect();
        let refs: Vec<&OverlapRow> = many.iter().collect();
        assert_eq!(parties(&refs), "项目 P02、P03、P04 等4个");
    }
}
