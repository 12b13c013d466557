//! A metric against the parameter count, one line per family with error bars — the figure of
//! accuracy against parameters that structured-matrix papers draw (e.g. Thomas et al., 2018,
//! "Learning compressed transforms with low displacement rank").
use super::{draw_err, range, register_font, PlotError, Result, FONT};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// One point of a series: the mean over seeds and its standard deviation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErrorPoint {
    /// The parameter count.
    pub x: f64,
    /// Mean of the metric.
    pub mean: f64,
    /// Standard deviation (the error bar spans `mean ± std`; 0 draws none).
    pub std: f64,
}

/// One family: a legend label and its points by ascending `x`.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The legend label.
    pub label: String,
    /// The points.
    pub points: Vec<ErrorPoint>,
}

/// Width and height of the figure in pixels.
pub const SIZE: (u32, u32) = (900, 600);

/// Draws `series` into the PNG `path` ([`SIZE`]): the metric named `metric` against the
/// parameter count on a logarithmic axis, one colour per series, points joined by lines,
/// filled markers, error bars of `± std` with caps, and a legend.
///
/// # Errors
/// [`PlotError::Invalid`] when no point has a finite mean and a positive `x`;
/// [`PlotError::Draw`].
pub fn metric_vs_parameters(series: &[Series], metric: &str, path: &Path) -> Result<()> {
    check(series, metric)?;
    let root = BitMapBackend::new(path, SIZE).into_drawing_area();
    draw(&root, series, metric, path)
}

/// Whether `p` can be drawn on the logarithmic axis.
fn drawable(p: &ErrorPoint) -> bool {
    p.x > 0.0 && p.x.is_finite() && p.mean.is_finite()
}

fn check(series: &[Series], metric: &str) -> Result<()> {
    if series.iter().flat_map(|s| &s.points).any(drawable) {
        Ok(())
    } else {
        Err(PlotError::Invalid(format!(
            "no point to plot {metric} against parameters (finite mean, positive count)"
        )))
    }
}

/// The label of a tick of the logarithmic axis: counts of the form 1, 2 or 5 × 10^k, written
/// with `k` / `M` from ten thousand on; other ticks stay unlabelled so labels never crowd.
pub fn tick_label(x: f64) -> String {
    if !(x > 0.0 && x.is_finite()) {
        return String::new();
    }
    let decade = 10f64.powf(x.log10().floor());
    let mantissa = x / decade;
    if ![1.0, 2.0, 5.0]
        .iter()
        .any(|m| (mantissa - m).abs() < 1e-6 * m)
    {
        return String::new();
    }
    let r = x.round();
    if r >= 1e6 {
        format!("{}M", r / 1e6)
    } else if r >= 1e4 {
        format!("{}k", r / 1e3)
    } else {
        format!("{r}")
    }
}

/// Draws the figure on `root` (named `path` in errors); `series` passed [`check`].
fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    series: &[Series],
    metric: &str,
    path: &Path,
) -> Result<()> {
    let points = || {
        series
            .iter()
            .flat_map(|s| s.points.iter().filter(|p| drawable(p)))
    };
    let (x_lo, x_hi) = points().fold((f64::INFINITY, 0f64), |(lo, hi), p| {
        (lo.min(p.x), hi.max(p.x))
    });
    let (y_lo, y_hi) = range(points().flat_map(|p| [p.mean - p.std, p.mean + p.std]));
    // The legend goes where the lines are not: below rising ones, above falling ones.
    let rising = series
        .iter()
        .filter_map(|s| {
            let mut ps = s.points.iter().filter(|p| drawable(p));
            let first = ps.next()?;
            Some(ps.next_back().map_or(0.0, |l| l.mean - first.mean))
        })
        .sum::<f64>()
        >= 0.0;
    register_font();
    let err = draw_err(path);
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!("{metric} against parameters (mean ± std over seeds)"),
            (FONT, 20),
        )
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d((x_lo / 1.6..x_hi * 1.6).log_scale(), y_lo..y_hi)
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .x_desc("parameters (log scale)")
        .y_desc(metric)
        .x_label_formatter(&|x| tick_label(*x))
        .label_style((FONT, 14))
        .draw()
        .map_err(|e| err(&e))?;
    for (i, s) in series.iter().enumerate() {
        let colour = Palette99::pick(i).to_rgba();
        let pts: Vec<&ErrorPoint> = s.points.iter().filter(|p| drawable(p)).collect();
        if pts.is_empty() {
            continue;
        }
        chart
            .draw_series(LineSeries::new(
                pts.iter().map(|p| (p.x, p.mean)),
                colour.stroke_width(2),
            ))
            .map_err(|e| err(&e))?
            .label(s.label.clone())
            .legend(move |(x, y)| {
                EmptyElement::at((x + 10, y))
                    + PathElement::new(vec![(-10, 0), (10, 0)], colour.stroke_width(2))
                    + Circle::new((0, 0), 4, colour.filled())
            });
        let bars: Vec<&&ErrorPoint> = pts.iter().filter(|p| p.std > 0.0).collect();
        chart
            .draw_series(bars.iter().map(|p| {
                PathElement::new(
                    vec![(p.x, p.mean - p.std), (p.x, p.mean + p.std)],
                    colour.stroke_width(2),
                )
            }))
            .map_err(|e| err(&e))?;
        for end in [-1.0, 1.0] {
            chart
                .draw_series(bars.iter().map(|p| {
                    EmptyElement::at((p.x, p.mean + end * p.std))
                        + PathElement::new(vec![(-6, 0), (6, 0)], colour.stroke_width(2))
                }))
                .map_err(|e| err(&e))?;
        }
        chart
            .draw_series(
                pts.iter()
                    .map(|p| Circle::new((p.x, p.mean), 5, colour.filled())),
            )
            .map_err(|e| err(&e))?;
    }
    chart
        .configure_series_labels()
        .label_font((FONT, 15))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .position(if rising {
            SeriesLabelPosition::LowerRight
        } else {
            SeriesLabelPosition::UpperRight
        })
        .draw()
        .map_err(|e| err(&e))?;
    root.present().map_err(|e| err(&e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series() -> Vec<Series> {
        let p = |x: f64, mean: f64, std: f64| ErrorPoint { x, mean, std };
        vec![
            Series {
                label: "GM".into(),
                points: vec![p(1e3, 0.6, 0.02), p(1e4, 0.8, 0.01)],
            },
            Series {
                label: "CNN".into(),
                points: vec![p(5e2, 0.5, 0.0), p(2e3, 0.55, 0.03), p(2e4, 0.7, 0.05)],
            },
        ]
    }

    /// The figure drawn into an RGB buffer instead of a file.
    fn pixels(series: &[Series]) -> Vec<u8> {
        let mut buf = vec![0u8; (SIZE.0 * SIZE.1 * 3) as usize];
        {
            let root = BitMapBackend::with_buffer(&mut buf, SIZE).into_drawing_area();
            draw(&root, series, "accuracy", Path::new("<buffer>")).unwrap();
        }
        buf
    }

    fn count(rgb: &[u8], colour: RGBAColor) -> usize {
        rgb.chunks(3)
            .filter(|px| *px == [colour.0, colour.1, colour.2])
            .count()
    }

    #[test]
    fn both_families_are_drawn_and_an_error_bar_adds_ink() {
        let rgb = pixels(&series());
        let (gm, cnn) = (Palette99::pick(0).to_rgba(), Palette99::pick(1).to_rgba());
        assert!(count(&rgb, gm) > 200 && count(&rgb, cnn) > 200);
        // Without the deviation of CNN's middle point (inside the y range either way, so the
        // axes stay the same) the figure has one bar less of CNN's colour.
        let mut fewer = series();
        fewer[1].points[1].std = 0.0;
        let rgb_fewer = pixels(&fewer);
        assert!(
            count(&rgb, cnn) > count(&rgb_fewer, cnn) + 50,
            "{} vs {}",
            count(&rgb, cnn),
            count(&rgb_fewer, cnn)
        );
    }

    #[test]
    fn ticks_are_labelled_at_one_two_five() {
        let labels: Vec<String> = [1.0, 2.0, 3.0, 50.0, 100.0, 900.0, 2e4, 5e5, 1e6, 2.5e6]
            .into_iter()
            .map(tick_label)
            .collect();
        assert_eq!(
            labels,
            ["1", "2", "", "50", "100", "", "20k", "500k", "1M", ""]
        );
        assert_eq!(tick_label(0.0), "");
    }

    #[test]
    fn the_file_is_a_png_of_the_figure_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("scaling.png");
        metric_vs_parameters(&series(), "accuracy", &path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&bytes[12..16], b"IHDR");
        let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
        assert_eq!((be(16), be(20)), SIZE);
        assert!(bytes.len() > 10_000, "{} bytes", bytes.len());
    }

    #[test]
    fn nothing_drawable_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let bad = vec![Series {
            label: "x".into(),
            points: vec![ErrorPoint {
                x: 0.0,
                mean: 1.0,
                std: 0.0,
            }],
        }];
        let e = metric_vs_parameters(&bad, "accuracy", &dir.path().join("x.png")).unwrap_err();
        assert!(matches!(e, PlotError::Invalid(_)), "{e}");
        assert!(metric_vs_parameters(&[], "accuracy", &dir.path().join("y.png")).is_err());
        assert!(!dir.path().join("x.png").exists());
    }
}
