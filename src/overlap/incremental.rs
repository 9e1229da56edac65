//! The overlap stage of a rerun: only what can differ from the last run is recomputed, and
//! the report is byte for byte the one a full recomputation ([`super::report::build_with`])
//! gives.
//!
//! A pair's passages depend on its two documents (their fingerprints and texts) and on one
//! thing outside them: which of the hashes they share are held by at most
//! [`MAX_DOCS_PER_HASH`] documents (more is boilerplate and seeds nothing). So after some
//! documents were added, removed or edited, the pairs to recompute are
//! 1. every pair with a new (or edited) document, found through the holders of its hashes;
//! 2. every pair of untouched documents that share a hash whose holder count crossed the bound
//!    (20 → 21 drops it, 21 → 20 brings it back) because of the changed documents;
//! 3. kept pairs whose two documents now come in the other order (the first side aligns).
//!
//! Pairs with a removed document go; all others are kept as the last run refined them. The
//! per-document figures depend on all of a document's pairs and are recomputed from the kept
//! and new pairs for every document ([`super::report::assemble`], cheap: no fingerprint is
//! read for them). Settings, the program version and the calls' text are the `key`: when it
//! differs, everything is recomputed.
//!
//! What the last run computed lives in the cache folder: `overlap-state.json` (documents,
//! pairs, the HTML section of each listed pair, the calls' hashes) and
//! `overlap-holders.<id>.bin`, every fingerprint of every distinct content sorted by hash
//! (which contents hold a hash and where, read bucket by bucket). The holder file is written
//! by a full recomputation only; contents that arrived since are "extra": their fingerprints
//! are read from the fingerprint cache, until they are more than 8 + 1/16 of the file's
//! contents and a full run rebuilds it. The
//! state names its holder file and is written atomically after it, so an interrupted run
//! leaves the previous state (which still describes its own documents: a rerun from it is
//! right) or none (a full recomputation). A state that cannot be read, of another version or
//! another key, is a full recomputation too.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::report::{
    Input, OverlapReport, PairRow, assemble, build_with, pair_html, refine_pairs, to_html_with,
};
use super::{Fingerprints, Fp, MAX_DOCS_PER_HASH, PairResult, Passage, Text, align_pair, min_core};

/// Version of the state's layout and meaning: another value is a full recomputation.
const VERSION: u32 = 1;
const STATE_FILE: &str = "overlap-state.json";
const HOLDERS_PREFIX: &str = "overlap-holders.";
const MAGIC: &[u8; 5] = b"YSOH1";
const BUCKET_BITS: u32 = 16;
const RECORD: usize = 24;

/// One fingerprint of one content, as the holder file gives it.
type Holding = (u32, Fp);
/// A pair to align and its seeds.
type Job = (usize, usize, Vec<(Fp, Fp)>);
/// A pair and the fingerprints its documents share: (hash, index in a, index in b).
type Common = ((usize, usize), Vec<(u64, u32, u32)>);
/// A record of the holder file: hash, content, npos, ostart, oend with flags.
type Record = (u64, u32, u32, u32, u32);

/// One document of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Doc {
    /// As shown in the report (`projects/<id>/<file>` or `archive/…`).
    pub path: String,
    /// Documents of one project are not compared; `None` is the archive (not compared with
    /// itself either).
    pub project: Option<String>,
    /// Content hash: one content, one set of fingerprints and one text.
    pub content: String,
}

/// Where the stage gets what it reads.
pub struct Sources<'a> {
    /// The fingerprints of a content as cached (before the calls' hashes are taken out);
    /// `None` leaves its documents out, as a full run does.
    pub fingerprints: &'a (dyn Fn(&str) -> Option<Fingerprints> + Sync),
    /// The extracted text of a document, for refining passages and showing them.
    pub text: &'a (dyn Fn(&Doc) -> Option<String> + Sync),
    /// The hashes of the calls' text (asked only when everything is recomputed).
    pub call_hashes: &'a (dyn Fn() -> HashSet<u64> + Sync),
}

/// What a run of the stage did, for timings and tests.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    /// Everything recomputed (no usable state, another key, or too many new contents).
    pub full: bool,
    pub documents: usize,
    /// Pairs aligned again (all candidate pairs in a full run).
    pub pairs_recomputed: usize,
    pub pairs_kept: usize,
    /// Texts extracted (refinement and HTML).
    pub texts_read: usize,
}

/// The report, its HTML, and what was done.
pub struct Outcome {
    pub report: OverlapReport,
    pub html: String,
    pub stats: Stats,
}

#[derive(Serialize, Deserialize)]
struct State {
    version: u32,
    key: String,
    min_chars: u32,
    call_hashes: Vec<u64>,
    /// The documents of the run, in its order, those without fingerprints left out.
    docs: Vec<Doc>,
    /// What the figures need of each content (its fingerprints themselves are not needed).
    contents: BTreeMap<String, Lens>,
    /// The holder file and its contents (content id = position).
    holders_file: String,
    holders_contents: Vec<String>,
    pairs: Vec<StoredPair>,
    /// HTML section of each listed pair, by [`section_key`].
    sections: BTreeMap<String, String>,
}

#[derive(Clone, Serialize, Deserialize)]
struct Lens {
    norm_len: u32,
    body_len: u32,
    padding: Vec<(u32, u32)>,
}

/// A refined pair by paths; passages as [a_start, a_end, b_start, b_end, chars, a_norm.0,
/// a_norm.1, b_norm.0, b_norm.1, cited].
#[derive(Serialize, Deserialize)]
struct StoredPair {
    a: String,
    b: String,
    passages: Vec<[u32; 10]>,
    padding: Vec<[u32; 10]>,
}

fn pack(p: &Passage) -> [u32; 10] {
    [
        p.a_start,
        p.a_end,
        p.b_start,
        p.b_end,
        p.chars,
        p.a_norm.0,
        p.a_norm.1,
        p.b_norm.0,
        p.b_norm.1,
        p.cited as u32,
    ]
}

fn unpack(x: &[u32; 10]) -> Passage {
    Passage {
        a_start: x[0],
        a_end: x[1],
        b_start: x[2],
        b_end: x[3],
        chars: x[4],
        a_norm: (x[5], x[6]),
        b_norm: (x[7], x[8]),
        cited: x[9] != 0,
    }
}

/// A listed pair's HTML section depends on its row and its two texts (by content).
fn section_key(row: &PairRow, padding: bool, content_a: &str, content_b: &str) -> String {
    let mut h = blake3::Hasher::new();
    h.update(&serde_json::to_vec(row).unwrap_or_default());
    h.update(&[padding as u8]);
    h.update(content_a.as_bytes());
    h.update(b"\0");
    h.update(content_b.as_bytes());
    h.finalize().to_hex().to_string()
}

fn lens(f: &Fingerprints) -> Lens {
    Lens {
        norm_len: f.norm_len,
        body_len: f.body_len,
        padding: f.padding.clone(),
    }
}

/// What the figures need of a document: its lengths and padding, no fingerprints.
fn stub(l: &Lens) -> Fingerprints {
    Fingerprints {
        norm_len: l.norm_len,
        body_len: l.body_len,
        fps: Vec::new(),
        padding: l.padding.clone(),
    }
}

/// Two documents are compared unless they belong to one project, or both to the archive.
fn compared(a: &Doc, b: &Doc) -> bool {
    a.project != b.project
}

fn active(holders: usize) -> bool {
    (2..=MAX_DOCS_PER_HASH).contains(&holders)
}

/// The overlap report of `docs` (and its HTML), recomputing only what changed since the
/// state kept in `cache_dir` when that state was made under the same `key`. The new state is
/// kept for the next run (a failure to write it only costs that run a full recomputation).
pub fn run(
    cache_dir: &Path,
    key: &str,
    docs: &[Doc],
    min_chars: u32,
    src: &Sources,
    progress: &dyn crate::progress::Progress,
) -> Outcome {
    let prev = load_state(cache_dir, key, min_chars);
    let out = prev
        .and_then(|(state, holders)| incremental(cache_dir, state, holders, docs, src, progress));
    match out {
        Some(o) => o,
        None => full(cache_dir, key, docs, min_chars, src, progress),
    }
}

fn load_state(cache_dir: &Path, key: &str, min_chars: u32) -> Option<(State, Holders)> {
    let b = std::fs::read(cache_dir.join(STATE_FILE)).ok()?;
    let s: State = serde_json::from_slice(&b).ok()?;
    if s.version != VERSION || s.key != key || s.min_chars != min_chars {
        return None;
    }
    let h = Holders::open(&cache_dir.join(&s.holders_file)).ok()?;
    Some((s, h))
}

/// Texts read once per document and kept for the HTML.
struct Texts<'a> {
    src: &'a Sources<'a>,
    raw: Mutex<HashMap<usize, Option<String>>>,
}

impl<'a> Texts<'a> {
    fn new(src: &'a Sources<'a>) -> Self {
        Texts {
            src,
            raw: Mutex::new(HashMap::new()),
        }
    }
    fn get(&self, i: usize, d: &Doc) -> Option<String> {
        if let Some(t) = self.raw.lock().ok()?.get(&i) {
            return t.clone();
        }
        let t = (self.src.text)(d);
        if let Ok(mut m) = self.raw.lock() {
            m.insert(i, t.clone());
        }
        t
    }
    fn read(&self) -> usize {
        self.raw.lock().map_or(0, |m| m.len())
    }
}

/// The HTML with each listed pair's section taken from `prev_sections` when its key is
/// there, else rendered from the texts; returns the sections of this report.
fn html(
    report: &OverlapReport,
    docs: &[&Doc],
    texts: &Texts,
    prev_sections: &BTreeMap<String, String>,
) -> (String, BTreeMap<String, String>) {
    let index: HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.path.as_str(), i))
        .collect();
    // The texts of the sections that must be rendered, read in parallel first.
    let rows = report
        .pairs
        .iter()
        .map(|p| (p, false))
        .chain(report.padding_pairs.iter().map(|p| (p, true)));
    // (row, padding, its key and documents); every row, in the order of the HTML.
    type Keyed<'r> = (&'r PairRow, bool, Option<(String, usize, usize)>);
    let keyed: Vec<Keyed> = rows
        .map(|(p, padding)| {
            let k = index
                .get(p.a.as_str())
                .zip(index.get(p.b.as_str()))
                .map(|(&a, &b)| {
                    let k = section_key(p, padding, &docs[a].content, &docs[b].content);
                    (k, a, b)
                });
            (p, padding, k)
        })
        .collect();
    let mut wanted: Vec<usize> = keyed
        .iter()
        .filter_map(|x| x.2.as_ref())
        .filter(|k| !prev_sections.contains_key(&k.0))
        .flat_map(|k| [k.1, k.2])
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let chars: HashMap<usize, Option<Vec<char>>> = wanted
        .par_iter()
        .map(|&i| (i, texts.get(i, docs[i]).map(|t| t.chars().collect())))
        .collect();
    let t = |i: usize| chars.get(&i).and_then(|c| c.as_deref());
    let mut sections = BTreeMap::new();
    let mut rendered = Vec::with_capacity(keyed.len());
    for (p, padding, k) in &keyed {
        let s = match k {
            Some((k, a, b)) => {
                let s = match prev_sections.get(k) {
                    Some(s) => s.clone(),
                    None => pair_html(p, *padding, t(*a), t(*b)),
                };
                sections.insert(k.clone(), s.clone());
                s
            }
            None => pair_html(p, *padding, None, None),
        };
        rendered.push(s);
    }
    // `to_html_with` asks for the sections in the order of `keyed`.
    let mut next = rendered.into_iter();
    let html = to_html_with(report, &mut |p, padding| {
        next.next()
            .unwrap_or_else(|| pair_html(p, padding, None, None))
    });
    (html, sections)
}

fn full(
    cache_dir: &Path,
    key: &str,
    docs: &[Doc],
    min_chars: u32,
    src: &Sources,
    progress: &dyn crate::progress::Progress,
) -> Outcome {
    let calls = (src.call_hashes)();
    // Each distinct content once (byte-identical files are common: one template's minutes).
    let mut contents: Vec<&str> = docs.iter().map(|d| d.content.as_str()).collect();
    contents.sort_unstable();
    contents.dedup();
    progress.start("重复检测：读取指纹", contents.len() as u64);
    let fps: HashMap<&str, Fingerprints> = contents
        .par_iter()
        .filter_map(|&c| {
            let f = (src.fingerprints)(c).map(|mut f| {
                super::exclude(&mut f, &calls);
                f
            });
            progress.step(None);
            f.map(|f| (c, f))
        })
        .collect();
    progress.finish();
    let usable: Vec<&Doc> = docs
        .iter()
        .filter(|d| fps.contains_key(d.content.as_str()))
        .collect();
    let inputs: Vec<Input> = usable
        .iter()
        .map(|d| Input {
            path: d.path.clone(),
            project: d.project.clone(),
            fp: &fps[d.content.as_str()],
            text: None,
        })
        .collect();
    let texts = Texts::new(src);
    // Texts are read back only for documents that share passages, to refine them.
    let load = |i: usize| texts.get(i, usable[i]).map(|t| Text::new(&t));
    progress.start(&format!("重复检测：两两比对 {} 个文件", inputs.len()), 0);
    let (report, pairs) = build_with(&inputs, min_chars, true, &load);
    progress.finish();
    progress.start("重复检测：写报告", 0);
    let (html, sections) = html(&report, &usable, &texts, &BTreeMap::new());
    progress.finish();
    let stats = Stats {
        full: true,
        documents: usable.len(),
        pairs_recomputed: pairs.len(),
        pairs_kept: 0,
        texts_read: texts.read(),
    };
    // The holder index of every content, then the state that names it.
    let mut ids: Vec<&str> = fps.keys().copied().collect();
    ids.sort_unstable();
    let mut state = State {
        version: VERSION,
        key: key.to_string(),
        min_chars,
        call_hashes: {
            let mut v: Vec<u64> = calls.into_iter().collect();
            v.sort_unstable();
            v
        },
        docs: usable.iter().map(|&d| d.clone()).collect(),
        contents: ids
            .iter()
            .map(|&c| (c.to_string(), lens(&fps[c])))
            .collect(),
        holders_file: String::new(),
        holders_contents: ids.iter().map(|c| c.to_string()).collect(),
        pairs: stored(&pairs, &usable),
        sections,
    };
    let all: Vec<&Fingerprints> = ids.iter().map(|c| &fps[c]).collect();
    if let Ok(name) = Holders::write(cache_dir, &all) {
        state.holders_file = name;
        save(cache_dir, &state);
    }
    Outcome {
        report,
        html,
        stats,
    }
}

fn stored(pairs: &[PairResult], docs: &[&Doc]) -> Vec<StoredPair> {
    pairs
        .iter()
        .map(|p| StoredPair {
            a: docs[p.a].path.clone(),
            b: docs[p.b].path.clone(),
            passages: p.passages.iter().map(pack).collect(),
            padding: p.padding.iter().map(pack).collect(),
        })
        .collect()
}

/// Writes the state, then removes holder files it does not name.
fn save(cache_dir: &Path, state: &State) {
    let Ok(b) = serde_json::to_vec(state) else {
        return;
    };
    if crate::fsutil::write_durable(&cache_dir.join(STATE_FILE), &b).is_err() {
        return;
    }
    if let Ok(rd) = std::fs::read_dir(cache_dir) {
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if name.starts_with(HOLDERS_PREFIX) && name != state.holders_file {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

fn incremental(
    cache_dir: &Path,
    prev: State,
    mut holders: Holders,
    docs: &[Doc],
    src: &Sources,
    progress: &dyn crate::progress::Progress,
) -> Option<Outcome> {
    let calls: HashSet<u64> = prev.call_hashes.iter().copied().collect();
    let read_fp = |c: &str| {
        (src.fingerprints)(c).map(|mut f| {
            super::exclude(&mut f, &calls);
            f
        })
    };
    // Content ids: the holder file's first, then the extra ones of the last and this run.
    let mut cid: HashMap<&str, u32> = prev
        .holders_contents
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i as u32))
        .collect();
    let base = prev.holders_contents.len();
    let mut names: Vec<&str> = prev.holders_contents.iter().map(|c| c.as_str()).collect();
    for c in prev.docs.iter().chain(docs).map(|d| d.content.as_str()) {
        if !cid.contains_key(c) {
            cid.insert(c, names.len() as u32);
            names.push(c);
        }
    }
    if names.len() - base > base / 16 + 8 {
        return None; // time to rebuild the holder file
    }
    // Fingerprints of the extra contents (and later of changed contents and pairs), by id.
    let mut fps: HashMap<u32, Option<Fingerprints>> = (base..names.len())
        .into_par_iter()
        .map(|i| (i as u32, read_fp(names[i])))
        .collect();
    let known = |c: &str| prev.contents.contains_key(c);
    let old_at: HashMap<&str, &Doc> = prev.docs.iter().map(|d| (d.path.as_str(), d)).collect();
    // This run's documents with fingerprints, and which of them the last run had as they are.
    let mut now: Vec<&Doc> = Vec::new();
    let mut untouched: Vec<bool> = Vec::new();
    for d in docs {
        let id = cid[d.content.as_str()];
        // Contents of the holder file, and of the last run, had fingerprints.
        let has_fp =
            (id as usize) < base || known(&d.content) || fps.get(&id).is_some_and(|f| f.is_some());
        if !has_fp {
            continue;
        }
        now.push(d);
        untouched.push(old_at.get(d.path.as_str()).is_some_and(|o| *o == d));
    }
    let content_of: Vec<u32> = now.iter().map(|d| cid[d.content.as_str()]).collect();
    let count = |list: &mut dyn Iterator<Item = u32>| {
        let mut m: HashMap<u32, usize> = HashMap::new();
        for c in list {
            *m.entry(c).or_default() += 1;
        }
        m
    };
    let mult_old = count(&mut prev.docs.iter().map(|d| cid[d.content.as_str()]));
    let mult_new = count(&mut content_of.iter().copied());
    let changed: BTreeSet<u32> = mult_old
        .keys()
        .chain(mult_new.keys())
        .copied()
        .filter(|c| mult_old.get(c) != mult_new.get(c))
        .collect();
    let added: Vec<usize> = (0..now.len()).filter(|&i| !untouched[i]).collect();
    let mut need: BTreeSet<u32> = changed.clone();
    need.extend(added.iter().map(|&i| content_of[i]));
    load_fps(&mut fps, &need, &names, &read_fp);
    let hashes_of = |c: u32| -> Vec<u64> {
        let mut v: Vec<u64> = fps
            .get(&c)
            .and_then(|f| f.as_ref())
            .map(|f| f.fps.iter().map(|x| x.hash).collect())
            .unwrap_or_default();
        v.sort_unstable();
        v.dedup();
        v
    };
    // The hashes whose holders are asked: those of the changed contents (their counts
    // moved) and of the added documents (their pairs).
    let changed_hashes: Vec<u64> = {
        let mut v: Vec<u64> = changed.iter().flat_map(|&c| hashes_of(c)).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let mut asked: Vec<u64> = changed_hashes.clone();
    for &i in &added {
        asked.extend(hashes_of(content_of[i]));
    }
    asked.sort_unstable();
    asked.dedup();
    let held = Held::lookup(&mut holders, &asked, base, &fps, &mult_old, &mult_new).ok()?;
    let mut docs_of: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, &c) in content_of.iter().enumerate() {
        docs_of.entry(c).or_default().push(i);
    }
    // Pairs of two untouched documents to align again from their fingerprints.
    let mut slow: BTreeSet<(usize, usize)> = BTreeSet::new();
    // 2. Hashes whose holder count crossed the bound: every pair among their holders (those
    // with an added document are all aligned below).
    for &h in &changed_hashes {
        let Some(x) = held.get(&h) else { continue };
        if active(x.old) != active(x.new) {
            let ds: Vec<usize> = x
                .contents
                .iter()
                .flat_map(|c| docs_of.get(c).into_iter().flatten().copied())
                .filter(|&d| untouched[d])
                .collect();
            for (k, &a) in ds.iter().enumerate() {
                for &b in &ds[k + 1..] {
                    if a != b && compared(now[a], now[b]) {
                        slow.insert((a.min(b), a.max(b)));
                    }
                }
            }
        }
    }
    // Kept pairs; 3. those whose documents changed order are aligned again.
    let at: HashMap<&str, usize> = now
        .iter()
        .enumerate()
        .map(|(i, d)| (d.path.as_str(), i))
        .collect();
    let mut kept: Vec<PairResult> = Vec::new();
    for p in &prev.pairs {
        let (Some(&a), Some(&b)) = (at.get(p.a.as_str()), at.get(p.b.as_str())) else {
            continue;
        };
        if !untouched[a] || !untouched[b] {
            continue;
        }
        if a > b {
            slow.insert((b, a));
        } else if !slow.contains(&(a, b)) {
            kept.push(PairResult {
                a,
                b,
                passages: p.passages.iter().map(unpack).collect(),
                padding: p.padding.iter().map(unpack).collect(),
            });
        }
    }
    let core = min_core(prev.min_chars);
    // 1. Every pair of an added document, its seeds straight from the holders of its active
    // hashes (no other document's fingerprints are read). A pair of two added documents is
    // aligned from the side of the first.
    let is_added: HashSet<usize> = added.iter().copied().collect();
    let mut jobs: Vec<Job> = Vec::new();
    for &a in &added {
        let Some(fa) = fps.get(&content_of[a]).and_then(|f| f.as_ref()) else {
            continue;
        };
        let mut by_content: BTreeMap<u32, Vec<(Fp, Fp)>> = BTreeMap::new();
        for x in &fa.fps {
            let Some(h) = held.get(&x.hash) else { continue };
            if !active(h.new) {
                continue;
            }
            for (c, y) in &h.recs {
                by_content.entry(*c).or_default().push((*x, *y));
            }
        }
        for (c, seeds) in by_content {
            for &b in docs_of.get(&c).into_iter().flatten() {
                if b == a || !compared(now[a], now[b]) || (is_added.contains(&b) && b < a) {
                    continue;
                }
                jobs.push((a, b, seeds.clone()));
            }
        }
    }
    // Slow pairs: the seeds of all hashes both hold, active after the change.
    let mut need: BTreeSet<u32> = BTreeSet::new();
    for &(a, b) in &slow {
        need.insert(content_of[a]);
        need.insert(content_of[b]);
    }
    load_fps(&mut fps, &need, &names, &read_fp);
    let fp_of = |i: usize| fps.get(&content_of[i]).and_then(|f| f.as_ref());
    // Each document's fingerprints sorted by hash once, then every slow pair's common
    // hashes by merging the two lists (a hash map per pair cost ~1 ms a pair).
    let slow_docs: BTreeSet<usize> = slow.iter().flat_map(|&(a, b)| [a, b]).collect();
    let sorted: HashMap<usize, Vec<(u64, u32)>> = slow_docs
        .par_iter()
        .filter_map(|&d| {
            let mut v: Vec<(u64, u32)> = fp_of(d)?
                .fps
                .iter()
                .enumerate()
                .map(|(i, x)| (x.hash, i as u32))
                .collect();
            v.sort_unstable();
            Some((d, v))
        })
        .collect();
    let common: Vec<Common> = slow
        .par_iter()
        .map(|&(a, b)| {
            let mut out = Vec::new();
            if let (Some(x), Some(y)) = (sorted.get(&a), sorted.get(&b)) {
                let (mut i, mut j) = (0, 0);
                while i < x.len() && j < y.len() {
                    match x[i].0.cmp(&y[j].0) {
                        std::cmp::Ordering::Less => i += 1,
                        std::cmp::Ordering::Greater => j += 1,
                        std::cmp::Ordering::Equal => {
                            let h = x[i].0;
                            let j0 = j;
                            while i < x.len() && x[i].0 == h {
                                j = j0;
                                while j < y.len() && y[j].0 == h {
                                    out.push((h, x[i].1, y[j].1));
                                    j += 1;
                                }
                                i += 1;
                            }
                        }
                    }
                }
            }
            ((a, b), out)
        })
        .collect();
    let mut shared: Vec<u64> = common
        .iter()
        .flat_map(|(_, c)| c.iter().map(|x| x.0))
        .filter(|h| !held.contains_key(h))
        .collect();
    shared.sort_unstable();
    shared.dedup();
    let more = Held::lookup(&mut holders, &shared, base, &fps, &mult_old, &mult_new).ok()?;
    let active_now = |h: u64| {
        held.get(&h)
            .or_else(|| more.get(&h))
            .is_some_and(|x| active(x.new))
    };
    for ((a, b), c) in common {
        let (Some(fa), Some(fb)) = (fp_of(a), fp_of(b)) else {
            continue;
        };
        let seeds: Vec<(Fp, Fp)> = c
            .into_iter()
            .filter(|x| active_now(x.0))
            .map(|(_, i, j)| (fa.fps[i as usize], fb.fps[j as usize]))
            .collect();
        jobs.push((a, b, seeds));
    }
    let aligned = jobs.len();
    progress.start(
        &format!("重复检测：重新比对 {aligned} 对文件"),
        aligned as u64,
    );
    let mut fresh: Vec<PairResult> = jobs
        .into_par_iter()
        .filter_map(|(a, b, seeds)| {
            progress.step(None);
            if a < b {
                align_pair(a, b, seeds.into_iter(), core)
            } else {
                align_pair(b, a, seeds.into_iter().map(|(x, y)| (y, x)), core)
            }
        })
        .collect();
    progress.finish();
    // Refinement, with the texts of the new pairs' documents.
    let texts = Texts::new(src);
    let mut wanted: Vec<usize> = fresh.iter().flat_map(|p| [p.a, p.b]).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let loaded: HashMap<usize, Text> = wanted
        .par_iter()
        .filter_map(|&i| texts.get(i, now[i]).map(|t| (i, Text::new(&t))))
        .collect();
    refine_pairs(&mut fresh, &|i| loaded.get(&i), prev.min_chars);
    drop(loaded);
    let pairs_kept = kept.len();
    kept.extend(fresh);
    // Figures of every document from all pairs: lengths only.
    let mut contents: BTreeMap<String, Lens> = BTreeMap::new();
    for (d, c) in now.iter().zip(&content_of) {
        let l = match prev.contents.get(&d.content) {
            Some(l) => l.clone(),
            None => lens(fps.get(c)?.as_ref()?),
        };
        contents.insert(d.content.clone(), l);
    }
    let stubs: Vec<Fingerprints> = now.iter().map(|d| stub(&contents[&d.content])).collect();
    let inputs: Vec<Input> = now
        .iter()
        .zip(&stubs)
        .map(|(d, fp)| Input {
            path: d.path.clone(),
            project: d.project.clone(),
            fp,
            text: None,
        })
        .collect();
    let (report, pairs) = assemble(&inputs, kept, prev.min_chars);
    let (html, sections) = html(&report, &now, &texts, &prev.sections);
    let stats = Stats {
        full: false,
        documents: now.len(),
        pairs_recomputed: aligned,
        pairs_kept,
        texts_read: texts.read(),
    };
    let state = State {
        version: VERSION,
        key: prev.key.clone(),
        min_chars: prev.min_chars,
        call_hashes: prev.call_hashes.clone(),
        docs: now.iter().map(|&d| d.clone()).collect(),
        contents,
        holders_file: prev.holders_file.clone(),
        holders_contents: prev.holders_contents.clone(),
        pairs: stored(&pairs, &now),
        sections,
    };
    save(cache_dir, &state);
    Some(Outcome {
        report,
        html,
        stats,
    })
}

/// Who holds one hash: its holder count before and after the change, the contents holding
/// it, and (when it seeds pairs after the change) each of their fingerprints with it.
struct Held {
    old: usize,
    new: usize,
    contents: Vec<u32>,
    recs: Vec<Holding>,
}

impl Held {
    /// The holders of `hashes` (sorted, distinct): the holder file's contents (ids below
    /// `base`) and the extra contents, whose fingerprints are in `fps`.
    fn lookup(
        holders: &mut Holders,
        hashes: &[u64],
        base: usize,
        fps: &HashMap<u32, Option<Fingerprints>>,
        mult_old: &HashMap<u32, usize>,
        mult_new: &HashMap<u32, usize>,
    ) -> std::io::Result<HashMap<u64, Held>> {
        // The extra contents' fingerprints with the asked hashes, in content order.
        let want: HashSet<u64> = hashes.iter().copied().collect();
        let mut extra: HashMap<u64, Vec<Holding>> = HashMap::new();
        let mut ids: Vec<u32> = fps
            .keys()
            .copied()
            .filter(|&c| c as usize >= base)
            .collect();
        ids.sort_unstable();
        for c in ids {
            if let Some(Some(f)) = fps.get(&c) {
                for x in f.fps.iter().filter(|x| want.contains(&x.hash)) {
                    extra.entry(x.hash).or_default().push((c, *x));
                }
            }
        }
        let make = |in_file: &[Holding], ex: &[Holding]| {
            let mut contents: Vec<u32> = in_file.iter().chain(ex).map(|r| r.0).collect();
            contents.sort_unstable();
            contents.dedup();
            let sum = |m: &HashMap<u32, usize>| -> usize {
                contents
                    .iter()
                    .map(|c| m.get(c).copied().unwrap_or(0))
                    .sum()
            };
            let (old, new) = (sum(mult_old), sum(mult_new));
            // Positions only where they seed pairs: a boilerplate hash has hundreds.
            let recs = if active(new) {
                in_file.iter().chain(ex).copied().collect()
            } else {
                Vec::new()
            };
            Held {
                old,
                new,
                contents,
                recs,
            }
        };
        let mut out: HashMap<u64, Held> = HashMap::new();
        holders.lookup(hashes, &mut |h, in_file| {
            let ex = extra.remove(&h).unwrap_or_default();
            out.insert(h, make(in_file, &ex));
        })?;
        for (h, ex) in extra {
            out.insert(h, make(&[], &ex));
        }
        Ok(out)
    }
}

fn load_fps(
    fps: &mut HashMap<u32, Option<Fingerprints>>,
    need: &BTreeSet<u32>,
    names: &[&str],
    read: &(dyn Fn(&str) -> Option<Fingerprints> + Sync),
) {
    let missing: Vec<u32> = need
        .iter()
        .copied()
        .filter(|c| !fps.contains_key(c))
        .collect();
    let got: Vec<(u32, Option<Fingerprints>)> = missing
        .par_iter()
        .map(|&c| (c, read(names[c as usize])))
        .collect();
    fps.extend(got);
}

/// The holder file: the magic, the bucket bits, the record count, 2^bits + 1 record offsets
/// (u64), then 24-byte records sorted by hash: hash u64, content id u32, npos u32, ostart u32,
/// oend u32 (top bits: cited, padding), one per fingerprint of each distinct content. The
/// fingerprints are there so that a new document's pairs are seeded without reading its
/// partners' fingerprints. Written by hand for the same reason as `archive.rs`: a sorted
/// array and an offset table are the whole format.
struct Holders {
    file: std::fs::File,
    offsets: Vec<u64>,
    data_start: u64,
}

impl Holders {
    /// Writes the holders of `contents` (id = position) into a new file; returns its name.
    fn write(dir: &Path, contents: &[&Fingerprints]) -> std::io::Result<String> {
        // Records placed by bucket (a counting pass, then each bucket sorted on its own):
        // a global sort of every fingerprint took most of this function's time.
        let buckets = 1usize << BUCKET_BITS;
        let bucket = |h: u64| (h >> (64 - BUCKET_BITS)) as usize;
        let mut offsets = vec![0u64; buckets + 1];
        for f in contents {
            for x in &f.fps {
                offsets[bucket(x.hash) + 1] += 1;
            }
        }
        for i in 0..buckets {
            offsets[i + 1] += offsets[i];
        }
        let mut recs: Vec<Record> = vec![(0, 0, 0, 0, 0); offsets[buckets] as usize];
        let mut next: Vec<u64> = offsets[..buckets].to_vec();
        for (c, f) in contents.iter().enumerate() {
            for x in &f.fps {
                let oend = (x.oend & 0x3FFF_FFFF)
                    | if x.cited { 0x8000_0000 } else { 0 }
                    | if x.padding { 0x4000_0000 } else { 0 };
                let b = bucket(x.hash);
                recs[next[b] as usize] = (x.hash, c as u32, x.npos, x.ostart, oend);
                next[b] += 1;
            }
        }
        {
            let mut slices: Vec<&mut [Record]> = Vec::with_capacity(buckets);
            let mut rest: &mut [Record] = &mut recs;
            for b in 0..buckets {
                let (head, tail) = rest.split_at_mut((offsets[b + 1] - offsets[b]) as usize);
                slices.push(head);
                rest = tail;
            }
            slices.par_iter_mut().for_each(|s| s.sort_unstable());
        }
        // A new name each time, so a state never names a file that holds something else;
        // and the state naming it is written after it is on disk, so it is written in place
        // (streamed: it is about 24 bytes per fingerprint, 100 MB for 400 projects). A file
        // left by a stopped run is named by no state and removed by the next save.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let name = format!("{HOLDERS_PREFIX}{}-{nanos}.bin", std::process::id());
        let file = std::fs::File::create(dir.join(&name))?;
        let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
        w.write_all(MAGIC)?;
        w.write_all(&BUCKET_BITS.to_le_bytes())?;
        w.write_all(&(recs.len() as u64).to_le_bytes())?;
        for o in &offsets {
            w.write_all(&o.to_le_bytes())?;
        }
        let mut rec = [0u8; RECORD];
        for r in &recs {
            rec[..8].copy_from_slice(&r.0.to_le_bytes());
            for (k, v) in [r.1, r.2, r.3, r.4].into_iter().enumerate() {
                rec[8 + 4 * k..12 + 4 * k].copy_from_slice(&v.to_le_bytes());
            }
            w.write_all(&rec)?;
        }
        w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        Ok(name)
    }

    fn open(path: &Path) -> std::io::Result<Holders> {
        let bad = || std::io::Error::other("重复检测的指纹索引已损坏");
        let mut file = std::fs::File::open(path)?;
        let mut head = [0u8; 17];
        file.read_exact(&mut head)?;
        if &head[..5] != MAGIC || head[5..9] != BUCKET_BITS.to_le_bytes() {
            return Err(bad());
        }
        let n = u64::from_le_bytes(head[9..17].try_into().map_err(|_| bad())?);
        let buckets = 1usize << BUCKET_BITS;
        let mut raw = vec![0u8; (buckets + 1) * 8];
        file.read_exact(&mut raw)?;
        let offsets: Vec<u64> = raw
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap_or_default()))
            .collect();
        let data_start = 17 + raw.len() as u64;
        let len = file.metadata()?.len();
        if offsets.windows(2).any(|w| w[0] > w[1])
            || offsets.last() != Some(&n)
            || len != data_start + n * RECORD as u64
        {
            return Err(bad());
        }
        Ok(Holders {
            file,
            offsets,
            data_start,
        })
    }

    /// Calls `visit` with the fingerprints holding each of `hashes` (sorted, distinct) and
    /// their content ids; not for hashes held by none. Buckets close to each other are read
    /// in one go.
    fn lookup(
        &mut self,
        hashes: &[u64],
        visit: &mut dyn FnMut(u64, &[Holding]),
    ) -> std::io::Result<()> {
        let bucket = |h: u64| (h >> (64 - BUCKET_BITS)) as usize;
        let mut found: Vec<Holding> = Vec::new();
        let mut buf = Vec::new();
        let mut i = 0;
        while i < hashes.len() {
            // A run of wanted buckets with gaps of at most 2 unwanted ones.
            let first = bucket(hashes[i]);
            let mut last = first;
            let mut j = i;
            while j < hashes.len() && bucket(hashes[j]) <= last + 2 {
                last = bucket(hashes[j]);
                j += 1;
            }
            let (lo, hi) = (self.offsets[first], self.offsets[last + 1]);
            if hi > lo {
                buf.resize(((hi - lo) as usize) * RECORD, 0);
                self.file
                    .seek(SeekFrom::Start(self.data_start + lo * RECORD as u64))?;
                self.file.read_exact(&mut buf)?;
                let hash_at = |k: usize| {
                    u64::from_le_bytes(
                        buf[k * RECORD..k * RECORD + 8]
                            .try_into()
                            .unwrap_or_default(),
                    )
                };
                let rec = |k: usize| {
                    let r = &buf[k * RECORD..(k + 1) * RECORD];
                    let u =
                        |a: usize| u32::from_le_bytes(r[a..a + 4].try_into().unwrap_or_default());
                    let oend = u(20);
                    (
                        u(8),
                        Fp {
                            hash: hash_at(k),
                            npos: u(12),
                            ostart: u(16),
                            oend: oend & 0x3FFF_FFFF,
                            cited: oend & 0x8000_0000 != 0,
                            padding: oend & 0x4000_0000 != 0,
                        },
                    )
                };
                let n = (hi - lo) as usize;
                for &h in &hashes[i..j] {
                    let (mut a, mut z) = (0usize, n);
                    while a < z {
                        let m = (a + z) / 2;
                        if hash_at(m) < h {
                            a = m + 1;
                        } else {
                            z = m;
                        }
                    }
                    found.clear();
                    while a < n && hash_at(a) == h {
                        found.push(rec(a));
                        a += 1;
                    }
                    if !found.is_empty() {
                        visit(h, &found);
                    }
                }
            }
            i = j;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::overlap::fingerprint;

    #[test]
    fn the_holder_file_answers_as_a_scan_of_the_fingerprints() {
        let texts = [
            "科学技术协会学会改革服务能力提升计划项目验收专家评审组织实施管理办法条例规定",
            "国家鼓励企业事业单位社会组织和公民个人依法参与生态环境保护监督管理工作",
            "学会改革服务能力提升计划项目验收专家评审组织实施管理办法，另有一段不同的文字",
        ];
        let fps: Vec<Fingerprints> = texts.iter().map(|t| fingerprint(t)).collect();
        let dir = tempfile::tempdir().unwrap();
        let refs: Vec<&Fingerprints> = fps.iter().collect();
        let name = Holders::write(dir.path(), &refs).unwrap();
        let mut h = Holders::open(&dir.path().join(&name)).unwrap();
        // Every hash of every content, and one held by none.
        let mut asked: Vec<u64> = fps
            .iter()
            .flat_map(|f| f.fps.iter().map(|x| x.hash))
            .collect();
        asked.push(12345);
        asked.sort_unstable();
        asked.dedup();
        let mut got: Vec<(u64, u32, crate::overlap::Fp)> = Vec::new();
        h.lookup(&asked, &mut |hash, recs| {
            got.extend(recs.iter().map(|&(c, f)| (hash, c, f)));
        })
        .unwrap();
        let mut expected: Vec<(u64, u32, crate::overlap::Fp)> = fps
            .iter()
            .enumerate()
            .flat_map(|(c, f)| f.fps.iter().map(move |&x| (x.hash, c as u32, x)))
            .collect();
        let key = |x: &(u64, u32, crate::overlap::Fp)| (x.0, x.1, x.2.npos);
        expected.sort_by_key(key);
        got.sort_by_key(key);
        assert_eq!(got, expected);
        // The third text repeats a run of the first: some hash has two holders.
        assert!(got.windows(2).any(|w| w[0].0 == w[1].0 && w[0].1 != w[1].1));
        // A file cut short, or of another layout, is refused.
        let p = dir.path().join(&name);
        let len = std::fs::metadata(&p).unwrap().len();
        let f = std::fs::OpenOptions::new().write(true).open(&p).unwrap();
        f.set_len(len - 1).unwrap();
        assert!(Holders::open(&p).is_err());
        std::fs::write(&p, b"YSOH0").unwrap();
        assert!(Holders::open(&p).is_err());
    }
}
