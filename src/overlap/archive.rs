//! An on-disk fingerprint index of an archive, for checking one new document against many
//! past ones without loading them.
//!
//! Layout of `postings.bin` (little endian, written by hand: a sorted array and an offset
//! table are all that is needed, and a database would be a heavier dependency than the
//! feature): the magic `YSAX1`, the bucket count B (2^20), B + 1 u64 record offsets, then
//! 24-byte records sorted by hash: hash u64, doc u32, npos u32, ostart u32, oend u32 (top bit:
//! cited). Records with the top 20 bits of their hash equal to b lie in
//! `offsets[b]..offsets[b+1]`, so one lookup reads about (records / B) × 24 bytes: 2 KB for an
//! archive of 10,000 reports. `docs.json` holds each document's path and normalized length.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Fingerprints, Fp, Passage, align, union_len};

const MAGIC: &[u8; 5] = b"YSAX2";
const BUCKET_BITS: u32 = 20;
const RECORD: usize = 24;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArchiveDoc {
    pub path: String,
    pub norm_len: u32,
}

/// Writes the index of `docs` into `dir` (created if needed).
pub fn build(dir: &Path, docs: &[(String, &Fingerprints)]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut recs: Vec<(u64, u32, u32, u32, u32)> = Vec::new();
    for (d, (_, f)) in docs.iter().enumerate() {
        for fp in &f.fps {
            // Flags in the top bits of the end offset (no extracted text reaches 2^30 chars).
            let oend = (fp.oend & 0x3FFF_FFFF)
                | if fp.cited { 0x8000_0000 } else { 0 }
                | if fp.padding { 0x4000_0000 } else { 0 };
            recs.push((fp.hash, d as u32, fp.npos, fp.ostart, oend));
        }
    }
    {
        use rayon::prelude::*;
        recs.par_sort_unstable();
    }
    let buckets = 1usize << BUCKET_BITS;
    let mut offsets = vec![0u64; buckets + 1];
    for r in &recs {
        offsets[(r.0 >> (64 - BUCKET_BITS)) as usize + 1] += 1;
    }
    for i in 0..buckets {
        offsets[i + 1] += offsets[i];
    }
    let tmp = dir.join("postings.bin.tmp");
    {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        w.write_all(MAGIC)?;
        w.write_all(&(buckets as u32).to_le_bytes())?;
        for o in &offsets {
            w.write_all(&o.to_le_bytes())?;
        }
        for r in &recs {
            w.write_all(&r.0.to_le_bytes())?;
            w.write_all(&r.1.to_le_bytes())?;
            w.write_all(&r.2.to_le_bytes())?;
            w.write_all(&r.3.to_le_bytes())?;
            w.write_all(&r.4.to_le_bytes())?;
        }
        w.flush()?;
    }
    std::fs::rename(&tmp, dir.join("postings.bin"))?;
    let meta: Vec<ArchiveDoc> = docs
        .iter()
        .map(|(p, f)| ArchiveDoc {
            path: p.clone(),
            norm_len: f.norm_len,
        })
        .collect();
    crate::fsutil::write_atomic(
        &dir.join("docs.json"),
        &serde_json::to_vec(&meta).map_err(std::io::Error::other)?,
    )
}

/// An opened index: the offset table in memory, the records read on demand.
pub struct Archive {
    file: std::fs::File,
    offsets: Vec<u64>,
    data_start: u64,
    pub docs: Vec<ArchiveDoc>,
}

/// What one document shares with one archived document.
#[derive(Debug, Clone)]
pub struct Match {
    pub doc: usize,
    pub passages: Vec<Passage>,
    /// Shared characters on the query's side.
    pub chars: u32,
}

impl Archive {
    pub fn open(dir: &Path) -> std::io::Result<Archive> {
        let docs: Vec<ArchiveDoc> = serde_json::from_slice(&std::fs::read(dir.join("docs.json"))?)
            .map_err(std::io::Error::other)?;
        let mut file = std::fs::File::open(dir.join("postings.bin"))?;
        let mut head = [0u8; 9];
        file.read_exact(&mut head)?;
        if &head[..5] != MAGIC {
            return Err(std::io::Error::other("不是 yanshou 的指纹索引"));
        }
        let buckets = u32::from_le_bytes(head[5..9].try_into().unwrap()) as usize;
        if buckets != 1 << BUCKET_BITS {
            return Err(std::io::Error::other("指纹索引版本不符"));
        }
        let mut raw = vec![0u8; (buckets + 1) * 8];
        file.read_exact(&mut raw)?;
        let offsets: Vec<u64> = raw
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
            .collect();
        // A damaged index must give an error, not a huge read: offsets only grow, and the
        // last one is the number of records the file holds.
        let data_start = 9 + ((buckets + 1) * 8) as u64;
        let records = (file.metadata()?.len().saturating_sub(data_start)) / RECORD as u64;
        if offsets.windows(2).any(|w| w[0] > w[1]) || offsets.last() != Some(&records) {
            return Err(std::io::Error::other("指纹索引已损坏：请重建"));
        }
        Ok(Archive {
            file,
            offsets,
            data_start,
            docs,
        })
    }

    /// Checks one document's fingerprints against the archive.
    pub fn query(&mut self, q: &Fingerprints, min_chars: u32) -> std::io::Result<Vec<Match>> {
        // Visit buckets in order, so reads go forward through the file.
        let mut want: Vec<(u64, usize)> =
            q.fps.iter().enumerate().map(|(i, f)| (f.hash, i)).collect();
        want.sort_unstable();
        let mut per_doc: std::collections::HashMap<u32, Vec<(Fp, Fp)>> = Default::default();
        let mut buf = Vec::new();
        let mut i = 0;
        while i < want.len() {
            let b = (want[i].0 >> (64 - BUCKET_BITS)) as usize;
            let (lo, hi) = (self.offsets[b], self.offsets[b + 1]);
            let mut j = i;
            while j < want.len() && (want[j].0 >> (64 - BUCKET_BITS)) as usize == b {
                j += 1;
            }
            if hi > lo {
                let n = (hi - lo) as usize;
                buf.resize(n * RECORD, 0);
                self.file
                    .seek(SeekFrom::Start(self.data_start + lo * RECORD as u64))?;
                self.file.read_exact(&mut buf)?;
                // Postings of this bucket, grouped by hash (they are sorted).
                let rec = |k: usize| {
                    let r = &buf[k * RECORD..(k + 1) * RECORD];
                    let u = |a: usize| u32::from_le_bytes(r[a..a + 4].try_into().unwrap());
                    let hash = u64::from_le_bytes(r[0..8].try_into().unwrap());
                    let oend = u(20);
                    (
                        hash,
                        u(8),
                        Fp {
                            hash,
                            npos: u(12),
                            ostart: u(16),
                            oend: oend & 0x3FFF_FFFF,
                            cited: oend & 0x8000_0000 != 0,
                            padding: oend & 0x4000_0000 != 0,
                        },
                    )
                };
                for &(h, qi) in &want[i..j] {
                    // Binary search for the first record with this hash.
                    let (mut a, mut z) = (0usize, n);
                    while a < z {
                        let m = (a + z) / 2;
                        if rec(m).0 < h {
                            a = m + 1;
                        } else {
                            z = m;
                        }
                    }
                    let mut k = a;
                    let mut docs_seen = 0;
                    while k < n && rec(k).0 == h {
                        docs_seen += 1;
                        k += 1;
                    }
                    if docs_seen > super::MAX_DOCS_PER_HASH {
                        continue;
                    }
                    for k in a..k {
                        let (_, d, fp) = rec(k);
                        // Matches in padding (covers, 目录, 参考文献) are not copying.
                        if !fp.padding && !q.fps[qi].padding {
                            per_doc.entry(d).or_default().push((q.fps[qi], fp));
                        }
                    }
                }
            }
            i = j;
        }
        let mut out: Vec<Match> = per_doc
            .into_iter()
            .filter_map(|(d, seeds)| {
                let passages = align(seeds, min_chars);
                if passages.is_empty() {
                    return None;
                }
                let chars = union_len(passages.iter().map(|p| p.a_norm).collect());
                Some(Match {
                    doc: d as usize,
                    passages,
                    chars,
                })
            })
            .collect();
        out.sort_by(|a, b| b.chars.cmp(&a.chars).then(a.doc.cmp(&b.doc)));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::overlap::fingerprint;

    #[test]
    fn a_document_is_found_in_the_archive() {
        let base = "科学技术协会学会改革服务能力提升计划项目验收专家评审组织实施管理办法条例规定";
        let a: String = base.chars().cycle().skip(3).take(300).collect();
        let other = "国家鼓励企业事业单位社会组织和公民个人依法参与生态环境保护监督管理工作";
        let docs = [fingerprint(&a), fingerprint(other)];
        let dir = tempfile::tempdir().unwrap();
        let named: Vec<(String, &Fingerprints)> = docs
            .iter()
            .enumerate()
            .map(|(i, f)| (format!("d{i}"), f))
            .collect();
        build(dir.path(), &named).unwrap();
        let mut ar = Archive::open(dir.path()).unwrap();
        let q = fingerprint(&format!("开头几句无关的话。{}", &a[..a.len() / 2]));
        let m = ar.query(&q, 30).unwrap();
        assert_eq!(m.len(), 1);
        assert_eq!(ar.docs[m[0].doc].path, "d0");
        assert!(m[0].chars >= 100, "{}", m[0].chars);
        // A truncated index is refused with a message, not read past its end.
        let p = dir.path().join("postings.bin");
        let len = std::fs::metadata(&p).unwrap().len();
        let f = std::fs::OpenOptions::new().write(true).open(&p).unwrap();
        f.set_len(len - 24).unwrap();
        assert!(Archive::open(dir.path()).is_err());
    }
}
