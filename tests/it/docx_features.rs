//! The docx reader on hand-written WordprocessingML: each construct that decides what Word
//! counts, with the expected text written out by hand.

use std::io::Write;

use yanshou::doc::{ExtraKind, ParaKind};
use yanshou::extract::extract_bytes;

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:v="urn:schemas-microsoft-com:vml""#;

fn docx(document_body: &str, extra: &[(&str, &str)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        z.start_file("word/document.xml", opts).unwrap();
        write!(
            z,
            r#"<?xml version="1.0"?><w:document {W}><w:body>{document_body}</w:body></w:document>"#
        )
        .unwrap();
        for (name, content) in extra {
            z.start_file(*name, opts).unwrap();
            z.write_all(content.as_bytes()).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

fn p(runs: &str) -> String {
    format!("<w:p>{runs}</w:p>")
}

fn r(text: &str) -> String {
    format!("<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r>")
}

#[test]
fn tracked_changes_count_as_accepted() {
    let body = p(&format!(
        "{}<w:del><w:r><w:delText>删除的</w:delText></w:r></w:del><w:ins>{}</w:ins>{}",
        r("保留"),
        r("插入"),
        r("文字")
    ));
    let d = extract_bytes(docx(&body, &[]), "docx").unwrap();
    assert_eq!(d.text, "保留插入文字");
}

#[test]
fn field_instructions_are_skipped_and_results_kept() {
    // A PAGE field: the instruction " PAGE " is not text, its result "3" is.
    let body = p(&format!(
        "{}<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>{}<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>",
        r("第"),
        r("3")
    ));
    let d = extract_bytes(docx(&body, &[]), "docx").unwrap();
    assert_eq!(d.text, "第3");
}

#[test]
fn toc_field_paragraphs_are_toc() {
    let body = format!(
        "{}{}{}",
        p(&format!(
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>TOC \\o \"1-3\"</w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>{}<w:r><w:tab/></w:r>{}",
            r("第一章 总论"),
            r("1")
        )),
        p(&format!(
            "{}<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>",
            r("第二章 案例\t5")
        )),
        p(&r("正文。"))
    );
    let d = extract_bytes(docx(&body, &[]), "docx").unwrap();
    let kinds: Vec<ParaKind> = d.paras.iter().map(|p| p.kind).collect();
    assert_eq!(kinds, vec![ParaKind::Toc, ParaKind::Toc, ParaKind::Body]);
    assert_eq!(d.text, "第一章 总论\t1\n第二章 案例\t5\n正文。");
}

#[test]
fn text_boxes_go_apart_once_and_fallbacks_are_skipped() {
    // A text box as Word writes it: DrawingML in mc:Choice, the same text as VML in mc:Fallback.
    let tb = format!(
        "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent>{}</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>{}</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>",
        p(&r("文本框")),
        p(&r("文本框"))
    );
    let body = p(&format!("{}{}{}", r("正文"), tb, r("继续")));
    let d = extract_bytes(docx(&body, &[]), "docx").unwrap();
    assert_eq!(d.text, "正文继续");
    let boxes: Vec<&str> = d
        .extra
        .iter()
        .filter(|e| e.kind == ExtraKind::TextBox)
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(boxes, vec!["文本框"]);
}

#[test]
fn hyperlinks_tables_and_breaks() {
    let body = format!(
        "{}<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>",
        p(&format!(
            "<w:hyperlink r:id=\"x\" xmlns:r=\"r\">{}</w:hyperlink>{}<w:r><w:br/></w:r>{}",
            r("链接"),
            r("文字"),
            r("换行")
        )),
        p(&r("甲")),
        p(&r("乙"))
    );
    let d = extract_bytes(docx(&body, &[]), "docx").unwrap();
    assert_eq!(d.text, "链接文字\u{2028}换行\n甲\n乙");
    assert_eq!(d.paras[1].kind, ParaKind::TableCell);
    // 链接文字 4 + 换行 2 + 甲 + 乙; the break separates but is not a paragraph, and, as in
    // Word, it is no character either (8 with spaces, not 9).
    let c = d.counts();
    assert_eq!((c.words, c.paragraphs), (8, 3));
    assert_eq!(c.chars_with_spaces, 8);
}

#[test]
fn numbering_is_shown_but_not_counted() {
    let numbering = r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
      <w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="案例%1："/><w:suff w:val="nothing"/></w:lvl></w:abstractNum>
      <w:num w:numId="7"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#;
    let item = |t: &str| {
        format!(
            "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"7\"/></w:numPr></w:pPr>{}</w:p>",
            r(t)
        )
    };
    let body = format!("{}{}", item("某学会"), item("另一学会"));
    let d = extract_bytes(docx(&body, &[("word/numbering.xml", numbering)]), "docx").unwrap();
    assert_eq!(d.text, "案例一：某学会\n案例二：另一学会");
    // Word counts 某学会 3 + 另一学会 4, not the list labels.
    assert_eq!(d.counts().words, 7);
}

#[test]
fn notes_headers_and_comments_are_extra_streams() {
    let notes = r#"<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
      <w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:t>分隔</w:t></w:r></w:p></w:footnote>
      <w:footnote w:id="1"><w:p><w:r><w:t>脚注内容</w:t></w:r></w:p></w:footnote></w:footnotes>"#;
    let header = r#"<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r><w:t>页眉</w:t></w:r></w:p></w:hdr>"#;
    let comments = r#"<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:comment w:id="0"><w:p><w:r><w:t>批注</w:t></w:r></w:p></w:comment></w:comments>"#;
    let body = p(&format!(
        "{}<w:r><w:footnoteReference w:id=\"1\"/></w:r>",
        r("正文")
    ));
    let d = extract_bytes(
        docx(
            &body,
            &[
                ("word/footnotes.xml", notes),
                ("word/header1.xml", header),
                ("word/comments.xml", comments),
            ],
        ),
        "docx",
    )
    .unwrap();
    assert_eq!(d.text, "正文");
    let extra: Vec<(ExtraKind, &str)> = d.extra.iter().map(|e| (e.kind, e.text.as_str())).collect();
    assert_eq!(
        extra,
        vec![
            (ExtraKind::Footnote, "脚注内容"),
            (ExtraKind::Comment, "批注"),
            (ExtraKind::Header, "页眉")
        ]
    );
    // --include-notes adds the footnote (4), not the header or the comment.
    assert_eq!(d.notes_counts().words, 4);
}

#[test]
fn missing_styles_and_unknown_entities_are_fine() {
    let body = p(&r("A&amp;B&unknown;C&#x4E2D;"));
    let d = extract_bytes(docx(&body, &[]), "docx").unwrap();
    assert_eq!(d.text, "A&BC中");
}

/// A run Word typed with a Chinese input method: `w:hint="eastAsia"` on its fonts.
fn r_east_asian(text: &str) -> String {
    format!(
        "<w:r><w:rPr><w:rFonts w:hint=\"eastAsia\"/></w:rPr><w:t xml:space=\"preserve\">{text}</w:t></w:r>"
    )
}

#[test]
fn east_asian_hint_decides_shared_marks() {
    use yanshou::sections::split_counts;
    let words = |body: &str, styles: &[(&str, &str)]| {
        let d = extract_bytes(docx(body, styles), "docx").unwrap();
        let (b, ex) = split_counts(&d);
        assert!(ex.is_empty());
        (d.text, b.cjk_chars, b.non_cjk_words)
    };
    // Without a hint (Word's Latin font slot) the quotes are glued to AI: “AI” is one run,
    // …… another. 围绕 2 + 行动 2 = 4 East Asian; 2 runs.
    let plain = p(&format!("{}{}{}", r("围绕“"), r("AI”"), r("行动……")));
    assert_eq!(words(&plain, &[]), ("围绕“AI”行动……".into(), 4, 2));
    // The same marks typed with the hint: each counts 1 East Asian and splits AI off.
    // 围绕 2 + “ + ” + 行动 2 + … + … = 8 East Asian; AI 1 run.
    let hinted = p(&format!(
        "{}{}{}{}{}",
        r_east_asian("围绕“"),
        r("AI"),
        r_east_asian("”"),
        r("行动"),
        r_east_asian("……")
    ));
    assert_eq!(words(&hinted, &[]), ("围绕“AI”行动……".into(), 8, 1));
    // ① ℃ × in a hinted run: 3 East Asian; 25 stays a Latin run (ASCII is never East Asian).
    let signs = p(&r_east_asian("①25℃×"));
    assert_eq!(words(&signs, &[]).1, 3);
    assert_eq!(words(&signs, &[]).2, 1);
    // Pinyin vowels follow the hint only when the East Asian language is Chinese: by the run's
    // w:lang, or the document default in styles.xml.
    let pinyin = p(&r_east_asian("nǐ hǎo"));
    assert_eq!(
        words(&pinyin, &[]).1,
        0,
        "no Chinese language: two Latin runs"
    );
    assert_eq!(words(&pinyin, &[]).2, 2);
    let styles = r#"<?xml version="1.0"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault></w:docDefaults></w:styles>"#;
    // nǐ: n run, ǐ East Asian; hǎo: h run, ǎ East Asian, o run → 2 East Asian, 3 runs.
    assert_eq!(
        words(&pinyin, &[("word/styles.xml", styles)]),
        ("nǐ hǎo".into(), 2, 3)
    );
    // In a footnote too, for Word's "包括文本框、脚注和尾注": 据 + “ + 调查 2 + ” = 5 East
    // Asian with the hint; without it “调查” is 调查 2 + two runs.
    let with_note = |run: String| {
        let notes = format!(
            r#"<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:footnote w:id="1"><w:p>{run}</w:p></w:footnote></w:footnotes>"#
        );
        let d = extract_bytes(
            docx(&p(&r("正文")), &[("word/footnotes.xml", &notes)]),
            "docx",
        )
        .unwrap();
        let n = d.notes_counts();
        (n.cjk_chars, n.non_cjk_words)
    };
    assert_eq!(with_note(r_east_asian("据“调查”")), (5, 0));
    assert_eq!(with_note(r("据“调查”")), (3, 2));
    // A hint on the paragraph mark's properties applies to no text.
    let mark = "<w:p><w:pPr><w:rPr><w:rFonts w:hint=\"eastAsia\"/></w:rPr></w:pPr><w:r><w:t>“AI”</w:t></w:r></w:p>";
    assert_eq!(words(mark, &[]).2, 1);
    // The extracted text is the document's own characters: the hint changes only the count.
    let d = extract_bytes(docx(&hinted, &[]), "docx").unwrap();
    assert!(!d.text.contains('\u{3013}'));
}

#[test]
fn hidden_text_is_not_counted_and_is_reported() {
    // 可见 2 + 文字 2; the hidden run (隐藏的填充内容, 7 characters) neither shows nor counts,
    // and a run that turns vanish off again is ordinary text.
    let body = p(&format!(
        "{}<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏的填充内容</w:t><w:tab/></w:r>{}<w:r><w:rPr><w:vanish w:val=\"0\"/></w:rPr><w:t>文字</w:t></w:r>",
        r("可见"),
        r("")
    ));
    let d = extract_bytes(docx(&body, &[]), "docx").unwrap();
    assert_eq!(d.text, "可见文字");
    assert_eq!(d.counts().words, 4);
    assert!(
        d.warnings.iter().any(|w| w.contains("7 个字符的隐藏文字")),
        "{:?}",
        d.warnings
    );
}
