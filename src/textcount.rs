//! `count` for a text file without building the document model.
//!
//! A nightly batch or a reviewer may hand `count` a text of hundreds of megabytes. The general
//! path decodes it into one string, records a span per paragraph and classifies each one. Here
//! the file streams through a few reusable buffers: it is cut into pieces at line ends, and
//! each batch of pieces is validated, counted and scanned for section markers on all cores
//! while the next batch is read. Only the rare paragraphs that can start a section (headings,
//! TOC lines, cover lines) are kept, with the running count at their edges; every section's
//! count is then a difference of two running counts. That is exact because no counting state
//! crosses a paragraph mark. Memory stays at a few pieces whatever the file's size.
//!
//! GB18030/GBK, Big5 and UTF-16 with a BOM are decoded to UTF-8 on the way in
//! (encoding_rs_io), chosen as the general path chooses. Anything this path does not handle
//! the same way as the general one (UTF-16 without a BOM, NUL bytes, a lone CR, a line
//! longer than [`MAX_LINE`]) is left to the general path, so both always give the same result
//! (`tests/textcount.rs` compares them on generated texts cut at every size and encoding).

use std::io::Read;

use rayon::prelude::*;

use crate::count::{Counts, Oddities, count_str_checked};
use crate::doc::ParaKind;
use crate::sections::{Marker, Pos, Scan, SectionKind, plan, prune, scan, tally};

/// Bytes per piece: large enough that per-piece work is noise, small enough to share out.
pub const PIECE: usize = 4 << 20;
/// Pieces read ahead while the previous batch is counted.
const BATCH: usize = 4;
/// A line longer than this is left to the general path (it would grow a buffer without end).
pub const MAX_LINE: usize = 64 << 20;

/// What a text file counts to: the total, the body and each excluded part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextCounts {
    pub counts: Counts,
    pub body: Counts,
    pub excluded: Vec<(SectionKind, Counts)>,
}

/// One piece's share of the work.
struct Piece {
    counts: Counts,
    /// Counts from the piece's start up to each marker's start and end (its `next`), by
    /// absolute byte offset: any section's count is a difference of two of these.
    prefix: Vec<(usize, Counts)>,
    /// Paragraphs in the piece, and those of them that are not blank.
    paras: usize,
    nonblank: usize,
    /// Markers with piece-local paragraph indices and ordinals, absolute byte offsets.
    markers: Vec<Marker>,
    /// Byte offset where the piece ends.
    end: usize,
}

/// Why the stream left a text to the general path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsure {
    /// Not valid UTF-8 (after decoding, if the text was decoded).
    NotUtf8,
    /// A NUL byte: binary content, or UTF-16 without a BOM.
    Nul,
    /// A CR not followed by LF.
    LoneCr,
    /// A line longer than [`MAX_LINE`].
    LongLine,
    /// A section boundary the rules do not make (a safeguard, not reached).
    Boundary,
}

/// Counts a text file as it streams in, decoding it first when it is not UTF-8, with the
/// same decisions as the general path (`extract/text.rs`): a BOM decides; else valid UTF-8 is
/// UTF-8; else chardetng guesses from the first MiB. Gives the counts and the encoding's
/// name, or `None` when the general path must decide (UTF-16 without a BOM, a NUL, a lone CR,
/// bytes invalid in the guessed encoding's UTF-8 output).
pub fn count_file(path: &std::path::Path) -> std::io::Result<Option<(TextCounts, &'static str)>> {
    use std::io::{Seek, SeekFrom};
    let Some((mut f, head)) = crate::extract::open_plain(path)? else {
        return Ok(None); // a device, a pipe, or a PDF or a Word file named .txt
    };
    f.seek(SeekFrom::Start(0))?;
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(&head) {
        if enc == encoding_rs::UTF_8 {
            return Ok(count_reader(f, PIECE)?.ok().map(|t| (t, "UTF-8")));
        }
        f.seek(SeekFrom::Start(bom as u64))?;
        return Ok(count_reader(crate::extract::decoding(f, enc), PIECE)?
            .ok()
            .map(|t| (t, enc.name())));
    }
    if crate::extract::looks_like_utf16(&head) {
        return Ok(None); // which byte order: the general path asks the whole file
    }
    match count_reader(&mut f, PIECE)? {
        Ok(t) => return Ok(Some((t, "UTF-8"))),
        Err(Unsure::NotUtf8) => {}
        Err(_) => return Ok(None),
    }
    let len = usize::try_from(f.metadata()?.len()).unwrap_or(usize::MAX);
    let enc = crate::extract::guess_legacy(&head, len);
    if enc == encoding_rs::UTF_8 {
        return Ok(None);
    }
    f.seek(SeekFrom::Start(0))?;
    Ok(count_reader(crate::extract::decoding(f, enc), PIECE)?
        .ok()
        .map(|t| (t, enc.name())))
}

/// Counts UTF-8 text from a reader in pieces of about `piece` bytes.
pub fn count_reader(
    mut r: impl Read + Send,
    piece: usize,
) -> std::io::Result<Result<TextCounts, Unsure>> {
    let mut reader = Reader {
        carry: Vec::new(),
        offset: 0,
        first: true,
        eof: false,
        piece: piece.max(1),
    };
    let mut filled = vec![Vec::new(); BATCH];
    let mut spare = vec![Vec::new(); BATCH];
    let Some(mut offsets) = reader.fill(&mut r, &mut filled)? else {
        return Ok(Err(Unsure::LongLine));
    };
    let mut stitch = Stitch::default();
    while !offsets.is_empty() {
        // Count this batch on all cores while the next one is read.
        let (done, next) = rayon::join(
            || {
                filled[..offsets.len()]
                    .par_iter()
                    .zip(offsets.par_iter())
                    .map(|(buf, &off)| scan_piece(buf, off))
                    .collect::<Vec<_>>()
            },
            || reader.fill(&mut r, &mut spare),
        );
        for p in done {
            match p {
                Ok(p) => stitch.add(p),
                Err(why) => return Ok(Err(why)),
            }
        }
        let Some(next) = next? else {
            return Ok(Err(Unsure::LongLine));
        };
        offsets = next;
        std::mem::swap(&mut filled, &mut spare);
    }
    Ok(stitch.finish().ok_or(Unsure::Boundary))
}

/// Reads a file into pieces that end just after a `\n` (or at the end of the file).
struct Reader {
    /// The start of a line that did not fit in the last piece.
    carry: Vec<u8>,
    /// Byte offset (after the BOM) where the next piece starts.
    offset: usize,
    first: bool,
    eof: bool,
    piece: usize,
}

impl Reader {
    /// Fills up to `bufs.len()` pieces and gives their byte offsets (none at the end of the
    /// file), or `None` for a line longer than [`MAX_LINE`].
    fn fill(
        &mut self,
        r: &mut impl Read,
        bufs: &mut [Vec<u8>],
    ) -> std::io::Result<Option<Vec<usize>>> {
        let mut offsets = Vec::with_capacity(bufs.len());
        for buf in bufs.iter_mut() {
            if self.eof && self.carry.is_empty() {
                break;
            }
            buf.clear();
            buf.append(&mut self.carry);
            // Read a piece, then on until a line ends in it.
            let mut want = self.piece;
            loop {
                let before = buf.len();
                if !self.eof {
                    let got = r.by_ref().take(want as u64).read_to_end(buf)?;
                    if got < want {
                        self.eof = true;
                    }
                }
                if self.eof || memchr::memchr(b'\n', &buf[before..]).is_some() {
                    break;
                }
                if buf.len() > MAX_LINE {
                    return Ok(None);
                }
                want = self.piece;
            }
            if self.first {
                self.first = false;
                if buf.starts_with(b"\xEF\xBB\xBF") {
                    buf.drain(..3);
                }
            }
            if !self.eof {
                // Keep the unfinished last line for the next piece.
                let cut = memchr::memrchr(b'\n', buf).map_or(0, |i| i + 1);
                self.carry.extend_from_slice(&buf[cut..]);
                buf.truncate(cut);
            }
            offsets.push(self.offset);
            self.offset += buf.len();
        }
        Ok(Some(offsets))
    }
}

/// The pieces put back together: paragraph indices and ordinals continue from the pieces
/// before, running counts from their totals.
#[derive(Default)]
struct Stitch {
    total: Counts,
    markers: Vec<Marker>,
    prefix: Vec<(usize, Counts)>,
    paras: usize,
    ordinals: usize,
    bytes: usize,
}

impl Stitch {
    fn add(&mut self, p: Piece) {
        let total = self.total;
        self.prefix
            .extend(p.prefix.into_iter().map(|(b, c)| (b, total + c)));
        self.total += p.counts;
        let (paras, ordinals) = (self.paras, self.ordinals);
        self.markers.extend(p.markers.into_iter().map(|mut m| {
            m.para += paras;
            m.ordinal += ordinals;
            m
        }));
        self.paras += p.paras;
        self.ordinals += p.nonblank;
        self.bytes = p.end;
    }

    fn finish(mut self) -> Option<TextCounts> {
        let total = self.total;
        self.prefix.insert(0, (0, Counts::default()));
        self.prefix.push((self.bytes, total));
        let end = Pos {
            para: self.paras,
            byte: self.bytes,
        };
        // Every section boundary is the start or the end of a marker's paragraph, or an end
        // of the text (see `sections::plan`), so the running count at it was recorded.
        let upto = |byte: usize| -> Option<Counts> {
            let i = self.prefix.binary_search_by_key(&byte, |(b, _)| *b).ok()?;
            Some(self.prefix[i].1)
        };
        let mut missed = false;
        let segments = plan(&self.markers, end, |p| {
            upto(p.byte).map_or_else(
                || {
                    missed = true;
                    0
                },
                |c| c.words,
            )
        });
        let excluded: Vec<_> = segments
            .into_iter()
            .filter(|s| s.kind != SectionKind::Body)
            .collect();
        let (_, excluded) = tally(&excluded, |s| {
            match (upto(s.bytes.start), upto(s.bytes.end)) {
                (Some(a), Some(mut b)) => {
                    b -= a;
                    b
                }
                _ => {
                    missed = true;
                    Counts::default()
                }
            }
        });
        if missed {
            return None; // a boundary the rules above do not make: let the general path count
        }
        // The body is what is left once the excluded parts are taken off the total.
        let mut body = total;
        for (_, c) in &excluded {
            body -= *c;
        }
        Some(TextCounts {
            counts: total,
            body,
            excluded,
        })
    }
}

/// Validates, counts and scans one piece starting at byte `offset` of the text; an error
/// sends the file to the general path.
fn scan_piece(bytes: &[u8], offset: usize) -> Result<Piece, Unsure> {
    let Ok(text) = simdutf8::basic::from_utf8(bytes) else {
        // The same answer as for valid text, where the counter looks for these.
        let odd = Oddities {
            nul: memchr::memchr(0, bytes).is_some(),
            lone_cr: memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n')),
        };
        return Err(unsure(odd).unwrap_or(Unsure::NotUtf8));
    };

    let mut markers = Vec::new();
    let mut buf = String::new();
    let (mut paras, mut nonblank) = (0, 0);
    let mut start = 0;
    let mut newlines = memchr::memchr_iter(b'\n', bytes);
    while start < text.len() {
        let (line_end, next) = match newlines.next() {
            Some(i) => (i, i + 1),
            None => (text.len(), text.len()),
        };
        let line = &text[start..line_end];
        let line = line.strip_suffix('\r').unwrap_or(line);
        if ends_sentence(line) {
            // What `scan` says first for such a line, without its Unicode trimming.
            nonblank += 1;
            paras += 1;
            start = next;
            continue;
        }
        match scan(ParaKind::Body, line, &mut buf) {
            Scan::Blank => {}
            Scan::Plain => nonblank += 1,
            Scan::Marker(flags) => {
                markers.push(Marker {
                    para: paras,
                    ordinal: nonblank,
                    start: offset + start,
                    next: offset + next,
                    flags,
                });
                nonblank += 1;
            }
        }
        paras += 1;
        start = next;
    }

    // Only the markers that may matter are kept (see `sections::prune`), so memory follows the
    // document's structure, not its number of heading-like lines.
    // A piece after the first may continue a TOC whose title came before it.
    let markers = prune(markers, offset > 0);

    // Count the piece in runs between the markers' edges, keeping the running total at each.
    let mut prefix = Vec::with_capacity(2 * markers.len());
    // The counter also looks for NUL bytes and lone CRs, which send the file elsewhere.
    let mut counts = Counts::default();
    let mut odd = Oddities::default();
    let mut count = |counts: &mut Counts, part: &str| {
        let (c, o) = count_str_checked(part);
        *counts += c;
        odd.nul |= o.nul;
        odd.lone_cr |= o.lone_cr;
    };
    let mut pos = 0;
    for m in &markers {
        for edge in [m.start - offset, m.next - offset] {
            if edge > pos {
                count(&mut counts, &text[pos..edge]);
                pos = edge;
            }
            prefix.push((offset + edge, counts));
        }
    }
    count(&mut counts, &text[pos..]);
    // The parts end at line ends, so a CR at the end of one is at the end of the piece.
    if let Some(why) = unsure(odd) {
        return Err(why);
    }
    Ok(Piece {
        counts,
        prefix,
        paras,
        nonblank,
        markers,
        end: offset + bytes.len(),
    })
}

/// Why a piece with these bytes goes to the general path, if it does: a NUL byte means binary
/// content or UTF-16 without a BOM; a CR must be part of a CRLF (a lone CR, classic Mac OS,
/// is left to the general path).
fn unsure(odd: Oddities) -> Option<Unsure> {
    if odd.nul {
        Some(Unsure::Nul)
    } else if odd.lone_cr {
        Some(Unsure::LoneCr)
    } else {
        None
    }
}

/// Does this line end in a sentence mark (。；;) after only ASCII white space? Then
/// `sections::scan` calls it a plain paragraph before anything else; this looks at its last
/// bytes only. A line it does not decide goes to `scan` as before.
fn ends_sentence(line: &str) -> bool {
    let b = line.as_bytes();
    let end = b
        .iter()
        .rposition(|x| !x.is_ascii_whitespace() && *x != 0x0B)
        .map_or(0, |i| i + 1);
    let b = &b[..end];
    b.ends_with("。".as_bytes()) || b.ends_with("；".as_bytes()) || b.ends_with(b";")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn sentence_ends_by_hand() {
        for (line, want) in [
            ("第一条 为了规范口岸开放，制定本条例。", true),
            ("第一条 为了规范口岸开放；", true),
            ("a;", true),
            ("本条例。 \t\u{B}", true),
            ("本条例。\u{3000}", false), // ideographic space: left to `scan`, which trims it
            ("第一章 总则", false),
            ("附录", false),
            ("本条例。”", false),
            ("。", true),
            ("", false),
            ("   ", false),
        ] {
            assert_eq!(ends_sentence(line), want, "{line:?}");
        }
    }

    const PARTS: &[&str] = &[
        "。",
        "；",
        ";",
        " ",
        "\t",
        "\u{B}",
        "\u{3000}",
        "\u{A0}",
        "附录",
        "第一章",
        "目录",
        "中",
        "a",
        "”",
        "：",
        "1",
        "……",
        "参考文献",
        "\r",
    ];

    proptest! {
        /// The shortcut never disagrees with `scan`: what it calls a sentence, `scan` calls a
        /// plain paragraph.
        #[test]
        fn shortcut_agrees_with_scan(idx in prop::collection::vec(0..PARTS.len(), 0..12)) {
            let line: String = idx.iter().map(|&i| PARTS[i]).collect();
            if ends_sentence(&line) {
                let scanned = scan(ParaKind::Body, &line, &mut String::new());
                prop_assert!(matches!(scanned, Scan::Plain), "{:?}", line);
            }
        }
    }
}
