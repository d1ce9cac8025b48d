//! explainer library
pub mod config;
pub mod diagnostics;
pub mod load;
pub mod model;
pub mod resolve;
