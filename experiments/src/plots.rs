//! PNG figures of finished runs (what `gm report` draws next to its table), with plotters'
//! bitmap backend.
//!
//! Text is rendered with `ab_glyph` from DejaVu Sans embedded in the binary (the `dejavu`
//! crate; the fonts' licence — Bitstream Vera / Arev, public-domain changes — allows
//! embedding and redistribution), so no system font library or font file is needed.
//!
//! - [`training_curves`]: training (dashed) and validation (solid) loss and metric per epoch
//!   from each run's `metrics.jsonl`, several runs overlaid in one figure;
//! - [`rollout_fields`]: predicted against true fields of an autoregressive rollout (speed
//!   `√(Σ_c f_c²)` over the channels) at a few time steps, from `rollout_fields.safetensors`
//!   (`"predicted"` and `"true"`, f32 `(T, C, H, W)`);
//! - [`scaling::metric_vs_parameters`]: a metric against the parameter count (log scale), one
//!   line per family, mean ± std over seeds as error bars (what `gm suite report` draws).
pub mod scaling;

use crate::train::EpochMetrics;
use plotters::prelude::*;
use plotters::style::colors::colormaps::ViridisRGB;
use std::path::Path;
use std::sync::Once;
use tch::{Kind, Tensor};

/// The file a regression run writes its test rollout to.
pub const ROLLOUT_FIELDS: &str = "rollout_fields.safetensors";

/// Why a figure could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// The drawing backend failed (e.g. the PNG could not be written).
    #[error("drawing {path}: {message}")]
    Draw {
        /// The figure's path.
        path: String,
        /// What failed.
        message: String,
    },
    /// The input cannot be drawn.
    #[error("{0}")]
    Invalid(String),
    /// libtorch (reading or reducing the fields).
    #[error(transparent)]
    Torch(#[from] tch::TchError),
}

/// Result of the plotting functions.
pub type Result<T> = std::result::Result<T, PlotError>;

const FONT: &str = "sans-serif";

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular())
            .unwrap_or_else(|_| panic!("the embedded DejaVu Sans is a valid font"));
    });
}

fn draw_err(path: &Path) -> impl Fn(&dyn std::fmt::Display) -> PlotError + '_ {
    move |e| PlotError::Draw {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// One run's curves: a legend label and its epochs.
#[derive(Debug, Clone)]
pub struct Curves {
    /// The legend label (e.g. the experiment name).
    pub label: String,
    /// The epochs, as in `metrics.jsonl`.
    pub epochs: Vec<EpochMetrics>,
}

/// Padded `(min, max)` of `values` (a unit range around a constant).
fn range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.05).max(1e-9 + lo.abs() * 1e-3);
    (lo - pad, hi + pad)
}

/// Draws `runs`' training curves into the PNG `path` (`1200 × 480`): loss on the left, the
/// metric named `metric` on the right; per run one colour, training dashed, validation solid.
///
/// # Errors
/// [`PlotError::Invalid`] when no run has an epoch; [`PlotError::Draw`].
pub fn training_curves(runs: &[Curves], metric: &str, path: &Path) -> Result<()> {
    let last = runs
        .iter()
        .flat_map(|r| r.epochs.iter().map(|m| m.epoch))
        .max()
        .ok_or_else(|| PlotError::Invalid("no run has a logged epoch to plot".into()))?;
    register_font();
    let err = draw_err(path);
    let root = BitMapBackend::new(path, (1200, 480)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let (left, right) = root.split_horizontally(600);
    type Pick = fn(&EpochMetrics) -> f64;
    let panels: [(&DrawingArea<_, _>, &str, Pick, Pick); 2] = [
        (&left, "loss", |m| m.train_loss, |m| m.val_loss),
        (&right, metric, |m| m.train_metric, |m| m.val_metric),
    ];
    for (panel, (area, name, train, val)) in panels.into_iter().enumerate() {
        // The legend goes where the curves are not: above falling ones, below rising ones.
        let rising = runs
            .iter()
            .filter_map(|r| Some(val(r.epochs.last()?) - val(r.epochs.first()?)))
            .sum::<f64>()
            > 0.0;
        let legend_at = if panel == 1 && rising {
            SeriesLabelPosition::LowerRight
        } else {
            SeriesLabelPosition::UpperRight
        };
        let (lo, hi) = range(
            runs.iter()
                .flat_map(|r| r.epochs.iter().flat_map(|m| [train(m), val(m)])),
        );
        let mut chart = ChartBuilder::on(area)
            .caption(
                format!("{name} per epoch (dashed: train, solid: validation)"),
                (FONT, 18),
            )
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(0.5f64..last as f64 + 0.5, lo..hi)
            .map_err(|e| err(&e))?;
        let integer = |x: &f64| {
            if (x - x.round()).abs() < 1e-9 {
                format!("{}", x.round())
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .light_line_style(WHITE)
            .x_labels(last.min(20) + 2)
            .x_label_formatter(&integer)
            .x_desc("epoch")
            .y_desc(name)
            .label_style((FONT, 14))
            .draw()
            .map_err(|e| err(&e))?;
        for (i, run) in runs.iter().enumerate() {
            let colour = Palette99::pick(i).to_rgba();
            let points = |f: Pick| -> Vec<(f64, f64)> {
                run.epochs.iter().map(|m| (m.epoch as f64, f(m))).collect()
            };
            chart
                .draw_series(DashedLineSeries::new(
                    points(train),
                    6,
                    4,
                    colour.stroke_width(2),
                ))
                .map_err(|e| err(&e))?;
            chart
                .draw_series(
                    points(train)
                        .into_iter()
                        .map(|p| Circle::new(p, 3, colour.stroke_width(1))),
                )
                .map_err(|e| err(&e))?;
            chart
                .draw_series(LineSeries::new(points(val), colour.stroke_width(2)))
                .map_err(|e| err(&e))?
                .label(run.label.clone())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
                });
            chart
                .draw_series(
                    points(val)
                        .into_iter()
                        .map(|p| Circle::new(p, 3, colour.filled())),
                )
                .map_err(|e| err(&e))?;
        }
        chart
            .configure_series_labels()
            .label_font((FONT, 14))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .position(legend_at)
            .draw()
            .map_err(|e| err(&e))?;
    }
    root.present().map_err(|e| err(&e))?;
    Ok(())
}

/// Reads `"predicted"` and `"true"` from a `rollout_fields.safetensors` file.
///
/// # Errors
/// [`PlotError::Torch`] when the file cannot be read; [`PlotError::Invalid`] when a tensor is
/// missing or the two are not of one `(T, C, H, W)` shape.
pub fn read_rollout_fields(path: &Path) -> Result<(Tensor, Tensor)> {
    let mut named = Tensor::read_safetensors(path)?;
    let mut take = |name: &str| {
        named
            .iter()
            .position(|(n, _)| n == name)
            .map(|i| named.swap_remove(i).1)
            .ok_or_else(|| {
                PlotError::Invalid(format!("{}: no tensor named `{name}`", path.display()))
            })
    };
    let (predicted, truth) = (take("predicted")?, take("true")?);
    if predicted.dim() != 4 || predicted.size() != truth.size() {
        return Err(PlotError::Invalid(format!(
            "{}: `predicted` {:?} and `true` {:?} must share one (T, C, H, W) shape",
            path.display(),
            predicted.size(),
            truth.size()
        )));
    }
    Ok((predicted, truth))
}

/// Up to `k` time steps spread over `0..t` (first and last included).
pub fn spread_steps(t: usize, k: usize) -> Vec<usize> {
    if t == 0 || k == 0 {
        return Vec::new();
    }
    let k = k.min(t);
    let mut steps: Vec<usize> = (0..k)
        .map(|i| if k == 1 { 0 } else { i * (t - 1) / (k - 1) })
        .collect();
    steps.dedup();
    steps
}

/// Draws the speed `√(Σ_c f_c²)` of `predicted` and `truth` (`(T, C, H, W)`) at up to four
/// time steps, and the speed of their difference, into the PNG `path`: one column per step,
/// rows predicted / true / |predicted − true|, viridis colours (predicted and true share one
/// scale, the error has its own), field row 0 at the bottom. Each cell is `200 × 200`.
///
/// # Errors
/// [`PlotError::Invalid`] for tensors that are not one `(T, C, H, W)` shape with `T ≥ 1`;
/// [`PlotError::Draw`].
pub fn rollout_fields(predicted: &Tensor, truth: &Tensor, path: &Path) -> Result<()> {
    let size = predicted.size();
    if size.len() != 4 || size != truth.size() || size[0] == 0 {
        return Err(PlotError::Invalid(format!(
            "predicted {size:?} and true {:?} must share one (T, C, H, W) shape, T ≥ 1",
            truth.size()
        )));
    }
    let (t, h, w) = (size[0] as usize, size[2] as usize, size[3] as usize);
    let speed = |f: &Tensor| -> Result<Vec<f32>> {
        let s = f
            .f_to_kind(Kind::Float)?
            .f_square()?
            .f_sum_dim_intlist([1i64].as_slice(), false, Kind::Float)?
            .f_sqrt()?
            .f_contiguous()?
            .f_view([-1])?;
        Ok(Vec::<f32>::try_from(&s)?)
    };
    let (p, q) = (speed(predicted)?, speed(truth)?);
    let e = speed(&predicted.f_sub(truth)?)?;
    let steps = spread_steps(t, 4);
    let frame = |v: &[f32], k: usize| v[k * h * w..(k + 1) * h * w].to_vec();
    let max_of = |v: &[f32]| -> f64 {
        let m = steps.iter().flat_map(|&k| frame(v, k)).fold(0f32, |a, b| {
            if b.is_finite() {
                a.max(b)
            } else {
                a
            }
        });
        f64::from(m).max(1e-12)
    };
    let field_max = max_of(&p).max(max_of(&q));
    let error_max = max_of(&e);
    register_font();
    let err = draw_err(path);
    let (cell, title, header) = (200u32, 24u32, 36u32);
    let cols = steps.len() as u32;
    let root =
        BitMapBackend::new(path, (cols * cell, header + 3 * (cell + title))).into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let (top, body) = root.split_vertically(header);
    top.draw_text(
        &format!(
            "speed |v| of the rollout (T = {t}, {h}×{w}); fields 0–{field_max:.3}, error 0–{error_max:.3}"
        ),
        &(FONT, 16).into_text_style(&top),
        (8, 10),
    )
    .map_err(|e| err(&e))?;
    let rows: [(&str, &[f32], f64); 3] = [
        ("predicted", &p, field_max),
        ("true", &q, field_max),
        ("|pred − true|", &e, error_max),
    ];
    let cells = body.split_evenly((3, steps.len()));
    for (r, (name, values, max)) in rows.iter().enumerate() {
        for (c, &k) in steps.iter().enumerate() {
            let area = cells[r * steps.len() + c]
                .titled(&format!("{name}, step {}", k + 1), (FONT, 14))
                .map_err(|e| err(&e))?;
            let (aw, ah) = area.dim_in_pixel();
            let f = frame(values, k);
            for y in 0..h {
                for x in 0..w {
                    let v = f64::from(f[y * w + x]).clamp(0.0, *max);
                    let colour = ViridisRGB::get_color_normalized(v, 0.0, *max);
                    // Row 0 at the bottom.
                    let (x0, x1) = (x * aw as usize / w, (x + 1) * aw as usize / w);
                    let (y0, y1) = ((h - 1 - y) * ah as usize / h, (h - y) * ah as usize / h);
                    area.draw(&Rectangle::new(
                        [(x0 as i32, y0 as i32), (x1 as i32, y1 as i32)],
                        colour.filled(),
                    ))
                    .map_err(|e| err(&e))?;
                }
            }
        }
    }
    root.present().map_err(|e| err(&e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_spread_and_distinct() {
        assert_eq!(spread_steps(20, 4), vec![0, 6, 12, 19]);
        assert_eq!(spread_steps(3, 4), vec![0, 1, 2]);
        assert_eq!(spread_steps(1, 4), vec![0]);
        assert!(spread_steps(0, 4).is_empty());
    }
}
