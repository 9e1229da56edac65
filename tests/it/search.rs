//! Search: every indexed document containing a query is found (checked against a brute-force
//! scan), the known misses of other engines, snippets, filters and incremental updates.

use crate::common;
use common::root;

use yanshou::search::{DocMeta, Filters, ToIndex, search, update};

/// Normalization as the index does it, for the brute-force truth: letters and digits only,
/// width folded, lower case (the sample prose has no Traditional characters).
fn norm(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap(),
            c => c,
        })
        .filter(|c| c.is_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn docs_from_prose(n: usize, size: usize) -> Vec<String> {
    let s = std::fs::read_to_string(root().join("corpora/prose/laws-sample.txt")).unwrap();
    let lines: Vec<&str> = s.lines().filter(|l| l.chars().count() > 20).collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for l in lines {
        cur.push_str(l);
        cur.push('\n');
        if cur.chars().count() >= size {
            out.push(std::mem::take(&mut cur));
            if out.len() == n {
                break;
            }
        }
    }
    out
}

fn index_texts(dir: &std::path::Path, texts: &[String]) {
    let docs: Vec<ToIndex> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let t = t.clone();
            ToIndex {
                path: format!("d{i:03}"),
                hash: blake3::hash(t.as_bytes()).to_hex().to_string(),
                meta: DocMeta {
                    year: Some(2020 + (i % 3) as u64),
                    label: Some(if i % 2 == 0 { "研究报告" } else { "专报" }.into()),
                    ..Default::default()
                },
                text: Box::new(move || Some(t.clone())),
            }
        })
        .collect();
    update(dir, &docs).unwrap();
}

/// A document to index: `text` known as `path`, hashed by `key`.
fn entry(path: &str, key: &str, text: &str) -> ToIndex<'static> {
    let t = text.to_string();
    ToIndex {
        path: path.into(),
        hash: blake3::hash(key.as_bytes()).to_hex().to_string(),
        meta: DocMeta::default(),
        text: Box::new(move || Some(t.clone())),
    }
}

/// A tantivy index in `dir` with a schema that is not yanshou's.
fn foreign_index(dir: &std::path::Path) {
    use tantivy::schema::{STORED, Schema};
    let mut b = Schema::builder();
    b.add_text_field("other", STORED);
    tantivy::Index::create_in_dir(dir, b.build()).unwrap();
}

#[test]
fn every_document_containing_the_query_is_found() {
    let mut texts = docs_from_prose(150, 1500);
    // The four known misses of other engines, planted in prose.
    texts[3].push_str("本软件安装简单，使用方便。\n");
    texts[7].push_str("对待处理的事项应当及时办理。\n");
    texts[11].push_str("中国农业发展银行提供政策性金融支持。\n");
    texts[19].push_str("二〇二二年经济在第三季度企稳回升。\n");
    let dir = tempfile::tempdir().unwrap();
    index_texts(dir.path(), &texts);
    let normed: Vec<String> = texts.iter().map(|t| norm(t)).collect();
    // Queries: the four misses, then substrings of 1–10 characters sampled from the
    // documents, many crossing word boundaries.
    let mut queries: Vec<String> = ["简单", "处理", "农业", "经济在第"]
        .map(String::from)
        .to_vec();
    let mut seed = 12345u64;
    let mut rnd = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    while queries.len() < 300 {
        let d = &normed[rnd(normed.len())];
        let cs: Vec<char> = d.chars().collect();
        let len = 1 + rnd(10);
        if cs.len() <= len {
            continue;
        }
        let st = rnd(cs.len() - len);
        queries.push(cs[st..st + len].iter().collect());
    }
    let mut checked = 0;
    for q in &queries {
        let want: Vec<String> = normed
            .iter()
            .enumerate()
            .filter(|(_, t)| t.contains(&norm(q)))
            .map(|(i, _)| format!("d{i:03}"))
            .collect();
        let r = search(dir.path(), q, 1000, &Filters::default()).unwrap();
        let mut got: Vec<String> = r.hits.iter().map(|h| h.path.clone()).collect();
        got.sort();
        assert_eq!(r.total, want.len(), "query {q}");
        assert_eq!(got, want, "query {q}");
        for h in &r.hits {
            assert!(h.snippet.contains('【'), "{q}: {}", h.snippet);
        }
        checked += 1;
    }
    assert_eq!(checked, 300);
    // The planted ones specifically.
    for (q, d) in [
        ("简单", "d003"),
        ("处理", "d007"),
        ("农业", "d011"),
        ("经济在第", "d019"),
    ] {
        let r = search(dir.path(), q, 1000, &Filters::default()).unwrap();
        assert!(r.hits.iter().any(|h| h.path == d), "{q}");
    }
    let r = search(dir.path(), "经济在第", 10, &Filters::default()).unwrap();
    let h = r.hits.iter().find(|h| h.path == "d019").unwrap();
    assert!(h.snippet.contains("年【经济在第】三季度"), "{}", h.snippet);
}

#[test]
fn phrases_exclusions_and_filters() {
    let texts = vec![
        "学会科技伦理治理研究。金砖国家科技合作。".to_string(),
        "科技伦理审查办法。乡镇企业发展。".to_string(),
        "金砖 国家论坛在厦门举行。".to_string(),
    ];
    let dir = tempfile::tempdir().unwrap();
    index_texts(dir.path(), &texts);
    let paths = |q: &str, f: &Filters| -> Vec<String> {
        let mut v: Vec<String> = search(dir.path(), q, 10, f)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.path)
            .collect();
        v.sort();
        v
    };
    let none = Filters::default();
    assert_eq!(paths("科技伦理", &none), ["d000", "d001"]);
    assert_eq!(paths("科技伦理 -乡镇", &none), ["d000"]);
    // Spaces and punctuation do not split a phrase in the text.
    assert_eq!(paths("\"金砖国家\"", &none), ["d000", "d002"]);
    assert_eq!(
        paths(
            "金砖国家",
            &Filters {
                label: Some("专报".into()),
                ..none.clone()
            }
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        paths(
            "金砖国家",
            &Filters {
                year: Some(2022),
                ..none.clone()
            }
        ),
        ["d002"]
    );
    // Traditional query, Simplified text.
    assert_eq!(paths("科技倫理", &none), ["d000", "d001"]);
}

#[test]
fn updates_are_incremental() {
    let dir = tempfile::tempdir().unwrap();
    let mk = |path: &str, text: &str| entry(path, text, text);
    let s = update(
        dir.path(),
        &[mk("a", "学会改革报告"), mk("b", "科协组织建设")],
    )
    .unwrap();
    assert_eq!((s.added, s.unchanged, s.removed), (2, 0, 0));
    // Unchanged: nothing read (the text closure would panic if called).
    let never = ToIndex {
        path: "a".into(),
        hash: blake3::hash("学会改革报告".as_bytes()).to_hex().to_string(),
        meta: DocMeta::default(),
        text: Box::new(|| panic!("unchanged file read")),
    };
    let s = update(dir.path(), &[never, mk("b", "科协组织建设")]).unwrap();
    assert_eq!((s.added, s.unchanged, s.removed), (0, 2, 0));
    // b changed, a deleted.
    let s = update(dir.path(), &[mk("b", "科协组织建设与学会改革")]).unwrap();
    assert_eq!((s.added, s.unchanged, s.removed), (1, 0, 1));
    let r = search(dir.path(), "学会改革", 10, &Filters::default()).unwrap();
    assert_eq!(r.total, 1);
    assert_eq!(r.hits[0].path, "b");
    assert!(
        search(dir.path(), "科协组织建设", 10, &Filters::default())
            .unwrap()
            .total
            == 1
    );
}

#[test]
fn cli_index_and_search_json() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("idx");
    let run = common::yanshou_output;
    let o = run(&[
        "index",
        "--index",
        idx.to_str().unwrap(),
        "corpora/guidelines",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = run(&[
        "search",
        "--index",
        idx.to_str().unwrap(),
        "--json",
        "科技伦理",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    common::validate("search.v1.schema.json", &v);
    assert_eq!(v["schema"], "yanshou.search.v1");
    let hits = v["hits"].as_array().unwrap();
    // 科技伦理 is in the CAST 2022 guide and in the 14th five-year policy paper.
    assert!(
        hits.iter()
            .any(|h| h["path"].as_str().unwrap().contains("2022-cast-reform"))
    );
    let o = run(&[
        "search",
        "--index",
        dir.path().join("none").to_str().unwrap(),
        "x",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn terms_close_together_rank_first() {
    let filler = "本条例所称的有关单位应当依照规定履行职责并接受监督检查。".repeat(6);
    let texts = vec![
        // A neutral first line: it becomes the title, which would otherwise weigh in.
        format!("报告\n科技{filler}伦理"),           // far apart
        format!("报告\n{filler}科技伦理{filler}"),   // adjacent
        format!("报告\n{filler}科技的伦理{filler}"), // close
    ];
    let dir = tempfile::tempdir().unwrap();
    index_texts(dir.path(), &texts);
    let r = search(dir.path(), "科技 伦理", 10, &Filters::default()).unwrap();
    let order: Vec<&str> = r.hits.iter().map(|h| h.path.as_str()).collect();
    assert_eq!(order, ["d001", "d002", "d000"], "{:?}", r.hits);
}

#[test]
fn an_index_of_another_schema_is_refused_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    foreign_index(dir.path());
    let e = search(dir.path(), "科技", 10, &Filters::default()).unwrap_err();
    assert!(e.to_string().contains("其他版本"), "{e}");
}

#[test]
fn an_index_yanshou_built_with_another_schema_is_rebuilt_on_update() {
    let dir = tempfile::tempdir().unwrap();
    foreign_index(dir.path());
    // The manifest says yanshou built it (an older version's fields).
    std::fs::write(dir.path().join("manifest.json"), r#"{"a":"old"}"#).unwrap();
    // Searching does not touch it.
    let e = search(dir.path(), "科技", 10, &Filters::default()).unwrap_err();
    assert!(e.to_string().contains("其他版本"), "{e}");
    // Updating builds it anew: every document is added again.
    let text = "科技伦理治理".to_string();
    let docs = [ToIndex {
        path: "a".into(),
        hash: "new".into(),
        meta: DocMeta::default(),
        text: Box::new(move || Some(text.clone())),
    }];
    let s = update(dir.path(), &docs).unwrap();
    assert_eq!((s.added, s.unchanged, s.removed), (1, 0, 0));
    let r = search(dir.path(), "伦理", 10, &Filters::default()).unwrap();
    assert_eq!(r.hits.len(), 1);
    assert_eq!(r.hits[0].path, "a");
}

#[test]
fn one_character_queries_find_the_last_character_and_single_character_texts() {
    // A character is found through the pair it starts; the last character of a text starts
    // only the pair with the end mark, and a one-character text has nothing else.
    let texts = ["乙", "甲乙丙", "丙丁", "丁"];
    let dir = tempfile::tempdir().unwrap();
    // A title without these characters, so the text's last character is the last indexed.
    let docs: Vec<ToIndex> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let t = t.to_string();
            ToIndex {
                path: format!("d{i:03}"),
                hash: i.to_string(),
                meta: DocMeta {
                    title: Some("报告".into()),
                    ..Default::default()
                },
                text: Box::new(move || Some(t.clone())),
            }
        })
        .collect();
    update(dir.path(), &docs).unwrap();
    let paths = |q: &str| -> Vec<String> {
        let mut v: Vec<String> = search(dir.path(), q, 10, &Filters::default())
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.path)
            .collect();
        v.sort();
        v
    };
    assert_eq!(paths("乙"), ["d000", "d001"]);
    assert_eq!(paths("丙"), ["d001", "d002"]);
    assert_eq!(paths("丁"), ["d002", "d003"]);
    assert_eq!(paths("甲"), ["d001"]);
    assert_eq!(paths("戊"), Vec::<String>::new());
    // Next to the character in code point order: not a prefix match on bytes.
    assert_eq!(paths("丐"), Vec::<String>::new());
    assert_eq!(paths("丙 -丁"), ["d001"]);
}

/// Hits of equal score are listed by path, whatever order the index holds them in.
#[test]
fn ties_are_listed_by_path() {
    let dir = tempfile::tempdir().unwrap();
    let mk = |path: &str| entry(path, path, "学会改革研究报告\n学会改革的路径。");
    // Added in an order that is not the paths' order.
    update(
        dir.path(),
        &[mk("c.txt"), mk("a.txt"), mk("d.txt"), mk("b.txt")],
    )
    .unwrap();
    for q in ["学会改革", "路"] {
        let r = search(dir.path(), q, 10, &Filters::default()).unwrap();
        let paths: Vec<&str> = r.hits.iter().map(|h| h.path.as_str()).collect();
        assert_eq!(paths, ["a.txt", "b.txt", "c.txt", "d.txt"], "{q}");
        assert!(r.hits.windows(2).all(|w| w[0].score == w[1].score));
    }
}
