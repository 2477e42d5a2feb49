//! Nothing to link: this package holds the C-ABI benchmark (`benches/c_abi.rs`).
#![no_std]
