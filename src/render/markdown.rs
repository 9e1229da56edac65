//! A checklist as Markdown.

use std::fmt::Write;

use super::{SIGNATURE, Table, files_table, overlap_lines, requirements_table, unmatched_line};
use crate::check::checklist::Checklist;

/// Text in Markdown (a table cell or a line): pipes escaped, line breaks folded, markup characters (`<script>`)
/// shown as text, control characters made visible.
fn esc_md(s: &str) -> String {
    crate::text::printable(&s.replace('\n', " "))
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn table(s: &mut String, t: &Table) {
    let _ = writeln!(s, "\n## {}\n", t.heading);
    let _ = writeln!(s, "| {} |", t.header.join(" | "));
    let _ = writeln!(s, "|{}", "---|".repeat(t.header.len()));
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(|c| esc_md(&c.lines.join("；"))).collect();
        let _ = writeln!(s, "| {} |", cells.join(" | "));
    }
}

pub fn checklist(c: &Checklist) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", esc_md(&c.title()));
    for (k, v) in c.info_rows() {
        let _ = writeln!(s, "- **{k}**：{}", esc_md(&v));
    }
    table(&mut s, &requirements_table(c));
    table(&mut s, &files_table(c));
    if let Some(line) = unmatched_line(c) {
        let _ = writeln!(s, "\n{}", esc_md(&line));
    }
    let overlaps = overlap_lines(c);
    if !overlaps.is_empty() {
        let _ = writeln!(s, "\n## 重复内容\n");
        for line in overlaps {
            let _ = writeln!(s, "- {}", esc_md(&line));
        }
    }
    let _ = writeln!(s, "\n{SIGNATURE}");
    s
}
