//! A grouped bar chart in SVG, written by hand: per program, each runner's time relative to
//! the program's baseline, on a logarithmic axis (the ratios span from below 1 to beyond 100).

use std::fmt::Write as _;

pub struct Series {
    pub name: String,
    pub color: String,
}

pub struct Group {
    pub label: String,
    /// One value per series, `None` where the runner has no valid time.
    pub values: Vec<Option<f64>>,
}

const BAR_WIDTH: f64 = 14.0;
const GROUP_GAP: f64 = 18.0;
const LEFT: f64 = 70.0;
const TOP: f64 = 50.0;
const PLOT_HEIGHT: f64 = 320.0;
const BOTTOM: f64 = 110.0;

pub fn render(title: &str, y_label: &str, series: &[Series], groups: &[Group]) -> String {
    let (low, high) = decade_range(
        groups
            .iter()
            .flat_map(|g| g.values.iter().flatten().copied()),
    );
    let group_width = series.len() as f64 * BAR_WIDTH + GROUP_GAP;
    let plot_width = (groups.len() as f64 * group_width).max(200.0);
    let width = LEFT + plot_width + 20.0;
    let height = TOP + PLOT_HEIGHT + BOTTOM;
    let y_of = |value: f64| TOP + PLOT_HEIGHT * (high - value.log10()) / (high - low);

    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(svg, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        svg,
        r#"<text x="{LEFT}" y="22" font-size="15" font-weight="bold">{}</text>"#,
        escape(title)
    );

    // Axis: a grid line per decade, with 2× and 5× ticks in between.
    for decade in low as i32..=high as i32 {
        for (factor, major) in [(1.0, true), (2.0, false), (5.0, false)] {
            let value = factor * 10f64.powi(decade);
            if value.log10() > high + 1e-9 {
                continue;
            }
            let y = y_of(value);
            let stroke = if major { "#bbb" } else { "#e6e6e6" };
            let _ = writeln!(
                svg,
                r#"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="{stroke}"/>"#,
                LEFT + plot_width
            );
            let _ = writeln!(
                svg,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="{}">{}</text>"#,
                LEFT - 6.0,
                y + 4.0,
                if major { "#333" } else { "#999" },
                format_ratio(value)
            );
        }
    }
    let one = y_of(1.0);
    let _ = writeln!(
        svg,
        r#"<line x1="{LEFT}" y1="{one:.1}" x2="{:.1}" y2="{one:.1}" stroke="black" stroke-width="1.5"/>"#,
        LEFT + plot_width
    );
    let _ = writeln!(
        svg,
        r#"<text transform="translate(16 {:.1}) rotate(-90)" text-anchor="middle">{}</text>"#,
        TOP + PLOT_HEIGHT / 2.0,
        escape(y_label)
    );

    // Bars grow from the 1× line, up for slower, down for faster than the baseline.
    for (g, group) in groups.iter().enumerate() {
        let x0 = LEFT + g as f64 * group_width + GROUP_GAP / 2.0;
        for (s, (value, series)) in group.values.iter().zip(series).enumerate() {
            let x = x0 + s as f64 * BAR_WIDTH;
            match value {
                Some(v) if v.is_finite() && *v > 0.0 => {
                    let y = y_of(*v);
                    let (top, bar_height) = if y < one {
                        (y, one - y)
                    } else {
                        (one, y - one)
                    };
                    let _ = writeln!(
                        svg,
                        r#"<rect x="{x:.1}" y="{top:.1}" width="{:.1}" height="{:.1}" fill="{}"><title>{}: {} {}×</title></rect>"#,
                        BAR_WIDTH - 2.0,
                        bar_height.max(1.0),
                        escape(&series.color),
                        escape(&group.label),
                        escape(&series.name),
                        format_ratio(*v)
                    );
                }
                _ => {
                    let _ = writeln!(
                        svg,
                        r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#c00">×<title>{}: {} has no valid time</title></text>"##,
                        x + BAR_WIDTH / 2.0 - 1.0,
                        one - 4.0,
                        escape(&group.label),
                        escape(&series.name)
                    );
                }
            }
        }
        let label_x = x0 + series.len() as f64 * BAR_WIDTH / 2.0;
        let label_y = TOP + PLOT_HEIGHT + 12.0;
        let _ = writeln!(
            svg,
            r#"<text transform="translate({label_x:.1} {label_y:.1}) rotate(40)" text-anchor="start">{}</text>"#,
            escape(&group.label)
        );
    }

    // Legend.
    for (s, series) in series.iter().enumerate() {
        let x = LEFT + 180.0 + s as f64 * 110.0;
        let _ = writeln!(
            svg,
            r#"<rect x="{x:.1}" y="30" width="12" height="12" fill="{}"/>"#,
            escape(&series.color)
        );
        let _ = writeln!(
            svg,
            r#"<text x="{:.1}" y="40">{}</text>"#,
            x + 16.0,
            escape(&series.name)
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// The decades (as powers of ten) that enclose every value and 1×, at least one decade wide.
fn decade_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut low, mut high) = (0.0f64, 0.0f64);
    for value in values.filter(|v| v.is_finite() && *v > 0.0) {
        low = low.min(value.log10().floor());
        high = high.max(value.log10().ceil());
    }
    if high <= low {
        high = low + 1.0;
    }
    (low, high)
}

fn format_ratio(value: f64) -> String {
    if value >= 10.0 {
        format!("{value:.0}")
    } else if value >= 1.0 {
        format!("{value:.1}").trim_end_matches(".0").to_string()
    } else {
        format!("{value:.2}")
    }
}

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks that every tag is closed in order and every attribute value is quoted: enough
    /// to catch the mistakes string-built XML is prone to.
    fn assert_well_formed(xml: &str) {
        let mut open: Vec<String> = Vec::new();
        let mut rest = xml;
        while let Some(start) = rest.find('<') {
            assert!(
                !rest[..start].contains('>'),
                "stray '>' before {:?}",
                &rest[start..]
            );
            let end = rest[start..].find('>').expect("unclosed tag") + start;
            let tag = &rest[start + 1..end];
            assert!(!tag.contains('<'), "'<' inside tag {tag:?}");
            assert_eq!(
                tag.matches('"').count() % 2,
                0,
                "unbalanced quotes in {tag:?}"
            );
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(open.pop().as_deref(), Some(name), "mismatched </{name}>");
            } else if !tag.ends_with('/') {
                open.push(tag.split_whitespace().next().unwrap().to_string());
            }
            rest = &rest[end + 1..];
        }
        assert!(open.is_empty(), "unclosed elements {open:?}");
        assert!(
            !xml.contains("NaN") && !xml.contains("inf"),
            "non-finite number in the chart"
        );
    }

    fn example(values: Vec<Vec<Option<f64>>>) -> String {
        let series = ["wasmc", "wasmtime", "wasmi"]
            .iter()
            .zip(["#1f77b4", "#ff7f0e", "#2ca02c"])
            .map(|(n, c)| Series {
                name: n.to_string(),
                color: c.to_string(),
            })
            .collect::<Vec<_>>();
        let groups = values
            .into_iter()
            .enumerate()
            .map(|(i, values)| Group {
                label: format!("prog<{i}>&"),
                values,
            })
            .collect::<Vec<_>>();
        render(
            "Time relative to native",
            "× native (log)",
            &series,
            &groups,
        )
    }

    #[test]
    fn chart_is_well_formed_with_missing_and_extreme_values() {
        let svg = example(vec![
            vec![Some(1.3), Some(1.1), Some(25.0)],
            vec![None, Some(0.4), Some(f64::NAN)],
            vec![Some(0.01), Some(f64::INFINITY), Some(1500.0)],
        ]);
        assert_well_formed(&svg);
        assert_eq!(
            svg.matches("<rect").count(),
            1 + 6 + 3,
            "background, bars, legend"
        );
        assert!(svg.contains("prog&lt;1&gt;&amp;"));
    }

    #[test]
    fn chart_with_no_data_is_still_an_image() {
        let svg = example(vec![]);
        assert_well_formed(&svg);
        assert!(svg.starts_with("<svg "));
    }

    #[test]
    fn the_checker_catches_broken_xml() {
        let broken = std::panic::catch_unwind(|| assert_well_formed("<svg><g></svg>"));
        assert!(broken.is_err());
    }

    #[test]
    fn decades_enclose_values_and_one() {
        assert_eq!(decade_range([2.0, 30.0].into_iter()), (0.0, 2.0));
        assert_eq!(decade_range([0.5, 3.0].into_iter()), (-1.0, 1.0));
        assert_eq!(decade_range(std::iter::empty()), (0.0, 1.0));
        assert_eq!(decade_range([1.0].into_iter()), (0.0, 1.0));
    }
}
