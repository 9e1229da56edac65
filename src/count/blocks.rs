//! [`count_str`](super::count_str) 64 bytes at a time with AVX2.
//!
//! Word's counts only need to know, for each character, whether it is a paragraph mark, white
//! space, an East Asian character or "other", and whether the character before it was "other"
//! (a non-CJK word starts where an "other" follows anything else). For a block of 64 bytes
//! that starts at a character boundary, AVX2 compares classify every byte as the lead byte of
//! such a character from the byte itself and the two after it, one bit per byte in a few
//! `u64` masks ([`Masks`]); the counts are then population counts of those masks, and the
//! word starts are "other" leads whose previous byte does not end an "other" character. No
//! branch depends on the text but the one per paragraph mark.
//!
//! Only the characters whose class the masks decide for sure are classified this way: ASCII,
//! two-byte characters, Han U+4E00–U+9FFF, CJK punctuation, full-width forms and the common
//! U+2010–U+2E7F marks (“ ” — … ① ※ …). Anything else (four-byte characters, Hangul, the
//! invisible characters, rare three-byte ranges) is "unsure": the block is counted by masks
//! up to it and the character goes through the scalar loop ([`super::scalar`]), which stays
//! the reference. [`masks_portable`] computes the same masks byte by byte; tests compare both
//! on every offset, and the counts with the character-by-character counter.

use super::{Counts, Oddities, Para};
use std::arch::x86_64::*;

/// Bytes a block classifies; the masks read two bytes more (a lead byte's followers).
const BLOCK: usize = 64;
/// Bytes a block reads.
pub(super) const WINDOW: usize = BLOCK + 2;

/// One bit per byte of a block; bits are set only at the lead byte of a character.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Masks {
    /// Lead bytes: every byte that is not a continuation byte.
    lead: u64,
    /// `\n` and `\r`: paragraph marks.
    para: u64,
    /// Leads that do not count as a character at all: paragraph marks and the manual line
    /// break (U+000B).
    uncounted: u64,
    /// White space, paragraph marks and the manual line break: they end a word.
    space: u64,
    /// East Asian characters, one 字 each.
    asian: u64,
    /// First byte of an "other" character (part of a non-CJK word).
    other: u64,
    /// Last byte of an "other" character.
    other_end: u64,
    /// Leads of characters the masks do not decide: the scalar loop counts them.
    unsure: u64,
    /// NUL bytes, and CRs not followed by LF ([`Oddities`]).
    nul: u64,
    lone_cr: u64,
}

/// Is AVX2 (with POPCNT) there to use?
pub(super) fn avx2() -> bool {
    std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("popcnt")
}

/// Counts `text` block by block from its start while a full window is left; gives the byte
/// (a character boundary) where the caller's scalar loop goes on. Every byte before it has
/// been looked at for `odd`.
#[target_feature(enable = "avx2,popcnt")]
pub(super) fn count_blocks(text: &str, c: &mut Counts, p: &mut Para, odd: &mut Oddities) -> usize {
    let b = text.as_bytes();
    let mut i = 0;
    let (mut nul, mut lone_cr) = (0, 0);
    while let Some(w) = b.get(i..i + WINDOW) {
        let w: &[u8; WINDOW] = w.try_into().expect("a window is WINDOW bytes");
        let m = masks_avx2(w);
        // Bytes past an unsure character are looked at again in the next window: no matter.
        nul |= m.nul;
        lone_cr |= m.lone_cr;
        if m.unsure == 0 {
            apply(&m, BLOCK as u32, c, p);
            i += BLOCK + run_on(w);
        } else {
            // Masks up to the first unsure character, the scalar loop for it.
            let u = m.unsure.trailing_zeros();
            apply(&m, u, c, p);
            i = super::scalar(text, i + u as usize, i + u as usize + 1, c, p);
        }
    }
    odd.nul |= nul != 0;
    odd.lone_cr |= lone_cr != 0;
    i
}

/// How many bytes the block's last character runs on past it, when the masks decided every
/// character of the block: those have at most three bytes, so the next one starts within two
/// bytes of the block's end. Counted without a branch, which the text would decide.
#[inline(always)]
fn run_on(w: &[u8; WINDOW]) -> usize {
    let cont = |x: u8| (x & 0xC0 == 0x80) as usize;
    let (a, b) = (cont(w[BLOCK]), cont(w[BLOCK + 1]));
    a + (a & b)
}

/// Adds the counts of the characters whose lead byte is among the block's first `upto`
/// bytes (all before any unsure one), and leaves `p` as it is after them.
#[inline(always)]
fn apply(m: &Masks, upto: u32, c: &mut Counts, p: &mut Para) {
    if upto == 0 {
        return;
    }
    let keep = if upto >= 64 { !0 } else { (1u64 << upto) - 1 };
    let lead = m.lead & keep;
    let leads = lead.count_ones() as u64;
    c.chars_with_spaces += leads - (m.uncounted & keep).count_ones() as u64;
    c.chars_no_spaces += leads - (m.space & keep).count_ones() as u64;
    c.cjk_chars += (m.asian & keep).count_ones() as u64;
    let other = m.other & keep;
    // An "other" character starts a word unless the byte before it ends one (or, at the
    // block's start, the paragraph is inside a word).
    let after_other = (m.other_end << 1) | p.in_word as u64;
    c.non_cjk_words += (other & !after_other).count_ones() as u64;

    // Paragraphs: one per mark whose paragraph has a non-space character. Among the marks
    // and the non-space characters, that is a mark whose predecessor is a non-space character
    // (or, before the block's first one, a paragraph already begun). Adding one at each
    // non-space character's next bit to the gaps between them carries it to exactly that
    // successor, without a branch per mark.
    let nonspace = lead & !m.space;
    let para = m.para & keep;
    let marked = nonspace | para;
    let after_nonspace = (!marked)
        .wrapping_add(nonspace << 1)
        .wrapping_add(p.nonempty as u64)
        & marked;
    c.paragraphs += (after_nonspace & para).count_ones() as u64;
    if marked != 0 {
        p.nonempty = nonspace >> (63 - marked.leading_zeros()) & 1 == 1;
    }
    // Every character the masks decide ends a Hangul word; the last one says whether a word
    // is open.
    let last = 63 - lead.leading_zeros();
    p.in_word = other >> last & 1 == 1;
    p.in_hangul = false;
}

/// The masks of the 64-byte block at the start of `w` (which starts at a character boundary
/// of valid UTF-8), by AVX2 compares: two halves of 32 bytes. A first, shorter test decides
/// the blocks of ASCII, Han, CJK punctuation and full-width forms alone (99 % of the
/// statutes' blocks); the others are classified in full.
#[target_feature(enable = "avx2")]
pub(super) fn masks_avx2(w: &[u8; WINDOW]) -> Masks {
    let (lo, hi) = (plain_half_avx2(w, 0), plain_half_avx2(w, 32));
    if lo.rest | hi.rest == 0 {
        let join = |a: u32, b: u32| a as u64 | (b as u64) << 32;
        let other = join(lo.other, hi.other);
        return Masks {
            lead: join(lo.lead, hi.lead),
            para: join(lo.para, hi.para),
            uncounted: join(lo.uncounted, hi.uncounted),
            space: join(lo.space, hi.space),
            asian: join(lo.asian, hi.asian),
            other,
            other_end: other, // all of one byte
            unsure: 0,
            nul: join(lo.nul, hi.nul),
            lone_cr: join(lo.lone_cr, hi.lone_cr),
        };
    }
    let lo = half_avx2(w, 0);
    let hi = half_avx2(w, 32);
    let join = |a: u32, b: u32| a as u64 | (b as u64) << 32;
    let other = join(lo.other, hi.other);
    let lead = join(lo.lead, hi.lead);
    Masks {
        lead,
        para: join(lo.para, hi.para),
        uncounted: join(lo.uncounted, hi.uncounted),
        space: join(lo.space, hi.space),
        asian: join(lo.asian, hi.asian),
        other,
        other_end: join(lo.other1, hi.other1)
            | join(lo.other2, hi.other2) << 1
            | join(lo.other3, hi.other3) << 2,
        unsure: lead & !join(lo.sure, hi.sure),
        nul: join(lo.nul, hi.nul),
        lone_cr: join(lo.lone_cr, hi.lone_cr),
    }
}

/// The masks of one half block when every character in it is ASCII, a Han character
/// U+4E00–U+9FFF, CJK punctuation U+3000–U+303F or a full-width form U+FF01–U+FF7F; `rest`
/// has the leads of any other character.
struct PlainHalf {
    lead: u32,
    para: u32,
    uncounted: u32,
    space: u32,
    asian: u32,
    other: u32,
    nul: u32,
    lone_cr: u32,
    rest: u32,
}

#[target_feature(enable = "avx2")]
#[inline]
fn plain_half_avx2(w: &[u8; WINDOW], at: usize) -> PlainHalf {
    let b0 = load(w, at);
    let b1 = load(w, at + 1);
    let b2 = load(w, at + 2);
    let and = |a, b| _mm256_and_si256(a, b);
    let andnot = |a, b| _mm256_andnot_si256(a, b); // b and not a
    let or = |a, b| _mm256_or_si256(a, b);

    let ascii = !bits(b0);
    let lead = !bits(within(b0, 0x80, 0xBF));
    let cr = eq(b0, b'\r');
    let para = bits(or(eq(b0, b'\n'), cr));
    let lone_cr = bits(andnot(eq(b1, b'\n'), cr));
    let ascii_space = bits(or(within(b0, 0x09, 0x0D), eq(b0, b' ')));
    let (b1_80, b2_80) = (eq(b1, 0x80), eq(b2, 0x80));
    let e3_80 = and(eq(b0, 0xE3), b1_80); // U+3000–U+303F
    let ef_bc = and(eq(b0, 0xEF), eq(b1, 0xBC)); // U+FF00–U+FF3F
    let asian = or(
        or(
            within(b0, 0xE5, 0xE9),
            and(eq(b0, 0xE4), within(b1, 0xB8, 0xBF)),
        ),
        or(
            andnot(b2_80, or(e3_80, ef_bc)), // but U+3000 and U+FF00
            and(eq(b0, 0xEF), eq(b1, 0xBD)), // U+FF40–U+FF7F
        ),
    );
    let space3 = bits(and(e3_80, b2_80));
    let asian = bits(asian);
    PlainHalf {
        lead,
        para,
        uncounted: para | bits(eq(b0, 0x0B)),
        space: ascii_space | space3,
        asian,
        other: ascii & !ascii_space,
        nul: bits(eq(b0, 0)),
        lone_cr,
        rest: lead & !(ascii | asian | space3),
    }
}

/// The masks of one half block, with "other" split by length so that its ends can be found.
struct Half {
    lead: u32,
    para: u32,
    uncounted: u32,
    space: u32,
    asian: u32,
    other: u32,
    other1: u32,
    other2: u32,
    other3: u32,
    sure: u32,
    nul: u32,
    lone_cr: u32,
}

/// `x`, through a register the optimizer cannot see into. Without it, LLVM reads a movemask
/// as a vector of booleans, turns the bit operations on the masks back into operations on such
/// vectors and rebuilds them byte by byte (`vpinsrb`): the whole count took 60 % longer.
#[inline(always)]
fn opaque(mut x: u32) -> u32 {
    // SAFETY: an empty piece of assembly that only "changes" this one register: no memory,
    // no stack, no flags.
    unsafe {
        std::arch::asm!("/* {0:e} */", inout(reg) x, options(pure, nomem, nostack, preserves_flags));
    }
    x
}

/// Byte by byte, `x == v`.
#[target_feature(enable = "avx2")]
#[inline]
fn eq(x: __m256i, v: u8) -> __m256i {
    _mm256_cmpeq_epi8(x, _mm256_set1_epi8(v as i8))
}

/// Byte by byte, `x` in `lo..=hi` as unsigned bytes: `x - lo` (wrapping) is at most `hi - lo`.
#[target_feature(enable = "avx2")]
#[inline]
fn within(x: __m256i, lo: u8, hi: u8) -> __m256i {
    let t = _mm256_sub_epi8(x, _mm256_set1_epi8(lo as i8));
    _mm256_cmpeq_epi8(_mm256_min_epu8(t, _mm256_set1_epi8((hi - lo) as i8)), t)
}

/// One bit per byte of `x` (its top bit), through [`opaque`].
#[target_feature(enable = "avx2")]
#[inline]
fn bits(x: __m256i) -> u32 {
    opaque(_mm256_movemask_epi8(x) as u32)
}

/// Loads 32 bytes of `w` from `at`.
#[target_feature(enable = "avx2")]
#[inline]
fn load(w: &[u8; WINDOW], at: usize) -> __m256i {
    assert!(at + 32 <= WINDOW);
    // SAFETY: the 32 bytes from `at` are inside `w` (asserted above); the load is unaligned.
    unsafe { _mm256_loadu_si256(w.as_ptr().add(at).cast()) }
}

#[target_feature(enable = "avx2")]
#[inline]
fn half_avx2(w: &[u8; WINDOW], at: usize) -> Half {
    let b0 = load(w, at);
    let b1 = load(w, at + 1);
    let b2 = load(w, at + 2);
    let and = |a, b| _mm256_and_si256(a, b);
    let or = |a, b| _mm256_or_si256(a, b);
    let not = |a| _mm256_xor_si256(a, _mm256_set1_epi8(-1));

    let ascii = !bits(b0);
    let lead = !bits(within(b0, 0x80, 0xBF));
    let cr = eq(b0, b'\r');
    let para = bits(or(eq(b0, b'\n'), cr));
    let lone_cr = bits(and(cr, not(eq(b1, b'\n'))));
    let nul = bits(eq(b0, 0));
    let vt = bits(eq(b0, 0x0B));
    let ascii_space = bits(or(within(b0, 0x09, 0x0D), eq(b0, b' ')));
    let other1 = ascii & !ascii_space;

    // Two bytes: "other" but NEL (U+0085) and NBSP (U+00A0).
    let two = within(b0, 0xC0, 0xDF);
    let space2 = and(eq(b0, 0xC2), or(eq(b1, 0x85), eq(b1, 0xA0)));
    let other2 = bits(and(two, not(space2)));

    // Three bytes, by lead byte and the bytes after it.
    let (e2, e3, e4, ef) = (eq(b0, 0xE2), eq(b0, 0xE3), eq(b0, 0xE4), eq(b0, 0xEF));
    let b1_80 = eq(b1, 0x80);
    let b2_80 = eq(b2, 0x80);
    let ideographic_space = and(e3, and(b1_80, b2_80)); // U+3000
    let mmsp = and(e2, and(eq(b1, 0x81), eq(b2, 0x9F))); // U+205F
    let asian = or(
        or(within(b0, 0xE5, 0xE9), and(e4, within(b1, 0xB8, 0xBF))), // U+4E00–U+9FFF
        or(
            // U+3001–U+30FF, U+3190–U+3FFF (not U+3000, nor the Hangul letters near U+3130)
            and(e3, not(or(within(b1, 0x84, 0x86), and(b1_80, b2_80)))),
            // U+FF01–U+FF7F
            and(ef, or(and(eq(b1, 0xBC), not(b2_80)), eq(b1, 0xBD))),
        ),
    );
    let other3 = or(
        and(
            e2,
            or(
                // U+2080–U+2E7F; U+2040–U+207F but U+205F
                or(within(b1, 0x82, 0xB9), and(eq(b1, 0x81), not(eq(b2, 0x9F)))),
                // U+200C–U+2027, U+2030–U+203F
                and(b1_80, or(within(b2, 0x8C, 0xA7), within(b2, 0xB0, 0xBF))),
            ),
        ),
        or(
            and(ef, and(eq(b1, 0xBC), b2_80)), // U+FF00
            or(eq(b0, 0xE0), eq(b0, 0xEE)),    // U+0800–U+0FFF, private use U+E000–U+EFFF
        ),
    );
    let space3 = bits(or(ideographic_space, mmsp));
    let asian = bits(asian);
    let other3 = bits(other3);
    let space = ascii_space | bits(space2) | space3;
    Half {
        lead,
        para,
        uncounted: para | vt,
        space,
        asian,
        other: other1 | other2 | other3,
        other1,
        other2,
        other3,
        sure: ascii | bits(two) | space3 | asian | other3,
        nul,
        lone_cr,
    }
}

/// [`masks_avx2`] byte by byte: the reference the tests hold it to, with each character
/// classified by [`super::classify`] rather than by its bytes.
#[cfg(test)]
pub(super) fn masks_portable(w: &[u8; WINDOW]) -> Masks {
    use super::{Class, classify};
    let mut m = Masks::default();
    for j in 0..BLOCK {
        if w[j] == 0 {
            m.nul |= 1 << j;
        }
        if w[j] == b'\r' && w[j + 1] != b'\n' {
            m.lone_cr |= 1 << j;
        }
        if w[j] & 0xC0 == 0x80 {
            continue;
        }
        let bit = 1u64 << j;
        m.lead |= bit;
        let len = match w[j] {
            0..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        let Some(ch) = w
            .get(j..j + len)
            .and_then(|s| std::str::from_utf8(s).ok())
            .and_then(|s| s.chars().next())
        else {
            m.unsure |= bit; // runs past the window: never in valid text at a lead ≤ 63
            continue;
        };
        // The ranges the AVX2 test decides, by code point.
        let sure = matches!(ch,
            '\u{0}'..='\u{FFF}'
            | '\u{E000}'..='\u{EFFF}'
            | '\u{FF00}'..='\u{FF7F}'
            | '\u{3000}'..='\u{30FF}'
            | '\u{31C0}'..='\u{3FFF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{200C}'..='\u{2027}'
            | '\u{2030}'..='\u{2E7F}'
        );
        if !sure {
            m.unsure |= bit;
            continue;
        }
        if ch == '\n' || ch == '\r' {
            m.para |= bit;
        }
        if ch == '\n' || ch == '\r' || ch == super::MANUAL_BREAK {
            m.uncounted |= bit;
        }
        match classify(ch) {
            Class::Space => m.space |= bit,
            Class::EastAsian => m.asian |= bit,
            Class::Other => {
                m.other |= bit;
                // An end past the block only matters to the next block, which starts after it.
                m.other_end |= 1u64.checked_shl((j + len - 1) as u32).unwrap_or(0);
            }
            Class::Hangul => unreachable!("no Hangul among the sure ranges"),
        }
    }
    m
}

/// Counts by [`masks_portable`] and [`apply`], as [`count_blocks`] does with AVX2: the tests
/// run it where AVX2 is missing too.
#[cfg(test)]
pub(super) fn count_blocks_portable(
    text: &str,
    c: &mut Counts,
    p: &mut Para,
    odd: &mut Oddities,
) -> usize {
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(w) = b.get(i..i + WINDOW) {
        let m = masks_portable(w.try_into().expect("a window is WINDOW bytes"));
        odd.nul |= m.nul != 0;
        odd.lone_cr |= m.lone_cr != 0;
        if m.unsure == 0 {
            apply(&m, BLOCK as u32, c, p);
            i += BLOCK + run_on(w.try_into().expect("a window is WINDOW bytes"));
        } else {
            let u = m.unsure.trailing_zeros();
            apply(&m, u, c, p);
            i = super::scalar(text, i + u as usize, i + u as usize + 1, c, p);
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The assembly barrier gives back what it was given, every bit of it.
    #[test]
    fn opaque_is_the_identity() {
        for x in (0..32).map(|k| 1u32 << k).chain([0, u32::MAX, 0xDEAD_BEEF]) {
            assert_eq!(opaque(x), x);
        }
    }
}
