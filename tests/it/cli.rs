//! The binary as users and scripts see it: exit codes, JSON validated against schemas/.

use crate::common;
use common::{root, validate};

use std::path::Path;

fn yanshou(args: &[&str]) -> (i32, String, String) {
    let (code, out, err) = common::yanshou(args);
    (code, String::from_utf8(out).unwrap(), err)
}

#[test]
fn count_json_validates_and_exit_code_says_errors() {
    let (code, out, _) = yanshou(&["count", "--json", "corpora/fixtures", "corpora/bad"]);
    assert_eq!(code, 1, "bad files set exit code 1");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    validate("count.v1.schema.json", &doc);
    let files = doc["files"].as_array().unwrap();
    assert!(files.iter().any(|f| f["status"] == "no_text"));
    assert!(files.iter().any(|f| f["status"] == "error"));
    let passage = files
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("passage.docx"))
        .unwrap();
    // The passage's 字数 worked out by hand in tests/formats.rs: 112 East Asian + 17 runs.
    assert_eq!(passage["counts"]["words"], 129);
}

#[test]
fn count_all_good_exits_zero() {
    let (code, out, _) = yanshou(&["count", "corpora/fixtures/passage.utf8.txt"]);
    assert_eq!(code, 0);
    assert!(
        out.lines()
            .nth(1)
            .unwrap()
            .starts_with("129\t112\t17\t158\t161\t4\t129\t")
    );
}

#[test]
fn extract_prints_text_and_errors_name_the_fix() {
    let (code, out, _) = yanshou(&["extract", "corpora/fixtures/passage.docx"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("学会服务能力提升计划（2022年）\n"));
    let (code, _, err) = yanshou(&["extract", "corpora/bad/encrypted.doc"]);
    assert_eq!(code, 1);
    assert!(err.contains("密码"), "{err}");
}

#[test]
fn bad_usage_exits_two() {
    let (code, _, _) = yanshou(&["count"]);
    assert_eq!(code, 2);
    let (code, _, _) = yanshou(&["no-such-command"]);
    assert_eq!(code, 2);
}

#[test]
fn no_test_reads_outside_the_repository() {
    // The project must not depend on ../shared at run time: no source file under src/, at
    // any depth, names it.
    fn scan(dir: &Path, seen: &mut usize) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                scan(&p, seen);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                assert!(!text.contains("../shared"), "{}", p.display());
                *seen += 1;
            }
        }
    }
    let mut seen = 0;
    scan(&root().join("src"), &mut seen);
    // src/batch/, src/check/ … are folders: files below the top level were read too.
    assert!(seen > 30, "only {seen} source files found");
    assert!(root().join("src/batch/mod.rs").exists());
}

#[test]
fn guide_json_table_and_policy_warning() {
    let (code, out, _) = yanshou(&[
        "guide",
        "--json",
        "corpora/guidelines/2022-cast-reform-pilot-guide.txt",
    ]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    validate("spec.v1.schema.json", &doc);
    assert_eq!(doc["schema"], "yanshou.spec.v1");
    assert_eq!(doc["items"].as_array().unwrap().len(), 20);

    let (code, out, _) = yanshou(&[
        "guide",
        "corpora/guidelines/2022-cast-reform-pilot-guide.txt",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("【1.1】现代化强国建设背景下学会服务理念转变和参与科技治理机制"));
    assert!(out.contains("“形成1篇3万字以上研究报告”"));

    // A policy paper is a result with a warning, not an error.
    let (code, out, err) = yanshou(&[
        "guide",
        "--json",
        "corpora/guidelines/14th-fyp-cast-reform-tasks-policy.txt",
    ]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["items"].as_array().unwrap().len(), 0);
    assert!(err.contains("政策文件"), "{err}");

    let (code, _, err) = yanshou(&["guide", "corpora/bad/encrypted.doc"]);
    assert_eq!(code, 1);
    assert!(err.contains("密码"), "{err}");
}

#[test]
fn an_output_folder_that_is_a_file_is_named_in_the_error() {
    // OUT_DIR is a file: refused before anything runs, as bad usage (exit 2), the message
    // starting with the path, then the reason in Chinese.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    std::fs::write(&out, b"x").unwrap();
    let (code, _, err) = yanshou(&["batch", "corpora/demo", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with(&format!("{}：", out.display())), "{err}");
    assert!(err.contains("不是文件夹"), "{err}");
}

/// Runs `yanshou ARGS` in a private mount namespace where `mnt` is a fresh tmpfs mounted with
/// `opts` (so a test can give the run a read-only or a full disk without touching the
/// machine's mounts). `None`, after saying why, where namespaces or mounts are not allowed.
fn on_tmpfs(mnt: &std::path::Path, opts: &str, args: &[&str]) -> Option<std::process::Output> {
    // The mount point and the command reach the shell as arguments ("$1", "$@"), never
    // pasted into the script, so no path needs quoting.
    let run = |opts: &str, cmd: &[&str]| {
        std::process::Command::new("unshare")
            .args(["-m", "sh", "-c"])
            .arg(format!(
                "mount -t tmpfs -o {opts} tmpfs \"$1\" && shift && {}",
                if cmd.is_empty() {
                    "true"
                } else {
                    "exec \"$@\""
                }
            ))
            .arg("sh")
            .arg(mnt)
            .args(cmd)
            .current_dir(common::root())
            .output()
    };
    if !run("size=1m", &[]).is_ok_and(|o| o.status.success()) {
        eprintln!(
            "SKIP: cannot mount a tmpfs in a private namespace here (needs root and unshare)"
        );
        return None;
    }
    let mut cmd = vec![env!("CARGO_BIN_EXE_yanshou")];
    cmd.extend_from_slice(args);
    Some(run(opts, &cmd).unwrap())
}

/// The demo batch with its `--out` on a fresh tmpfs at `mnt` (see `on_tmpfs`): the output
/// folder and the run, or `None` where mounts are not allowed.
fn demo_batch_on_tmpfs(
    mnt: &std::path::Path,
    opts: &str,
) -> Option<(std::path::PathBuf, std::process::Output)> {
    let out = mnt.join("out");
    let o = on_tmpfs(
        mnt,
        opts,
        &["batch", "corpora/demo", "--out", out.to_str()?, "--quiet"],
    )?;
    Some((out, o))
}

#[test]
fn a_read_only_output_folder_is_bad_usage_named_in_chinese() {
    let tmp = tempfile::tempdir().unwrap();
    let Some((out, o)) = demo_batch_on_tmpfs(tmp.path(), "ro,size=1m") else {
        return;
    };
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with(&format!("{}：输出目录无法写入", out.display())),
        "{err}"
    );
    assert!(err.contains("只读文件系统"), "{err}");
}

#[test]
fn a_disk_that_fills_during_the_run_exits_3_naming_the_file() {
    // 256 KiB: the probe at the start fits, the cache and index of the demo do not.
    let tmp = tempfile::tempdir().unwrap();
    let Some((out, o)) = demo_batch_on_tmpfs(tmp.path(), "size=256k") else {
        return;
    };
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("输出未能写完"), "{err}");
    assert!(err.contains(&out.display().to_string()), "{err}");
    assert!(err.contains("磁盘空间已满"), "{err}");
}

/// Help and parse errors are Chinese: no clap English left (`Usage:`, `Options`,
/// `[default: 50]`, `error:`), and the exit codes of the contract (0 for help, 2 for bad usage).
#[test]
fn help_and_usage_errors_are_chinese() {
    let english = [
        "Usage",
        "Options",
        "Arguments",
        "Commands",
        "[default",
        "[possible",
        "Print ",
        "error:",
        "[OPTIONS]",
        "tip:",
    ];
    let no_english = |what: &str, text: &str| {
        for e in english {
            assert!(!text.contains(e), "{what}: {e} in\n{text}");
        }
    };
    for args in [
        &["--help"][..],
        &["overlap", "--help"],
        &["search", "-h"],
        &["batch", "--help"],
    ] {
        let (code, out, err) = common::yanshou(args);
        let out = String::from_utf8(out).unwrap();
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(
            out.contains("用法：yanshou") && out.contains("选项："),
            "{out}"
        );
        no_english(&format!("{args:?}"), &out);
    }
    let (_, out, _) = common::yanshou(&["overlap", "--help"]);
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("参数：") && out.contains("默认 50"), "{out}");
    for (args, says) in [
        (&["count", "--bogus", "a.txt"][..], "不认识的参数“--bogus”"),
        (
            &["check", "--format", "pdf", "x"],
            "不接受“pdf”（可选：md、html、docx、json）",
        ),
        (&["serch", "x"], "“search”？"),
        (&["overlap", "--min-chars", "abc", "a"], "的值“abc”无效"),
        (&["count"], "缺少必需的参数"),
        (
            &["check", "--json", "--format", "md", "x"],
            "不能与 --format",
        ),
    ] {
        let (code, out, err) = common::yanshou(args);
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty(), "{args:?}");
        assert!(
            err.starts_with("错误：") && err.contains(says),
            "{args:?}: {err}"
        );
        no_english(&format!("{args:?}"), &err);
    }
}
