//! The summary table of a batch, as CSV (with a BOM, for Excel) and as XLSX (verdicts in
//! colour, with sheets for the changes and the files that could not be read). Both render
//! the one table that [`table`] builds.

use crate::batch::{Change, ErrorRow, ProjectRow};
use crate::check::Verdict;

/// The summary columns shared by CSV and XLSX.
pub fn table(projects: &[ProjectRow]) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let header = vec![
        "项目编号",
        "项目名称",
        "承担单位",
        "指南",
        "指南项目",
        "结论",
        "主报告正文字数",
        "未满足的要求",
        "完成期限",
        "逾期天数",
        "结论自",
        "说明",
    ];
    let rows = projects
        .iter()
        .map(|p| {
            vec![
                p.id.clone(),
                p.title.clone(),
                p.org.clone(),
                p.guideline.clone(),
                format!("{} {}", p.item, p.item_title),
                p.verdict.label_zh().to_string(),
                p.main_report_words.map_or(String::new(), |w| w.to_string()),
                p.tracking.outstanding.join("、"),
                p.tracking.deadline.clone().unwrap_or_default(),
                if p.tracking.days_overdue > 0 {
                    p.tracking.days_overdue.to_string()
                } else {
                    String::new()
                },
                p.verdict_since.clone().unwrap_or_default(),
                p.reason.clone(),
            ]
        })
        .collect();
    (header, rows)
}

/// The table as CSV.
pub fn csv(header: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, String> {
    // CSV with a BOM: Excel then opens the Chinese text as UTF-8.
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    w.write_record(header).map_err(|e| e.to_string())?;
    for r in rows {
        w.write_record(r).map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

/// The table as an XLSX workbook, with the changes and the errors on sheets of their own.
pub fn xlsx(
    header: &[&str],
    rows: &[Vec<String>],
    verdicts: &[Verdict],
    changes: &[Change],
    errors: &[ErrorRow],
) -> Result<Vec<u8>, String> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let red = rust_xlsxwriter::Format::new().set_font_color(rust_xlsxwriter::Color::Red);
    let amber = rust_xlsxwriter::Format::new().set_font_color(rust_xlsxwriter::Color::Orange);
    let green = rust_xlsxwriter::Format::new().set_font_color(rust_xlsxwriter::Color::Green);
    let xerr = |e: rust_xlsxwriter::XlsxError| e.to_string();
    {
        let ws = wb.add_worksheet();
        ws.set_name("验收汇总").map_err(xerr)?;
        for (c, h) in header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)
                .map_err(xerr)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (rr, cc) = (r as u32 + 1, c as u16);
                if c == 5 {
                    let f = match verdicts[r] {
                        Verdict::Pass => &green,
                        Verdict::Fail => &red,
                        Verdict::Review => &amber,
                    };
                    ws.write_string_with_format(rr, cc, v, f).map_err(xerr)?;
                } else if (c == 6 || c == 9) && !v.is_empty() {
                    ws.write_number(rr, cc, v.parse::<f64>().unwrap_or(0.0))
                        .map_err(xerr)?;
                } else {
                    ws.write_string(rr, cc, v).map_err(xerr)?;
                }
            }
        }
        ws.set_column_width(1, 30).map_err(xerr)?;
        ws.set_column_width(4, 30).map_err(xerr)?;
        ws.set_column_width(11, 60).map_err(xerr)?;
        ws.set_freeze_panes(1, 0).map_err(xerr)?;
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("本次变化").map_err(xerr)?;
        for (c, h) in ["项目", "变化", "文件", "原结论", "新结论"]
            .iter()
            .enumerate()
        {
            ws.write_string_with_format(0, c as u16, *h, &bold)
                .map_err(xerr)?;
        }
        for (r, ch) in changes.iter().enumerate() {
            let r = r as u32 + 1;
            ws.write_string(r, 0, &ch.project).map_err(xerr)?;
            ws.write_string(r, 1, ch.event.label_zh()).map_err(xerr)?;
            ws.write_string(r, 2, ch.path.as_deref().unwrap_or(""))
                .map_err(xerr)?;
            ws.write_string(r, 3, ch.from.map_or("", Verdict::as_str))
                .map_err(xerr)?;
            ws.write_string(r, 4, ch.to.map_or("", Verdict::as_str))
                .map_err(xerr)?;
        }
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("无法处理的文件").map_err(xerr)?;
        ws.write_string_with_format(0, 0, "路径", &bold)
            .map_err(xerr)?;
        ws.write_string_with_format(0, 1, "原因", &bold)
            .map_err(xerr)?;
        for (r, e) in errors.iter().enumerate() {
            ws.write_string(r as u32 + 1, 0, &e.path).map_err(xerr)?;
            ws.write_string(r as u32 + 1, 1, &e.error).map_err(xerr)?;
        }
    }
    wb.save_to_buffer().map_err(xerr)
}
