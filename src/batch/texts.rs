//! The extracted documents of a batch, by content hash (`OUT_DIR/cache/text/<hash>.doc`).
//!
//! The reading stage extracts every new or changed file once and keeps its document here the
//! moment it is done, beside its facts and fingerprints. The stages after it (the full-text
//! index, the overlap stage's refinement and report, the site's file views and copying pages)
//! read the documents back through a [`DocSource`] instead of extracting each file again:
//! before this cache a full run extracted every file three to four times.
//!
//! An entry is used only when everything in it checks out: its mark and layout, the facts
//! version it was written under (a new extraction bumps that version), the content hash and
//! the extension it was written for (the same bytes named `.md` and `.txt` extract
//! differently), and a BLAKE3 sum over what it holds. Anything else (a missing, truncated,
//! corrupted, swapped or stale entry) is a miss: the file is extracted again and the entry
//! written anew, so a bad cache costs time, never a wrong index or view. Documents whose
//! scanned pages went unread for want of an OCR engine are not kept (they are read again once
//! one is installed, as their facts are), nor very large texts (extracted again when wanted:
//! they are few, and a 200 MB text file streams as fast as it decompresses).
//!
//! Memory: an entry is written and read one file at a time per thread; nothing here holds
//! more than the document being handled.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::doc::Document;
use crate::extract::ExtractError;
use crate::facts::FACTS_VERSION;
use crate::fsutil::write_atomic;

/// First bytes of an entry; the digit is the layout's version.
const MAGIC: &[u8; 8] = b"YSDOC01\n";

/// Texts longer than this are not kept (see the module's comment).
pub const MAX_CACHED_TEXT: usize = 64 << 20;

/// `OUT_DIR/cache/text`.
pub(crate) fn text_dir(out: &Path) -> PathBuf {
    out.join("cache").join("text")
}

fn entry_path(dir: &Path, hash: &str) -> PathBuf {
    dir.join(format!("{hash}.doc"))
}

/// Entry layout (integers little-endian):
/// `MAGIC | facts version u32 | hash len u8 | hash | ext len u8 | ext |`
/// `skeleton len u32 | skeleton lz4 len u32 | text len u32 | BLAKE3(skeleton ‖ text) 32 bytes |`
/// `lz4(skeleton) | lz4(text)`, where the skeleton is the document's JSON with its text left
/// out (paragraph spans, kinds, pages, metadata…) and the text is its UTF-8 bytes. The text is
/// compressed on its own so that writing never copies it, and reading it alone never parses
/// JSON. LZ4 because tantivy already builds it in and it decompresses at memory speed.
fn encode(hash: &str, ext: &str, doc: &Document) -> Option<Vec<u8>> {
    if doc.text.len() > MAX_CACHED_TEXT || hash.len() > 255 || ext.len() > 255 {
        return None;
    }
    // Every field but the text (a new field of Document must be added here: the literal
    // does not compile without it).
    let skeleton = serde_json::to_vec(&Document {
        format: doc.format,
        text: String::new(),
        paras: doc.paras.clone(),
        extra: doc.extra.clone(),
        meta: doc.meta.clone(),
        empty_pages: doc.empty_pages.clone(),
        ocr_pages: doc.ocr_pages.clone(),
        ocr_confidence: doc.ocr_confidence,
        ocr_missing: doc.ocr_missing,
        warnings: doc.warnings.clone(),
        name_rows: doc.name_rows,
    })
    .ok()?;
    let text = doc.text.as_bytes();
    let skel_z = lz4_flex::block::compress(&skeleton);
    let text_z = lz4_flex::block::compress(text);
    let sum = {
        let mut h = blake3::Hasher::new();
        h.update(&skeleton);
        h.update(text);
        h.finalize()
    };
    let mut out = Vec::with_capacity(64 + hash.len() + skel_z.len() + text_z.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FACTS_VERSION.to_le_bytes());
    out.push(hash.len() as u8);
    out.extend_from_slice(hash.as_bytes());
    out.push(ext.len() as u8);
    out.extend_from_slice(ext.as_bytes());
    out.extend_from_slice(&u32::try_from(skeleton.len()).ok()?.to_le_bytes());
    out.extend_from_slice(&u32::try_from(skel_z.len()).ok()?.to_le_bytes());
    out.extend_from_slice(&u32::try_from(text.len()).ok()?.to_le_bytes());
    out.extend_from_slice(sum.as_bytes());
    out.extend_from_slice(&skel_z);
    out.extend_from_slice(&text_z);
    Some(out)
}

/// Reads the bytes of an entry in order, failing on anything short.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }
    fn u8(&mut self) -> Option<usize> {
        self.take(1).map(|b| b[0] as usize)
    }
    fn u32(&mut self) -> Option<usize> {
        let b: [u8; 4] = self.take(4)?.try_into().ok()?;
        Some(u32::from_le_bytes(b) as usize)
    }
}

/// LZ4 expands at most about 255× (a match of 255+ bytes per 2-byte token and length bytes);
/// a larger claimed size is corruption, and must not become a huge allocation.
fn decompress(z: &[u8], len: usize) -> Option<Vec<u8>> {
    if len > z.len().saturating_mul(256) + 64 {
        return None;
    }
    let v = lz4_flex::block::decompress(z, len).ok()?;
    (v.len() == len).then_some(v)
}

/// The document in `bytes` if it is a sound entry for `hash` and `ext`; with `text_only`, the
/// skeleton is checked but not parsed (the document then has its text and nothing else).
fn decode(bytes: &[u8], hash: &str, ext: &str, text_only: bool) -> Option<Document> {
    let mut r = Reader(bytes);
    if r.take(MAGIC.len())? != MAGIC {
        return None;
    }
    let version: [u8; 4] = r.take(4)?.try_into().ok()?;
    if u32::from_le_bytes(version) != FACTS_VERSION {
        return None;
    }
    let n = r.u8()?;
    if r.take(n)? != hash.as_bytes() {
        return None;
    }
    let n = r.u8()?;
    if r.take(n)? != ext.as_bytes() {
        return None;
    }
    let (skel_len, skel_z_len, text_len) = (r.u32()?, r.u32()?, r.u32()?);
    let sum: [u8; 32] = r.take(32)?.try_into().ok()?;
    let skeleton = decompress(r.take(skel_z_len)?, skel_len)?;
    let text = decompress(r.0, text_len)?;
    let mut h = blake3::Hasher::new();
    h.update(&skeleton);
    h.update(&text);
    if h.finalize() != blake3::Hash::from_bytes(sum) {
        return None;
    }
    let text = String::from_utf8(text).ok()?;
    let mut doc: Document = if text_only {
        Document::new(crate::doc::Format::Txt)
    } else {
        serde_json::from_slice(&skeleton).ok()?
    };
    doc.text = text;
    Some(doc)
}

/// Keeps `doc`, extracted from a file of content `hash` and extension `ext`, in `dir`
/// (failures are ignored: a missing entry only means extracting again).
pub(crate) fn store(dir: &Path, hash: &str, ext: &str, doc: &Document) {
    if doc.ocr_missing || hash.is_empty() {
        return;
    }
    if let Some(bytes) = encode(hash, ext, doc) {
        let _ = write_atomic(&entry_path(dir, hash), &bytes);
    }
}

fn load(dir: &Path, hash: &str, ext: &str, text_only: bool) -> Option<Document> {
    let bytes = std::fs::read(entry_path(dir, hash)).ok()?;
    decode(&bytes, hash, ext, text_only)
}

/// The documents of a run's files, from the cache where it has them, else extracted again
/// (and kept). Files are named as a run shows them, relative to the batch folder
/// (`projects/<id>/<file>`, `archive/…`).
pub struct DocSource {
    batch: PathBuf,
    /// `OUT_DIR/cache/text`, or none: always extract.
    dir: Option<PathBuf>,
    /// Shown path → content hash.
    hashes: HashMap<String, String>,
}

impl DocSource {
    /// A source for the files of `hashes` (shown path → content hash) with the cache of `out`.
    pub(crate) fn new(batch: &Path, out: &Path, hashes: HashMap<String, String>) -> DocSource {
        DocSource {
            batch: batch.to_path_buf(),
            dir: Some(text_dir(out)),
            hashes,
        }
    }

    /// A source without a cache: every document is extracted from its file.
    pub fn uncached(batch: &Path) -> DocSource {
        DocSource {
            batch: batch.to_path_buf(),
            dir: None,
            hashes: HashMap::new(),
        }
    }

    fn get(&self, shown: &str, text_only: bool) -> Result<Document, ExtractError> {
        let path = self.batch.join(shown);
        let ext = crate::extract::extension(&path);
        let cached = self.dir.as_deref().zip(self.hashes.get(shown));
        if let Some((dir, hash)) = cached
            && let Some(doc) = load(dir, hash, &ext, text_only)
        {
            return Ok(doc);
        }
        let bytes = crate::extract::read_file(&path)?;
        // The entry is keyed by the hash of the bytes read now: the file may have changed
        // since the reading stage hashed it.
        let hash = cached.map(|_| blake3::hash(&bytes).to_hex().to_string());
        let doc = crate::extract::extract_bytes(bytes, &ext)?;
        if let (Some(dir), Some(hash)) = (&self.dir, hash) {
            store(dir, &hash, &ext, &doc);
        }
        Ok(doc)
    }

    /// The whole document of a file (paragraphs, kinds, pages…).
    pub fn document(&self, shown: &str) -> Result<Document, ExtractError> {
        self.get(shown, false)
    }

    /// The extracted text of a file.
    pub fn text(&self, shown: &str) -> Result<String, ExtractError> {
        self.get(shown, true).map(|d| d.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Document {
        crate::extract::extract_bytes(
            "# 标题\n\n第一段，有**强调**。\n\n- 列表项\n\n| 表 | 格 |\n|---|---|\n| 一 | 二 |\n"
                .as_bytes()
                .to_vec(),
            "md",
        )
        .unwrap()
    }

    #[test]
    fn an_entry_gives_back_the_same_document() {
        let doc = sample();
        assert!(
            doc.paras.len() >= 3,
            "the sample has paragraphs of several kinds"
        );
        let bytes = encode("abc", "md", &doc).unwrap();
        assert_eq!(decode(&bytes, "abc", "md", false).unwrap(), doc);
        assert_eq!(decode(&bytes, "abc", "md", true).unwrap().text, doc.text);
    }

    #[test]
    fn a_damaged_or_foreign_entry_is_a_miss() {
        let doc = sample();
        let bytes = encode("abc", "md", &doc).unwrap();
        // Another hash or extension than the entry was written for.
        assert!(decode(&bytes, "abd", "md", false).is_none());
        assert!(decode(&bytes, "abc", "txt", false).is_none());
        // Any byte changed anywhere, in both modes.
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x20;
            assert!(decode(&b, "abc", "md", false).is_none(), "byte {i} flipped");
            assert!(decode(&b, "abc", "md", true).is_none(), "byte {i} flipped");
        }
        // Cut short anywhere, or empty.
        for n in 0..bytes.len() {
            assert!(
                decode(&bytes[..n], "abc", "md", false).is_none(),
                "cut at {n}"
            );
        }
    }
}
