//! The host application's side of licensing (being built; see the open issue).
#![forbid(unsafe_code)]
