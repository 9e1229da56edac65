//! A checklist as HTML that prints on A4.

use super::{esc_html, evidence_text};
use crate::check::checklist::Checklist;

pub fn checklist(c: &Checklist) -> String {
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
        t = esc_html(&c.title())
    );
    for (k, v) in c.info_rows() {
        let class = if k == "验收结论" {
            format!(
                " class=\"{}\"",
                serde_json::to_value(c.verdict)
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
    for r in &c.requirements {
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
    for f in &c.files {
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
    if !c.unmatched.is_empty() {
        let _ = write!(
            s,
            "<p>未对应任何要求的文件：{}</p>",
            esc_html(&c.unmatched.join("、"))
        );
    }
    if !c.overlaps.is_empty() {
        let _ = write!(s, "<h2>重复内容</h2><ul>");
        for o in &c.overlaps {
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
