//! `yanshou guide`: calls for proposals → requirement specs.
pub mod norm;
pub mod reqs;
pub mod spec;
