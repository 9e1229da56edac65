//! Spreadsheets: `.xlsx`, `.xls`, `.et` (WPS 表格, in either layout) and `.ods`, via calamine.
//!
//! A reviewer gets spreadsheets as sign-in sheets (签到表), rosters and statistics tables. Each
//! non-empty row becomes one paragraph, its cells joined by tabs, sheet after sheet, so the
//! text can be searched, counted and checked like any other file. A sheet's first row with a
//! single filled cell ("专题交流活动签到表") is its title. A column headed 姓名 / 参会人员 /
//! 签名 … makes the sheet a roster: its non-empty name rows are counted into
//! [`Document::name_rows`], the figure a headcount indicator or an event is checked against.
//!
//! Safety: a package's parts are sized before calamine opens it (the same caps as docx), and
//! xlsx sheets are read cell by cell, so a sheet that declares one cell at A1 and one at
//! XFD1048576 costs two cells, not a dense grid. `.ods` is read here from `content.xml`
//! (calamine expands repeated rows and columns up to 100 million cells, which a few bytes of
//! `number-rows-repeated` can ask for); repeats are capped. Legacy `.xls` goes through
//! calamine's range reader, whose grid spans the used cells (at most 65,536 × 256).

use std::io::Cursor;

use calamine::{Data, Reader};

use crate::doc::{Document, Format, ParaKind};

use super::{ExtractError, MAX_PART_BYTES};

/// Column headings that name the people of a roster or sign-in sheet.
const NAME_HEADERS: &[&str] = &[
    "姓名",
    "名字",
    "参会人员",
    "参会人",
    "参会人员姓名",
    "参训人员",
    "学员姓名",
    "人员姓名",
    "代表姓名",
    "专家姓名",
    "签名",
    "签字",
    "本人签名",
    "签到",
    "name",
];

/// Rows a sheet is allowed to contribute (a million-row export is data, not a document).
pub(crate) const MAX_ROWS: usize = 1_000_000;

/// Every sheet's rows as text, the format told by the content (xlsx, ods, else xls).
pub(crate) fn sheets(bytes: &[u8]) -> Result<Vec<Sheet>, ExtractError> {
    if bytes.starts_with(b"PK") {
        check_package(bytes)?;
        if is_ods(bytes) {
            ods_sheets(bytes)
        } else {
            xlsx_sheets(bytes)
        }
    } else {
        ranges(calamine::Xls::new(Cursor::new(bytes)).map_err(bad)?)
    }
}

pub(crate) fn extract(bytes: &[u8], ext: &str) -> Result<Document, ExtractError> {
    let sheets = sheets(bytes)?;
    let format = match ext {
        "et" => Format::Et,
        "ods" => Format::Ods,
        "xls" => Format::Xls,
        _ => Format::Xlsx,
    };
    let mut doc = Document::new(format);
    let mut roster: Option<u64> = None;
    for rows in sheets {
        let mut name_col: Option<usize> = None;
        for (i, row) in rows.iter().enumerate() {
            let filled = row.iter().filter(|c| !c.trim().is_empty()).count();
            if filled == 0 {
                continue;
            }
            let end = row.iter().rposition(|c| !c.trim().is_empty()).unwrap_or(0) + 1;
            let line = row[..end].join("\t");
            let kind = if i == 0 && filled == 1 {
                ParaKind::Title
            } else {
                ParaKind::TableCell
            };
            doc.push(line.trim(), kind, None);
            match name_col {
                None if i < 10 => name_col = row.iter().position(|c| is_name_header(c)),
                Some(col) => {
                    let name = row.get(col).map(|c| c.trim()).unwrap_or("");
                    if !name.is_empty() && !is_name_header(name) && !is_total(name) {
                        *roster.get_or_insert(0) += 1;
                    }
                }
                None => {}
            }
            if name_col.is_some() && roster.is_none() {
                roster = Some(0);
            }
        }
    }
    doc.name_rows = roster;
    Ok(doc)
}

fn bad(e: impl std::fmt::Display) -> ExtractError {
    ExtractError::Corrupt(format!("无法读取电子表格（{e}）"))
}

fn is_name_header(c: &str) -> bool {
    let t: String = c.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.to_lowercase();
    NAME_HEADERS.contains(&t.as_str())
}

fn is_total(c: &str) -> bool {
    let t: String = c.chars().filter(|c| !c.is_whitespace()).collect();
    matches!(t.as_str(), "合计" | "总计" | "小计" | "共计")
}

/// Refuses a package whose parts would inflate past the caps (a zip bomb in a spreadsheet).
pub(crate) fn check_package(bytes: &[u8]) -> Result<(), ExtractError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ExtractError::Corrupt(format!("无法打开电子表格压缩包（{e}）")))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let f = zip
            .by_index_raw(i)
            .map_err(|e| ExtractError::Corrupt(format!("电子表格压缩包已损坏（{e}）")))?;
        if f.size() > MAX_PART_BYTES {
            return Err(ExtractError::TooLarge(format!(
                "{} 超过 {} MiB 的上限（可能是压缩炸弹）",
                f.name().unwrap_or_default(),
                MAX_PART_BYTES >> 20
            )));
        }
        total += f.size();
    }
    if total > 2 * MAX_PART_BYTES {
        return Err(ExtractError::TooLarge(format!(
            "解压后超过 {} MiB 的上限（可能是压缩炸弹）",
            (2 * MAX_PART_BYTES) >> 20
        )));
    }
    Ok(())
}

pub(crate) fn is_ods(bytes: &[u8]) -> bool {
    zip::ZipArchive::new(Cursor::new(bytes)).is_ok_and(|mut z| z.by_name("content.xml").is_ok())
}

pub(crate) type Sheet = Vec<Vec<String>>;

/// Columns kept in place (a name column is found by position); cells past this are appended.
pub(crate) const MAX_COLS: usize = 256;

/// Every sheet's rows through calamine's range reader (xls, ods).
fn ranges<RS, R>(mut wb: R) -> Result<Vec<Sheet>, ExtractError>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).map_err(bad)?;
        out.push(
            range
                .rows()
                .take(MAX_ROWS)
                .map(|row| row.iter().map(Data::to_string).collect())
                .collect(),
        );
    }
    Ok(out)
}

/// Repeats of one non-empty row or cell kept (a repeated row of data is rare; a million
/// repeats of it is an attack).
const MAX_REPEAT: usize = 1000;

/// Every sheet of an `.ods` from its content.xml, with repeats capped (see the module doc).
fn ods_sheets(bytes: &[u8]) -> Result<Vec<Sheet>, ExtractError> {
    use super::docx::{attr, local, read_part};
    use quick_xml::events::Event;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(bad)?;
    let xml = read_part(&mut zip, "content.xml")?
        .ok_or_else(|| ExtractError::Corrupt("不是 OpenDocument 表格：缺少 content.xml".into()))?;
    let repeat = |e: &quick_xml::events::BytesStart<'_>, name: &str| {
        attr(e, name)
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let mut out: Vec<Sheet> = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut row_rep = 1usize;
    let mut cell: Option<(String, usize)> = None;
    let mut paras_in_cell = 0usize;
    let mut r = quick_xml::Reader::from_str(&xml);
    let push_cell = |row: &mut Vec<String>, text: String, n: usize| {
        let n = if text.trim().is_empty() {
            n.min(MAX_COLS.saturating_sub(row.len()))
        } else {
            n.min(MAX_REPEAT)
        };
        for _ in 0..n {
            row.push(text.clone());
        }
    };
    loop {
        let ev = match r.read_event() {
            Ok(Event::Eof) => break,
            Ok(ev) => ev,
            Err(e) => return Err(bad(e)),
        };
        match ev {
            Event::Start(e) => match local(&e).as_str() {
                "table" => out.push(Vec::new()),
                "table-row" => {
                    row.clear();
                    row_rep = repeat(&e, "number-rows-repeated");
                }
                "table-cell" | "covered-table-cell" => {
                    cell = Some((String::new(), repeat(&e, "number-columns-repeated")));
                    paras_in_cell = 0;
                }
                "p" => {
                    if let Some((t, _)) = cell.as_mut()
                        && paras_in_cell > 0
                    {
                        t.push(' ');
                    }
                    paras_in_cell += 1;
                }
                _ => {}
            },
            Event::Empty(e) => match local(&e).as_str() {
                "table-cell" | "covered-table-cell" => {
                    push_cell(
                        &mut row,
                        String::new(),
                        repeat(&e, "number-columns-repeated"),
                    );
                }
                "s" => {
                    if let Some((t, _)) = cell.as_mut() {
                        let n = attr(&e, "c").and_then(|c| c.parse().ok()).unwrap_or(1usize);
                        t.extend(std::iter::repeat_n(' ', n.min(100)));
                    }
                }
                "table-row" => {}
                _ => {}
            },
            Event::Text(t) => {
                if let Some((s, _)) = cell.as_mut() {
                    s.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(g) => {
                if let Some((s, _)) = cell.as_mut() {
                    let ch = super::xml_ref(&g);
                    s.extend(ch);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "table-cell" | "covered-table-cell" => {
                    if let Some((t, n)) = cell.take() {
                        push_cell(&mut row, t, n);
                    }
                }
                "table-row" => {
                    let Some(sheet) = out.last_mut() else {
                        continue;
                    };
                    let filled = row.iter().any(|c| !c.trim().is_empty());
                    // Empty rows keep their place for the first rows (a header is looked for
                    // in the first ten), and cost nothing after.
                    let n = if filled {
                        row_rep.min(MAX_REPEAT)
                    } else {
                        row_rep.min(10)
                    };
                    for _ in 0..n {
                        if sheet.len() >= MAX_ROWS {
                            break;
                        }
                        sheet.push(if filled { row.clone() } else { Vec::new() });
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    Ok(out)
}

/// Every xlsx sheet's rows, read cell by cell (see the module doc).
fn xlsx_sheets(bytes: &[u8]) -> Result<Vec<Sheet>, ExtractError> {
    let mut wb = calamine::Xlsx::new(Cursor::new(bytes)).map_err(bad)?;
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let mut cells: Vec<(u32, u32, String)> = Vec::new();
        let mut reader = wb.worksheet_cells_reader(&name).map_err(bad)?;
        while let Some(cell) = reader.next_cell().map_err(bad)? {
            let (r, c) = cell.get_position();
            let v = Data::from(cell.get_value().clone()).to_string();
            if !v.trim().is_empty() {
                cells.push((r, c, v));
            }
        }
        cells.sort_by_key(|&(r, c, _)| (r, c));
        let mut rows: Sheet = Vec::new();
        let mut last: Option<u32> = None;
        for (r, c, v) in cells {
            if last != Some(r) {
                if rows.len() >= MAX_ROWS {
                    break;
                }
                rows.push(Vec::new());
                last = Some(r);
            }
            let row = rows.last_mut().expect("pushed above");
            let c = c as usize;
            if c < MAX_COLS && c >= row.len() {
                row.resize(c, String::new());
            }
            row.push(v);
        }
        out.push(rows);
    }
    Ok(out)
}
