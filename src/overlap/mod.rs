//! Copied passages between documents (`yanshou overlap` and the batch's overlap stage).
//!
//! # Method
//!
//! 1. **Normalization with a span map.** Matching runs on a normalized character sequence:
//!    letters and digits of every script only (punctuation, spaces and line breaks dropped, so
//!    "，→," and re-wrapped lines change nothing), full-width forms folded, Latin lower-cased,
//!    Traditional characters made Simplified (fast2s, char for char). Each normalized character
//!    keeps the offset of the original character it came from, so every reported offset is in
//!    the extracted text (`yanshou extract`), as the contract requires.
//! 2. **Winnowing** (Schleimer, Wilkerson, Aiken 2003) over k-grams of K = 8 normalized
//!    characters with a window of W = 6 k-grams: a document keeps about 2/(W+1) of its k-gram
//!    hashes, and every run of at least t = W + K − 1 = 13 identical normalized characters
//!    shared by two documents yields at least one common fingerprint. Eight Chinese characters
//!    are rare enough to be a real match; 13 are a short clause, so an insertion or replacement
//!    every 15 characters still leaves seeds between edits. W = 10 (t = 17) was measured too:
//!    recall on the "replace" evasion fell to 0.79–0.99 depending on the corpus seed, against
//!    0.99 with W = 6 (BENCHMARKS.md), for 40 % fewer fingerprints.
//! 3. **Candidates by sorting, not by pairs.** All fingerprints of all documents are sorted by
//!    hash; a hash held by two documents seeds that pair. Cost grows with the number of
//!    fingerprints (linear in total characters, plus the sort), never with the square of the
//!    number of documents. Hashes held by very many documents (boilerplate) are ignored.
//! 4. **Alignment into passages.** A pair's seeds, ordered along the first document, are
//!    merged while the next seed lies within G = 60 normalized characters of the passage on
//!    both sides. The side-condition is a window, not monotonicity, so sentences reordered
//!    inside a copied passage stay one passage; an edit destroys at most K + W k-grams, far
//!    less than G, so a passage with scattered edits is reported once, not as fragments.
//! 5. **Not copying.** Fingerprints of the call for proposals are removed before matching, so
//!    restating one's item is never a match; the caller skips pairs of the same project; and a
//!    fingerprint inside a quotation that names its source (“…” after 《…》 or a colon) is
//!    *cited*: it counts in 总文字复制比 but not in 去除引用文献复制比.
//!
//! # Figures (as CNKI users know them)
//! Per document: copied characters (union over all sources), 总文字复制比 = copied / characters,
//! 去除引用文献复制比 without cited characters, 单篇最大文字复制比 = the largest share shared with a
//! single other document. Characters are normalized characters (字 without punctuation).

pub mod archive;
pub mod files;
#[cfg(feature = "harness")]
pub mod harness;
pub mod incremental;
pub mod report;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// k-gram length in normalized characters.
pub const K: usize = 8;
/// Winnowing window in k-grams.
pub const W: usize = 6;
/// Guaranteed detection threshold: shared runs of at least this many normalized characters.
pub const T: usize = W + K - 1;
/// Largest gap (normalized characters) bridged when merging seeds into one passage.
pub const GAP: u32 = 60;
/// How far apart on side b the pieces of one reordered passage may lie.
pub const REORDER_SPAN: u32 = 3000;
/// A hash held by more documents than this is boilerplate and seeds nothing.
pub const MAX_DOCS_PER_HASH: usize = 20;

/// Two fingerprints with one hash, one in each document of a pair.
type Seed = (Fp, Fp);

/// One fingerprint of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fp {
    pub hash: u64,
    /// Normalized position of the k-gram's first character.
    pub npos: u32,
    /// Original char offsets of the k-gram: first character, and one past the last.
    pub ostart: u32,
    pub oend: u32,
    /// Inside a quotation that names its source.
    pub cited: bool,
    /// Inside what pads a report (cover, 目录, 参考文献, 附录, 致谢): matches there are
    /// reported apart and never count in the figures (two reports citing one book are not
    /// copying).
    #[serde(default)]
    pub padding: bool,
}

/// What matching needs of a document: its normalized length and fingerprints.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Fingerprints {
    pub norm_len: u32,
    /// Normalized characters of the body (what the ratios are of); `norm_len` when the
    /// document has no padding.
    #[serde(default)]
    pub body_len: u32,
    pub fps: Vec<Fp>,
    /// Normalized ranges of the padding, sorted: a passage that bridges one (a short
    /// reference list between chapters) does not count its characters.
    #[serde(default)]
    pub padding: Vec<(u32, u32)>,
}

impl Fingerprints {
    /// Characters of the body covered by `ranges` (normalized positions).
    pub fn body_chars(&self, ranges: Vec<(u32, u32)>) -> u32 {
        let all = union_len(ranges.clone());
        if self.padding.is_empty() {
            return all.min(self.norm_len);
        }
        // What the ranges cover of the padding, taken off.
        let mut cut = Vec::new();
        for (a, b) in ranges {
            for &(pa, pb) in &self.padding {
                let (x, y) = (a.max(pa), b.min(pb));
                if x < y {
                    cut.push((x, y));
                }
            }
        }
        (all - union_len(cut)).min(self.body_len)
    }
}

impl Fingerprints {
    /// A compact binary form for the on-disk cache (about 12 bytes per fingerprint instead
    /// of 21): a magic, the normalized length and count, then per fingerprint the hash and
    /// varint deltas. Written by hand because it is five fields and no crate is needed.
    pub fn to_bytes(&self) -> Vec<u8> {
        fn varint(mut v: u32, out: &mut Vec<u8>) {
            while v >= 0x80 {
                out.push((v as u8) | 0x80);
                v >>= 7;
            }
            out.push(v as u8);
        }
        let mut out = Vec::with_capacity(16 + self.fps.len() * 12);
        out.extend_from_slice(b"YSFP2");
        out.extend_from_slice(&self.norm_len.to_le_bytes());
        out.extend_from_slice(&self.body_len.to_le_bytes());
        out.extend_from_slice(&(self.fps.len() as u32).to_le_bytes());
        let (mut last_n, mut last_o) = (0u32, 0u32);
        for f in &self.fps {
            out.extend_from_slice(&f.hash.to_le_bytes());
            varint(f.npos.wrapping_sub(last_n), &mut out);
            varint(f.ostart.wrapping_sub(last_o), &mut out);
            varint(
                (f.oend - f.ostart) << 2 | (f.padding as u32) << 1 | f.cited as u32,
                &mut out,
            );
            last_n = f.npos;
            last_o = f.ostart;
        }
        varint(self.padding.len() as u32, &mut out);
        let mut last = 0u32;
        for &(a, b) in &self.padding {
            varint(a.wrapping_sub(last), &mut out);
            varint(b.wrapping_sub(a), &mut out);
            last = a;
        }
        out
    }

    /// Reads `to_bytes` output; `None` for anything malformed.
    pub fn from_bytes(b: &[u8]) -> Option<Fingerprints> {
        let mut i = 0usize;
        let take = |i: &mut usize, n: usize| -> Option<&[u8]> {
            let s = b.get(*i..*i + n)?;
            *i += n;
            Some(s)
        };
        // YSFP1 (before padding was marked): no body length, one flag bit.
        let v2 = match take(&mut i, 5)? {
            b"YSFP2" => true,
            b"YSFP1" => false,
            _ => return None,
        };
        let norm_len = u32::from_le_bytes(take(&mut i, 4)?.try_into().ok()?);
        let body_len = if v2 {
            u32::from_le_bytes(take(&mut i, 4)?.try_into().ok()?)
        } else {
            norm_len
        };
        let flag_bits = if v2 { 2 } else { 1 };
        let n = u32::from_le_bytes(take(&mut i, 4)?.try_into().ok()?) as usize;
        let varint = |i: &mut usize| -> Option<u32> {
            let mut v = 0u32;
            for shift in (0..35).step_by(7) {
                let byte = *b.get(*i)?;
                *i += 1;
                v |= ((byte & 0x7F) as u32) << shift;
                if byte & 0x80 == 0 {
                    return Some(v);
                }
            }
            None
        };
        let mut fps = Vec::with_capacity(n.min(b.len() / 11 + 1));
        let (mut last_n, mut last_o) = (0u32, 0u32);
        for _ in 0..n {
            let hash = u64::from_le_bytes(take(&mut i, 8)?.try_into().ok()?);
            let npos = last_n.wrapping_add(varint(&mut i)?);
            let ostart = last_o.wrapping_add(varint(&mut i)?);
            let x = varint(&mut i)?;
            fps.push(Fp {
                hash,
                npos,
                ostart,
                oend: ostart.checked_add(x >> flag_bits)?,
                cited: x & 1 == 1,
                padding: v2 && x & 2 == 2,
            });
            last_n = npos;
            last_o = ostart;
        }
        let mut padding = Vec::new();
        if v2 {
            let n = varint(&mut i)? as usize;
            let mut last = 0u32;
            for _ in 0..n.min(b.len()) {
                let a = last.wrapping_add(varint(&mut i)?);
                let end = a.checked_add(varint(&mut i)?)?;
                padding.push((a, end));
                last = a;
            }
        }
        Some(Fingerprints {
            norm_len,
            body_len,
            fps,
            padding,
        })
    }
}

/// Folds one character for matching; `None` drops it.
#[inline]
fn fold(c: char) -> Option<char> {
    let c = crate::text::fold_width(c);
    if c.is_alphanumeric() {
        Some(c.to_ascii_lowercase())
    } else {
        None
    }
}

/// The normalized text of `text` and, per normalized char, its original char offset.
pub fn normalize(text: &str) -> (Vec<char>, Vec<u32>) {
    let mut chars = Vec::with_capacity(text.len() / 3);
    let mut map = Vec::with_capacity(text.len() / 3);
    let mut kept = String::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        if let Some(f) = fold(c) {
            kept.push(f);
            map.push(i as u32);
        }
    }
    // fast2s converts char for char (same count), with a little context for ambiguous
    // characters: converting the kept characters together keeps the map valid.
    let simp = fast2s::convert(&kept);
    chars.extend(simp.chars());
    debug_assert_eq!(chars.len(), map.len());
    if chars.len() != map.len() {
        // Never expected; fall back to the unconverted characters rather than a wrong map.
        chars = kept.chars().collect();
    }
    (chars, map)
}

/// Sentences that end in a reference marker ("…的重要组成部分[3]。", "[2,5]", "［4-6］")
/// whose number is an entry of the document's reference list (lines "[n] …" after a
/// 参考文献 heading): cited as a thesis cites. A marker with no entry behind it cites nothing.
fn referenced_sentences(chars: &[char]) -> Vec<(u32, u32)> {
    use regex::Regex;
    use std::sync::LazyLock;
    static ENTRY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\s*[\[［](\d{1,4})[\]］]").unwrap());
    static MARK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[\[［](\d{1,4}(?:\s*[,，、\-–—~～]\s*\d{1,4})*)[\]］]").unwrap()
    });
    let text: String = chars.iter().collect();
    // The reference list: numbered lines after the last 参考文献 heading.
    let mut refs = std::collections::HashSet::new();
    let mut list_start = None;
    let mut offset = 0usize; // char offset of the current line
    for line in text.split('\n') {
        let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        if matches!(
            t.as_str(),
            "参考文献" | "主要参考文献" | "参考资料" | "References" | "REFERENCES"
        ) {
            list_start = Some(offset);
            refs.clear();
        } else if list_start.is_some()
            && let Some(c) = ENTRY.captures(line)
            && let Ok(n) = c[1].parse::<u32>()
        {
            refs.insert(n);
        }
        offset += line.chars().count() + 1;
    }
    if refs.is_empty() {
        return Vec::new();
    }
    let list_start = list_start.unwrap_or(chars.len());
    let mut out = Vec::new();
    // Byte offsets of the regex into char offsets, walking once.
    let byte_to_char: Vec<usize> = {
        let mut v = vec![0; text.len() + 1];
        for (ci, (bi, c)) in text.char_indices().enumerate() {
            for k in 0..c.len_utf8() {
                v[bi + k] = ci;
            }
        }
        v[text.len()] = chars.len();
        v
    };
    for m in MARK.captures_iter(&text) {
        let at = byte_to_char[m.get(0).map_or(0, |g| g.start())];
        if at >= list_start {
            break;
        }
        let numbers: Vec<u32> = m[1]
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|x| x.parse().ok())
            .collect();
        if !numbers.iter().any(|n| refs.contains(n)) {
            continue;
        }
        let start = chars[..at]
            .iter()
            .rposition(|&c| matches!(c, '。' | '！' | '？' | '；' | '\n'))
            .map_or(0, |p| p + 1);
        if at > start {
            out.push((start as u32, at as u32));
        }
    }
    out
}

/// Quotations that name their source: “…” preceded (within 40 characters) by a 《title》 or
/// ending a "：" lead-in; and sentences ending in a reference marker that resolves to the
/// reference list. Returns original char ranges.
pub fn cited_spans(text: &str) -> Vec<(u32, u32)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = referenced_sentences(&chars);
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '“' {
            let close = chars[i + 1..]
                .iter()
                .take(2000)
                .position(|&c| c == '”')
                .map(|p| i + 1 + p);
            if let Some(j) = close {
                // The lead-in runs back at most 40 characters, and not past the end of the
                // previous sentence or quotation.
                let mut lead_start = i.saturating_sub(40);
                if let Some(p) = chars[lead_start..i]
                    .iter()
                    .rposition(|&c| matches!(c, '。' | '”' | '；' | '！' | '？' | '\n'))
                {
                    lead_start += p + 1;
                }
                let lead: String = chars[lead_start..i].iter().collect();
                let named = lead.contains('》')
                    || lead.ends_with('：')
                    || lead.ends_with(':')
                    || ["指出", "强调", "提出", "规定", "要求"]
                        .iter()
                        .any(|w| lead.contains(w));
                if named && j - i > 1 {
                    out.push(((i + 1) as u32, j as u32));
                }
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    out
}

#[inline]
fn kgram_hash(w: &[char]) -> u64 {
    // A multiplicative hash over the code points, mixed at the end (splitmix64 finalizer):
    // written here because it must be stable across runs and versions (fingerprints are kept
    // on disk), which std's RandomState is not.
    let mut h: u64 = 0x9E37_79B9_7F4A_7C15;
    for &c in w {
        h = (h ^ c as u64).wrapping_mul(0x0000_0100_0000_01B3);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94D0_49BB_1331_11EB);
    h ^ (h >> 31)
}

/// The hashes of the calls' text, which never counts as copied; and the calls that could not
/// be read, each with why.
pub fn call_hashes(
    calls: &[std::path::PathBuf],
) -> (
    std::collections::HashSet<u64>,
    Vec<(std::path::PathBuf, crate::extract::ExtractError)>,
) {
    let mut hashes = std::collections::HashSet::new();
    let mut failed = Vec::new();
    for c in calls {
        match crate::extract::extract_path(c) {
            Ok(d) => hashes.extend(all_hashes(&d.text)),
            Err(e) => failed.push((c.clone(), e)),
        }
    }
    (hashes, failed)
}

/// All k-gram hashes of a text (not winnowed): for the call text that must never match.
pub fn all_hashes(text: &str) -> Vec<u64> {
    let (chars, _) = normalize(text);
    if chars.len() < K {
        return Vec::new();
    }
    chars.windows(K).map(kgram_hash).collect()
}

/// Winnowed fingerprints of a text, all of it body.
pub fn fingerprint(text: &str) -> Fingerprints {
    fingerprint_with_padding(text, &[])
}

/// Winnowed fingerprints of an extracted document, its cover, 目录, 参考文献, 附录 and 致谢
/// marked as padding (`sections`), as the length check leaves them out.
pub fn fingerprint_document(doc: &crate::doc::Document) -> Fingerprints {
    let mut padding: Vec<(u32, u32)> = Vec::new();
    // Segment edges are byte offsets into the text; walk the text once to make them chars.
    let segments = crate::sections::segments(doc);
    let mut edges: Vec<usize> = segments
        .iter()
        .filter(|s| s.kind != crate::sections::SectionKind::Body)
        .flat_map(|s| [s.bytes.start, s.bytes.end])
        .collect();
    edges.sort_unstable();
    let mut chars_at = std::collections::HashMap::new();
    let mut next = edges.iter().peekable();
    for (ci, (bi, _)) in doc
        .text
        .char_indices()
        .chain([(doc.text.len(), ' ')])
        .enumerate()
    {
        while next.peek().is_some_and(|&&e| e <= bi) {
            chars_at.insert(*next.next().unwrap_or(&0), ci as u32);
        }
    }
    for s in segments
        .iter()
        .filter(|s| s.kind != crate::sections::SectionKind::Body)
    {
        if let (Some(&a), Some(&b)) = (chars_at.get(&s.bytes.start), chars_at.get(&s.bytes.end)) {
            padding.push((a, b));
        }
    }
    fingerprint_with_padding(&doc.text, &padding)
}

/// Most characters of one document that are fingerprinted: 100 times a long report. Matching
/// keeps about 60 bytes per character while fingerprinting (normalized text, its map, k-gram
/// hashes), so a 300 KB docx that expands to 30 million characters would take 2 GB; beyond
/// this a document is checked for copying in its first part only.
pub const MAX_FINGERPRINTED_CHARS: usize = 3_000_000;

fn fingerprinted_part(text: &str) -> &str {
    match text.char_indices().nth(MAX_FINGERPRINTED_CHARS) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// Winnowed fingerprints of a text; `padding` lists the original char ranges that pad it.
pub fn fingerprint_with_padding(text: &str, padding: &[(u32, u32)]) -> Fingerprints {
    let text = fingerprinted_part(text);
    let (chars, map) = normalize(text);
    let in_padding = |o: u32| padding.iter().any(|&(a, b)| o >= a && o < b);
    // Normalized padding ranges, and per normalized char the padding chars up to it (a k-gram
    // with any of its characters in the padding is padding).
    let mut spans: Vec<(u32, u32)> = Vec::new();
    let mut pad_before = Vec::with_capacity(if padding.is_empty() { 0 } else { map.len() + 1 });
    if !padding.is_empty() {
        pad_before.push(0u32);
        for (i, &o) in map.iter().enumerate() {
            let p = in_padding(o);
            if p {
                match spans.last_mut() {
                    Some(s) if s.1 == i as u32 => s.1 += 1,
                    _ => spans.push((i as u32, i as u32 + 1)),
                }
            }
            pad_before.push(pad_before[i] + p as u32);
        }
    }
    let body_len = chars.len() as u32 - pad_before.last().copied().unwrap_or(0);
    let kgram_padding = |i: usize| !pad_before.is_empty() && pad_before[i + K] > pad_before[i];
    let n = chars.len();
    let mut fps = Vec::new();
    if n >= K {
        let hashes: Vec<u64> = chars.windows(K).map(kgram_hash).collect();
        let cited = cited_spans(text);
        let is_cited = |o: u32| cited.iter().any(|&(a, b)| o >= a && o < b);
        let total_chars = text.chars().count() as u32;
        let push = |i: usize, fps: &mut Vec<Fp>| {
            let ostart = map[i];
            let oend = map.get(i + K - 1).map_or(total_chars, |&o| o + 1);
            fps.push(Fp {
                hash: hashes[i],
                npos: i as u32,
                ostart,
                oend,
                cited: is_cited(ostart),
                padding: kgram_padding(i),
            });
        };
        if hashes.len() <= W {
            // Shorter than one window: its minimum.
            let (i, _) = hashes
                .iter()
                .enumerate()
                .min_by_key(|(i, h)| (**h, std::cmp::Reverse(*i)))
                .unwrap();
            push(i, &mut fps);
        } else {
            // Winnowing: the minimum of each window (rightmost on ties), each recorded once.
            let mut last: Option<usize> = None;
            for start in 0..=hashes.len() - W {
                let mut m = start;
                for j in start..start + W {
                    if hashes[j] <= hashes[m] {
                        m = j;
                    }
                }
                if last != Some(m) {
                    push(m, &mut fps);
                    last = Some(m);
                }
            }
        }
    }
    Fingerprints {
        norm_len: n as u32,
        body_len,
        fps,
        padding: spans,
    }
}

/// Removes fingerprints whose hash is in `exclude` (the call's own text).
pub fn exclude(fp: &mut Fingerprints, exclude: &std::collections::HashSet<u64>) {
    if !exclude.is_empty() {
        fp.fps.retain(|f| !exclude.contains(&f.hash));
    }
}

/// A copied passage: original offsets on both sides, and its normalized length on side a.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Passage {
    pub a_start: u32,
    pub a_end: u32,
    pub b_start: u32,
    pub b_end: u32,
    /// Normalized characters covered on side a.
    pub chars: u32,
    #[serde(skip)]
    pub a_norm: (u32, u32),
    #[serde(skip)]
    pub b_norm: (u32, u32),
    /// Share of the passage's seeds (side a) that lie in a cited quotation.
    #[serde(skip)]
    pub cited: bool,
}

/// Overlap between two documents (indices into the input).
#[derive(Debug, Clone, PartialEq)]
pub struct PairResult {
    pub a: usize,
    pub b: usize,
    /// Passages of the bodies: what the figures and flags are made of.
    pub passages: Vec<Passage>,
    /// Passages with a side in the padding (cover, 目录, 参考文献, 附录, 致谢): shown apart,
    /// never counted.
    pub padding: Vec<Passage>,
}

/// Merges a pair's seeds into passages (see the module doc, step 4).
///
/// Seeds are taken in order along document a. Several clusters stay open at once: a k-gram
/// that recurs in b (a stock phrase) seeds far-away b positions between the seeds of the real
/// passage, and must neither end it nor join it. A seed joins the open cluster it is within
/// `GAP` of on both sides; a cluster the scan has moved `GAP` past is closed. Closed clusters
/// that follow each other on side a and stay together on side b (their b span no wider than
/// 1.5 × their a span + `GAP`) are one passage whose sentences were reordered. A passage is
/// kept when both sides reach `min_chars` and its seeds' k-grams cover at least half of it
/// on side a: two stock phrases near each other are not a copy.
fn align(mut seeds: Vec<(Fp, Fp)>, min_chars: u32) -> Vec<Passage> {
    seeds.sort_by_key(|(a, b)| (a.npos, b.npos));
    #[derive(Clone, Copy, Debug)]
    struct Cur {
        a0: u32,
        a1: u32,
        b0: u32,
        b1: u32,
        oa0: u32,
        oa1: u32,
        ob0: u32,
        ob1: u32,
        cited: u32,
        n: u32,
        /// k-gram coverage on side a (seeds arrive in a order, so it adds up incrementally).
        cov: u32,
        /// b − a of the last seed: a cluster follows one diagonal.
        diag: i64,
    }
    let k = K as u32;
    let mut closed: Vec<Cur> = Vec::new();
    let mut open: Vec<Cur> = Vec::new();
    for (fa, fb) in seeds {
        let (sa, sb) = (fa.npos, fb.npos);
        let mut i = 0;
        while i < open.len() {
            if open[i].a1 + GAP < sa {
                closed.push(open.swap_remove(i));
            } else {
                i += 1;
            }
        }
        // The open cluster whose diagonal this seed continues (an edit shifts it a little; a
        // stock phrase recurring elsewhere in b does not).
        let d = sb as i64 - sa as i64;
        let best = open
            .iter_mut()
            .filter(|c| (d - c.diag).abs() <= GAP as i64)
            .min_by_key(|c| (d - c.diag).abs());
        if let Some(c) = best {
            c.cov += (sa + k).saturating_sub(sa.max(c.a1));
            c.a1 = c.a1.max(sa + k);
            c.b0 = c.b0.min(sb);
            c.b1 = c.b1.max(sb + k);
            c.oa1 = c.oa1.max(fa.oend);
            c.ob0 = c.ob0.min(fb.ostart);
            c.ob1 = c.ob1.max(fb.oend);
            c.cited += fa.cited as u32;
            c.n += 1;
            c.diag = d;
        } else {
            open.push(Cur {
                a0: sa,
                a1: sa + k,
                b0: sb,
                b1: sb + k,
                oa0: fa.ostart,
                oa1: fa.oend,
                ob0: fb.ostart,
                ob1: fb.oend,
                cited: fa.cited as u32,
                n: 1,
                cov: k,
                diag: d,
            });
        }
    }
    closed.extend(open);
    // A lone seed is a stock phrase, not a piece of a passage: it must not stretch a group.
    closed.retain(|c| c.n >= 2);
    // Reordered sentences: clusters that follow each other on side a and come from nearby
    // places on side b form a group; a group whose b span is no wider than twice its a span
    // (plus slack) is one passage with its sentences moved around, otherwise its clusters
    // stay separate passages.
    closed.sort_by_key(|c| (c.a0, c.a1));
    let join = |m: &mut Cur, c: &Cur| {
        m.cov += c.cov;
        m.a1 = m.a1.max(c.a1);
        m.b0 = m.b0.min(c.b0);
        m.b1 = m.b1.max(c.b1);
        m.oa1 = m.oa1.max(c.oa1);
        m.ob0 = m.ob0.min(c.ob0);
        m.ob1 = m.ob1.max(c.ob1);
        m.cited += c.cited;
        m.n += c.n;
    };
    let mut groups: Vec<Vec<Cur>> = Vec::new();
    for c in closed {
        if let Some(g) = groups.last_mut() {
            let last_a1 = g.iter().map(|x| x.a1).max().unwrap_or(0);
            let near_b = g
                .iter()
                .any(|x| c.b0 <= x.b1 + REORDER_SPAN && x.b0 <= c.b1 + REORDER_SPAN);
            if c.a0 <= last_a1 + GAP && near_b {
                g.push(c);
                continue;
            }
        }
        groups.push(vec![c]);
    }
    let mut merged: Vec<Cur> = Vec::new();
    for g in groups {
        let mut m = g[0];
        for c in &g[1..] {
            join(&mut m, c);
        }
        let a_span = m.a1 - m.a0;
        let b_span = m.b1 - m.b0;
        // The pieces must fill their b span: two separate copies from one source, side by side
        // in a, leave a hole between them in b.
        let b_cov = union_len(g.iter().map(|x| (x.b0, x.b1)).collect());
        if g.len() == 1 || (b_span <= 2 * a_span + 2 * GAP && b_cov * 2 >= b_span) {
            merged.push(m);
        } else {
            merged.extend(g);
        }
    }
    merged
        .into_iter()
        .filter(|c| {
            let len = c.a1 - c.a0;
            len >= min_chars && c.b1 - c.b0 >= min_chars && c.n >= 2 && c.cov * 2 >= len
        })
        .map(|c| Passage {
            a_start: c.oa0,
            a_end: c.oa1,
            b_start: c.ob0,
            b_end: c.ob1,
            chars: c.a1 - c.a0,
            a_norm: (c.a0, c.a1),
            b_norm: (c.b0, c.b1),
            cited: c.cited * 2 > c.n,
        })
        .collect()
}

/// All pairs with copied passages among `docs`. `group[i]` marks documents that may share
/// text (the same project): pairs within a group are skipped. `min_chars` is the shortest
/// passage reported (normalized characters).
pub fn all_pairs(docs: &[&Fingerprints], group: &[u32], min_chars: u32) -> Vec<PairResult> {
    candidate_pairs(docs, group, min_chars)
}

/// The shortest seeded core worth refining into a passage of `min_chars`: edits near both
/// ends of a short copy leave seeds only in its middle (a 50-character copy with an edit 8
/// characters from each end has a 29-character core), and `refine` recovers the ends.
pub fn min_core(min_chars: u32) -> u32 {
    min_chars.saturating_sub((K + W) as u32).max(K as u32 + 1)
}

/// As [`all_pairs`], keeping passages whose seeded core reaches `min_chars`; the caller
/// refines them and applies its own floor.
pub fn candidate_pairs(docs: &[&Fingerprints], group: &[u32], min_chars: u32) -> Vec<PairResult> {
    // (hash, doc, index of the fingerprint in its doc), sorted by hash.
    let mut all: Vec<(u64, u32, u32)> = docs
        .par_iter()
        .enumerate()
        .flat_map_iter(|(d, f)| {
            f.fps
                .iter()
                .enumerate()
                .map(move |(i, fp)| (fp.hash, d as u32, i as u32))
        })
        .collect();
    all.par_sort_unstable();
    // Seeds per pair: runs of one hash held by several documents.
    let mut seeds: Vec<(u32, u32, u32, u32)> = Vec::new(); // (a, b, fp a, fp b)
    let mut i = 0;
    while i < all.len() {
        let mut j = i + 1;
        while j < all.len() && all[j].0 == all[i].0 {
            j += 1;
        }
        let run = &all[i..j];
        let distinct = {
            let mut d: Vec<u32> = run.iter().map(|x| x.1).collect();
            d.dedup();
            d.len()
        };
        if (2..=MAX_DOCS_PER_HASH).contains(&distinct) {
            for x in 0..run.len() {
                for y in x + 1..run.len() {
                    let (da, db) = (run[x].1, run[y].1);
                    if da != db && group[da as usize] != group[db as usize] {
                        seeds.push((da, db, run[x].2, run[y].2));
                    }
                }
            }
        }
        i = j;
    }
    seeds.par_sort_unstable();
    // Group by pair and align.
    let mut ranges = Vec::new();
    let mut s = 0;
    while s < seeds.len() {
        let mut e = s + 1;
        while e < seeds.len() && seeds[e].0 == seeds[s].0 && seeds[e].1 == seeds[s].1 {
            e += 1;
        }
        ranges.push((s, e));
        s = e;
    }
    ranges
        .par_iter()
        .filter_map(|&(s, e)| {
            let (a, b) = (seeds[s].0 as usize, seeds[s].1 as usize);
            let seeds = seeds[s..e]
                .iter()
                .map(|&(_, _, ia, ib)| (docs[a].fps[ia as usize], docs[b].fps[ib as usize]));
            align_pair(a, b, seeds, min_chars)
        })
        .collect()
}

/// The passages of one pair from all its seeds (fingerprints of `a` and `b` with one hash,
/// in any order): body and padding aligned apart. `None` when neither has a passage. The
/// cluster path (`yanshou align`) calls this with the seeds Spark found.
pub fn align_pair(
    a: usize,
    b: usize,
    seeds: impl Iterator<Item = (Fp, Fp)>,
    min_chars: u32,
) -> Option<PairResult> {
    let (body, pad): (Vec<Seed>, Vec<Seed>) =
        seeds.partition(|(fa, fb)| !fa.padding && !fb.padding);
    let passages = align(body, min_chars);
    let padding = align(pad, min_chars);
    (!passages.is_empty() || !padding.is_empty()).then_some(PairResult {
        a,
        b,
        passages,
        padding,
    })
}

/// A document prepared for exact boundary refinement: its normalized characters and their
/// original offsets (see `normalize`).
pub struct Text {
    pub norm: Vec<char>,
    pub map: Vec<u32>,
    pub total_chars: u32,
}

impl Text {
    pub fn new(text: &str) -> Text {
        // Only the fingerprinted part can hold a passage.
        let text = fingerprinted_part(text);
        let (norm, map) = normalize(text);
        Text {
            norm,
            map,
            total_chars: text.chars().count() as u32,
        }
    }
    fn orig_start(&self, n: u32) -> u32 {
        self.map
            .get(n as usize)
            .copied()
            .unwrap_or(self.total_chars)
    }
    fn orig_end(&self, n: u32) -> u32 {
        // One past the original character of normalized char n-1.
        if n == 0 {
            return self.orig_start(0);
        }
        self.map
            .get(n as usize - 1)
            .map_or(self.total_chars, |&o| o + 1)
    }
}

/// Extends a passage's edges character by character where both sides agree, stepping over
/// a single inserted or replaced character when the next four agree again. Winnowing only
/// places seeds somewhere in every window, so without this a passage loses up to K + W
/// characters at each end.
pub fn refine(p: &mut Passage, a: &Text, b: &Text) {
    // A text that is not the one fingerprinted (the file changed on disk since) may be too
    // short for the passage: the passage is left as the seeds placed it.
    if p.a_norm.0 > p.a_norm.1
        || p.b_norm.0 > p.b_norm.1
        || p.a_norm.1 as usize > a.norm.len()
        || p.b_norm.1 as usize > b.norm.len()
    {
        return;
    }
    const LOOK: usize = 4;
    let max_ext = (3 * (K + W)) as u32;
    // Steps over an edit: (a, b) characters skipped, when the next LOOK agree again. One or
    // two inserted, deleted or replaced characters; a swap of two is a double replacement.
    const SKIPS: [(usize, usize); 7] = [(1, 0), (0, 1), (1, 1), (2, 0), (0, 2), (2, 2), (2, 1)];
    const SKIPS_MORE: [(usize, usize); 1] = [(1, 2)];
    let eq = |i: usize, j: usize, n: usize| -> bool {
        i + n <= a.norm.len() && j + n <= b.norm.len() && a.norm[i..i + n] == b.norm[j..j + n]
    };
    // Forward.
    let (mut i, mut j) = (p.a_norm.1 as usize, p.b_norm.1 as usize);
    let (mut ei, mut ej) = (i, j);
    let mut steps = 0;
    while steps < max_ext {
        steps += 1;
        if eq(i, j, 1) {
            i += 1;
            j += 1;
            ei = i;
            ej = j;
        } else if let Some(&(di, dj)) = SKIPS
            .iter()
            .chain(&SKIPS_MORE)
            .find(|&&(di, dj)| eq(i + di, j + dj, LOOK))
        {
            i += di;
            j += dj;
        } else {
            break;
        }
    }
    // Backward.
    let (mut i, mut j) = (p.a_norm.0 as usize, p.b_norm.0 as usize);
    let (mut si, mut sj) = (i, j);
    let eqb = |i: usize, j: usize, n: usize| -> bool {
        // The n characters ending just before i and j.
        i >= n && j >= n && a.norm[i - n..i] == b.norm[j - n..j]
    };
    steps = 0;
    while steps < max_ext {
        steps += 1;
        if eqb(i, j, 1) {
            i -= 1;
            j -= 1;
            si = i;
            sj = j;
        } else if let Some(&(di, dj)) = SKIPS
            .iter()
            .chain(&SKIPS_MORE)
            .find(|&&(di, dj)| i >= di && j >= dj && eqb(i - di, j - dj, LOOK))
        {
            i -= di;
            j -= dj;
        } else {
            break;
        }
    }
    p.a_norm = (si as u32, ei as u32);
    p.b_norm = (sj as u32, ej as u32);
    p.a_start = a.orig_start(p.a_norm.0);
    p.a_end = a.orig_end(p.a_norm.1);
    p.b_start = b.orig_start(p.b_norm.0);
    p.b_end = b.orig_end(p.b_norm.1);
    p.chars = p.a_norm.1 - p.a_norm.0;
}

/// Union length of ranges.
fn union_len(mut r: Vec<(u32, u32)>) -> u32 {
    r.sort_unstable();
    let mut total = 0;
    let mut cur: Option<(u32, u32)> = None;
    for (a, b) in r {
        match &mut cur {
            Some((_, e)) if a <= *e => *e = (*e).max(b),
            _ => {
                if let Some((s, e)) = cur {
                    total += e - s;
                }
                cur = Some((a, b));
            }
        }
    }
    if let Some((s, e)) = cur {
        total += e - s;
    }
    total
}

/// CNKI-style figures of one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocFigures {
    /// Normalized characters.
    pub chars: u32,
    pub copied_chars: u32,
    /// 总文字复制比
    pub copy_ratio: f64,
    /// 去除引用文献复制比
    pub copy_ratio_without_cited: f64,
    /// 单篇最大文字复制比
    pub max_single_ratio: f64,
    /// The document with the largest share.
    pub max_single_source: Option<usize>,
}

/// Figures per document from the pair results.
pub fn figures(docs: &[&Fingerprints], pairs: &[PairResult]) -> Vec<DocFigures> {
    let n = docs.len();
    let mut ranges: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n];
    let mut uncited: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n];
    let mut single: Vec<Vec<(usize, u32)>> = vec![Vec::new(); n];
    for p in pairs {
        let ra: Vec<(u32, u32)> = p.passages.iter().map(|x| x.a_norm).collect();
        let rb: Vec<(u32, u32)> = p.passages.iter().map(|x| x.b_norm).collect();
        single[p.a].push((p.b, docs[p.a].body_chars(ra.clone())));
        single[p.b].push((p.a, docs[p.b].body_chars(rb.clone())));
        for x in &p.passages {
            if !x.cited {
                uncited[p.a].push(x.a_norm);
                uncited[p.b].push(x.b_norm);
            }
        }
        ranges[p.a].extend(ra);
        ranges[p.b].extend(rb);
    }
    (0..n)
        .map(|d| {
            let len = docs[d].body_len;
            let chars = len.max(1);
            let copied = docs[d].body_chars(std::mem::take(&mut ranges[d]));
            let unc = docs[d].body_chars(std::mem::take(&mut uncited[d]));
            let best = single[d]
                .iter()
                .filter(|x| x.1 > 0)
                .max_by_key(|x| x.1)
                .copied();
            DocFigures {
                chars: len,
                copied_chars: copied,
                copy_ratio: copied as f64 / chars as f64,
                copy_ratio_without_cited: unc as f64 / chars as f64,
                max_single_ratio: best.map_or(0.0, |b| b.1.min(len) as f64 / chars as f64),
                max_single_source: best.map(|b| b.0),
            }
        })
        .collect()
}

/// Shared characters of a pair's bodies on each side (normalized).
pub fn pair_chars(docs: &[&Fingerprints], p: &PairResult) -> (u32, u32) {
    (
        docs[p.a].body_chars(p.passages.iter().map(|x| x.a_norm).collect()),
        docs[p.b].body_chars(p.passages.iter().map(|x| x.b_norm).collect()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text shorter than the passage the fingerprints placed (the file changed since) is
    /// no reason to stop: the passage stays as it was.
    #[test]
    fn refining_against_a_text_that_changed_leaves_the_passage() {
        let mut p = Passage {
            a_start: 40,
            a_end: 60,
            b_start: 0,
            b_end: 20,
            chars: 20,
            a_norm: (40, 60),
            b_norm: (0, 20),
            cited: false,
        };
        let before = p.clone();
        let short = Text::new("短文本");
        let long = Text::new(&"学会改革服务能力提升".repeat(10));
        refine(&mut p, &short, &long);
        assert_eq!(p, before);
        refine(&mut p, &long, &short);
        assert_eq!(p, before);
    }

    #[test]
    fn normalization_drops_punctuation_and_folds() {
        let (c, m) = normalize("與其，ＡＢ 12。");
        assert_eq!(c.iter().collect::<String>(), "与其ab12");
        assert_eq!(m, vec![0, 1, 3, 4, 6, 7]);
    }

    #[test]
    fn winnowing_guarantee_holds() {
        // Any shared run of T normalized characters gives a common fingerprint.
        let base: String =
            "科学技术协会学会改革服务能力提升计划项目验收专家评审组织实施管理办法条例规定"
                .chars()
                .cycle()
                .take(200)
                .collect();
        for start in [0, 13, 57, 120] {
            let run: String = base.chars().skip(start).take(T).collect();
            let a = fingerprint(&format!("甲乙丙{run}丁戊"));
            let b = fingerprint(&base);
            let hb: std::collections::HashSet<u64> = b.fps.iter().map(|f| f.hash).collect();
            assert!(a.fps.iter().any(|f| hb.contains(&f.hash)), "start {start}");
        }
    }

    #[test]
    fn fingerprints_round_trip_through_bytes() {
        let f = fingerprint(
            "《方案》指出：“学会要服务科技工作者成长成才。”学会服务能力提升计划项目验收专家评审组织实施管理办法",
        );
        assert!(f.fps.iter().any(|x| x.cited));
        let b = f.to_bytes();
        assert_eq!(Fingerprints::from_bytes(&b), Some(f));
        assert_eq!(Fingerprints::from_bytes(&b[..b.len() - 1]), None);
        assert_eq!(Fingerprints::from_bytes(b"junk"), None);
        // An end offset past u32::MAX is malformed, not an overflow.
        let edge = Fingerprints {
            padding: Vec::new(),
            norm_len: 8,
            body_len: 8,
            fps: vec![Fp {
                hash: 1,
                npos: 0,
                ostart: u32::MAX,
                oend: u32::MAX,
                cited: false,
                padding: true,
            }],
        };
        let mut b = edge.to_bytes();
        assert_eq!(Fingerprints::from_bytes(&b), Some(edge.clone()));
        // The byte before the padding count (0) is the last fingerprint's length and flags.
        let k = b.len() - 2;
        b[k] = 10; // oend = ostart + (10 >> 2 flag bits) = ostart + 2
        assert_eq!(Fingerprints::from_bytes(&b), None);
        // Padding spans round trip.
        let spans = Fingerprints {
            padding: vec![(0, 3), (5, 8), (300, 1000)],
            ..edge.clone()
        };
        assert_eq!(
            Fingerprints::from_bytes(&spans.to_bytes()),
            Some(spans.clone())
        );
        // Body characters of ranges: [0,10) covers padding 0–3 and 5–8, so 10 − 6 = 4 of the
        // body (then capped by body_len 8); [400, 500) lies in padding: 0.
        assert_eq!(spans.body_chars(vec![(0, 10)]), 4);
        assert_eq!(spans.body_chars(vec![(400, 500)]), 0);
        // The cache of earlier versions (YSFP1: one flag bit, no body length) still reads:
        // hash 7, npos 3, ostart 5, then (len 8 << 1 | cited) = 17.
        let mut v1 = b"YSFP1".to_vec();
        v1.extend(20u32.to_le_bytes());
        v1.extend(1u32.to_le_bytes());
        v1.extend(7u64.to_le_bytes());
        v1.extend([3, 5, 17]);
        let old = Fingerprints::from_bytes(&v1).unwrap();
        assert_eq!((old.norm_len, old.body_len), (20, 20));
        assert_eq!(
            old.fps,
            vec![Fp {
                hash: 7,
                npos: 3,
                ostart: 5,
                oend: 13,
                cited: true,
                padding: false
            }]
        );
    }

    #[test]
    fn matches_in_padding_are_apart_and_do_not_count() {
        // Two reports with different bodies and the same reference list and cover line.
        let refs = "参考文献\n王某某，科技社团治理研究，北京某某出版社二〇二〇年版，第一百二十页至第一百五十页。\n";
        let body_a = "第一章 总论\n科学技术协会学会改革服务能力提升计划项目验收专家评审组织实施管理办法条例规定。\n";
        let body_b = "第一章 总论\n国家鼓励企业事业单位社会组织和公民个人依法参与生态环境保护监督管理工作。\n";
        let doc = |body: &str| {
            let mut d = crate::doc::Document::new(crate::doc::Format::Txt);
            for l in format!("{body}{refs}").lines() {
                d.push(l, crate::doc::ParaKind::Body, None);
            }
            d
        };
        let (a, b) = (
            fingerprint_document(&doc(body_a)),
            fingerprint_document(&doc(body_b)),
        );
        assert!(a.fps.iter().any(|f| f.padding) && a.fps.iter().any(|f| !f.padding));
        // Body: 第一章总论 5 + 38 Han characters = 43 normalized characters (no punctuation).
        assert_eq!(a.body_len, 43);
        let pairs = all_pairs(&[&a, &b], &[0, 1], 20);
        assert_eq!(pairs.len(), 1);
        assert!(pairs[0].passages.is_empty(), "{:?}", pairs[0].passages);
        assert_eq!(pairs[0].padding.len(), 1);
        let figs = figures(&[&a, &b], &pairs);
        assert_eq!(figs[0].copied_chars, 0);
        assert_eq!(figs[0].chars, 43);
        // The same texts with no padding marked: the reference list is a copied passage.
        let pairs = all_pairs(
            &[
                &fingerprint(&doc(body_a).text),
                &fingerprint(&doc(body_b).text),
            ],
            &[0, 1],
            20,
        );
        assert!(!pairs[0].passages.is_empty());
    }

    #[test]
    fn sentences_with_a_resolved_reference_marker_are_cited() {
        let t = "学会是科技工作者之家。学会治理要依法依章[1]。这一句标了不存在的文献[9]。又有两处引用[1,2]！\n参考文献\n[1] 王某某.学会治理[J].2020.\n[2] 李某某.社团[M].2021.\n";
        let chars: Vec<char> = t.chars().collect();
        let spans = cited_spans(t);
        let texts: Vec<String> = spans
            .iter()
            .map(|&(a, b)| chars[a as usize..b as usize].iter().collect())
            .collect();
        // [9] has no entry; the markers inside the list itself cite nothing.
        assert_eq!(texts, ["学会治理要依法依章", "又有两处引用"]);
        // Without a reference list a marker is only a bracket.
        assert!(cited_spans("学会治理要依法依章[1]。").is_empty());
    }

    #[test]
    fn union_of_ranges() {
        assert_eq!(union_len(vec![(0, 10), (5, 15), (20, 25)]), 20);
        assert_eq!(union_len(vec![]), 0);
    }

    #[test]
    fn quotations_with_a_source_are_cited() {
        let t = "《科协系统深化改革实施方案》指出：“要使科协组织真正成为国家创新体系的重要组成部分”。他说“好”。";
        let s = cited_spans(t);
        assert_eq!(s.len(), 1);
        let inner: String = t
            .chars()
            .skip(s[0].0 as usize)
            .take((s[0].1 - s[0].0) as usize)
            .collect();
        assert_eq!(inner, "要使科协组织真正成为国家创新体系的重要组成部分");
    }
}
