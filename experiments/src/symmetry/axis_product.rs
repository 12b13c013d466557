//! `symmetry = "axis-product"`, the reference's: `G = G₁ × G₂` with one cyclic or dihedral
//! group per image axis (`model.axis_group` on both, or `model.axis_groups` one per axis),
//! and the image *is* a function on `G`.
use super::{ImageGroup, ImageSymmetry};
use crate::config::{AxisGroup, ConfigError, Dataset, ModelConfig, Symmetry};
use gm_nn::lowering::{grid_group, Axis, Support};
use gm_nn::{NnError, Result};

/// The axis-product symmetry.
pub(super) struct AxisProduct;

/// The config key that chose the axes' groups (for messages).
fn groups_key(model: &ModelConfig) -> &'static str {
    if model.axis_groups.is_some() {
        "model.axis_groups"
    } else {
        "model.axis_group"
    }
}

/// The group of `group` on an axis of `side` pixels, or why it cannot act on it.
fn axis(group: AxisGroup, side: usize) -> std::result::Result<Axis, String> {
    match group {
        AxisGroup::Cyclic => Ok(Axis::Cyclic(side)),
        AxisGroup::Dihedral if side.is_multiple_of(2) => Ok(Axis::Dihedral(side / 2)),
        AxisGroup::Dihedral => Err(format!(
            "dihedral on an axis needs an even side (D_n has order 2n), got {side}"
        )),
    }
}

/// The axes' groups of `model` on the `height × width` grid (rows first).
fn axes(
    model: &ModelConfig,
    height: usize,
    width: usize,
) -> std::result::Result<[Axis; 2], String> {
    let [rows, cols] = model.per_axis_groups();
    Ok([axis(rows, height)?, axis(cols, width)?])
}

impl ImageSymmetry for AxisProduct {
    fn symmetry(&self) -> Symmetry {
        Symmetry::AxisProduct
    }

    fn group(&self, model: &ModelConfig, height: usize, width: usize) -> Result<ImageGroup> {
        let axes = axes(model, height, width).map_err(|why| {
            NnError::InvalidConfig(format!(
                "{} on the {height}x{width} grid: {why}",
                groups_key(model)
            ))
        })?;
        Ok(ImageGroup::on_group(
            grid_group(&axes)?,
            Support::Radius(model.t),
        ))
    }

    fn support_size(&self, model: &ModelConfig) -> usize {
        let side = 2 * model.t + 1;
        model
            .per_axis_groups()
            .iter()
            .map(|g| match g {
                AxisGroup::Cyclic => side,
                AxisGroup::Dihedral => 2 * side,
            })
            .product()
    }

    fn validate(
        &self,
        model: &ModelConfig,
        h: usize,
        w: usize,
        _dataset: Dataset,
    ) -> std::result::Result<(), ConfigError> {
        let axes = axes(model, h, w).map_err(|why| {
            ConfigError::key(
                groups_key(model),
                format!("{why} on the {h}×{w} grid: use `cyclic` there or an even data.image_size"),
            )
        })?;
        // The radius' rotations r^−t..r^t must be distinct on every axis.
        let n = axes
            .iter()
            .map(|a| match *a {
                Axis::Cyclic(n) | Axis::Dihedral(n) => n,
            })
            .min()
            .unwrap_or(0);
        if 2 * model.t >= n {
            return Err(ConfigError::key(
                "model.t",
                format!(
                    "must satisfy 2t+1 <= {n} on a {h}×{w} grid, got {}",
                    model.t
                ),
            ));
        }
        Ok(())
    }

    fn describe(&self, model: &ModelConfig) -> String {
        match model.per_axis_groups() {
            [rows, cols] if rows == cols => format!("{}/{rows}", model.symmetry),
            [rows, cols] => format!("{}/{rows}×{cols}", model.symmetry),
        }
    }
}
