//! Human-readable tables and `--json` output.

use license_issue::LedgerError;

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

/// Print a table with a header line. Columns are aligned by display width (comfy-table
/// measures it: a CJK character takes two columns), two spaces apart, no borders.
pub fn table(headers: &[&str], body: &[Vec<String>]) {
    use comfy_table::{CellAlignment, ContentArrangement, LineStyle, Table, TableStyle};
    let mut t = Table::new();
    t.load_style(TableStyle::new().header_separator(LineStyle::none().fill('-').junction(' ')))
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(headers.iter().copied());
    for row in body {
        t.add_row(row.iter().map(String::as_str));
    }
    for c in t.column_iter_mut() {
        c.set_padding((0, 1)).set_cell_alignment(CellAlignment::Left);
    }
    for line in t.lines() {
        outln!("{}", line.trim_end());
    }
}

/// Print a value as pretty JSON.
pub fn json<T: Serialize>(value: &T) -> Result<(), license_issue::Error> {
    let text = serde_json::to_string_pretty(value).map_err(LedgerError::LedgerEncode)?;
    outln!("{text}");
    Ok(())
}

/// `n` or "-" for not limited.
pub fn limit(n: Option<u32>) -> String {
    n.map_or_else(|| "-".into(), |n| n.to_string())
}
