//! Subgroup pooling `G → H` with a window (the reference's GMPool), and its transpose.

use super::{not_linear, reduce_last, PoolMode};
use crate::dense::{linear_map_matrix, ExportDense};
use crate::lowering::{index_tensor, Axis};
use crate::{NnError, Result};
use gm_algebra::FiniteGroup;
use tch::nn::Module;
use tch::{Device, Kind, Tensor};

/// Pools a function on `G` onto a subgroup `H`: `y(h) = max` (or mean) of `x` over the window
/// `h·W = {h·w : w ∈ W}`. Equivariant under `H`: `y` of `x(u⁻¹·)` is `y(u⁻¹·)` for `u ∈ H`.
///
/// - `W = {e}` is the restriction of `x` to `H`.
/// - `W` a right transversal of `H` (the cosets `Hw` partition `G`) pools every element
///   exactly once: [`SubgroupPool::stride2`] is the reference's GMPool, stride-2 subgroup
///   pooling with a coset window — on `Z_N²`, `H = (2Z_N)²`, `W = {0,1}²`, i.e. 2×2 max
///   pooling with stride 2; on `D_n`, `H = ⟨r², f⟩ ≅ D_{n/2}`, `W = {e, r}`.
///
/// The output is indexed in the order of `members` (for [`SubgroupPool::stride2`] that is the
/// grid order of the halved axes, so layers can follow on the smaller group).
///
/// # Shapes
/// `(B, C, n)` → `(B, C, |H|)`.
#[derive(Debug)]
pub struct SubgroupPool {
    windows: Tensor,
    members: Vec<usize>,
    window: usize,
    order: usize,
    mode: PoolMode,
}

impl SubgroupPool {
    /// The pool onto `members` (the subgroup `H`, in output order) with window `window`.
    ///
    /// # Errors
    /// [`NnError::Algebra`] for an index `≥ n`; [`NnError::InvalidConfig`] for an empty
    /// subgroup or window.
    pub fn new<G: FiniteGroup + ?Sized>(
        group: &G,
        members: &[usize],
        window: &[usize],
        mode: PoolMode,
        device: Device,
    ) -> Result<Self> {
        let n = group.order();
        if members.is_empty() || window.is_empty() {
            return Err(NnError::InvalidConfig(
                "subgroup pooling needs a non-empty subgroup and window".into(),
            ));
        }
        if let Some(&index) = members.iter().chain(window).find(|&&i| i >= n) {
            return Err(gm_algebra::Error::IndexOutOfRange { index, order: n }.into());
        }
        let flat: Vec<usize> = members
            .iter()
            .flat_map(|&h| window.iter().map(move |&w| group.mul_idx(h, w)))
            .collect();
        Ok(Self {
            windows: index_tensor(&flat, device)?,
            members: members.to_vec(),
            window: window.len(),
            order: n,
            mode,
        })
    }

    /// The reference's GMPool on the grid `axes` (every axis of even size): returns the pool
    /// and the halved axes of `H`.
    ///
    /// # Errors
    /// [`NnError::InvalidConfig`] for an odd axis; [`NnError::Algebra`] for an empty grid.
    pub fn stride2(axes: &[Axis], mode: PoolMode, device: Device) -> Result<(Self, Vec<Axis>)> {
        let group = crate::lowering::grid_group(axes)?;
        let mut members = vec![0usize];
        let mut window = vec![0usize];
        let mut halved = Vec::new();
        for axis in axes {
            let (sub, win, half): (Vec<usize>, Vec<usize>, Axis) = match *axis {
                Axis::Cyclic(n) if n % 2 == 0 => (
                    (0..n / 2).map(|i| 2 * i).collect(),
                    vec![0, 1],
                    Axis::Cyclic(n / 2),
                ),
                Axis::Dihedral(n) if n % 2 == 0 => (
                    (0..2)
                        .flat_map(|f| (0..n / 2).map(move |i| f * n + 2 * i))
                        .collect(),
                    vec![0, 1],
                    Axis::Dihedral(n / 2),
                ),
                _ => {
                    return Err(NnError::InvalidConfig(format!(
                        "stride-2 pooling needs even axes, got {axis:?}"
                    )))
                }
            };
            let m = axis.order();
            members = members
                .iter()
                .flat_map(|&p| sub.iter().map(move |&s| p * m + s))
                .collect();
            window = window
                .iter()
                .flat_map(|&p| win.iter().map(move |&s| p * m + s))
                .collect();
            halved.push(half);
        }
        Ok((Self::new(&group, &members, &window, mode, device)?, halved))
    }

    /// The reference implementation's GMPool on `axis × axis`, index for index (its
    /// `gm_pooling/pool_utils.py`), for a cyclic axis `Z_n` or a dihedral axis `D_n`, `n` even.
    ///
    /// - The subgroup `H = H₁ × H₁` with `H₁ = ⟨r²⟩` (cyclic) or `⟨r², f⟩` (dihedral), listed
    ///   in the reference's loop order: on `Z_n²` the **first** coordinate varies fastest (so
    ///   the pooled image comes out transposed); on `D_n²` the first coordinate varies slowest,
    ///   `H₁` listed as `r^0, r^2, …, f·r^0, f·r^2, …`.
    /// - The window of the reference's "neighbourhood": the identity, then the elements at
    ///   positions 1, last and 2 of the product's element order: on `Z_n²`
    ///   `W = {(0,0), (0,1), (−1,−1), (0,2)}`, on `D_n²`
    ///   `W = {(e,e), (e,r), (f·r^{n−1}, f·r^{n−1}), (e,r²)}`.
    ///
    /// Unlike [`SubgroupPool::stride2`] these windows overlap and miss elements, so this pool
    /// has no upsampling transpose. Equivariant under `H` like every subgroup pool.
    ///
    /// # Errors
    /// [`NnError::InvalidConfig`] for an odd or too small `n` (below 4).
    pub fn reference_gmpool(axis: Axis, mode: PoolMode, device: Device) -> Result<Self> {
        let (n, m) = match axis {
            Axis::Cyclic(n) | Axis::Dihedral(n) => (n, axis.order()),
        };
        if n % 2 != 0 || n < 4 {
            return Err(NnError::InvalidConfig(format!(
                "the reference GMPool needs an even n ≥ 4, got {axis:?}"
            )));
        }
        let group = crate::lowering::grid_group(&[axis, axis])?;
        let at = |a: usize, b: usize| a * m + b;
        // Positions 0, 1, last and 2 of the product's element order (first coordinate slowest).
        let window = [at(0, 0), at(0, 1), at(m - 1, m - 1), at(0, 2)];
        let members: Vec<usize> = match axis {
            Axis::Cyclic(_) => (0..n / 2)
                .flat_map(|j| (0..n / 2).map(move |i| at(2 * i, 2 * j)))
                .collect(),
            Axis::Dihedral(_) => {
                let h1: Vec<usize> = (0..2)
                    .flat_map(|flip| (0..n / 2).map(move |i| flip * n + 2 * i))
                    .collect();
                h1.iter()
                    .flat_map(|&a| h1.iter().map(move |&b| at(a, b)))
                    .collect()
            }
        };
        Self::new(&group, &members, &window, mode, device)
    }

    /// The subgroup's elements, in output order.
    pub fn members(&self) -> &[usize] {
        &self.members
    }

    /// The forward pass with errors reported.
    ///
    /// # Errors
    /// [`NnError::Torch`] when the last axis is not of length `n`.
    pub fn f_forward(&self, xs: &Tensor) -> Result<Tensor> {
        let (b, c, _) = xs.size3()?;
        let g = xs.f_index_select(-1, &self.windows)?.f_view([
            b,
            c,
            self.members.len() as i64,
            self.window as i64,
        ])?;
        reduce_last(&g, self.mode)
    }

    /// The transpose of this pool's average form, times `|W|`: nearest-neighbour upsampling
    /// `H → G`, `(Uy)(h·w) = y(h)`.
    ///
    /// # Errors
    /// [`NnError::InvalidConfig`] unless the windows `h·W` partition `G`.
    pub fn upsample(&self) -> Result<SubgroupUpsample> {
        let flat: Vec<i64> = Vec::try_from(&self.windows)?;
        let mut source = vec![usize::MAX; self.order];
        for (slot, &g) in flat.iter().enumerate() {
            if source[g as usize] != usize::MAX {
                return Err(NnError::InvalidConfig(
                    "the windows overlap: no upsampling".into(),
                ));
            }
            source[g as usize] = slot / self.window;
        }
        if source.contains(&usize::MAX) {
            return Err(NnError::InvalidConfig(
                "the windows do not cover G: no upsampling".into(),
            ));
        }
        Ok(SubgroupUpsample {
            source: index_tensor(&source, self.windows.device())?,
            points: self.members.len(),
        })
    }
}

impl Module for SubgroupPool {
    fn forward(&self, xs: &Tensor) -> Tensor {
        self.f_forward(xs).expect("SubgroupPool forward")
    }
}

impl ExportDense for SubgroupPool {
    fn export_dense(&self) -> Result<Tensor> {
        if self.mode == PoolMode::Max && self.window > 1 {
            return Err(not_linear());
        }
        linear_map_matrix(1, self.order, Kind::Double, self.windows.device(), |x| {
            self.f_forward(x)
        })
    }
}

/// Nearest-neighbour upsampling `H → G`, `(Uy)(h·w) = y(h)`: `|W|` times the transpose of the
/// average [`SubgroupPool`]. Equivariant under `H`. Built by [`SubgroupPool::upsample`].
///
/// # Shapes
/// `(B, C, |H|)` → `(B, C, n)`.
#[derive(Debug)]
pub struct SubgroupUpsample {
    source: Tensor,
    points: usize,
}

impl SubgroupUpsample {
    /// The forward pass with errors reported.
    ///
    /// # Errors
    /// [`NnError::Torch`] when the last axis is not of length `|H|`.
    pub fn f_forward(&self, xs: &Tensor) -> Result<Tensor> {
        Ok(xs.f_index_select(-1, &self.source)?)
    }
}

impl Module for SubgroupUpsample {
    fn forward(&self, xs: &Tensor) -> Tensor {
        self.f_forward(xs).expect("SubgroupUpsample forward")
    }
}

impl ExportDense for SubgroupUpsample {
    fn export_dense(&self) -> Result<Tensor> {
        linear_map_matrix(1, self.points, Kind::Double, self.source.device(), |x| {
            self.f_forward(x)
        })
    }
}
