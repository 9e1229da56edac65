//! A checklist as a Word document (A4, opens in Word and WPS).

use super::evidence_text;
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
    doc = doc
        .add_paragraph(para(""))
        .add_paragraph(Paragraph::new().add_run(text("考核要求核对").bold().size(24)));
    let mut rows = vec![TableRow::new(
        ["编号", "要求", "指南原文", "要求值", "实际", "结论", "依据"]
            .iter()
            .map(|h| head_cell(h))
            .collect(),
    )];
    for r in &c.requirements {
        rows.push(TableRow::new(vec![
            cell(&r.id),
            cell(&r.label),
            cell(&r.quote),
            cell(&r.expected),
            cell(&r.actual),
            TableCell::new().add_paragraph(Paragraph::new().add_run(
                text(r.status.label_zh()).bold().color(match r.status {
                    Status::Pass => "0A6B2D",
                    Status::Review => "A15C00",
                    _ => "B00020",
                }),
            )),
            cell(&evidence_text(r).join("\n")),
        ]));
    }
    doc = doc.add_table(Table::new(rows).set_grid(vec![900, 1100, 2000, 1200, 1500, 900, 2038]));
    doc = doc
        .add_paragraph(para(""))
        .add_paragraph(Paragraph::new().add_run(text("提交的文件").bold().size(24)));
    let mut frows = vec![TableRow::new(
        ["文件", "识别为", "状态", "全文字数", "正文字数"]
            .iter()
            .map(|h| head_cell(h))
            .collect(),
    )];
    for f in &c.files {
        frows.push(TableRow::new(vec![
            cell(&f.path),
            cell(f.label.as_deref().unwrap_or("未识别")),
            cell(f.error.as_deref().unwrap_or(&f.status)),
            cell(&f.words.map_or("-".into(), |w| w.to_string())),
            cell(&f.body_words.map_or("-".into(), |w| w.to_string())),
        ]));
    }
    doc = doc.add_table(Table::new(frows).set_grid(vec![3600, 1300, 2338, 1200, 1200]));
    if !c.unmatched.is_empty() {
        doc = doc.add_paragraph(para(&format!(
            "未对应任何要求的文件：{}",
            c.unmatched.join("、")
        )));
    }
    for o in &c.overlaps {
        doc = doc.add_paragraph(para(&format!(
            "重复内容：{} 与 {} 重复 {} 字（{:.1}%）",
            o.path,
            o.other,
            o.chars,
            o.ratio * 100.0
        )));
    }
    doc = doc.add_paragraph(para("")).add_paragraph(para(
        "验收专家签字：____________________　　日期：______年____月____日",
    ));
    let mut buf = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut buf).map_err(|e| e.to_string())?;
    Ok(buf.into_inner())
}
