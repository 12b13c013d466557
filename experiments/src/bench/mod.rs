//! Benchmarks, measured in one run against a baseline of the same run: one GM layer's
//! backends against the reference formulation ([`layer`], `gm bench nn`) and the training
//! throughput of the reference classifiers ([`train`], `gm bench train`).

pub mod layer;
pub mod train;
