//! `YYYY-MM-DD` dates: never panics; what parses prints back the same and survives the
//! day-number round trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use license_core::Date;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(d) = Date::parse(text) {
        assert_eq!(d.to_string(), text.trim());
        let (y, m, day) = d.ymd();
        assert_eq!(Date::from_ymd(y, m, day), Ok(d));
        assert_eq!(Date::from_days_since_unix_epoch(d.days_since_unix_epoch()), d);
        let _ = d.add_months(13);
    }
});
