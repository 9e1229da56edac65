//! The nightly batch (`yanshou batch`) and the single-project check (`yanshou check`).
//!
//! A run: lock `OUT_DIR`; read settings, calls and `project.toml`s; find every submitted
//! file; reuse the cached facts of files whose size and modification time (else content
//! hash) are unchanged and extract the rest in parallel, caching each one the moment it is
//! done (an interrupted run resumes where it stopped); check each project; write checklists
//! only for projects whose inputs changed; record what moved in the history; write the
//! summary. Every output is written to a temporary file and renamed, so a reader (or a
//! crash) never sees half a file.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::check::{
    CheckSettings, LabelSource, ProjectCheck, Status, SubmittedFile, Verdict, check_project,
    classify, label_of_text,
};
use crate::checklist::{CHECKLIST_SCHEMA, Checklist, FileRow, ProjectInfo, Tracking};
use crate::facts::{FACTS_VERSION, FileFacts, error_facts};
use crate::guide::Spec;
use crate::report::FileStatus;

pub const BATCH_SCHEMA: &str = "yanshou.batch.v1";

/// Errors that stop a run before it starts (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error("{0}")]
    Usage(String),
    #[error(
        "输出目录 {0} 正被另一个 yanshou 进程（PID {1}）使用；请等它结束，或确认它已退出后删除 {0}/.yanshou.lock"
    )]
    Locked(String, u32),
    #[error("{0}")]
    Io(String),
}

impl From<std::io::Error> for BatchError {
    fn from(e: std::io::Error) -> Self {
        BatchError::Io(e.to_string())
    }
}

/// `yanshou.toml`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub check: CheckSettings,
    pub overlap: OverlapSettings,
    pub ocr: OcrSettings,
}

/// `[ocr]`: where Tesseract is, when not on `PATH` (`YANSHOU_TESSERACT` overrides it).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OcrSettings {
    pub tesseract: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OverlapSettings {
    /// A project is `review` when one of its files shares more than this many 字 with a
    /// document of another project or the archive …
    pub review_chars: u64,
    /// … or more than this fraction of the file's text.
    pub review_ratio: f64,
    /// The shortest passage counted, in 字 without punctuation.
    pub min_chars: u32,
    /// The ratio rule applies only from this many shared 字: two 100-字 meeting notices
    /// built on one template share 80% and are not copying.
    pub ratio_floor_chars: u64,
}

impl Default for OverlapSettings {
    fn default() -> Self {
        OverlapSettings {
            review_chars: 500,
            review_ratio: 0.05,
            min_chars: 50,
            ratio_floor_chars: 200,
        }
    }
}

/// `projects/<id>/project.toml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectConfig {
    pub title: String,
    #[serde(default)]
    pub org: String,
    pub guideline: String,
    pub item: String,
    #[serde(default)]
    pub year: Option<i64>,
    /// Completion deadline, overriding the call's ("2022-12-31").
    #[serde(default)]
    pub deadline: Option<String>,
    /// "file name" = "label" overrides.
    #[serde(default)]
    pub files: BTreeMap<String, String>,
}

/// A row of `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectRow {
    pub id: String,
    pub title: String,
    pub org: String,
    pub guideline: String,
    pub item: String,
    pub item_title: String,
    pub verdict: Verdict,
    pub reason: String,
    pub requirements: Vec<RequirementRow>,
    pub overlaps: Vec<crate::checklist::OverlapRow>,
    pub tracking: Tracking,
    /// Files and their label, for the summary's key figures.
    pub files: u64,
    pub main_report_words: Option<u64>,
    pub verdict_since: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequirementRow {
    pub id: String,
    pub label: String,
    pub kind: crate::guide::Kind,
    pub status: Status,
    pub expected: String,
    pub actual: String,
    pub evidence: Vec<crate::check::Evidence>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorRow {
    pub path: String,
    pub error: String,
}

/// What changed since the previous run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub project: String,
    /// file_added, file_changed, file_removed, verdict_changed, project_added, project_removed
    pub event: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Summary {
    pub schema: String,
    pub generated_at: String,
    pub batch: String,
    pub projects: Vec<ProjectRow>,
    pub errors: Vec<ErrorRow>,
    pub changes: Vec<Change>,
    pub stats: RunStats,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RunStats {
    pub files: u64,
    pub extracted: u64,
    pub cached: u64,
    pub projects_rechecked: u64,
    pub projects_unchanged: u64,
}

/// The state kept between runs (`OUT_DIR/state.json`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct State {
    projects: BTreeMap<String, ProjectState>,
    /// Inputs of the last overlap stage, and its rows per project.
    #[serde(default)]
    overlap_key: String,
    #[serde(default)]
    overlaps: BTreeMap<String, Vec<crate::checklist::OverlapRow>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct ProjectState {
    fingerprint: String,
    verdict: Option<Verdict>,
    verdict_since: Option<String>,
    files: BTreeMap<String, FileState>,
    row: Option<ProjectRow>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct FileState {
    hash: String,
    first_seen: String,
    changed_at: String,
}

/// Stat cache (`OUT_DIR/cache/stat.json`): path → size, mtime, content hash.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct StatCache {
    files: HashMap<String, StatEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct StatEntry {
    size: u64,
    mtime_ns: u128,
    hash: String,
    /// The file's extraction error, if any (so an unchanged bad file is still reported
    /// without reading its facts).
    #[serde(default)]
    error: Option<String>,
}

/// Options of a run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The date the run counts deadlines from (YYYY-MM-DD); defaults to today (UTC).
    pub today: Option<String>,
    pub progress: bool,
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, then rename.
/// Readers never see half a file. Outputs that can be regenerated use this; the state
/// that a rerun relies on uses `write_durable`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_file(path, bytes, false)
}

/// Like `write_atomic`, and flushed to disk before the rename.
pub fn write_durable(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_file(path, bytes, true)
}

fn write_file(path: &Path, bytes: &[u8], sync: bool) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    // Unique per process and thread: checklists are written in parallel.
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let tmp = dir.join(format!(
        ".{}.tmp{}-{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("out"),
        std::process::id(),
        SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if sync {
            f.sync_all()?;
        }
    }
    std::fs::rename(&tmp, path)
}

/// Days since 1970-01-01 → (y, m, d), proleptic Gregorian (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// (y, m, d) → days since 1970-01-01.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 } as i64;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn parse_date(s: &str) -> Option<i64> {
    let mut it = s.trim().splitn(3, '-');
    let y = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let d = it.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

fn today_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (y, m, d) = civil(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

fn now_stamp() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (y, m, d) = civil(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// Phase timings on stderr when `YANSHOU_TIMING` is set (for BENCHMARKS.md).
struct Timer {
    on: bool,
    last: std::cell::Cell<std::time::Instant>,
}

impl Timer {
    fn new() -> Timer {
        Timer {
            on: std::env::var_os("YANSHOU_TIMING").is_some(),
            last: std::cell::Cell::new(std::time::Instant::now()),
        }
    }
    fn mark(&self, what: &str) {
        if self.on {
            let now = std::time::Instant::now();
            eprintln!(
                "[耗时] {what}: {:.1} ms",
                (now - self.last.get()).as_secs_f64() * 1e3
            );
            self.last.set(now);
        }
    }
}

/// The lock on an output folder, released when dropped.
pub struct Lock {
    path: PathBuf,
}

impl Lock {
    pub fn acquire(out: &Path) -> Result<Lock, BatchError> {
        std::fs::create_dir_all(out)?;
        let path = out.join(".yanshou.lock");
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    let _ = write!(f, "{}", std::process::id());
                    return Ok(Lock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let pid: Option<u32> = std::fs::read_to_string(&path)
                        .ok()
                        .and_then(|s| s.trim().parse().ok());
                    match pid {
                        Some(p) if process_alive(p) => {
                            return Err(BatchError::Locked(out.display().to_string(), p));
                        }
                        _ => {
                            // Left by a run that was killed: take it over.
                            eprintln!("提示：发现上次中断运行留下的锁文件，已接管");
                            let _ = std::fs::remove_file(&path);
                        }
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(BatchError::Io(format!("无法创建锁文件 {}", path.display())))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        // Elsewhere, assume a lock is held; the message says how to clear it.
        true
    }
}

/// The guideline files of a batch: stem → spec (a NAME.spec.json beside NAME overrides).
/// The guideline files of a batch, parsed (without a cache).
pub fn load_guidelines(batch: &Path) -> (BTreeMap<String, Spec>, Vec<ErrorRow>) {
    load_guidelines_cached(batch, None)
}

/// Parses a call, reusing `cache/specs/<key>.json` when the file, its path and the program
/// are unchanged.
fn parse_guideline(p: &Path, source: &str, cache: Option<&Path>) -> Result<Spec, String> {
    let bytes = crate::extract::read_file(p).map_err(|e| e.to_string())?;
    let key = {
        let mut h = blake3::Hasher::new();
        h.update(&bytes);
        h.update(source.as_bytes());
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.finalize().to_hex().to_string()
    };
    let cached = cache.map(|d| d.join(format!("{key}.json")));
    if let Some(c) = &cached
        && let Ok(b) = std::fs::read(c)
        && let Ok(spec) = serde_json::from_slice::<Spec>(&b)
    {
        return Ok(spec);
    }
    let doc = crate::extract::extract_bytes(bytes, &crate::extract::extension(p))
        .map_err(|e| e.to_string())?;
    let spec = crate::guide::parse_document(source, &doc);
    if let Some(c) = &cached
        && let Ok(json) = serde_json::to_vec(&spec)
    {
        let _ = write_atomic(c, &json);
    }
    Ok(spec)
}

fn load_guidelines_cached(
    batch: &Path,
    cache: Option<&Path>,
) -> (BTreeMap<String, Spec>, Vec<ErrorRow>) {
    let dir = batch.join("guidelines");
    let mut specs = BTreeMap::new();
    let mut errors = Vec::new();
    let Ok(rd) = std::fs::read_dir(&dir) else {
        return (specs, errors);
    };
    let mut paths: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in &paths {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if let Some(stem) = name.strip_suffix(".spec.json") {
            match std::fs::read_to_string(p)
                .map_err(|e| e.to_string())
                .and_then(|s| serde_json::from_str::<Spec>(&s).map_err(|e| e.to_string()))
            {
                Ok(s) => {
                    specs.insert(stem.to_string(), s);
                }
                Err(e) => errors.push(ErrorRow {
                    path: rel(batch, p),
                    error: format!("手工要求文件无法读取：{e}"),
                }),
            }
        }
    }
    for p in &paths {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.ends_with(".spec.json") || !crate::extract::is_candidate(p) {
            continue;
        }
        let stem = p
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        if specs.contains_key(&stem) {
            continue;
        }
        match parse_guideline(p, &p.display().to_string(), cache) {
            Ok(s) => {
                specs.insert(stem, s);
            }
            Err(e) => errors.push(ErrorRow {
                path: rel(batch, p),
                error: e,
            }),
        }
    }
    (specs, errors)
}

fn rel(base: &Path, p: &Path) -> String {
    p.strip_prefix(base)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// A submitted file as found on disk: path, size, modification time (ns).
#[derive(Debug, Clone)]
struct Found {
    path: PathBuf,
    size: u64,
    mtime_ns: u128,
}

/// Files submitted in a project folder, sorted; project.toml and hidden files are not
/// deliverables. One `stat` per file: its size and time decide whether it is read again.
fn project_files(dir: &Path) -> Vec<Found> {
    fn walk(d: &Path, out: &mut Vec<Found>) {
        let Ok(rd) = std::fs::read_dir(d) else { return };
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if name.starts_with('.') || name.starts_with("~$") {
                continue;
            }
            let Ok(ft) = e.file_type() else { continue };
            let p = e.path();
            if ft.is_dir() {
                walk(&p, out);
            } else if name != "project.toml" {
                let meta = std::fs::metadata(&p).ok();
                out.push(Found {
                    path: p,
                    size: meta.as_ref().map_or(0, |m| m.len()),
                    mtime_ns: meta
                        .and_then(|m| m.modified().ok())
                        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                        .map_or(0, |d| d.as_nanos()),
                });
            }
        }
    }
    let mut v = Vec::new();
    walk(dir, &mut v);
    v.sort_by(|a, b| a.path.cmp(&b.path));
    v
}

fn load_settings(batch: &Path) -> Result<Settings, BatchError> {
    let p = batch.join("yanshou.toml");
    if !p.exists() {
        return Ok(Settings::default());
    }
    let s = std::fs::read_to_string(&p)?;
    let settings: Settings =
        toml::from_str(&s).map_err(|e| BatchError::Usage(format!("yanshou.toml 有误：{e}")))?;
    let t = settings.check.approx_tolerance;
    if !(0.0..1.0).contains(&t) {
        return Err(BatchError::Usage(format!(
            "yanshou.toml 有误：approx_tolerance 应在 0 与 1 之间（如 0.2 表示 ±20%），现为 {t}"
        )));
    }
    let m = settings.check.ocr_margin;
    if !(0.0..1.0).contains(&m) {
        return Err(BatchError::Usage(format!(
            "yanshou.toml 有误：ocr_margin 应在 0 与 1 之间（如 0.1 表示 10%），现为 {m}"
        )));
    }
    if let Some(t) = &settings.ocr.tesseract {
        crate::extract::ocr::configure(t.clone());
    }
    Ok(settings)
}

fn hash_hex(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// One project, read from its folder.
struct ProjectInput {
    id: String,
    config: Result<ProjectConfig, String>,
    /// The file on disk and its path relative to the project.
    files: Vec<(Found, String)>,
}

fn load_projects(batch: &Path) -> Vec<ProjectInput> {
    let dir = batch.join("projects");
    let Ok(rd) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = rd
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    dirs.sort();
    dirs.into_par_iter()
        .map(|d| {
            let id = d.file_name().unwrap().to_string_lossy().to_string();
            let toml_path = d.join("project.toml");
            let config = match std::fs::read_to_string(&toml_path) {
                Err(_) => Err("缺少 project.toml（需写明 title、guideline、item）".to_string()),
                Ok(s) => toml::from_str::<ProjectConfig>(&s)
                    .map_err(|e| format!("project.toml 有误：{e}")),
            };
            let files = project_files(&d)
                .into_iter()
                .map(|f| {
                    let r = rel(&d, &f.path);
                    (f, r)
                })
                .collect();
            ProjectInput { id, config, files }
        })
        .collect()
}

/// What phase 1 of a run knows about one file.
struct Seen {
    /// Content hash; empty when the file could not be read at all.
    hash: String,
    size: u64,
    mtime_ns: u128,
    error: Option<String>,
    extracted: bool,
}

fn facts_path(cache_dir: &Path, hash: &str) -> PathBuf {
    cache_dir.join(format!("{hash}.json"))
}

/// Overlap fingerprints live beside the facts: `cache/fp/<hash>.fp`.
fn fp_path(facts_dir: &Path, hash: &str) -> PathBuf {
    facts_dir
        .parent()
        .unwrap_or(facts_dir)
        .join("fp")
        .join(format!("{hash}.fp"))
}

/// Facts of a file whose scanned pages went unread for want of an OCR engine are kept apart
/// (`<hash>.noocr.json`) and count as cached only while there is still no engine: once
/// Tesseract is installed, the next run reads those files again.
fn noocr_path(cache_dir: &Path, hash: &str) -> PathBuf {
    cache_dir.join(format!("{hash}.noocr.json"))
}

fn ocr_absent() -> bool {
    crate::extract::ocr::engine().is_err()
}

fn load_facts(cache_dir: &Path, hash: &str) -> Option<FileFacts> {
    let s = std::fs::read(facts_path(cache_dir, hash))
        .ok()
        .or_else(|| {
            ocr_absent()
                .then(|| std::fs::read(noocr_path(cache_dir, hash)).ok())
                .flatten()
        })?;
    let f: FileFacts = serde_json::from_slice(&s).ok()?;
    (f.version == FACTS_VERSION).then_some(f)
}

/// Makes sure the facts of a file are in the cache, reading the file only when its size or
/// modification time changed (then its content hash decides) or its facts are missing.
fn ensure_facts(
    found: &Found,
    key: &str,
    stat: &StatCache,
    cache_dir: &Path,
    cached: &HashSet<String>,
) -> Seen {
    let (path, size, mtime_ns) = (found.path.as_path(), found.size, found.mtime_ns);
    if let Some(e) = stat.files.get(key)
        && e.size == size
        && e.mtime_ns == mtime_ns
        && cached.contains(&e.hash)
    {
        return Seen {
            hash: e.hash.clone(),
            size,
            mtime_ns,
            error: e.error.clone(),
            extracted: false,
        };
    }
    let bytes = match crate::extract::read_file(path) {
        Ok(b) => b,
        Err(e) => {
            return Seen {
                hash: String::new(),
                size,
                mtime_ns,
                error: Some(e.to_string()),
                extracted: false,
            };
        }
    };
    let hash = hash_hex(&bytes);
    if let Some(f) = load_facts(cache_dir, &hash) {
        return Seen {
            hash,
            size,
            mtime_ns,
            error: f.error.filter(|_| f.status == FileStatus::Error),
            extracted: false,
        };
    }
    let (facts, fp) = crate::facts::analyse_bytes_fp(bytes, &crate::extract::extension(path));
    if let Some(fp) = fp {
        // Fingerprints first: facts on disk mean both are there.
        let _ = write_atomic(&fp_path(cache_dir, &hash), &fp.to_bytes());
    }
    if let Ok(json) = serde_json::to_vec(&facts) {
        // Cached at once, so an interrupted run keeps what it has done.
        let path = if facts.ocr_missing {
            noocr_path(cache_dir, &hash)
        } else {
            facts_path(cache_dir, &hash)
        };
        let _ = write_atomic(&path, &json);
    }
    Seen {
        hash,
        size,
        mtime_ns,
        error: facts.error.filter(|_| facts.status == FileStatus::Error),
        extracted: true,
    }
}

/// Builds the checklist of one project from its files' facts.
#[allow(clippy::too_many_arguments)]
fn build_checklist(
    id: &str,
    cfg: &ProjectConfig,
    spec: &Spec,
    item: &crate::guide::Item,
    files: &[SubmittedFile],
    first_seen: &BTreeMap<String, String>,
    settings: &Settings,
    today: &str,
    generated_at: &str,
) -> (Checklist, ProjectCheck) {
    let deadline = cfg.deadline.clone().or_else(|| item.deadline.clone());
    let pc = check_project(item, files, deadline.as_deref(), &settings.check);
    let outstanding: Vec<String> = pc
        .requirements
        .iter()
        .filter(|r| matches!(r.status, Status::Fail | Status::Missing))
        .map(|r| r.label.clone())
        .collect();
    let days_overdue = match (deadline.as_deref().and_then(parse_date), parse_date(today)) {
        (Some(d), Some(t)) if t > d && !outstanding.is_empty() => t - d,
        _ => 0,
    };
    let reason = reason_of(&pc);
    let checklist = Checklist {
        schema: CHECKLIST_SCHEMA.into(),
        generated_at: generated_at.into(),
        project: ProjectInfo {
            id: id.into(),
            title: cfg.title.clone(),
            org: cfg.org.clone(),
            guideline: cfg.guideline.clone(),
            guideline_title: spec.title.clone(),
            item: item.id.clone(),
            item_title: item.title.clone(),
            year: cfg.year,
        },
        verdict: pc.verdict,
        reason,
        requirements: pc.requirements.clone(),
        files: files
            .iter()
            .map(|f| FileRow {
                path: f.path.clone(),
                label: f.label.map(str::to_string),
                label_source: f.label_source.label_zh().into(),
                status: match f.facts.status {
                    FileStatus::Ok => "ok",
                    FileStatus::Error => "error",
                    FileStatus::NoText => "no_text",
                }
                .into(),
                words: f.facts.counts.map(|c| c.words),
                body_words: f.facts.body_counts.map(|c| c.words),
                error: f.facts.error.clone(),
                first_seen: first_seen.get(&f.path).cloned(),
            })
            .collect(),
        unmatched: pc.unmatched.iter().map(|(p, _)| p.clone()).collect(),
        tracking: Tracking {
            deadline,
            days_overdue,
            outstanding,
        },
        overlaps: Vec::new(),
    };
    (checklist, pc)
}

/// One line on why the verdict is what it is.
fn reason_of(pc: &ProjectCheck) -> String {
    let part = |st: Status| -> Vec<String> {
        pc.requirements
            .iter()
            .filter(|r| r.status == st)
            .map(|r| format!("{}（{}）", r.label, r.actual))
            .collect()
    };
    let fail = part(Status::Fail);
    let missing = part(Status::Missing);
    let review = part(Status::Review);
    let mut v = Vec::new();
    if !missing.is_empty() {
        v.push(format!("缺失{}项：{}", missing.len(), missing.join("；")));
    }
    if !fail.is_empty() {
        v.push(format!("不通过{}项：{}", fail.len(), fail.join("；")));
    }
    if !review.is_empty() {
        v.push(format!("需复核{}项：{}", review.len(), review.join("；")));
    }
    if v.is_empty() {
        format!("全部{}项要求均已满足", pc.requirements.len())
    } else {
        v.join("。")
    }
}

fn row_of(c: &Checklist, verdict_since: Option<String>) -> ProjectRow {
    let main_report_words = c
        .requirements
        .iter()
        .find(|r| r.kind == crate::guide::Kind::Report && r.expected.contains('字'))
        .and_then(|r| {
            r.evidence.first().and_then(|e| {
                c.files
                    .iter()
                    .find(|f| f.path == e.path)
                    .and_then(|f| f.body_words)
            })
        });
    ProjectRow {
        id: c.project.id.clone(),
        title: c.project.title.clone(),
        org: c.project.org.clone(),
        guideline: c.project.guideline.clone(),
        item: c.project.item.clone(),
        item_title: c.project.item_title.clone(),
        verdict: c.verdict,
        reason: c.reason.clone(),
        requirements: c
            .requirements
            .iter()
            .map(|r| RequirementRow {
                id: r.id.clone(),
                label: r.label.clone(),
                kind: r.kind,
                status: r.status,
                expected: r.expected.clone(),
                actual: r.actual.clone(),
                evidence: r.evidence.clone(),
            })
            .collect(),
        overlaps: c.overlaps.clone(),
        tracking: c.tracking.clone(),
        files: c.files.len() as u64,
        main_report_words,
        verdict_since,
    }
}

fn submitted(cfg: &ProjectConfig, files: Vec<(String, FileFacts)>) -> Vec<SubmittedFile> {
    crate::facts::expand_members(files)
        .into_iter()
        .map(|(path, facts)| {
            let name = path.rsplit('/').next().unwrap_or(&path).to_string();
            let over = cfg.files.get(&path).or_else(|| cfg.files.get(&name));
            let (label, src) = match over.map(|l| label_of_text(l)) {
                Some(Some(l)) => (Some(l), LabelSource::Config),
                _ => classify(&path, &facts),
            };
            SubmittedFile {
                path,
                facts,
                label,
                label_source: src,
            }
        })
        .collect()
}

/// Runs the checks of one project folder inside a batch layout (no cache, no outputs).
pub fn check_one(project_dir: &Path, today: Option<&str>) -> Result<Checklist, BatchError> {
    let dir = project_dir
        .canonicalize()
        .map_err(|e| BatchError::Usage(format!("{}：{e}", project_dir.display())))?;
    let batch = dir
        .parent()
        .and_then(|p| p.parent())
        .filter(|b| b.join("projects").is_dir())
        .ok_or_else(|| {
            BatchError::Usage(format!(
                "{} 不在批次目录的 projects/ 下（需要 BATCH_DIR/projects/<编号>/ 结构，指南放在 BATCH_DIR/guidelines/）",
                project_dir.display()
            ))
        })?;
    let settings = load_settings(batch)?;
    let (specs, _) = load_guidelines(batch);
    let id = dir.file_name().unwrap().to_string_lossy().to_string();
    let cfg: ProjectConfig = toml::from_str(
        &std::fs::read_to_string(dir.join("project.toml"))
            .map_err(|_| BatchError::Usage("缺少 project.toml".into()))?,
    )
    .map_err(|e| BatchError::Usage(format!("project.toml 有误：{e}")))?;
    let spec = specs.get(&cfg.guideline).ok_or_else(|| {
        BatchError::Usage(format!(
            "project.toml 指定的指南“{}”不在 guidelines/ 中（现有：{}）",
            cfg.guideline,
            specs.keys().cloned().collect::<Vec<_>>().join("、")
        ))
    })?;
    let item = spec
        .find_item(&cfg.item)
        .map_err(|e| BatchError::Usage(e.to_string()))?;
    let files: Vec<(String, FileFacts)> = project_files(&dir)
        .par_iter()
        .map(|f| (rel(&dir, &f.path), crate::facts::analyse_path(&f.path)))
        .collect();
    let files = submitted(&cfg, files);
    let today = today.map(str::to_string).unwrap_or_else(today_utc);
    let (c, _) = build_checklist(
        &id,
        &cfg,
        spec,
        item,
        &files,
        &BTreeMap::new(),
        &settings,
        &today,
        &now_stamp(),
    );
    Ok(c)
}

/// Runs the batch. Returns the summary (also written to `out`).
pub fn run(batch: &Path, out: &Path, opts: &RunOptions) -> Result<Summary, BatchError> {
    if !batch.is_dir() {
        return Err(BatchError::Usage(format!(
            "批次目录不存在：{}",
            batch.display()
        )));
    }
    if !batch.join("projects").is_dir() {
        return Err(BatchError::Usage(format!(
            "{} 下没有 projects/ 目录（批次结构：guidelines/、projects/<编号>/project.toml）",
            batch.display()
        )));
    }
    let _lock = Lock::acquire(out)?;
    let timer = Timer::new();
    let today = opts.today.clone().unwrap_or_else(today_utc);
    let generated_at = now_stamp();
    let settings = load_settings(batch)?;
    let (specs, mut errors) = load_guidelines_cached(batch, Some(&out.join("cache").join("specs")));
    let projects = load_projects(batch);
    timer.mark("读取指南与项目");
    let cache_dir = out.join("cache").join("facts");
    std::fs::create_dir_all(&cache_dir)?;
    let stat_path = out.join("cache").join("stat.json");
    // The hashes whose facts are cached, from one directory listing instead of a stat each.
    let mut no_ocr: Option<bool> = None;
    let cached: HashSet<String> = std::fs::read_dir(&cache_dir)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| {
                    let name = e.file_name().to_str()?.strip_suffix(".json")?.to_string();
                    match name.strip_suffix(".noocr") {
                        Some(h) => (*no_ocr.get_or_insert_with(ocr_absent)).then(|| h.to_string()),
                        None => Some(name),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let stat: StatCache = std::fs::read(&stat_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    timer.mark("读取缓存索引");
    let state_path = out.join("state.json");
    let prev: State = std::fs::read(&state_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();

    // Every file of every project, analysed in parallel (cache first).
    // Project files are keyed "<id>/<path>", archive files "archive/<path>" (index usize::MAX).
    let archive_dir = batch.join("archive");
    let mut jobs: Vec<(usize, Found, String)> = projects
        .iter()
        .enumerate()
        .flat_map(|(i, p)| {
            p.files
                .iter()
                .map(move |(abs, r)| (i, abs.clone(), format!("{}/{}", p.id, r)))
        })
        .collect();
    if archive_dir.is_dir() {
        for f in project_files(&archive_dir) {
            let key = format!("archive/{}", rel(&archive_dir, &f.path));
            jobs.push((usize::MAX, f, key));
        }
    }
    let bar = if opts.progress {
        let b = indicatif::ProgressBar::with_draw_target(
            Some(jobs.len() as u64),
            indicatif::ProgressDrawTarget::stderr(),
        );
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} 读取文件 [{bar:30}] {pos}/{len} {wide_msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    let seen: Vec<Seen> = jobs
        .par_iter()
        .map(|(_, found, key)| {
            let r = ensure_facts(found, key, &stat, &cache_dir, &cached);
            bar.inc(1);
            if r.extracted {
                bar.set_message(key.clone());
            }
            r
        })
        .collect();
    bar.finish_and_clear();
    timer.mark("读取文件");

    let mut stats = RunStats {
        files: seen.len() as u64,
        ..Default::default()
    };
    let mut new_stat = StatCache::default();
    // Per project: (relative path, hash, error).
    let mut per_project: Vec<Vec<(String, String, Option<String>)>> =
        vec![Vec::new(); projects.len()];
    let mut archive_docs: Vec<(String, String, Option<String>)> = Vec::new();
    for ((i, _, key), r) in jobs.iter().zip(seen) {
        if r.extracted {
            stats.extracted += 1;
        } else {
            stats.cached += 1;
        }
        if !r.hash.is_empty() {
            new_stat.files.insert(
                key.clone(),
                StatEntry {
                    size: r.size,
                    mtime_ns: r.mtime_ns,
                    hash: r.hash.clone(),
                    error: r.error.clone(),
                },
            );
        }
        if *i == usize::MAX {
            if let Some(e) = &r.error {
                errors.push(ErrorRow {
                    path: key.clone(),
                    error: e.clone(),
                });
            }
            archive_docs.push((key.clone(), r.hash, r.error));
            continue;
        }
        if let Some(e) = &r.error {
            errors.push(ErrorRow {
                path: format!("projects/{key}"),
                error: e.clone(),
            });
        }
        let relp = key[projects[*i].id.len() + 1..].to_string();
        per_project[*i].push((relp, r.hash, r.error));
    }
    // Stat cache first: a crash after this point still finds every extraction.
    if new_stat != stat {
        write_durable(
            &stat_path,
            &serde_json::to_vec(&new_stat).unwrap_or_default(),
        )?;
    }

    timer.mark("写缓存索引");
    let (overlap_key, overlap_rows) = overlap_stage(
        batch,
        out,
        &cache_dir,
        &projects,
        &per_project,
        &archive_docs,
        &settings,
        &prev,
    )?;
    timer.mark("重复检测");
    index_stage(out, batch, &projects, &per_project, &archive_docs);
    timer.mark("全文索引");

    let mut changes: Vec<Change> = Vec::new();
    let checklists_dir = out.join("checklists");
    std::fs::create_dir_all(&checklists_dir)?;
    let present: HashSet<String> = std::fs::read_dir(&checklists_dir)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let settings_json = serde_json::to_string(&settings).unwrap_or_default();

    /// A project ready to be checked (or reused).
    struct Work<'a> {
        id: String,
        cfg: &'a ProjectConfig,
        spec: &'a Spec,
        item: &'a crate::guide::Item,
        files: Vec<(String, String, Option<String>)>,
        fstates: BTreeMap<String, FileState>,
        fingerprint: String,
        reuse: Option<ProjectRow>,
    }
    let mut work: Vec<Work> = Vec::new();
    let mut ocr_missing: Option<bool> = None;
    let mut item_keys: HashMap<(String, String), String> = HashMap::new();
    for (i, p) in projects.iter().enumerate() {
        let files = std::mem::take(&mut per_project[i]);
        let prev_p = prev.projects.get(&p.id);
        let cfg = match &p.config {
            Ok(c) => c,
            Err(e) => {
                errors.push(ErrorRow {
                    path: format!("projects/{}/project.toml", p.id),
                    error: e.clone(),
                });
                continue;
            }
        };
        let Some(spec) = specs.get(&cfg.guideline) else {
            errors.push(ErrorRow {
                path: format!("projects/{}/project.toml", p.id),
                error: format!(
                    "指定的指南“{}”不在 guidelines/ 中（现有：{}）",
                    cfg.guideline,
                    specs.keys().cloned().collect::<Vec<_>>().join("、")
                ),
            });
            continue;
        };
        let item = match spec.find_item(&cfg.item) {
            Ok(it) => it,
            Err(e) => {
                errors.push(ErrorRow {
                    path: format!("projects/{}/project.toml", p.id),
                    error: e.to_string(),
                });
                continue;
            }
        };
        // File history: when each file first arrived and last changed.
        let mut fstates: BTreeMap<String, FileState> = BTreeMap::new();
        for (path, hash, _) in &files {
            let old = prev_p.and_then(|s| s.files.get(path));
            let fs = match old {
                Some(o) if &o.hash == hash => o.clone(),
                Some(o) => {
                    changes.push(Change {
                        project: p.id.clone(),
                        event: "file_changed".into(),
                        path: Some(path.clone()),
                        from: None,
                        to: None,
                    });
                    FileState {
                        hash: hash.clone(),
                        first_seen: o.first_seen.clone(),
                        changed_at: today.clone(),
                    }
                }
                None => {
                    if prev_p.is_some() {
                        changes.push(Change {
                            project: p.id.clone(),
                            event: "file_added".into(),
                            path: Some(path.clone()),
                            from: None,
                            to: None,
                        });
                    }
                    FileState {
                        hash: hash.clone(),
                        first_seen: today.clone(),
                        changed_at: today.clone(),
                    }
                }
            };
            fstates.insert(path.clone(), fs);
        }
        if let Some(ps) = prev_p {
            for old in ps.files.keys() {
                if !fstates.contains_key(old) {
                    changes.push(Change {
                        project: p.id.clone(),
                        event: "file_removed".into(),
                        path: Some(old.clone()),
                        from: None,
                        to: None,
                    });
                }
            }
        } else if !prev.projects.is_empty() {
            changes.push(Change {
                project: p.id.clone(),
                event: "project_added".into(),
                path: None,
                from: None,
                to: None,
            });
        }
        // Inputs of this project's checklist: unchanged inputs and outputs present → reuse.
        let fingerprint = {
            let mut h = blake3::Hasher::new();
            let item_key = item_keys
                .entry((cfg.guideline.clone(), item.id.clone()))
                .or_insert_with(|| {
                    let mut ih = blake3::Hasher::new();
                    ih.update(serde_json::to_string(item).unwrap_or_default().as_bytes());
                    ih.update(spec.title.as_bytes());
                    ih.finalize().to_hex().to_string()
                });
            h.update(item_key.as_bytes());
            h.update(serde_json::to_string(cfg).unwrap_or_default().as_bytes());
            h.update(settings_json.as_bytes());
            h.update(today.as_bytes());
            h.update(&FACTS_VERSION.to_le_bytes());
            h.update(env!("CARGO_PKG_VERSION").as_bytes());
            // A scan cached without OCR is read again once OCR is installed: recheck then.
            h.update(&[u8::from(*ocr_missing.get_or_insert_with(ocr_absent))]);
            for (path, hash, err) in &files {
                h.update(path.as_bytes());
                h.update(hash.as_bytes());
                h.update(err.as_deref().unwrap_or("").as_bytes());
            }
            if let Some(o) = overlap_rows.get(&p.id) {
                h.update(serde_json::to_string(o).unwrap_or_default().as_bytes());
            }
            h.finalize().to_hex().to_string()
        };
        let reuse = prev_p
            .filter(|s| s.fingerprint == fingerprint)
            .filter(|_| {
                ["json", "md", "html", "docx"]
                    .iter()
                    .all(|e| present.contains(&format!("{}.{e}", p.id)))
            })
            .and_then(|s| s.row.clone());
        work.push(Work {
            id: p.id.clone(),
            cfg,
            spec,
            item,
            files,
            fstates,
            fingerprint,
            reuse,
        });
    }

    timer.mark("比对变化");
    // Check and write the projects whose inputs changed, in parallel.
    let checked: Vec<Result<ProjectRow, BatchError>> = work
        .par_iter()
        .map(|w| {
            if let Some(row) = &w.reuse {
                return Ok(row.clone());
            }
            let files: Vec<(String, FileFacts)> = w
                .files
                .iter()
                .map(|(path, hash, err)| {
                    let f = (!hash.is_empty())
                        .then(|| load_facts(&cache_dir, hash))
                        .flatten()
                        .unwrap_or_else(|| {
                            error_facts(&crate::extract::ExtractError::Io(
                                err.clone().unwrap_or_else(|| "无法读取".into()),
                            ))
                        });
                    (path.clone(), f)
                })
                .collect();
            let first_seen: BTreeMap<String, String> = w
                .fstates
                .iter()
                .map(|(k, v)| (k.clone(), v.first_seen.clone()))
                .collect();
            let subs = submitted(w.cfg, files);
            let (mut cl, _) = build_checklist(
                &w.id,
                w.cfg,
                w.spec,
                w.item,
                &subs,
                &first_seen,
                &settings,
                &today,
                &generated_at,
            );
            add_overlaps(
                &mut cl,
                overlap_rows.get(&w.id).cloned().unwrap_or_default(),
                &settings.overlap,
            );
            write_checklist(&checklists_dir, &w.id, &cl)?;
            let since = match prev.projects.get(&w.id) {
                Some(s) if s.verdict == Some(cl.verdict) => s.verdict_since.clone(),
                _ => Some(today.clone()),
            };
            Ok(row_of(&cl, since))
        })
        .collect();

    let mut state = State {
        overlap_key: overlap_key.clone(),
        overlaps: overlap_rows.clone(),
        ..State::default()
    };
    let mut rows: Vec<ProjectRow> = Vec::new();
    for (w, row) in work.into_iter().zip(checked) {
        let row = row?;
        if w.reuse.is_some() {
            stats.projects_unchanged += 1;
        } else {
            stats.projects_rechecked += 1;
        }
        if let Some(ps) = prev.projects.get(&w.id)
            && let Some(old) = ps.verdict
            && old != row.verdict
        {
            changes.push(Change {
                project: w.id.clone(),
                event: "verdict_changed".into(),
                path: None,
                from: Some(verdict_str(old).into()),
                to: Some(verdict_str(row.verdict).into()),
            });
        }
        state.projects.insert(
            w.id.clone(),
            ProjectState {
                fingerprint: w.fingerprint,
                verdict: Some(row.verdict),
                verdict_since: row.verdict_since.clone(),
                files: w.fstates,
                row: Some(row.clone()),
            },
        );
        rows.push(row);
    }
    for old in prev.projects.keys() {
        if !projects.iter().any(|p| &p.id == old) {
            changes.push(Change {
                project: old.clone(),
                event: "project_removed".into(),
                path: None,
                from: None,
                to: None,
            });
        }
    }

    timer.mark("核对并写清单");
    // An unchanged run leaves the state as it was (the same bytes would be written).
    let unchanged = changes.is_empty()
        && stats.projects_rechecked == 0
        && state.projects.len() == prev.projects.len()
        && overlap_key == prev.overlap_key;
    if !unchanged {
        write_durable(&state_path, &serde_json::to_vec(&state).unwrap_or_default())?;
    }
    timer.mark("写状态");
    if !changes.is_empty() || prev.projects.is_empty() {
        append_history(
            out,
            &generated_at,
            &changes,
            prev.projects.is_empty(),
            &rows,
        )?;
    }
    let summary = Summary {
        schema: BATCH_SCHEMA.into(),
        generated_at,
        batch: batch.display().to_string(),
        projects: rows,
        errors,
        changes,
        stats,
    };
    write_summary(out, &summary)?;
    timer.mark("写汇总");
    Ok(summary)
}

fn verdict_str(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "pass",
        Verdict::Fail => "fail",
        Verdict::Review => "review",
    }
}

fn append_history(
    out: &Path,
    at: &str,
    changes: &[Change],
    first: bool,
    rows: &[ProjectRow],
) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(out.join("history.jsonl"))?;
    let entry = if first {
        serde_json::json!({"at": at, "event": "first_run",
            "verdicts": rows.iter().map(|r| (r.id.clone(), verdict_str(r.verdict))).collect::<BTreeMap<_,_>>()})
    } else {
        serde_json::json!({"at": at, "changes": changes})
    };
    writeln!(f, "{entry}")?;
    f.sync_all()
}

/// Keeps `OUT_DIR/index/` (full-text search of projects and archive) up to date; only new or
/// changed files are read. A failure here is reported and does not stop the run.
fn index_stage(
    out: &Path,
    batch: &Path,
    projects: &[ProjectInput],
    per_project: &[Vec<(String, String, Option<String>)>],
    archive: &[(String, String, Option<String>)],
) {
    use crate::search::{DocMeta, ToIndex, update};
    let mut docs: Vec<ToIndex> = Vec::new();
    for (i, p) in projects.iter().enumerate() {
        let cfg = p.config.as_ref().ok();
        for (path, hash, err) in &per_project[i] {
            if err.is_some() || hash.is_empty() {
                continue;
            }
            let abs = batch.join("projects").join(&p.id).join(path);
            let name = path.rsplit('/').next().unwrap_or(path);
            docs.push(ToIndex {
                path: format!("projects/{}/{path}", p.id),
                hash: hash.clone(),
                meta: DocMeta {
                    project: Some(p.id.clone()),
                    org: cfg.map(|c| c.org.clone()).filter(|o| !o.is_empty()),
                    item: cfg.map(|c| c.item.clone()),
                    label: label_of_text(name.rsplit_once('.').map_or(name, |x| x.0))
                        .map(str::to_string),
                    year: cfg.and_then(|c| c.year).and_then(|y| u64::try_from(y).ok()),
                    title: None,
                },
                text: Box::new(move || crate::extract::extract_path(&abs).ok().map(|d| d.text)),
            });
        }
    }
    for (key, hash, err) in archive {
        if err.is_some() || hash.is_empty() {
            continue;
        }
        let abs = batch.join(key);
        docs.push(ToIndex {
            path: key.clone(),
            hash: hash.clone(),
            meta: DocMeta::default(),
            text: Box::new(move || crate::extract::extract_path(&abs).ok().map(|d| d.text)),
        });
    }
    if let Err(e) = update(&out.join("index"), &docs) {
        eprintln!("提示：全文索引未能更新（验收结果不受影响）：{e}");
    }
}

/// Is a shared stretch large enough to send a project to review?
fn flag(chars: u64, ratio: f64, s: &OverlapSettings) -> bool {
    chars > s.review_chars || (ratio > s.review_ratio && chars >= s.ratio_floor_chars)
}

/// Puts a project's overlap rows into its checklist; rows over the thresholds add a
/// "文字重复" requirement for review, which makes a passing project `review`.
fn add_overlaps(c: &mut Checklist, rows: Vec<crate::checklist::OverlapRow>, s: &OverlapSettings) {
    let flagged: Vec<&crate::checklist::OverlapRow> =
        rows.iter().filter(|o| flag(o.chars, o.ratio, s)).collect();
    if !flagged.is_empty() {
        let worst = flagged
            .iter()
            .max_by(|a, b| a.ratio.total_cmp(&b.ratio))
            .unwrap();
        c.requirements.push(crate::check::RequirementResult {
            id: format!("{}/重复", c.project.item),
            label: "文字重复".into(),
            kind: crate::guide::Kind::Qualitative,
            status: Status::Review,
            expected: format!(
                "与其他项目或往年材料重复不超过{}字且不超过{:.0}%",
                s.review_chars,
                s.review_ratio * 100.0
            ),
            actual: format!(
                "{}处疑似重复，最高{:.1}%（{}字，与 {}）",
                flagged.len(),
                worst.ratio * 100.0,
                worst.chars,
                worst.other
            ),
            quote: String::new(),
            evidence: flagged
                .iter()
                .map(|o| crate::check::Evidence {
                    path: o.path.clone(),
                    detail: format!(
                        "与 {}{} 重复 {} 字，占本文件 {:.1}%（详见 overlap.html）",
                        o.other,
                        o.other_project
                            .as_ref()
                            .map_or(String::new(), |p| format!("（项目 {p}）")),
                        o.chars,
                        o.ratio * 100.0
                    ),
                })
                .collect(),
        });
        c.verdict = crate::check::verdict_of(&c.requirements);
        let pc = ProjectCheck {
            requirements: c.requirements.clone(),
            verdict: c.verdict,
            unmatched: Vec::new(),
        };
        c.reason = reason_of(&pc);
    }
    c.overlaps = rows;
}

/// The overlap stage of a run: every project file against the files of other projects and
/// the archive, the calls' own text excluded. Reused as is when none of its inputs changed.
#[allow(clippy::too_many_arguments)]
fn overlap_stage(
    batch: &Path,
    out: &Path,
    facts_dir: &Path,
    projects: &[ProjectInput],
    per_project: &[Vec<(String, String, Option<String>)>],
    archive: &[(String, String, Option<String>)],
    settings: &Settings,
    prev: &State,
) -> Result<(String, BTreeMap<String, Vec<crate::checklist::OverlapRow>>), BatchError> {
    use crate::overlap::report::{Input, build_with, to_html};
    // The calls: their text is excluded from matching.
    let mut call_files: Vec<PathBuf> = std::fs::read_dir(batch.join("guidelines"))
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| crate::extract::is_candidate(p))
                .collect()
        })
        .unwrap_or_default();
    call_files.sort();
    // (display path, project, hash)
    let mut docs: Vec<(String, Option<String>, String)> = Vec::new();
    for (i, p) in projects.iter().enumerate() {
        for (path, hash, err) in &per_project[i] {
            if err.is_none() && !hash.is_empty() {
                docs.push((
                    format!("projects/{}/{path}", p.id),
                    Some(p.id.clone()),
                    hash.clone(),
                ));
            }
        }
    }
    for (key, hash, err) in archive {
        if err.is_none() && !hash.is_empty() {
            docs.push((key.clone(), None, hash.clone()));
        }
    }
    let key = {
        let mut h = blake3::Hasher::new();
        h.update(
            serde_json::to_string(&settings.overlap)
                .unwrap_or_default()
                .as_bytes(),
        );
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        for c in &call_files {
            h.update(&crate::extract::read_file(c).unwrap_or_default());
        }
        for (p, _, hash) in &docs {
            h.update(p.as_bytes());
            h.update(hash.as_bytes());
        }
        h.finalize().to_hex().to_string()
    };
    if key == prev.overlap_key && out.join("overlap.json").exists() {
        return Ok((key, prev.overlaps.clone()));
    }
    let mut call_hashes = std::collections::HashSet::new();
    for c in &call_files {
        if let Ok(d) = crate::extract::extract_path(c) {
            call_hashes.extend(crate::overlap::all_hashes(&d.text));
        }
    }
    let fps: Vec<Option<crate::overlap::Fingerprints>> = docs
        .par_iter()
        .map(|(_, _, hash)| {
            let b = std::fs::read(fp_path(facts_dir, hash)).ok()?;
            let mut f = crate::overlap::Fingerprints::from_bytes(&b)?;
            crate::overlap::exclude(&mut f, &call_hashes);
            Some(f)
        })
        .collect();
    let inputs: Vec<Input> = docs
        .iter()
        .zip(&fps)
        .filter_map(|((path, project, _), f)| {
            f.as_ref().map(|fp| Input {
                path: path.clone(),
                project: project.clone(),
                fp,
                text: None,
            })
        })
        .collect();
    // Texts are read back only for documents that share passages, to refine them.
    let load = |i: usize| {
        crate::extract::extract_path(&batch.join(&inputs[i].path))
            .ok()
            .map(|d| crate::overlap::Text::new(&d.text))
    };
    let (report, _) = build_with(&inputs, settings.overlap.min_chars, true, &load);
    // Rows per project file and other document.
    let mut rows: BTreeMap<String, Vec<crate::checklist::OverlapRow>> = BTreeMap::new();
    let own = |path: &str| -> Option<(String, String)> {
        let rest = path.strip_prefix("projects/")?;
        let (id, file) = rest.split_once('/')?;
        Some((id.to_string(), file.to_string()))
    };
    let project_of = |path: &str| own(path).map(|x| x.0);
    for pr in &report.pairs {
        for (this, other, ratio, chars) in [
            (&pr.a, &pr.b, pr.a_ratio, pr.chars),
            (&pr.b, &pr.a, pr.b_ratio, {
                let n = report
                    .documents
                    .iter()
                    .find(|d| d.path == pr.b)
                    .map_or(0, |d| d.chars);
                (pr.b_ratio * n as f64).round() as u32
            }),
        ] {
            if let Some((id, file)) = own(this) {
                rows.entry(id)
                    .or_default()
                    .push(crate::checklist::OverlapRow {
                        path: file,
                        other: other.clone(),
                        other_project: project_of(other),
                        chars: chars as u64,
                        ratio,
                    });
            }
        }
    }
    for v in rows.values_mut() {
        v.sort_by(|a, b| b.ratio.total_cmp(&a.ratio));
    }
    let json = serde_json::to_vec_pretty(&report).map_err(|e| BatchError::Io(e.to_string()))?;
    write_atomic(&out.join("overlap.json"), &json)?;
    // The HTML shows every listed pair's passages with their text on both sides.
    let flagged: std::collections::HashSet<&str> = report
        .pairs
        .iter()
        .chain(&report.padding_pairs)
        .flat_map(|p| [p.a.as_str(), p.b.as_str()])
        .collect();
    let texts: Vec<Option<String>> = report
        .documents
        .par_iter()
        .map(|d| {
            if !flagged.contains(d.path.as_str()) {
                return None;
            }
            crate::extract::extract_path(&batch.join(&d.path))
                .ok()
                .map(|doc| doc.text)
        })
        .collect();
    write_atomic(
        &out.join("overlap.html"),
        to_html(&report, &texts).as_bytes(),
    )?;
    Ok((key, rows))
}

fn write_checklist(dir: &Path, id: &str, c: &Checklist) -> Result<(), BatchError> {
    let json = serde_json::to_vec_pretty(c).map_err(|e| BatchError::Io(e.to_string()))?;
    write_atomic(&dir.join(format!("{id}.json")), &json)?;
    write_atomic(&dir.join(format!("{id}.md")), c.to_markdown().as_bytes())?;
    write_atomic(&dir.join(format!("{id}.html")), c.to_html().as_bytes())?;
    let docx = c.to_docx().map_err(BatchError::Io)?;
    write_atomic(&dir.join(format!("{id}.docx")), &docx)?;
    Ok(())
}

/// The summary columns shared by CSV and XLSX.
fn summary_table(s: &Summary) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let header = vec![
        "项目编号",
        "项目名称",
        "承担单位",
        "指南",
        "指南项目",
        "结论",
        "主报告正文字数",
        "未满足的要求",
        "完成期限",
        "逾期天数",
        "结论自",
        "说明",
    ];
    let rows = s
        .projects
        .iter()
        .map(|p| {
            vec![
                p.id.clone(),
                p.title.clone(),
                p.org.clone(),
                p.guideline.clone(),
                format!("{} {}", p.item, p.item_title),
                p.verdict.label_zh().to_string(),
                p.main_report_words.map_or(String::new(), |w| w.to_string()),
                p.tracking.outstanding.join("、"),
                p.tracking.deadline.clone().unwrap_or_default(),
                if p.tracking.days_overdue > 0 {
                    p.tracking.days_overdue.to_string()
                } else {
                    String::new()
                },
                p.verdict_since.clone().unwrap_or_default(),
                p.reason.clone(),
            ]
        })
        .collect();
    (header, rows)
}

fn write_summary(out: &Path, s: &Summary) -> Result<(), BatchError> {
    let json = serde_json::to_vec_pretty(s).map_err(|e| BatchError::Io(e.to_string()))?;
    write_atomic(&out.join("summary.json"), &json)?;
    let (header, rows) = summary_table(s);
    // The tables carry no timestamp: when their content is what was written last time, they
    // are left alone.
    let key = {
        let mut h = blake3::Hasher::new();
        h.update(
            serde_json::to_string(&(&rows, &s.changes, &s.errors))
                .unwrap_or_default()
                .as_bytes(),
        );
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.finalize().to_hex().to_string()
    };
    let key_path = out.join("cache").join("summary-tables.key");
    if std::fs::read_to_string(&key_path).is_ok_and(|k| k == key)
        && out.join("summary.csv").exists()
        && out.join("summary.xlsx").exists()
    {
        return Ok(());
    }
    // CSV with a BOM: Excel then opens the Chinese text as UTF-8.
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let _ = w.write_record(&header);
    for r in &rows {
        let _ = w.write_record(r);
    }
    let csv_bytes = w.into_inner().map_err(|e| BatchError::Io(e.to_string()))?;
    write_atomic(&out.join("summary.csv"), &csv_bytes)?;

    let mut wb = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let red = rust_xlsxwriter::Format::new().set_font_color(rust_xlsxwriter::Color::Red);
    let amber = rust_xlsxwriter::Format::new().set_font_color(rust_xlsxwriter::Color::Orange);
    let green = rust_xlsxwriter::Format::new().set_font_color(rust_xlsxwriter::Color::Green);
    let xerr = |e: rust_xlsxwriter::XlsxError| BatchError::Io(e.to_string());
    {
        let ws = wb.add_worksheet();
        ws.set_name("验收汇总").map_err(xerr)?;
        for (c, h) in header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)
                .map_err(xerr)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (rr, cc) = (r as u32 + 1, c as u16);
                if c == 5 {
                    let f = match s.projects[r].verdict {
                        Verdict::Pass => &green,
                        Verdict::Fail => &red,
                        Verdict::Review => &amber,
                    };
                    ws.write_string_with_format(rr, cc, v, f).map_err(xerr)?;
                } else if (c == 6 || c == 9) && !v.is_empty() {
                    ws.write_number(rr, cc, v.parse::<f64>().unwrap_or(0.0))
                        .map_err(xerr)?;
                } else {
                    ws.write_string(rr, cc, v).map_err(xerr)?;
                }
            }
        }
        ws.set_column_width(1, 30).map_err(xerr)?;
        ws.set_column_width(4, 30).map_err(xerr)?;
        ws.set_column_width(11, 60).map_err(xerr)?;
        ws.set_freeze_panes(1, 0).map_err(xerr)?;
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("本次变化").map_err(xerr)?;
        for (c, h) in ["项目", "变化", "文件", "原结论", "新结论"]
            .iter()
            .enumerate()
        {
            ws.write_string_with_format(0, c as u16, *h, &bold)
                .map_err(xerr)?;
        }
        for (r, ch) in s.changes.iter().enumerate() {
            let r = r as u32 + 1;
            ws.write_string(r, 0, &ch.project).map_err(xerr)?;
            ws.write_string(r, 1, change_zh(&ch.event)).map_err(xerr)?;
            ws.write_string(r, 2, ch.path.as_deref().unwrap_or(""))
                .map_err(xerr)?;
            ws.write_string(r, 3, ch.from.as_deref().unwrap_or(""))
                .map_err(xerr)?;
            ws.write_string(r, 4, ch.to.as_deref().unwrap_or(""))
                .map_err(xerr)?;
        }
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("无法处理的文件").map_err(xerr)?;
        ws.write_string_with_format(0, 0, "路径", &bold)
            .map_err(xerr)?;
        ws.write_string_with_format(0, 1, "原因", &bold)
            .map_err(xerr)?;
        for (r, e) in s.errors.iter().enumerate() {
            ws.write_string(r as u32 + 1, 0, &e.path).map_err(xerr)?;
            ws.write_string(r as u32 + 1, 1, &e.error).map_err(xerr)?;
        }
    }
    let bytes = wb.save_to_buffer().map_err(xerr)?;
    write_atomic(&out.join("summary.xlsx"), &bytes)?;
    write_atomic(&key_path, key.as_bytes())?;
    Ok(())
}

pub fn change_zh(e: &str) -> &'static str {
    match e {
        "file_added" => "新增文件",
        "file_changed" => "文件更新",
        "file_removed" => "文件删除",
        "verdict_changed" => "结论变化",
        "project_added" => "新增项目",
        "project_removed" => "项目移除",
        _ => "其他",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip() {
        // 2022-12-31 is day 19357 after 1970-01-01 (365*52 + 13 leap days - 1 + 365 …):
        // worked out as 1970→2022 = 52 years with 13 leap days (1972…2020) = 18993 days,
        // plus 364 days into 2022.
        assert_eq!(days_from_civil(2022, 12, 31), 18993 + 364);
        assert_eq!(civil(18993 + 364), (2022, 12, 31));
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(
            parse_date("2024-03-01").unwrap() - parse_date("2024-02-28").unwrap(),
            2
        );
        for d in -1000..30000 {
            let (y, m, dd) = civil(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }
}
