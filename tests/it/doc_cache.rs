//! The batch's document cache (`OUT_DIR/cache/text/`): the stages after the reading stage
//! (index, overlap, site) take the extracted documents from it; a damaged entry is extracted
//! again, never trusted; a changed file is indexed anew.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::common::{copy_dir, root};
use yanshou::batch::{RunOptions, run};
use yanshou::search::{Filters, search};

fn opts() -> RunOptions {
    RunOptions {
        today: Some("2023-02-01".into()),
    }
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The pages of the site that are made from extracted text: every file view and copying page.
fn text_pages(out: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut all = Vec::new();
    files_under(&out.join("site"), &mut all);
    all.into_iter()
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.starts_with("file-") || n == "copying.html"
        })
        .map(|p| {
            (
                p.strip_prefix(out).unwrap().to_path_buf(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

fn hit_paths(index: &Path, q: &str) -> BTreeSet<String> {
    let r = search(index, q, 1000, &Filters::default()).unwrap();
    assert_eq!(r.total, r.hits.len(), "{q}: every hit listed");
    r.hits.into_iter().map(|h| h.path).collect()
}

/// Letters and digits only, lower case: near enough to the index's normalization for queries
/// of Chinese characters taken from Simplified text.
fn letters(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[test]
fn a_damaged_cache_entry_is_extracted_again_never_trusted() {
    let work = tempfile::tempdir().unwrap();
    let batch = work.path().join("batch");
    copy_dir(&root().join("corpora/demo"), &batch);
    let out = work.path().join("out");
    run(&batch, &out, &opts()).unwrap();

    let mut entries = Vec::new();
    files_under(&out.join("cache/text"), &mut entries);
    entries.sort();
    assert!(
        entries.len() > 40,
        "a document kept per readable file: {}",
        entries.len()
    );
    let sound: BTreeMap<PathBuf, Vec<u8>> = entries
        .iter()
        .map(|p| (p.clone(), std::fs::read(p).unwrap()))
        .collect();
    let pages = text_pages(&out);
    assert!(
        pages.len() > 40,
        "file views and copying pages: {}",
        pages.len()
    );

    // Each entry damaged one of four ways: a byte changed, cut in half, emptied, or holding
    // the (sound) entry of another file.
    for (i, p) in entries.iter().enumerate() {
        let mut b = sound[p].clone();
        match i % 4 {
            0 => {
                let at = b.len() * 2 / 3;
                b[at] ^= 0x01;
            }
            1 => b.truncate(b.len() / 2),
            2 => b.clear(),
            _ => b = sound[&entries[(i + 1) % entries.len()]].clone(),
        }
        std::fs::write(p, b).unwrap();
    }
    // What was made from the texts is made again: the index, the views, the overlap report.
    std::fs::remove_dir_all(out.join("index")).unwrap();
    for p in pages.keys() {
        std::fs::remove_file(out.join(p)).unwrap();
    }
    std::fs::remove_file(out.join("overlap.json")).unwrap();
    std::fs::remove_file(out.join("cache/site-copying.key")).unwrap();
    let again = run(&batch, &out, &opts()).unwrap();
    assert_eq!(again.stats.extracted, 0, "the facts are still cached");

    assert_eq!(
        text_pages(&out),
        pages,
        "the same views and copying pages as from sound entries"
    );
    for (p, b) in &sound {
        assert_eq!(
            &std::fs::read(p).unwrap(),
            b,
            "{} is written again as it was",
            p.display()
        );
    }

    // The index holds each file's own text: a phrase from the middle of a file is found in
    // exactly the files whose text (extracted here, independently of the cache) contains it.
    let mut files = Vec::new();
    files_under(&batch.join("projects"), &mut files);
    files_under(&batch.join("archive"), &mut files);
    files.sort();
    let texts: Vec<(String, Vec<char>)> = files
        .iter()
        .filter(|p| p.file_name().is_some_and(|n| n != "project.toml"))
        .filter_map(|p| {
            let d = yanshou::extract::extract_path(p).ok()?;
            let shown = p
                .strip_prefix(&batch)
                .unwrap()
                .to_string_lossy()
                .to_string();
            Some((shown, letters(&d.text)))
        })
        .collect();
    let mut asked = 0;
    for (_, t) in texts.iter().filter(|(_, t)| t.len() > 400).step_by(5) {
        let q: String = t[t.len() / 2..t.len() / 2 + 7].iter().collect();
        if !q.chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)) {
            continue;
        }
        let qc: Vec<char> = q.chars().collect();
        let expected: BTreeSet<String> = texts
            .iter()
            .filter(|(_, t)| t.windows(qc.len()).any(|w| w == qc.as_slice()))
            .map(|(p, _)| p.clone())
            .collect();
        assert_eq!(hit_paths(&out.join("index"), &q), expected, "{q}");
        asked += 1;
    }
    assert!(asked >= 5, "only {asked} phrases asked");
}

#[test]
fn search_after_a_change_finds_the_new_text_and_not_the_old() {
    let work = tempfile::tempdir().unwrap();
    let batch = work.path().join("batch");
    copy_dir(&root().join("corpora/demo"), &batch);
    let out = work.path().join("out");
    let index = out.join("index");
    let added = batch.join("projects/P07/补充材料.md");
    std::fs::write(
        &added,
        "# 补充材料\n\n本项目在蓝鲸湾开展了协同创新示范工作。\n",
    )
    .unwrap();
    run(&batch, &out, &opts()).unwrap();
    let here: BTreeSet<String> = ["projects/P07/补充材料.md".to_string()].into();
    assert_eq!(hit_paths(&index, "蓝鲸湾开展"), here);
    assert!(hit_paths(&index, "白鹭洲建成").is_empty());

    std::fs::write(
        &added,
        "# 补充材料\n\n本项目在白鹭洲建成了开放共享的服务平台，运行良好。\n",
    )
    .unwrap();
    let changed = run(&batch, &out, &opts()).unwrap();
    assert_eq!(changed.stats.extracted, 1, "only the changed file is read");
    assert_eq!(hit_paths(&index, "白鹭洲建成"), here);
    assert!(
        hit_paths(&index, "蓝鲸湾开展").is_empty(),
        "the old text is gone"
    );

    // An unchanged rerun reads no file and leaves the cache and the index as they are.
    let listing = |dir: &Path| -> BTreeMap<PathBuf, std::time::SystemTime> {
        let mut v = Vec::new();
        files_under(dir, &mut v);
        v.into_iter()
            .map(|p| {
                let m = std::fs::metadata(&p).unwrap().modified().unwrap();
                (p, m)
            })
            .collect()
    };
    let (texts, idx) = (listing(&out.join("cache/text")), listing(&index));
    let same = run(&batch, &out, &opts()).unwrap();
    assert_eq!(same.stats.extracted, 0);
    assert_eq!(listing(&out.join("cache/text")), texts);
    assert_eq!(listing(&index), idx);
}
