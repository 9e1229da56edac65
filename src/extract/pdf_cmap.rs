//! PDF CMaps: `/ToUnicode` streams, embedded encoding CMaps and Adobe's CID→Unicode tables.
//!
//! Written by hand because the one in lopdf only maps codes to UTF-16 for `/ToUnicode` and
//! does not read code space ranges or `cidrange`s; here one small parser serves all three
//! uses. Input is untrusted: ranges are capped, so a hostile `<0000> <FFFFFFFF>` range
//! cannot allocate gigabytes.

use std::collections::HashMap;
use std::sync::LazyLock;

/// Most entries one CMap may define.
const MAX_ENTRIES: usize = 1 << 20;

/// A parsed CMap: code space ranges, code → Unicode (bf*) and code → CID (cid*).
#[derive(Debug, Default, Clone)]
pub(crate) struct CMap {
    /// (byte length, low, high) of each code space range.
    pub codespace: Vec<(u8, u32, u32)>,
    pub unicode: HashMap<(u8, u32), String>,
    pub cid: HashMap<(u8, u32), u32>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Hex(Vec<u8>),
    Int(i64),
    Op(String),
    ArrOpen,
    ArrClose,
}

fn tokenize(src: &[u8]) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < src.len() {
        let c = src[i];
        match c {
            b'%' => {
                while i < src.len() && src[i] != b'\n' && src[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if src.get(i + 1) == Some(&b'<') => i += 2,
            b'>' if src.get(i + 1) == Some(&b'>') => i += 2,
            b'<' => {
                let mut j = i + 1;
                let mut digits = Vec::new();
                while j < src.len() && src[j] != b'>' {
                    if src[j].is_ascii_hexdigit() {
                        digits.push(src[j]);
                    }
                    j += 1;
                }
                if digits.len() % 2 == 1 {
                    digits.push(b'0');
                }
                let bytes = digits
                    .chunks(2)
                    .map(|p| (hex(p[0]) << 4) | hex(p[1]))
                    .collect();
                out.push(Tok::Hex(bytes));
                i = j + 1;
            }
            b'[' => {
                out.push(Tok::ArrOpen);
                i += 1;
            }
            b']' => {
                out.push(Tok::ArrClose);
                i += 1;
            }
            b'(' => {
                // Strings (in CIDSystemInfo) are skipped, with nesting.
                let mut depth = 0;
                while i < src.len() {
                    match src[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                i += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                let mut j = i;
                while j < src.len()
                    && !src[j].is_ascii_whitespace()
                    && !b"<>[]()%".contains(&src[j])
                {
                    j += 1;
                }
                if j == i {
                    j = i + 1;
                }
                let word = String::from_utf8_lossy(&src[i..j]).into_owned();
                match word.parse::<i64>() {
                    Ok(n) => out.push(Tok::Int(n)),
                    Err(_) => out.push(Tok::Op(word)),
                }
                i = j;
            }
        }
    }
    out
}

fn hex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => c - b'A' + 10,
    }
}

fn code_of(b: &[u8]) -> Option<(u8, u32)> {
    if b.is_empty() || b.len() > 4 {
        return None;
    }
    Some((
        b.len() as u8,
        b.iter().fold(0u32, |a, &x| (a << 8) | x as u32),
    ))
}

/// UTF-16BE bytes of a bf target to a String.
fn utf16(b: &[u8]) -> String {
    let units: Vec<u16> = b
        .chunks(2)
        .map(|p| ((p[0] as u16) << 8) | *p.get(1).unwrap_or(&0) as u16)
        .collect();
    String::from_utf16_lossy(&units)
}

impl CMap {
    pub fn parse(src: &[u8]) -> CMap {
        let toks = tokenize(src);
        let mut m = CMap::default();
        let mut i = 0;
        let mut entries = 0usize;
        while i < toks.len() {
            let Tok::Op(op) = &toks[i] else {
                i += 1;
                continue;
            };
            i += 1;
            match op.as_str() {
                "begincodespacerange" => {
                    while let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi))) =
                        (toks.get(i), toks.get(i + 1))
                    {
                        if let (Some((n, l)), Some((_, h))) = (code_of(lo), code_of(hi)) {
                            m.codespace.push((n, l, h));
                        }
                        i += 2;
                    }
                }
                "beginbfchar" => {
                    while let (Some(Tok::Hex(src)), Some(Tok::Hex(dst))) =
                        (toks.get(i), toks.get(i + 1))
                    {
                        if let Some(k) = code_of(src) {
                            m.unicode.insert(k, utf16(dst));
                            entries += 1;
                        }
                        i += 2;
                    }
                }
                "beginbfrange" => {
                    while let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi))) =
                        (toks.get(i), toks.get(i + 1))
                    {
                        let (Some((n, l)), Some((_, h))) = (code_of(lo), code_of(hi)) else {
                            break;
                        };
                        i += 2;
                        match toks.get(i) {
                            Some(Tok::Hex(dst)) => {
                                let mut units: Vec<u16> = dst
                                    .chunks(2)
                                    .map(|p| ((p[0] as u16) << 8) | *p.get(1).unwrap_or(&0) as u16)
                                    .collect();
                                for code in l..=h.min(l.saturating_add(0xFFFF)) {
                                    if entries >= MAX_ENTRIES {
                                        break;
                                    }
                                    m.unicode
                                        .insert((n, code), String::from_utf16_lossy(&units));
                                    entries += 1;
                                    if let Some(last) = units.last_mut() {
                                        *last = last.wrapping_add(1);
                                    }
                                }
                                i += 1;
                            }
                            Some(Tok::ArrOpen) => {
                                i += 1;
                                let mut code = l;
                                while let Some(Tok::Hex(dst)) = toks.get(i) {
                                    if code <= h && entries < MAX_ENTRIES {
                                        m.unicode.insert((n, code), utf16(dst));
                                        entries += 1;
                                    }
                                    code = code.saturating_add(1);
                                    i += 1;
                                }
                                if toks.get(i) == Some(&Tok::ArrClose) {
                                    i += 1;
                                }
                            }
                            _ => break,
                        }
                    }
                }
                "begincidchar" => {
                    while let (Some(Tok::Hex(src)), Some(Tok::Int(cid))) =
                        (toks.get(i), toks.get(i + 1))
                    {
                        if let Some(k) = code_of(src) {
                            m.cid.insert(k, *cid as u32);
                            entries += 1;
                        }
                        i += 2;
                    }
                }
                "begincidrange" => {
                    while let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi)), Some(Tok::Int(cid))) =
                        (toks.get(i), toks.get(i + 1), toks.get(i + 2))
                    {
                        if let (Some((n, l)), Some((_, h))) = (code_of(lo), code_of(hi)) {
                            for (k, code) in (l..=h.min(l.saturating_add(0xFFFF))).enumerate() {
                                if entries >= MAX_ENTRIES {
                                    break;
                                }
                                m.cid.insert((n, code), *cid as u32 + k as u32);
                                entries += 1;
                            }
                        }
                        i += 3;
                    }
                }
                _ => {}
            }
        }
        m
    }

    /// Splits the next code off `bytes` by the code space ranges; `None` when there are none.
    pub fn next_code(&self, bytes: &[u8]) -> Option<(u8, u32)> {
        if self.codespace.is_empty() || bytes.is_empty() {
            return None;
        }
        for n in 1..=4u8 {
            if bytes.len() < n as usize {
                break;
            }
            let (_, code) = code_of(&bytes[..n as usize])?;
            if self
                .codespace
                .iter()
                .any(|&(len, lo, hi)| len == n && within(code, lo, hi, n))
            {
                return Some((n, code));
            }
        }
        // Not in any range: PDF says consume the shortest matching length; take one byte.
        Some((1, bytes[0] as u32))
    }
}

/// Code space ranges are byte-wise: each byte must lie within the range's bytes.
fn within(code: u32, lo: u32, hi: u32, n: u8) -> bool {
    (0..n).all(|k| {
        let shift = 8 * (n - 1 - k) as u32;
        let (c, l, h) = (
            (code >> shift) & 0xFF,
            (lo >> shift) & 0xFF,
            (hi >> shift) & 0xFF,
        );
        l <= c && c <= h
    })
}

/// Adobe-GB1 CID → Unicode, from Adobe's CMap resources (BSD-3-Clause, see resources/cmap).
pub(crate) static ADOBE_GB1: LazyLock<CMap> =
    LazyLock::new(|| CMap::parse(include_bytes!("../../resources/cmap/Adobe-GB1-UCS2")));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bfchar_bfrange_and_arrays() {
        let src = b"1 begincodespacerange <0000> <FFFF> endcodespacerange
            2 beginbfchar <0003> <0020> <0011> <4E2D> endbfchar
            2 beginbfrange <0020> <0022> <6587> <0030> <0031> [<5B57> <6570>] endbfrange";
        let m = CMap::parse(src);
        assert_eq!(m.unicode[&(2, 0x11)], "中");
        assert_eq!(m.unicode[&(2, 0x20)], "文");
        assert_eq!(m.unicode[&(2, 0x21)], "斈"); // U+6588: the range increments
        assert_eq!(m.unicode[&(2, 0x31)], "数");
        assert_eq!(m.next_code(&[0x00, 0x11, 0x00]), Some((2, 0x11)));
    }

    #[test]
    fn mixed_code_lengths() {
        let src = b"2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange";
        let m = CMap::parse(src);
        assert_eq!(m.next_code(&[0x41, 0xB0]), Some((1, 0x41)));
        assert_eq!(m.next_code(&[0xB0, 0xA1]), Some((2, 0xB0A1)));
    }

    #[test]
    fn hostile_range_is_capped() {
        let m = CMap::parse(b"1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange");
        assert!(m.unicode.len() <= 0x10000);
    }

    #[test]
    fn adobe_gb1_maps_known_cids() {
        // CID 1 is the space and CID 4 is "＃" … in Adobe-GB1; the well-known anchor used here
        // is CID 0x0069 → U+2014 (EM DASH), visible in the file's first bfchar block.
        assert_eq!(ADOBE_GB1.unicode[&(2, 0x0069)], "\u{2014}");
    }
}
