//! A checklist as Markdown.

use super::{esc_md, evidence_text};
use crate::check::checklist::Checklist;

pub fn checklist(c: &Checklist) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", c.title());
    for (k, v) in c.info_rows() {
        let _ = writeln!(s, "- **{k}**：{v}");
    }
    let _ = writeln!(s, "\n## 考核要求核对\n");
    let _ = writeln!(
        s,
        "| 编号 | 要求 | 指南原文 | 要求值 | 实际 | 结论 | 依据 |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|---|");
    for r in &c.requirements {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} |",
            esc_md(&r.id),
            esc_md(&r.label),
            esc_md(&r.quote),
            esc_md(&r.expected),
            esc_md(&r.actual),
            r.status.label_zh(),
            esc_md(&evidence_text(r).join("；"))
        );
    }
    let _ = writeln!(s, "\n## 提交的文件\n");
    let _ = writeln!(s, "| 文件 | 识别为 | 依据 | 状态 | 全文字数 | 正文字数 |");
    let _ = writeln!(s, "|---|---|---|---|---|---|");
    for f in &c.files {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            esc_md(&f.path),
            f.label.as_deref().unwrap_or("未识别"),
            f.label_source,
            esc_md(f.error.as_deref().unwrap_or(&f.status)),
            f.words.map_or("-".into(), |w| w.to_string()),
            f.body_words.map_or("-".into(), |w| w.to_string()),
        );
    }
    if !c.unmatched.is_empty() {
        let _ = writeln!(s, "\n未对应任何要求的文件：{}", c.unmatched.join("、"));
    }
    if !c.overlaps.is_empty() {
        let _ = writeln!(s, "\n## 重复内容\n");
        for o in &c.overlaps {
            let _ = writeln!(
                s,
                "- {} 与 {} 重复 {} 字（{:.1}%）",
                o.path,
                o.other,
                o.chars,
                o.ratio * 100.0
            );
        }
    }
    let _ = writeln!(
        s,
        "\n验收专家签字：____________________　　日期：______年____月____日"
    );
    s
}
