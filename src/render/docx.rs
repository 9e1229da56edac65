//! A checklist as a Word document (A4, opens in Word and WPS).
//!
//! docx-rs writes the body, the widths and the footer with its page field. Two things it
//! cannot write are patched into the package afterwards: the "repeat as header row" mark of a
//! table's first row (`w:tblHeader`), and the document properties (docx-rs always writes the
//! author `unknown`, and has no setter for it or for the title).

use std::io::{Cursor, Read, Write};

use docx_rs::*;

use super::Class;
use super::{SIGNATURE, files_table, overlap_lines, requirements_table, unmatched_line};
use crate::check::Status;
use crate::check::checklist::Checklist;
use crate::text::esc_html;

/// The width the text may use: A4 (11906 twentieths of a point) less two 2 cm margins.
const TEXT_WIDTH: usize = 11906 - 2 * 1134;

/// Column widths of the requirements table, in twentieths of a point. 结论 holds 需人工复核 on one
/// line (5 characters of 9 pt and the cell's margins); 要求 holds 6 characters.
const REQUIREMENT_WIDTHS: [usize; 7] = [800, 1250, 1700, 1100, 1400, 1300, 2088];
/// Column widths of the files table: 文件, 识别为, 依据, 状态, 全文字数, 正文字数.
const FILE_WIDTHS: [usize; 6] = [3538, 1200, 1200, 1300, 1200, 1200];

/// The size of table text in half-points: 9 pt, so seven columns fit a portrait page.
const TABLE_SIZE: usize = 18;

/// The checklist as a Word document (A4 portrait, a table per section).
pub fn checklist(c: &Checklist) -> Result<Vec<u8>, String> {
    let font = RunFonts::new()
        .east_asia("宋体")
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman");
    // Fonts and size are the document defaults, not repeated on every run.
    let text = |t: &str| Run::new().add_text(t);
    let para = |t: &str| Paragraph::new().add_run(text(t));
    // A cell of a table: one paragraph per line, so evidence items never run together.
    let cell = |lines: &[String], width: usize, style: &dyn Fn(Run) -> Run| {
        let mut cell = TableCell::new().width(width, WidthType::Dxa);
        for l in lines {
            cell = cell.add_paragraph(Paragraph::new().add_run(style(text(l).size(TABLE_SIZE))));
        }
        if lines.is_empty() {
            cell = cell.add_paragraph(Paragraph::new());
        }
        cell
    };
    let plain = |r: Run| r;
    let bold = |r: Run| r.bold();
    let head_cell = |t: &str, width: usize| {
        cell(&[t.to_string()], width, &bold).shading(Shading::new().fill("EEEEEE"))
    };
    let table = |rows: Vec<TableRow>, widths: &[usize]| {
        Table::new(rows)
            .set_grid(widths.to_vec())
            .layout(TableLayoutType::Fixed)
            .width(widths.iter().sum(), WidthType::Dxa)
    };
    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(text("第 ").size(TABLE_SIZE))
            .add_run(
                Run::new()
                    .size(TABLE_SIZE)
                    .add_field_char(FieldCharType::Begin, false)
                    .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
                    .add_field_char(FieldCharType::Separate, false)
                    .add_text("1")
                    .add_field_char(FieldCharType::End, false),
            )
            .add_run(text(" 页，共 ").size(TABLE_SIZE))
            .add_run(
                Run::new()
                    .size(TABLE_SIZE)
                    .add_field_char(FieldCharType::Begin, false)
                    .add_instr_text(InstrText::NUMPAGES(InstrNUMPAGES::new()))
                    .add_field_char(FieldCharType::Separate, false)
                    .add_text("1")
                    .add_field_char(FieldCharType::End, false),
            )
            .add_run(text(" 页").size(TABLE_SIZE)),
    );
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
                .right(1134)
                .footer(567),
        )
        .footer(footer)
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(text(&c.title()).bold().size(32)),
        );
    let info_widths = [1800, TEXT_WIDTH - 1800];
    let info: Vec<TableRow> = c
        .info_rows()
        .into_iter()
        .map(|(k, v)| {
            TableRow::new(vec![
                head_cell(k, info_widths[0]),
                cell(&[v], info_widths[1], &plain),
            ])
            .cant_split()
        })
        .collect();
    doc = doc.add_table(table(info, &info_widths));
    for (t, widths) in [
        (requirements_table(c), &REQUIREMENT_WIDTHS[..]),
        (files_table(c), &FILE_WIDTHS[..]),
    ] {
        doc = doc
            .add_paragraph(para(""))
            .add_paragraph(Paragraph::new().add_run(text(t.heading).bold().size(24)));
        // The header row is marked so Word repeats it on every page (see `mark_header_rows`).
        let mut rows = vec![
            TableRow::new(
                t.header
                    .iter()
                    .zip(widths)
                    .map(|(h, w)| head_cell(h, *w))
                    .collect(),
            )
            .cant_split()
            .row_height(HEADER_ROW_HEIGHT),
        ];
        for row in &t.rows {
            rows.push(TableRow::new(
                row.iter()
                    .zip(widths)
                    .map(|(x, w)| match x.class {
                        Some(Class::Status(st)) => {
                            cell(&x.lines, *w, &|r: Run| r.bold().color(status_colour(st)))
                        }
                        Some(Class::Quote) => cell(&x.lines, *w, &|r: Run| r.color("444444")),
                        None => cell(&x.lines, *w, &plain),
                    })
                    .collect(),
            ));
        }
        doc = doc.add_table(table(rows, widths));
    }
    if let Some(line) = unmatched_line(c) {
        doc = doc.add_paragraph(para(&line));
    }
    for line in overlap_lines(c) {
        doc = doc.add_paragraph(para(&format!("重复内容：{line}")));
    }
    doc = doc.add_paragraph(para("")).add_paragraph(para(SIGNATURE));
    let mut buf = Cursor::new(Vec::new());
    doc.build().pack(&mut buf).map_err(|e| e.to_string())?;
    patch_package(&buf.into_inner(), c).map_err(|e| e.to_string())
}

/// The height of a table's header row (twentieths of a point, at least): the one row docx-rs
/// writes with this exact height, which is how `mark_header_rows` finds header rows.
const HEADER_ROW_HEIGHT: f32 = 397.0;

/// The header rows of the tables, marked to repeat at the top of every page.
fn mark_header_rows(document: &str) -> String {
    // docx-rs writes the row height after cantSplit; w:tblHeader follows w:trHeight in the
    // schema's order.
    let height = format!("w:val=\"{HEADER_ROW_HEIGHT}\"");
    let mut out = String::with_capacity(document.len() + 256);
    let mut rest = document;
    while let Some(i) = rest.find("<w:trHeight ") {
        let end = i + rest[i..].find("/>").map_or(0, |e| e + 2);
        out.push_str(&rest[..end]);
        if rest[i..end].contains(&height) {
            out.push_str("<w:tblHeader />");
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The document properties: yanshou as author, the checklist's time as created and modified,
/// its title and subject.
fn core_xml(c: &Checklist) -> String {
    let when = esc_html(&c.generated_at);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{title}</dc:title><dc:subject>项目验收清单</dc:subject><dc:creator>yanshou</dc:creator><cp:lastModifiedBy>yanshou</cp:lastModifiedBy><cp:revision>1</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified></cp:coreProperties>"#,
        title = esc_html(&c.title()),
    )
}

/// The package docx-rs wrote, with the header rows marked and the properties replaced.
fn patch_package(docx: &[u8], c: &Checklist) -> zip::result::ZipResult<Vec<u8>> {
    let mut zin = zip::ZipArchive::new(Cursor::new(docx))?;
    let mut zout = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zin.len() {
        let name = zin.by_index(i)?.name()?.to_string();
        match name.as_str() {
            "word/document.xml" => {
                let mut xml = String::new();
                zin.by_index(i)?.read_to_string(&mut xml)?;
                zout.start_file(name, options)?;
                zout.write_all(mark_header_rows(&xml).as_bytes())?;
            }
            "docProps/core.xml" => {
                zout.start_file(name, options)?;
                zout.write_all(core_xml(c).as_bytes())?;
            }
            _ => zout.raw_copy_file(zin.by_index(i)?)?,
        }
    }
    Ok(zout.finish()?.into_inner())
}

/// The colour of a requirement's status.
fn status_colour(s: Status) -> &'static str {
    match s {
        Status::Pass => "0A6B2D",
        Status::Review => "A15C00",
        Status::Fail | Status::Missing => "B00020",
    }
}
