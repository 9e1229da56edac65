//! Chinese full-text search of reports (`yanshou index`, `yanshou search`).
//!
//! # Recall first
//! A query must find every indexed document that contains it. Word segmentation cannot
//! promise that (jieba cuts 乡镇企业 so that 企业 is not a token in default mode, and no
//! segmentation has a token for a query that crosses a word boundary, such as 经济在第). So
//! containment is decided on characters: the text is normalized as for overlap detection
//! (letters and digits only, full-width folded, lower case, Traditional → Simplified) and
//! indexed as overlapping character pairs, each at its own character position, the last
//! character paired with an end mark (`grams`, see [`PairTokenizer`]). A query term of two or
//! more characters is a phrase query of its consecutive pairs, which matches exactly the
//! documents whose normalized text contains the term; a term of one character is the range of
//! pairs that start with it.
//!
//! # Ranking
//! Among the documents that contain every term, BM25 over the terms' occurrences (pairs and
//! phrases of pairs) ranks the best matches first, and a match in the title (`title_grams`)
//! counts again, double; several terms found near each other (within 30 characters, in the
//! typed order) or right next to each other count more. Until session 5 the text was also
//! indexed as single characters and as jieba's search-mode words for BM25 over words: three
//! tokenizations, which made indexing 3–4× slower than a plain bigram index. Pairs rank as
//! well for the terms people type (a word of two or more characters is its phrase of pairs);
//! a one-character term no longer ranks by frequency.
//!
//! # Incremental
//! `manifest.json` beside the index lists each indexed path with its content hash. A path
//! whose hash is unchanged is skipped; a changed one is deleted and re-added; paths no longer
//! given are deleted. tantivy commits atomically, so a crash mid-commit leaves the last good
//! index; the manifest is written after the commit (a stale manifest only causes re-indexing).

use std::collections::BTreeMap;
use std::ops::Bound;
use std::path::Path;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{Index, IndexWriter, TantivyDocument, Term, doc};

pub const SEARCH_SCHEMA: &str = "yanshou.search.v1";

/// Normalized characters of `text` with the byte range each came from.
fn norm_chars(text: &str) -> Vec<(char, usize, usize)> {
    let mut kept = String::with_capacity(text.len());
    let mut spans = Vec::with_capacity(text.len() / 3);
    for (i, c) in text.char_indices() {
        let f = crate::text::fold_width(c);
        // CJK Unified Ideographs (all assigned, all letters) first: most of the text, and
        // `is_alphanumeric` looks them up in a table.
        if ('\u{4E00}'..='\u{9FFF}').contains(&f) || f.is_alphanumeric() {
            kept.push(f.to_ascii_lowercase());
            spans.push((i, i + c.len_utf8()));
        }
    }
    let simp = fast2s::convert(&kept);
    let chars: Vec<char> = simp.chars().collect();
    if chars.len() != spans.len() {
        return kept
            .chars()
            .zip(spans)
            .map(|(c, (a, b))| (c, a, b))
            .collect();
    }
    chars
        .into_iter()
        .zip(spans)
        .map(|(c, (a, b))| (c, a, b))
        .collect()
}

/// After the last character of a text, in its last pair: never a normalized character.
const END: char = '\u{10FFFF}';

/// Character pairs at their character positions: at each normalized character the pair it
/// starts, the last character paired with [`END`]. A term of two or more characters is a
/// phrase of its consecutive pairs; a single character is the range of pairs that start with
/// it, so one field answers both, with one token per character. (A token per character and
/// another per pair cost twice the postings; those were most of indexing time.) tantivy's
/// NgramTokenizer is not used because it puts every gram at position 0, which turns phrase
/// queries into false positives. The stream fills one reused token: a token per pair is
/// an allocation per character of text.
#[derive(Clone, Default)]
struct PairTokenizer {
    /// Bytes of text tokenized so far, when the writer wants to know (see [`write_index`]).
    seen: Option<std::sync::Arc<std::sync::atomic::AtomicUsize>>,
}

struct PairStream {
    cs: Vec<(char, usize, usize)>,
    /// Position of the next pair.
    next: usize,
    token: Token,
}

impl TokenStream for PairStream {
    fn advance(&mut self) -> bool {
        let i = self.next;
        let Some(&(c, from, to)) = self.cs.get(i) else {
            return false;
        };
        self.next += 1;
        let (second, to) = self.cs.get(i + 1).map_or((END, to), |x| (x.0, x.2));
        let t = &mut self.token;
        t.text.clear();
        t.text.push(c);
        t.text.push(second);
        t.offset_from = from;
        t.offset_to = to;
        t.position = i;
        t.position_length = 1;
        true
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

impl Tokenizer for PairTokenizer {
    type TokenStream<'a> = PairStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> PairStream {
        if let Some(seen) = &self.seen {
            seen.fetch_add(text.len(), std::sync::atomic::Ordering::Relaxed);
        }
        PairStream {
            cs: norm_chars(text),
            next: 0,
            token: Token::default(),
        }
    }
}

struct Fields {
    path: Field,
    hash: Field,
    title: Field,
    project: Field,
    org: Field,
    item: Field,
    label: Field,
    year: Field,
    body: Field,
    /// Title and text, for containment and BM25.
    grams: Field,
    /// The title alone, for its extra weight.
    title_grams: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let grams = || {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("ys_pairs")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let f = Fields {
        path: b.add_text_field("path", STRING | STORED),
        hash: b.add_text_field("hash", STRING | STORED),
        title: b.add_text_field("title", STORED),
        project: b.add_text_field("project", STRING | STORED),
        org: b.add_text_field("org", STRING | STORED),
        item: b.add_text_field("item", STRING | STORED),
        label: b.add_text_field("label", STRING | STORED),
        year: b.add_u64_field(
            "year",
            NumericOptions::default()
                .set_indexed()
                .set_stored()
                .set_fast(),
        ),
        body: b.add_text_field("body", STORED),
        grams: b.add_text_field("grams", grams()),
        title_grams: b.add_text_field("title_grams", grams()),
    };
    (b.build(), f)
}

fn register(index: &Index) {
    index
        .tokenizers()
        .register("ys_pairs", PairTokenizer::default());
}

/// Opens the index in `dir`, creating it if absent; tokenizers are registered every time.
/// An index whose schema is not this version's is refused, so the field handles of
/// `schema()` are valid for every index this returns; but when `rebuild_stale` and the
/// folder holds yanshou's manifest (so it is an index yanshou built, from files it can read
/// again), it is emptied and built anew instead: the batch's index follows the program's
/// version without a user having to delete it.
fn open(dir: &Path, rebuild_stale: bool) -> tantivy::Result<(Index, Fields)> {
    std::fs::create_dir_all(dir)?;
    let (schema, fields) = schema();
    let mut index = None;
    if dir.join("meta.json").exists() {
        let old = Index::open_in_dir(dir)?;
        if old.schema() == schema {
            index = Some(old);
        } else if rebuild_stale && manifest_path(dir).exists() {
            // The old segments stay listed in tantivy's `.managed.json`; the first commit of
            // the new index deletes them as unused files.
            drop(old);
            std::fs::remove_file(manifest_path(dir))?;
            std::fs::remove_file(dir.join("meta.json"))?;
        } else {
            return Err(tantivy::TantivyError::SchemaError(format!(
                "{} 中的索引由其他版本的 yanshou 建立：请删除该目录后重建索引",
                dir.display()
            )));
        }
    }
    let index = match index {
        Some(i) => i,
        None => Index::create_in_dir(dir, schema)?,
    };
    register(&index);
    Ok((index, fields))
}

/// What is indexed about a document besides its text.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DocMeta {
    pub project: Option<String>,
    pub org: Option<String>,
    pub item: Option<String>,
    pub label: Option<String>,
    pub year: Option<u64>,
    pub title: Option<String>,
}

/// One document to index: its path (the key), content hash, metadata, and a way to get its
/// text (called only when the document is new or changed).
pub struct ToIndex<'a> {
    pub path: String,
    pub hash: String,
    pub meta: DocMeta,
    pub text: Box<dyn Fn() -> Option<String> + Sync + 'a>,
}

impl<'a> ToIndex<'a> {
    /// A file on disk, known as `path`, whose text is extracted from `abs` only when it is new
    /// or changed. A file that cannot be read or has no text is not indexed: `progress` hears
    /// why.
    pub fn file(
        path: String,
        hash: String,
        abs: std::path::PathBuf,
        meta: DocMeta,
        progress: &'a dyn crate::progress::Progress,
    ) -> ToIndex<'a> {
        let shown = path.clone();
        ToIndex {
            path,
            hash,
            meta,
            text: Box::new(move || {
                crate::report::document_with_text(&abs, &shown, progress).map(|d| d.text)
            }),
        }
    }
}

/// The files given on a command line (folders already expanded), each known by its path as
/// given; a file that cannot be read is left out, and `progress` hears why.
pub fn file_entries<'a>(
    files: &[std::path::PathBuf],
    progress: &'a dyn crate::progress::Progress,
) -> Vec<ToIndex<'a>> {
    files
        .iter()
        .filter_map(|p| {
            let bytes = crate::extract::read_file(p).ok()?;
            let hash = blake3::hash(&bytes).to_hex().to_string();
            let shown = p.display().to_string();
            let meta = DocMeta {
                label: label_of_name(&shown),
                ..Default::default()
            };
            Some(ToIndex::file(shown, hash, p.clone(), meta, progress))
        })
        .collect()
}

/// The deliverable label a file's name gives (研究报告, 专报 …), for the `label` filter.
pub fn label_of_name(path: &str) -> Option<String> {
    let name = path.rsplit('/').next().unwrap_or(path);
    crate::check::label_of_text(name.rsplit_once('.').map_or(name, |x| x.0)).map(str::to_string)
}

#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct IndexStats {
    pub added: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub unreadable: usize,
}

/// Most characters of one document that are indexed: a real report has a few hundred
/// thousand; a 300 KB docx can expand to 30 million, whose postings (three tokenizations with
/// positions) would take gigabytes in the writer. Beyond this a document is searchable in its
/// first part only.
pub const MAX_INDEXED_CHARS: usize = 2_000_000;

fn capped(mut text: String) -> String {
    if let Some((at, _)) = text.char_indices().nth(MAX_INDEXED_CHARS) {
        text.truncate(at);
    }
    text
}

fn manifest_path(dir: &Path) -> std::path::PathBuf {
    dir.join("manifest.json")
}

/// Brings the index in `dir` up to date with `docs` (the complete set: indexed paths not in it
/// are removed).
pub fn update(dir: &Path, docs: &[ToIndex]) -> Result<IndexStats, crate::error::Error> {
    update_with(dir, docs, &crate::progress::Silent)
}

/// [`update`], telling `progress` of each document read and of the writing of the index.
pub fn update_with(
    dir: &Path,
    docs: &[ToIndex],
    progress: &dyn crate::progress::Progress,
) -> Result<IndexStats, crate::error::Error> {
    update_index(dir, docs, progress).map_err(|e| crate::error::Error::index(dir, e))
}

fn update_index(
    dir: &Path,
    docs: &[ToIndex],
    progress: &dyn crate::progress::Progress,
) -> tantivy::Result<IndexStats> {
    let (index, f) = open(dir, true)?;
    let old: BTreeMap<String, String> = std::fs::read(manifest_path(dir))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let mut stats = IndexStats::default();
    let todo: Vec<&ToIndex> = docs
        .iter()
        .filter(|d| old.get(&d.path) != Some(&d.hash))
        .collect();
    stats.unchanged = docs.len() - todo.len();
    let current: std::collections::HashSet<&str> = docs.iter().map(|d| d.path.as_str()).collect();
    let removed: Vec<&String> = old
        .keys()
        .filter(|p| !current.contains(String::as_str(p)))
        .collect();
    if todo.is_empty() && removed.is_empty() {
        return Ok(stats);
    }
    // The writer is told how much text its indexing threads have taken in, to hold back the
    // reading when they fall behind (see `write_index`).
    let seen = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    index.tokenizers().register(
        "ys_pairs",
        PairTokenizer {
            seen: Some(seen.clone()),
        },
    );
    progress.start("全文索引", todo.len() as u64);
    let written = write_index(
        &index, &f, dir, &old, &todo, &removed, stats, &seen, progress,
    );
    progress.finish();
    written
}

/// The writer's memory: tantivy's default for two indexing threads, which the plain bigram
/// index it is compared with also uses (BENCHMARKS.md, `index`).
const WRITER_HEAP: usize = 100_000_000;

/// Texts read at a time, in parallel, before they go to the writer in order.
const READ_CHUNK: usize = 8;

/// Text handed to the writer and not yet taken in by its indexing threads, at most (bytes;
/// each such document holds its text about twice, stored and to be indexed). tantivy's queue
/// is bounded by a count of documents (10,000), not by their size: texts read from a cache
/// come much faster than they are indexed, and without this bound the whole batch's text
/// would wait in the queue (a 1,000-project batch is 130 MB of text; a folder of large
/// reports can be many times that).
const MAX_IN_FLIGHT: usize = 32 << 20;

/// Waits until the indexing threads have taken in all but [`MAX_IN_FLIGHT`] of the `sent`
/// bytes. Should they stop taking anything in for long (a thread that failed: `add_document`
/// or the commit then reports it), waiting stops and the bound with it.
fn wait_for_writer(seen: &std::sync::atomic::AtomicUsize, sent: usize) {
    let mut last = seen.load(std::sync::atomic::Ordering::Relaxed);
    let mut since = std::time::Instant::now();
    loop {
        let now = seen.load(std::sync::atomic::Ordering::Relaxed);
        if sent.saturating_sub(now) <= MAX_IN_FLIGHT {
            return;
        }
        if now != last {
            (last, since) = (now, std::time::Instant::now());
        } else if since.elapsed() > std::time::Duration::from_secs(30) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

/// Writes the documents to do (and removes the ones gone) in one commit, then the manifest.
/// Texts are read a few at a time in parallel and handed to the writer as they come, so no
/// more than a few texts and [`MAX_IN_FLIGHT`] bytes are held at once, however many there are.
#[allow(clippy::too_many_arguments)]
fn write_index(
    index: &Index,
    f: &Fields,
    dir: &Path,
    old: &BTreeMap<String, String>,
    todo: &[&ToIndex],
    removed: &[&String],
    mut stats: IndexStats,
    seen: &std::sync::atomic::AtomicUsize,
    progress: &dyn crate::progress::Progress,
) -> tantivy::Result<IndexStats> {
    use rayon::prelude::*;
    let writer: IndexWriter = index.writer(WRITER_HEAP)?;
    let mut manifest = old.clone();
    for p in removed {
        writer.delete_term(Term::from_field_text(f.path, p));
        manifest.remove(*p);
        stats.removed += 1;
    }
    let mut sent = 0usize;
    for chunk in todo.chunks(READ_CHUNK) {
        let texts: Vec<Option<String>> = chunk.par_iter().map(|d| (d.text)().map(capped)).collect();
        for (d, t) in chunk.iter().zip(texts) {
            progress.step(Some(&d.path));
            writer.delete_term(Term::from_field_text(f.path, &d.path));
            let Some(text) = t else {
                manifest.remove(&d.path);
                stats.unreadable += 1;
                continue;
            };
            let title = d.meta.title.clone().unwrap_or_else(|| {
                text.lines()
                    .map(str::trim)
                    .find(|l| !l.is_empty())
                    .unwrap_or("")
                    .chars()
                    .take(60)
                    .collect()
            });
            let grams = format!("{title}\n{text}");
            // What the tokenizer will see of this document: its title twice over.
            sent += title.len() + grams.len();
            let mut document = doc!(
                f.path => d.path.clone(),
                f.hash => d.hash.clone(),
                f.title => title.clone(),
                f.title_grams => title,
                f.grams => grams,
                f.body => text,
            );
            if let Some(v) = &d.meta.project {
                document.add_text(f.project, v);
            }
            if let Some(v) = &d.meta.org {
                document.add_text(f.org, v);
            }
            if let Some(v) = &d.meta.item {
                document.add_text(f.item, v);
            }
            if let Some(v) = &d.meta.label {
                document.add_text(f.label, v);
            }
            if let Some(y) = d.meta.year {
                document.add_u64(f.year, y);
            }
            wait_for_writer(seen, sent);
            writer.add_document(document)?;
            manifest.insert(d.path.clone(), d.hash.clone());
            stats.added += 1;
        }
    }
    // Committing and merging: no count to show, a spinner with the time.
    progress.finish();
    progress.start("全文索引：写入索引", 0);
    let mut writer = writer;
    writer.commit()?;
    writer.wait_merging_threads()?;
    let json = serde_json::to_vec(&manifest)
        .map_err(|e| tantivy::TantivyError::SystemError(e.to_string()))?;
    crate::fsutil::write_atomic(&manifest_path(dir), &json)?;
    Ok(stats)
}

/// Filters of a search.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub year: Option<u64>,
    pub label: Option<String>,
    pub org: Option<String>,
    pub project: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub path: String,
    pub title: String,
    pub score: f32,
    /// About 80 characters around the first match, the match marked 【…】.
    pub snippet: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SearchResult {
    pub schema: String,
    pub query: String,
    pub total: usize,
    pub hits: Vec<Hit>,
}

/// A query term: its text, and whether it must be absent (`-词`).
#[derive(Debug, Clone, PartialEq)]
pub struct QTerm {
    pub text: String,
    pub exclude: bool,
}

/// Splits a query into terms: white space separates, "…" keeps a phrase together, a leading
/// `-` excludes. Every included term must occur in a hit.
pub fn parse_query(q: &str) -> Vec<QTerm> {
    let mut out = Vec::new();
    let chars: Vec<char> = q.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let mut exclude = false;
        if chars[i] == '-' && i + 1 < chars.len() && !chars[i + 1].is_whitespace() {
            exclude = true;
            i += 1;
        }
        let text: String;
        if matches!(chars[i], '"' | '“' | '”') {
            let close = chars[i + 1..]
                .iter()
                .position(|&c| matches!(c, '"' | '”' | '“'))
                .map_or(chars.len(), |p| i + 1 + p);
            text = chars[i + 1..close].iter().collect();
            i = close + 1;
        } else {
            let end = chars[i..]
                .iter()
                .position(|c| c.is_whitespace())
                .map_or(chars.len(), |p| i + p);
            text = chars[i..end].iter().collect();
            i = end;
        }
        if !norm_chars(&text).is_empty() {
            out.push(QTerm { text, exclude });
        }
    }
    out
}

/// The containment query of one term in a pair field (see [`PairTokenizer`]), scored by BM25
/// over the term's occurrences; a single character is a range of pairs, scored as a constant.
fn contains(field: Field, term: &str) -> Option<Box<dyn Query>> {
    let cs: Vec<char> = norm_chars(term).into_iter().map(|x| x.0).collect();
    match cs.len() {
        0 => None,
        1 => {
            // Every pair starting with the character: from the character itself up to the
            // next character (UTF-8 orders as code points), which no pair starts with.
            let c = cs[0];
            let next = (c as u32 + 1..=char::MAX as u32).find_map(char::from_u32)?;
            Some(Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_text(field, &c.to_string())),
                Bound::Excluded(Term::from_field_text(field, &next.to_string())),
            )))
        }
        2 => Some(Box::new(TermQuery::new(
            Term::from_field_text(field, &cs.iter().collect::<String>()),
            IndexRecordOption::WithFreqs,
        ))),
        _ => {
            let terms: Vec<Term> = cs
                .windows(2)
                .map(|w| Term::from_field_text(field, &w.iter().collect::<String>()))
                .collect();
            Some(Box::new(PhraseQuery::new(terms)))
        }
    }
}

/// Runs a query.
pub fn search(
    dir: &Path,
    q: &str,
    limit: usize,
    filters: &Filters,
) -> Result<SearchResult, crate::error::Error> {
    run_query(dir, q, limit, filters).map_err(|e| crate::error::Error::index(dir, e))
}

fn run_query(
    dir: &Path,
    q: &str,
    limit: usize,
    filters: &Filters,
) -> tantivy::Result<SearchResult> {
    let (index, f) = open(dir, false)?;
    let terms = parse_query(q);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for t in &terms {
        if let Some(c) = contains(f.grams, &t.text) {
            clauses.push((
                if t.exclude {
                    Occur::MustNot
                } else {
                    Occur::Must
                },
                c,
            ));
        }
    }
    if !clauses.iter().any(|(o, _)| *o == Occur::Must) {
        return Ok(SearchResult {
            schema: SEARCH_SCHEMA.into(),
            query: q.into(),
            total: 0,
            hits: Vec::new(),
        });
    }
    // Ranking: the Must clauses above score each term's occurrences in title and text
    // (BM25); a term in the title counts again, double.
    for t in terms.iter().filter(|t| !t.exclude) {
        if let Some(c) = contains(f.title_grams, &t.text) {
            clauses.push((Occur::Should, Box::new(BoostQuery::new(c, 2.0))));
        }
    }
    // Proximity: several terms close together, in the order typed, rank higher (the terms'
    // bigrams at their offsets in the concatenated query, with slack between terms); typed
    // right next to each other, higher still.
    let included: Vec<Vec<char>> = terms
        .iter()
        .filter(|t| !t.exclude)
        .map(|t| {
            norm_chars(&t.text)
                .into_iter()
                .map(|x| x.0)
                .collect::<Vec<char>>()
        })
        .filter(|cs| cs.len() >= 2)
        .collect();
    if included.len() >= 2 {
        let mut offs: Vec<(usize, Term)> = Vec::new();
        let mut at = 0;
        for cs in &included {
            for (i, w) in cs.windows(2).enumerate() {
                offs.push((
                    at + i,
                    Term::from_field_text(f.grams, &w.iter().collect::<String>()),
                ));
            }
            at += cs.len();
        }
        for (slop, boost) in [(0u32, 3.0f32), (30, 1.5)] {
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(PhraseQuery::new_with_offset_and_slop(offs.clone(), slop)),
                    boost,
                )),
            ));
        }
    }
    if let Some(y) = filters.year {
        clauses.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_u64(f.year, y),
                IndexRecordOption::Basic,
            )),
        ));
    }
    for (field, v) in [
        (f.label, &filters.label),
        (f.org, &filters.org),
        (f.project, &filters.project),
    ] {
        if let Some(v) = v {
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(field, v),
                    IndexRecordOption::Basic,
                )),
            ));
        }
    }
    let query = BooleanQuery::new(clauses);
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let (top, total) = searcher.search(
        &query,
        &(TopDocs::with_limit(limit.max(1)).order_by_score(), Count),
    )?;
    let first_term = terms.iter().find(|t| !t.exclude).map(|t| t.text.clone());
    let mut hits = Vec::new();
    for (score, addr) in top {
        let d: TantivyDocument = searcher.doc(addr)?;
        let get = |n: Field| -> Option<String> {
            d.get_first(n).and_then(|v| v.as_str().map(str::to_string))
        };
        let body = get(f.body).unwrap_or_default();
        let snippet = first_term
            .as_deref()
            .and_then(|t| snippet(&body, t))
            .unwrap_or_else(|| body.chars().take(80).collect());
        hits.push(Hit {
            path: get(f.path).unwrap_or_default(),
            title: get(f.title).unwrap_or_default(),
            score,
            snippet,
            project: get(f.project),
            year: d.get_first(f.year).and_then(|v| v.as_u64()),
            label: get(f.label),
        });
    }
    // Equal scores come back in the order of the index's segments, which two indexing
    // threads make differ from one build to the next: ties are listed by path.
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.path.cmp(&b.path))
    });
    Ok(SearchResult {
        schema: SEARCH_SCHEMA.into(),
        query: q.into(),
        total,
        hits,
    })
}

/// About 30 characters either side of the first occurrence of `term` (normalized matching,
/// so 與 finds 与 and "经济 在第" spanning a line break is found), the match marked 【…】.
pub fn snippet(text: &str, term: &str) -> Option<String> {
    let t: Vec<char> = norm_chars(term).into_iter().map(|x| x.0).collect();
    if t.is_empty() {
        return None;
    }
    let n = norm_chars(text);
    let pos = n
        .windows(t.len())
        .position(|w| w.iter().map(|x| x.0).eq(t.iter().copied()))?;
    let (start, end) = (n[pos].1, n[pos + t.len() - 1].2);
    let before: String = {
        let b: Vec<char> = text[..start].chars().collect();
        b[b.len().saturating_sub(30)..].iter().collect()
    };
    let after: String = text[end..].chars().take(30).collect();
    let clean = |s: &str| s.replace(['\n', '\r'], " ");
    Some(format!(
        "{}【{}】{}",
        clean(&before),
        clean(&text[start..end]),
        clean(&after)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_split_into_terms() {
        let q = parse_query("科技伦理 \"金砖 国家\" -乡镇");
        assert_eq!(
            q,
            vec![
                QTerm {
                    text: "科技伦理".into(),
                    exclude: false
                },
                QTerm {
                    text: "金砖 国家".into(),
                    exclude: false
                },
                QTerm {
                    text: "乡镇".into(),
                    exclude: true
                },
            ]
        );
    }

    #[test]
    fn snippets_mark_the_match_in_the_original_text() {
        let s = snippet("前言。中国农业发展银行支持乡村振兴。", "农业").unwrap();
        assert_eq!(s, "前言。中国【农业】发展银行支持乡村振兴。");
        // Across punctuation and a line break, in Traditional.
        let s = snippet("經濟\n在第一季度", "经济在第").unwrap();
        assert_eq!(s, "【經濟\n在第】一季度".replace('\n', " "));
    }
}
