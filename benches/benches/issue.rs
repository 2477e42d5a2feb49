//! Placeholder until its owner writes this bench.
fn main() {}
