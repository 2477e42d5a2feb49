//! The reports' charts as inline SVG, computed here and written by the templates with
//! presentation attributes only (the CSP allows no script and no `style` attribute):
//! stacked bars per month and series, and a line with a point per month. Every bar and
//! point has a `<title>` with its value; the pages put the same numbers in a table.

/// The drawing's width and height, in SVG units.
pub const WIDTH: u32 = 720;
/// The drawing's height.
pub const HEIGHT: u32 = 260;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;

/// The colours of the series (dark enough against white for text and shapes).
pub const COLOURS: [&str; 4] = ["#1b5e96", "#a65a00", "#2d6e2d", "#6f3a8c"];

/// A bar (or a segment of a stacked bar).
pub struct Bar {
    /// Left edge.
    pub x: String,
    /// Top edge.
    pub y: String,
    /// Width.
    pub w: String,
    /// Height.
    pub h: String,
    /// Fill colour.
    pub fill: &'static str,
    /// What it shows, with its value.
    pub title: String,
}

/// A point of a line.
pub struct Point {
    /// Centre x.
    pub x: String,
    /// Centre y.
    pub y: String,
    /// What it shows, with its value.
    pub title: String,
}

/// A label on an axis: where, and its text.
pub struct Label {
    /// x of the text's anchor.
    pub x: String,
    /// y of the text's baseline.
    pub y: String,
    /// The text.
    pub text: String,
}

/// A chart's drawing: the axes' labels and grid, and its bars or its line.
pub struct Chart {
    /// Width of the drawing.
    pub width: u32,
    /// Height of the drawing.
    pub height: u32,
    /// The grid lines' y and the values at the left.
    pub ticks: Vec<Label>,
    /// The months under the x axis.
    pub months: Vec<Label>,
    /// Left end of the grid lines.
    pub x0: String,
    /// Right end of the grid lines.
    pub x1: String,
    /// The bars (empty for a line chart).
    pub bars: Vec<Bar>,
    /// The line's points (empty for a bar chart).
    pub points: Vec<Point>,
    /// The line's `points` attribute ("" for a bar chart).
    pub line: String,
}

fn n(v: f64) -> String {
    format!("{v:.1}")
}

/// A round upper end of the scale at or above `max` (1, 2, 5 times a power of ten).
pub fn scale_top(max: u64) -> u64 {
    let mut step = 1u64;
    loop {
        for f in [1, 2, 5] {
            if f * step >= max.max(1) {
                return f * step;
            }
        }
        step = step.saturating_mul(10);
    }
}

fn frame(labels: &[String], top: u64) -> (Chart, f64, f64) {
    let plot_w = f64::from(WIDTH) - LEFT - RIGHT;
    let plot_h = f64::from(HEIGHT) - TOP - BOTTOM;
    let slot = plot_w / labels.len().max(1) as f64;
    // As many grid lines as divide the scale evenly (up to 5 steps).
    let steps = [5u64, 4, 2, 1]
        .into_iter()
        .find(|s| top.is_multiple_of(*s))
        .unwrap_or(1);
    let ticks = (0..=steps)
        .map(|i| {
            let value = top * i / steps;
            let y = TOP + plot_h - plot_h * value as f64 / top as f64;
            Label {
                x: n(LEFT - 6.0),
                y: n(y),
                text: value.to_string(),
            }
        })
        .collect();
    let months = labels
        .iter()
        .enumerate()
        .map(|(i, text)| Label {
            x: n(LEFT + slot * (i as f64 + 0.5)),
            y: n(f64::from(HEIGHT) - BOTTOM + 16.0),
            text: text.clone(),
        })
        .collect();
    (
        Chart {
            width: WIDTH,
            height: HEIGHT,
            ticks,
            months,
            x0: n(LEFT),
            x1: n(f64::from(WIDTH) - RIGHT),
            bars: Vec::new(),
            points: Vec::new(),
            line: String::new(),
        },
        slot,
        plot_h,
    )
}

/// Stacked bars: per month (its label), per series its value and title. A value of 0
/// draws no bar.
pub fn stacked(labels: &[String], values: &[Vec<(u32, String)>]) -> Chart {
    let max = values
        .iter()
        .map(|m| m.iter().map(|(v, _)| u64::from(*v)).sum::<u64>())
        .max()
        .unwrap_or(0);
    let top = scale_top(max);
    let (mut chart, slot, plot_h) = frame(labels, top);
    let bar_w = slot * 0.6;
    for (i, month) in values.iter().enumerate() {
        let x = LEFT + slot * i as f64 + (slot - bar_w) / 2.0;
        let mut base = TOP + plot_h;
        for (s, (v, title)) in month.iter().enumerate() {
            if *v == 0 {
                continue;
            }
            let h = plot_h * f64::from(*v) / top as f64;
            base -= h;
            chart.bars.push(Bar {
                x: n(x),
                y: n(base),
                w: n(bar_w),
                h: n(h),
                fill: COLOURS[s % COLOURS.len()],
                title: title.clone(),
            });
        }
    }
    chart
}

/// A line with a point per month: its value and title.
pub fn line(labels: &[String], values: &[(u64, String)]) -> Chart {
    let top = scale_top(values.iter().map(|(v, _)| *v).max().unwrap_or(0));
    let (mut chart, slot, plot_h) = frame(labels, top);
    chart.points = values
        .iter()
        .enumerate()
        .map(|(i, (v, title))| Point {
            x: n(LEFT + slot * (i as f64 + 0.5)),
            y: n(TOP + plot_h - plot_h * *v as f64 / top as f64),
            title: title.clone(),
        })
        .collect();
    chart.line = chart
        .points
        .iter()
        .map(|p| format!("{},{}", p.x, p.y))
        .collect::<Vec<_>>()
        .join(" ");
    chart
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_bars_and_points() {
        assert_eq!(scale_top(0), 1);
        assert_eq!(scale_top(3), 5);
        assert_eq!(scale_top(7), 10);
        assert_eq!(scale_top(11), 20);
        let labels = vec!["a".to_owned(), "b".to_owned()];
        let c = stacked(
            &labels,
            &[
                vec![(2, "a1".into()), (0, "a2".into()), (3, "a3".into())],
                vec![(0, "b1".into()), (0, "b2".into()), (0, "b3".into())],
            ],
        );
        // Only the values above 0, stacked: 3 on 2, reaching the top of a scale of 5.
        assert_eq!(c.bars.len(), 2);
        assert_eq!(c.bars[1].y, n(TOP));
        assert_eq!(c.bars[1].title, "a3");
        let ticks: Vec<&str> = c.ticks.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(ticks, ["0", "1", "2", "3", "4", "5"]);
        let l = line(&labels, &[(4, "x".into()), (0, "y".into())]);
        assert_eq!(l.points.len(), 2);
        assert_eq!(l.points[1].y, n(f64::from(HEIGHT) - BOTTOM));
        assert_eq!(l.line.split(' ').count(), 2);
    }
}
