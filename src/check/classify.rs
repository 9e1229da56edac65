//! Which deliverable a submitted file is: by its name, then its title, then its first lines;
//! and which labels satisfy a requirement's label.

use serde::{Deserialize, Serialize};

use super::vocab;
use crate::facts::FileFacts;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LabelSource {
    /// `[files]` in project.toml.
    Config,
    Name,
    Title,
    Content,
    /// From weaker signals (a weak word, the structure, cues in the text, the length): a
    /// reviewer confirms it.
    Inferred,
    #[default]
    None,
}

impl LabelSource {
    const ALL: [LabelSource; 6] = [
        LabelSource::Config,
        LabelSource::Name,
        LabelSource::Title,
        LabelSource::Content,
        LabelSource::Inferred,
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
            LabelSource::Inferred => "推断",
            LabelSource::None => "未识别",
        }
    }
}

/// The canonical label a piece of text names, if any ("2022年项目总结报告.docx" → 总结报告),
/// by the vocabulary of [`super::vocab`]; weak words count too.
pub fn label_of_text(text: &str) -> Option<&'static str> {
    let t = crate::guide::norm::Norm::new(text).text;
    vocab::word_in(&t).map(|w| w.label)
}

/// How a file was classified: its label, how it was decided, and for an inferred label the
/// reason a reviewer reads ("文件名含“最终成果”").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Class {
    pub label: Option<&'static str>,
    pub source: LabelSource,
    pub reason: Option<String>,
}

impl Class {
    fn of(label: &'static str, source: LabelSource) -> Class {
        Class {
            label: Some(label),
            source,
            reason: None,
        }
    }
}

/// Classifies a file by name, then title, then content.
pub fn classify(path: &str, facts: &FileFacts) -> (Option<&'static str>, LabelSource) {
    let c = classify_why(path, facts);
    (c.label, c.source)
}

/// Classifies a file: a strong word of its name, then of its title; the cases it lists; the
/// first lines; then weaker signals, which give an inferred label with its reason: a weak
/// word of the name or title ("最终成果"), parallel case sections, cues in the text (各有关
/// 单位, 参会人员).
pub fn classify_why(path: &str, facts: &FileFacts) -> Class {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let norm = |t: &str| crate::guide::norm::Norm::new(t).text;
    let stem_n = norm(stem);
    let title_n = facts.title.as_deref().map(norm).unwrap_or_default();
    let (by_name, by_title) = (vocab::word_in(&stem_n), vocab::word_in(&title_n));
    if let Some(w) = by_name.filter(|w| w.strong) {
        return Class::of(w.label, LabelSource::Name);
    }
    if let Some(w) = by_title.filter(|w| w.strong) {
        return Class::of(w.label, LabelSource::Title);
    }
    // A document listing several cases is a case collection whatever it is called.
    if facts.cases.len() >= 2 {
        return Class::of("案例集", LabelSource::Content);
    }
    // Only the short title-like lines: body prose names genres in passing ("依照合同…").
    let first: String = facts
        .head
        .lines()
        .take(3)
        .filter(|l| l.chars().count() <= 40)
        .collect::<Vec<_>>()
        .join("");
    if let Some(w) = vocab::word_in(&norm(&first)).filter(|w| w.strong) {
        // "【案例】…" heading the first of several parallel sections: a collection.
        if w.label == "案例" && facts.case_sections.len() >= 2 {
            return Class::of("案例集", LabelSource::Content);
        }
        return Class::of(w.label, LabelSource::Content);
    }
    if facts.case_sections.len() >= 3 {
        return Class {
            label: Some("案例集"),
            source: LabelSource::Inferred,
            reason: Some(format!(
                "{}个并列小节，各写一个单位或做法",
                facts.case_sections.len()
            )),
        };
    }
    if let Some((w, whose)) = by_name
        .map(|w| (w, "文件名"))
        .or(by_title.map(|w| (w, "标题")))
    {
        return Class {
            label: Some(w.label),
            source: LabelSource::Inferred,
            reason: Some(format!("{whose}含“{}”", w.word)),
        };
    }
    for (label, words, _) in vocab::CUES {
        if let Some(cue) = words.iter().find(|c| facts.head.contains(*c)) {
            return Class {
                label: Some(label),
                source: LabelSource::Inferred,
                reason: Some(format!("正文含“{cue}”")),
            };
        }
    }
    Class {
        label: None,
        source: LabelSource::None,
        reason: None,
    }
}

/// Labels that satisfy a requirement's label: itself first, then close relatives.
pub(super) fn acceptable(req_label: &str) -> Vec<&'static str> {
    let Some(canon) = label_of_text(req_label) else {
        return Vec::new();
    };
    let mut v = vec![canon];
    if let Some((_, rel)) = vocab::RELATIVES.iter().find(|(l, _)| *l == canon) {
        v.extend(rel.iter().copied());
    }
    v
}
