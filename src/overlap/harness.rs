//! A PAN-style quality harness for the overlap stage: a generated Chinese corpus with planted
//! copies under each evasion, and the PAN measures (Potthast et al., "An Evaluation Framework
//! for Plagiarism Detection", 2010): character precision and recall, granularity, and
//! plagdet = F1 / log2(1 + granularity).
//!
//! The corpus is built from prose the caller supplies (`corpora/prose/laws-sample.txt` in the
//! tests and the bench): source documents are disjoint stretches of it, suspicious documents
//! are other stretches with passages of 40–3,000 characters copied in from a source and
//! disguised. Ground truth is kept in original character offsets of both documents.

use serde::{Deserialize, Serialize};

/// How a planted passage is disguised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Evasion {
    /// Copied as is.
    Verbatim,
    /// ，→, 。→. and the like.
    Punctuation,
    /// A character inserted every 12–25 characters.
    Insert,
    /// A character replaced every 12–25 characters.
    Replace,
    /// Sentences of the passage shuffled.
    Reorder,
    /// Simplified characters written Traditional (与→與).
    Traditional,
    /// Digits, letters and punctuation switched between full and half width.
    Width,
    /// Spaces and line breaks inserted.
    Spacing,
    /// Scattered edits of every kind: a character inserted, deleted or replaced, or two
    /// swapped, every 6–40 characters (a copy "reworded" by hand).
    Edit,
}

pub const EVASIONS: [Evasion; 9] = [
    Evasion::Verbatim,
    Evasion::Punctuation,
    Evasion::Insert,
    Evasion::Replace,
    Evasion::Reorder,
    Evasion::Traditional,
    Evasion::Width,
    Evasion::Spacing,
    Evasion::Edit,
];

impl Evasion {
    pub fn name(self) -> &'static str {
        match self {
            Evasion::Verbatim => "verbatim",
            Evasion::Punctuation => "punctuation",
            Evasion::Insert => "insert",
            Evasion::Replace => "replace",
            Evasion::Reorder => "reorder",
            Evasion::Traditional => "traditional",
            Evasion::Width => "width",
            Evasion::Spacing => "spacing",
            Evasion::Edit => "edit",
        }
    }
}

/// One planted copy: `susp[s_range]` was made from `src[src_range]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub susp: usize,
    pub susp_start: u32,
    pub susp_end: u32,
    pub src: usize,
    pub src_start: u32,
    pub src_end: u32,
    pub evasion: Evasion,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Corpus {
    pub docs: Vec<String>,
    /// How many of `docs` (from the start) are sources.
    pub sources: usize,
    pub cases: Vec<Case>,
}

/// A small deterministic PRNG (xorshift64*): the corpus must be the same on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// Simplified → Traditional for the evasion generator (fast2s only goes the other way);
/// common characters of the statute prose, enough to disguise most of a passage.
const SIMP_TRAD: &[(char, char)] = &[
    ('与', '與'),
    ('万', '萬'),
    ('个', '個'),
    ('项', '項'),
    ('报', '報'),
    ('书', '書'),
    ('组', '組'),
    ('织', '織'),
    ('专', '專'),
    ('题', '題'),
    ('议', '議'),
    ('讨', '討'),
    ('论', '論'),
    ('调', '調'),
    ('动', '動'),
    ('会', '會'),
    ('场', '場'),
    ('术', '術'),
    ('数', '數'),
    ('达', '達'),
    ('约', '約'),
    ('过', '過'),
    ('举', '舉'),
    ('办', '辦'),
    ('开', '開'),
    ('课', '課'),
    ('验', '驗'),
    ('标', '標'),
    ('经', '經'),
    ('费', '費'),
    ('规', '規'),
    ('范', '範'),
    ('训', '訓'),
    ('团', '團'),
    ('队', '隊'),
    ('务', '務'),
    ('类', '類'),
    ('总', '總'),
    ('结', '結'),
    ('价', '價'),
    ('学', '學'),
    ('协', '協'),
    ('实', '實'),
    ('应', '應'),
    ('时', '時'),
    ('间', '間'),
    ('请', '請'),
    ('对', '對'),
    ('为', '為'),
    ('产', '產'),
    ('进', '進'),
    ('条', '條'),
    ('线', '線'),
    ('据', '據'),
    ('国', '國'),
    ('发', '發'),
    ('现', '現'),
    ('关', '關'),
    ('门', '門'),
    ('区', '區'),
    ('级', '級'),
    ('导', '導'),
    ('体', '體'),
    ('业', '業'),
    ('园', '園'),
    ('责', '責'),
    ('职', '職'),
    ('护', '護'),
    ('县', '縣'),
    ('乡', '鄉'),
    ('处', '處'),
    ('违', '違'),
    ('设', '設'),
    ('单', '單'),
    ('质', '質'),
    ('资', '資'),
    ('监', '監'),
    ('机', '機'),
    ('构', '構'),
    ('负', '負'),
    ('严', '嚴'),
];

fn trad(c: char) -> char {
    SIMP_TRAD.iter().find(|x| x.0 == c).map_or(c, |x| x.1)
}

fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// Applies an evasion to a passage.
pub fn disguise(p: &str, ev: Evasion, rng: &mut Rng) -> String {
    let filler: Vec<char> = "的了和在是有也就都而及与或之其此".chars().collect();
    match ev {
        Evasion::Verbatim => p.to_string(),
        Evasion::Punctuation => p
            .chars()
            .map(|c| match c {
                '，' => ',',
                '。' => '.',
                '；' => ';',
                '：' => ':',
                '、' => ',',
                '（' => '(',
                '）' => ')',
                c => c,
            })
            .collect(),
        Evasion::Insert | Evasion::Replace => {
            let mut out = String::new();
            let mut until = 12 + rng.below(14);
            for c in p.chars() {
                if until == 0 && is_cjk(c) {
                    let f = filler[rng.below(filler.len())];
                    if ev == Evasion::Insert {
                        out.push(f);
                        out.push(c);
                    } else {
                        out.push(f);
                    }
                    until = 12 + rng.below(14);
                    continue;
                }
                until = until.saturating_sub(1);
                out.push(c);
            }
            out
        }
        Evasion::Reorder => {
            let mut sents: Vec<String> = p
                .split_inclusive('。')
                .map(str::to_string)
                .filter(|s| !s.is_empty())
                .collect();
            for i in (1..sents.len()).rev() {
                let j = rng.below(i + 1);
                sents.swap(i, j);
            }
            sents.concat()
        }
        Evasion::Traditional => p.chars().map(trad).collect(),
        Evasion::Width => p
            .chars()
            .map(|c| match c {
                '0'..='9' | 'a'..='z' | 'A'..='Z' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
                '，' => ',',
                '：' => ':',
                c => c,
            })
            .collect(),
        Evasion::Edit => {
            let chars: Vec<char> = p.chars().collect();
            let mut out = String::new();
            let mut until = 6 + rng.below(35);
            let mut i = 0;
            while i < chars.len() {
                let c = chars[i];
                if until == 0 && is_cjk(c) {
                    let f = filler[rng.below(filler.len())];
                    match rng.below(4) {
                        0 => {
                            out.push(f);
                            out.push(c);
                        }
                        1 => {} // deleted
                        2 => out.push(f),
                        _ => {
                            // swapped with the next character
                            if let Some(&d) = chars.get(i + 1) {
                                out.push(d);
                                i += 1;
                            }
                            out.push(c);
                        }
                    }
                    until = 6 + rng.below(35);
                    i += 1;
                    continue;
                }
                until = until.saturating_sub(1);
                out.push(c);
                i += 1;
            }
            out
        }
        Evasion::Spacing => {
            let mut out = String::new();
            for c in p.chars() {
                out.push(c);
                match rng.below(30) {
                    0 => out.push('\n'),
                    1 | 2 => out.push(' '),
                    _ => {}
                }
            }
            out
        }
    }
}

/// Splits prose into documents of about `size` characters, dropping lines that repeat an
/// earlier one: statutes repeat stock clauses, and a natural duplicate would count as a
/// false detection against the planted ground truth.
fn chunks(text: &str, size: usize, count: usize) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    let mut cur = String::new();
    for l in text.lines().map(str::trim) {
        if l.chars().count() < 20 || l.starts_with('#') {
            continue;
        }
        let (norm, _) = super::normalize(l);
        // Statutes are written from templates: a line with more than a tenth of its 8-grams
        // seen before is a variant of an earlier one, and would match it outside the ground
        // truth.
        let grams: Vec<&[char]> = norm.windows(8).collect();
        let old = grams.iter().filter(|g| seen.contains(**g)).count();
        if old * 10 > grams.len() {
            continue;
        }
        for g in grams {
            seen.insert(g.to_vec());
        }
        cur.push_str(l);
        cur.push('\n');
        if cur.chars().count() >= size {
            out.push(std::mem::take(&mut cur));
            if out.len() == count {
                break;
            }
        }
    }
    out
}

/// Builds a corpus: `sources` source documents and as many suspicious ones, about `size`
/// characters each, with `per_evasion` planted cases of every evasion.
pub fn generate(prose: &str, sources: usize, size: usize, per_evasion: usize, seed: u64) -> Corpus {
    let mut rng = Rng::new(seed);
    let mut parts = chunks(prose, size, sources * 2);
    assert!(
        parts.len() >= sources * 2,
        "not enough prose: {} chunks of {size} for {} documents",
        parts.len(),
        sources * 2
    );
    let susp_parts = parts.split_off(sources);
    let docs_src = parts;
    let mut susp: Vec<String> = susp_parts;
    let mut cases = Vec::new();
    // Per suspicious document: (line, text, source, source start, source end, evasion).
    type Plant = (usize, String, usize, u32, u32, Evasion);
    let mut plants: Vec<Vec<Plant>> = vec![Vec::new(); susp.len()];
    let mut used: Vec<Vec<(usize, usize)>> = vec![Vec::new(); docs_src.len()];
    for ev in EVASIONS {
        for _ in 0..per_evasion {
            let si = rng.below(docs_src.len());
            let src: Vec<char> = docs_src[si].chars().collect();
            // 40–3,000 characters, short ones more often (as in PAN).
            let len = match rng.below(3) {
                0 => 40 + rng.below(160),
                1 => 200 + rng.below(800),
                _ => 1000 + rng.below(2000),
            }
            .min(src.len().saturating_sub(1));
            // A source region is planted once: two suspicious documents sharing it would
            // overlap each other outside the ground truth.
            let mut start = rng.below(src.len() - len);
            for _ in 0..50 {
                if !used[si].iter().any(|&(a, b)| start < b && a < start + len) {
                    break;
                }
                start = rng.below(src.len() - len);
            }
            if used[si].iter().any(|&(a, b)| start < b && a < start + len) {
                continue;
            }
            used[si].push((start, start + len));
            let passage: String = src[start..start + len].iter().collect();
            let disguised = disguise(&passage, ev, &mut rng);
            let di = rng.below(susp.len());
            let at_line = rng.below(40);
            plants[di].push((
                at_line,
                disguised,
                si,
                start as u32,
                (start + len) as u32,
                ev,
            ));
        }
    }
    // Insert the plants at line starts and record where they land.
    for (di, ps) in plants.into_iter().enumerate() {
        if ps.is_empty() {
            continue;
        }
        let lines: Vec<String> = susp[di].lines().map(str::to_string).collect();
        type Slot = (String, usize, u32, u32, Evasion);
        let mut by_line: Vec<Vec<Slot>> = vec![Vec::new(); lines.len() + 1];
        for (at, text, si, s0, s1, ev) in ps {
            by_line[at.min(lines.len())].push((text, si, s0, s1, ev));
        }
        let mut out = String::new();
        let mut pos: u32 = 0;
        for (li, slot) in by_line.into_iter().enumerate() {
            for (text, si, s0, s1, ev) in slot {
                let n = text.chars().count() as u32;
                cases.push(Case {
                    susp: sources + di,
                    susp_start: pos,
                    susp_end: pos + n,
                    src: si,
                    src_start: s0,
                    src_end: s1,
                    evasion: ev,
                });
                out.push_str(&text);
                out.push('\n');
                pos += n + 1;
            }
            if let Some(l) = lines.get(li) {
                out.push_str(l);
                out.push('\n');
                pos += l.chars().count() as u32 + 1;
            }
        }
        susp[di] = out;
    }
    let mut docs = docs_src;
    docs.extend(susp);
    Corpus {
        docs,
        sources,
        cases,
    }
}

/// A detection: a passage in document `a` taken as copied from (or into) document `b`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detection {
    pub a: usize,
    pub a_start: u32,
    pub a_end: u32,
    pub b: usize,
    pub b_start: u32,
    pub b_end: u32,
}

fn inter(a0: u32, a1: u32, b0: u32, b1: u32) -> (u32, u32) {
    (a0.max(b0), a1.min(b1))
}

/// Detection oriented like the case (suspicious side first), if it concerns the case's pair.
fn oriented(d: &Detection, c: &Case) -> Option<(u32, u32, u32, u32)> {
    if d.a == c.susp && d.b == c.src {
        Some((d.a_start, d.a_end, d.b_start, d.b_end))
    } else if d.b == c.susp && d.a == c.src {
        Some((d.b_start, d.b_end, d.a_start, d.a_end))
    } else {
        None
    }
}

/// What a detection and a case share on the suspicious and on the source side, when it
/// overlaps the case on both.
fn shared(d: &Detection, c: &Case) -> Option<((u32, u32), (u32, u32))> {
    let (a0, a1, b0, b1) = oriented(d, c)?;
    let x = inter(a0, a1, c.susp_start, c.susp_end);
    let y = inter(b0, b1, c.src_start, c.src_end);
    (x.1 > x.0 && y.1 > y.0).then_some((x, y))
}

/// Union length of ranges (the overlap module's, widened for summing).
fn union(r: Vec<(u32, u32)>) -> u64 {
    super::union_len(r) as u64
}

/// PAN measures over a set of cases.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    pub precision: f64,
    pub recall: f64,
    pub granularity: f64,
    pub plagdet: f64,
    pub cases: usize,
    pub detections: usize,
}

/// Scores detections against cases. Precision uses every detection that touches the given
/// cases' documents when `all_detections` is true (the overall figure), else only detections
/// overlapping one of `cases` (per-evasion figures, where other evasions' cases are not
/// false positives).
pub fn score(cases: &[&Case], dets: &[Detection], all_detections: bool) -> Scores {
    // Recall: per case, the share of its characters (both sides) covered by detections.
    let mut rec_sum = 0.0;
    let mut detected_cases = 0usize;
    let mut gran_sum = 0usize;
    for c in cases {
        let mut s_side = Vec::new();
        let mut r_side = Vec::new();
        let mut hits = 0;
        for d in dets {
            if let Some((x, y)) = shared(d, c) {
                s_side.push(x);
                r_side.push(y);
                hits += 1;
            }
        }
        let len = (c.susp_end - c.susp_start + c.src_end - c.src_start) as f64;
        rec_sum += (union(s_side) + union(r_side)) as f64 / len;
        if hits > 0 {
            detected_cases += 1;
            gran_sum += hits;
        }
    }
    let recall = if cases.is_empty() {
        0.0
    } else {
        rec_sum / cases.len() as f64
    };
    // Precision: per detection, the share of its characters that lie in some case.
    let relevant: Vec<&Detection> = dets
        .iter()
        .filter(|d| {
            all_detections
                || cases.iter().any(|c| {
                    oriented(d, c).is_some_and(|(a0, a1, _, _)| {
                        let x = inter(a0, a1, c.susp_start, c.susp_end);
                        x.1 > x.0
                    })
                })
        })
        .collect();
    let mut prec_sum = 0.0;
    for d in &relevant {
        let mut s_side = Vec::new();
        let mut r_side = Vec::new();
        for c in cases {
            if let Some((x, y)) = shared(d, c) {
                s_side.push(x);
                r_side.push(y);
            }
        }
        let len = (d.a_end - d.a_start + d.b_end - d.b_start) as f64;
        prec_sum += (union(s_side) + union(r_side)) as f64 / len.max(1.0);
    }
    let precision = if relevant.is_empty() {
        0.0
    } else {
        prec_sum / relevant.len() as f64
    };
    let granularity = if detected_cases == 0 {
        1.0
    } else {
        gran_sum as f64 / detected_cases as f64
    };
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Scores {
        precision,
        recall,
        granularity,
        plagdet: f1 / (1.0 + granularity).log2(),
        cases: cases.len(),
        detections: relevant.len(),
    }
}

/// Runs the overlap stage on a corpus and returns its detections.
pub fn detect(corpus: &Corpus, min_chars: u32) -> Vec<Detection> {
    let fps: Vec<super::Fingerprints> = {
        use rayon::prelude::*;
        corpus
            .docs
            .par_iter()
            .map(|d| super::fingerprint(d))
            .collect()
    };
    let refs: Vec<&super::Fingerprints> = fps.iter().collect();
    // Every document is its own group; sources among themselves are compared too (their
    // natural overlap counts against precision, as it would in real use).
    let group: Vec<u32> = (0..refs.len() as u32).collect();
    let mut pairs = super::candidate_pairs(&refs, &group, super::min_core(min_chars));
    let texts: Vec<super::Text> = {
        use rayon::prelude::*;
        corpus
            .docs
            .par_iter()
            .map(|d| super::Text::new(d))
            .collect()
    };
    for p in &mut pairs {
        for x in &mut p.passages {
            super::refine(x, &texts[p.a], &texts[p.b]);
        }
        p.passages.retain(|x| {
            x.a_norm.1 - x.a_norm.0 >= min_chars && x.b_norm.1 - x.b_norm.0 >= min_chars
        });
    }
    pairs
        .iter()
        .flat_map(|p| {
            p.passages.iter().map(move |x| Detection {
                a: p.a,
                a_start: x.a_start,
                a_end: x.a_end,
                b: p.b,
                b_start: x.b_start,
                b_end: x.b_end,
            })
        })
        .collect()
}
