//! Issue 22: export → Spark (`local[2]`) → align equals `yanshou overlap --json` byte for
//! byte on a 200-document archive, aligned in one process and split in two (`--shard`,
//! `--part`) then merged (`--merge`). Needs a binary built with `--features parquet`
//! (`.ci/run` builds one as `target/debug/yanshou-parquet`, or `YANSHOU_PARQUET_BIN`), Java,
//! and a Python with pyspark (`YANSHOU_SPARK_PYTHON`, else `.ci/run`'s virtual environment
//! `~/.cache/yanshou/venv-spark`); without one of them the test prints SKIP and why.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::common::root;
use yanshou::overlap::harness::generate;

/// The parquet-enabled binary, when one was built.
fn parquet_bin() -> Result<PathBuf, String> {
    let p = match std::env::var_os("YANSHOU_PARQUET_BIN") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_BIN_EXE_yanshou")).with_file_name("yanshou-parquet"),
    };
    if p.is_file() {
        Ok(p)
    } else {
        Err(format!(
            "{} 不存在（cargo build --features parquet --bin yanshou 后复制为此名，见 .ci/run）",
            p.display()
        ))
    }
}

/// A Python that imports pyspark, and Java for Spark.
fn spark_python() -> Result<PathBuf, String> {
    let java = Command::new("java").arg("-version").output();
    if !java.is_ok_and(|o| o.status.success()) {
        return Err("没有 Java（apt-get install openjdk-17-jre-headless）".into());
    }
    let candidates: Vec<PathBuf> = match std::env::var_os("YANSHOU_SPARK_PYTHON") {
        Some(p) => vec![p.into()],
        None => {
            let home = std::env::var_os("HOME")
                .map(PathBuf::from)
                .unwrap_or_default();
            vec![
                home.join(".cache/yanshou/venv-spark/bin/python"),
                "python3".into(),
            ]
        }
    };
    for py in candidates {
        let ok = Command::new(&py)
            .args(["-c", "import pyspark"])
            .output()
            .is_ok_and(|o| o.status.success());
        if ok {
            return Ok(py);
        }
    }
    Err("没有装 pyspark 的 Python（.ci/run 装在 ~/.cache/yanshou/venv-spark）".into())
}

/// Text that recurs in the archive on purpose, each with what the rules must do with it.
const SHARED5: &str = "各学会应当建立健全会员服务体系，定期开展会员需求调查，围绕科技工作者关心的职称评审、成果转化和继续教育等问题提供精准服务，并将服务成效纳入年度工作报告向理事会报告。";
const BOILER: &str = "本报告所称科技社团是指依法登记成立、以科学技术工作者为主体、以促进学术交流和科学普及为主要任务的非营利性社会组织，其业务主管单位为同级科学技术协会。";
const CALL: &str = "申报单位须围绕学会服务能力提升计划的总体目标，结合本单位实际制定实施方案，明确年度任务分工、进度安排和考核指标，确保项目按期完成并通过验收。";
const REFS: &str = "参考文献\n[1] 王某某.科技社团治理结构研究[M].北京：科学普及出版社，2021.\n[2] 李某某.学会服务能力评价指标体系构建[J].中国科技论坛，2022，(3)：45-52.\n";

/// 200 documents in 100 projects (`P000`…`P099`, two each: harness source k and suspicious
/// document 100 + k, so some planted copies fall inside one project and must not count),
/// with a passage shared by 5 projects (10 pairs), a paragraph in 30 (boilerplate past the
/// cap of 20), the call's paragraph in 4 (removed by `--call`) and one reference list in 3
/// (padding pairs).
fn archive(dir: &Path) -> (PathBuf, PathBuf) {
    let prose = std::fs::read_to_string(root().join("corpora/prose/laws-sample.txt")).unwrap();
    let corpus = generate(&prose, 100, 1000, 8, 22);
    assert_eq!(corpus.docs.len(), 200);
    let projects = dir.join("projects");
    for (i, text) in corpus.docs.iter().enumerate() {
        let k = i % 100;
        let mut t = text.clone();
        if [3, 17, 41, 66, 90].contains(&i) {
            t.push_str(&format!("{SHARED5}\n"));
        }
        if (100..130).contains(&i) {
            t.push_str(&format!("{BOILER}\n"));
        }
        if [5, 25, 45, 65].contains(&i) {
            t.push_str(&format!("{CALL}\n"));
        }
        if [7, 8, 9].contains(&i) {
            t.push_str(REFS);
        }
        let p = projects.join(format!("P{k:03}"));
        std::fs::create_dir_all(&p).unwrap();
        std::fs::write(p.join(format!("doc{i:03}.txt")), t).unwrap();
    }
    let call = dir.join("call.txt");
    std::fs::write(&call, format!("申报指南\n{CALL}\n")).unwrap();
    (projects, call)
}

fn run(cmd: &mut Command) -> Vec<u8> {
    let o = cmd.output().expect("run");
    let stderr = String::from_utf8_lossy(&o.stderr);
    // The parquet binary is built apart from the test binary: one left from an older tree
    // does not know today's options.
    let stale = if stderr.contains("不认识的参数") || stderr.contains("unexpected argument") {
        "\n(yanshou-parquet may be older than the source: cargo build --features parquet --bin \
         yanshou, then copy target/debug/yanshou to target/debug/yanshou-parquet, as .ci/run does)"
    } else {
        ""
    };
    assert!(o.status.success(), "{cmd:?}: {}\n{stderr}{stale}", o.status);
    o.stdout
}

#[test]
fn spark_path_equals_one_machine_byte_for_byte() {
    let (bin, python) = match (parquet_bin(), spark_python()) {
        (Ok(b), Ok(p)) => (b, p),
        (Err(why), _) | (_, Err(why)) => {
            eprintln!("SKIP spark_path_equals_one_machine_byte_for_byte: {why}");
            return;
        }
    };
    let tmp = tempfile::tempdir().unwrap();
    let (projects, call) = archive(tmp.path());
    let (projects, call) = (projects.to_str().unwrap(), call.to_str().unwrap());
    // One machine, from the default build.
    let one = run(Command::new(env!("CARGO_BIN_EXE_yanshou")).args([
        "overlap", "--json", "--across", "1", "--call", call, projects,
    ]));
    // The cluster path.
    let fps = tmp.path().join("fps");
    let seeds = tmp.path().join("seeds");
    run(Command::new(&bin).args([
        "export-fingerprints",
        "--parquet",
        fps.to_str().unwrap(),
        "--across",
        "1",
        "--call",
        call,
        projects,
    ]));
    run(Command::new(&python)
        .arg(root().join("scale/candidate_pairs.py"))
        .args([fps.to_str().unwrap(), seeds.to_str().unwrap()])
        .env("PYSPARK_SUBMIT_ARGS", "--master local[2] pyspark-shell")
        // Local mode talks to itself only.
        .env("SPARK_LOCAL_IP", "127.0.0.1"));
    let cluster = run(Command::new(&bin).args(["align", "--seeds", seeds.to_str().unwrap()]));
    assert!(
        one == cluster,
        "align differs from overlap --json:\n--- overlap\n{}\n--- align\n{}",
        String::from_utf8_lossy(&one),
        String::from_utf8_lossy(&cluster)
    );

    // Alignment split across nodes: shard 0 of 2 by --shard, the other by naming its part
    // files, each its own process; the merge of the two results is the same report.
    let mut parts: Vec<PathBuf> = std::fs::read_dir(seeds.join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "parquet"))
        .collect();
    parts.sort();
    assert!(parts.len() >= 2, "{} seed parts", parts.len());
    let seeds_s = seeds.to_str().unwrap();
    let r0 = run(Command::new(&bin).args(["align", "--seeds", seeds_s, "--shard", "0/2"]));
    let mut second = Command::new(&bin);
    second.args(["align", "--seeds", seeds_s]);
    // Shard 0 of 2 is the first half of the parts (by name); this is the rest.
    for p in &parts[parts.len() / 2..] {
        second.arg("--part").arg(p);
    }
    let r1 = run(&mut second);
    // More shards than parts: shard 0 of 1,000 has none, and says so with an empty result
    // (not the whole alignment).
    let r2 = run(Command::new(&bin).args(["align", "--seeds", seeds_s, "--shard", "0/1000"]));
    let empty: serde_json::Value = serde_json::from_slice(&r2).unwrap();
    assert_eq!(empty["schema"], "yanshou.align-part.v1");
    assert!(empty["parts"].as_array().unwrap().is_empty());
    assert!(empty["pairs"].as_array().unwrap().is_empty());
    let results: Vec<PathBuf> = [r0, r1, r2]
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let p = tmp.path().join(format!("part-{i}.json"));
            std::fs::write(&p, r).unwrap();
            p
        })
        .collect();
    // Each result names the parts it aligned: together every part, once.
    let named: Vec<Vec<String>> = results
        .iter()
        .map(|p| {
            let v: serde_json::Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
            v["parts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap().to_string())
                .collect()
        })
        .collect();
    for p in &results {
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
        super::common::validate("align-part.v1.schema.json", &v);
    }
    let file = |p: &PathBuf| p.file_name().unwrap().to_str().unwrap().to_string();
    let mut all: Vec<String> = named.concat();
    all.sort();
    assert_eq!(all, parts.iter().map(file).collect::<Vec<_>>());
    assert_eq!(named[0][0], file(&parts[0]));
    let merged = run(Command::new(&bin)
        .args(["align", "--seeds", seeds_s, "--merge"])
        .args(&results));
    super::common::validate(
        "overlap.v1.schema.json",
        &serde_json::from_slice(&merged).unwrap(),
    );
    assert!(
        one == merged,
        "align --merge differs from overlap --json:\n--- overlap\n{}\n--- merge\n{}",
        String::from_utf8_lossy(&one),
        String::from_utf8_lossy(&merged)
    );
    // A merge missing a part, or with a part twice, is refused (exit 2), not printed short.
    for given in [
        vec![&results[0], &results[2]],
        vec![&results[0], &results[0], &results[1]],
    ] {
        let o = Command::new(&bin)
            .args(["align", "--seeds", seeds_s, "--merge"])
            .args(given)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains("缺少") || err.contains("都对齐过"), "{err}");
        assert!(o.stdout.is_empty());
    }

    // A file changed since the export: its pairs keep the unrefined edges, the part result
    // says it failed (exit 1), and the file is named once, however many parts need it.
    let changed = Path::new(projects).join("P003/doc003.txt");
    let mut t = std::fs::read_to_string(&changed).unwrap();
    t.push_str("导出之后又补写了一段文字。");
    std::fs::write(&changed, t).unwrap();
    let o = Command::new(&bin)
        .args(["align", "--seeds", seeds_s, "--shard", "0/1"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(err.matches("doc003.txt").count(), 1, "{err}");
    assert!(err.contains("已改变"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["failed"], true);

    // And the report is not trivially equal: what the fixture planted is in it.
    let r: serde_json::Value = serde_json::from_slice(&one).unwrap();
    assert_eq!(r["documents"].as_array().unwrap().len(), 200);
    let pairs: Vec<(String, String)> = r["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let name = |k: &str| {
                let s = p[k].as_str().unwrap();
                s[s.len() - 10..s.len() - 4].to_string()
            };
            (name("a"), name("b"))
        })
        .collect();
    let has = |a: usize, b: usize| pairs.contains(&(format!("doc{a:03}"), format!("doc{b:03}")));
    // The five-project passage: all 10 pairs.
    let five = [3, 17, 41, 66, 90];
    for (x, &a) in five.iter().enumerate() {
        for &b in &five[x + 1..] {
            assert!(has(a, b), "doc{a:03}–doc{b:03} missing");
        }
    }
    // The call's paragraph and the 30-document boilerplate seed nothing.
    assert!(!has(5, 25) && !has(45, 65), "call text counted");
    assert!(!has(100, 101) && !has(110, 129), "boilerplate counted");
    // Nothing inside one project (source k and suspicious 100 + k).
    assert!((0..100).all(|k| !has(k, 100 + k)));
    // Copies across projects from the harness.
    assert!(pairs.len() > 20, "{} pairs", pairs.len());
    // The shared reference list is a padding pair, not a copy.
    assert!(!has(7, 8));
    assert!(
        r["padding_pairs"].as_array().is_some_and(|p| p.len() == 3),
        "{}",
        r["padding_pairs"]
    );
}

#[test]
fn without_the_feature_the_commands_say_how_to_build() {
    if cfg!(feature = "parquet") {
        return;
    }
    let (code, _, err) = super::common::yanshou(&["align", "--seeds", "/nonexistent"]);
    assert_eq!(code, 2);
    assert!(err.contains("--features parquet"), "{err}");
}

#[test]
fn bad_inputs_are_said_not_panicked() {
    let bin = match parquet_bin() {
        Ok(b) => b,
        Err(why) => {
            eprintln!("SKIP bad_inputs_are_said_not_panicked: {why}");
            return;
        }
    };
    let tmp = tempfile::tempdir().unwrap();
    // A folder that is not the Spark job's output: exit 2, said in Chinese.
    let o = Command::new(&bin)
        .args(["align", "--seeds", tmp.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("candidate_pairs.py"));
    // A file that cannot be read is left out and named; the others are exported (exit 1).
    let inp = tmp.path().join("in");
    std::fs::create_dir_all(&inp).unwrap();
    std::fs::write(inp.join("good.txt"), SHARED5).unwrap();
    std::fs::write(inp.join("broken.docx"), b"not a zip").unwrap();
    let out = tmp.path().join("fps");
    let o = Command::new(&bin)
        .args(["export-fingerprints", "--parquet"])
        .args([&out, &inp])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("broken.docx") && err.contains("已导出 1 个文件"),
        "{err}"
    );
    assert!(out.join("fps-0000.parquet").is_file() && out.join("docs-0000.parquet").is_file());
    // A part that is not Parquet: a clear error naming it (exit 1), not a panic.
    let seeds = tmp.path().join("seeds");
    for d in ["seeds", "docs", "params"] {
        std::fs::create_dir_all(seeds.join(d)).unwrap();
    }
    std::fs::copy(
        out.join("docs-0000.parquet"),
        seeds.join("docs/part-0.parquet"),
    )
    .unwrap();
    std::fs::write(seeds.join("params/part-0.parquet"), b"PAR1 junk").unwrap();
    let o = Command::new(&bin)
        .args(["align", "--seeds"])
        .arg(&seeds)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("params/part-0.parquet：无法读取"), "{err}");
}
