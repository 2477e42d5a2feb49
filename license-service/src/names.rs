//! Names people type: the library's one rule (`license_issue::names`).

pub use license_issue::names::refused;
