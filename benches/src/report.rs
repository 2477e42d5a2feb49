//! The ratio table from one criterion run: reads `<criterion dir>/**/new/estimates.json`
//! and `benchmark.json`, and relates every benchmark of a group to the group's baseline,
//! measured in the same run.
//!
//! The baseline of a group (per parameter value) is the benchmark whose function id
//! starts with `bare` (e.g. `bare verify_strict`) or `one-by-one`. Times are medians;
//! benchmarks with an element throughput are reported per element.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::Error;

/// One benchmark's result.
#[derive(Clone, Debug, PartialEq)]
pub struct Measurement {
    /// Criterion group.
    pub group: String,
    /// Function id within the group.
    pub function: String,
    /// Parameter value, if any.
    pub value: Option<String>,
    /// Elements per iteration (time is divided by it).
    pub elements: u64,
    /// Median time per element, nanoseconds.
    pub median_ns: f64,
    /// 95% confidence interval of the median, per element.
    pub ci_ns: (f64, f64),
    /// The fastest sample's mean time per iteration, per element: the least disturbed
    /// by other load on a shared machine (interference only ever adds time).
    pub fastest_ns: Option<f64>,
}

impl Measurement {
    fn is_baseline(&self) -> bool {
        self.function.starts_with("bare") || self.function.starts_with("one-by-one")
    }
}

fn field<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, k| v.get(*k))
}

fn read_json(p: &Path) -> Result<Value, Error> {
    let text = std::fs::read_to_string(p).map_err(|e| Error::Results(format!("{}: {e}", p.display())))?;
    serde_json::from_str(&text).map_err(|e| Error::Results(format!("{}: {e}", p.display())))
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::Results(format!("{}: {e}", dir.display())))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::Results(e.to_string()))?;
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "new") {
                if path.join("estimates.json").is_file() && path.join("benchmark.json").is_file() {
                    out.push(path);
                }
            } else {
                collect(&path, out)?;
            }
        }
    }
    Ok(())
}

/// Read every benchmark under `criterion_dir` (normally `target/criterion`).
pub fn read(criterion_dir: &Path) -> Result<Vec<Measurement>, Error> {
    let mut dirs = Vec::new();
    collect(criterion_dir, &mut dirs)?;
    let mut all = Vec::new();
    for d in dirs {
        let bench = read_json(&d.join("benchmark.json"))?;
        let est = read_json(&d.join("estimates.json"))?;
        let s = |k: &str| bench.get(k).and_then(Value::as_str).map(str::to_owned);
        let group = s("group_id").ok_or_else(|| Error::Results("benchmark.json without group_id".into()))?;
        let function = s("function_id").unwrap_or_default();
        let elements = field(&bench, &["throughput", "Elements"])
            .and_then(Value::as_u64)
            .unwrap_or(1)
            .max(1);
        let num = |p: &[&str]| {
            field(&est, p)
                .and_then(Value::as_f64)
                .ok_or_else(|| Error::Results(format!("{}: no {}", d.display(), p.join("."))))
        };
        let per = elements as f64;
        let fastest = read_json(&d.join("sample.json")).ok().and_then(|v| {
            let iters = v.get("iters")?.as_array()?;
            let times = v.get("times")?.as_array()?;
            iters
                .iter()
                .zip(times)
                .filter_map(|(i, t)| Some(t.as_f64()? / i.as_f64()?))
                .min_by(f64::total_cmp)
        });
        all.push(Measurement {
            group,
            function,
            value: s("value_str"),
            elements,
            median_ns: num(&["median", "point_estimate"])? / per,
            ci_ns: (
                num(&["median", "confidence_interval", "lower_bound"])? / per,
                num(&["median", "confidence_interval", "upper_bound"])? / per,
            ),
            fastest_ns: fastest.map(|f| f / per),
        });
    }
    all.sort_by(|a, b| (&a.group, &a.value, &a.function).cmp(&(&b.group, &b.value, &b.function)));
    Ok(all)
}

/// A time in the unit that suits it.
pub fn human(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// Ratios of one benchmark to its group's baseline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ratio {
    /// Median to median.
    pub median: f64,
    /// Fastest sample to fastest sample, when both have samples.
    pub fastest: Option<f64>,
}

/// The ratios of each benchmark to its group's baseline (same parameter value), if the
/// group has one.
pub fn ratios(all: &[Measurement]) -> Vec<(&Measurement, Option<Ratio>)> {
    let mut baselines: BTreeMap<(&str, Option<&str>), &Measurement> = BTreeMap::new();
    for m in all.iter().filter(|m| m.is_baseline()) {
        baselines.insert((&m.group, m.value.as_deref()), m);
    }
    all.iter()
        .map(|m| {
            let base = baselines.get(&(m.group.as_str(), m.value.as_deref()));
            let ratio = base.map(|b| Ratio {
                median: m.median_ns / b.median_ns,
                fastest: m.fastest_ns.zip(b.fastest_ns).map(|(x, y)| x / y),
            });
            (m, ratio)
        })
        .collect()
}

/// The Markdown tables, one per group.
pub fn markdown(all: &[Measurement]) -> String {
    let mut out = String::new();
    let mut current: Option<&str> = None;
    for (m, ratio) in ratios(all) {
        if current != Some(m.group.as_str()) {
            current = Some(&m.group);
            let _ = writeln!(out, "\n#### `{}`\n", m.group);
            let _ = writeln!(
                out,
                "| benchmark | median | 95% CI of median | ratio to baseline (medians) | ratio (fastest samples) |"
            );
            let _ = writeln!(out, "|---|---:|---:|---:|---:|");
        }
        let name = match (&m.value, m.elements) {
            (Some(v), n) if n > 1 => format!("{} ({v}, per code)", m.function),
            (Some(v), _) => format!("{} ({v})", m.function),
            (None, _) => m.function.clone(),
        };
        let (median, fastest) = match ratio {
            Some(_) if m.is_baseline() => ("1 (baseline)".to_owned(), "1".to_owned()),
            Some(r) => (
                format!("{:.3}", r.median),
                r.fastest.map_or_else(|| "–".to_owned(), |f| format!("{f:.3}")),
            ),
            None => ("–".to_owned(), "–".to_owned()),
        };
        let _ = writeln!(
            out,
            "| {name} | {} | {} – {} | {median} | {fastest} |",
            human(m.median_ns),
            human(m.ci_ns.0),
            human(m.ci_ns.1)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(group: &str, function: &str, value: Option<&str>, ns: f64) -> Measurement {
        Measurement {
            group: group.into(),
            function: function.into(),
            value: value.map(Into::into),
            elements: 1,
            median_ns: ns,
            ci_ns: (ns, ns),
            fastest_ns: Some(ns / 2.0),
        }
    }

    #[test]
    fn ratios_are_per_group_and_value() {
        let all = vec![
            m("g", "bare verify_strict", None, 40_000.0),
            m("g", "ours", None, 40_400.0),
            m("r", "one-by-one", Some("64"), 40_000.0),
            m("r", "batch", Some("64"), 16_000.0),
            m("r", "batch", Some("256"), 15_000.0),
            m("x", "alone", None, 5.0),
        ];
        let r: Vec<Option<f64>> = ratios(&all)
            .into_iter()
            .map(|(_, r)| r.map(|r| r.median))
            .collect();
        assert_eq!(r, vec![Some(1.0), Some(1.01), Some(1.0), Some(0.4), None, None]);
        let md = markdown(&all);
        assert!(
            md.contains("| ours | 40.40 µs | 40.40 µs – 40.40 µs | 1.010 | 1.010 |"),
            "{md}"
        );
        assert!(md.contains("| alone | 5 ns |"), "{md}");
    }

    #[test]
    fn reads_criterion_layout() {
        let dir = std::env::temp_dir().join(format!("bench-report-test-{}", std::process::id()));
        let new = dir.join("grp").join("fn").join("64").join("new");
        std::fs::create_dir_all(&new).unwrap();
        std::fs::write(
            new.join("benchmark.json"),
            r#"{"group_id":"grp","function_id":"fn","value_str":"64","throughput":{"Elements":64}}"#,
        )
        .unwrap();
        std::fs::write(
            new.join("estimates.json"),
            r#"{"median":{"point_estimate":6400.0,"confidence_interval":{"lower_bound":640.0,"upper_bound":64000.0}}}"#,
        )
        .unwrap();
        std::fs::write(
            new.join("sample.json"),
            r#"{"iters":[1.0,2.0],"times":[64.0,64.0]}"#,
        )
        .unwrap();
        let all = read(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(
            (all[0].median_ns, all[0].ci_ns, all[0].elements),
            (100.0, (10.0, 1000.0), 64)
        );
        assert!(read(Path::new("/nonexistent/criterion")).is_err());
    }
}
