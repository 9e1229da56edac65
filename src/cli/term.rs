//! The terminal: the progress bar, notes and timings of a run, and the plain-text tables the
//! commands print when `--json` is not given.

use std::io::Write;
use std::path::Path;
use yanshou::text::printable;

use yanshou::batch::Summary;
use yanshou::check::Verdict;
use yanshou::overlap::report::OverlapReport;
use yanshou::report::CountReport;
use yanshou::search::SearchResult;

/// The terminal's side of a run: a progress bar on stderr for each stage when wanted (a
/// spinner with the time for a stage of unknown length), notes as 提示, and phase timings
/// when `YANSHOU_TIMING` is set (for BENCHMARKS.md).
pub struct Terminal {
    /// The bar of the current stage; a stage gets a new one (a finished bar stays finished).
    bar: std::sync::Mutex<indicatif::ProgressBar>,
    show_bar: bool,
    timing: bool,
    last: std::sync::Mutex<std::time::Instant>,
    /// The process's CPU time (ms) at the last phase, where the system tells it.
    last_cpu: std::sync::Mutex<Option<f64>>,
}

impl Terminal {
    /// Without a progress bar.
    pub fn quiet() -> Terminal {
        Terminal::new(false)
    }

    pub fn new(show_bar: bool) -> Terminal {
        Terminal {
            bar: std::sync::Mutex::new(indicatif::ProgressBar::hidden()),
            show_bar,
            timing: std::env::var_os("YANSHOU_TIMING").is_some(),
            last: std::sync::Mutex::new(std::time::Instant::now()),
            last_cpu: std::sync::Mutex::new(process_cpu_ms()),
        }
    }

    /// The bar of the current stage (a handle: the bar itself is shared).
    fn bar(&self) -> indicatif::ProgressBar {
        self.bar.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl yanshou::progress::Progress for Terminal {
    fn start(&self, what: &str, total: u64) {
        if !self.show_bar {
            return;
        }
        let template = if total == 0 {
            format!("{{spinner}} {what} {{elapsed}}{{ocr}} {{wide_msg}}")
        } else {
            format!(
                "{{spinner}} {what} [{{bar:30}}] {{pos}}/{{len}} {{elapsed}}{{ocr}} {{wide_msg}}"
            )
        };
        let bar = indicatif::ProgressBar::with_draw_target(
            (total > 0).then_some(total),
            indicatif::ProgressDrawTarget::stderr(),
        )
        .with_style(
            indicatif::ProgressStyle::with_template(&template)
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> ")
                .with_key(
                    "ocr",
                    |_: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = w.write_str(&ocr_progress(yanshou::extract::ocr::pages_read()));
                    },
                ),
        );
        // A stage of unknown length may run for many seconds without a step: the spinner and
        // the time move on their own.
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        let old = std::mem::replace(
            &mut *self.bar.lock().unwrap_or_else(|e| e.into_inner()),
            bar,
        );
        old.finish_and_clear();
    }

    fn step(&self, detail: Option<&str>) {
        let bar = self.bar();
        bar.inc(1);
        if let Some(d) = detail {
            bar.set_message(d.to_string());
        }
    }

    fn finish(&self) {
        self.bar().finish_and_clear();
    }

    fn phase(&self, name: &str) {
        if self.timing {
            let now = std::time::Instant::now();
            let cpu = process_cpu_ms();
            let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
            let mut last_cpu = self.last_cpu.lock().unwrap_or_else(|e| e.into_inner());
            // On a shared machine the wall time of a phase is mostly the wait for a core; the
            // CPU time (user + sys, all threads) is what the phase itself costs.
            match (cpu, *last_cpu) {
                (Some(c), Some(l)) => eprintln!(
                    "[耗时] {name}: {:.1} ms（CPU {:.0} ms）",
                    (now - *last).as_secs_f64() * 1e3,
                    c - l
                ),
                _ => eprintln!("[耗时] {name}: {:.1} ms", (now - *last).as_secs_f64() * 1e3),
            }
            *last = now;
            *last_cpu = cpu;
        }
    }

    fn note(&self, message: &str) {
        self.bar().suspend(|| eprintln!("提示：{message}"));
    }

    fn file_error(&self, path: &str, message: &str) {
        self.bar().suspend(|| eprintln!("{path}：{message}"));
    }
}

/// User + system CPU time of the whole process so far (every thread, finished ones too), in
/// ms, from Linux's `/proc/self/stat` (fields 14 and 15, in clock ticks of 10 ms: the kernel's
/// USER_HZ is 100 on every Linux architecture). `None` elsewhere. Read by hand: std has no
/// process CPU clock and `getrusage` would need `unsafe` through libc.
fn process_cpu_ms() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces and parentheses: count from its last ')'.
    let rest = &s[s.rfind(')')? + 1..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) * 10.0)
}

/// While scanned pages are being read (a 60-page scan takes minutes inside one file's step):
/// "，OCR 12/60 页" from the process's page counters (done, queued); nothing otherwise.
fn ocr_progress((done, queued): (u64, u64)) -> String {
    if queued > done {
        format!("，OCR {done}/{queued} 页")
    } else {
        String::new()
    }
}

/// `count` without `--json`: one line per file, and why a file could not be counted.
pub fn count_table(report: &CountReport) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "字数\t中文字符\t非中文单词\t字符数(不计空格)\t字符数(计空格)\t段落数\t正文字数\t文件"
    );
    for f in &report.files {
        match (&f.counts, &f.body_counts) {
            (Some(c), Some(b)) => {
                // The 提示 line below says how an estimate was made.
                let est = yanshou::report::estimate_mark(f.source);
                let _ = writeln!(
                    out,
                    "{est}{}\t{}\t{}\t{}\t{}\t{}\t{est}{}\t{}",
                    c.words,
                    c.cjk_chars,
                    c.non_cjk_words,
                    c.chars_no_spaces,
                    c.chars_with_spaces,
                    c.paragraphs,
                    b.words,
                    printable(&f.path)
                );
                for w in &f.warnings {
                    eprintln!("提示：{}：{}", printable(&f.path), printable(w));
                }
            }
            _ => {
                let _ = writeln!(out, "-\t-\t-\t-\t-\t-\t-\t{}", printable(&f.path));
                eprintln!(
                    "{}：{}",
                    printable(&f.path),
                    printable(f.error.as_deref().unwrap_or("无法统计"))
                );
            }
        }
    }
}

/// `batch`: a line per project, the files that could not be processed, what changed and
/// what was done, then the tally as the last line (600 project lines must not scroll it away).
/// `quiet` prints the tally only.
pub fn batch_summary(s: &Summary, out: &Path, quiet: bool) {
    use yanshou::render::thousands;
    let mut out_s = std::io::stdout().lock();
    if !quiet {
        for p in &s.projects {
            let _ = writeln!(
                out_s,
                "{}\t{}\t{}\t{}",
                printable(&p.id),
                p.verdict.label_zh(),
                printable(&p.title),
                printable(&p.reason)
            );
        }
        for e in &s.errors {
            let _ = writeln!(
                out_s,
                "无法处理\t{}\t{}",
                printable(&e.path),
                printable(&e.error)
            );
        }
        if let Some(r) = &s.roster {
            roster_lines(&mut out_s, r);
        }
        if !s.changes.is_empty() {
            let _ = writeln!(
                out_s,
                "与上次相比有 {} 处变化（见 summary.json 的 changes）",
                thousands(s.changes.len() as u64)
            );
        }
        let _ = out_s.flush();
        eprintln!(
            "文件 {} 个：新读取 {}，沿用缓存 {}；项目重新核对 {}，未变 {}；结果在 {}",
            thousands(s.stats.files),
            thousands(s.stats.extracted),
            thousands(s.stats.cached),
            thousands(s.stats.projects_rechecked),
            thousands(s.stats.projects_unchanged),
            out.display()
        );
    }
    let count = |v: Verdict| s.projects.iter().filter(|p| p.verdict == v).count() as u64;
    let missing = count(Verdict::Missing);
    let _ = writeln!(
        out_s,
        "验收完成：{} 个项目，通过 {}，不通过 {}，需人工复核 {}{}；无法处理 {} 项",
        thousands(s.projects.len() as u64),
        thousands(count(Verdict::Pass)),
        thousands(count(Verdict::Fail)),
        thousands(count(Verdict::Review)),
        if missing > 0 {
            format!("，未提交 {}", thousands(missing))
        } else {
            String::new()
        },
        thousands(s.errors.len() as u64)
    );
}

/// The 立项名单 of a batch: how many rows matched, and every folder or row that did not.
fn roster_lines(out_s: &mut impl Write, r: &yanshou::batch::RosterReport) {
    let _ = writeln!(
        out_s,
        "立项名单 {}：{} 个项目，{} 个与文件夹对应",
        printable(&r.file),
        r.rows,
        r.matched.len()
    );
    for u in &r.unmatched_folders {
        let _ = writeln!(
            out_s,
            "名单中未找到\t{}\t{}",
            printable(&u.folder),
            printable(&u.reason)
        );
    }
    for m in &r.missing_rows {
        let _ = writeln!(
            out_s,
            "没有文件夹\t{}\t第{}行 {}",
            printable(&m.id),
            m.line,
            printable(&m.title)
        );
    }
    for w in &r.warnings {
        let _ = writeln!(out_s, "名单提示\t{}", printable(w));
    }
}

/// `overlap` without `--json`: the figures of each file, then each pair.
pub fn overlap_table(rep: &OverlapReport) {
    let mut out = std::io::stdout().lock();
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
            printable(&d.path)
        );
    }
    for p in &rep.pairs {
        let _ = writeln!(
            out,
            "{} ↔ {}：重复 {} 字（{:.1}% / {:.1}%），{} 段",
            printable(&p.a),
            printable(&p.b),
            p.chars,
            p.a_ratio * 100.0,
            p.b_ratio * 100.0,
            p.passages.len()
        );
    }
}

/// `search` without `--json`.
pub fn search_hits(r: &SearchResult) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "共 {} 个文件包含“{}”", r.total, r.query);
    for (i, h) in r.hits.iter().enumerate() {
        let _ = writeln!(
            out,
            "{}. {}（{}{}{}）\n   {}\n   得分 {:.2}",
            i + 1,
            printable(&h.title),
            h.project
                .as_deref()
                .map_or(String::new(), |p| format!("项目 {p}，")),
            h.year.map_or(String::new(), |y| format!("{y}年，")),
            printable(&h.path),
            printable(&h.snippet),
            h.score
        );
    }
}

/// `init`: the files written, the ones kept, and everything that could not be matched.
pub fn init_report(r: &yanshou::batch::InitReport) {
    use yanshou::batch::ItemSource;
    let mut out = std::io::stdout().lock();
    match &r.roster {
        Some(f) => {
            let _ = writeln!(out, "立项名单：{}", printable(f));
        }
        None => {
            let _ = writeln!(out, "没有立项名单：指南条目按提交文件的标题推断");
        }
    }
    for w in &r.written {
        let how = match (w.source, w.score) {
            (ItemSource::Inferred, Some(s)) => format!("推断，相似度 {s:.2}，请确认"),
            _ => "立项名单".to_string(),
        };
        let _ = writeln!(
            out,
            "已写入\t{}/project.toml\t{} {}（{how}）",
            printable(&w.folder),
            printable(&w.guideline),
            printable(&w.item)
        );
    }
    for k in &r.kept {
        let _ = writeln!(out, "保留\t{}/project.toml\t人工编写，未改动", printable(k));
    }
    for u in &r.unmatched_folders {
        let _ = writeln!(
            out,
            "名单中未找到\t{}\t{}",
            printable(&u.folder),
            printable(&u.reason)
        );
    }
    for m in &r.missing_rows {
        let _ = writeln!(
            out,
            "没有文件夹\t{}\t第{}行 {}",
            printable(&m.id),
            m.line,
            printable(&m.title)
        );
    }
    for f in &r.failed {
        let _ = writeln!(
            out,
            "未写入\t{}\t{}",
            printable(&f.folder),
            printable(&f.reason)
        );
    }
    for w in &r.warnings {
        let _ = writeln!(out, "名单提示\t{}", printable(w));
    }
    let _ = writeln!(
        out,
        "共写入 {} 个，保留 {} 个；未对应的文件夹 {} 个，没有文件夹的项目 {} 个，无法确定指南条目 {} 个",
        r.written.len(),
        r.kept.len(),
        r.unmatched_folders.len(),
        r.missing_rows.len(),
        r.failed.len()
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn ocr_progress_shows_only_while_pages_are_outstanding() {
        assert_eq!(super::ocr_progress((0, 0)), "");
        assert_eq!(super::ocr_progress((12, 60)), "，OCR 12/60 页");
        assert_eq!(super::ocr_progress((60, 60)), "");
    }
}
