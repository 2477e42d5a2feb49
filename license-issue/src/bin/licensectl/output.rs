//! Human-readable tables and `--json` output.

use serde::Serialize;

/// Print label/value rows, labels aligned.
pub fn rows(rows: &[(&str, String)]) {
    let width = rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    for (label, value) in rows {
        println!("  {label:<width$}  {value}");
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
        println!("{}", parts.join("  ").trim_end());
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
    println!("{text}");
    Ok(())
}

/// `n` or "-" for not limited.
pub fn limit(n: Option<u32>) -> String {
    n.map_or_else(|| "-".into(), |n| n.to_string())
}

/// A date or "-".
pub fn day(d: Option<license_core::Date>) -> String {
    d.map_or_else(|| "-".into(), |d| d.to_string())
}
