//! Files built to hurt: each must give a clear per-file error or a correct result, quickly and
//! in bounded memory, never a hang. The hostile files are made here, in the test, from a few
//! PDF objects, so what each one does is readable next to what it must not do.

use std::time::{Duration, Instant};

use yanshou::extract::{ExtractError, extract_bytes};

use crate::common;

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
fn a_page_of_too_much_content_is_refused_and_said_to_be() {
    // 17 MiB of operators on one page (over the 16 MiB a page may parse): the page is not
    // read. A file with nothing else is an error row saying so, not "a scan" and not 0.
    let op = b"0 0 m 1 1 l S\n";
    let content: Vec<u8> = op
        .iter()
        .copied()
        .cycle()
        .take((17 << 20) / op.len() * op.len())
        .collect();
    let bytes = one_page("<< >>", &content, vec![]);
    match extract_bytes(bytes, "pdf") {
        Err(ExtractError::TooComplex(m)) => {
            assert!(m.contains("第 1 页") && m.contains("过大"), "{m}")
        }
        other => panic!("expected a limit error, got {other:?}"),
    }
    // One million references to one small content stream (6 MB of file, 53 MiB of content):
    // refused the same way, in bounded memory.
    let refs = vec!["5 0 R"; 1_000_000].join(" ");
    let small = stream(
        "",
        b"BT /F1 12 Tf 72 700 Td (hello world hello world) Tj ET\n",
    );
    let objs = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents [{refs}] >>"
        )
        .into_bytes(),
        FONT.as_bytes().to_vec(),
        small,
    ];
    match extract_bytes(pdf(&objs), "pdf") {
        Err(ExtractError::TooComplex(m)) => assert!(m.contains("过大"), "{m}"),
        other => panic!("expected a limit error, got {other:?}"),
    }
}

/// A docx of a few hundred KB whose document.xml expands to `chars` characters of text.
fn expanding_docx(chars: usize) -> Vec<u8> {
    use std::io::Write;
    let line = "学会服务能力提升计划项目验收专家评审".repeat(50); // 900 characters
    let para = format!("<w:p><w:r><w:t>{line}</w:t></w:r></w:p>");
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
    );
    for _ in 0..chars / 900 {
        xml.push_str(&para);
    }
    xml.push_str("</w:body></w:document>");
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let ct = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    for (name, body) in [
        ("[Content_Types].xml", ct),
        ("_rels/.rels", rels),
        ("word/document.xml", xml.as_str()),
    ] {
        z.start_file(name, o).unwrap();
        z.write_all(body.as_bytes()).unwrap();
    }
    z.finish().unwrap();
    out.into_inner()
}

/// Runs the CLI and samples the child's peak resident memory (VmHWM) until it exits;
/// returns (exit code, peak in MiB).
fn peak_mib(args: &[&std::ffi::OsStr]) -> (Option<i32>, u64) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_yanshou"))
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status)
            && let Some(kb) = s
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak = peak.max(kb / 1024);
        }
        if let Some(st) = child.try_wait().unwrap() {
            return (st.code(), peak);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_docx_that_expands_to_ten_million_characters_stays_under_512_mib_in_the_batch() {
    if !std::path::Path::new("/proc/self/status").exists() {
        eprintln!("SKIP: no /proc to measure memory on this system");
        return;
    }
    // 10 M characters (30 MB of XML) in a few hundred KB: its index postings and overlap
    // fingerprints took about 1.2 GB before both were capped per document.
    let docx = expanding_docx(10_000_000);
    assert!(docx.len() < 1 << 20, "{}", docx.len());
    let dir = tempfile::tempdir().unwrap();
    let b = dir.path().join("batch");
    std::fs::create_dir_all(b.join("guidelines")).unwrap();
    std::fs::create_dir_all(b.join("projects/P1")).unwrap();
    std::fs::copy(
        common::root().join("corpora/guidelines/2022-cast-reform-pilot-guide.txt"),
        b.join("guidelines/g.txt"),
    )
    .unwrap();
    std::fs::write(
        b.join("projects/P1/project.toml"),
        "title = \"t\"\norg = \"o\"\nguideline = \"g\"\nitem = \"1.1\"\n",
    )
    .unwrap();
    std::fs::write(b.join("projects/P1/研究报告.docx"), docx).unwrap();
    let out = dir.path().join("out");
    let (code, mib) = peak_mib(&[
        "batch".as_ref(),
        b.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--quiet".as_ref(),
    ]);
    assert!(code.is_some(), "killed");
    assert!(mib < 512, "peak {mib} MiB");
    // The report was counted whole; only indexing and fingerprinting stop at their caps.
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert!(summary["projects"][0].is_object(), "{summary}");
}

#[test]
fn extract_of_a_100_mb_text_of_one_character_lines_streams_in_bounded_memory() {
    if !std::path::Path::new("/proc/self/status").exists() {
        eprintln!("SKIP: no /proc to measure memory on this system");
        return;
    }
    // 25 M lines of "字\r\n" (CRLF, so newlines are rewritten on the way): a paragraph each
    // in the document model, about 1 GB before `extract` streamed plain text.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("lines.txt");
    std::fs::write(&p, "字\r\n".repeat(25_000_000)).unwrap();
    let (code, mib) = peak_mib(&["extract".as_ref(), p.as_os_str()]);
    assert_eq!(code, Some(0));
    assert!(mib < 128, "peak {mib} MiB");
}

mod mutated {
    //! Real fixtures with bytes flipped, inserted or cut: an error or a result, never a panic
    //! or a hang.
    use proptest::prelude::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(crate::common::root().join("corpora/fixtures").join(name)).unwrap()
    }

    fn check(name: &str, ext: &str, edits: &[(usize, u8)], cut: Option<usize>) {
        let mut b = fixture(name);
        for &(at, v) in edits {
            let i = at % b.len();
            b[i] = v;
        }
        if let Some(c) = cut {
            b.truncate(c % b.len());
        }
        let t = std::time::Instant::now();
        let r = std::panic::catch_unwind(|| yanshou::extract::extract_bytes(b, ext));
        assert!(r.is_ok(), "{name}: panicked on {edits:?} cut {cut:?}");
        assert!(
            t.elapsed() < std::time::Duration::from_secs(20),
            "{name}: {:?}",
            t.elapsed()
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]
        #[test]
        fn mutated_docx_pdf_and_doc_never_panic(
            edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..12),
            cut in proptest::option::of(any::<usize>()),
        ) {
            for (name, ext) in [
                ("passage.docx", "docx"),
                ("report.docx", "docx"),
                ("report.pdf", "pdf"),
                ("twocol.pdf", "pdf"),
                ("report.doc", "doc"),
            ] {
                check(name, ext, &edits, cut);
            }
        }
    }
}
