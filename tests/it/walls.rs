//! What a batch or a folder command must not do with the folder it is given: read through a
//! symbolic link out of it, walk a link loop forever, read its own output back, leave
//! temporary files, let two runs write at once, or write a CSV cell Excel runs as a formula.

use crate::common::yanshou;

/// A batch of one project (the demo's call, item 1.1) with one readable report.
fn small_batch(dir: &std::path::Path) -> std::path::PathBuf {
    let b = dir.join("batch");
    std::fs::create_dir_all(b.join("guidelines")).unwrap();
    std::fs::create_dir_all(b.join("projects/P1")).unwrap();
    std::fs::copy(
        crate::common::root().join("corpora/guidelines/2022-cast-reform-pilot-guide.txt"),
        b.join("guidelines/g.txt"),
    )
    .unwrap();
    std::fs::write(
        b.join("projects/P1/project.toml"),
        "title = \"=HYPERLINK(\\\"http://x\\\",\\\"点我\\\")\"\norg = \"@SUM(1)\"\nguideline = \"g\"\nitem = \"1.1\"\n",
    )
    .unwrap();
    std::fs::write(
        b.join("projects/P1/研究报告.txt"),
        "第一章 总论\n这是正文。\n",
    )
    .unwrap();
    b
}

/// `yanshou batch B --out OUT --quiet`: exit code, stdout, stderr.
fn run_quiet(b: &std::path::Path, out: &std::path::Path) -> (i32, Vec<u8>, String) {
    yanshou(&[
        "batch",
        b.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ])
}

#[cfg(unix)]
#[test]
fn links_out_of_the_folder_are_refused_and_loops_end() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "root:x:0:0:口令\n").unwrap();
    let b = small_batch(dir.path());
    let p = b.join("projects/P1");
    std::os::unix::fs::symlink(&secret, p.join("a.txt")).unwrap();
    std::os::unix::fs::symlink(".", p.join("loop")).unwrap();
    std::os::unix::fs::symlink(p.join("研究报告.txt"), p.join("inside.txt")).unwrap();

    // count over the folder: the report and the link inside once each, the loop not again,
    // the link out an error row.
    let (code, out, _) = yanshou(&["count", "--json", p.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let rows = v["files"].as_array().unwrap();
    let by = |name: &str| {
        rows.iter()
            .filter(|r| r["path"].as_str().unwrap().ends_with(name))
            .collect::<Vec<_>>()
    };
    assert_eq!(by("研究报告.txt").len(), 1, "{rows:?}");
    assert_eq!(by("inside.txt").len(), 1, "{rows:?}");
    assert_eq!(by("a.txt").len(), 1);
    assert_eq!(by("a.txt")[0]["status"], "error");
    assert!(by("a.txt")[0]["error"].as_str().unwrap().contains("之外"));
    assert_eq!(code, 1, "an error row makes the run partial");

    // The batch: an error row, and the secret never reaches the index.
    let out_dir = dir.path().join("out");
    let (code, _, _) = yanshou(&[
        "batch",
        b.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(code, 1);
    let summary = std::fs::read_to_string(out_dir.join("summary.json")).unwrap();
    assert!(
        summary.contains("a.txt") && summary.contains("之外"),
        "{summary}"
    );
    let (_, hits, _) = yanshou(&[
        "search",
        "--index",
        out_dir.join("index").to_str().unwrap(),
        "--json",
        "口令",
    ]);
    let hits: serde_json::Value = serde_json::from_slice(&hits).unwrap();
    assert_eq!(hits["total"], 0, "{hits}");
}

#[test]
fn the_output_folder_may_not_be_inside_the_batch_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let b = small_batch(dir.path());
    for inside in ["projects/out", "projects/P1/out"] {
        let (code, _, err) = yanshou(&[
            "batch",
            b.to_str().unwrap(),
            "--out",
            b.join(inside).to_str().unwrap(),
        ]);
        assert_eq!(code, 2, "{inside}: {err}");
        assert!(err.contains("projects/"), "{err}");
        assert!(!b.join(inside).exists(), "nothing written");
    }
}

#[test]
fn stale_temporary_files_are_cleared_and_csv_cells_cannot_run() {
    let dir = tempfile::tempdir().unwrap();
    let b = small_batch(dir.path());
    let out = dir.path().join("out");
    std::fs::create_dir_all(out.join("checklists")).unwrap();
    // Left by a run killed between writing and renaming.
    std::fs::write(out.join(".summary.json.tmp123-0"), "half").unwrap();
    std::fs::write(out.join("checklists/.P1.json.tmp123-1"), "half").unwrap();
    let (code, _, err) = yanshou(&[
        "batch",
        b.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.join(".summary.json.tmp123-0").exists());
    assert!(!out.join("checklists/.P1.json.tmp123-1").exists());
    // The title and the organisation start with = and @: written with a leading apostrophe.
    let csv = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(csv.contains("'@SUM(1)"), "{csv}");
    assert!(
        !csv.contains(",=HYPERLINK") && !csv.contains(",@SUM"),
        "{csv}"
    );
}

#[test]
fn two_runs_started_together_never_both_write() {
    let dir = tempfile::tempdir().unwrap();
    let b = small_batch(dir.path());
    let out = dir.path().join("out");
    // Several rounds of two runs at once: each round, at most one may fail for the lock, and
    // when one does it says so; the history never records one change twice.
    for _ in 0..4 {
        let spawn = || {
            std::process::Command::new(env!("CARGO_BIN_EXE_yanshou"))
                .args([
                    "batch",
                    b.to_str().unwrap(),
                    "--out",
                    out.to_str().unwrap(),
                    "--quiet",
                ])
                .output()
                .unwrap()
        };
        let (x, y) = std::thread::scope(|s| {
            let a = s.spawn(spawn);
            let c = s.spawn(spawn);
            (a.join().unwrap(), c.join().unwrap())
        });
        let codes = [x.status.code(), y.status.code()];
        assert!(codes.contains(&Some(0)), "{codes:?}");
        for o in [&x, &y] {
            if o.status.code() != Some(0) {
                assert_eq!(o.status.code(), Some(2));
                assert!(String::from_utf8_lossy(&o.stderr).contains("正被另一个"));
            }
        }
    }
    let history = std::fs::read_to_string(out.join("history.jsonl")).unwrap();
    let added = history.matches("研究报告.txt").count();
    assert!(added <= 1, "{history}");
    // A lock left by a killed run is no lock: the file is there, nobody holds it.
    assert!(out.join(".yanshou.lock").exists());
    let (code, _, err) = yanshou(&["batch", b.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn titles_cannot_drive_the_terminal_or_inject_markup() {
    let dir = tempfile::tempdir().unwrap();
    let b = small_batch(dir.path());
    std::fs::write(
        b.join("projects/P1/project.toml"),
        "title = \"学会\\u001b[2J研究\\n通过\\t<script>alert(1)</script>\"\norg = \"o\"\nguideline = \"g\"\nitem = \"1.1\"\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let (code, stdout, err) =
        yanshou(&["batch", b.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let stdout = String::from_utf8(stdout).unwrap();
    assert!(!stdout.contains('\u{1b}'), "{stdout:?}");
    assert!(stdout.contains("\\u{001B}"), "{stdout:?}");
    // One line per project: the newline in the title did not start a fake row.
    assert!(!stdout.lines().any(|l| l.starts_with("通过")), "{stdout:?}");
    let md = std::fs::read_to_string(out.join("checklists/P1.md")).unwrap();
    assert!(!md.contains("<script>"), "{md}");
    assert!(!md.contains('\u{1b}'));
}

#[test]
fn overlap_across_folders_skips_pairs_inside_one_project() {
    let prose =
        std::fs::read_to_string(crate::common::root().join("corpora/prose/laws-sample.txt"))
            .unwrap();
    let lines: Vec<&str> = prose
        .lines()
        .filter(|l| l.chars().count() > 80 && !l.starts_with('#'))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("P01"), dir.path().join("P02"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(b.join("sub")).unwrap();
    // P01's 专报 repeats a paragraph of its own report; P02 copies another paragraph of it.
    std::fs::write(
        a.join("report.txt"),
        format!("{}\n{}\n", lines[10], lines[20]),
    )
    .unwrap();
    std::fs::write(
        a.join("brief.txt"),
        format!("{}\n{}\n", lines[10], lines[30]),
    )
    .unwrap();
    std::fs::write(
        b.join("sub/copy.txt"),
        format!("{}\n{}\n", lines[40], lines[20]),
    )
    .unwrap();
    let pairs = |extra: &[&str]| -> Vec<(String, String)> {
        let mut args = vec!["overlap", "--json"];
        args.extend_from_slice(extra);
        args.push(dir.path().to_str().unwrap());
        let (_, out, err) = yanshou(&args);
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap_or_else(|_| panic!("{err}"));
        let name = |s: &serde_json::Value| {
            std::path::Path::new(s.as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        };
        let mut v: Vec<(String, String)> = v["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (name(&p["a"]), name(&p["b"])))
            .collect();
        v.sort();
        v
    };
    let all = pairs(&[]);
    assert!(
        all.contains(&("brief.txt".into(), "report.txt".into())),
        "{all:?}"
    );
    assert!(
        all.contains(&("copy.txt".into(), "report.txt".into()))
            || all.contains(&("report.txt".into(), "copy.txt".into())),
        "{all:?}"
    );
    let across = pairs(&["--across", "1"]);
    assert_eq!(across.len(), 1, "{across:?}");
    assert!(!across.contains(&("brief.txt".into(), "report.txt".into())));
}

#[test]
fn an_empty_text_is_not_called_a_scanned_pdf() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.txt"), "").unwrap();
    std::fs::write(dir.path().join("a.txt"), "学会服务能力提升计划。\n").unwrap();
    for args in [
        vec!["overlap", dir.path().to_str().unwrap()],
        vec![
            "index",
            "--index",
            dir.path().join("idx").to_str().unwrap(),
            dir.path().to_str().unwrap(),
        ],
    ] {
        let (_, _, err) = yanshou(&args);
        assert!(!err.contains("PDF"), "{args:?}: {err}");
        assert!(err.contains("没有任何文字"), "{args:?}: {err}");
    }
}

#[test]
fn a_removed_project_takes_its_checklists_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let b = small_batch(dir.path());
    let p2 = b.join("projects/P2");
    std::fs::create_dir_all(&p2).unwrap();
    std::fs::copy(b.join("projects/P1/project.toml"), p2.join("project.toml")).unwrap();
    std::fs::write(p2.join("研究报告.txt"), "第一章 总论\n另一份正文。\n").unwrap();
    let out = dir.path().join("out");
    let run = || run_quiet(&b, &out);
    assert_eq!(run().0, 0);
    assert!(out.join("checklists/P2.json").exists());
    std::fs::remove_dir_all(&p2).unwrap();
    assert_eq!(run().0, 0);
    for ext in ["json", "md", "html", "docx"] {
        assert!(!out.join(format!("checklists/P2.{ext}")).exists(), "{ext}");
        assert!(out.join(format!("checklists/P1.{ext}")).exists(), "{ext}");
    }
}

#[cfg(unix)]
#[test]
fn files_named_in_gbk_are_two_files_and_a_rerun_changes_nothing() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let b = small_batch(dir.path());
    let p = b.join("projects/P1");
    // 报告1.txt and 报告2.txt with GBK names, as unzipped from a Chinese Windows zip.
    for (last, text) in [(b'1', "第一份材料。\n"), (b'2', "第二份材料。\n")] {
        let mut name = b"\xB1\xA8\xB8\xE6".to_vec();
        name.extend([last]);
        name.extend(b".txt");
        std::fs::write(p.join(std::ffi::OsStr::from_bytes(&name)), text).unwrap();
    }
    let out = dir.path().join("out");
    let run = || run_quiet(&b, &out);
    assert_eq!(run().0, 0);
    let state = std::fs::read_to_string(out.join("state.json")).unwrap();
    assert!(
        state.contains("\\\\xB1\\\\xA8\\\\xB8\\\\xE61.txt"),
        "{state}"
    );
    assert!(
        state.contains("\\\\xB1\\\\xA8\\\\xB8\\\\xE62.txt"),
        "{state}"
    );
    let history = || std::fs::read_to_string(out.join("history.jsonl")).unwrap();
    let before = history();
    assert_eq!(run().0, 0);
    assert_eq!(history(), before, "an unchanged rerun records no change");
}
