//! The 验收清单 of one project, and how it is written: JSON (`yanshou.checklist.v1`),
//! Markdown, HTML (prints on A4) and Word (.docx, A4, opens in Word and WPS).

use serde::{Deserialize, Serialize};

use crate::check::{RequirementResult, Verdict};

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
    pub label_source: String,
    pub status: String,
    pub words: Option<u64>,
    pub body_words: Option<u64>,
    pub error: Option<String>,
    pub first_seen: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tracking {
    /// The completion deadline that applies (project.toml, else the call's).
    pub deadline: Option<String>,
    /// Days past the deadline while something is still missing or failing; 0 otherwise.
    pub days_overdue: i64,
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

fn esc_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn esc_md(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn evidence_text(r: &RequirementResult) -> Vec<String> {
    r.evidence
        .iter()
        .map(|e| format!("{}：{}", e.path, e.detail))
        .collect()
}

impl Checklist {
    pub fn title(&self) -> String {
        format!("项目验收清单：{}", self.project.title)
    }

    fn info_rows(&self) -> Vec<(&'static str, String)> {
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
            v.push(("逾期", format!("{}天", self.tracking.days_overdue)));
        }
        v.push(("验收结论", self.verdict.label_zh().to_string()));
        v.push(("结论说明", self.reason.clone()));
        v.push(("生成时间", self.generated_at.clone()));
        v
    }

    pub fn to_markdown(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let _ = writeln!(s, "# {}\n", self.title());
        for (k, v) in self.info_rows() {
            let _ = writeln!(s, "- **{k}**：{v}");
        }
        let _ = writeln!(s, "\n## 考核要求核对\n");
        let _ = writeln!(
            s,
            "| 编号 | 要求 | 指南原文 | 要求值 | 实际 | 结论 | 依据 |"
        );
        let _ = writeln!(s, "|---|---|---|---|---|---|---|");
        for r in &self.requirements {
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
        for f in &self.files {
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
        if !self.unmatched.is_empty() {
            let _ = writeln!(s, "\n未对应任何要求的文件：{}", self.unmatched.join("、"));
        }
        if !self.overlaps.is_empty() {
            let _ = writeln!(s, "\n## 重复内容\n");
            for o in &self.overlaps {
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

    pub fn to_html(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let _ = write!(
            s,
            r#"<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{t}</title>
<style>
@page {{ size: A4; margin: 18mm 15mm; }}
body {{ font-family: "Noto Serif CJK SC","Source Han Serif SC","SimSun",serif; font-size: 10.5pt; color:#111; max-width: 190mm; margin: auto; }}
h1 {{ font-size: 16pt; text-align: center; }} h2 {{ font-size: 12pt; margin-top: 1.2em; }}
table {{ border-collapse: collapse; width: 100%; page-break-inside: auto; }}
th, td {{ border: 1px solid #888; padding: 3px 5px; vertical-align: top; }}
th {{ background: #eee; }} tr {{ page-break-inside: avoid; }}
.pass {{ color: #0a6b2d; }} .fail, .missing {{ color: #b00020; font-weight: bold; }} .review {{ color: #a15c00; }}
.info td:first-child {{ width: 7em; background: #f6f6f6; }}
.quote {{ color: #444; }} .sign {{ margin-top: 2.5em; }}
</style></head><body><h1>{t}</h1><table class="info">"#,
            t = esc_html(&self.title())
        );
        for (k, v) in self.info_rows() {
            let class = if k == "验收结论" {
                format!(
                    " class=\"{}\"",
                    serde_json::to_value(self.verdict)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default()
                )
            } else {
                String::new()
            };
            let _ = write!(s, "<tr><td>{k}</td><td{class}>{}</td></tr>", esc_html(&v));
        }
        let _ = write!(
            s,
            "</table><h2>考核要求核对</h2><table><tr><th>编号</th><th>要求</th><th>指南原文</th><th>要求值</th><th>实际</th><th>结论</th><th>依据</th></tr>"
        );
        for r in &self.requirements {
            let class = serde_json::to_value(r.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let ev: Vec<String> = evidence_text(r).iter().map(|e| esc_html(e)).collect();
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{}</td><td class=\"quote\">{}</td><td>{}</td><td>{}</td><td class=\"{class}\">{}</td><td>{}</td></tr>",
                esc_html(&r.id),
                esc_html(&r.label),
                esc_html(&r.quote),
                esc_html(&r.expected),
                esc_html(&r.actual),
                r.status.label_zh(),
                ev.join("<br>")
            );
        }
        let _ = write!(
            s,
            "</table><h2>提交的文件</h2><table><tr><th>文件</th><th>识别为</th><th>依据</th><th>状态</th><th>全文字数</th><th>正文字数</th></tr>"
        );
        for f in &self.files {
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc_html(&f.path),
                esc_html(f.label.as_deref().unwrap_or("未识别")),
                esc_html(&f.label_source),
                esc_html(f.error.as_deref().unwrap_or(&f.status)),
                f.words.map_or("-".into(), |w| w.to_string()),
                f.body_words.map_or("-".into(), |w| w.to_string()),
            );
        }
        let _ = write!(s, "</table>");
        if !self.unmatched.is_empty() {
            let _ = write!(
                s,
                "<p>未对应任何要求的文件：{}</p>",
                esc_html(&self.unmatched.join("、"))
            );
        }
        if !self.overlaps.is_empty() {
            let _ = write!(s, "<h2>重复内容</h2><ul>");
            for o in &self.overlaps {
                let _ = write!(
                    s,
                    "<li>{} 与 {} 重复 {} 字（{:.1}%）</li>",
                    esc_html(&o.path),
                    esc_html(&o.other),
                    o.chars,
                    o.ratio * 100.0
                );
            }
            let _ = write!(s, "</ul>");
        }
        let _ = writeln!(
            s,
            "<p class=\"sign\">验收专家签字：____________________　　日期：______年____月____日</p></body></html>"
        );
        s
    }

    /// The checklist as a Word document (A4 portrait, a table per section).
    pub fn to_docx(&self) -> Result<Vec<u8>, String> {
        use docx_rs::*;
        let font = RunFonts::new()
            .east_asia("宋体")
            .ascii("Times New Roman")
            .hi_ansi("Times New Roman");
        // Fonts and size are the document defaults, not repeated on every run.
        let text = |t: &str| Run::new().add_text(t);
        let para = |t: &str| Paragraph::new().add_run(text(t));
        let cell = |t: &str| TableCell::new().add_paragraph(para(t));
        let head_cell = |t: &str| {
            TableCell::new()
                .add_paragraph(Paragraph::new().add_run(text(t).bold()))
                .shading(Shading::new().fill("EEEEEE"))
        };
        let mut doc = Docx::new()
            .default_fonts(font)
            .default_size(21)
            // A4 in twentieths of a point, 2 cm margins.
            .page_size(11906, 16838)
            .page_margin(
                PageMargin::new()
                    .top(1134)
                    .bottom(1134)
                    .left(1134)
                    .right(1134),
            )
            .add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_run(text(&self.title()).bold().size(32)),
            );
        let info: Vec<TableRow> = self
            .info_rows()
            .into_iter()
            .map(|(k, v)| TableRow::new(vec![head_cell(k), cell(&v)]))
            .collect();
        doc = doc.add_table(Table::new(info).set_grid(vec![1800, 7838]));
        doc = doc
            .add_paragraph(para(""))
            .add_paragraph(Paragraph::new().add_run(text("考核要求核对").bold().size(24)));
        let mut rows = vec![TableRow::new(
            ["编号", "要求", "指南原文", "要求值", "实际", "结论", "依据"]
                .iter()
                .map(|h| head_cell(h))
                .collect(),
        )];
        for r in &self.requirements {
            rows.push(TableRow::new(vec![
                cell(&r.id),
                cell(&r.label),
                cell(&r.quote),
                cell(&r.expected),
                cell(&r.actual),
                TableCell::new().add_paragraph(Paragraph::new().add_run(
                    text(r.status.label_zh()).bold().color(match r.status {
                        crate::check::Status::Pass => "0A6B2D",
                        crate::check::Status::Review => "A15C00",
                        _ => "B00020",
                    }),
                )),
                cell(&evidence_text(r).join("\n")),
            ]));
        }
        doc =
            doc.add_table(Table::new(rows).set_grid(vec![900, 1100, 2000, 1200, 1500, 900, 2038]));
        doc = doc
            .add_paragraph(para(""))
            .add_paragraph(Paragraph::new().add_run(text("提交的文件").bold().size(24)));
        let mut frows = vec![TableRow::new(
            ["文件", "识别为", "状态", "全文字数", "正文字数"]
                .iter()
                .map(|h| head_cell(h))
                .collect(),
        )];
        for f in &self.files {
            frows.push(TableRow::new(vec![
                cell(&f.path),
                cell(f.label.as_deref().unwrap_or("未识别")),
                cell(f.error.as_deref().unwrap_or(&f.status)),
                cell(&f.words.map_or("-".into(), |w| w.to_string())),
                cell(&f.body_words.map_or("-".into(), |w| w.to_string())),
            ]));
        }
        doc = doc.add_table(Table::new(frows).set_grid(vec![3600, 1300, 2338, 1200, 1200]));
        if !self.unmatched.is_empty() {
            doc = doc.add_paragraph(para(&format!(
                "未对应任何要求的文件：{}",
                self.unmatched.join("、")
            )));
        }
        for o in &self.overlaps {
            doc = doc.add_paragraph(para(&format!(
                "重复内容：{} 与 {} 重复 {} 字（{:.1}%）",
                o.path,
                o.other,
                o.chars,
                o.ratio * 100.0
            )));
        }
        doc = doc.add_paragraph(para("")).add_paragraph(para(
            "验收专家签字：____________________　　日期：______年____月____日",
        ));
        let mut buf = std::io::Cursor::new(Vec::new());
        doc.build().pack(&mut buf).map_err(|e| e.to_string())?;
        Ok(buf.into_inner())
    }
}
