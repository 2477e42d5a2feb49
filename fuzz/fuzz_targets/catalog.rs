//! Product catalogs (TOML, license-issue): never panics; a catalog that loads names its
//! modules and lines consistently.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use license_issue::Catalog;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Catalog::from_toml(text, Path::new("fuzz.toml")) {
        Ok(c) => {
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
