//! The C ABI (being built; see the open issue).
