//! The permission matrix: `permissions.csv` in this crate (route × role → allowed), read
//! at start-up, rendered into docs/SERVICE.md (a test checks the rendering is current), and
//! applied to every request before its handler runs.
//!
//! A cell says:
//! - `yes`: the role may call the route;
//! - `own`: only on its own organisation's objects (its company's licenses, the licenses a
//!   reseller made, its own users and tokens); another's answer 404, as a missing one;
//! - `right`: only with a right its administrator granted (a customer user's right to
//!   order; a reseller user's frame, tickets or reports; a reseller administrator's frame is
//!   the one the vendor certified), and only on its own objects;
//! - `no`: refused (401 without a session or token, 403 with one).
//!
//! The `token` column names the scope an API token needs (`any`: every token; `no`: no
//! token); a token acts for its organisation as `own` does.

use std::collections::BTreeMap;

/// The matrix as committed.
pub const MATRIX_CSV: &str = include_str!("../permissions.csv");

/// The roles, in the matrix's column order.
pub const COLUMNS: [&str; 8] = [
    "anonymous",
    "customer_user",
    "customer_admin",
    "reseller_user",
    "reseller_admin",
    "vendor_clerk",
    "vendor_admin",
    "token",
];

/// One cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    /// Allowed.
    Yes,
    /// Allowed on own objects.
    Own,
    /// Allowed with a granted right, on own objects.
    Right,
    /// Refused.
    No,
    /// A token with this scope (`any`: every token).
    Scope(String),
}

/// The matrix: route (`METHOD /path`) → role column → cell.
#[derive(Clone, Debug)]
pub struct Matrix {
    rows: BTreeMap<String, BTreeMap<&'static str, Cell>>,
}

impl Matrix {
    /// Parse the CSV (the header must name [`COLUMNS`] in order).
    pub fn parse(text: &str) -> Result<Matrix, String> {
        let mut lines = text.lines().filter(|l| !l.trim().is_empty());
        let header = lines.next().ok_or("the matrix is empty")?;
        let expected = format!("route,{}", COLUMNS.join(","));
        if header.trim() != expected {
            return Err(format!("the matrix's header must be {expected:?}"));
        }
        let mut rows = BTreeMap::new();
        for (n, line) in lines.enumerate() {
            let cells: Vec<&str> = line.split(',').map(str::trim).collect();
            if cells.len() != COLUMNS.len() + 1 {
                return Err(format!(
                    "row {}: {} cells, {} expected",
                    n + 2,
                    cells.len(),
                    COLUMNS.len() + 1
                ));
            }
            let mut row = BTreeMap::new();
            for (col, text) in COLUMNS.iter().zip(&cells[1..]) {
                let cell = match (*col, *text) {
                    (_, "no") => Cell::No,
                    ("token", scope) if !scope.is_empty() => Cell::Scope(scope.to_owned()),
                    (_, "yes") => Cell::Yes,
                    (_, "own") => Cell::Own,
                    (_, "right") => Cell::Right,
                    (_, other) => return Err(format!("row {}: unknown cell {other:?} for {col}", n + 2)),
                };
                row.insert(*col, cell);
            }
            if rows.insert(cells[0].to_owned(), row).is_some() {
                return Err(format!("row {}: {} named twice", n + 2, cells[0]));
            }
        }
        Ok(Matrix { rows })
    }

    /// The committed matrix.
    pub fn committed() -> Result<Matrix, String> {
        Matrix::parse(MATRIX_CSV)
    }

    /// The cell of `route` for `column` (`No` for a route or column the matrix lacks).
    pub fn cell(&self, route: &str, column: &str) -> Cell {
        self.rows
            .get(route)
            .and_then(|r| r.get(column))
            .cloned()
            .unwrap_or(Cell::No)
    }

    /// The routes it names.
    pub fn routes(&self) -> impl Iterator<Item = &str> {
        self.rows.keys().map(String::as_str)
    }

    /// The matrix as a Markdown table (for docs/SERVICE.md).
    pub fn to_markdown(&self) -> String {
        let mut out = format!(
            "| route | {} |\n|---|{}\n",
            COLUMNS.join(" | "),
            "---|".repeat(COLUMNS.len())
        );
        for (route, row) in &self.rows {
            let cells: Vec<String> = COLUMNS
                .iter()
                .map(|c| match &row[c] {
                    Cell::Yes => "yes".to_owned(),
                    Cell::Own => "own".to_owned(),
                    Cell::Right => "right".to_owned(),
                    Cell::No => "–".to_owned(),
                    Cell::Scope(s) => format!("`{s}`"),
                })
                .collect();
            out.push_str(&format!("| `{route}` | {} |\n", cells.join(" | ")));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_matrix_parses_and_bad_ones_do_not() {
        let m = Matrix::committed().unwrap();
        assert_eq!(m.cell("POST /api/v1/login", "anonymous"), Cell::Yes);
        assert_eq!(
            m.cell("POST /api/v1/orders", "token"),
            Cell::Scope("orders".into())
        );
        assert_eq!(m.cell("POST /api/v1/nowhere", "vendor_admin"), Cell::No);
        assert!(Matrix::parse("route,a\n").is_err());
        let header = format!("route,{}\n", COLUMNS.join(","));
        assert!(Matrix::parse(&format!("{header}GET /x,yes,yes\n")).is_err());
        assert!(Matrix::parse(&format!("{header}GET /x,yes,yes,yes,yes,yes,yes,maybe,no\n")).is_err());
        assert!(m.to_markdown().contains("| `POST /api/v1/orders` |"));
    }
}
