//! The integration tests, one binary so the library (and tantivy) is linked once; one module
//! per topic, helpers in `common`.

mod common;

mod batch;
mod browser;
mod check_rules;
mod cli;
mod compilations;
mod count_rules;
mod doc_cache;
mod docx_features;
mod formats;
mod guide_calls;
mod guide_golden;
mod guide_phrases;
mod hostile;
mod layouts;
mod matching;
mod ocr;
mod office;
mod overlap;
mod overlap_incremental;
mod roster;
mod scale;
mod search;
mod site;
mod textcount;
mod walls;
