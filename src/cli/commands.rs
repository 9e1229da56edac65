//! One function per command: turn the arguments into library calls, print the result.

use std::io::Write;
use std::path::PathBuf;

use rayon::prelude::*;

use super::args::{CheckFormat, Command};
use super::term::{self, Terminal};
use super::{Failure, Outcome};
use yanshou::doc::FileStatus;
use yanshou::fsutil::expand;
use yanshou::report::{CountOptions, CountReport, count_path};

type Ran = Result<Outcome, Failure>;

pub fn dispatch(command: Command) -> Ran {
    match command {
        Command::Extract { file } => extract(file),
        Command::Count {
            json,
            include_notes,
            files,
        } => count(files, json, CountOptions { include_notes }),
        Command::Guide { json, file } => guide(file, json),
        Command::Batch {
            batch_dir,
            out,
            today,
            quiet,
        } => batch(batch_dir, out, today, quiet),
        Command::Init { batch_dir, roster } => init(batch_dir, roster),
        Command::Check {
            project_dir,
            json,
            format,
            output,
            today,
        } => {
            let format = if json {
                Some(CheckFormat::Json)
            } else {
                format
            };
            check(
                project_dir,
                format.unwrap_or(CheckFormat::Md),
                output,
                today,
            )
        }
        Command::Overlap {
            json,
            min_chars,
            calls,
            html,
            across,
            paths,
        } => overlap(paths, json, min_chars, calls, html, across),
        Command::ExportFingerprints {
            parquet,
            calls,
            across,
            shard,
            first_doc,
            paths,
        } => export_fingerprints(parquet, calls, across, shard, first_doc, paths),
        Command::Align {
            seeds,
            min_chars,
            shard,
            parts,
            merge,
        } => align(seeds, min_chars, shard, parts, merge),
        Command::Index { index, paths } => index_files(index, paths),
        Command::Serve {
            out_dir,
            addr,
            allow_remote,
        } => serve(out_dir, addr, allow_remote),
        Command::Search {
            index,
            json,
            limit,
            year,
            label,
            org,
            query,
        } => {
            let filters = yanshou::search::Filters {
                year,
                label,
                org,
                project: None,
            };
            search(index, json, limit, filters, query)
        }
    }
}

/// Prints `value` as pretty JSON on stdout.
fn print_json(value: &impl serde::Serialize) {
    let mut out = std::io::stdout().lock();
    let _ = serde_json::to_writer_pretty(&mut out, value);
    let _ = writeln!(out);
}

/// Reads `[ocr]` from the `yanshou.toml` nearest the given files (see
/// `ocr::configure_near`); a bad one is a warning, never a failure of the count.
fn ocr_settings(paths: &[PathBuf]) {
    if let Err(why) = yanshou::extract::ocr::configure_near(paths) {
        eprintln!("提示：未采用 OCR 设置：{}", yanshou::text::printable(&why));
    }
}

fn extract(file: PathBuf) -> Ran {
    ocr_settings(std::slice::from_ref(&file));
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    if yanshou::extract::is_text_extension(&ext) {
        // Plain text streams through: no paragraph model for a text that is only printed.
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        let streamed = yanshou::extract::stream_plain(&file, &mut out)
            .and_then(|w| {
                if w.is_some() {
                    out.write_all(b"\n")?;
                    out.flush()?;
                }
                Ok(w)
            })
            .map_err(|e| Failure::Failed(format!("{}：{e}", file.display())))?;
        if let Some(warnings) = streamed {
            for w in &warnings {
                eprintln!("提示：{w}");
            }
            return Ok(Outcome::Done);
        }
    }
    let doc = yanshou::extract::extract_path(&file)
        .map_err(|e| Failure::Failed(format!("{}：{e}", file.display())))?;
    for w in &doc.warnings {
        eprintln!("提示：{w}");
    }
    if !doc.has_text() && doc.format == yanshou::doc::Format::Pdf {
        let m = yanshou::report::NO_TEXT_MESSAGE;
        return Err(Failure::Failed(format!("{}：{m}", file.display())));
    }
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(doc.text.as_bytes());
    let _ = out.write_all(b"\n");
    Ok(Outcome::Done)
}

fn count(files: Vec<PathBuf>, json: bool, opts: CountOptions) -> Ran {
    ocr_settings(&files);
    let (files, refused) = expand(files);
    let mut rows: Vec<_> = files.par_iter().map(|p| count_path(p, opts)).collect();
    rows.extend(refused.iter().map(|(p, why)| {
        yanshou::report::error_row(
            &p.display().to_string(),
            &yanshou::extract::ExtractError::Io(why.clone()),
        )
    }));
    let report = CountReport::new(rows);
    if json {
        print_json(&report);
    } else {
        term::count_table(&report);
    }
    let failed = report.files.iter().any(|f| f.status != FileStatus::Ok);
    Ok(Outcome::partial_if(failed))
}

fn guide(file: PathBuf, json: bool) -> Ran {
    let spec = yanshou::guide::parse_path(&file)
        .map_err(|e| Failure::Failed(format!("{}：{e}", file.display())))?;
    for w in &spec.warnings {
        eprintln!("提示：{}：{w}", file.display());
    }
    if json {
        print_json(&spec);
    } else {
        let _ = write!(
            std::io::stdout().lock(),
            "{}",
            yanshou::guide::render_table(&spec)
        );
    }
    Ok(Outcome::Done)
}

fn valid_today(today: &Option<String>) -> Result<(), Failure> {
    match today {
        Some(t) if yanshou::dates::parse_date(t).is_none() => Err(Failure::Usage(format!(
            "--today 应为 YYYY-MM-DD 格式的日期，现为“{t}”"
        ))),
        _ => Ok(()),
    }
}

fn batch(dir: PathBuf, out: PathBuf, today: Option<String>, quiet: bool) -> Ran {
    use std::io::IsTerminal;
    valid_today(&today)?;
    let opts = yanshou::batch::RunOptions { today };
    let progress = Terminal::new(!quiet && std::io::stderr().is_terminal());
    let s = yanshou::batch::run_with(&dir, &out, &opts, &progress)?;
    term::batch_summary(&s, &out, quiet);
    Ok(Outcome::partial_if(!s.errors.is_empty()))
}

/// Serves `out` until stopped. The address goes to stdout (a script reads the port from it when
/// it asked for port 0); the rest to stderr.
fn serve(out: PathBuf, addr: std::net::SocketAddr, allow_remote: bool) -> Ran {
    if !addr.ip().is_loopback() {
        if !allow_remote {
            return Err(Failure::Usage(format!(
                "{addr} 不是本机地址：默认只在本机（127.0.0.1）监听。若确需让其他电脑访问，请加 --allow-remote"
            )));
        }
        eprintln!(
            "警告：正在 {addr} 上监听，能连到这台电脑的人都能看到全部验收结果和提交材料的文字。"
        );
    }
    let server = yanshou::serve::Server::bind(&out, addr)?;
    let bound = server.local_addr();
    println!("http://{bound}/");
    let _ = std::io::stdout().flush();
    eprintln!("正在提供 {}（只读），按 Ctrl+C 停止", out.display());
    server.run()?;
    Ok(Outcome::Done)
}

fn init(dir: PathBuf, roster: Option<PathBuf>) -> Ran {
    let r = yanshou::batch::init(&dir, roster.as_deref())?;
    term::init_report(&r);
    Ok(Outcome::partial_if(!r.complete()))
}

fn check(dir: PathBuf, format: CheckFormat, output: Option<PathBuf>, today: Option<String>) -> Ran {
    valid_today(&today)?;
    if format == CheckFormat::Docx && output.is_none() {
        return Err(Failure::Usage("docx 格式需要用 -o 指定输出文件".into()));
    }
    let c = yanshou::batch::check_one(&dir, today.as_deref())?;
    let format = yanshou::render::Format::from(format);
    let bytes = yanshou::render::checklist(&c, format)
        .map_err(|e| Failure::Failed(format!("无法生成 {}：{e}", format.ext())))?;
    let res = match &output {
        Some(p) => yanshou::fsutil::write_atomic(p, &bytes)
            .map_err(|e| format!("写入失败：{}：{e}", p.display())),
        None => std::io::stdout()
            .lock()
            .write_all(&bytes)
            .map_err(|e| format!("写入失败：{e}")),
    };
    res.map_err(Failure::Failed)?;
    let failed = c.files.iter().any(|f| f.status == FileStatus::Error);
    Ok(Outcome::partial_if(failed))
}

fn overlap(
    paths: Vec<PathBuf>,
    json: bool,
    min_chars: u32,
    calls: Vec<PathBuf>,
    html: Option<PathBuf>,
    across: Option<usize>,
) -> Ran {
    let (files, refused) = expand(paths.clone());
    warn_refused(&refused);
    let groups = across_groups(&files, &paths, across);
    let found = yanshou::overlap::files::compare_files_grouped(
        &files,
        &groups,
        &calls,
        min_chars,
        &Terminal::quiet(),
    )
    .map_err(|(c, e)| Failure::Usage(format!("{}：{e}", c.display())))?;
    let mut failed = found.failed || !refused.is_empty();
    if let Some(h) = html {
        let page = yanshou::overlap::report::to_html(&found.report, &found.texts);
        if let Err(e) = yanshou::fsutil::write_atomic(&h, page.as_bytes()) {
            eprintln!("{}：{e}", h.display());
            failed = true;
        }
    }
    if json {
        print_json(&found.report);
    } else {
        term::overlap_table(&found.report);
    }
    Ok(Outcome::partial_if(failed))
}

/// With --across N, a file's group is its folder N levels below the folder it was found in;
/// files given one by one are groups of their own.
fn across_groups(
    files: &[PathBuf],
    paths: &[PathBuf],
    across: Option<usize>,
) -> Vec<Option<String>> {
    files
        .iter()
        .map(|f| {
            let n = across?;
            let root = paths.iter().find(|p| p.is_dir() && f.starts_with(p))?;
            let rel = f.strip_prefix(root).ok()?;
            let parts: Vec<_> = rel.components().collect();
            // The file itself is not a folder: at most the folders above it.
            let take = n.min(parts.len().saturating_sub(1));
            let key: std::path::PathBuf = parts[..take].iter().collect();
            Some(root.join(key).display().to_string())
        })
        .collect()
}

#[cfg(not(feature = "parquet"))]
const NO_PARQUET: &str = "此版本编译时未启用 Parquet：请用 cargo build --release --features parquet 编译后再运行（见 README“全国规模”一节）";

#[cfg(not(feature = "parquet"))]
fn export_fingerprints(
    _: PathBuf,
    _: Vec<PathBuf>,
    _: Option<usize>,
    _: u32,
    _: u32,
    _: Vec<PathBuf>,
) -> Ran {
    Err(Failure::Usage(NO_PARQUET.into()))
}

#[cfg(not(feature = "parquet"))]
fn align(_: PathBuf, _: u32, _: Option<String>, _: Vec<PathBuf>, _: Vec<PathBuf>) -> Ran {
    Err(Failure::Usage(NO_PARQUET.into()))
}

/// `export-fingerprints`: the first of the three cluster steps (see `yanshou::scale`).
#[cfg(feature = "parquet")]
fn export_fingerprints(
    dir: PathBuf,
    calls: Vec<PathBuf>,
    across: Option<usize>,
    shard: u32,
    first_doc: u32,
    paths: Vec<PathBuf>,
) -> Ran {
    let (files, refused) = expand(paths.clone());
    warn_refused(&refused);
    let groups = across_groups(&files, &paths, across);
    let s = yanshou::scale::export(
        &files,
        &groups,
        &calls,
        &dir,
        shard,
        first_doc,
        &Terminal::quiet(),
    )?;
    eprintln!(
        "已导出 {} 个文件、{} 个指纹（{} 字）到 {}",
        s.docs,
        s.fingerprints,
        s.chars,
        dir.display()
    );
    Ok(Outcome::partial_if(s.failed || !refused.is_empty()))
}

/// `align`: the last of the three cluster steps; prints what `overlap --json` prints, or with
/// `--shard`/`--part` one part's result and with `--merge` the report of all parts' results.
#[cfg(feature = "parquet")]
fn align(
    dir: PathBuf,
    min_chars: u32,
    shard: Option<String>,
    parts: Vec<PathBuf>,
    merge: Vec<PathBuf>,
) -> Ran {
    use yanshou::scale;
    let one_part = shard.is_some() || !parts.is_empty();
    let parts = match shard {
        Some(s) => {
            let (i, n) = parse_shard(&s)?;
            scale::shard_parts(&scale::seed_parts(&dir)?, i, n)
        }
        None => parts,
    };
    // A shard may have no part to align (more shards than parts): its result is empty.
    if one_part {
        let r = scale::align_parts(&dir, &parts, min_chars, &Terminal::quiet())?;
        eprintln!(
            "已对齐 {} 个种子分片：{} 个种子、{} 个候选文件对、重读 {} 个文件：{} 对有重复片段",
            r.parts.len(),
            r.seeds,
            r.candidate_pairs,
            r.texts_read,
            r.pairs.iter().filter(|p| !p.passages.is_empty()).count()
        );
        print_json(&r);
        return Ok(Outcome::partial_if(r.failed));
    }
    let a = if merge.is_empty() {
        scale::align(&dir, min_chars, &Terminal::quiet())?
    } else {
        scale::merge(&dir, &merge)?
    };
    if a.max_docs != scale::ONE_MACHINE_MAX_DOCS {
        eprintln!(
            "注意：Spark 作业按每个指纹最多 {} 个文件计（单机为 {}），结果与 overlap 可能不同",
            a.max_docs,
            scale::ONE_MACHINE_MAX_DOCS
        );
    }
    eprintln!(
        "已对齐 {} 个种子、{} 个候选文件对（重读 {} 个文件）：{} 对有重复片段",
        a.seeds,
        a.pairs,
        a.texts_read,
        a.report.pairs.len()
    );
    print_json(&a.report);
    Ok(Outcome::partial_if(a.failed))
}

/// `--shard I/N`: part I (from 0) of N.
#[cfg(feature = "parquet")]
fn parse_shard(s: &str) -> Result<(u32, u32), Failure> {
    s.split_once('/')
        .and_then(|(i, n)| Some((i.trim().parse().ok()?, n.trim().parse().ok()?)))
        .filter(|&(i, n)| i < n)
        .ok_or_else(|| Failure::Usage(format!("--shard {s}：应为 I/N，0 ≤ I < N，如 0/4")))
}

/// Entries of the folders given that are not read, said on stderr.
fn warn_refused(refused: &[(PathBuf, String)]) {
    for (p, why) in refused {
        eprintln!("{}：{why}", p.display());
    }
}

fn index_files(dir: PathBuf, paths: Vec<PathBuf>) -> Ran {
    let (files, refused) = expand(paths);
    warn_refused(&refused);
    let progress = Terminal::quiet();
    let docs = yanshou::search::file_entries(&files, &progress);
    let s = yanshou::search::update(&dir, &docs)
        .map_err(|e| Failure::Failed(format!("索引失败：{e}")))?;
    eprintln!(
        "索引已更新：新增或更新 {}，未变 {}，移除 {}，无法读取 {}",
        s.added, s.unchanged, s.removed, s.unreadable
    );
    Ok(Outcome::partial_if(s.unreadable > 0 || !refused.is_empty()))
}

fn search(
    dir: PathBuf,
    json: bool,
    limit: usize,
    filters: yanshou::search::Filters,
    query: String,
) -> Ran {
    if !dir.join("meta.json").exists() {
        return Err(Failure::Usage(format!(
            "{} 不是索引目录：请先运行 yanshou index --index {} 文件或文件夹",
            dir.display(),
            dir.display()
        )));
    }
    let r = yanshou::search::search(&dir, &query, limit, &filters)
        .map_err(|e| Failure::Failed(format!("检索失败：{e}")))?;
    if json {
        print_json(&r);
    } else {
        term::search_hits(&r);
    }
    Ok(Outcome::Done)
}
