//! The words that name a deliverable, by genre: one table, each word with where it was seen.
//!
//! Matching (see `classify` and `assign`) reads names and titles with this table; the call
//! reader (`guide::reqs::HEADS`) finds the deliverables a call asks for by their head nouns, and
//! a test checks that every genre the call reader can name is one this table knows. A word is
//! *strong* when a file named with it is that deliverable in practice ("建议报告", "纪要"), and
//! *weak* when it only suggests it ("最终成果", "结题报告": often the research report, sometimes
//! a summary): a weak word gives an inferred assignment ("推断") a reviewer confirms.
//!
//! The word ending last in a text names it (the head noun: "资政专报" is a 专报); of words
//! ending at the same place the first row wins, so longer, more specific words come first
//! ("政策建议" before the weak "建议"). Adding a word is one row here and one row in the table
//! test (`tests/it/matching.rs`).

/// One word of the vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    pub word: &'static str,
    /// The canonical label of the genre (the labels the checks and the checklist use).
    pub label: &'static str,
    pub strong: bool,
    /// Where the word was seen: a call's phrase shape, or a folder naming habit.
    pub source: &'static str,
}

const fn w(word: &'static str, label: &'static str, source: &'static str) -> Word {
    Word {
        word,
        label,
        strong: true,
        source,
    }
}

const fn weak(word: &'static str, label: &'static str, source: &'static str) -> Word {
    Word {
        word,
        label,
        strong: false,
        source,
    }
}

/// Call: a phrase shape of calls for proposals. Folder: how submitted files are named.
pub const WORDS: &[Word] = &[
    // Proposals to decision makers.
    w("建议报告", "建议报告", "call: 1篇3000字左右建议报告"),
    w(
        "政策建议",
        "建议报告",
        "call: 政策建议报告; folder: 政策建议.docx",
    ),
    w(
        "对策建议",
        "建议报告",
        "call: 提出对策建议; folder: 对策建议.docx",
    ),
    w("决策咨询", "建议报告", "call: 决策咨询报告/决策咨询建议"),
    w("咨询报告", "建议报告", "call: 咨询报告"),
    w("决策参考", "建议报告", "folder: 决策参考.docx"),
    w("建议书", "建议报告", "call: 建议书 (issue 12)"),
    w("建言", "建议报告", "folder: 建言献策.docx"),
    w(
        "专报",
        "专报",
        "call: 整理相关专报; folder: 专报第1期.docx, 资政专报.docx",
    ),
    w("要报", "专报", "call: 成果要报 (issue 12)"),
    w("内参", "专报", "folder: 内参.docx"),
    w("资政", "建议报告", "call: 资政报告; folder: 资政报告.docx"),
    // Reports.
    w("调研报告", "调研报告", "call: 形成1篇3万字以上调研报告"),
    w("调查报告", "调研报告", "folder: 调查报告.docx"),
    w("分报告", "分报告", "folder: 分报告一.docx"),
    w("子报告", "分报告", "folder: 子报告.docx"),
    w("子课题报告", "分报告", "folder: 子课题报告.docx"),
    w(
        "总结报告",
        "总结报告",
        "call: 项目总结报告; folder: 项目总结报告.docx",
    ),
    w("工作总结", "总结报告", "call: 工作总结 (issue 12)"),
    w("项目总结", "总结报告", "folder: 项目总结.docx"),
    w("验收报告", "总结报告", "folder: 验收报告.docx"),
    w("研究报告", "研究报告", "call: 形成1篇3万字以上研究报告"),
    w("研究总报告", "研究报告", "folder: 研究总报告.docx"),
    w("总报告", "研究报告", "folder: 总报告.docx"),
    w("白皮书", "研究报告", "call: 白皮书 (seed lexicon)"),
    w("蓝皮书", "研究报告", "call: 蓝皮书 (seed lexicon)"),
    weak(
        "结题报告",
        "研究报告",
        "folder: 结题报告.docx (the final report, or a summary)",
    ),
    weak("课题报告", "研究报告", "folder: 课题报告.docx"),
    weak(
        "最终成果",
        "研究报告",
        "folder: 项目最终成果.docx (issue 21)",
    ),
    weak("成果报告", "研究报告", "folder: 成果报告.docx"),
    // Cases.
    w("案例集", "案例集", "call: 典型案例集"),
    w("案例汇编", "案例集", "call: 案例汇编"),
    w("案例选编", "案例集", "folder: 案例选编.docx"),
    w("典型案例", "案例集", "folder: 典型案例.docx"),
    w(
        "案例",
        "案例",
        "call: 挖掘6-8个学会相关案例; folder: 案例1.docx",
    ),
    weak("典型做法", "案例集", "folder: 典型做法汇编.docx (issue 21)"),
    weak("经验做法", "案例集", "folder: 经验做法汇编.docx"),
    // Event evidence.
    w("会议纪要", "会议纪要", "folder: 专题交流活动会议纪要.docx"),
    w("纪要", "会议纪要", "folder: 研讨会纪要.docx"),
    w("会议记录", "会议纪要", "folder: 会议记录.docx"),
    w("签到", "签到表", "folder: 签到表.xlsx"),
    w("议程", "议程", "folder: 会议议程.docx"),
    w("日程", "议程", "folder: 会议日程.docx"),
    w("通知", "活动通知", "folder: 关于举办…的通知.docx"),
    w("活动总结", "活动总结", "folder: 活动总结.docx"),
    w("活动报道", "活动总结", "folder: 活动报道.docx"),
    w("新闻稿", "活动总结", "folder: 活动新闻稿.docx (issue 21)"),
    w("通讯稿", "活动总结", "folder: 通讯稿.docx"),
    w("简报", "活动总结", "folder: 工作简报.docx"),
    w("照片", "活动照片", "folder: 活动照片/"),
    w("合影", "活动照片", "folder: 合影.jpg"),
    w("相片", "活动照片", "folder: 相片.jpg"),
    // Publications and other forms of result.
    w("论文集", "论文", "call: 以论文集形式结题 (issue 12)"),
    w("论文", "论文", "call: 发表论文2篇以上"),
    w("专著", "专著", "call: 以专著形式结项"),
    w("著作", "专著", "call: 结项成果形式 (issue 12)"),
    w("书稿", "专著", "call: 书稿 (issue 12)"),
    w("读物", "读物", "call: 社科普及读物 (issue 12)"),
    w("手册", "读物", "call: 手册 (issue 12)"),
    w("图书", "读物", "call: 图书 (issue 12)"),
    w("成果简介", "成果简介", "call: 成果简介1份，3000字左右"),
    w("简介", "成果简介", "call: 成果简介 (issue 12)"),
    w("摘要", "成果简介", "call: 内容摘要/报告摘要 (issue 12)"),
    w("概述", "成果简介", "call: 问题的概述 (issue 12)"),
    w("综述", "文章", "call: 文献综述 (issue 12)"),
    w("文章", "文章", "call: 科普文章/成果文章 (issue 12)"),
    w("稿件", "文章", "call: 重要稿件1篇 (issue 12)"),
    w("文稿", "文章", "call: 文稿 (issue 12)"),
    // What the project applied with: never a deliverable.
    w("申报书", "申报书", "folder: 申报书.docx"),
    w("任务书", "申报书", "folder: 任务书.docx"),
    w("审批表", "申报书", "call: 《结项审批表》 (issue 12)"),
    w("审批书", "申报书", "call: 结项审批书 (issue 12)"),
    w("合同", "申报书", "folder: 项目合同.pdf"),
    // A bare 建议 or 成果 suggests a proposal or the final result; it proves neither.
    weak("建议", "建议报告", "call: 对策建议/政策建议 (weak head)"),
    weak(
        "成果",
        "研究报告",
        "call: 《研究成果》…6000字以上; folder: 成果.docx",
    ),
];

/// Labels that are evidence that an event was held.
pub const EVENT_EVIDENCE: &[&str] = &[
    "会议纪要",
    "签到表",
    "议程",
    "活动通知",
    "活动总结",
    "活动照片",
];

/// Genres that are no requirement's deliverable unless a call names them: a file of these
/// that no requirement took is not "unmatched" (the summary, the application form).
pub const NOT_DELIVERABLES: &[&str] = &["总结报告", "申报书"];

/// Labels that stand in for one another when a requirement names the first, in order of
/// preference after the label itself (a 调研报告 for a 研究报告, a 专报 for a 建议报告).
pub const RELATIVES: &[(&str, &[&str])] = &[
    ("研究报告", &["调研报告"]),
    ("调研报告", &["研究报告"]),
    ("案例", &["案例集"]),
    ("案例集", &["案例"]),
    ("建议报告", &["专报"]),
    ("专报", &["建议报告"]),
];

/// Words in the body of a document that say what it is when its name and title do not
/// (a notice addressed to 各有关单位, minutes listing 参会人员): (label, words any of which
/// is a cue, source).
pub const CUES: &[(&str, &[&str], &str)] = &[
    (
        "会议纪要",
        &[
            "参会人员",
            "出席人员",
            "会议议定",
            "会议认为",
            "会议指出",
            "会议纪要",
        ],
        "minutes: 会议时间/参会人员/会议认为",
    ),
    (
        "活动通知",
        &["各有关单位", "特此通知", "现将有关事项通知如下"],
        "notice: 各有关单位：…特此通知",
    ),
    (
        "签到表",
        &["签到表", "签到簿"],
        "sign-in sheet: 签到表 in its heading",
    ),
];

/// The word of the table that names what a text is: in Chinese the head noun comes last
/// ("决策咨询专报" is a 专报, "研究报告摘要" a summary), so the word ending last wins; of words
/// ending at the same place, the first in the table (the longer, more specific one).
pub fn word_in(text: &str) -> Option<&'static Word> {
    let mut best: Option<(usize, &'static Word)> = None;
    for w in WORDS {
        if let Some(i) = text.rfind(w.word) {
            let end = i + w.word.len();
            if best.is_none_or(|(e, _)| end > e) {
                best = Some((end, w));
            }
        }
    }
    best.map(|(_, w)| w)
}

/// Organisations a case section names: what makes parallel headings a case collection
/// ("（一）中国某某学会：以章程为核心完善治理"). Source: the case collections of the CAST
/// reform pilots (学会, 科协 …) and of local programmes (服务站, 医院, 公司 …).
pub const CASE_ORGS: &[&str] = &[
    "学会",
    "协会",
    "研究会",
    "科协",
    "联合会",
    "促进会",
    "基金会",
    "委员会",
    "大学",
    "学院",
    "研究院",
    "研究所",
    "医院",
    "公司",
    "集团",
    "中心",
    "实验室",
    "服务站",
    "工作站",
    "联盟",
];

/// Practices a case section names after a colon or dash ("…：‘三会’制度的做法").
pub const CASE_PRACTICES: &[&str] = &["做法", "模式", "经验", "实践", "探索", "路径"];
