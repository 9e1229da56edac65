//! The summary table of a batch, as CSV (with a BOM, for Excel) and as XLSX (verdicts in
//! colour, with sheets for the changes and the files that could not be read). Both render
//! one [`SummaryTables`].
//!
//! The workbook is meant to be printed and signed: every column has a width, long text wraps,
//! numbers are numbers (`#,##0`) and dates are dates, the header row is frozen, filtered and
//! repeated on every printed page, and the sheet prints landscape on A4, one page wide.

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Url, Workbook,
    Worksheet, XlsxError,
};

use crate::check::Verdict;

/// A cell of the summary, typed so the workbook can write numbers and dates as such.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    /// A count (字, days): `#,##0` in the workbook.
    Number(u64),
    /// `YYYY-MM-DD`: a date cell in the workbook (text when it is not a date).
    Date(String),
    /// A file of the output folder, by its path relative to the workbook.
    Link(String),
}

impl Value {
    /// The cell as CSV writes it.
    fn text(&self) -> String {
        match self {
            Value::Text(s) | Value::Date(s) | Value::Link(s) => s.clone(),
            Value::Number(n) => n.to_string(),
        }
    }
}

/// A column: its header and its width in the workbook (Excel's character units; a Chinese
/// character is two).
pub struct Column {
    pub header: &'static str,
    pub width: f64,
}

/// The summary as its renderers see it.
pub struct SummaryTables {
    pub columns: Vec<Column>,
    /// One row per project, in the columns of `columns`.
    pub rows: Vec<Vec<Value>>,
    /// The verdict of each row (its colour in the workbook).
    pub verdicts: Vec<Verdict>,
    /// The column of the verdict.
    pub verdict_column: usize,
    /// One row per file that could not be processed, in the columns of `columns` (CSV only:
    /// the workbook lists them on a sheet of their own).
    pub error_rows: Vec<Vec<Value>>,
    /// What changed since the last run: project, change, file, old and new verdict.
    pub changes: Vec<[String; 5]>,
    /// Files that could not be processed: path and why.
    pub errors: Vec<[String; 2]>,
}

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

/// The table as CSV: the projects, then one row per file that could not be processed.
pub fn csv(t: &SummaryTables) -> Result<Vec<u8>, String> {
    // CSV with a BOM: Excel then opens the Chinese text as UTF-8.
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    w.write_record(t.columns.iter().map(|c| c.header))
        .map_err(|e| e.to_string())?;
    for r in t.rows.iter().chain(&t.error_rows) {
        w.write_record(r.iter().map(|c| formula_safe(&c.text()).into_owned()))
            .map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

/// The formats of the workbook, made once.
struct Formats {
    header: Format,
    text: Format,
    number: Format,
    date: Format,
    link: Format,
    pass: Format,
    fail: Format,
    review: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0x999999))
            .set_align(FormatAlign::Top)
            .set_text_wrap();
        Formats {
            header: cell
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(0xEEEEEE))
                .set_align(FormatAlign::VerticalCenter),
            number: cell.clone().set_num_format("#,##0"),
            date: cell.clone().set_num_format("yyyy-mm-dd"),
            link: cell
                .clone()
                .set_font_color(Color::Blue)
                .set_underline(rust_xlsxwriter::FormatUnderline::Single),
            pass: cell.clone().set_font_color(Color::RGB(0x0A6B2D)),
            fail: cell.clone().set_bold().set_font_color(Color::RGB(0xB00020)),
            review: cell.clone().set_font_color(Color::RGB(0xA15C00)),
            text: cell,
        }
    }
}

/// The width of `s` in Excel's character units: a Chinese (wide) character takes two.
fn display_width(s: &str) -> f64 {
    s.chars()
        .map(|c| if (c as u32) >= 0x1100 { 2.0 } else { 1.0 })
        .sum()
}

/// The height of a row whose cells wrap `texts` in columns of `widths` (points): Excel and
/// LibreOffice do not always grow a wrapped row when they open a file, so it is set here.
fn row_height(texts: &[(String, f64)]) -> f64 {
    let lines = texts
        .iter()
        .map(|(t, width)| {
            // A little narrower than the column: fonts differ, and a cut line is worse than a
            // spare one.
            let usable = (width * 0.9 - 1.0).max(1.0);
            t.split('\n')
                .map(|part| (display_width(part) / usable).ceil().max(1.0))
                .sum::<f64>()
        })
        .fold(1.0, f64::max);
    // 15 points a line of 11-point text, as Excel's default row.
    lines * 15.0
}

/// A header row, frozen, filtered and repeated on every printed page; landscape A4, one page
/// wide, page numbers in the footer.
fn sheet_layout(
    ws: &mut Worksheet,
    f: &Formats,
    headers: &[(&str, f64)],
    last_row: u32,
) -> Result<(), XlsxError> {
    for (c, (h, width)) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &f.header)?;
        ws.set_column_width(c as u16, *width)?;
    }
    let texts: Vec<(String, f64)> = headers.iter().map(|(h, w)| (h.to_string(), *w)).collect();
    ws.set_row_height(0, row_height(&texts))?;
    let last_col = headers.len().saturating_sub(1) as u16;
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, last_row, last_col)?;
    ws.set_repeat_rows(0, 0)?;
    ws.set_landscape();
    // 9: A4 in Excel's numbering of paper sizes.
    ws.set_paper_size(9);
    // One page wide, as many pages long as needed.
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// Writes `v` with the cell format `text`, or the number, date and link formats.
fn write_value(
    ws: &mut Worksheet,
    f: &Formats,
    (r, c): (u32, u16),
    v: &Value,
    text: &Format,
) -> Result<(), XlsxError> {
    match v {
        Value::Text(s) => {
            ws.write_string_with_format(r, c, s, text)?;
        }
        Value::Number(n) => {
            ws.write_number_with_format(r, c, *n as f64, &f.number)?;
        }
        Value::Date(s) => match ExcelDateTime::parse_from_str(s) {
            Ok(d) if !s.is_empty() => {
                ws.write_datetime_with_format(r, c, &d, &f.date)?;
            }
            _ => {
                ws.write_string_with_format(r, c, s, text)?;
            }
        },
        Value::Link(path) => {
            let name = path.rsplit('/').next().unwrap_or(path);
            // `file:///` with a relative path is stored relative to the workbook: the link
            // still works when the output folder is moved or zipped.
            let url = Url::new(format!("file:///{path}")).set_text(name);
            ws.write_url_with_format(r, c, url, &f.link)?;
        }
    }
    Ok(())
}

/// The table as an XLSX workbook, with the changes and the errors on sheets of their own.
pub fn xlsx(t: &SummaryTables) -> Result<Vec<u8>, String> {
    xlsx_inner(t).map_err(|e| e.to_string())
}

fn xlsx_inner(t: &SummaryTables) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    // The creation time is the time of writing (rust_xlsxwriter's default).
    wb.set_properties(
        &DocProperties::new()
            .set_title("验收汇总表")
            .set_subject("项目验收汇总")
            .set_author("yanshou")
            .set_comment("由 yanshou 生成"),
    );
    let f = Formats::new();
    {
        let ws = wb.add_worksheet();
        ws.set_name("验收汇总")?;
        let headers: Vec<(&str, f64)> = t.columns.iter().map(|c| (c.header, c.width)).collect();
        sheet_layout(ws, &f, &headers, t.rows.len() as u32)?;
        for (r, row) in t.rows.iter().enumerate() {
            let text = if r < t.verdicts.len() {
                match t.verdicts[r] {
                    Verdict::Pass => &f.pass,
                    Verdict::Fail | Verdict::Missing => &f.fail,
                    Verdict::Review => &f.review,
                }
            } else {
                &f.text
            };
            for (c, v) in row.iter().enumerate() {
                let format = if c == t.verdict_column { text } else { &f.text };
                write_value(ws, &f, (r as u32 + 1, c as u16), v, format)?;
            }
            let texts: Vec<(String, f64)> = row
                .iter()
                .zip(&t.columns)
                .map(|(v, c)| (v.text(), c.width))
                .collect();
            ws.set_row_height(r as u32 + 1, row_height(&texts))?;
        }
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("本次变化")?;
        let headers = [
            ("项目", 10.0),
            ("变化", 12.0),
            ("文件", 60.0),
            ("原结论", 12.0),
            ("新结论", 12.0),
        ];
        sheet_layout(ws, &f, &headers, t.changes.len() as u32)?;
        for (r, ch) in t.changes.iter().enumerate() {
            for (c, v) in ch.iter().enumerate() {
                ws.write_string_with_format(r as u32 + 1, c as u16, v, &f.text)?;
            }
            let texts: Vec<(String, f64)> = ch
                .iter()
                .zip(&headers)
                .map(|(v, h)| (v.clone(), h.1))
                .collect();
            ws.set_row_height(r as u32 + 1, row_height(&texts))?;
        }
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("无法处理的文件")?;
        let headers = [("路径", 50.0), ("原因", 70.0)];
        sheet_layout(ws, &f, &headers, t.errors.len() as u32)?;
        for (r, e) in t.errors.iter().enumerate() {
            for (c, v) in e.iter().enumerate() {
                ws.write_string_with_format(r as u32 + 1, c as u16, v, &f.text)?;
            }
            let texts: Vec<(String, f64)> = e
                .iter()
                .zip(&headers)
                .map(|(v, h)| (v.clone(), h.1))
                .collect();
            ws.set_row_height(r as u32 + 1, row_height(&texts))?;
        }
    }
    wb.save_to_buffer()
}
