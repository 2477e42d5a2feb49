//! CSV writing for the reports, through the `csv` crate (RFC 4180 quoting), with every
//! cell neutralized against formula injection: a spreadsheet runs a cell that starts with
//! `=`, `+`, `-` or `@` (or a tab or carriage return before one) as a formula, and a
//! licensee name is free text a customer chose. Such a cell is written with a leading
//! `'`, which spreadsheets show as text (OWASP's advice for CSV injection).

use crate::error::Error;
use crate::report::error::ReportError;

/// Whether a spreadsheet could take `cell` for a formula.
fn risky(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// `cell`, prefixed with `'` if a spreadsheet could take it for a formula.
fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    if risky(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

fn csv_error(e: csv::Error) -> Error {
    Error::Report(ReportError::Csv(e))
}

/// A header line and one line per row.
pub(crate) fn write<H, R, C>(header: H, rows: R) -> Result<String, Error>
where
    H: IntoIterator<Item = &'static str>,
    R: IntoIterator<Item = C>,
    C: IntoIterator<Item = String>,
{
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(header).map_err(csv_error)?;
    for row in rows {
        let cells: Vec<String> = row.into_iter().collect();
        w.write_record(cells.iter().map(|c| neutralize(c).into_owned()))
            .map_err(csv_error)?;
    }
    let bytes = w.into_inner().map_err(|e| csv_error(e.into_error().into()))?;
    // Every cell was a String, so the output is UTF-8.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(cells: &[&str]) -> String {
        write(
            ["a", "b", "c"],
            [cells.iter().map(|c| c.to_string()).collect::<Vec<_>>()],
        )
        .unwrap()
    }

    #[test]
    fn quoting() {
        assert_eq!(
            one(&["ACME, Inc.", "say \"hi\"", "plain"]),
            "a,b,c\n\"ACME, Inc.\",\"say \"\"hi\"\"\",plain\n"
        );
    }

    #[test]
    fn formulas_are_neutralized() {
        assert_eq!(
            one(&["=HYPERLINK(\"http://x\")", "+1", "@SUM(A1)"]),
            "a,b,c\n\"'=HYPERLINK(\"\"http://x\"\")\",'+1,'@SUM(A1)\n"
        );
        assert_eq!(one(&["-2+3", "\t=1", "a=b"]), "a,b,c\n'-2+3,'\t=1,a=b\n");
    }

    #[test]
    fn wide_characters_pass_unchanged() {
        assert_eq!(
            one(&["株式会社エーシーエム", "", "x"]),
            "a,b,c\n株式会社エーシーエム,,x\n"
        );
    }
}
