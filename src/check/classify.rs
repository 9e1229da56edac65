//! Which deliverable a submitted file is: by its name, then its title, then its first lines;
//! and which labels satisfy a requirement's label.

use serde::{Deserialize, Serialize};

use crate::facts::FileFacts;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LabelSource {
    /// `[files]` in project.toml.
    Config,
    Name,
    Title,
    Content,
    None,
}

impl LabelSource {
    const ALL: [LabelSource; 5] = [
        LabelSource::Config,
        LabelSource::Name,
        LabelSource::Title,
        LabelSource::Content,
        LabelSource::None,
    ];

    /// The source whose [`LabelSource::label_zh`] is `s`.
    pub fn from_label_zh(s: &str) -> Option<LabelSource> {
        LabelSource::ALL.into_iter().find(|l| l.label_zh() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            LabelSource::Config => "project.toml 指定",
            LabelSource::Name => "文件名",
            LabelSource::Title => "标题",
            LabelSource::Content => "内容",
            LabelSource::None => "未识别",
        }
    }
}

/// Deliverable labels and the words that name them, most specific first.
const LABELS: &[(&str, &[&str])] = &[
    (
        "建议报告",
        &["建议报告", "政策建议", "咨询报告", "决策咨询", "建言"],
    ),
    ("调研报告", &["调研报告"]),
    ("分报告", &["分报告", "子报告", "子课题报告"]),
    (
        "总结报告",
        &["总结报告", "工作总结", "结题报告", "项目总结", "验收报告"],
    ),
    ("研究报告", &["研究报告", "研究总报告", "总报告"]),
    ("专报", &["专报", "要报", "内参"]),
    ("案例集", &["案例集", "案例汇编", "典型案例", "案例选编"]),
    ("案例", &["案例"]),
    ("会议纪要", &["会议纪要", "纪要", "会议记录"]),
    ("签到表", &["签到"]),
    ("议程", &["议程", "日程"]),
    ("活动通知", &["通知"]),
    ("活动总结", &["活动总结", "活动报道", "新闻稿", "简报"]),
    ("活动照片", &["照片", "合影", "相片"]),
    ("申报书", &["申报书", "任务书", "合同"]),
];

/// Labels that are evidence that an event was held.
pub(super) const EVENT_EVIDENCE: &[&str] = &[
    "会议纪要",
    "签到表",
    "议程",
    "活动通知",
    "活动总结",
    "活动照片",
];

/// The canonical label a piece of text names, if any ("2022年项目总结报告.docx" → 总结报告).
pub fn label_of_text(text: &str) -> Option<&'static str> {
    let t = crate::guide::norm::Norm::new(text).text;
    LABELS
        .iter()
        .find(|(_, words)| words.iter().any(|w| t.contains(w)))
        .map(|(l, _)| *l)
}

/// Classifies a file by name, then title, then content.
pub fn classify(path: &str, facts: &FileFacts) -> (Option<&'static str>, LabelSource) {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    if let Some(l) = label_of_text(stem) {
        return (Some(l), LabelSource::Name);
    }
    if let Some(l) = facts.title.as_deref().and_then(label_of_text) {
        return (Some(l), LabelSource::Title);
    }
    // A document listing several cases is a case collection whatever it is called.
    if facts.cases.len() >= 2 {
        return (Some("案例集"), LabelSource::Content);
    }
    let first: String = facts.head.lines().take(3).collect::<Vec<_>>().join("");
    if let Some(l) = label_of_text(&first) {
        return (Some(l), LabelSource::Content);
    }
    (None, LabelSource::None)
}

/// Labels that satisfy a requirement's label: itself first, then close relatives.
pub(super) fn acceptable(req_label: &str) -> Vec<&'static str> {
    let canon = label_of_text(req_label);
    match canon {
        Some("研究报告") => vec!["研究报告", "调研报告"],
        Some("调研报告") => vec!["调研报告", "研究报告"],
        Some("案例") | Some("案例集") => vec!["案例集", "案例"],
        Some(l) => vec![l],
        None => Vec::new(),
    }
}
