//! A checklist as a Word document (A4, opens in Word and WPS).

use super::Class;
use super::{
    FILES_SOURCE_COLUMN, SIGNATURE, files_table, overlap_lines, requirements_table, unmatched_line,
};
use crate::check::Status;
use crate::check::checklist::Checklist;

/// The checklist as a Word document (A4 portrait, a table per section).
pub fn checklist(c: &Checklist) -> Result<Vec<u8>, String> {
    use docx_rs::*;
    let font = RunFonts::new()
        .east_asia("宋体")
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman");
    // Fonts and size are the document defaults, not repeated on every run.
    let text = |t: &str| Run::new().add_text(t);
    let para = |t: &str| Paragraph::new().add_run(text(t));
    let cell = |t: &str| TableCell::new().add_paragraph(para(t));
    let head_cell = |t: &str| {
        TableCell::new()
            .add_paragraph(Paragraph::new().add_run(text(t).bold()))
            .shading(Shading::new().fill("EEEEEE"))
    };
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
                .right(1134),
        )
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(text(&c.title()).bold().size(32)),
        );
    let info: Vec<TableRow> = c
        .info_rows()
        .into_iter()
        .map(|(k, v)| TableRow::new(vec![head_cell(k), cell(&v)]))
        .collect();
    doc = doc.add_table(Table::new(info).set_grid(vec![1800, 7838]));
    let mut files = files_table(c);
    files.header.remove(FILES_SOURCE_COLUMN);
    for row in &mut files.rows {
        row.remove(FILES_SOURCE_COLUMN);
    }
    for (t, grid) in [
        (
            requirements_table(c),
            vec![900, 1100, 2000, 1200, 1500, 900, 2038],
        ),
        (files, vec![3600, 1300, 2338, 1200, 1200]),
    ] {
        doc = doc
            .add_paragraph(para(""))
            .add_paragraph(Paragraph::new().add_run(text(t.heading).bold().size(24)));
        let mut rows = vec![TableRow::new(
            t.header.iter().map(|h| head_cell(h)).collect(),
        )];
        for row in &t.rows {
            rows.push(TableRow::new(
                row.iter()
                    .map(|x| {
                        let lines = x.lines.join("\n");
                        match x.class {
                            Some(Class::Status(st)) => TableCell::new().add_paragraph(
                                Paragraph::new()
                                    .add_run(text(&lines).bold().color(status_colour(st))),
                            ),
                            _ => cell(&lines),
                        }
                    })
                    .collect(),
            ));
        }
        doc = doc.add_table(Table::new(rows).set_grid(grid));
    }
    if let Some(line) = unmatched_line(c) {
        doc = doc.add_paragraph(para(&line));
    }
    for line in overlap_lines(c) {
        doc = doc.add_paragraph(para(&format!("重复内容：{line}")));
    }
    doc = doc.add_paragraph(para("")).add_paragraph(para(SIGNATURE));
    let mut buf = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut buf).map_err(|e| e.to_string())?;
    Ok(buf.into_inner())
}

/// The colour of a requirement's status.
fn status_colour(s: Status) -> &'static str {
    match s {
        Status::Pass => "0A6B2D",
        Status::Review => "A15C00",
        Status::Fail | Status::Missing => "B00020",
    }
}
