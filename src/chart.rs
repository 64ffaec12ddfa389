//! Charts as SVG text, drawn with plotters' SVG backend.
//!
//! The browser shows the SVG inline, and the same code runs natively in
//! tests, so a chart's content can be checked without a browser. Text is
//! left to the browser's fonts.

use crate::event::{format_day, Day};
use crate::pipeline::{DayCount, FeatureComparison, PairEval};
use plotters::prelude::*;

/// Colours of the series: the model first, then the baselines
/// (Okabe-Ito, distinguishable with colour-blindness).
pub const SERIES: [RGBColor; 5] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
];

/// Which per-day figure a walk-forward chart shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// Area under the ROC curve.
    Auc,
    /// True positive rate at each scorer's own threshold.
    Tpr,
    /// True negative rate at each scorer's own threshold.
    Tnr,
}

impl Metric {
    /// Axis label.
    pub fn label(self) -> &'static str {
        match self {
            Metric::Auc => "ROC AUC on the next day",
            Metric::Tpr => "TPR on the next day",
            Metric::Tnr => "TNR on the next day",
        }
    }
}

/// One line per scorer over the test days of a walk-forward run.
pub fn walk_forward_svg(pairs: &[PairEval], metric: Metric) -> String {
    let mut svg = String::new();
    if pairs.is_empty() {
        return svg;
    }
    let first = pairs[0].test_day;
    let last = pairs[pairs.len() - 1].test_day;
    {
        let root =
            SVGBackend::with_string(&mut svg, (640, 280)).into_drawing_area();
        if draw_walk_forward(&root, pairs, metric, first, last).is_err() {
            log::warn!("walk-forward chart could not be drawn");
        }
    }
    svg
}

fn draw_walk_forward(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    pairs: &[PairEval],
    metric: Metric,
    first: Day,
    last: Day,
) -> Result<(), Box<dyn std::error::Error>> {
    root.fill(&TRANSPARENT)?;
    let mut chart = ChartBuilder::on(root)
        .margin(8)
        .x_label_area_size(28)
        .y_label_area_size(44)
        .build_cartesian_2d(first..last.max(first + 1), 0.0..1.0f64)?;
    chart
        .configure_mesh()
        .x_labels(6)
        .x_label_formatter(&|d| format_day(*d)[5..].to_string())
        .y_desc(metric.label())
        .y_label_formatter(&|v| format!("{v:.1}"))
        .light_line_style(RGBAColor(128, 128, 128, 0.15))
        .bold_line_style(RGBAColor(128, 128, 128, 0.35))
        .axis_style(RGBColor(128, 128, 128))
        .label_style(
            ("sans-serif", 12).into_font().color(&RGBColor(128, 128, 128)),
        )
        .draw()?;
    let scorers = pairs[0].scored.len();
    for i in 0..scorers {
        let color = SERIES[i % SERIES.len()];
        let points: Vec<(Day, f64)> = pairs
            .iter()
            .filter_map(|p| {
                let s = p.scored.get(i)?;
                let v = match metric {
                    Metric::Auc => s.auc,
                    Metric::Tpr => s.confusion.tpr(),
                    Metric::Tnr => s.confusion.tnr(),
                }?;
                Some((p.test_day, v))
            })
            .collect();
        let width = if i == 0 { 3 } else { 2 };
        chart
            .draw_series(LineSeries::new(
                points.clone(),
                color.stroke_width(width),
            ))?
            .label(pairs[0].scored[i].name.clone())
            .legend(move |(x, y)| {
                PathElement::new(
                    vec![(x, y), (x + 16, y)],
                    color.stroke_width(3),
                )
            });
        chart.draw_series(
            points.iter().map(|&(x, y)| Circle::new((x, y), 2, color.filled())),
        )?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(RGBAColor(255, 255, 255, 0.7))
        .border_style(RGBColor(160, 160, 160))
        .label_font(("sans-serif", 11))
        .draw()?;
    root.present()?;
    Ok(())
}

/// Colours of the compared feature sets (Okabe-Ito, then black).
const SETS: [RGBColor; 7] = [
    RGBColor(230, 159, 0),
    RGBColor(0, 114, 178),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(0, 0, 0),
];

/// Grey of the baseline line in the comparison chart.
const BASELINE: RGBColor = RGBColor(140, 140, 140);

/// Per-day AUC of every compared feature set, the chosen set drawn
/// thickest, beside one baseline's per-day AUC (`(name, points)`).
pub fn comparison_svg(
    cmp: &FeatureComparison,
    baseline: Option<(&str, &[(Day, f64)])>,
) -> String {
    let mut svg = String::new();
    let (Some(&first), Some(&last)) =
        (cmp.test_days.first(), cmp.test_days.last())
    else {
        return svg;
    };
    {
        let root =
            SVGBackend::with_string(&mut svg, (720, 300)).into_drawing_area();
        if draw_comparison(&root, cmp, baseline, first, last).is_err() {
            log::warn!("feature comparison chart could not be drawn");
        }
    }
    svg
}

fn draw_comparison(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    cmp: &FeatureComparison,
    baseline: Option<(&str, &[(Day, f64)])>,
    first: Day,
    last: Day,
) -> Result<(), Box<dyn std::error::Error>> {
    root.fill(&TRANSPARENT)?;
    // The plot on the left, the legend beside it (it would hide lines).
    let (plot, legend) = root.split_horizontally(480);
    let lowest = cmp
        .sets
        .iter()
        .flat_map(|s| s.scored.iter().filter_map(|x| x.auc))
        .chain(baseline.iter().flat_map(|(_, p)| p.iter().map(|&(_, v)| v)))
        .fold(1.0f64, f64::min);
    let floor = ((lowest * 10.0).floor() / 10.0).clamp(0.0, 0.9);
    let mut chart = ChartBuilder::on(&plot)
        .margin(8)
        .x_label_area_size(28)
        .y_label_area_size(44)
        .build_cartesian_2d(first..last.max(first + 1), floor..1.0f64)?;
    chart
        .configure_mesh()
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&|d| format_day(*d)[5..].to_string())
        .y_desc("ROC AUC on the next day")
        .y_label_formatter(&|v| format!("{v:.2}"))
        .light_line_style(RGBAColor(128, 128, 128, 0.15))
        .bold_line_style(RGBAColor(128, 128, 128, 0.35))
        .axis_style(RGBColor(128, 128, 128))
        .label_style(
            ("sans-serif", 12).into_font().color(&RGBColor(128, 128, 128)),
        )
        .draw()?;
    let mut keys: Vec<(String, RGBColor)> = Vec::new();
    if let Some((name, points)) = baseline {
        chart.draw_series(LineSeries::new(
            points.iter().copied(),
            BASELINE.stroke_width(2),
        ))?;
        keys.push((format!("baseline: {name}"), BASELINE));
    }
    // The chosen set last, so it is drawn on top.
    let mut order: Vec<usize> = (0..cmp.sets.len()).collect();
    order.sort_by_key(|&i| cmp.sets[i].chosen);
    for i in order {
        let set = &cmp.sets[i];
        let color = SETS[i % SETS.len()];
        let points: Vec<(Day, f64)> = cmp
            .test_days
            .iter()
            .zip(&set.scored)
            .filter_map(|(&d, s)| Some((d, s.auc?)))
            .collect();
        let width = if set.chosen { 3 } else { 1 };
        chart.draw_series(LineSeries::new(
            points.iter().copied(),
            color.stroke_width(width),
        ))?;
        if set.chosen {
            chart.draw_series(
                points
                    .iter()
                    .map(|&(x, y)| Circle::new((x, y), 2, color.filled())),
            )?;
        }
    }
    for (i, set) in cmp.sets.iter().enumerate() {
        let label = if set.chosen {
            format!("{} (chosen)", set.name)
        } else {
            set.name.clone()
        };
        keys.push((label, SETS[i % SETS.len()]));
    }
    let text = ("sans-serif", 12).into_font().color(&RGBColor(128, 128, 128));
    for (row, (label, color)) in keys.iter().enumerate() {
        let y = 16 + 20 * row as i32;
        legend.draw(&PathElement::new(
            vec![(4, y), (22, y)],
            color.stroke_width(3),
        ))?;
        legend.draw(&Text::new(label.clone(), (28, y - 7), text.clone()))?;
    }
    root.present()?;
    Ok(())
}

/// Bars of distinct sources per day.
pub fn day_counts_svg(days: &[DayCount]) -> String {
    let mut svg = String::new();
    if days.is_empty() {
        return svg;
    }
    {
        let root =
            SVGBackend::with_string(&mut svg, (640, 180)).into_drawing_area();
        if draw_day_counts(&root, days).is_err() {
            log::warn!("day-count chart could not be drawn");
        }
    }
    svg
}

fn draw_day_counts(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    days: &[DayCount],
) -> Result<(), Box<dyn std::error::Error>> {
    root.fill(&TRANSPARENT)?;
    let first = days[0].day;
    let last = days[days.len() - 1].day;
    let top = days.iter().map(|d| d.sources).max().unwrap_or(1).max(1) as f64;
    let mut chart = ChartBuilder::on(root)
        .margin(8)
        .x_label_area_size(28)
        .y_label_area_size(44)
        .build_cartesian_2d(first..last + 1, 0.0..top * 1.1)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(6)
        .x_label_formatter(&|d| format_day(*d)[5..].to_string())
        .y_desc("sources per day")
        .light_line_style(RGBAColor(128, 128, 128, 0.15))
        .axis_style(RGBColor(128, 128, 128))
        .label_style(
            ("sans-serif", 12).into_font().color(&RGBColor(128, 128, 128)),
        )
        .draw()?;
    chart.draw_series(days.iter().map(|d| {
        Rectangle::new(
            [(d.day, 0.0), (d.day + 1, d.sources as f64)],
            SERIES[0].mix(0.8).filled(),
        )
    }))?;
    root.present()?;
    Ok(())
}

/// A histogram with log10(count) bars, as in the talk's lwRank charts:
/// `counts[i]` keys fall in bin i of [0, 1].
pub fn log_histogram_svg(title: &str, counts: &[u64]) -> String {
    let mut svg = String::new();
    if counts.is_empty() {
        return svg;
    }
    {
        let root =
            SVGBackend::with_string(&mut svg, (300, 180)).into_drawing_area();
        if draw_histogram(&root, title, counts).is_err() {
            log::warn!("histogram could not be drawn");
        }
    }
    svg
}

fn draw_histogram(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    title: &str,
    counts: &[u64],
) -> Result<(), Box<dyn std::error::Error>> {
    root.fill(&TRANSPARENT)?;
    let bins = counts.len() as f64;
    let top =
        counts.iter().map(|&c| ((c as f64) + 1.0).log10()).fold(1.0, f64::max);
    let mut chart = ChartBuilder::on(root)
        .margin(6)
        .caption(
            title,
            ("sans-serif", 13).into_font().color(&RGBColor(128, 128, 128)),
        )
        .x_label_area_size(34)
        .y_label_area_size(36)
        .build_cartesian_2d(0.0..1.0f64, 0.0..top.ceil())?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_desc("lwRank")
        .y_desc("log10(1 + count)")
        .x_labels(5)
        .y_labels(4)
        .axis_style(RGBColor(128, 128, 128))
        .light_line_style(RGBAColor(128, 128, 128, 0.15))
        .label_style(
            ("sans-serif", 11).into_font().color(&RGBColor(128, 128, 128)),
        )
        .draw()?;
    chart.draw_series(counts.iter().enumerate().map(|(i, &c)| {
        let x0 = i as f64 / bins;
        Rectangle::new(
            [(x0, 0.0), (x0 + 1.0 / bins, ((c as f64) + 1.0).log10())],
            SERIES[1].mix(0.85).filled(),
        )
    }))?;
    root.present()?;
    Ok(())
}

/// A tiny inline line chart of values in [0, 1], oldest first: an SVG
/// `width` x `height` pixels drawn in the text colour, with a dot on the
/// last value.
pub fn sparkline_svg(values: &[f32], width: u32, height: u32) -> String {
    if values.is_empty() {
        return String::new();
    }
    let (w, h) = (f64::from(width), f64::from(height));
    let step = if values.len() > 1 {
        (w - 2.0) / (values.len() - 1) as f64
    } else {
        0.0
    };
    let point = |i: usize, v: f32| {
        let y = h - 1.0 - f64::from(v.clamp(0.0, 1.0)) * (h - 2.0);
        (1.0 + i as f64 * step, y)
    };
    let points = values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let (x, y) = point(i, v);
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ");
    let (lx, ly) = point(values.len() - 1, values[values.len() - 1]);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" \
         height=\"{height}\" viewBox=\"0 0 {width} {height}\" \
         aria-hidden=\"true\"><polyline points=\"{points}\" fill=\"none\" \
         stroke=\"currentColor\" stroke-width=\"1.2\"/><circle \
         cx=\"{lx:.1}\" cy=\"{ly:.1}\" r=\"1.6\" fill=\"currentColor\"/></svg>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_maps_values_to_points() {
        let svg = sparkline_svg(&[0.0, 0.5, 1.0], 42, 12);
        assert!(svg.starts_with("<svg"), "{svg}");
        // x from 1 to 41 in steps of 20; y from 11 (rank 0) to 1 (rank 1).
        assert!(svg.contains("points=\"1.0,11.0 21.0,6.0 41.0,1.0\""), "{svg}");
        assert!(svg.contains("cx=\"41.0\" cy=\"1.0\""), "{svg}");
        assert_eq!(sparkline_svg(&[], 42, 12), "");
    }

    #[test]
    fn log_histogram_draws_bars() {
        let svg = log_histogram_svg("IP", &[9, 0, 99, 1]);
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("log10(1 + count)"));
        assert!(svg.matches("<rect").count() >= 4, "{svg}");
        assert_eq!(log_histogram_svg("IP", &[]), "");
    }

    #[test]
    fn day_counts_draws_one_bar_per_day() {
        let days: Vec<DayCount> = (0..5)
            .map(|i| DayCount {
                day: 100 + i,
                events: 10,
                sources: i as usize + 1,
            })
            .collect();
        let svg = day_counts_svg(&days);
        assert!(svg.starts_with("<svg"));
        // Five bars plus the background rectangle.
        assert!(svg.matches("<rect").count() >= 5, "{svg}");
        assert!(svg.contains("sources per day"));
    }

    #[test]
    fn comparison_draws_a_line_per_set_and_the_baseline() {
        use crate::eval::Scored;
        use crate::pipeline::{Pooled, SetEval};
        let set = |name: &str, chosen: bool, aucs: &[f64]| SetEval {
            name: name.to_string(),
            feature_names: vec![],
            chosen,
            scored: aucs
                .iter()
                .map(|&a| Scored {
                    name: name.to_string(),
                    confusion: Default::default(),
                    auc: Some(a),
                    tpr_at_model_tnr: None,
                })
                .collect(),
            pooled: Pooled {
                name: name.to_string(),
                confusion: Default::default(),
                median_auc: None,
                median_tpr_at_model_tnr: None,
            },
        };
        let cmp = FeatureComparison {
            test_days: vec![100, 101, 102],
            sets: vec![
                set("talk", false, &[0.7, 0.8, 0.75]),
                set("extended", true, &[0.72, 0.81, 0.8]),
            ],
        };
        let base = [(100, 0.6), (101, 0.55), (102, 0.65)];
        let svg = comparison_svg(&cmp, Some(("/16s seen", &base)));
        assert!(svg.starts_with("<svg"), "{svg}");
        // The axis runs from 0.5 (lowest AUC rounded down) at y = 263 to
        // 1.0 at y = 8: 0.6 sits at 263 - 0.2 * 255 = 212.
        assert!(
            svg.contains(
                "stroke=\"#8C8C8C\" stroke-width=\"2\" \
                 points=\"52,212 261,238 471,187 \""
            ),
            "{svg}"
        );
        // The chosen set is the thick line.
        assert!(svg.contains(
            "stroke=\"#0072B2\" stroke-width=\"3\" \
             points=\"52,151 261,105 471,110 \""
        ));
        assert!(svg.contains("extended (chosen)"));
        assert!(svg.contains("baseline: /16s seen"));
        let empty = FeatureComparison::default();
        assert_eq!(comparison_svg(&empty, None), "");
    }

    #[test]
    fn empty_input_draws_nothing() {
        assert_eq!(day_counts_svg(&[]), "");
        assert_eq!(walk_forward_svg(&[], Metric::Auc), "");
    }
}
