//! Shared fixtures for the benchmarks (being built; see the open issue).
#![forbid(unsafe_code)]
