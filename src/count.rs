//! Word's 字数 statistics, computed the way Microsoft Word's 字数统计 dialog computes them.
//!
//! Every length requirement in a call for proposals ("3万字以上") is judged against this number,
//! so the rules are spelled out here and tested row by row in `tests/count_rules.rs`:
//!
//! * each East Asian character (Han ideographs, kana, Bopomofo, CJK punctuation, full-width
//!   forms) counts 1 in `cjk_chars`; a run of Hangul counts 1 there too (Word's
//!   "中文字符和朝鲜语单词": Korean is counted by *words*);
//! * each maximal run of other non-space characters counts 1 in `non_cjk_words`
//!   (`Hello、World。` → 2 + 2; `①②③④⑤` → 1, circled digits are not East Asian);
//! * marks shared by both scripts (“ ” ‘ ’ — … · ① ℃ ※ …, the Latin-1 and U+2000–U+2EFF
//!   ranges) count as East Asian only when Word sets them in the run's East Asian font. Word
//!   records that choice as `w:hint="eastAsia"` on the run (its font-slot table, MS-OI29500 /
//!   ECMA-376 §17.3.2.26 rFonts); text without it, and any plain text, gets the Latin font
//!   slot, so there they are part of non-CJK words: `①②③④⑤` → 1, `……` → 1, `“AI”` → 1.
//!   The docx reader applies the hint (see [`east_asian_under_hint`]);
//! * `chars_no_spaces` counts every character but white space; `chars_with_spaces` counts white
//!   space too but not paragraph marks (`\n`).
//!
//! Paragraphs are separated by `\n`; a paragraph is counted when it has a non-space character.
//! The counter is a single forward pass with O(1) state per paragraph, so it can run over
//! chunks split at `\n` in parallel and the results summed.

use serde::{Deserialize, Serialize};

#[cfg(target_arch = "x86_64")]
mod blocks;

/// Word's statistics for a piece of text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// 字数: `cjk_chars + non_cjk_words`.
    pub words: u64,
    /// 中文字符和朝鲜语单词.
    pub cjk_chars: u64,
    /// 非中文单词.
    pub non_cjk_words: u64,
    /// 字符数(不计空格).
    pub chars_no_spaces: u64,
    /// 字符数(计空格), paragraph marks excluded.
    pub chars_with_spaces: u64,
    /// 段落数: paragraphs with at least one non-space character.
    pub paragraphs: u64,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.words += o.words;
        self.cjk_chars += o.cjk_chars;
        self.non_cjk_words += o.non_cjk_words;
        self.chars_no_spaces += o.chars_no_spaces;
        self.chars_with_spaces += o.chars_with_spaces;
        self.paragraphs += o.paragraphs;
    }
}

/// Takes off the counts of paragraphs that were added in: exact, since no counting state
/// crosses a paragraph mark.
impl std::ops::SubAssign for Counts {
    fn sub_assign(&mut self, o: Counts) {
        self.words -= o.words;
        self.cjk_chars -= o.cjk_chars;
        self.non_cjk_words -= o.non_cjk_words;
        self.chars_no_spaces -= o.chars_no_spaces;
        self.chars_with_spaces -= o.chars_with_spaces;
        self.paragraphs -= o.paragraphs;
    }
}

impl std::ops::Add for Counts {
    type Output = Counts;
    fn add(mut self, o: Counts) -> Counts {
        self += o;
        self
    }
}

/// How Word's counter sees one character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// White space: separates words, excluded from `chars_no_spaces`.
    Space,
    /// East Asian character: counts 1 on its own.
    EastAsian,
    /// Hangul: a run of these is one Korean word, counted with the East Asian characters.
    Hangul,
    /// Anything else: part of a non-CJK word.
    Other,
}

/// Classifies one character.
#[inline]
pub fn classify(c: char) -> Class {
    let u = c as u32;
    if u < 0x80 {
        return if matches!(u, 0x09..=0x0D | 0x20) {
            Class::Space
        } else {
            Class::Other
        };
    }
    classify_non_ascii(u)
}

#[inline]
fn classify_non_ascii(u: u32) -> Class {
    match u {
        // White space outside ASCII: NEL, NBSP, Ogham space, the U+2000 spaces, line and
        // paragraph separators, narrow NBSP, medium mathematical space, ideographic space.
        0x85 | 0xA0 | 0x1680 | 0x2000..=0x200A | 0x2028 | 0x2029 | 0x202F | 0x205F | 0x3000 => {
            Class::Space
        }
        0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F | 0xAC00..=0xD7FF | 0xFFA0..=0xFFDC => {
            Class::Hangul
        }
        0x2E80..=0x2FDF // CJK and Kangxi radicals
        | 0x2FF0..=0x2FFF // ideographic description characters
        | 0x3001..=0x303F // CJK symbols and punctuation (U+3000 is a space, above)
        | 0x3040..=0x312F // Hiragana, Katakana, Bopomofo
        | 0x3190..=0x31FF // Kanbun, Bopomofo extended, CJK strokes, Katakana extension
        | 0x3200..=0x33FF // enclosed CJK letters and months, CJK compatibility (㈠, ㎡)
        | 0x3400..=0x4DBF // Extension A
        | 0x4E00..=0x9FFF // CJK Unified Ideographs
        | 0xF900..=0xFAFF // compatibility ideographs
        | 0xFE10..=0xFE1F // vertical forms
        | 0xFE30..=0xFE6F // CJK compatibility forms, small form variants
        | 0xFF01..=0xFF9F // full-width ASCII forms, half-width CJK punctuation and katakana
        | 0xFFE0..=0xFFE6 // full-width signs ￥ ￡
        | 0x1B000..=0x1B16F // kana supplement and extensions
        | 0x20000..=0x323AF // Extensions B to H, compatibility supplement
        => Class::EastAsian,
        _ => Class::Other,
    }
}

/// Would Word set this character in the run's East Asian font when the run carries
/// `w:hint="eastAsia"` (and, for the pinyin letters, an East Asian language of Chinese)?
///
/// Only characters that are not East Asian on their own are asked about. The ranges are Word's
/// font-slot table for hinted runs (MS-OI29500 on ECMA-376 §17.3.2.26): the Latin-1 signs
/// (§ ° ± · × ÷ …), the pinyin vowels with a Chinese language, Greek and Cyrillic, the whole of
/// U+2000–U+2EFF but its spaces and format controls (“ ” — … ‰ ① ℃ → ※ ■ ★ …), private use,
/// and the Latin ligatures.
pub fn east_asian_under_hint(c: char, lang_zh: bool) -> bool {
    let u = c as u32;
    match u {
        0xA1
        | 0xA4
        | 0xA7
        | 0xA8
        | 0xAA
        | 0xAD
        | 0xAF
        | 0xB0..=0xB4
        | 0xB6..=0xBA
        | 0xBC..=0xBF
        | 0xD7
        | 0xF7 => true,
        0xE0 | 0xE1 | 0xE8..=0xEA | 0xEC | 0xED | 0xF2 | 0xF3 | 0xF9 | 0xFA | 0xFC => lang_zh,
        0x100..=0x2AF | 0x1E00..=0x1EFF => lang_zh,
        0x2B0..=0x4FF => true,
        0x2000..=0x200F | 0x2028..=0x202F | 0x205F..=0x206F => false,
        0x2010..=0x2EFF => classify(c) == Class::Other,
        0xE000..=0xF8FF | 0xFB00..=0xFB1C => true,
        _ => false,
    }
}

/// Stands in, in a paragraph's counted text, for a character Word sets in the East Asian font
/// (see [`east_asian_under_hint`]): one character, counted as East Asian (〓, GETA MARK).
pub const EAST_ASIAN_STAND_IN: char = '\u{3013}';

/// Running state of the counter inside one paragraph.
#[derive(Default)]
struct Para {
    /// Are we inside a non-CJK word?
    in_word: bool,
    /// Are we inside a Hangul word?
    in_hangul: bool,
    /// Has the paragraph any non-space character?
    nonempty: bool,
}

/// Counts a text whose paragraphs are separated by `\n` (a CR is a paragraph mark too, as in
/// Word; `\r\n` ends one paragraph, since the empty one between them counts nothing).
///
/// The loop works on bytes so that the two kinds of run that make up nearly all of a report
/// (East Asian characters, which are three bytes each in UTF-8, and ASCII words) are counted
/// by a tight inner loop once their first character has set the paragraph's state; every
/// other character goes through [`step`]. Where the CPU has AVX2, 64-byte blocks are counted
/// by bit masks first (`count/blocks.rs`) and this loop takes only what they leave.
pub fn count_str(text: &str) -> Counts {
    count_inner(text, false).0
}

/// Bytes the streaming text counter (`textcount.rs`) must leave to the general path, which
/// [`count_str_checked`] notes while it counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Oddities {
    /// A NUL byte: binary content, or UTF-16 without a BOM.
    pub nul: bool,
    /// A CR not followed by LF (classic Mac OS line ends).
    pub lone_cr: bool,
}

/// [`count_str`], noting NUL bytes and lone CRs on the way: where the 64-byte blocks run they
/// see them for nearly nothing, which saves two more passes over the text.
pub fn count_str_checked(text: &str) -> (Counts, Oddities) {
    count_inner(text, true)
}

fn count_inner(text: &str, check: bool) -> (Counts, Oddities) {
    let mut c = Counts::default();
    let mut p = Para::default();
    let mut odd = Oddities::default();
    let mut i = 0;
    #[cfg(target_arch = "x86_64")]
    if blocks::avx2() {
        // SAFETY: the CPU has AVX2 and POPCNT (checked just above, at run time).
        i = unsafe { blocks::count_blocks(text, &mut c, &mut p, &mut odd) };
    }
    if check {
        // The blocks saw every byte before `i`; the rest is seen here.
        let b = text.as_bytes();
        odd.nul |= memchr::memchr(0, &b[i..]).is_some();
        odd.lone_cr |=
            memchr::memchr_iter(b'\r', &b[i..]).any(|j| b.get(i + j + 1) != Some(&b'\n'));
    }
    scalar(text, i, text.len(), &mut c, &mut p);
    finish_paragraph(&mut c, &mut p);
    c.words = c.cjk_chars + c.non_cjk_words;
    (c, odd)
}

/// The byte loop of [`count_str`] from byte `i` (a character boundary) until at least byte
/// `limit`; gives where it stopped, a character boundary at or after `limit`.
fn scalar(text: &str, mut i: usize, limit: usize, c: &mut Counts, p: &mut Para) -> usize {
    let b = text.as_bytes();
    while i < limit {
        let x = b[i];
        if x < 0x80 {
            if x == b'\n' || x == b'\r' {
                finish_paragraph(c, p);
                i += 1;
                continue;
            }
            step(c, p, x as char);
            i += 1;
            if x > 0x20 && x < 0x7F {
                // Inside an ASCII word now: its other letters only add characters.
                let run = b[i..]
                    .iter()
                    .position(|&y| !(0x21..0x7F).contains(&y))
                    .unwrap_or(b.len() - i);
                c.chars_no_spaces += run as u64;
                c.chars_with_spaces += run as u64;
                i += run;
            }
            continue;
        }
        if asian3(&b[i..]) {
            step_asian(c, p);
            i += 3;
            // The state is now "after an East Asian character": the rest of the run only adds
            // characters.
            // Eight characters at a time while all eight are such characters (one branch per
            // eight), then one at a time to the end of the run.
            let start = i;
            while let Some(w) = b.get(i..i + 24)
                && asian3x8(w)
            {
                i += 24;
            }
            while asian3(&b[i..]) {
                i += 3;
            }
            let run = ((i - start) / 3) as u64;
            c.cjk_chars += run;
            c.chars_no_spaces += run;
            c.chars_with_spaces += run;
            continue;
        }
        // `text` is a str, so `i` is at a character boundary and the character is complete.
        let ch = text[i..].chars().next().unwrap_or('\u{FFFD}');
        step(c, p, ch);
        i += ch.len_utf8();
    }
    i
}

/// Do these bytes start with a three-byte East Asian character that counts 1 on its own:
/// a Han ideograph (U+4E00–U+9FFF), CJK punctuation (U+3001–U+303F) or a full-width form
/// (U+FF01–U+FF5E)? Only called on valid UTF-8, so a lead byte implies its continuation bytes.
#[inline(always)]
fn asian3(b: &[u8]) -> bool {
    matches!(
        b,
        [0xE5..=0xE9, _, _, ..]
            | [0xE4, 0xB8..=0xBF, _, ..]
            | [0xE3, 0x80, 0x81..=0xBF, ..]
            | [0xEF, 0xBC, 0x81..=0xBF, ..]
            | [0xEF, 0xBD, 0x80..=0x9E, ..]
    )
}

/// [`asian3`] for eight characters at once, `w` being 24 bytes from a character boundary of
/// valid UTF-8: each test confirms a three-byte lead byte, so the next character starts three
/// bytes on. Written with `&` and `|` on the eight results rather than `&&`, so it compiles
/// to straight-line code; the statutes' Chinese text has runs of 10–20 such characters
/// between ASCII digits, quotes and line ends.
#[inline(always)]
fn asian3x8(w: &[u8]) -> bool {
    let mut ok = true;
    for c in w.chunks_exact(3) {
        let (l, s, t) = (c[0], c[1], c[2]);
        ok &= (l.wrapping_sub(0xE5) < 5)
            | ((l == 0xE4) & (s >= 0xB8))
            | ((l == 0xE3) & (s == 0x80) & (t >= 0x81))
            | ((l == 0xEF) & (((s == 0xBC) & (t >= 0x81)) | ((s == 0xBD) & (t <= 0x9E))));
    }
    ok
}

/// A manual line break (Shift+Enter) in the text a reader counts: readers show it as U+2028
/// and put this in the paragraph's counted text (`doc::Para::counted`); it is Word's own
/// code for the break in the binary format.
pub const MANUAL_BREAK: char = '\u{B}';

/// Characters Word does not count at all, neither as a character nor as a break: the zero-width
/// space, the BOM / zero-width no-break space, and variation selectors.
#[inline]
fn invisible(ch: char) -> bool {
    matches!(ch, '\u{200B}' | '\u{FEFF}' | '\u{FE00}'..='\u{FE0F}')
}

/// [`step`] for a character known to be [`Class::EastAsian`].
#[inline]
fn step_asian(c: &mut Counts, p: &mut Para) {
    c.chars_with_spaces += 1;
    c.chars_no_spaces += 1;
    p.nonempty = true;
    asian(c, p);
}

/// Counts a large text on all cores: it is cut at paragraph marks, so no state crosses a cut.
pub fn count_str_parallel(text: &str) -> Counts {
    use rayon::prelude::*;
    const CHUNK: usize = 4 << 20;
    if text.len() <= CHUNK {
        return count_str(text);
    }
    let mut pieces = Vec::with_capacity(text.len() / CHUNK + 1);
    let mut rest = text;
    while rest.len() > CHUNK {
        let cut = match rest.as_bytes()[CHUNK..].iter().position(|&b| b == b'\n') {
            Some(i) => CHUNK + i,
            None => rest.len(),
        };
        pieces.push(&rest[..cut]);
        // Skip the '\n' itself: it only ends the paragraph, which the piece's end does too.
        rest = rest.get(cut + 1..).unwrap_or("");
    }
    // The last piece is pushed even when empty so that a trailing "\n" still ends
    // nothing extra: an empty piece counts no paragraph.
    pieces.push(rest);
    pieces
        .into_par_iter()
        .map(count_str)
        .reduce(Counts::default, |a, b| a + b)
}

/// One character that is not a paragraph mark. The runs that make up most text are handled
/// before this, in [`count_str`]; this is the rule for every character.
#[inline]
fn step(c: &mut Counts, p: &mut Para, ch: char) {
    if invisible(ch) {
        return;
    }
    if ch == MANUAL_BREAK {
        // Word's manual line break ends a word but is no character (a typed U+2028 is one).
        space(p);
        return;
    }
    c.chars_with_spaces += 1;
    match classify(ch) {
        Class::Space => space(p),
        class => {
            c.chars_no_spaces += 1;
            p.nonempty = true;
            match class {
                Class::EastAsian => asian(c, p),
                Class::Hangul => {
                    p.in_word = false;
                    if !p.in_hangul {
                        c.cjk_chars += 1;
                        p.in_hangul = true;
                    }
                }
                _ => other(c, p),
            }
        }
    }
}

#[inline]
fn space(p: &mut Para) {
    p.in_word = false;
    p.in_hangul = false;
}

#[inline]
fn asian(c: &mut Counts, p: &mut Para) {
    p.in_word = false;
    p.in_hangul = false;
    c.cjk_chars += 1;
}

#[inline]
fn other(c: &mut Counts, p: &mut Para) {
    p.in_hangul = false;
    if !p.in_word {
        c.non_cjk_words += 1;
        p.in_word = true;
    }
}

fn finish_paragraph(c: &mut Counts, p: &mut Para) {
    if p.nonempty {
        c.paragraphs += 1;
    }
    *p = Para::default();
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The counter one character at a time, without the byte-level fast paths.
    fn count_by_chars(text: &str) -> Counts {
        let mut c = Counts::default();
        let mut p = Para::default();
        for ch in text.chars() {
            if ch == '\n' || ch == '\r' {
                finish_paragraph(&mut c, &mut p);
            } else {
                step(&mut c, &mut p, ch);
            }
        }
        finish_paragraph(&mut c, &mut p);
        c.words = c.cjk_chars + c.non_cjk_words;
        c
    }

    /// Characters at every edge of the fast paths: the first and last of each three-byte
    /// range, their neighbours outside it, weak marks, spaces, Hangul, four-byte characters.
    const EDGES: &[char] = &[
        'a',
        'Z',
        '1',
        '!',
        '~',
        ' ',
        '\t',
        '\n',
        '\r',
        '\u{7F}',
        '\u{80}',
        '\u{A0}',
        '·',
        '—',
        '“',
        '”',
        '…',
        '\u{3000}',
        '\u{3001}',
        '。',
        '\u{303F}',
        '\u{3040}',
        'ぁ',
        '\u{4DFF}',
        '\u{4E00}',
        '中',
        '\u{4FFF}',
        '\u{5000}',
        '\u{9FFF}',
        '\u{A000}',
        '\u{FF00}',
        '\u{FF01}',
        '，',
        '\u{FF3F}',
        '\u{FF40}',
        '\u{FF5E}',
        '\u{FF5F}',
        '\u{FF9F}',
        '\u{FFA0}',
        '가',
        '①',
        '\u{20000}',
        '😀',
        'é',
        // The edges of what the 64-byte blocks classify themselves (`blocks.rs`).
        '\u{B}',
        '\u{1F}',
        '\u{85}',
        '\u{7FF}',
        '\u{800}',
        '\u{FFF}',
        '\u{1000}',
        '\u{1680}',
        '\u{200A}',
        '\u{200B}',
        '\u{200C}',
        '\u{2027}',
        '\u{2028}',
        '\u{2029}',
        '\u{202A}',
        '\u{202F}',
        '\u{2030}',
        '\u{205F}',
        '\u{2060}',
        '\u{207F}',
        '\u{2080}',
        '\u{2E7F}',
        '\u{2E80}',
        '\u{30FF}',
        '\u{3100}',
        '\u{3130}',
        '\u{318F}',
        '\u{31BF}',
        '\u{31C0}',
        '\u{3FFF}',
        '\u{4000}',
        '\u{4DBF}',
        '\u{4DC0}',
        '\u{D7FF}',
        '\u{E000}',
        '\u{EFFF}',
        '\u{F000}',
        '\u{FE00}',
        '\u{FE0F}',
        '\u{FEFF}',
        '\u{FF7F}',
        '\u{FF80}',
        '\u{FFA0}',
        '\u{FFE5}',
        '\u{10FFFF}',
    ];

    /// [`count_str`] as it runs on a CPU without AVX2: the scalar loop alone.
    fn count_scalar(text: &str) -> Counts {
        let mut c = Counts::default();
        let mut p = Para::default();
        scalar(text, 0, text.len(), &mut c, &mut p);
        finish_paragraph(&mut c, &mut p);
        c.words = c.cjk_chars + c.non_cjk_words;
        c
    }

    proptest! {
        #[test]
        fn fast_paths_agree_with_char_by_char(idx in prop::collection::vec(0..EDGES.len(), 0..80)) {
            let s: String = idx.iter().map(|&i| EDGES[i]).collect();
            prop_assert_eq!(count_str(&s), count_by_chars(&s), "{:?}", s);
            prop_assert_eq!(count_scalar(&s), count_by_chars(&s), "{:?}", s);
        }
    }

    /// The three-byte East Asian characters of [`EDGES`] (the fast path's own edges).
    const RUN_EDGES: &[char] = &[
        '\u{3001}', '。', '\u{303F}', '\u{4E00}', '中', '\u{4FFF}', '\u{5000}', '\u{9FFF}',
        '\u{FF01}', '，', '\u{FF3F}', '\u{FF40}', '\u{FF5E}',
    ];

    proptest! {
        /// Long runs, so that the eight-at-a-time loop runs and ends at every offset.
        #[test]
        fn long_runs_agree_with_char_by_char(
            idx in prop::collection::vec((0..EDGES.len(), 0..RUN_EDGES.len(), 0..12u8), 0..200)
        ) {
            let s: String = idx
                .iter()
                .map(|&(e, r, k)| if k < 11 { RUN_EDGES[r] } else { EDGES[e] })
                .collect();
            prop_assert_eq!(count_str(&s), count_by_chars(&s), "{:?}", s);
            prop_assert_eq!(count_scalar(&s), count_by_chars(&s), "{:?}", s);
        }
    }

    /// What most of a Chinese report is made of, so that most 64-byte blocks are counted by
    /// their masks alone.
    const COMMON: &[char] = &[
        '中', '文', '。', '，', '（', '）', '\u{3000}', 'a', 'Z', '1', ' ', '\n', '“', '”', '—',
        '…', '·', '①',
    ];

    /// Text from `COMMON` with an `EDGES` character now and then, after `pad` ASCII bytes so
    /// that the blocks start at every alignment relative to it.
    fn mixed(pad: usize, idx: &[(usize, usize, u8)]) -> String {
        let mut s = "a b".repeat(pad).chars().take(pad).collect::<String>();
        s.extend(idx.iter().map(|&(e, k, w)| {
            if w < 5 {
                COMMON[k % COMMON.len()]
            } else {
                EDGES[e]
            }
        }));
        s
    }

    /// [`count_str`] with the 64-byte blocks classified byte by byte ([`blocks::masks_portable`]),
    /// so that the block logic is tested on any CPU.
    #[cfg(target_arch = "x86_64")]
    fn count_blocks_portable(text: &str) -> Counts {
        let mut c = Counts::default();
        let mut p = Para::default();
        let i = blocks::count_blocks_portable(text, &mut c, &mut p, &mut Oddities::default());
        scalar(text, i, text.len(), &mut c, &mut p);
        finish_paragraph(&mut c, &mut p);
        c.words = c.cjk_chars + c.non_cjk_words;
        c
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        /// The block counter (AVX2 where the CPU has it, and the portable masks) against the
        /// counter one character at a time, blocks starting at every alignment.
        #[test]
        fn blocks_agree_with_char_by_char(
            pad in 0..70usize,
            idx in prop::collection::vec((0..EDGES.len(), 0..COMMON.len(), 0..6u8), 0..400)
        ) {
            let s = mixed(pad, &idx);
            let want = count_by_chars(&s);
            prop_assert_eq!(count_str(&s), want, "{:?}", s);
            prop_assert_eq!(count_scalar(&s), want, "{:?}", s);
            #[cfg(target_arch = "x86_64")]
            prop_assert_eq!(count_blocks_portable(&s), want, "{:?}", s);
        }
    }

    /// Every character of each edge, alone among Han text, in every position of a block:
    /// the masks decide it or leave it to the scalar loop, and the counts agree.
    #[test]
    fn every_edge_at_every_offset() {
        for &e in EDGES {
            for pad in 0..66 {
                for fill in ["中", "a", " ", "“", "\n"] {
                    let s = format!("{}{e}{}", fill.repeat(pad), fill.repeat(70));
                    assert_eq!(count_str(&s), count_by_chars(&s), "{s:?}");
                    #[cfg(target_arch = "x86_64")]
                    assert_eq!(count_blocks_portable(&s), count_by_chars(&s), "{s:?}");
                }
            }
        }
    }

    /// The AVX2 masks equal the byte-by-byte ones on a window at every character boundary.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn avx2_masks_equal_portable_masks_at_every_offset() {
        if !blocks::avx2() {
            return; // nothing to compare on this CPU; the portable masks are tested above
        }
        let mut text = mixed(0, &[]);
        for (k, &e) in EDGES.iter().enumerate() {
            text.push(e);
            text.push(COMMON[k % COMMON.len()]);
            text.push_str("中文");
            if k % 7 == 0 {
                text.push_str("\0\r");
            }
        }
        // And text of only what the first, shorter test decides, with a word now and then.
        let plain: String = (0..400)
            .map(|k| {
                [
                    '中', '文', '。', '，', '\u{3000}', '（', 'ａ', '\u{FF7F}', '\u{9FFF}',
                ][k % 9]
            })
            .chain("ab 12\n\r\n\u{B}\t".chars())
            .collect();
        let text = text.repeat(3) + &plain.repeat(3);
        let b = text.as_bytes();
        let mut windows = 0;
        for i in (0..b.len()).filter(|&i| text.is_char_boundary(i)) {
            let Some(w) = b.get(i..i + blocks::WINDOW) else {
                break;
            };
            let w: &[u8; blocks::WINDOW] = w.try_into().unwrap();
            // SAFETY: the CPU has AVX2 (checked above).
            let fast = unsafe { blocks::masks_avx2(w) };
            assert_eq!(fast, blocks::masks_portable(w), "at {i}: {:?}", &text[i..]);
            windows += 1;
        }
        assert!(windows > 500, "{windows}");
    }

    /// Blocks of text the masks decide alone, checked against hand counts: 64 Han characters
    /// with a word and a paragraph mark in between, so that one block ends mid-character.
    #[test]
    fn hand_counted_blocks() {
        // 30 Han, " ab “x”", newline, 34 Han, "1", newline, newline, "  ".
        let s = format!("{} ab “x”\n{}1\n\n  ", "中".repeat(30), "文".repeat(34));
        let c = count_str(&s);
        assert_eq!(c.cjk_chars, 64);
        assert_eq!(c.non_cjk_words, 3); // "ab", "“x”", "1"
        assert_eq!(c.words, 67);
        assert_eq!(c.chars_no_spaces, 64 + 2 + 3 + 1);
        assert_eq!(c.chars_with_spaces, 64 + 2 + 3 + 1 + 2 + 2);
        assert_eq!(c.paragraphs, 2);
    }

    /// NUL bytes and lone CRs are noted wherever they are: in a block (either half, at its
    /// last byte, with the LF in the next block), past an unsure character, or in the tail.
    #[test]
    fn oddities_at_every_offset() {
        for odd in ["\0", "\r", "\r\n", "\n\r"] {
            for fill in ["中", "a", "😀", "\u{3130}"] {
                for len in [0, 1, 70, 140] {
                    for at in 0..=len {
                        let s = format!("{}{odd}{}", fill.repeat(at), fill.repeat(len - at));
                        let want = Oddities {
                            nul: s.contains('\0'),
                            lone_cr: s.replace("\r\n", "").contains('\r'),
                        };
                        assert_eq!(count_str_checked(&s), (count_str(&s), want), "{s:?}");
                        #[cfg(target_arch = "x86_64")]
                        {
                            let (mut c, mut p, mut o) =
                                (Counts::default(), Para::default(), Oddities::default());
                            let i = blocks::count_blocks_portable(&s, &mut c, &mut p, &mut o);
                            let b = &s.as_bytes()[i..];
                            o.nul |= b.contains(&0);
                            o.lone_cr |= String::from_utf8_lossy(b)
                                .replace("\r\n", "")
                                .contains('\r');
                            assert_eq!(o, want, "{s:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn parallel_equals_serial_across_chunk_cuts() {
        let para = "第一条 为了规范口岸开放，提高口岸通关效率（2020 edition），制定本条例。\n";
        let text: String = para.repeat(200_000);
        assert!(text.len() > 8 << 20);
        assert_eq!(count_str(&text), count_str_parallel(&text));
    }
}
