//! The Parquet side of the cluster path (cargo feature `parquet`): export and align.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::basic::Compression;
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::record::{Row, RowAccessor};
use parquet::schema::parser::parse_message_type;
use rayon::prelude::*;

use super::part::{PART_SCHEMA, PartPair, PartPassage, PartResult};
use super::{group_of, min_seeds, parse_spans, spans_text};
use crate::error::Error;
use crate::overlap::report::{Input, OverlapReport, assemble, refine_pairs};
use crate::overlap::{
    Fingerprints, Fp, PairResult, Passage, Text, align_pair, call_hashes, exclude,
    fingerprint_document, min_core,
};
use crate::progress::Progress;

/// Documents fingerprinted and written per row group: bounds the exporter's memory (about
/// 100 bytes per fingerprint while a chunk is held) whatever the shard's size.
const CHUNK_DOCS: usize = 500;

const FPS_SCHEMA: &str = "message fps {
  required int32 doc; required int64 hash; required int32 npos; required int32 start;
  required int32 end; required boolean cited; required boolean padding; required int64 grp;
}";

const DOCS_SCHEMA: &str = "message docs {
  required int32 doc; required binary path (UTF8); required binary project (UTF8);
  required int64 grp; required int32 norm_len; required int32 body_len;
  required binary padding (UTF8);
}";

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExportSummary {
    pub docs: usize,
    pub fingerprints: u64,
    /// Normalized characters of the documents written.
    pub chars: u64,
    /// Some files could not be read or had no text (`progress` heard which).
    pub failed: bool,
}

fn pq(path: &Path, e: parquet::errors::ParquetError) -> Error {
    Error::Output {
        path: path.to_path_buf(),
        message: format!("Parquet：{e}"),
    }
}

fn bad_input(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Input(format!("{}：无法读取（{e}）", path.display()))
}

/// One exported document.
struct Exported {
    path: String,
    project: Option<String>,
    fp: Fingerprints,
}

/// Writes `files` (shown by their path as given; `groups[i]` the project of file i) as shard
/// `shard` into `dir`: `fps-NNNN.parquet` and `docs-NNNN.parquet`, documents numbered from
/// `first_doc` in the order given. The calls' k-grams are removed. A call that cannot be read
/// stops the export; a file that cannot be read is left out and `progress` hears why.
pub fn export(
    files: &[PathBuf],
    groups: &[Option<String>],
    calls: &[PathBuf],
    dir: &Path,
    shard: u32,
    first_doc: u32,
    progress: &dyn Progress,
) -> Result<ExportSummary, Error> {
    let (hashes, failed_calls) = call_hashes(calls);
    if let Some((c, e)) = failed_calls.into_iter().next() {
        return Err(Error::Usage(format!("{}：{e}", c.display())));
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let fps_path = dir.join(format!("fps-{shard:04}.parquet"));
    let docs_path = dir.join(format!("docs-{shard:04}.parquet"));
    let schema = |s: &str, p: &Path| parse_message_type(s).map(Arc::new).map_err(|e| pq(p, e));
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build(),
    );
    let create = |p: &Path| File::create(p).map_err(|e| Error::io(p, e));
    let mut fps_w = SerializedFileWriter::new(
        create(&fps_path)?,
        schema(FPS_SCHEMA, &fps_path)?,
        props.clone(),
    )
    .map_err(|e| pq(&fps_path, e))?;
    let mut docs_w =
        SerializedFileWriter::new(create(&docs_path)?, schema(DOCS_SCHEMA, &docs_path)?, props)
            .map_err(|e| pq(&docs_path, e))?;
    let mut summary = ExportSummary::default();
    progress.start("导出指纹", files.len() as u64);
    for (chunk, chunk_groups) in files.chunks(CHUNK_DOCS).zip(groups.chunks(CHUNK_DOCS)) {
        let read: Vec<Option<Exported>> = chunk
            .par_iter()
            .zip(chunk_groups)
            .map(|(p, g)| {
                let shown = p.display().to_string();
                let r = crate::report::document_with_text(p, &shown, progress).map(|d| {
                    let mut fp = fingerprint_document(&d);
                    exclude(&mut fp, &hashes);
                    Exported {
                        path: shown.clone(),
                        project: g.clone(),
                        fp,
                    }
                });
                progress.step(Some(&shown));
                r
            })
            .collect();
        summary.failed |= read.iter().any(Option::is_none);
        let ok: Vec<Exported> = read.into_iter().flatten().collect();
        let first = first_doc as usize + summary.docs;
        write_chunk(&mut fps_w, &mut docs_w, &ok, first, &fps_path, &docs_path)?;
        summary.docs += ok.len();
        summary.fingerprints += ok.iter().map(|d| d.fp.fps.len() as u64).sum::<u64>();
        summary.chars += ok.iter().map(|d| d.fp.norm_len as u64).sum::<u64>();
    }
    progress.finish();
    fps_w.close().map_err(|e| pq(&fps_path, e))?;
    docs_w.close().map_err(|e| pq(&docs_path, e))?;
    Ok(summary)
}

/// One row group of each file for the documents `ok`, numbered from `first`.
fn write_chunk(
    fps_w: &mut SerializedFileWriter<File>,
    docs_w: &mut SerializedFileWriter<File>,
    ok: &[Exported],
    first: usize,
    fps_path: &Path,
    docs_path: &Path,
) -> Result<(), Error> {
    if ok.is_empty() {
        return Ok(());
    }
    let id = |i: usize| -> Result<i32, Error> {
        i32::try_from(first + i).map_err(|_| Error::Usage("文档编号超出 i32 范围".into()))
    };
    let n: usize = ok.iter().map(|d| d.fp.fps.len()).sum();
    let mut doc = Vec::with_capacity(n);
    let mut grp = Vec::with_capacity(n);
    let mut hash = Vec::with_capacity(n);
    let (mut npos, mut start, mut end) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let (mut cited, mut padding) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for (i, d) in ok.iter().enumerate() {
        let di = id(i)?;
        let g = group_of(d.project.as_deref(), di as u32);
        for f in &d.fp.fps {
            doc.push(di);
            grp.push(g);
            hash.push(f.hash as i64);
            // Positions stay below 2³¹: at most MAX_FINGERPRINTED_CHARS characters are read.
            npos.push(f.npos as i32);
            start.push(f.ostart as i32);
            end.push(f.oend as i32);
            cited.push(f.cited);
            padding.push(f.padding);
        }
    }
    let mut rg = fps_w.next_row_group().map_err(|e| pq(fps_path, e))?;
    let mut col = 0;
    while let Some(mut c) = rg.next_column().map_err(|e| pq(fps_path, e))? {
        let r = match col {
            0 => c.typed::<Int32Type>().write_batch(&doc, None, None),
            1 => c.typed::<Int64Type>().write_batch(&hash, None, None),
            2 => c.typed::<Int32Type>().write_batch(&npos, None, None),
            3 => c.typed::<Int32Type>().write_batch(&start, None, None),
            4 => c.typed::<Int32Type>().write_batch(&end, None, None),
            5 => c.typed::<BoolType>().write_batch(&cited, None, None),
            6 => c.typed::<BoolType>().write_batch(&padding, None, None),
            _ => c.typed::<Int64Type>().write_batch(&grp, None, None),
        };
        r.map_err(|e| pq(fps_path, e))?;
        c.close().map_err(|e| pq(fps_path, e))?;
        col += 1;
    }
    rg.close().map_err(|e| pq(fps_path, e))?;

    let ids: Vec<i32> = (0..ok.len()).map(id).collect::<Result<_, _>>()?;
    let bytes = |s: &str| ByteArray::from(s.as_bytes().to_vec());
    let paths: Vec<ByteArray> = ok.iter().map(|d| bytes(&d.path)).collect();
    let projects: Vec<ByteArray> = ok
        .iter()
        .map(|d| bytes(d.project.as_deref().unwrap_or("")))
        .collect();
    let groups: Vec<i64> = ok
        .iter()
        .zip(&ids)
        .map(|(d, &i)| group_of(d.project.as_deref(), i as u32))
        .collect();
    let norm: Vec<i32> = ok.iter().map(|d| d.fp.norm_len as i32).collect();
    let body: Vec<i32> = ok.iter().map(|d| d.fp.body_len as i32).collect();
    let pads: Vec<ByteArray> = ok.iter().map(|d| bytes(&spans_text(&d.fp))).collect();
    let mut rg = docs_w.next_row_group().map_err(|e| pq(docs_path, e))?;
    let mut col = 0;
    while let Some(mut c) = rg.next_column().map_err(|e| pq(docs_path, e))? {
        let r = match col {
            0 => c.typed::<Int32Type>().write_batch(&ids, None, None),
            1 => c.typed::<ByteArrayType>().write_batch(&paths, None, None),
            2 => c
                .typed::<ByteArrayType>()
                .write_batch(&projects, None, None),
            3 => c.typed::<Int64Type>().write_batch(&groups, None, None),
            4 => c.typed::<Int32Type>().write_batch(&norm, None, None),
            5 => c.typed::<Int32Type>().write_batch(&body, None, None),
            _ => c.typed::<ByteArrayType>().write_batch(&pads, None, None),
        };
        r.map_err(|e| pq(docs_path, e))?;
        c.close().map_err(|e| pq(docs_path, e))?;
        col += 1;
    }
    rg.close().map_err(|e| pq(docs_path, e))?;
    Ok(())
}

/// The Parquet files directly inside `dir` (Spark's `part-*.parquet`), sorted by name; none
/// when `dir` does not exist (Spark writes no part for an empty result).
fn parquet_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "parquet"))
        .collect();
    out.sort();
    Ok(out)
}

/// The rows of a Parquet file, one at a time (the row API keeps each column's name with
/// every value: collected whole, a part of 300,000 seeds took 600 MB), with the index of each
/// named column.
fn rows(
    path: &Path,
    names: &[&str],
) -> Result<(impl Iterator<Item = Result<Row, Error>>, Vec<usize>), Error> {
    let f = File::open(path).map_err(|e| Error::io(path, e))?;
    let r = SerializedFileReader::new(f).map_err(|e| bad_input(path, e))?;
    let fields = r.metadata().file_metadata().schema().get_fields();
    let idx = names
        .iter()
        .map(|n| {
            fields
                .iter()
                .position(|f| f.name() == *n)
                .ok_or_else(|| bad_input(path, format!("缺少列 {n}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let path = path.to_path_buf();
    let it = parquet::record::reader::RowIter::from_file_into(Box::new(r))
        .map(move |r| r.map_err(|e| bad_input(&path, e)));
    Ok((it, idx))
}

/// One document of the archive as `align` needs it.
struct Doc {
    id: i32,
    path: String,
    project: Option<String>,
    fp: Fingerprints,
}

fn read_docs(dir: &Path) -> Result<Vec<Doc>, Error> {
    let mut docs = Vec::new();
    for p in parquet_files(dir)? {
        let (rs, ix) = rows(
            &p,
            &["doc", "path", "project", "norm_len", "body_len", "padding"],
        )?;
        for r in rs {
            let r = r?;
            let e = |e| bad_input(&p, e);
            let project = r.get_string(ix[2]).map_err(e)?;
            let pad = r.get_string(ix[5]).map_err(e)?;
            docs.push(Doc {
                id: r.get_int(ix[0]).map_err(e)?,
                path: r.get_string(ix[1]).map_err(e)?.clone(),
                project: (!project.is_empty()).then(|| project.clone()),
                fp: Fingerprints {
                    norm_len: r.get_int(ix[3]).map_err(e)? as u32,
                    body_len: r.get_int(ix[4]).map_err(e)? as u32,
                    fps: Vec::new(),
                    padding: parse_spans(pad)
                        .ok_or_else(|| bad_input(&p, format!("padding 列无效：{pad}")))?,
                },
            });
        }
    }
    docs.sort_by_key(|d| d.id);
    if docs.windows(2).any(|w| w[0].id == w[1].id) {
        return Err(Error::Input(format!(
            "{}：文档编号重复（各分片导出时 --first-doc 须互不重叠）",
            dir.display()
        )));
    }
    Ok(docs)
}

/// The `params/` the Spark job wrote: the fewest seeds it kept a pair for, and its cap.
fn read_params(dir: &Path) -> Result<(u32, u32), Error> {
    for p in parquet_files(dir)? {
        let (mut rs, ix) = rows(&p, &["min_seeds", "max_docs"])?;
        if let Some(r) = rs.next() {
            let r = r?;
            let e = |e| bad_input(&p, e);
            return Ok((
                r.get_int(ix[0]).map_err(e)? as u32,
                r.get_int(ix[1]).map_err(e)? as u32,
            ));
        }
    }
    Err(Error::Usage(format!(
        "{}：没有 Spark 作业写出的参数（params/），这不是 candidate_pairs.py 的输出目录",
        dir.display()
    )))
}

const SEED_COLUMNS: [&str; 12] = [
    "a",
    "b",
    "a_npos",
    "a_start",
    "a_end",
    "a_cited",
    "a_padding",
    "b_npos",
    "b_start",
    "b_end",
    "b_cited",
    "b_padding",
];

/// The seeds of one part file: (doc a, doc b, fingerprint in a, fingerprint in b).
fn read_seeds(path: &Path) -> Result<Vec<(i32, i32, Fp, Fp)>, Error> {
    let (rs, ix) = rows(path, &SEED_COLUMNS)?;
    let e = |e| bad_input(path, e);
    rs.map(|r| {
        let r = r?;
        let fp = |o: usize| -> Result<Fp, Error> {
            Ok(Fp {
                hash: 0,
                npos: r.get_int(ix[o]).map_err(e)? as u32,
                ostart: r.get_int(ix[o + 1]).map_err(e)? as u32,
                oend: r.get_int(ix[o + 2]).map_err(e)? as u32,
                cited: r.get_bool(ix[o + 3]).map_err(e)?,
                padding: r.get_bool(ix[o + 4]).map_err(e)?,
            })
        };
        Ok((
            r.get_int(ix[0]).map_err(e)?,
            r.get_int(ix[1]).map_err(e)?,
            fp(2)?,
            fp(7)?,
        ))
    })
    .collect()
}

/// What [`align`] (or [`merge`]) found.
pub struct Aligned {
    pub report: OverlapReport,
    /// Some texts could not be re-read or had changed since the export (`progress` heard
    /// which); their pairs keep the unrefined edges.
    pub failed: bool,
    /// The Spark job's cap on documents per hash (20 = the one-machine rule).
    pub max_docs: u32,
    /// Seeds read, the pairs they belong to (before alignment), and the texts re-read.
    pub seeds: u64,
    pub pairs: u64,
    pub texts_read: u64,
}

/// The seed part files of `dir` (`seeds/part-*.parquet`, sorted by name).
pub fn seed_parts(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    parquet_files(&dir.join("seeds"))
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The docs and the job's cap of a seeds folder, checked against `min_chars`.
fn open_run(dir: &Path, min_chars: u32) -> Result<(Vec<Doc>, u32), Error> {
    let docs = read_docs(&dir.join("docs"))?;
    let (kept_from, max_docs) = read_params(&dir.join("params"))?;
    if kept_from > min_seeds(min_chars) {
        return Err(Error::Usage(format!(
            "Spark 作业只保留了至少 {kept_from} 个种子的文件对，不足以找出 {min_chars} 字的片段（需 --min-seeds {} 或更小）",
            min_seeds(min_chars)
        )));
    }
    Ok((docs, max_docs))
}

/// Aligns the seed part files `parts` (of `dir/seeds/`) into a [`PartResult`]. Reads
/// `docs/`, `params/`, those parts, and the texts of the documents their pairs have passages
/// in, nothing else. Part files are taken one at a time; within one, pairs run in parallel.
pub fn align_parts(
    dir: &Path,
    parts: &[PathBuf],
    min_chars: u32,
    progress: &dyn Progress,
) -> Result<PartResult, Error> {
    let (docs, max_docs) = open_run(dir, min_chars)?;
    let all: Vec<String> = seed_parts(dir)?.iter().map(|p| file_name(p)).collect();
    if let Some(p) = parts.iter().find(|p| !all.contains(&file_name(p))) {
        return Err(Error::Usage(format!(
            "{}：不是 {} 中的种子分片",
            p.display(),
            dir.join("seeds").display()
        )));
    }
    let mut r = align_docs(&docs, parts, min_chars, progress)?;
    r.max_docs = max_docs;
    r.pairs.sort_by_key(|p| (p.a, p.b));
    Ok(r)
}

/// The work of [`align_parts`] once `docs` are read.
fn align_docs(
    docs: &[Doc],
    parts: &[PathBuf],
    min_chars: u32,
    progress: &dyn Progress,
) -> Result<PartResult, Error> {
    let index: HashMap<i32, usize> = docs.iter().enumerate().map(|(i, d)| (d.id, i)).collect();
    let mut seen = std::collections::HashSet::new();
    let mut texts: HashMap<usize, Text> = HashMap::new();
    let mut unreadable = std::collections::HashSet::new();
    let mut out = PartResult {
        schema: PART_SCHEMA.into(),
        min_chars,
        max_docs: 0,
        parts: parts.iter().map(|p| file_name(p)).collect(),
        seeds: 0,
        candidate_pairs: 0,
        texts_read: 0,
        failed: false,
        pairs: Vec::new(),
    };
    progress.start("对齐", parts.len() as u64);
    for part in parts {
        let mut seeds = read_seeds(part)?;
        seeds.par_sort_unstable_by_key(|s| (s.0, s.1, s.2.npos, s.3.npos));
        let mut ranges = Vec::new();
        let mut s = 0;
        while s < seeds.len() {
            let mut e = s + 1;
            while e < seeds.len() && (seeds[e].0, seeds[e].1) == (seeds[s].0, seeds[s].1) {
                e += 1;
            }
            let (a, b) = (seeds[s].0, seeds[s].1);
            let (Some(&ia), Some(&ib)) = (index.get(&a), index.get(&b)) else {
                return Err(Error::Input(format!(
                    "{}：种子中的文档 {a}–{b} 不在 docs/ 中",
                    part.display()
                )));
            };
            if !seen.insert((a, b)) {
                return Err(Error::Input(format!(
                    "{}：文档对 {a}–{b} 的种子分在多个分片中（须按文档对分区）",
                    part.display()
                )));
            }
            ranges.push((ia, ib, s, e));
            s = e;
        }
        out.seeds += seeds.len() as u64;
        out.candidate_pairs += ranges.len() as u64;
        let mut found: Vec<_> = ranges
            .par_iter()
            .filter_map(|&(ia, ib, s, e)| {
                let it = seeds[s..e].iter().map(|x| (x.2, x.3));
                align_pair(ia, ib, it, min_core(min_chars))
            })
            .collect();
        drop(seeds);
        // The texts of this part's pairs, re-read and checked against the export. Those of
        // the previous part that this one needs again are kept (neighbouring parts of the
        // range-partitioned seeds share documents), the others dropped: one part's texts
        // are held at a time. A text that cannot be read is tried (and reported) once.
        let mut wanted: Vec<usize> = found.iter().flat_map(|p| [p.a, p.b]).collect();
        wanted.sort_unstable();
        wanted.dedup();
        texts.retain(|i, _| wanted.binary_search(i).is_ok());
        let missing: Vec<usize> = wanted
            .iter()
            .copied()
            .filter(|i| !texts.contains_key(i) && !unreadable.contains(i))
            .collect();
        let loaded: Vec<(usize, Option<Text>)> = missing
            .par_iter()
            .map(|&i| (i, load_text(&docs[i], progress)))
            .collect();
        out.texts_read += missing.len() as u64;
        for (i, t) in loaded {
            match t {
                Some(t) => {
                    texts.insert(i, t);
                }
                None => {
                    out.failed = true;
                    unreadable.insert(i);
                }
            }
        }
        refine_pairs(&mut found, &|i| texts.get(&i), min_chars);
        out.pairs.extend(found.iter().map(|p| PartPair {
            a: docs[p.a].id,
            b: docs[p.b].id,
            passages: p.passages.iter().map(PartPassage::from).collect(),
            padding: p.padding.iter().map(PartPassage::from).collect(),
        }));
        progress.step(Some(&part.display().to_string()));
    }
    progress.finish();
    Ok(out)
}

/// Aligns all the seeds in `dir` (`seeds/`, `docs/`, `params/` as `scale/candidate_pairs.py`
/// writes them) in this one process into the `yanshou.overlap.v1` report `overlap` makes of
/// the same files with `min_chars`: [`align_parts`] of every part, then [`merge`].
pub fn align(dir: &Path, min_chars: u32, progress: &dyn Progress) -> Result<Aligned, Error> {
    let (docs, max_docs) = open_run(dir, min_chars)?;
    let mut r = align_docs(&docs, &seed_parts(dir)?, min_chars, progress)?;
    r.max_docs = max_docs;
    merge_docs(&docs, max_docs, vec![r])
}

/// Combines the part results of one Spark run (`dir` the job's output, for `docs/` and the
/// list of parts) into the `yanshou.overlap.v1` report: the per-document figures are
/// computed here, from all the pairs of each document. Reads no seeds and no texts. The
/// results must cover every seed part of the run exactly once, with one `min_chars`.
pub fn merge(dir: &Path, files: &[PathBuf]) -> Result<Aligned, Error> {
    let results = files
        .iter()
        .map(|p| read_part_result(p).map(|r| (p.clone(), r)))
        .collect::<Result<Vec<_>, _>>()?;
    let Some(min_chars) = results.first().map(|r| r.1.min_chars) else {
        return Err(Error::Usage("没有给出分片结果".into()));
    };
    let (docs, max_docs) = open_run(dir, min_chars)?;
    let mut owner: HashMap<String, &Path> = HashMap::new();
    for (p, r) in &results {
        if r.schema != PART_SCHEMA {
            return Err(Error::Input(format!(
                "{}：不是 yanshou align --shard 的结果（schema {}）",
                p.display(),
                r.schema
            )));
        }
        if r.min_chars != min_chars || r.max_docs != max_docs {
            return Err(Error::Usage(format!(
                "{}：--min-chars {}、上限 {} 与其他分片或本次 Spark 作业（--min-chars {min_chars}、上限 {max_docs}）不同",
                p.display(),
                r.min_chars,
                r.max_docs
            )));
        }
        for part in &r.parts {
            if let Some(q) = owner.insert(part.clone(), p) {
                return Err(Error::Usage(format!(
                    "种子分片 {part} 在 {} 与 {} 中都对齐过",
                    q.display(),
                    p.display()
                )));
            }
        }
    }
    let all: Vec<String> = seed_parts(dir)?.iter().map(|p| file_name(p)).collect();
    let missing: Vec<&String> = all.iter().filter(|n| !owner.contains_key(*n)).collect();
    if !missing.is_empty() {
        return Err(Error::Usage(format!(
            "缺少 {} 个种子分片的结果（如 {}）：每个分片须恰好对齐一次",
            missing.len(),
            missing[0]
        )));
    }
    if let Some(n) = owner.keys().find(|n| !all.contains(n)) {
        return Err(Error::Usage(format!(
            "{}：种子分片 {n} 不属于 {} 的这次 Spark 作业",
            owner[n].display(),
            dir.display()
        )));
    }
    merge_docs(&docs, max_docs, results.into_iter().map(|r| r.1).collect())
}

/// A part result as `yanshou align --shard` wrote it.
pub fn read_part_result(path: &Path) -> Result<PartResult, Error> {
    let f = File::open(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_reader(std::io::BufReader::new(f)).map_err(|e| {
        Error::Input(format!(
            "{}：不是完整的分片结果（yanshou align --shard 的输出）：{e}",
            path.display()
        ))
    })
}

fn merge_docs(docs: &[Doc], max_docs: u32, results: Vec<PartResult>) -> Result<Aligned, Error> {
    let index: HashMap<i32, usize> = docs.iter().enumerate().map(|(i, d)| (d.id, i)).collect();
    let min_chars = results.first().map_or(0, |r| r.min_chars);
    let (mut failed, mut seeds, mut candidates, mut texts_read) = (false, 0, 0, 0);
    let mut pairs = Vec::new();
    for r in results {
        failed |= r.failed;
        seeds += r.seeds;
        candidates += r.candidate_pairs;
        texts_read += r.texts_read;
        for p in r.pairs {
            let (Some(&a), Some(&b)) = (index.get(&p.a), index.get(&p.b)) else {
                return Err(Error::Input(format!(
                    "分片结果中的文档 {}–{} 不在 docs/ 中",
                    p.a, p.b
                )));
            };
            pairs.push(PairResult {
                a,
                b,
                passages: p.passages.iter().map(Passage::from).collect(),
                padding: p.padding.iter().map(Passage::from).collect(),
            });
        }
    }
    let inputs: Vec<Input> = docs
        .iter()
        .map(|d| Input {
            path: d.path.clone(),
            project: d.project.clone(),
            fp: &d.fp,
            text: None,
        })
        .collect();
    Ok(Aligned {
        report: assemble(&inputs, pairs, min_chars).0,
        failed,
        max_docs,
        seeds,
        pairs: candidates,
        texts_read,
    })
}

/// The text of an exported document, when it still reads as it did at export.
fn load_text(d: &Doc, progress: &dyn Progress) -> Option<Text> {
    match crate::extract::extract_path(Path::new(&d.path)) {
        Ok(x) => {
            let t = Text::new(&x.text);
            if t.norm.len() as u32 == d.fp.norm_len {
                Some(t)
            } else {
                progress.file_error(&d.path, "文件自导出指纹后已改变：片段边界未精确校正");
                None
            }
        }
        Err(e) => {
            progress.file_error(&d.path, &format!("{e}：片段边界未精确校正"));
            None
        }
    }
}
