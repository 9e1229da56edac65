//! Word 97–2003 `.doc` and WPS `.wps` (the same binary layout in an OLE2/CFB container).
//!
//! The text is read the way [MS-DOC] lays it out: the FIB at the start of the `WordDocument`
//! stream gives the story lengths (main text, footnotes, headers, comments, endnotes, text
//! boxes) and where the piece table (CLX) sits in the `0Table`/`1Table` stream; the piece table
//! maps character positions to 8-bit or UTF-16 text in `WordDocument`. Field codes
//! (0x13 … 0x14) are skipped and field results (0x14 … 0x15) kept, as Word shows them; cell
//! marks (0x07) end table cells; paragraph properties (PAPX in FKP pages) give each paragraph's
//! style, whose built-in identifier or name ("heading 1", "标题 1") makes it a heading, and
//! whether it is in a table; character properties (CHPX) say which runs are hidden.
//! Stories other than the main text go to [`Document::extra`] as for docx, so `--include-notes`
//! and Word's default scope hold alike.
//!
//! Why not a crate: the `.doc` readers on crates.io (extend-docx, office_oxide, and the readers
//! inside kreuzberg-style extraction frameworks) were young, single-author releases, or pulled
//! a whole document framework in; none kept the story ranges apart or was written against
//! hostile input. The part yanshou needs is a few hundred lines over `cfb` (the maintained CFB
//! container crate), and every offset and length below is checked against its stream.
//!
//! Safety: streams are read through the file-size cap, each structure is bounds-checked, and
//! a piece or FKP that points outside its stream is a [`ExtractError::Corrupt`], never a panic.
//! Word 6/95 files (an older FIB) and encrypted or obfuscated files are refused with the fix.

use std::io::{Cursor, Read};

use crate::doc::{Document, ExtraKind, ExtraPara, Format, ParaKind};

use super::{ExtractError, MAX_FILE_BYTES, read_limited};

/// The FIB's magic number (`wIdent`).
const WORD_IDENT: u16 = 0xA5EC;
/// The first nFib of Word 97; older files carry a different FIB.
const NFIB_WORD97: u16 = 0x00C1;

pub(crate) fn extract(bytes: &[u8], format: Format) -> Result<Document, ExtractError> {
    let streams = Streams::open(bytes)?;
    let fib = Fib::parse(&streams.word)?;
    let table = if fib.which_table {
        &streams.table1
    } else {
        &streams.table0
    };
    let table = table.as_deref().ok_or_else(|| {
        corrupt(if fib.which_table {
            "缺少 1Table 流"
        } else {
            "缺少 0Table 流"
        })
    })?;
    let clx = slice(table, fib.fc_clx, fib.lcb_clx, "CLX")?;
    let pieces = parse_pieces(clx, streams.word.len())?;
    let papx = Fkps::parse(
        &streams.word,
        table,
        fib.fc_papx,
        fib.lcb_papx,
        FkpKind::Pap,
    )?;
    let chpx = Fkps::parse(
        &streams.word,
        table,
        fib.fc_chpx,
        fib.lcb_chpx,
        FkpKind::Chp,
    )?;
    let styles = parse_styles(slice(table, fib.fc_stshf, fib.lcb_stshf, "STSH").unwrap_or(&[]));
    let hdd = parse_plc_cps(slice(table, fib.fc_hdd, fib.lcb_hdd, "PlcfHdd").unwrap_or(&[]));

    let text = Text {
        word: &streams.word,
        pieces: &pieces,
        eight_bit: fib.eight_bit,
        chpx: &chpx,
    };
    let mut doc = Document::new(format);
    let mut story = Story::new(&papx, &styles);
    let mut cp = 0u32;
    // Main text, then the other stories in the FIB's order.
    text.read(cp, fib.ccp_text, &mut |c, fc| story.feed(c, fc))?;
    story.flush();
    for (t, kind, counted) in story.paras.drain(..) {
        doc.push(&t, kind, None);
        if let (Some(c), Some(last)) = (counted, doc.paras.last_mut()) {
            last.counted = Some(c.into_boxed_str());
        }
    }
    let hidden_main = story.hidden_chars;
    cp += fib.ccp_text;
    let mut extra = Vec::new();
    let mut sub = |start: u32, len: u32, kind: Option<ExtraKind>| -> Result<(), ExtractError> {
        let Some(kind) = kind else { return Ok(()) };
        let mut s = Story::new(&papx, &styles);
        text.read(start, len, &mut |c, fc| s.feed(c, fc))?;
        s.flush();
        extra.extend(
            s.paras
                .into_iter()
                .filter(|(t, _, _)| !t.trim().is_empty())
                .map(|(text, _, counted)| ExtraPara {
                    kind,
                    text,
                    counted,
                }),
        );
        Ok(())
    };
    sub(cp, fib.ccp_ftn, Some(ExtraKind::Footnote))?;
    cp += fib.ccp_ftn;
    // Headers and footers: PlcfHdd splits the story; the first six are note separators, then
    // each section has even/odd header, even/odd footer, first-page header and footer.
    if fib.ccp_hdd > 0 {
        for (i, w) in hdd.windows(2).enumerate() {
            let (a, b) = (w[0].min(fib.ccp_hdd), w[1].min(fib.ccp_hdd));
            let kind = match i {
                0..6 => None,
                i if matches!((i - 6) % 6, 0 | 1 | 4) => Some(ExtraKind::Header),
                _ => Some(ExtraKind::Footer),
            };
            if b > a {
                sub(cp + a, b - a, kind)?;
            }
        }
    }
    cp += fib.ccp_hdd + fib.ccp_mcr;
    sub(cp, fib.ccp_atn, Some(ExtraKind::Comment))?;
    cp += fib.ccp_atn;
    sub(cp, fib.ccp_edn, Some(ExtraKind::Endnote))?;
    cp += fib.ccp_edn;
    sub(cp, fib.ccp_txbx, Some(ExtraKind::TextBox))?;
    cp += fib.ccp_txbx;
    sub(cp, fib.ccp_hdr_txbx, Some(ExtraKind::Header))?;
    doc.extra = extra;
    if hidden_main > 0 {
        doc.warnings.push(format!(
            "文档含 {hidden_main} 个字符的隐藏文字（Word 不显示也不计入字数），未计入"
        ));
    }
    Ok(doc)
}

fn corrupt(what: &str) -> ExtractError {
    ExtractError::Corrupt(format!("不是有效的 Word 97–2003 文档（{what}）"))
}

/// The streams of the container that hold text.
struct Streams {
    word: Vec<u8>,
    table0: Option<Vec<u8>>,
    table1: Option<Vec<u8>>,
}

impl Streams {
    fn open(bytes: &[u8]) -> Result<Streams, ExtractError> {
        let mut cfb = cfb::CompoundFile::open(Cursor::new(bytes))
            .map_err(|e| ExtractError::Corrupt(format!("无法打开 OLE 复合文档（{e}）")))?;
        if cfb.is_stream("EncryptedPackage") || cfb.is_stream("/EncryptedPackage") {
            // An encrypted docx/xlsx is an OLE file holding the encrypted package.
            return Err(ExtractError::EncryptedOffice);
        }
        let mut read = |name: &str| -> Result<Option<Vec<u8>>, ExtractError> {
            if !cfb.is_stream(name) {
                return Ok(None);
            }
            let s = cfb
                .open_stream(name)
                .map_err(|e| ExtractError::Corrupt(format!("无法读取 {name} 流（{e}）")))?;
            let buf = read_limited(s.take(MAX_FILE_BYTES + 1), MAX_FILE_BYTES, name).map_err(
                |e| match e {
                    ExtractError::Io(m) => {
                        ExtractError::Corrupt(format!("无法读取 {name} 流（{m}）"))
                    }
                    other => other,
                },
            )?;
            Ok(Some(buf))
        };
        let word = read("WordDocument")?.ok_or_else(|| {
            ExtractError::Corrupt(
                "OLE 文件里没有 Word 正文（WordDocument 流）：不是 Word/WPS 文字文档".into(),
            )
        })?;
        Ok(Streams {
            word,
            table0: read("0Table")?,
            table1: read("1Table")?,
        })
    }
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at.checked_add(2)?)
        .map(|s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at.checked_add(4)?)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// `len` bytes at `fc` of a stream, or an error naming the structure.
fn slice<'a>(b: &'a [u8], fc: u32, len: u32, what: &str) -> Result<&'a [u8], ExtractError> {
    let (fc, len) = (fc as usize, len as usize);
    fc.checked_add(len)
        .and_then(|end| b.get(fc..end))
        .ok_or_else(|| corrupt(&format!("{what} 超出文件范围")))
}

/// What the File Information Block says.
#[derive(Debug, Default)]
struct Fib {
    which_table: bool,
    /// The 8-bit pieces' encoding: Windows-1252, or the code page of the document's language
    /// when `fExtChar` is clear (files from older or non-Microsoft writers).
    eight_bit: Option<&'static encoding_rs::Encoding>,
    ccp_text: u32,
    ccp_ftn: u32,
    ccp_hdd: u32,
    ccp_mcr: u32,
    ccp_atn: u32,
    ccp_edn: u32,
    ccp_txbx: u32,
    ccp_hdr_txbx: u32,
    fc_stshf: u32,
    lcb_stshf: u32,
    fc_hdd: u32,
    lcb_hdd: u32,
    fc_chpx: u32,
    lcb_chpx: u32,
    fc_papx: u32,
    lcb_papx: u32,
    fc_clx: u32,
    lcb_clx: u32,
}

impl Fib {
    fn parse(w: &[u8]) -> Result<Fib, ExtractError> {
        let short = || corrupt("文件信息块（FIB）不完整");
        if u16_at(w, 0).ok_or_else(short)? != WORD_IDENT {
            return Err(corrupt("文件信息块标识不符"));
        }
        let nfib = u16_at(w, 2).ok_or_else(short)?;
        let lid = u16_at(w, 6).ok_or_else(short)?;
        let flags = u16_at(w, 0x0A).ok_or_else(short)?;
        if flags & 0x0100 != 0 || flags & 0x8000 != 0 {
            return Err(ExtractError::EncryptedOffice);
        }
        if nfib < NFIB_WORD97 {
            return Err(ExtractError::OldWord);
        }
        let ext_char = flags & 0x1000 != 0;
        // FibBase (32 bytes), csw + FibRgW, cslw + FibRgLw, cbRgFcLcb + FibRgFcLcb.
        let csw = u16_at(w, 32).ok_or_else(short)? as usize;
        let lw = 34 + csw * 2;
        let cslw = u16_at(w, lw).ok_or_else(short)? as usize;
        if cslw < 11 {
            return Err(corrupt("FIB 的长整数区过短"));
        }
        let lw = lw + 2;
        let fcl = lw + cslw * 4;
        let cb_fclcb = u16_at(w, fcl).ok_or_else(short)? as usize;
        if cb_fclcb < 34 {
            return Err(corrupt("FIB 的偏移表过短"));
        }
        let fcl = fcl + 2;
        let l = |i: usize| u32_at(w, lw + i * 4).ok_or_else(short);
        let pair = |i: usize| -> Result<(u32, u32), ExtractError> {
            Ok((
                u32_at(w, fcl + i * 8).ok_or_else(short)?,
                u32_at(w, fcl + i * 8 + 4).ok_or_else(short)?,
            ))
        };
        let (fc_stshf, lcb_stshf) = pair(1)?;
        let (fc_hdd, lcb_hdd) = pair(11)?;
        let (fc_chpx, lcb_chpx) = pair(12)?;
        let (fc_papx, lcb_papx) = pair(13)?;
        let (fc_clx, lcb_clx) = pair(33)?;
        Ok(Fib {
            which_table: flags & 0x0200 != 0,
            eight_bit: (!ext_char).then(|| code_page(lid)),
            ccp_text: l(3)?,
            ccp_ftn: l(4)?,
            ccp_hdd: l(5)?,
            ccp_mcr: l(6)?,
            ccp_atn: l(7)?,
            ccp_edn: l(8)?,
            ccp_txbx: l(9)?,
            ccp_hdr_txbx: l(10)?,
            fc_stshf,
            lcb_stshf,
            fc_hdd,
            lcb_hdd,
            fc_chpx,
            lcb_chpx,
            fc_papx,
            lcb_papx,
            fc_clx,
            lcb_clx,
        })
    }
}

/// The ANSI code page of a Windows language id.
fn code_page(lid: u16) -> &'static encoding_rs::Encoding {
    match lid {
        0x0804 | 0x1004 => encoding_rs::GBK,
        0x0404 | 0x0C04 | 0x1404 => encoding_rs::BIG5,
        0x0411 => encoding_rs::SHIFT_JIS,
        0x0412 => encoding_rs::EUC_KR,
        _ => encoding_rs::WINDOWS_1252,
    }
}

/// One piece: characters `cp..cp_end` stored at byte `fc` of `WordDocument`.
#[derive(Debug, Clone, Copy)]
struct Piece {
    cp: u32,
    cp_end: u32,
    fc: u32,
    compressed: bool,
}

/// The piece table (the Pcdt inside the CLX), checked against the `WordDocument` size.
fn parse_pieces(clx: &[u8], word_len: usize) -> Result<Vec<Piece>, ExtractError> {
    let mut pos = 0;
    // Prc entries (property modifiers) come first.
    while clx.get(pos) == Some(&0x01) {
        let cb = u16_at(clx, pos + 1).ok_or_else(|| corrupt("CLX 不完整"))? as usize;
        pos += 3 + cb;
    }
    if clx.get(pos) != Some(&0x02) {
        return Err(corrupt("找不到文字片段表（Pcdt）"));
    }
    let lcb = u32_at(clx, pos + 1).ok_or_else(|| corrupt("Pcdt 不完整"))? as usize;
    let plc = clx
        .get(pos + 5..)
        .and_then(|r| r.get(..lcb))
        .ok_or_else(|| corrupt("Pcdt 超出 CLX"))?;
    if plc.len() < 4 || (plc.len() - 4) % 12 != 0 {
        return Err(corrupt("Pcdt 长度不符"));
    }
    let n = (plc.len() - 4) / 12;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let cp = u32_at(plc, i * 4).unwrap_or(0);
        let cp_end = u32_at(plc, (i + 1) * 4).unwrap_or(0);
        let pcd = 4 * (n + 1) + i * 8;
        let raw = u32_at(plc, pcd + 2).unwrap_or(0);
        let compressed = raw & 0x4000_0000 != 0;
        let fc = if compressed {
            (raw & 0x3FFF_FFFF) / 2
        } else {
            raw & 0x3FFF_FFFF
        };
        if cp_end < cp {
            return Err(corrupt("文字片段表次序错乱"));
        }
        let bytes = (cp_end - cp) as u64 * if compressed { 1 } else { 2 };
        if fc as u64 + bytes > word_len as u64 {
            return Err(corrupt("文字片段超出正文流"));
        }
        out.push(Piece {
            cp,
            cp_end,
            fc,
            compressed,
        });
    }
    Ok(out)
}

/// The character positions of a PLC whose data elements are not needed (PlcfHdd).
fn parse_plc_cps(b: &[u8]) -> Vec<u32> {
    b.chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FkpKind {
    Pap,
    Chp,
}

/// Properties of the runs or paragraphs that end at a file position.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Props {
    istd: u16,
    in_table: bool,
    /// The paragraph is a table row's end mark.
    ttp: bool,
    outline: Option<u8>,
    hidden: bool,
    /// A special character (picture, note reference, symbol) rather than text.
    spec: bool,
}

/// All FKP runs of one kind, as sorted `(fc_start, fc_end, props)`.
struct Fkps {
    runs: Vec<(u32, u32, Props)>,
}

impl Fkps {
    fn parse(
        word: &[u8],
        table: &[u8],
        fc: u32,
        lcb: u32,
        kind: FkpKind,
    ) -> Result<Fkps, ExtractError> {
        let mut runs = Vec::new();
        let plc = match slice(table, fc, lcb, "PlcBte") {
            Ok(p) if p.len() >= 8 => p,
            _ => return Ok(Fkps { runs }),
        };
        let n = (plc.len() - 4) / 8;
        for i in 0..n {
            let pn = u32_at(plc, 4 * (n + 1) + i * 4).unwrap_or(0) & 0x003F_FFFF;
            let Some(page) = (pn as usize)
                .checked_mul(512)
                .and_then(|at| word.get(at..at + 512))
            else {
                return Err(corrupt("格式页（FKP）超出正文流"));
            };
            let crun = page[511] as usize;
            for j in 0..crun {
                let (Some(a), Some(b)) = (u32_at(page, j * 4), u32_at(page, (j + 1) * 4)) else {
                    break;
                };
                let props = match kind {
                    FkpKind::Pap => {
                        // BxPap: a word offset, then 12 bytes of layout hints.
                        let off =
                            page.get(4 * (crun + 1) + j * 13).copied().unwrap_or(0) as usize * 2;
                        pap_props(page, off)
                    }
                    FkpKind::Chp => {
                        let off = page.get(4 * (crun + 1) + j).copied().unwrap_or(0) as usize * 2;
                        chp_props(page, off)
                    }
                };
                if b > a {
                    runs.push((a, b, props));
                }
            }
        }
        runs.sort_by_key(|r| r.0);
        Ok(Fkps { runs })
    }

    /// The properties at a file position (default when no run covers it).
    fn at(&self, fc: u32) -> Props {
        let i = self.runs.partition_point(|r| r.0 <= fc);
        match i.checked_sub(1).map(|i| self.runs[i]) {
            Some((_, b, p)) if fc < b => p,
            _ => Props::default(),
        }
    }
}

/// A PapxInFkp at `off` of its page: style and the sprms yanshou needs.
fn pap_props(page: &[u8], off: usize) -> Props {
    let mut p = Props::default();
    if off == 0 {
        return p;
    }
    let Some(&cb) = page.get(off) else { return p };
    let (start, len) = if cb != 0 {
        (off + 1, 2 * cb as usize - 1)
    } else {
        let Some(&cb2) = page.get(off + 1) else {
            return p;
        };
        (off + 2, 2 * cb2 as usize)
    };
    let Some(g) = page.get(start..(start + len).min(page.len())) else {
        return p;
    };
    if g.len() < 2 {
        return p;
    }
    p.istd = u16::from_le_bytes([g[0], g[1]]);
    for (sprm, arg) in Sprms(&g[2..]) {
        match sprm {
            0x2416 => p.in_table = arg.first().is_some_and(|&b| b != 0),
            0x2417 => p.ttp = arg.first().is_some_and(|&b| b != 0),
            0x6649 => p.in_table |= u32_at(arg, 0).is_some_and(|v| v > 0),
            0x2640 => p.outline = arg.first().copied().filter(|&l| l < 9),
            _ => {}
        }
    }
    p
}

/// A ChpxInFkp at `off` of its page: hidden and special-character flags.
fn chp_props(page: &[u8], off: usize) -> Props {
    let mut p = Props::default();
    if off == 0 {
        return p;
    }
    let Some(&cb) = page.get(off) else { return p };
    let Some(g) = page.get(off + 1..(off + 1 + cb as usize).min(page.len())) else {
        return p;
    };
    for (sprm, arg) in Sprms(g) {
        // Toggle operands: 0 off, 1 on, 0x80/0x81 "as the style" / "the style's opposite".
        let on = arg.first().is_some_and(|&b| b == 1 || b == 0x81);
        match sprm {
            0x083C => p.hidden = on,
            0x0855 => p.spec = on,
            _ => {}
        }
    }
    p
}

/// Iterates `(sprm, operand)` over a grpprl, stopping at anything malformed.
struct Sprms<'a>(&'a [u8]);

impl<'a> Iterator for Sprms<'a> {
    type Item = (u16, &'a [u8]);
    fn next(&mut self) -> Option<Self::Item> {
        let b = self.0;
        let sprm = u16_at(b, 0)?;
        let (skip, len) = match sprm >> 13 {
            0 | 1 => (2, 1),
            2 | 4 | 5 => (2, 2),
            3 => (2, 4),
            7 => (2, 3),
            // sprmTDefTable has a two-byte size; sprmPChgTabs may use 255 as an escape.
            _ if sprm == 0xD608 => (4, (u16_at(b, 2)? as usize).saturating_sub(1)),
            _ => (3, *b.get(2)? as usize),
        };
        let arg = b.get(skip..skip + len)?;
        self.0 = &b[skip + len..];
        Some((sprm, arg))
    }
}

/// The styles' built-in identifiers and names, by istd.
fn parse_styles(st: &[u8]) -> Vec<(u16, String)> {
    let mut out = Vec::new();
    let Some(cb_stshi) = u16_at(st, 0) else {
        return out;
    };
    let Some(cstd) = u16_at(st, 2) else {
        return out;
    };
    let Some(cb_base) = u16_at(st, 4) else {
        return out;
    };
    let mut pos = 2 + cb_stshi as usize;
    for _ in 0..cstd.min(4096) {
        let Some(cb) = u16_at(st, pos) else { break };
        let cb = cb as usize;
        let Some(std) = st.get(pos + 2..pos + 2 + cb) else {
            break;
        };
        pos += 2 + cb;
        if std.is_empty() {
            out.push((0x0FFE, String::new()));
            continue;
        }
        let sti = u16_at(std, 0).unwrap_or(0x0FFE) & 0x0FFF;
        let at = cb_base as usize;
        let name = u16_at(std, at)
            .and_then(|n| std.get(at + 2..at + 2 + n as usize * 2))
            .map(|u| {
                char::decode_utf16(u.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])))
                    .map(|c| c.unwrap_or('\u{FFFD}'))
                    .collect()
            })
            .unwrap_or_default();
        out.push((sti, name));
    }
    out
}

/// Characters of a CP range, through the piece table.
struct Text<'a> {
    word: &'a [u8],
    pieces: &'a [Piece],
    eight_bit: Option<&'static encoding_rs::Encoding>,
    chpx: &'a Fkps,
}

/// A character of a story and what its runs say.
#[derive(Debug, Clone, Copy)]
struct Ch {
    c: char,
    hidden: bool,
    spec: bool,
}

impl Text<'_> {
    /// Calls `f(char, fc)` for each character of `start..start + len`, in order.
    fn read(&self, start: u32, len: u32, f: &mut dyn FnMut(Ch, u32)) -> Result<(), ExtractError> {
        let end = start.saturating_add(len);
        for p in self.pieces {
            let (a, b) = (p.cp.max(start), p.cp_end.min(end));
            if a >= b {
                continue;
            }
            let off = a - p.cp;
            let n = (b - a) as usize;
            if p.compressed {
                let at = (p.fc + off) as usize;
                let bytes = &self.word[at..at + n];
                match self.eight_bit {
                    Some(enc) if enc != encoding_rs::WINDOWS_1252 => {
                        // A double-byte code page: a character's position is its first byte.
                        let (s, _) = enc.decode_without_bom_handling(bytes);
                        let mut fc = at as u32;
                        for c in s.chars() {
                            let mut buf = [0u8; 4];
                            let w = enc.encode(c.encode_utf8(&mut buf)).0.len().max(1) as u32;
                            f(self.ch(c, fc), fc);
                            fc += w;
                        }
                    }
                    _ => {
                        for (i, &byte) in bytes.iter().enumerate() {
                            let fc = (at + i) as u32;
                            f(self.ch(cp1252(byte), fc), fc);
                        }
                    }
                }
            } else {
                let at = (p.fc + off * 2) as usize;
                let units = self.word[at..at + n * 2]
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]));
                let mut fc = at as u32;
                for c in char::decode_utf16(units) {
                    let c = c.unwrap_or('\u{FFFD}');
                    f(self.ch(c, fc), fc);
                    fc += 2 * c.len_utf16() as u32;
                }
            }
        }
        Ok(())
    }

    fn ch(&self, c: char, fc: u32) -> Ch {
        let p = self.chpx.at(fc);
        Ch {
            c,
            hidden: p.hidden,
            spec: p.spec,
        }
    }
}

/// Windows-1252, as MS-DOC stores compressed text.
fn cp1252(b: u8) -> char {
    let one = [b];
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(&one)
        .0
        .chars()
        .next()
        .unwrap_or('\u{FFFD}')
}

/// A field being read: its code so far, and whether its result has begun.
struct Field {
    code: String,
    separated: bool,
}

/// Builds the paragraphs of one story from its characters.
struct Story<'a> {
    papx: &'a Fkps,
    styles: &'a [(u16, String)],
    fields: Vec<Field>,
    cur: String,
    in_toc: bool,
    /// The current paragraph is (partly) a TOC field's result.
    para_toc: bool,
    hidden_chars: usize,
    paras: Vec<(String, ParaKind, Option<String>)>,
}

impl<'a> Story<'a> {
    fn new(papx: &'a Fkps, styles: &'a [(u16, String)]) -> Self {
        Story {
            papx,
            styles,
            fields: Vec::new(),
            cur: String::new(),
            in_toc: false,
            para_toc: false,
            hidden_chars: 0,
            paras: Vec::new(),
        }
    }

    fn feed(&mut self, ch: Ch, fc: u32) {
        match ch.c {
            '\u{13}' => {
                self.fields.push(Field {
                    code: String::new(),
                    separated: false,
                });
                return;
            }
            '\u{14}' => {
                if let Some(f) = self.fields.last_mut() {
                    f.separated = true;
                    if f.code.trim_start().starts_with("TOC") {
                        self.in_toc = true;
                        self.para_toc = true;
                        self.toc_title();
                    }
                }
                return;
            }
            '\u{15}' => {
                if let Some(f) = self.fields.pop()
                    && f.separated
                    && f.code.trim_start().starts_with("TOC")
                {
                    // The paragraph the TOC ends in is its last line.
                    self.in_toc = false;
                    self.para_toc = true;
                }
                return;
            }
            _ => {}
        }
        // Paragraph and cell marks end a paragraph even inside a field result (a TOC).
        if matches!(ch.c, '\r' | '\u{7}') {
            self.end_para(fc, ch.c == '\u{7}');
            return;
        }
        if let Some(f) = self.fields.last_mut()
            && !f.separated
        {
            if f.code.len() < 256 {
                f.code.push(ch.c);
            }
            return;
        }
        if self.fields.iter().any(|f| !f.separated) {
            return;
        }
        if ch.hidden {
            if !ch.c.is_whitespace() {
                self.hidden_chars += 1;
            }
            return;
        }
        let c = match ch.c {
            // Pictures, drawn objects, note and comment references, symbols from a font.
            _ if ch.spec => return,
            '\u{1}' | '\u{2}' | '\u{3}' | '\u{4}' | '\u{5}' | '\u{8}' => return,
            '\u{B}' => crate::doc::BREAK_MARK,
            // Page, section and column breaks.
            '\u{C}' | '\u{E}' => return,
            '\u{1E}' => '\u{2011}',
            '\u{1F}' => '\u{AD}',
            c if c < ' ' && c != '\t' => return,
            c => c,
        };
        self.cur.push(c);
    }

    fn end_para(&mut self, fc: u32, cell: bool) {
        let text = std::mem::take(&mut self.cur);
        let toc = std::mem::replace(&mut self.para_toc, self.in_toc);
        let mut p = self.papx.at(fc);
        p.in_table |= cell;
        if p.ttp {
            // A row's end mark carries no text of its own.
            return;
        }
        let kind = if toc { ParaKind::Toc } else { self.kind_of(&p) };
        let (text, counted) = crate::doc::split_breaks(text, None);
        self.paras.push((text, kind, counted));
    }

    /// The "目录" line just before a TOC field belongs to the TOC (in a docx it sits in the
    /// same content control; a .doc keeps no trace of that but its text).
    fn toc_title(&mut self) {
        if let Some(last) = self.paras.last_mut() {
            let t: String = last.0.chars().filter(|c| !c.is_whitespace()).collect();
            if matches!(
                t.to_lowercase().as_str(),
                "目录" | "contents" | "tableofcontents"
            ) {
                last.1 = ParaKind::Toc;
            }
        }
    }

    fn kind_of(&self, p: &Props) -> ParaKind {
        let (sti, name): (u16, String) = self
            .styles
            .get(p.istd as usize)
            .map(|(s, n)| (*s, n.to_lowercase()))
            .unwrap_or((0x0FFE, String::new()));
        if (19..=27).contains(&sti) || name.starts_with("toc ") {
            return ParaKind::Toc;
        }
        if sti == 62 || name == "title" {
            return ParaKind::Title;
        }
        let level = p
            .outline
            .map(|l| l + 1)
            .or_else(|| (1..=9).contains(&sti).then_some(sti as u8))
            .or_else(|| super::docx::heading_level(&name));
        if let Some(l) = level {
            return ParaKind::Heading(l);
        }
        if sti == 34 || name == "caption" {
            return ParaKind::Caption;
        }
        if p.in_table {
            return ParaKind::TableCell;
        }
        ParaKind::Body
    }

    fn flush(&mut self) {
        if !self.cur.is_empty() {
            let text = std::mem::take(&mut self.cur);
            let (text, counted) = crate::doc::split_breaks(text, None);
            self.paras.push((text, ParaKind::Body, counted));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sprm_sizes() {
        // sprmPFInTable (1 byte), sprmPOutLvl (1 byte), sprmPDxaLeft (2 bytes), then a
        // variable one (sprmPChgTabsPapx, size byte 2).
        let g = [
            0x16, 0x24, 1, 0x40, 0x26, 2, 0x0F, 0x84, 0x10, 0x00, 0x0D, 0xC6, 2, 9, 9,
        ];
        let v: Vec<_> = Sprms(&g).map(|(s, a)| (s, a.to_vec())).collect();
        assert_eq!(
            v,
            vec![
                (0x2416, vec![1]),
                (0x2640, vec![2]),
                (0x840F, vec![0x10, 0]),
                (0xC60D, vec![9, 9]),
            ]
        );
        // A truncated operand ends the walk instead of reading past the end.
        assert_eq!(Sprms(&[0x0F, 0x84, 1]).count(), 0);
    }

    #[test]
    fn pieces_are_checked_against_the_stream() {
        // One Unicode piece of 10 characters at fc 100: needs 120 bytes of WordDocument.
        let mut clx = vec![0x02];
        clx.extend(16u32.to_le_bytes());
        clx.extend(0u32.to_le_bytes());
        clx.extend(10u32.to_le_bytes());
        clx.extend([0, 0]);
        clx.extend(100u32.to_le_bytes());
        clx.extend([0, 0]);
        assert!(parse_pieces(&clx, 120).is_ok());
        assert!(matches!(
            parse_pieces(&clx, 119),
            Err(ExtractError::Corrupt(_))
        ));
        // Compressed: fc/2 with bit 30 set, one byte a character.
        let mut c = clx.clone();
        c[15..19].copy_from_slice(&(0x4000_0000u32 | 200).to_le_bytes());
        let p = parse_pieces(&c, 110).unwrap();
        assert!(p[0].compressed && p[0].fc == 100);
    }

    #[test]
    fn eight_bit_pieces_decode_by_code_page() {
        let chpx = Fkps { runs: Vec::new() };
        let read = |word: &[u8], enc| {
            let pieces = [Piece {
                cp: 0,
                cp_end: word.len() as u32,
                fc: 0,
                compressed: true,
            }];
            let t = Text {
                word,
                pieces: &pieces,
                eight_bit: enc,
                chpx: &chpx,
            };
            let mut s = String::new();
            t.read(0, word.len() as u32, &mut |c, _| s.push(c.c))
                .unwrap();
            s
        };
        // Windows-1252 (fExtChar set): 0xE9 é, 0x93/0x94 curly quotes, 0x97 em dash.
        assert_eq!(read(b"caf\xE9 \x93q\x94 \x97", None), "café “q” —");
        // fExtChar clear in a Chinese document: the bytes are GBK (中文 = D6D0 CEC4).
        assert_eq!(read(b"\xD6\xD0\xCE\xC4", Some(encoding_rs::GBK)), "中文");
    }

    #[test]
    fn fields_show_their_result() {
        let papx = Fkps { runs: Vec::new() };
        let mut s = Story::new(&papx, &[]);
        let feed = |s: &mut Story, t: &str| {
            for c in t.chars() {
                s.feed(
                    Ch {
                        c,
                        hidden: false,
                        spec: false,
                    },
                    0,
                );
            }
        };
        // A date field with a nested field in its code, a field with no result, a cell.
        feed(
            &mut s,
            "日期：\u{13} DATE \u{13}X\u{14}y\u{15}\u{14}2022年\u{15}。\u{13}PAGE\u{15}\r甲\u{7}",
        );
        let got: Vec<_> = s.paras.iter().map(|p| p.0.as_str()).collect();
        assert_eq!(got, ["日期：2022年。", "甲"]);
    }
}
