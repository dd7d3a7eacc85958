//! Inline SVG line charts for the HTML report: axes with ticks and
//! labels, one line per series and a legend. Integer coordinates only, so
//! the same data always gives the same bytes.

use std::fmt::Write;

use super::escape::html;

/// Colours that stay apart in print and for common colour blindness.
const PALETTE: [&str; 8] = [
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#f0e442",
];

const WIDTH: i64 = 720;
const PLOT_HEIGHT: i64 = 220;
const LEFT: i64 = 56;
const RIGHT: i64 = 16;
const TOP: i64 = 28;
const BOTTOM: i64 = 44;
const LEGEND_ROW: i64 = 18;

pub struct Line<'a> {
    pub name: &'a str,
    pub values: &'a [u32],
}

pub struct Chart<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    /// The x value (turn) of each point.
    pub x: &'a [u32],
    pub y_max: u32,
    pub lines: &'a [Line<'a>],
}

impl Chart<'_> {
    /// The chart as one `<svg>` element.
    pub fn svg(&self) -> String {
        let y_max = i64::from(self.y_max.max(1));
        let x_min = i64::from(self.x.first().copied().unwrap_or(1));
        let x_max = i64::from(self.x.last().copied().unwrap_or(1)).max(x_min + 1);
        let plot_w = WIDTH - LEFT - RIGHT;
        let legend_rows = (self.lines.len() as i64 + 1) / 2;
        let height = TOP + PLOT_HEIGHT + BOTTOM + legend_rows * LEGEND_ROW + 8;
        let px = |x: i64| LEFT + (x - x_min) * plot_w / (x_max - x_min);
        let py = |y: i64| TOP + PLOT_HEIGHT - y.min(y_max) * PLOT_HEIGHT / y_max;
        let mut s = String::new();
        let _ = write!(
            s,
            r#"<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{t}"><title>{t}</title>"#,
            t = html(self.title)
        );
        let _ = write!(
            s,
            r#"<text x="{}" y="16" class="chart-title">{}</text>"#,
            LEFT,
            html(self.title)
        );
        // Grid and y ticks: every whole value on a small scale (campaign
        // stages), else at 0, ¼, ½, ¾ and the maximum.
        let ticks: Vec<i64> = if y_max <= 10 {
            (0..=y_max).collect()
        } else {
            (0..=4).map(|q| y_max * q / 4).collect()
        };
        for v in ticks {
            let y = py(v);
            let _ = write!(
                s,
                r#"<line x1="{LEFT}" y1="{y}" x2="{}" y2="{y}" class="grid"/><text x="{}" y="{}" class="tick" text-anchor="end">{v}</text>"#,
                WIDTH - RIGHT,
                LEFT - 6,
                y + 4
            );
        }
        // X ticks: at most about ten, on whole turns.
        let span = x_max - x_min;
        let step = (span / 10).max(1);
        let mut x = x_min;
        while x <= x_max {
            let at = px(x);
            let _ = write!(
                s,
                r#"<line x1="{at}" y1="{}" x2="{at}" y2="{}" class="axis"/><text x="{at}" y="{}" class="tick" text-anchor="middle">{x}</text>"#,
                TOP + PLOT_HEIGHT,
                TOP + PLOT_HEIGHT + 5,
                TOP + PLOT_HEIGHT + 18
            );
            x += step;
        }
        let _ = write!(
            s,
            r#"<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{b}" class="axis"/><line x1="{LEFT}" y1="{b}" x2="{}" y2="{b}" class="axis"/>"#,
            WIDTH - RIGHT,
            b = TOP + PLOT_HEIGHT
        );
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" class="axis-label" text-anchor="middle">{}</text>"#,
            LEFT + plot_w / 2,
            TOP + PLOT_HEIGHT + 34,
            html(self.x_label)
        );
        let _ = write!(
            s,
            r#"<text x="14" y="{m}" class="axis-label" text-anchor="middle" transform="rotate(-90 14 {m})">{}</text>"#,
            html(self.y_label),
            m = TOP + PLOT_HEIGHT / 2
        );
        for (i, line) in self.lines.iter().enumerate() {
            let colour = PALETTE[i % PALETTE.len()];
            let points: Vec<String> = self
                .x
                .iter()
                .zip(line.values)
                .map(|(&x, &y)| format!("{},{}", px(i64::from(x)), py(i64::from(y))))
                .collect();
            let dash = if i >= PALETTE.len() {
                r#" stroke-dasharray="6 3""#
            } else {
                ""
            };
            let _ = write!(
                s,
                r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2"{dash}><title>{}</title></polyline>"#,
                points.join(" "),
                html(line.name)
            );
            let row = i as i64 / 2;
            let lx = LEFT + (i as i64 % 2) * (plot_w / 2);
            let ly = TOP + PLOT_HEIGHT + BOTTOM + row * LEGEND_ROW + 8;
            let _ = write!(
                s,
                r#"<rect x="{lx}" y="{}" width="14" height="4" fill="{colour}"/><text x="{}" y="{ly}" class="legend">{}</text>"#,
                ly - 6,
                lx + 20,
                html(line.name)
            );
        }
        s.push_str("</svg>");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_has_axes_labels_a_line_per_series_and_escaped_names() {
        let a = [1000, 500, 0];
        let b = [0, 1, 2];
        let lines = [
            Line {
                name: "<b>mail</b>",
                values: &a,
            },
            Line {
                name: "web",
                values: &b,
            },
        ];
        let svg = Chart {
            title: "Availability",
            x_label: "turn",
            y_label: "‰",
            x: &[1, 2, 3],
            y_max: 1000,
            lines: &lines,
        }
        .svg();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(svg.contains("&lt;b&gt;mail&lt;/b&gt;"));
        assert!(!svg.contains("<b>"));
        assert!(svg.contains(">turn</text>") && svg.contains(">1000</text>"));
        // The first point of the first line is at the top of the plot.
        assert!(svg.contains(&format!("points=\"{LEFT},{TOP} ")), "{svg}");
    }
}
