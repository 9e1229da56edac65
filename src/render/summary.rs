//! The summary table of a batch, as CSV (with a BOM, for Excel) and as XLSX (verdicts in
//! colour, with sheets for the changes and the files that could not be read). Both render
//! one [`SummaryTables`].

use crate::check::Verdict;

/// The summary as its renderers see it.
pub struct SummaryTables {
    pub header: Vec<&'static str>,
    /// One row per project, in the columns of `header`.
    pub rows: Vec<Vec<String>>,
    /// The verdict of each row (its colour in the workbook).
    pub verdicts: Vec<Verdict>,
    /// What changed since the last run: project, change, file, old and new verdict.
    pub changes: Vec<[String; 5]>,
    /// Files that could not be processed: path and why.
    pub errors: Vec<[String; 2]>,
}

/// The column of the verdict, in colour in the workbook.
const VERDICT_COLUMN: usize = 5;
/// Columns written as numbers in the workbook (words, days overdue).
const NUMBER_COLUMNS: [usize; 2] = [6, 9];

/// A cell Excel or WPS would run as a formula (a title "=HYPERLINK(…)" or "@SUM(…)") gets a
/// leading apostrophe, as OWASP advises for CSV injection; numbers keep their sign.
fn formula_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// The table as CSV.
pub fn csv(t: &SummaryTables) -> Result<Vec<u8>, String> {
    // CSV with a BOM: Excel then opens the Chinese text as UTF-8.
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    w.write_record(&t.header).map_err(|e| e.to_string())?;
    for r in &t.rows {
        w.write_record(r.iter().map(|c| formula_safe(c).into_owned()))
            .map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

/// The table as an XLSX workbook, with the changes and the errors on sheets of their own.
pub fn xlsx(t: &SummaryTables) -> Result<Vec<u8>, String> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let red = rust_xlsxwriter::Format::new().set_font_color(rust_xlsxwriter::Color::Red);
    let amber = rust_xlsxwriter::Format::new().set_font_color(rust_xlsxwriter::Color::Orange);
    let green = rust_xlsxwriter::Format::new().set_font_color(rust_xlsxwriter::Color::Green);
    let xerr = |e: rust_xlsxwriter::XlsxError| e.to_string();
    {
        let ws = wb.add_worksheet();
        ws.set_name("验收汇总").map_err(xerr)?;
        for (c, h) in t.header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)
                .map_err(xerr)?;
        }
        for (r, row) in t.rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (rr, cc) = (r as u32 + 1, c as u16);
                if c == VERDICT_COLUMN {
                    let f = match t.verdicts[r] {
                        Verdict::Pass => &green,
                        Verdict::Fail | Verdict::Missing => &red,
                        Verdict::Review => &amber,
                    };
                    ws.write_string_with_format(rr, cc, v, f).map_err(xerr)?;
                } else if NUMBER_COLUMNS.contains(&c) && !v.is_empty() {
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
        for (r, ch) in t.changes.iter().enumerate() {
            for (c, v) in ch.iter().enumerate() {
                ws.write_string(r as u32 + 1, c as u16, v).map_err(xerr)?;
            }
        }
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("无法处理的文件").map_err(xerr)?;
        ws.write_string_with_format(0, 0, "路径", &bold)
            .map_err(xerr)?;
        ws.write_string_with_format(0, 1, "原因", &bold)
            .map_err(xerr)?;
        for (r, e) in t.errors.iter().enumerate() {
            for (c, v) in e.iter().enumerate() {
                ws.write_string(r as u32 + 1, c as u16, v).map_err(xerr)?;
            }
        }
    }
    wb.save_to_buffer().map_err(xerr)
}
