//! The `yanshou` binary: parse arguments, call the library, map the outcome to an exit code
//! (0 worked, 1 some inputs could not be processed, 2 bad usage).

mod cli;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use yanshou::report::{CountOptions, CountReport, FileStatus, count_path};

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        cli::Command::Extract { file } => extract(file),
        cli::Command::Count {
            json,
            include_notes,
            files,
        } => count(files, json, CountOptions { include_notes }),
        cli::Command::Guide { json, file } => guide(file, json),
        cli::Command::Batch {
            batch_dir,
            out,
            today,
            quiet,
        } => batch(batch_dir, out, today, quiet),
        cli::Command::Check {
            project_dir,
            json,
            format,
            output,
            today,
        } => check(project_dir, json, format, output, today),
        cli::Command::Overlap {
            json,
            min_chars,
            calls,
            html,
            paths,
        } => overlap(paths, json, min_chars, calls, html),
        cli::Command::Index { index, paths } => index_cmd(index, paths),
        cli::Command::Search {
            index,
            json,
            limit,
            year,
            label,
            org,
            query,
        } => search_cmd(
            index,
            json,
            limit,
            yanshou::search::Filters {
                year,
                label,
                org,
                project: None,
            },
            query,
        ),
    }
}

fn extract(file: PathBuf) -> ExitCode {
    match yanshou::extract::extract_path(&file) {
        Ok(doc) => {
            for w in &doc.warnings {
                eprintln!("提示：{w}");
            }
            if !doc.has_text() && doc.format == yanshou::doc::Format::Pdf {
                eprintln!("{}：{}", file.display(), yanshou::report::NO_TEXT_MESSAGE);
                return ExitCode::from(1);
            }
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(doc.text.as_bytes());
            let _ = out.write_all(b"\n");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}：{e}", file.display());
            ExitCode::from(1)
        }
    }
}

/// Expands directories into the files inside them that yanshou reads, sorted.
fn expand(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(&p, &mut found);
            found.sort();
            out.extend(found);
        } else {
            out.push(p);
        }
    }
    out
}

fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if yanshou::extract::is_candidate(&p) {
            out.push(p);
        }
    }
}

fn count(files: Vec<PathBuf>, json: bool, opts: CountOptions) -> ExitCode {
    use rayon::prelude::*;
    let files = expand(files);
    let rows: Vec<_> = files.par_iter().map(|p| count_path(p, opts)).collect();
    let report = CountReport::new(rows);
    let mut out = std::io::stdout().lock();
    if json {
        let _ = serde_json::to_writer_pretty(&mut out, &report);
        let _ = writeln!(out);
    } else {
        let _ = writeln!(
            out,
            "字数\t中文字符\t非中文单词\t字符数(不计空格)\t字符数(计空格)\t段落数\t正文字数\t文件"
        );
        for f in &report.files {
            match (&f.counts, &f.body_counts) {
                (Some(c), Some(b)) => {
                    let _ = writeln!(
                        out,
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                        c.words,
                        c.cjk_chars,
                        c.non_cjk_words,
                        c.chars_no_spaces,
                        c.chars_with_spaces,
                        c.paragraphs,
                        b.words,
                        f.path
                    );
                    for w in &f.warnings {
                        eprintln!("提示：{}：{w}", f.path);
                    }
                }
                _ => {
                    let _ = writeln!(out, "-\t-\t-\t-\t-\t-\t-\t{}", f.path);
                    eprintln!("{}：{}", f.path, f.error.as_deref().unwrap_or("无法统计"));
                }
            }
        }
    }
    if report.files.iter().all(|f| f.status == FileStatus::Ok) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn guide(file: PathBuf, json: bool) -> ExitCode {
    let spec = match yanshou::guide::parse_path(&file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{}：{e}", file.display());
            return ExitCode::from(1);
        }
    };
    for w in &spec.warnings {
        eprintln!("提示：{}：{w}", file.display());
    }
    let mut out = std::io::stdout().lock();
    if json {
        let _ = serde_json::to_writer_pretty(&mut out, &spec);
        let _ = writeln!(out);
    } else {
        let _ = write!(out, "{}", yanshou::guide::render_table(&spec));
    }
    ExitCode::SUCCESS
}

fn valid_today(today: &Option<String>) -> bool {
    match today {
        Some(t) if yanshou::batch::parse_date(t).is_none() => {
            eprintln!("--today 应为 YYYY-MM-DD 格式的日期，现为“{t}”");
            false
        }
        _ => true,
    }
}

fn batch(dir: PathBuf, out: PathBuf, today: Option<String>, quiet: bool) -> ExitCode {
    use std::io::IsTerminal;
    if !valid_today(&today) {
        return ExitCode::from(2);
    }
    let opts = yanshou::batch::RunOptions {
        today,
        progress: !quiet && std::io::stderr().is_terminal(),
    };
    match yanshou::batch::run(&dir, &out, &opts) {
        Ok(s) => {
            let mut out_s = std::io::stdout().lock();
            let count =
                |v: yanshou::check::Verdict| s.projects.iter().filter(|p| p.verdict == v).count();
            let _ = writeln!(
                out_s,
                "验收完成：{} 个项目，通过 {}，不通过 {}，需人工复核 {}；无法处理 {} 项",
                s.projects.len(),
                count(yanshou::check::Verdict::Pass),
                count(yanshou::check::Verdict::Fail),
                count(yanshou::check::Verdict::Review),
                s.errors.len()
            );
            for p in &s.projects {
                let _ = writeln!(
                    out_s,
                    "{}\t{}\t{}\t{}",
                    p.id,
                    p.verdict.label_zh(),
                    p.title,
                    p.reason
                );
            }
            for e in &s.errors {
                let _ = writeln!(out_s, "无法处理\t{}\t{}", e.path, e.error);
            }
            if !s.changes.is_empty() {
                let _ = writeln!(
                    out_s,
                    "与上次相比有 {} 处变化（见 summary.json 的 changes）",
                    s.changes.len()
                );
            }
            eprintln!(
                "文件 {} 个（新读取 {}，沿用缓存 {}）；项目重新核对 {}，未变 {}；结果在 {}",
                s.stats.files,
                s.stats.extracted,
                s.stats.cached,
                s.stats.projects_rechecked,
                s.stats.projects_unchanged,
                out.display()
            );
            if s.errors.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => {
            eprintln!("{e}");
            match e {
                yanshou::batch::BatchError::Io(_) => ExitCode::from(1),
                _ => ExitCode::from(2),
            }
        }
    }
}

fn check(
    dir: PathBuf,
    json: bool,
    format: Option<String>,
    output: Option<PathBuf>,
    today: Option<String>,
) -> ExitCode {
    if !valid_today(&today) {
        return ExitCode::from(2);
    }
    let format = if json {
        "json".to_string()
    } else {
        format.unwrap_or_else(|| "md".into())
    };
    if format == "docx" && output.is_none() {
        eprintln!("docx 格式需要用 -o 指定输出文件");
        return ExitCode::from(2);
    }
    let c = match yanshou::batch::check_one(&dir, today.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let bytes = match format.as_str() {
        "json" => serde_json::to_vec_pretty(&c).unwrap_or_default(),
        "html" => c.to_html().into_bytes(),
        "docx" => match c.to_docx() {
            Ok(b) => b,
            Err(e) => {
                eprintln!("无法生成 docx：{e}");
                return ExitCode::from(1);
            }
        },
        _ => c.to_markdown().into_bytes(),
    };
    let res = match &output {
        Some(p) => yanshou::batch::write_atomic(p, &bytes),
        None => std::io::stdout().lock().write_all(&bytes),
    };
    if let Err(e) = res {
        eprintln!("写入失败：{e}");
        return ExitCode::from(1);
    }
    if c.files.iter().any(|f| f.status == "error") {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A readable document for `overlap`: its text, fingerprints and normalized form.
type Loaded = (
    String,
    yanshou::overlap::Fingerprints,
    yanshou::overlap::Text,
);

fn overlap(
    paths: Vec<PathBuf>,
    json: bool,
    min_chars: u32,
    calls: Vec<PathBuf>,
    html: Option<PathBuf>,
) -> ExitCode {
    use rayon::prelude::*;
    use yanshou::overlap::{Text, exclude, fingerprint_document, report};
    let files = expand(paths);
    let mut failed = false;
    // The call's own text never counts as copied.
    let mut call_hashes = std::collections::HashSet::new();
    for c in &calls {
        match yanshou::extract::extract_path(c) {
            Ok(d) => call_hashes.extend(yanshou::overlap::all_hashes(&d.text)),
            Err(e) => {
                eprintln!("{}：{e}", c.display());
                return ExitCode::from(2);
            }
        }
    }
    let docs: Vec<(String, Option<Loaded>)> = files
        .par_iter()
        .map(|p| {
            let shown = p.display().to_string();
            match yanshou::extract::extract_path(p) {
                Ok(d) if d.has_text() => {
                    let mut fp = fingerprint_document(&d);
                    exclude(&mut fp, &call_hashes);
                    let t = Text::new(&d.text);
                    (shown, Some((d.text, fp, t)))
                }
                Ok(_) => {
                    eprintln!("{shown}：{}", yanshou::report::NO_TEXT_MESSAGE);
                    (shown, None)
                }
                Err(e) => {
                    eprintln!("{shown}：{e}");
                    (shown, None)
                }
            }
        })
        .collect();
    let ok: Vec<&(String, Option<Loaded>)> = docs.iter().filter(|d| d.1.is_some()).collect();
    if ok.len() != docs.len() {
        failed = true;
    }
    let inputs: Vec<report::Input> = ok
        .iter()
        .map(|(p, d)| {
            let (_, fp, t) = d.as_ref().unwrap();
            report::Input {
                path: p.clone(),
                project: None,
                fp,
                text: Some(t),
            }
        })
        .collect();
    let (rep, _) = report::build(&inputs, min_chars, false);
    if let Some(h) = html {
        let texts: Vec<Option<String>> = ok
            .iter()
            .map(|d| d.1.as_ref().map(|x| x.0.clone()))
            .collect();
        if let Err(e) = yanshou::batch::write_atomic(&h, report::to_html(&rep, &texts).as_bytes()) {
            eprintln!("{}：{e}", h.display());
            failed = true;
        }
    }
    let mut out = std::io::stdout().lock();
    if json {
        let _ = serde_json::to_writer_pretty(&mut out, &rep);
        let _ = writeln!(out);
    } else {
        let _ = writeln!(
            out,
            "总文字复制比\t去除引用\t单篇最大\t重复字数\t字数\t文件"
        );
        for d in &rep.documents {
            let _ = writeln!(
                out,
                "{:.1}%\t{:.1}%\t{:.1}%\t{}\t{}\t{}",
                d.copy_ratio * 100.0,
                d.copy_ratio_without_cited * 100.0,
                d.max_single_ratio * 100.0,
                d.copied_chars,
                d.chars,
                d.path
            );
        }
        for p in &rep.pairs {
            let _ = writeln!(
                out,
                "{} ↔ {}：重复 {} 字（{:.1}% / {:.1}%），{} 段",
                p.a,
                p.b,
                p.chars,
                p.a_ratio * 100.0,
                p.b_ratio * 100.0,
                p.passages.len()
            );
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn index_cmd(dir: PathBuf, paths: Vec<PathBuf>) -> ExitCode {
    let files = expand(paths);
    let docs: Vec<yanshou::search::ToIndex> = files
        .iter()
        .filter_map(|p| {
            let bytes = yanshou::extract::read_file(p).ok()?;
            let hash = blake3::hash(&bytes).to_hex().to_string();
            let shown = p.display().to_string();
            let path = p.clone();
            Some(yanshou::search::ToIndex {
                path: shown.clone(),
                hash,
                meta: yanshou::search::DocMeta {
                    label: yanshou::check::label_of_text(
                        path.file_stem().and_then(|s| s.to_str()).unwrap_or(""),
                    )
                    .map(str::to_string),
                    ..Default::default()
                },
                text: Box::new(move || match yanshou::extract::extract_path(&path) {
                    Ok(d) if d.has_text() => Some(d.text),
                    Ok(_) => {
                        eprintln!("{shown}：{}", yanshou::report::NO_TEXT_MESSAGE);
                        None
                    }
                    Err(e) => {
                        eprintln!("{shown}：{e}");
                        None
                    }
                }),
            })
        })
        .collect();
    match yanshou::search::update(&dir, &docs) {
        Ok(s) => {
            eprintln!(
                "索引已更新：新增或更新 {}，未变 {}，移除 {}，无法读取 {}",
                s.added, s.unchanged, s.removed, s.unreadable
            );
            if s.unreadable > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("索引失败：{e}");
            ExitCode::from(1)
        }
    }
}

fn search_cmd(
    dir: PathBuf,
    json: bool,
    limit: usize,
    filters: yanshou::search::Filters,
    query: String,
) -> ExitCode {
    if !dir.join("meta.json").exists() {
        eprintln!(
            "{} 不是索引目录：请先运行 yanshou index --index {} 文件或文件夹",
            dir.display(),
            dir.display()
        );
        return ExitCode::from(2);
    }
    match yanshou::search::search(&dir, &query, limit, &filters) {
        Ok(r) => {
            let mut out = std::io::stdout().lock();
            if json {
                let _ = serde_json::to_writer_pretty(&mut out, &r);
                let _ = writeln!(out);
            } else {
                let _ = writeln!(out, "共 {} 个文件包含“{}”", r.total, r.query);
                for (i, h) in r.hits.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "{}. {}（{}{}{}）\n   {}\n   得分 {:.2}",
                        i + 1,
                        h.title,
                        h.project
                            .as_deref()
                            .map_or(String::new(), |p| format!("项目 {p}，")),
                        h.year.map_or(String::new(), |y| format!("{y}年，")),
                        h.path,
                        h.snippet,
                        h.score
                    );
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("检索失败：{e}");
            ExitCode::from(1)
        }
    }
}
