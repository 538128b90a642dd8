//! Quire's development tools (not shipped): the synthetic blog generator every test and
//! benchmark uses, run as `cargo run -p quire-devtools -- gen-corpus N DIR [--seed S]`.

pub mod corpus;
pub mod docpaths;
pub mod modgraph;
pub mod relevance;

pub use corpus::{Summary, ensure, generate};

/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 7;
