//! CSV writing for the reports.

use crate::Error;

/// Quote one CSV field (RFC 4180) when needed.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// A header line and one line per row.
pub(crate) fn write<H, R, C>(header: H, rows: R) -> Result<String, Error>
where
    H: IntoIterator<Item = &'static str>,
    R: IntoIterator<Item = C>,
    C: IntoIterator<Item = String>,
{
    let mut out = String::new();
    let line = |out: &mut String, cells: Vec<String>| {
        out.push_str(&cells.join(","));
        out.push('\n');
    };
    line(&mut out, header.into_iter().map(field).collect());
    for row in rows {
        line(&mut out, row.into_iter().map(|c| field(&c)).collect());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(field("ACME, Inc."), "\"ACME, Inc.\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("plain"), "plain");
    }
}
