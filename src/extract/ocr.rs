//! OCR of scanned PDF pages through Tesseract, an optional component found at run time.
//!
//! **Engine.** The `tesseract` command-line tool with the Simplified Chinese model (`chi_sim`),
//! found as `$YANSHOU_TESSERACT`, else the path `[ocr] tesseract` in `yanshou.toml`, else
//! `tesseract` on `PATH`. Measured here the model loads in 0.1 s of the 1.2–2 CPU s a page
//! costs, so a library binding (and a C build dependency every user would need) gains little;
//! `OMP_THREAD_LIMIT=1` with one process per core is 4–5× faster than Tesseract's own
//! threading. When the tool or the model is missing, nothing changes but one line in the
//! file's warnings saying what to install.
//!
//! **Page images: the embedded image, not a rendering.** A scan is one image per page, drawn
//! over the whole page. Taking that image out of the PDF with lopdf costs nothing, needs no
//! renderer (poppler, pdfium, mupdf would each be a second optional component or a large C
//! dependency) and gives Tesseract the scanner's own pixels at the scanner's resolution,
//! where a rendering would resample them. JPEG (`DCTDecode`, by far the most common) is handed
//! over byte for byte; Flate-compressed and raw samples are written as a PGM/PPM/PBM header
//! plus the samples, which Tesseract reads directly, so no image crate is needed. CCITT fax,
//! JBIG2, JPEG 2000 and palette images are skipped with a reason (the page stays listed as
//! having no text layer): decoding them would take a decoder of their own for formats rare
//! in submitted reports. When a page holds several images the largest is read, and only when it
//! is shaped like the page at 100 dpi or more: a chart alone on a page is not a scan.
//!
//! **Output.** Tesseract's TSV output gives each word with its box, so OCR'd lines come back
//! with positions and heights in page units and go through the same paragraph, heading and
//! running-head logic as a text layer (a `第 3 页` footer is dropped as on a digital PDF).
//! Within a line, Tesseract separates Han characters by spaces that are not in the text: they
//! are removed, and the ASCII `;:()` it reads for full-width punctuation between Han text are
//! folded back to `；：（）`.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{LazyLock, Mutex, OnceLock};
use std::time::{Duration, Instant};

use lopdf::{Dictionary, Object, ObjectId};

/// What to install when the OCR component is missing (Debian/Ubuntu package names).
pub const INSTALL_HINT: &str = "apt-get install tesseract-ocr tesseract-ocr-chi-sim";

/// Longest a page may take before its Tesseract process is killed.
pub const PAGE_TIMEOUT: Duration = Duration::from_secs(90);

/// Most pages of one file read by OCR (about half an hour of CPU time at 3 s a page); the
/// rest stay listed as pages without a text layer, and a warning says so.
pub const MAX_OCR_PAGES: usize = 600;

/// Largest image handed to Tesseract (decoded samples), as a guard against a hostile PDF.
const MAX_IMAGE_BYTES: usize = 128 << 20;

static CONFIGURED: OnceLock<PathBuf> = OnceLock::new();

/// Pages handed to OCR and pages finished, by this process so far: a progress display polls
/// them (`pages_read`) while a long scan is read, since one file's OCR can take minutes.
static PAGES_QUEUED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
static PAGES_DONE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// (pages finished, pages handed to OCR) since the process started.
pub fn pages_read() -> (u64, u64) {
    use std::sync::atomic::Ordering::Relaxed;
    (PAGES_DONE.load(Relaxed), PAGES_QUEUED.load(Relaxed))
}

/// Counts `n` pages about to be read.
pub(crate) fn queue_pages(n: usize) {
    PAGES_QUEUED.fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
}

/// Sets the Tesseract path from `yanshou.toml` (`[ocr] tesseract = "..."`); the environment
/// variable `YANSHOU_TESSERACT` still wins. The first call counts.
pub fn configure(path: PathBuf) {
    let _ = CONFIGURED.set(path);
}

/// `[ocr] tesseract` of a `yanshou.toml`, as the single-file commands read it (other tables and
/// keys are the batch's business and ignored here).
#[derive(serde::Deserialize, Default)]
struct NearbySettings {
    #[serde(default)]
    ocr: NearbyOcr,
}

#[derive(serde::Deserialize, Default)]
struct NearbyOcr {
    tesseract: Option<PathBuf>,
}

/// The `yanshou.toml` that governs a file given to `count`, `extract` or `check`: the nearest
/// one in the folders above it (a file inside a batch gets its batch's settings), else the
/// nearest above the current folder. Sets the Tesseract path from its `[ocr] tesseract`, and
/// returns the file used; a settings file that cannot be read is an `Err` naming it (the
/// caller warns and goes on: OCR settings never stop a count).
pub fn configure_near(paths: &[PathBuf]) -> Result<Option<PathBuf>, String> {
    let cwd = std::env::current_dir().ok();
    let starts = paths
        .iter()
        .filter_map(|p| std::path::absolute(p).ok())
        .chain(cwd);
    let Some(file) = starts
        .flat_map(|p| {
            p.ancestors()
                .map(|a| a.join("yanshou.toml"))
                .collect::<Vec<_>>()
        })
        .find(|f| f.is_file())
    else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&file)
        .map_err(|e| format!("{}：无法读取（{e}）", file.display()))?;
    let s: NearbySettings =
        toml::from_str(&text).map_err(|e| format!("{}：设置有误（{e}）", file.display()))?;
    if let Some(t) = s.ocr.tesseract {
        configure(resolve_beside(&file, t));
    }
    Ok(Some(file))
}

/// A configured Tesseract path: a bare command name is looked up on `PATH`; a relative path
/// is relative to the folder of the `yanshou.toml` that names it.
pub fn resolve_beside(settings_file: &std::path::Path, tesseract: PathBuf) -> PathBuf {
    if tesseract.components().count() > 1 && tesseract.is_relative() {
        settings_file
            .parent()
            .map(|d| d.join(&tesseract))
            .unwrap_or(tesseract)
    } else {
        tesseract
    }
}

/// The Tesseract command to run: env, config, else `tesseract` on PATH.
fn command_path() -> PathBuf {
    if let Some(p) = std::env::var_os("YANSHOU_TESSERACT").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    CONFIGURED
        .get()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("tesseract"))
}

/// A usable Tesseract with `chi_sim`.
#[derive(Debug, Clone)]
pub struct Engine {
    exe: PathBuf,
}

/// Probed engines by command path (a probe is one short process, done once per path).
static PROBED: Mutex<Vec<(PathBuf, Result<Engine, String>)>> = Mutex::new(Vec::new());

/// The OCR engine, or why there is none (a sentence ending with what to install).
pub fn engine() -> Result<Engine, String> {
    let exe = command_path();
    let mut probed = PROBED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, r)) = probed.iter().find(|(p, _)| *p == exe) {
        return r.clone();
    }
    let r = probe(&exe);
    probed.push((exe, r.clone()));
    r
}

fn probe(exe: &PathBuf) -> Result<Engine, String> {
    let out = Command::new(exe)
        .arg("--list-langs")
        .env("OMP_THREAD_LIMIT", "1")
        .stdin(Stdio::null())
        .output()
        .map_err(|_| {
            format!(
                "未找到 OCR 组件 Tesseract（{}）：扫描页未识别；如需 OCR 估计字数，请安装：{INSTALL_HINT}",
                exe.display()
            )
        })?;
    let listed =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    if !listed.lines().any(|l| l.trim() == "chi_sim") {
        return Err(format!(
            "Tesseract 缺少简体中文模型 chi_sim：扫描页未识别；如需 OCR 估计字数，请安装：{INSTALL_HINT}"
        ));
    }
    Ok(Engine { exe: exe.clone() })
}

/// An image ready for Tesseract.
#[derive(Debug, Clone)]
pub struct PageImage {
    /// JPEG or PNM bytes.
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// The page's size in points (the image is taken to cover it).
    pub page_w: f64,
    pub page_h: f64,
}

impl PageImage {
    /// A picture submitted as a file (JPEG or PNG, which Tesseract reads as they are), taken
    /// to be an A4-wide page: its resolution follows from its width.
    pub fn from_picture(bytes: Vec<u8>, width: u32, height: u32) -> PageImage {
        let page_w = 595.0;
        PageImage {
            bytes,
            width,
            height,
            page_w,
            page_h: page_w * height as f64 / width.max(1) as f64,
        }
    }

    /// Pixels per inch, from the image's width over the page's.
    pub fn dpi(&self) -> u32 {
        if self.page_w > 1.0 {
            ((self.width as f64) * 72.0 / self.page_w)
                .round()
                .clamp(30.0, 2400.0) as u32
        } else {
            300
        }
    }
}

fn deref<'a>(pdf: &'a lopdf::Document, o: &'a Object) -> Option<&'a Object> {
    pdf.dereference(o).ok().map(|(_, o)| o)
}

fn int(pdf: &lopdf::Document, d: &Dictionary, k: &[u8]) -> Option<i64> {
    d.get(k)
        .ok()
        .and_then(|o| deref(pdf, o))
        .and_then(|o| o.as_i64().ok())
}

fn name_list(pdf: &lopdf::Document, d: &Dictionary, k: &[u8]) -> Vec<Vec<u8>> {
    match d.get(k).ok().and_then(|o| deref(pdf, o)) {
        Some(Object::Name(n)) => vec![n.clone()],
        Some(Object::Array(a)) => a
            .iter()
            .filter_map(|o| deref(pdf, o))
            .filter_map(|o| o.as_name().ok().map(|n| n.to_vec()))
            .collect(),
        _ => Vec::new(),
    }
}

/// The page's size in points from its (possibly inherited) MediaBox; A4 when unreadable.
fn page_size(pdf: &lopdf::Document, page: ObjectId) -> (f64, f64) {
    let mut id = Some(page);
    for _ in 0..16 {
        let Some(d) = id.and_then(|i| pdf.get_dictionary(i).ok()) else {
            break;
        };
        if let Some(Object::Array(a)) = d.get(b"MediaBox").ok().and_then(|o| deref(pdf, o)) {
            let v: Vec<f64> = a
                .iter()
                .filter_map(|o| deref(pdf, o))
                .filter_map(|o| o.as_float().ok().map(f64::from))
                .collect();
            if v.len() == 4 && (v[2] - v[0]).abs() > 1.0 && (v[3] - v[1]).abs() > 1.0 {
                return ((v[2] - v[0]).abs(), (v[3] - v[1]).abs());
            }
        }
        id = d.get(b"Parent").ok().and_then(|o| o.as_reference().ok());
    }
    (595.0, 842.0)
}

/// Image XObjects reachable from the page's resources (and one level of form XObjects).
fn page_images(pdf: &lopdf::Document, page: ObjectId) -> Vec<&lopdf::Stream> {
    let mut dicts: Vec<&Dictionary> = Vec::new();
    if let Ok((res, ids)) = pdf.get_page_resources(page) {
        dicts.extend(res);
        dicts.extend(ids.into_iter().filter_map(|id| pdf.get_dictionary(id).ok()));
    }
    let mut out = Vec::new();
    let mut depth = 0;
    while !dicts.is_empty() && depth < 2 {
        let mut next = Vec::new();
        for d in dicts {
            let Some(xo) = d
                .get(b"XObject")
                .ok()
                .and_then(|o| deref(pdf, o))
                .and_then(|o| o.as_dict().ok())
            else {
                continue;
            };
            for (_, o) in xo.iter() {
                let Some(s) = deref(pdf, o).and_then(|o| o.as_stream().ok()) else {
                    continue;
                };
                match s.dict.get(b"Subtype").and_then(|o| o.as_name()) {
                    Ok(b"Image") => out.push(s),
                    Ok(b"Form") => {
                        if let Some(r) = s
                            .dict
                            .get(b"Resources")
                            .ok()
                            .and_then(|o| deref(pdf, o))
                            .and_then(|o| o.as_dict().ok())
                        {
                            next.push(r);
                        }
                    }
                    _ => {}
                }
            }
        }
        dicts = next;
        depth += 1;
    }
    out
}

/// The page's scan: its largest embedded image, as JPEG or PNM bytes. `Ok(None)`: no image.
pub fn page_image(pdf: &lopdf::Document, page: ObjectId) -> Result<Option<PageImage>, String> {
    let images = page_images(pdf, page);
    let Some(s) = images.into_iter().max_by_key(|s| {
        int(pdf, &s.dict, b"Width").unwrap_or(0) * int(pdf, &s.dict, b"Height").unwrap_or(0)
    }) else {
        return Ok(None);
    };
    let d = &s.dict;
    let (w, h) = (
        int(pdf, d, b"Width").unwrap_or(0),
        int(pdf, d, b"Height").unwrap_or(0),
    );
    if w <= 0 || h <= 0 || w > 30_000 || h > 30_000 {
        return Err(format!("扫描图像尺寸异常（{w}×{h}）"));
    }
    let (page_w, page_h) = page_size(pdf, page);
    looks_like_a_scan(w as f64, h as f64, page_w, page_h)?;
    let filters = name_list(pdf, d, b"Filter");
    let last = filters.last().map(Vec::as_slice);
    let bytes = match last {
        Some(b"DCTDecode") if filters.len() == 1 => s.content.clone(),
        Some(b"DCTDecode") => return Err("扫描图像的压缩方式组合暂不支持".into()),
        Some(b"CCITTFaxDecode") => {
            return Err("扫描图像为 CCITT 传真编码，暂不支持识别".into());
        }
        Some(b"JBIG2Decode") => return Err("扫描图像为 JBIG2 编码，暂不支持识别".into()),
        Some(b"JPXDecode") => return Err("扫描图像为 JPEG 2000 编码，暂不支持识别".into()),
        _ => pnm(pdf, s, w as usize, h as usize)?,
    };
    Ok(Some(PageImage {
        bytes,
        width: w as u32,
        height: h as u32,
        page_w,
        page_h,
    }))
}

/// Lowest resolution read: below it Tesseract's Chinese is guesswork.
const MIN_DPI: f64 = 100.0;

/// A scanned page is an image of the page: its proportions within 20% of the page's and at
/// least 100 dpi across it. A chart or a photo alone on a page is not read (its labels are
/// not body text), nor a landscape image on a portrait page (Tesseract would read it
/// sideways).
fn looks_like_a_scan(w: f64, h: f64, page_w: f64, page_h: f64) -> Result<(), String> {
    let ratio = (h / w) / (page_h / page_w);
    if !(0.8..=1.25).contains(&ratio) {
        return Err("页面上的图像不像整页扫描（可能是插图或横向扫描），未做 OCR".into());
    }
    if w * 72.0 / page_w < MIN_DPI {
        return Err(format!(
            "扫描图像分辨率过低（不足 {MIN_DPI} dpi），未做 OCR"
        ));
    }
    Ok(())
}

/// Raw or Flate samples as a PGM (gray), PPM (RGB) or PBM (1-bit) file.
fn pnm(pdf: &lopdf::Document, s: &lopdf::Stream, w: usize, h: usize) -> Result<Vec<u8>, String> {
    let d = &s.dict;
    let bpc = int(pdf, d, b"BitsPerComponent").unwrap_or(8);
    let mask = matches!(d.get(b"ImageMask"), Ok(Object::Boolean(true)));
    let comps = if mask {
        1
    } else {
        match d.get(b"ColorSpace").ok().and_then(|o| deref(pdf, o)) {
            Some(Object::Name(n)) if n == b"DeviceGray" || n == b"CalGray" => 1,
            Some(Object::Name(n)) if n == b"DeviceRGB" || n == b"CalRGB" => 3,
            Some(Object::Array(a))
                if a.first().and_then(|o| o.as_name().ok()) == Some(b"ICCBased") =>
            {
                let n = a
                    .get(1)
                    .and_then(|o| deref(pdf, o))
                    .and_then(|o| o.as_stream().ok())
                    .and_then(|st| int(pdf, &st.dict, b"N"));
                match n {
                    Some(1) => 1,
                    Some(3) => 3,
                    _ => return Err("扫描图像的色彩空间暂不支持".into()),
                }
            }
            _ => return Err("扫描图像的色彩空间（如调色板、CMYK）暂不支持".into()),
        }
    };
    let samples = if s.dict.get(b"Filter").is_ok() {
        s.get_plain_content_with_limit(MAX_IMAGE_BYTES)
            .map_err(|e| format!("扫描图像无法解压（{e}）"))?
    } else {
        s.content.clone()
    };
    let (header, need) = match (bpc, comps) {
        (8, 1) => (format!("P5\n{w} {h}\n255\n"), w * h),
        (8, 3) => (format!("P6\n{w} {h}\n255\n"), w * h * 3),
        (1, 1) => (format!("P4\n{w} {h}\n"), w.div_ceil(8) * h),
        _ => return Err(format!("扫描图像的位深（{bpc} 位）暂不支持")),
    };
    if need > MAX_IMAGE_BYTES || samples.len() < need {
        return Err("扫描图像数据不完整".into());
    }
    let mut out = header.into_bytes();
    if bpc == 1 {
        // PDF gray: 0 is black (an image mask paints its 1s … with /Decode [1 0] its 0s);
        // PBM: 1 is black.
        let decode_inverted = matches!(
            d.get(b"Decode").ok().and_then(|o| deref(pdf, o)),
            Some(Object::Array(a)) if a.first().and_then(|o| o.as_float().ok()) == Some(1.0)
        );
        let invert = mask == decode_inverted;
        out.extend(samples[..need].iter().map(|b| if invert { !b } else { *b }));
    } else {
        out.extend_from_slice(&samples[..need]);
    }
    Ok(out)
}

/// One recognised line, in page units (points, y up from the bottom as in PDF).
#[derive(Debug, Clone, PartialEq)]
pub struct OcrLine {
    pub x0: f64,
    pub x1: f64,
    /// Bottom of the line's box.
    pub y: f64,
    /// Height of the line's box: the type size, near enough.
    pub size: f64,
    pub text: String,
    /// Width of the line's first word.
    pub first_word: f64,
}

/// What Tesseract read on one page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OcrPage {
    pub lines: Vec<OcrLine>,
    /// Mean word confidence, 0–100.
    pub confidence: f64,
}

/// Runs Tesseract on one page image with a time limit; the process is killed past it.
pub fn recognise(engine: &Engine, img: &PageImage, psm: u8) -> Result<OcrPage, String> {
    let mut child = Command::new(&engine.exe)
        .args(["stdin", "stdout", "-l", "chi_sim", "--psm"])
        .arg(psm.to_string())
        .arg("--dpi")
        .arg(img.dpi().to_string())
        .arg("tsv")
        .env("OMP_THREAD_LIMIT", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("无法启动 Tesseract（{e}）"))?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    let bytes = img.bytes.clone();
    let writer = std::thread::spawn(move || {
        // A Tesseract that exits early closes the pipe: the error is its, reported below.
        let _ = stdin.write_all(&bytes);
    });
    let mut stdout = child.stdout.take().expect("piped stdout");
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stdout.read_to_end(&mut s);
        s
    });
    let mut stderr = child.stderr.take().expect("piped stderr");
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stderr.read_to_end(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(st)) => break st,
            Ok(None) if start.elapsed() > PAGE_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                let _ = writer.join();
                let _ = reader.join();
                let _ = err_reader.join();
                return Err(format!(
                    "OCR 超过 {} 秒未完成，已中止",
                    PAGE_TIMEOUT.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(format!("Tesseract 运行出错（{e}）")),
        }
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    if !status.success() {
        let msg = String::from_utf8_lossy(&err);
        let msg = msg
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        return Err(format!("Tesseract 识别失败（{}）", msg.trim()));
    }
    Ok(parse_tsv(
        &String::from_utf8_lossy(&out),
        72.0 / img.dpi() as f64,
        img.page_h,
    ))
}

/// Reads a page with `--psm 3` (automatic layout, which keeps tables) and again with
/// `--psm 6` (one uniform block); the reading with more 字 wins. Measured here, the second
/// pass recovers whole blocks the first silently drops on noisy or stamped scans.
pub fn recognise_best(engine: &Engine, img: &PageImage) -> Result<OcrPage, String> {
    let key = memo_key(img);
    let known = MEMO
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&key)
        .cloned();
    let r = match known {
        Some(page) => Ok(page),
        None => {
            let r = recognise_twice(engine, img);
            if let Ok(page) = &r {
                let mut memo = MEMO.lock().unwrap_or_else(|e| e.into_inner());
                if memo.len() < MEMO_PAGES {
                    memo.insert(key, page.clone());
                }
            }
            r
        }
    };
    PAGES_DONE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    r
}

/// Pages read by OCR in this process, by image and resolution: a batch extracts a file more
/// than once in one run (its facts, then the search index and the site's views), and a page
/// costs seconds. Bounded by `MEMO_PAGES` (a page's lines are a few KB).
static MEMO: LazyLock<Mutex<HashMap<[u8; 32], OcrPage>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// Most pages remembered (about 20–50 MB of recognised lines).
const MEMO_PAGES: usize = 10_000;

fn memo_key(img: &PageImage) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    h.update(&img.bytes);
    h.update(&img.dpi().to_le_bytes());
    h.update(&img.page_h.to_le_bytes());
    *h.finalize().as_bytes()
}

fn recognise_twice(engine: &Engine, img: &PageImage) -> Result<OcrPage, String> {
    let first = recognise(engine, img, 3)?;
    if !SECOND_PASS {
        return Ok(first);
    }
    let words = |p: &OcrPage| -> u64 {
        p.lines
            .iter()
            .map(|l| crate::count::count_str(&l.text).words)
            .sum()
    };
    match recognise(engine, img, 6) {
        Ok(second) if words(&second) > words(&first) => Ok(second),
        _ => Ok(first),
    }
}

/// Whether `recognise_best` runs its second pass.
const SECOND_PASS: bool = true;

/// Is this a character between which and its neighbour Tesseract's space is not text?
fn cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
        || matches!(c, '—' | '…' | '“' | '”' | '‘' | '’' | '·')
}

/// Joins a line's words: no space where either side is Chinese, one between Latin words;
/// then full-width punctuation where Tesseract read ASCII beside Han text.
pub fn join_words<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    let mut s = String::new();
    for w in words {
        let w = w.trim();
        if w.is_empty() {
            continue;
        }
        let prev = s.chars().last();
        let next = w.chars().next();
        if let (Some(a), Some(b)) = (prev, next)
            && !cjk(a)
            && !cjk(b)
        {
            s.push(' ');
        }
        s.push_str(w);
    }
    fold_punctuation(&s)
}

/// `;:()` beside Han text back to `；：（）`.
pub fn fold_punctuation(s: &str) -> String {
    let cs: Vec<char> = s.chars().collect();
    let han = |c: Option<&char>| c.is_some_and(|&c| cjk(c));
    let mut out = String::with_capacity(s.len());
    for (i, &c) in cs.iter().enumerate() {
        let before = if i > 0 { cs.get(i - 1) } else { None };
        let after = cs.get(i + 1);
        // "(一)" is "（一）"; ")" closes what "(" opened: look for Han inside or around.
        let folded = match c {
            ';' if han(before) || han(after) => '；',
            ':' if han(before) => '：',
            '(' if han(before) || han(after) || paren_has_han(&cs[i + 1..]) => '（',
            ')' if han(before) || han(after) || opened_full(&out) => '）',
            ',' if han(before) && han(after) => '，',
            _ => c,
        };
        out.push(folded);
    }
    out
}

fn paren_has_han(rest: &[char]) -> bool {
    rest.iter()
        .take_while(|&&c| c != ')' && c != '）')
        .any(|&c| cjk(c))
}

/// Is the last open parenthesis in `s` a full-width one still open?
fn opened_full(s: &str) -> bool {
    for c in s.chars().rev() {
        match c {
            '（' => return true,
            '(' | ')' | '）' => return false,
            _ => {}
        }
    }
    false
}

/// Tesseract's TSV (level, page, block, par, line, word, left, top, width, height, conf,
/// text) to lines in page units: `scale` points per pixel, `page_h` the page height.
pub fn parse_tsv(tsv: &str, scale: f64, page_h: f64) -> OcrPage {
    struct Acc {
        key: (u32, u32, u32),
        x0: i64,
        x1: i64,
        bottom: i64,
        height: i64,
        words: Vec<String>,
        first_word: i64,
    }
    let mut accs: Vec<Acc> = Vec::new();
    let (mut conf_sum, mut conf_n) = (0.0, 0usize);
    for row in tsv.lines().skip(1) {
        let f: Vec<&str> = row.split('\t').collect();
        if f.len() < 12 || f[0] != "5" {
            continue;
        }
        let n = |i: usize| f[i].trim().parse::<i64>().unwrap_or(0);
        let text = f[11].trim();
        if text.is_empty() {
            continue;
        }
        if let Ok(c) = f[10].trim().parse::<f64>()
            && c >= 0.0
        {
            conf_sum += c;
            conf_n += 1;
        }
        let key = (n(2) as u32, n(3) as u32, n(4) as u32);
        let (left, top, width, height) = (n(6), n(7), n(8), n(9));
        match accs.last_mut() {
            Some(a) if a.key == key => {
                a.x0 = a.x0.min(left);
                a.x1 = a.x1.max(left + width);
                a.bottom = a.bottom.max(top + height);
                a.height = a.height.max(height);
                a.words.push(text.to_string());
            }
            _ => accs.push(Acc {
                key,
                x0: left,
                x1: left + width,
                bottom: top + height,
                height,
                words: vec![text.to_string()],
                first_word: width,
            }),
        }
    }
    let lines = accs
        .into_iter()
        .map(|a| OcrLine {
            x0: a.x0 as f64 * scale,
            x1: a.x1 as f64 * scale,
            y: page_h - a.bottom as f64 * scale,
            size: (a.height as f64 * scale).max(1.0),
            text: join_words(a.words.iter().map(String::as_str)),
            first_word: a.first_word as f64 * scale,
        })
        .filter(|l| !l.text.is_empty())
        .collect();
    OcrPage {
        lines,
        confidence: if conf_n > 0 {
            conf_sum / conf_n as f64
        } else {
            0.0
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_between_han_go_latin_spaces_stay() {
        assert_eq!(join_words(["中", "国", "科", "协"]), "中国科协");
        assert_eq!(join_words(["使用", "Rust", "语言"]), "使用Rust语言");
        assert_eq!(join_words(["open", "source", "软件"]), "open source软件");
        assert_eq!(join_words(["共", "3", "项"]), "共3项");
    }

    #[test]
    fn ascii_punctuation_beside_han_is_full_width() {
        assert_eq!(fold_punctuation("(一)总体情况"), "（一）总体情况");
        assert_eq!(
            fold_punctuation("目标:提高质量;完成"),
            "目标：提高质量；完成"
        );
        assert_eq!(fold_punctuation("f(x) = 1"), "f(x) = 1");
        assert_eq!(fold_punctuation("(2023年)"), "（2023年）");
        assert_eq!(fold_punctuation("时间:10:30"), "时间：10:30");
    }

    #[test]
    fn only_page_shaped_images_of_100_dpi_are_scans() {
        // A4 at 200 dpi; a phone photo of a page (4:3); a wide chart; an A4 landscape scan;
        // a thumbnail.
        assert!(looks_like_a_scan(1654.0, 2339.0, 595.0, 842.0).is_ok());
        assert!(looks_like_a_scan(3000.0, 4000.0, 595.0, 842.0).is_ok());
        assert!(looks_like_a_scan(2000.0, 1000.0, 595.0, 842.0).is_err());
        assert!(looks_like_a_scan(2339.0, 1654.0, 595.0, 842.0).is_err());
        assert!(looks_like_a_scan(8.0, 8.0, 595.0, 842.0).is_err());
    }

    #[test]
    fn tsv_rows_become_lines_in_page_units() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
            4\t1\t1\t1\t1\t0\t100\t100\t200\t40\t-1\t\n\
            5\t1\t1\t1\t1\t1\t100\t100\t40\t40\t95.5\t中\n\
            5\t1\t1\t1\t1\t2\t150\t102\t40\t38\t90.5\t国\n\
            5\t1\t1\t1\t2\t1\t100\t160\t40\t40\t80\t(一)\n";
        // 144 dpi: half a point per pixel; page 842 pt high.
        let p = parse_tsv(tsv, 0.5, 842.0);
        assert_eq!(p.lines.len(), 2);
        assert_eq!(p.lines[0].text, "中国");
        assert_eq!(p.lines[0].x0, 50.0);
        assert_eq!(p.lines[0].x1, 95.0);
        assert_eq!(p.lines[0].y, 842.0 - 70.0);
        assert_eq!(p.lines[0].size, 20.0);
        assert_eq!(p.lines[1].text, "（一）");
        assert!((p.confidence - (95.5 + 90.5 + 80.0) / 3.0).abs() < 1e-9);
    }
}
