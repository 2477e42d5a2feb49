//! Human-readable tables and `--json` output.

use std::io::{ErrorKind, Write};
use std::sync::Mutex;

use serde::Serialize;

/// The first write error other than a closed pipe, reported by `main` at the end.
static WRITE_ERROR: Mutex<Option<String>> = Mutex::new(None);
/// Set once stdout is closed (the reader went away, e.g. `| head -1`): later output is dropped.
static CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Write to a locked stdout. A closed pipe is a normal end of output (whatever was recorded
/// stays recorded); any other write error is kept for [`write_error`].
pub fn write_out(args: std::fmt::Arguments<'_>) {
    use std::sync::atomic::Ordering;
    if CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.flush()) {
        CLOSED.store(true, Ordering::Relaxed);
        if e.kind() != ErrorKind::BrokenPipe
            && let Ok(mut slot) = WRITE_ERROR.lock()
        {
            slot.get_or_insert_with(|| e.to_string());
        }
    }
}

/// A write error other than a closed pipe, if one happened.
pub fn write_error() -> Option<String> {
    WRITE_ERROR.lock().ok().and_then(|slot| slot.clone())
}

/// `print!` through [`write_out`].
macro_rules! out {
    ($($arg:tt)*) => { $crate::output::write_out(format_args!($($arg)*)) };
}

/// `println!` through [`write_out`].
macro_rules! outln {
    () => { $crate::output::write_out(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::output::write_out(format_args!("{}\n", format_args!($($arg)*))) };
}

pub(crate) use {out, outln};

/// Print label/value rows, labels aligned.
pub fn rows(rows: &[(&str, String)]) {
    let width = rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    for (label, value) in rows {
        outln!("  {label:<width$}  {value}");
    }
}

/// Print a table with a header line.
pub fn table(headers: &[&str], body: &[Vec<String>]) {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.len()).collect();
    for row in body {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let parts: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        outln!("{}", parts.join("  ").trim_end());
    };
    line(headers.to_vec());
    line(
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
    );
    for row in body {
        line(row.iter().map(String::as_str).collect());
    }
}

/// Print a value as pretty JSON.
pub fn json<T: Serialize>(value: &T) -> Result<(), license_issue::Error> {
    let text =
        serde_json::to_string_pretty(value).map_err(|e| license_issue::Error::LedgerEncode(e.to_string()))?;
    outln!("{text}");
    Ok(())
}

/// `n` or "-" for not limited.
pub fn limit(n: Option<u32>) -> String {
    n.map_or_else(|| "-".into(), |n| n.to_string())
}
