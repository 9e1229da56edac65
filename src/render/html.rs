//! A checklist as HTML that prints on A4.

use std::fmt::Write;

use super::{SIGNATURE, Table, files_table, overlap_lines, requirements_table, unmatched_line};
use crate::check::checklist::Checklist;
use crate::text::esc_html;

/// Column widths of a table, by header: the short columns get the width of their longest
/// usual content (结论 holds 需人工复核 on one line); 依据 and 文件 take what is left.
fn col_width(header: &str) -> Option<&'static str> {
    Some(match header {
        "编号" => "4.8em",
        "要求" => "7.5em",
        "指南原文" => "9em",
        "实际" => "8em",
        "要求值" => "6.5em",
        "结论" => "6.8em",
        "识别为" => "6em",
        "状态" => "5.5em",
        "全文字数" | "正文字数" => "5.2em",
        _ => return None,
    })
}

/// A cell's text, escaped; the copying report named in it becomes a link to the batch's
/// `overlap.html`, one folder up from `checklists/`.
fn cell_html(line: &str, link_overlap: bool) -> String {
    let e = esc_html(line);
    if link_overlap {
        e.replace(
            "overlap.html",
            r#"<a href="../overlap.html">overlap.html</a>"#,
        )
    } else {
        e
    }
}

fn table(s: &mut String, t: &Table, link_overlap: bool) {
    let _ = write!(s, "<h2>{}</h2><table class=\"grid\"><colgroup>", t.heading);
    for h in &t.header {
        match col_width(h) {
            Some(w) => {
                let _ = write!(s, "<col style=\"width:{w}\">");
            }
            None => s.push_str("<col>"),
        }
    }
    // The header in <thead>: browsers repeat it at the top of every printed page.
    let _ = write!(s, "</colgroup><thead><tr>");
    for h in &t.header {
        let _ = write!(s, "<th>{h}</th>");
    }
    let _ = write!(s, "</tr></thead><tbody>");
    for row in &t.rows {
        let _ = write!(s, "<tr>");
        for cell in row {
            let class = cell
                .class
                .map_or(String::new(), |c| format!(" class=\"{}\"", c.css()));
            // One line per evidence item.
            let lines: Vec<String> = cell
                .lines
                .iter()
                .map(|l| cell_html(l, link_overlap))
                .collect();
            let _ = write!(s, "<td{class}>{}</td>", lines.join("<br>"));
        }
        let _ = write!(s, "</tr>");
    }
    let _ = write!(s, "</tbody></table>");
}

pub fn checklist(c: &Checklist) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{t}</title>
<style>
@page {{ size: A4; margin: 18mm 15mm 20mm;
  @bottom-center {{ content: "第 " counter(page) " 页，共 " counter(pages) " 页"; font-size: 9pt; color: #444; }} }}
body {{ font-family: "Noto Serif CJK SC","Source Han Serif SC","SimSun",serif; font-size: 10.5pt; color:#111; max-width: 190mm; margin: auto; }}
h1 {{ font-size: 16pt; text-align: center; }} h2 {{ font-size: 12pt; margin-top: 1.2em; }}
table {{ border-collapse: collapse; width: 100%; page-break-inside: auto; }}
table.grid {{ table-layout: fixed; font-size: 9.5pt; }} thead {{ display: table-header-group; }}
td, th {{ overflow-wrap: anywhere; }} td.pass, td.fail, td.missing, td.review {{ white-space: nowrap; }}
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
    // Overlaps are only found in a batch, whose checklists sit beside its overlap.html.
    let link_overlap = !c.overlaps.is_empty();
    table(&mut s, &requirements_table(c), link_overlap);
    table(&mut s, &files_table(c), false);
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

#[cfg(test)]
mod tests {
    use super::cell_html;

    #[test]
    fn the_copying_report_is_a_link_one_folder_up() {
        let line = "与 projects/P10/a.docx 重复 1405 字（详见 overlap.html）<b>";
        assert_eq!(
            cell_html(line, true),
            "与 projects/P10/a.docx 重复 1405 字（详见 <a href=\"../overlap.html\">overlap.html</a>）&lt;b&gt;"
        );
        assert!(!cell_html(line, false).contains("<a "));
    }
}
