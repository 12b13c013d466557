//! `symmetry = "p4" | "p4m"`: the wallpaper group `p4(N)`/`p4m(N)` acting on the `N×N` grid
//! `Z_N² = G/P`; the GM model lifts the image to `G`, and the kernel support is the `(2t+1)²`
//! translations times the point group.
use super::{ImageGroup, ImageSymmetry};
use crate::config::{ConfigError, Dataset, ModelConfig, Symmetry};
use gm_algebra::group::Wallpaper;
use gm_algebra::AnyGroup;
use gm_nn::lowering::{wallpaper_support, Support};
use gm_nn::pool::wallpaper_pixel_labels;
use gm_nn::{NnError, Result};

/// `p4` (rotations) or `p4m` (rotations and mirrors).
pub(super) struct WallpaperSymmetry {
    mirrors: bool,
}

impl WallpaperSymmetry {
    /// `p4 = Z_N² ⋊ C4`.
    pub(super) const P4: WallpaperSymmetry = WallpaperSymmetry { mirrors: false };
    /// `p4m = Z_N² ⋊ D4`.
    pub(super) const P4M: WallpaperSymmetry = WallpaperSymmetry { mirrors: true };

    /// `|P|`, the order of the point group.
    fn point_group_order(&self) -> usize {
        if self.mirrors {
            8
        } else {
            4
        }
    }
}

impl ImageSymmetry for WallpaperSymmetry {
    fn symmetry(&self) -> Symmetry {
        if self.mirrors {
            Symmetry::P4m
        } else {
            Symmetry::P4
        }
    }

    fn group(&self, model: &ModelConfig, height: usize, width: usize) -> Result<ImageGroup> {
        if height != width {
            return Err(NnError::InvalidConfig(format!(
                "p4/p4m act on square grids, got {height}x{width}"
            )));
        }
        let g = if self.mirrors {
            Wallpaper::p4m(height)?
        } else {
            Wallpaper::p4(height)?
        };
        Ok(ImageGroup::on_cosets(
            AnyGroup::cached(g),
            wallpaper_pixel_labels(&g),
            Support::Elements(wallpaper_support(&g, model.t)),
        ))
    }

    fn support_size(&self, model: &ModelConfig) -> usize {
        let side = 2 * model.t + 1;
        self.point_group_order() * side * side
    }

    fn validate(
        &self,
        model: &ModelConfig,
        h: usize,
        w: usize,
        dataset: Dataset,
    ) -> std::result::Result<(), ConfigError> {
        if h != w {
            return Err(ConfigError::key(
                "model.symmetry",
                format!(
                    "p4/p4m act on square grids; `{}` is {h}×{w}: use `axis-product`",
                    dataset.name()
                ),
            ));
        }
        if 2 * model.t >= h {
            return Err(ConfigError::key(
                "model.t",
                format!("must satisfy 2t+1 <= {h}, got {}", model.t),
            ));
        }
        Ok(())
    }

    fn describe(&self, model: &ModelConfig) -> String {
        model.symmetry.to_string()
    }
}
