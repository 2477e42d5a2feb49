//! Product catalogs (TOML, license-issue, and verify-cli's reader for `--catalog`): never
//! panics; a catalog that loads names its modules and lines consistently, and a catalog the
//! vendor's side loads reads on the customer's side with the same product and names.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use license_issue::Catalog;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let customer = verify_cli::Catalog::parse(text, Path::new("fuzz.toml"));
    if let Ok(c) = &customer {
        assert!(c.modules.len() <= 64 && c.lines.len() <= 16, "numbers in range");
    }
    match Catalog::from_toml(text, Path::new("fuzz.toml")) {
        Ok(c) => {
            let customer = customer.expect("a catalog the vendor loads reads with --catalog");
            assert_eq!(customer.product, c.product());
            for (name, bit) in c.modules() {
                assert_eq!(customer.modules[usize::from(bit)], name);
            }
            for (name, line) in c.lines() {
                assert_eq!(customer.lines[usize::from(line)], name);
            }
            let all = c.all_modules();
            let names = c.module_names(all);
            assert_eq!(c.module_set(&names).ok(), Some(all), "module names round-trip");
            for (name, bit) in c.modules() {
                assert_eq!(c.module(name).ok(), Some(bit));
            }
            for (name, line) in c.lines() {
                assert_eq!(c.line(name).ok().map(|l| l.get()), Some(line));
                let _ = c.line_name(license_core::ProductLine::new(line).expect("catalog line fits"));
            }
            let _ = c.default_line();
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
