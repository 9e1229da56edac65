//! Reading a 立项名单 file into rows: `.xlsx` (merged cells filled from their first cell),
//! `.xls`/`.et`/`.ods` through the spreadsheet extractor's reader, `.csv` in UTF-8 or GBK.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader};

use super::columns::{Field, find_header};
use super::{Roster, RosterRow};
use crate::extract::sheet::{self, MAX_COLS, MAX_ROWS, Sheet};

/// A roster file is small; anything larger is not one.
const MAX_ROSTER_BYTES: u64 = 32 << 20;

/// Cells one merged region may fill.
const MAX_MERGE_CELLS: usize = 100_000;

/// Reads a roster file. `Err` is a message in Chinese naming what is wrong.
pub fn read_roster(path: &Path) -> Result<Roster, String> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let size = std::fs::metadata(path)
        .map_err(|e| format!("{name}：{e}"))?
        .len();
    if size > MAX_ROSTER_BYTES {
        return Err(format!(
            "{name}：文件超过 {} MiB，不像立项名单",
            MAX_ROSTER_BYTES >> 20
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{name}：{e}"))?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let sheets = sheets_of(&bytes, &ext).map_err(|e| format!("{name}：{e}"))?;
    let roster = roster_of(&name, sheets);
    if roster.rows.is_empty() && roster.warnings.is_empty() {
        return Err(format!(
            "{name}：找不到含“项目名称”（或“课题名称”）列的表头行"
        ));
    }
    Ok(roster)
}

/// The named sheets of a file, as grids of text with merged cells filled.
pub(super) fn sheets_of(bytes: &[u8], ext: &str) -> Result<Vec<(String, Sheet)>, String> {
    if ext == "csv" || ext == "txt" {
        return Ok(vec![(String::new(), csv_rows(bytes)?)]);
    }
    if bytes.starts_with(b"PK") && !sheet::is_ods(bytes) {
        return xlsx_rows(bytes);
    }
    let sheets = sheet::sheets(bytes).map_err(|e| e.to_string())?;
    Ok(sheets
        .into_iter()
        .enumerate()
        .map(|(i, s)| (format!("第{}个工作表", i + 1), s))
        .collect())
}

/// A CSV in UTF-8 (BOM or not) or, when it is not UTF-8, GBK (GB18030): what Excel on a
/// Chinese Windows saves as "CSV (逗号分隔)".
fn csv_rows(bytes: &[u8]) -> Result<Sheet, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    };
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in r.records().take(MAX_ROWS) {
        let rec = rec.map_err(|e| format!("CSV 格式有误（{e}）"))?;
        rows.push(rec.iter().take(MAX_COLS).map(str::to_string).collect());
    }
    Ok(rows)
}

/// Every sheet of an xlsx with rows in their places (row numbers are reported) and each
/// merged region's value copied into all its cells: a 类别 merged down ten rows belongs to
/// each of them, a title merged across the top is one cell.
fn xlsx_rows(bytes: &[u8]) -> Result<Vec<(String, Sheet)>, String> {
    sheet::check_package(bytes).map_err(|e| e.to_string())?;
    let bad = |e: calamine::XlsxError| format!("无法读取电子表格（{e}）");
    let mut wb = calamine::Xlsx::new(Cursor::new(bytes)).map_err(bad)?;
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let mut rows: Sheet = Vec::new();
        {
            let mut reader = wb.worksheet_cells_reader(&name).map_err(bad)?;
            while let Some(cell) = reader.next_cell().map_err(bad)? {
                let (r, c) = cell.get_position();
                let (r, c) = (r as usize, c as usize);
                if r >= MAX_ROWS || c >= MAX_COLS {
                    continue;
                }
                let v = Data::from(cell.get_value().clone()).to_string();
                if v.trim().is_empty() {
                    continue;
                }
                set(&mut rows, r, c, v);
            }
        }
        // A sheet whose merges cannot be read is still read, without filling them.
        let regions = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
        for d in regions {
            let (r0, c0) = (d.start.0 as usize, d.start.1 as usize);
            let v = rows
                .get(r0)
                .and_then(|r| r.get(c0))
                .cloned()
                .unwrap_or_default();
            if v.is_empty() {
                continue;
            }
            // Rows past the last one with a value hold nothing to fill; a region of more than
            // MAX_MERGE_CELLS is not a table's merged heading or category.
            let r1 = (d.end.0 as usize).min(rows.len().saturating_sub(1));
            let c1 = (d.end.1 as usize).min(MAX_COLS - 1);
            if r1 < r0 || c1 < c0 || (r1 - r0 + 1) * (c1 - c0 + 1) > MAX_MERGE_CELLS {
                continue;
            }
            for r in r0..=r1 {
                for c in c0..=c1 {
                    if (r, c) != (r0, c0) {
                        set(&mut rows, r, c, v.clone());
                    }
                }
            }
        }
        out.push((name, rows));
    }
    Ok(out)
}

fn set(rows: &mut Sheet, r: usize, c: usize, v: String) {
    if rows.len() <= r {
        rows.resize(r + 1, Vec::new());
    }
    let row = &mut rows[r];
    if row.len() <= c {
        row.resize(c + 1, String::new());
    }
    row[c] = v;
}

/// The rows under each sheet's header; sheets without a header are not part of the roster.
pub(super) fn roster_of(file: &str, sheets: Vec<(String, Sheet)>) -> Roster {
    let mut roster = Roster {
        file: file.to_string(),
        rows: Vec::new(),
        warnings: Vec::new(),
    };
    for (sheet_name, rows) in sheets {
        let Some((h, cols)) = find_header(&rows) else {
            continue;
        };
        let col = |f: Field| cols.iter().find(|(g, _)| *g == f).map(|(_, c)| *c);
        for (i, row) in rows.iter().enumerate().skip(h + 1) {
            let cell = |f: Field| -> Option<String> {
                let v = row.get(col(f)?)?.trim();
                (!v.is_empty()).then(|| v.split_whitespace().collect::<Vec<_>>().join(" "))
            };
            let line = i + 1;
            let filled = row.iter().filter(|c| !c.trim().is_empty()).count();
            if filled == 0 {
                continue;
            }
            // A total ("合计 … 4项") or a note under the table is no project.
            let first = row.iter().find(|c| !c.trim().is_empty()).map_or("", |c| c);
            if is_note(first) {
                continue;
            }
            let Some(title) = cell(Field::Title) else {
                if filled > 1 {
                    roster.warnings.push(format!(
                        "{file}{}第{line}行没有项目名称，未读入",
                        sheet_label(&sheet_name)
                    ));
                }
                continue;
            };
            // A header repeated (a second header row under merged headings, a page break).
            if super::columns::field_of(&title) == Some(Field::Title) {
                continue;
            }
            roster.rows.push(RosterRow {
                sheet: sheet_name.clone(),
                line,
                seq: cell(Field::Seq),
                number: cell(Field::Number),
                title,
                org: cell(Field::Org),
                leader: cell(Field::Leader),
                item: cell(Field::Item),
                category: cell(Field::Category),
                guideline: cell(Field::Guideline),
                deadline: cell(Field::Deadline).and_then(|d| date_of(&d)),
                year: cell(Field::Year).and_then(|y| {
                    y.trim_end_matches('年')
                        .trim()
                        .parse::<f64>()
                        .ok()
                        .map(|f| f as i64)
                }),
            });
        }
    }
    roster
}

fn sheet_label(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("（{s}）")
    }
}

/// A row under the table that is a note or a total, not a project.
fn is_note(first: &str) -> bool {
    let t: String = first.chars().filter(|c| !c.is_whitespace()).collect();
    ["合计", "总计", "小计", "共计", "注", "备注", "说明"]
        .iter()
        .any(|p| t.starts_with(p))
}

/// A completion date as written in a roster: `2022-12-31`, `2022/12/31`, `2022.12.31`,
/// `2022年12月31日`, a month alone (`2022年12月`, `2022.12`: its last day), or an Excel date
/// serial (a date cell read as its number).
pub fn date_of(s: &str) -> Option<String> {
    let s: String = s
        .trim()
        .chars()
        .map(crate::text::fold_width)
        .filter(|c| !c.is_whitespace())
        .collect();
    if let Ok(serial) = s.parse::<f64>()
        && (20000.0..80000.0).contains(&serial)
    {
        // Excel's day 0 is 1899-12-30 (its 1900 leap-year bug makes this the right origin for
        // every date after February 1900).
        let d = jiff::civil::date(1899, 12, 30)
            .checked_add(jiff::Span::new().days(serial.floor() as i64))
            .ok()?;
        return Some(d.to_string());
    }
    let s = s.split('T').next().unwrap_or(&s).to_string();
    let nums: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    let y: i16 = nums.first()?.parse().ok()?;
    if !(1990..=2100).contains(&y) {
        return None;
    }
    let m: i8 = nums.get(1)?.parse().ok()?;
    let d: i8 = match nums.get(2) {
        Some(d) => d.parse().ok()?,
        None => crate::dates::last_day_of_month(y, m)?,
    };
    crate::dates::iso(y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let rows: &[(&str, Option<&str>)] = &[
            ("2022-12-31", Some("2022-12-31")),
            ("2022/6/30", Some("2022-06-30")),
            ("2022.12", Some("2022-12-31")),
            ("2023年2月", Some("2023-02-28")),
            ("２０２２年１２月３１日", Some("2022-12-31")),
            // Excel serial 44926 is 2022-12-31 (44927 = 2023-01-01, as Excel shows it).
            ("44926", Some("2022-12-31")),
            ("2022-12-31T00:00:00", Some("2022-12-31")),
            ("一年", None),
            ("2022-13-01", None),
        ];
        for (s, want) in rows {
            assert_eq!(date_of(s).as_deref(), *want, "{s}");
        }
    }

    #[test]
    fn gbk_csv() {
        let (bytes, _, _) = encoding_rs::GBK.encode("序号,项目名称,承担单位\n1,甲项目,乙学会\n");
        let rows = csv_rows(&bytes).unwrap();
        assert_eq!(rows[1], vec!["1", "甲项目", "乙学会"]);
    }
}
