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

/// The terminal's side of a run: a progress bar on stderr when wanted, notes as 提示,
/// and phase timings when `YANSHOU_TIMING` is set (for BENCHMARKS.md).
pub struct Terminal {
    bar: indicatif::ProgressBar,
    show_bar: bool,
    timing: bool,
    last: std::sync::Mutex<std::time::Instant>,
}

impl Terminal {
    /// Without a progress bar.
    pub fn quiet() -> Terminal {
        Terminal::new(false)
    }

    pub fn new(show_bar: bool) -> Terminal {
        Terminal {
            bar: indicatif::ProgressBar::hidden(),
            show_bar,
            timing: std::env::var_os("YANSHOU_TIMING").is_some(),
            last: std::sync::Mutex::new(std::time::Instant::now()),
        }
    }
}

impl yanshou::progress::Progress for Terminal {
    fn start(&self, what: &str, total: u64) {
        if !self.show_bar {
            return;
        }
        self.bar
            .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        self.bar.set_length(total);
        self.bar.set_position(0);
        self.bar.set_style(
            indicatif::ProgressStyle::with_template(&format!(
                "{{spinner}} {what} [{{bar:30}}] {{pos}}/{{len}} {{wide_msg}}"
            ))
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
    }

    fn step(&self, detail: Option<&str>) {
        self.bar.inc(1);
        if let Some(d) = detail {
            self.bar.set_message(d.to_string());
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }

    fn phase(&self, name: &str) {
        if self.timing {
            let now = std::time::Instant::now();
            let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
            eprintln!("[耗时] {name}: {:.1} ms", (now - *last).as_secs_f64() * 1e3);
            *last = now;
        }
    }

    fn note(&self, message: &str) {
        self.bar.suspend(|| eprintln!("提示：{message}"));
    }

    fn file_error(&self, path: &str, message: &str) {
        self.bar.suspend(|| eprintln!("{path}：{message}"));
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
                // A count that rests on OCR, in whole or in part, is an estimate: "≈" says so
                // where the number stands (the 提示 line below says how it was made).
                let est = if f.source.is_some() { "≈" } else { "" };
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

/// `batch`: the verdicts, the files that could not be processed, and what was done.
pub fn batch_summary(s: &Summary, out: &Path) {
    let mut out_s = std::io::stdout().lock();
    let count = |v: Verdict| s.projects.iter().filter(|p| p.verdict == v).count();
    let missing = count(Verdict::Missing);
    let _ = writeln!(
        out_s,
        "验收完成：{} 个项目，通过 {}，不通过 {}，需人工复核 {}{}；无法处理 {} 项",
        s.projects.len(),
        count(Verdict::Pass),
        count(Verdict::Fail),
        count(Verdict::Review),
        if missing > 0 {
            format!("，未提交 {missing}")
        } else {
            String::new()
        },
        s.errors.len()
    );
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
