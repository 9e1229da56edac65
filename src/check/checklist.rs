//! The 验收清单 of one project, and how it is written: JSON (`yanshou.checklist.v1`),
//! Markdown, HTML (prints on A4) and Word (.docx, A4, opens in Word and WPS).

use serde::{Deserialize, Serialize};

use crate::check::{LabelSource, RequirementResult, Verdict};
use crate::doc::FileStatus;

pub const CHECKLIST_SCHEMA: &str = "yanshou.checklist.v1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checklist {
    pub schema: String,
    pub generated_at: String,
    pub project: ProjectInfo,
    pub verdict: Verdict,
    /// One line on why: "2项不通过：研究报告（正文25010字，少于要求的30000字）…".
    pub reason: String,
    pub requirements: Vec<RequirementResult>,
    pub files: Vec<FileRow>,
    /// Files that match no requirement.
    pub unmatched: Vec<String>,
    pub tracking: Tracking,
    #[serde(default)]
    pub overlaps: Vec<OverlapRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectInfo {
    pub id: String,
    pub title: String,
    pub org: String,
    pub guideline: String,
    pub guideline_title: String,
    pub item: String,
    pub item_title: String,
    pub year: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileRow {
    pub path: String,
    pub label: Option<String>,
    /// How the label was decided; written as a reviewer reads it (文件名, 标题 …).
    #[serde(with = "label_zh")]
    pub label_source: LabelSource,
    /// Why an inferred label was given ("文件名含“最终成果”"); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_reason: Option<String>,
    pub status: FileStatus,
    pub words: Option<u64>,
    pub body_words: Option<u64>,
    pub error: Option<String>,
    pub first_seen: Option<String>,
    /// The part of a compilation this row is, and where ("第二部分 建议报告（第35–80段）").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// The files of one deliverable over several files, counted together; `path` is the first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub joined: Vec<String>,
    /// `ocr` or `mixed` when the 字数 rest (in whole or in part) on OCR: an estimate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<crate::report::TextSource>,
}

impl FileRow {
    /// The row's file as a reviewer reads it: `汇编.docx#第二部分 建议报告（第35–80段）`, or
    /// the joined files "研究报告（上）.docx + 研究报告（下）.docx".
    pub fn shown(&self) -> String {
        match &self.part {
            Some(p) => format!("{}#{p}", self.path),
            None if !self.joined.is_empty() => self.joined.join(" + "),
            None => self.path.clone(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tracking {
    /// The completion deadline that applies (project.toml, else the call's).
    pub deadline: Option<String>,
    /// Days past the deadline while something is still missing or failing; 0 otherwise.
    pub days_overdue: i64,
    /// The date overdue days count to (`--today`, else today in China), when there are any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// Labels of requirements not yet met.
    pub outstanding: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverlapRow {
    /// The project's own file (relative to the project folder).
    pub path: String,
    /// The other document: `projects/<id>/…` or `archive/…`.
    pub other: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_project: Option<String>,
    pub chars: u64,
    pub ratio: f64,
}

impl Checklist {
    pub fn title(&self) -> String {
        format!("项目验收清单：{}", self.project.title)
    }

    /// The rows of the information table at the head of every rendering.
    pub fn info_rows(&self) -> Vec<(&'static str, String)> {
        let p = &self.project;
        let mut v = vec![
            ("项目编号", p.id.clone()),
            ("项目名称", p.title.clone()),
            ("承担单位", p.org.clone()),
            ("申报指南", p.guideline_title.clone()),
            ("指南项目", format!("{} {}", p.item, p.item_title)),
        ];
        if let Some(y) = p.year {
            v.push(("年度", y.to_string()));
        }
        if let Some(d) = &self.tracking.deadline {
            v.push(("完成期限", d.clone()));
        }
        if self.tracking.days_overdue > 0 {
            let as_of = self
                .tracking
                .as_of
                .as_deref()
                .map_or(String::new(), |d| format!("（截至{d}）"));
            let days = crate::render::thousands(self.tracking.days_overdue.max(0) as u64);
            v.push(("逾期", format!("{days}天{as_of}")));
        }
        v.push(("验收结论", self.verdict.label_zh().to_string()));
        v.push(("结论说明", self.reason.clone()));
        v.push(("生成时间", crate::dates::beijing_time(&self.generated_at)));
        v
    }
}

/// A label source as its Chinese name.
mod label_zh {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    use crate::check::LabelSource;

    pub fn serialize<S: Serializer>(l: &LabelSource, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(l.label_zh())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<LabelSource, D::Error> {
        let s = String::deserialize(d)?;
        LabelSource::from_label_zh(&s)
            .ok_or_else(|| D::Error::custom(format!("未知的识别依据“{s}”")))
    }
}
