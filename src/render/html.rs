//! A checklist as HTML that prints on A4.

use std::fmt::Write;

use super::{SIGNATURE, Table, files_table, overlap_lines, requirements_table, unmatched_line};
use crate::check::checklist::Checklist;
use crate::text::esc_html;

fn table(s: &mut String, t: &Table) {
    let _ = write!(s, "<h2>{}</h2><table><tr>", t.heading);
    for h in &t.header {
        let _ = write!(s, "<th>{h}</th>");
    }
    let _ = write!(s, "</tr>");
    for row in &t.rows {
        let _ = write!(s, "<tr>");
        for cell in row {
            let class = cell
                .class
                .map_or(String::new(), |c| format!(" class=\"{}\"", c.css()));
            let lines: Vec<String> = cell.lines.iter().map(|l| esc_html(l)).collect();
            let _ = write!(s, "<td{class}>{}</td>", lines.join("<br>"));
        }
        let _ = write!(s, "</tr>");
    }
    let _ = write!(s, "</table>");
}

pub fn checklist(c: &Checklist) -> String {
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
            format!(" class=\"{}\"", c.verdict.as_str())
        } else {
            String::new()
        };
        let _ = write!(s, "<tr><td>{k}</td><td{class}>{}</td></tr>", esc_html(&v));
    }
    let _ = write!(s, "</table>");
    table(&mut s, &requirements_table(c));
    table(&mut s, &files_table(c));
    if let Some(line) = unmatched_line(c) {
        let _ = write!(s, "<p>{}</p>", esc_html(&line));
    }
    let overlaps = overlap_lines(c);
    if !overlaps.is_empty() {
        let _ = write!(s, "<h2>重复内容</h2><ul>");
        for line in overlaps {
            let _ = write!(s, "<li>{}</li>", esc_html(&line));
        }
        let _ = write!(s, "</ul>");
    }
    let _ = writeln!(s, "<p class=\"sign\">{SIGNATURE}</p></body></html>");
    s
}
