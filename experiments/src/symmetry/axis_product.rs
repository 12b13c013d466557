//! `symmetry = "axis-product"`, the reference's: `G = G₁ × G₂` with one cyclic or dihedral
//! group per image axis (`model.axis_group`), and the image *is* a function on `G`.
use super::{ImageGroup, ImageSymmetry};
use crate::config::{AxisGroup, ConfigError, Dataset, ModelConfig, Symmetry};
use gm_nn::lowering::{grid_group, Axis, Support};
use gm_nn::{NnError, Result};

/// The axis-product symmetry.
pub(super) struct AxisProduct;

impl ImageSymmetry for AxisProduct {
    fn symmetry(&self) -> Symmetry {
        Symmetry::AxisProduct
    }

    fn group(&self, model: &ModelConfig, height: usize, width: usize) -> Result<ImageGroup> {
        let axes = match model.axis_group {
            AxisGroup::Cyclic => [Axis::Cyclic(height), Axis::Cyclic(width)],
            AxisGroup::Dihedral => {
                if !height.is_multiple_of(2) || !width.is_multiple_of(2) {
                    return Err(NnError::InvalidConfig(format!(
                        "model.axis_group = \"dihedral\" needs even image sides, got \
                         {height}x{width}"
                    )));
                }
                [Axis::Dihedral(height / 2), Axis::Dihedral(width / 2)]
            }
        };
        Ok(ImageGroup::on_group(
            grid_group(&axes)?,
            Support::Radius(model.t),
        ))
    }

    fn support_size(&self, model: &ModelConfig) -> usize {
        let side = 2 * model.t + 1;
        match model.axis_group {
            AxisGroup::Cyclic => side * side,
            AxisGroup::Dihedral => 4 * side * side,
        }
    }

    fn validate(
        &self,
        model: &ModelConfig,
        h: usize,
        w: usize,
        _dataset: Dataset,
    ) -> std::result::Result<(), ConfigError> {
        if model.axis_group == AxisGroup::Dihedral && (!h.is_multiple_of(2) || !w.is_multiple_of(2))
        {
            return Err(ConfigError::key(
                "model.axis_group",
                format!(
                    "dihedral per axis needs even sides (D_n has order 2n); the grid is \
                     {h}×{w}: use `cyclic` or an even data.image_size"
                ),
            ));
        }
        let n = match model.axis_group {
            AxisGroup::Cyclic => h.min(w),
            AxisGroup::Dihedral => h.min(w) / 2,
        };
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
        format!("{}/{}", model.symmetry, model.axis_group)
    }
}
