//! Ticket ids as typed (license-issue's `TicketId::parse`) and files of exported tickets
//! (`TicketExport::parse`). The first byte selects: even, the rest is a ticket id; odd, an
//! export file. Never panics; an id that parses prints as `TK-` and three groups of five
//! and re-reads as the same id; an export that parses re-reads from its own JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;
use license_issue::{TicketExport, TicketId};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    if mode % 2 == 0 {
        match TicketId::parse(text) {
            Ok(id) => {
                let canonical = id.to_string();
                assert_eq!(canonical.len(), 20);
                assert!(canonical.starts_with("TK-"));
                assert_eq!(TicketId::parse(&canonical).ok(), Some(id), "canonical form re-reads");
                assert_eq!(TicketId::parse(&canonical.to_lowercase()).ok(), Some(id));
            }
            Err(e) => {
                let _ = e.to_string();
            }
        }
    } else {
        match TicketExport::parse(text) {
            Ok(export) => {
                let json = export.to_json().expect("an export encodes");
                assert_eq!(TicketExport::parse(&json).ok(), Some(export), "export re-reads");
            }
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
});
