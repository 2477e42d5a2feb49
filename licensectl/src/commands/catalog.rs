//! `catalog`: show or install a product catalog.

use license_issue::{CatalogFormat, DEMO_CATALOG, KeyRing, export_catalog};
use serde_json::json;

use super::shared::pick_catalog;
use crate::args::ExportFormat;
use crate::failure::Failure;
use crate::home::{Home, write_new};
use crate::output::{self, out, outln};

/// `catalog export`: the catalog and the key ring's public keys as host source code.
pub fn export(home: &Home, format: ExportFormat, product: Option<&str>) -> Result<u8, Failure> {
    let catalogs = home.catalogs_required()?;
    let c = pick_catalog(&catalogs, product)?;
    let keys = KeyRing::open(&home.keys())?.public_keys();
    let format = match format {
        ExportFormat::Rust => CatalogFormat::Rust,
        ExportFormat::C => CatalogFormat::C,
    };
    out!("{}", export_catalog(c, &keys, format));
    Ok(0)
}

pub fn catalog(
    home: &Home,
    init_demo: bool,
    print_demo: bool,
    product: Option<&str>,
    json: bool,
) -> Result<u8, Failure> {
    if print_demo {
        out!("{DEMO_CATALOG}");
        return Ok(0);
    }
    if init_demo {
        let path = home.catalog_dir().join("demo-erp.toml");
        write_new(&path, DEMO_CATALOG.as_bytes())?;
        outln!("Installed the demo catalog as {}.", path.display());
        return Ok(0);
    }
    let catalogs = home.catalogs_required()?;
    let c = pick_catalog(&catalogs, product)?;
    if json {
        let modules: Vec<_> = c
            .modules()
            .into_iter()
            .map(|(n, b)| json!({"name": n, "bit": b}))
            .collect();
        let lines: Vec<_> = c
            .lines()
            .into_iter()
            .map(|(n, b)| json!({"name": n, "number": b}))
            .collect();
        output::json(&json!({"product": c.product(), "name": c.name(), "modules": modules, "lines": lines}))?;
        return Ok(0);
    }
    outln!(
        "Product {}{}",
        c.product(),
        c.name().map(|n| format!(" ({n})")).unwrap_or_default()
    );
    let body: Vec<Vec<String>> = c
        .modules()
        .into_iter()
        .map(|(n, b)| vec![n.to_owned(), b.to_string()])
        .collect();
    output::table(&["module", "bit"], &body);
    let body: Vec<Vec<String>> = c
        .lines()
        .into_iter()
        .map(|(n, b)| vec![n.to_owned(), b.to_string()])
        .collect();
    output::table(&["line", "number"], &body);
    let d = &c.defaults;
    output::rows(&[
        (
            "grace days",
            format!("{} (orders: at most {})", d.grace_days, d.max_grace_days),
        ),
        (
            "demo seats",
            format!("{} (orders: at most {})", d.demo_seats, d.max_demo_seats),
        ),
        ("subscription term", format!("{} months", d.subscription_months)),
        (
            "cancellation notice",
            match d.cancellation_notice_months {
                0 => "none (any day before the end)".to_owned(),
                n => format!("{n} months before the end"),
            },
        ),
        (
            "reductions",
            format!(
                "{}: ordered at least {}",
                c.reduction_policy().name(),
                c.reduction_policy().notice_words()
            ),
        ),
        (
            "renewal code",
            format!(
                "out at the latest {} before expiry",
                license_core::words::plural(u64::from(d.renewal_latest_days), "day", "days")
            ),
        ),
        (
            "renewal notice",
            format!(
                "{} before the last day",
                license_core::words::plural(u64::from(d.notice_months), "month", "months")
            ),
        ),
        ("maintenance pack", format!("{} months", d.maintenance_months)),
        (
            "trial",
            format!(
                "{}, {} users",
                license_core::words::plural(u64::from(c.trial.days), "day", "days"),
                output::limit(c.trial.named_users)
            ),
        ),
    ]);
    Ok(0)
}
