//! The streaming counter for text files (`src/textcount.rs`) against the document path it
//! stands in for: the same counts, body and excluded parts on every text, cut into pieces of
//! every size, and `None` (the general path decides) wherever the two would differ.

use std::io::Cursor;

use proptest::prelude::*;
use yanshou::count::Counts;
use yanshou::extract::extract_bytes;
use yanshou::report::{CountOptions, count_document, count_path};
use yanshou::sections::{SectionKind, split_counts};
use yanshou::textcount::{TextCounts, count_file, count_reader};

/// What the document path gives for the same bytes.
fn by_document(bytes: &[u8]) -> TextCounts {
    let doc = extract_bytes(bytes.to_vec(), "txt").expect("a text file");
    let (body, excluded) = split_counts(&doc);
    let mut counts = body;
    for (_, c) in &excluded {
        counts += *c;
    }
    TextCounts {
        counts,
        body,
        excluded,
    }
}

fn streamed(bytes: &[u8], piece: usize) -> Option<TextCounts> {
    count_reader(Cursor::new(bytes.to_vec()), piece)
        .expect("reading memory cannot fail")
        .ok()
}

/// Lines a report is made of: a cover, a TOC, chapters, body, references, an appendix,
/// acknowledgements, blank and white-space lines, English, weak marks, a long line.
const LINES: &[&str] = &[
    "学会服务青年科技工作者研究报告",
    "承担单位：中国某某学会",
    "二〇二二年十二月",
    "目  录",
    "第一章 总论\t1",
    "第二章 案例……5",
    "第一章 总论",
    "一、研究背景",
    "正文第一段，含 AI 与 Big Data 两个词。",
    "“你好”，他说：“Hello world”……",
    "2022—2025年，专家团队共 36 人。",
    "参考文献",
    "[1] 某某. 某书. 北京: 科学出版社, 2020.",
    "附录",
    "附录一 调查问卷",
    "致谢",
    "感谢各位专家。",
    "",
    "   ",
    "\u{3000}",
    "References",
    "摘要",
    "第三章 结论",
    "①②③④⑤ 東京2024オリンピック １２３４５",
];

fn text_of(idx: &[usize], crlf: bool, long_at: Option<usize>) -> String {
    let mut lines: Vec<String> = idx.iter().map(|&i| LINES[i].to_string()).collect();
    if let Some(at) = long_at
        && !lines.is_empty()
    {
        let at = at % lines.len();
        lines[at] = "很长的一段正文，没有句号".repeat(20);
    }
    lines.join(if crlf { "\r\n" } else { "\n" })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn streaming_equals_the_document_path(
        idx in prop::collection::vec(0..LINES.len(), 0..120),
        crlf in any::<bool>(),
        bom in any::<bool>(),
        final_newline in any::<bool>(),
        long_at in prop::option::of(0usize..40),
        // Small pieces cut everywhere; large ones hold many markers each, which the stream
        // prunes before stitching.
        piece in prop_oneof![1usize..200, 200usize..5000],
    ) {
        let mut text = text_of(&idx, crlf, long_at);
        if final_newline {
            text.push('\n');
        }
        let mut bytes = Vec::new();
        if bom {
            bytes.extend_from_slice(b"\xEF\xBB\xBF");
        }
        bytes.extend_from_slice(text.as_bytes());
        let want = by_document(&bytes);
        let got = streamed(&bytes, piece);
        prop_assert_eq!(got.as_ref(), Some(&want), "piece {} text {:?}", piece, text);
    }
}

#[test]
fn a_report_layout_in_small_pieces() {
    // Cover 3 lines, TOC 3 lines, body, references, appendix, acknowledgements, all cut at
    // every piece size up to the whole text.
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/fixtures/report-layout.txt"),
    )
    .unwrap();
    let bytes = text.as_bytes();
    for piece in 1..=bytes.len() {
        let got = streamed(bytes, piece).expect("plain UTF-8");
        // Body by hand: "第一章 总论" 5 + "正文第一段。" 6 + "第二章 案例" 5 + "正文第二段。" 6.
        assert_eq!(got.body.words, 22, "piece {piece}");
        let kinds: Vec<SectionKind> = got.excluded.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            kinds,
            [
                SectionKind::Cover,
                SectionKind::Toc,
                SectionKind::References,
                SectionKind::Appendix,
                SectionKind::Acknowledgements
            ]
        );
        // 致谢 2 + 感谢各位专家。7.
        assert_eq!(got.excluded[4].1.words, 9);
        assert_eq!(got, by_document(bytes), "piece {piece}");
    }
}

#[test]
fn what_the_stream_leaves_to_the_general_path() {
    let cases: &[(&str, &[u8])] = &[
        ("GBK", b"\xd6\xd0\xce\xc4\n"),
        ("UTF-16 with BOM", b"\xff\xfe-N\x87e"),
        ("NUL byte", b"abc\0def\n"),
        ("lone CR", b"line one\rline two\n"),
        ("invalid UTF-8 late", b"\xe4\xb8\xad\n\xe4\xb8\n"),
    ];
    for (what, bytes) in cases {
        for piece in [1, 3, 1 << 20] {
            assert_eq!(streamed(bytes, piece), None, "{what}, piece {piece}");
        }
    }
    // A CRLF file stays on the fast path and counts like its LF form.
    let crlf = streamed(b"\xe4\xb8\xad\xe6\x96\x87\r\nab cd\r\n", 2).unwrap();
    assert_eq!(crlf.counts.words, 2 + 2);
    assert_eq!(crlf.counts.paragraphs, 2);
    // 中文 + "ab cd": 2 + 5 characters with spaces; the CRs are paragraph marks.
    assert_eq!(crlf.counts.chars_with_spaces, 7);
}

#[test]
fn an_empty_text_counts_nothing() {
    let got = streamed(b"", 4).unwrap();
    assert_eq!(got.counts, Counts::default());
    assert_eq!(got.body, Counts::default());
    assert!(got.excluded.is_empty());
    assert_eq!(got, by_document(b""));
}

/// Legacy encodings stream through a decoder and count exactly as the document path does,
/// with the same warning naming the encoding.
#[test]
fn encodings_stream_like_the_document_path() {
    let text = [
        "学会服务青年科技工作者研究报告",
        "目录",
        "第一章 总论……1",
        "第一章 总论",
        "2022年，共有36个全国学会参与，覆盖AI、Big Data等领域。",
        "参考文献",
        "[1] 某某. 某书. 2020.",
    ]
    .join("\r\n");
    let utf16 = |be: bool| {
        let mut b = if be {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for u in text.encode_utf16() {
            b.extend(if be { u.to_be_bytes() } else { u.to_le_bytes() });
        }
        b
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "gb18030",
            encoding_rs::GB18030.encode(&text).0.into_owned(),
            "GBK",
        ),
        ("utf16le", utf16(false), "UTF-16LE"),
        ("utf16be", utf16(true), "UTF-16BE"),
        ("utf8", text.as_bytes().to_vec(), "UTF-8"),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes, encoding) in cases {
        let path = dir.path().join(format!("{name}.txt"));
        std::fs::write(&path, &bytes).unwrap();
        let (t, enc) = count_file(&path).unwrap().expect(name);
        // GB18030 text without a BOM is guessed as GBK by chardetng, as by the document path.
        assert_eq!(enc, encoding, "{name}");
        let general = count_document(
            name,
            &extract_bytes(bytes.clone(), "txt").unwrap(),
            CountOptions::default(),
        );
        let row = count_path(&path, CountOptions::default());
        assert_eq!(row.counts, general.counts, "{name}");
        assert_eq!(row.body_counts, general.body_counts, "{name}");
        assert_eq!(row.warnings, general.warnings, "{name}");
        assert_eq!(Some(t.counts), general.counts, "{name}");
        // By hand: the body is the chapter heading (第一章 总论: 5) and the sentence: 2022, 36,
        // AI, Big, Data are 5 runs; 年，共有 (4) 个全国学会参与 (7) ，覆盖 (3) 、 (1) 等领域。
        // (4) are 19 East Asian.
        assert_eq!(t.body.words, 5 + 5 + 19, "{name}");
    }
}

#[test]
fn a_lone_cr_a_nul_or_another_format_is_left_to_the_general_path() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("cr", &b"line one\rline two\n"[..]),
        ("nul", &b"abc\0def\n"[..]),
        ("pdf-named-txt", &b"%PDF-1.4\n1 0 obj\n"[..]),
    ] {
        let path = dir.path().join(format!("{name}.txt"));
        std::fs::write(&path, bytes).unwrap();
        assert!(count_file(&path).unwrap().is_none(), "{name}");
    }
    // A folder is not opened (the general path says what it is).
    assert!(count_file(dir.path()).unwrap().is_none());
}

#[test]
fn a_million_back_matter_headings_are_one_appendix() {
    // "附录" on every line: each line is a back-matter heading, but only the first changes the
    // section; everything from the first line is appendix. (That pruning keeps one marker of
    // these is asserted in src/sections.rs, pruning_keeps_what_can_change_the_plan.)
    let text = "附录\n".repeat(1_000_000);
    let got = streamed(text.as_bytes(), yanshou::textcount::PIECE).unwrap();
    assert_eq!(got.counts.words, 2_000_000);
    assert_eq!(got.body.words, 0);
    assert_eq!(got.excluded.len(), 1);
    assert_eq!(got.excluded[0].0, SectionKind::Appendix);
    assert_eq!(got.excluded[0].1.words, 2_000_000);
}

/// Two cases the proptest found after the TOC rules changed, checked at every piece size:
/// references between a TOC entry and the 目录 title with chapters after a cover line (a
/// chapter the pruning dropped), and a 目录 whose entries run across a piece boundary before
/// their page-numbered line (a run the pruning broke).
#[test]
fn tocs_and_references_cut_at_every_piece_size() {
    for idx in [&[4, 11, 3, 5, 5, 0, 5, 5][..], &[3, 20, 20, 20, 23][..]] {
        for crlf in [false, true] {
            for final_newline in [false, true] {
                let mut text = text_of(idx, crlf, None);
                if final_newline {
                    text.push('\n');
                }
                let bytes = text.as_bytes();
                let want = by_document(bytes);
                for piece in 1..=bytes.len() + 1 {
                    let got = streamed(bytes, piece);
                    assert_eq!(got.as_ref(), Some(&want), "piece {piece} text {text:?}");
                }
            }
        }
    }
}
