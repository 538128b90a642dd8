//! quire-core's integration tests, one binary: one module a concern, the independent
//! HTML checker they share in [`common`].

#[allow(dead_code)]
mod common;
mod search_site;

mod body_extras;
mod bundle_de;
mod code_classes;
mod hostile;
mod ids;
mod linear_time;
mod props;
mod proximity;
mod relevance;
mod search;
