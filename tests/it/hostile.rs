//! Files built to hurt: each must give a clear per-file error or a correct result, quickly and
//! in bounded memory, never a hang. The hostile files are made here, in the test, from a few
//! PDF objects, so what each one does is readable next to what it must not do.

use std::time::{Duration, Instant};

use yanshou::extract::{ExtractError, extract_bytes};

/// A PDF from its objects (numbered from 1), with a correct cross-reference table.
fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend(body);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut s = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    s.extend(data);
    s.extend(b"\nendstream");
    s
}

/// Catalog, pages and one page whose resources and content are given; objects 5… follow.
fn one_page(resources: &str, content: &[u8], more: Vec<Vec<u8>>) -> Vec<u8> {
    let mut objs = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources {resources} /Contents 4 0 R >>"
        )
        .into_bytes(),
        stream("", content),
    ];
    objs.extend(more);
    pdf(&objs)
}

const FONT: &str = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";

#[test]
fn the_builder_makes_a_pdf_that_reads() {
    // Without this, the hostile cases below could pass by being unreadable for another reason.
    let bytes = one_page(
        &format!("<< /Font << /F1 {FONT} >> >>"),
        b"BT /F1 12 Tf 72 700 Td (hello world) Tj ET",
        vec![],
    );
    let doc = extract_bytes(bytes, "pdf").expect("reads");
    assert_eq!(doc.text.trim(), "hello world");
}

#[test]
fn a_form_that_draws_itself_ends_with_an_error_not_a_hang() {
    // Object 5 is a form that draws itself 40 times: 40^8 invocations at the depth cap.
    let draw = "/X Do ".repeat(40);
    let form = stream(
        &format!(
            "/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X 5 0 R >> /Font << /F1 {FONT} >> >>"
        ),
        format!("BT /F1 12 Tf 72 700 Td (x) Tj ET {draw}").as_bytes(),
    );
    let bytes = one_page("<< /XObject << /X 5 0 R >> >>", b"/X Do", vec![form]);
    assert!(bytes.len() < 8 * 1024, "a small file: {}", bytes.len());
    let start = Instant::now();
    let r = extract_bytes(bytes, "pdf");
    let took = start.elapsed();
    match r {
        Err(ExtractError::TooComplex(msg)) => assert!(msg.contains("表单"), "{msg}"),
        other => panic!("expected a limit error, got {other:?}"),
    }
    assert!(took < Duration::from_secs(60), "took {took:?}");
}

#[test]
fn a_huge_string_is_cut_at_the_glyph_limit_and_says_so() {
    // One Tj of 3 MB: only the first 200,000 glyphs are kept, and the warning says so.
    let text = "a".repeat(3 << 20);
    let content = format!("BT /F1 12 Tf 72 700 Td ({text}) Tj ET");
    let bytes = one_page(
        &format!("<< /Font << /F1 {FONT} >> >>"),
        content.as_bytes(),
        vec![],
    );
    let doc = extract_bytes(bytes, "pdf").expect("reads");
    assert!(
        doc.warnings.iter().any(|w| w.contains("200000")),
        "{:?}",
        doc.warnings
    );
    let kept = doc.text.chars().filter(|&c| c == 'a').count();
    assert_eq!(kept, 200_000);
}

#[test]
fn a_page_of_too_much_content_is_refused_with_a_page_warning() {
    // 17 MiB of operators on one page (over the 16 MiB a page may parse): the page is refused
    // with a warning naming it; the file is still a result, not a silent 0.
    let op = b"0 0 m 1 1 l S\n";
    let content: Vec<u8> = op
        .iter()
        .copied()
        .cycle()
        .take((17 << 20) / op.len() * op.len())
        .collect();
    let bytes = one_page("<< >>", &content, vec![]);
    let doc = extract_bytes(bytes, "pdf").expect("the file reads");
    assert!(
        doc.warnings
            .iter()
            .any(|w| w.contains("第 1 页") && w.contains("过大")),
        "{:?}",
        doc.warnings
    );
}
