//! The relaxed translation-equivariant network of Wang, Walters & Yu (ICML 2022,
//! `models/model_translation.py`, `Relaxed_ConvNet`): their RGroup on the translation group.

use super::relaxed_rotation::{conv2d_padded, Padding};
use super::{FieldNet, FieldNetConfig};
use crate::precision::param_like;
use crate::{NnError, Result};
use tch::nn::{Init, ModuleT, Path};
use tch::{Kind, Tensor};

/// One relaxed translation convolution: `L` filter banks `W_r` (each a `k × k` convolution with
/// a bias) mixed by weights that depend on the pixel,
///
/// ```text
/// y(b, o, p) = Σ_r w(p, r) · (W_r ⋆ x + β_r)(b, o, p).
/// ```
///
/// With circular padding each `W_r ⋆ ·` is a group matrix on `Z_H × Z_W` and the layer is
/// `Σ_r diag(w_r) M_r`, a relaxed group matrix of the kind `RelaxedGMConv` learns; when `w`
/// does not depend on `p` it is one group matrix and commutes with translations. The
/// reference pads with zeros and starts at `w = 1/L`.
#[derive(Debug)]
struct RelaxedTranslationConv {
    weight: Tensor,
    bias: Tensor,
    combination: Tensor,
}

impl RelaxedTranslationConv {
    fn new(vs: &Path, (cin, cout): (i64, i64), config: &FieldNetConfig) -> Self {
        let (banks, k) = (config.banks as i64, config.kernel_size as i64);
        // PyTorch's Conv2d initialisation: weight and bias U(±1/√(C·k²)).
        let bound = 1.0 / ((cin * k * k) as f64).sqrt();
        let uniform = Init::Uniform {
            lo: -bound,
            up: bound,
        };
        Self {
            weight: vs.var("weight", &[banks, cout, cin, k, k], uniform),
            bias: vs.var("bias", &[banks, cout], uniform),
            combination: vs.var(
                "combination_weights",
                &[config.height as i64, config.width as i64, banks],
                Init::Const(1.0 / banks as f64),
            ),
        }
    }

    fn f_forward(&self, x: &Tensor, padding: Padding) -> Result<Tensor> {
        let size = self.weight.size();
        let (banks, cout, cin, k) = (size[0], size[1], size[2], size[3]);
        let weight = param_like(&self.weight, x)?.f_reshape([banks * cout, cin, k, k])?;
        let bias = param_like(&self.bias, x)?.f_reshape([banks * cout])?;
        let y = conv2d_padded(x, &weight, Some(&bias), padding)?;
        let size = y.size();
        let y = y.f_view([size[0], banks, cout, size[2], size[3]])?;
        let w = param_like(&self.combination, x)?;
        Ok(Tensor::f_einsum("ijr,broij->boij", &[w, y], None::<i64>)?)
    }
}

/// `Relaxed_ConvNet`: `layers` relaxed translation convolutions (width `hidden`, `banks`
/// filter banks, `k × k` kernels), ReLU between them, from `2·in_frames` to
/// `2·out_frames` channels. Its soft constraint ([`FieldNet::penalty`]) is the reference's
/// `alpha · (mean |w(i+1, j) − w(i, j)| + mean |w(i, j+1) − w(i, j)|)` over the combination
/// weights of all layers: a smoothness prior on how the mixing varies across the grid.
///
/// Parameters per layer `c_in → c_out`: `L·(c_out·c_in·k² + c_out) + H·W·L`; 977,412 at the
/// reference's translation sizes (`run.sh`: width 128, 5 layers, 2 banks, 64 × 64, 10 → 1
/// frames).
///
/// Parameter paths: `layers/<l>/weight|bias|combination_weights`.
///
/// # Shapes
/// `(B, 2·in_frames, H, W)` → `(B, 2·out_frames, H, W)`.
///
/// # Example
/// ```
/// use gm_nn::model::{parameter_count, FieldNetConfig, RelaxedConvNet};
/// use tch::{nn::{ModuleT, VarStore}, Device, Kind, Tensor};
/// let config = FieldNetConfig {
///     in_frames: 2, out_frames: 1, hidden: 3, layers: 2, kernel_size: 3,
///     height: 6, width: 6, banks: 2, alpha: 0.0,
/// };
/// let vs = VarStore::new(Device::Cpu);
/// let model = RelaxedConvNet::new(&vs.root(), &config).unwrap();
/// assert_eq!(parameter_count(&vs), 2 * (3 * 4 * 9 + 3) + 2 * (2 * 3 * 9 + 2) + 2 * 36 * 2);
/// let y = model.forward_t(&Tensor::randn([2, 4, 6, 6], (Kind::Float, Device::Cpu)), false);
/// assert_eq!(y.size(), vec![2, 2, 6, 6]);
/// ```
#[derive(Debug)]
pub struct RelaxedConvNet {
    layers: Vec<RelaxedTranslationConv>,
    alpha: f64,
    padding: Padding,
}

impl RelaxedConvNet {
    /// The reference's network (zero padding) under `vs`.
    ///
    /// # Errors
    /// [`NnError::InvalidConfig`] for fewer than 2 layers, no filter bank, an even kernel, an
    /// empty size or a grid side below 2.
    pub fn new(vs: &Path, config: &FieldNetConfig) -> Result<Self> {
        Self::with_padding(vs, config, Padding::Zeros)
    }

    /// The network with the given padding (`Circular`: every layer a relaxed group matrix on
    /// the torus `Z_H × Z_W`).
    ///
    /// # Errors
    /// As [`RelaxedConvNet::new`].
    pub fn with_padding(vs: &Path, config: &FieldNetConfig, padding: Padding) -> Result<Self> {
        let c = config;
        if c.layers < 2
            || c.banks == 0
            || c.kernel_size.is_multiple_of(2)
            || [c.in_frames, c.out_frames, c.hidden].contains(&0)
            || c.height < 2
            || c.width < 2
        {
            return Err(NnError::InvalidConfig(format!(
                "RelaxedConvNet needs at least 2 layers, 1 filter bank, an odd kernel, \
                 non-empty sizes and a grid of at least 2×2, got {} layers, {} banks, kernel \
                 {}, width {}, {} → {} frames on {}×{}",
                c.layers,
                c.banks,
                c.kernel_size,
                c.hidden,
                c.in_frames,
                c.out_frames,
                c.height,
                c.width
            )));
        }
        let h = c.hidden as i64;
        let layers = (0..c.layers)
            .map(|l| {
                let cin = if l == 0 { 2 * c.in_frames as i64 } else { h };
                let cout = if l + 1 == c.layers {
                    2 * c.out_frames as i64
                } else {
                    h
                };
                RelaxedTranslationConv::new(&(vs / "layers" / l), (cin, cout), c)
            })
            .collect();
        Ok(Self {
            layers,
            alpha: c.alpha,
            padding,
        })
    }

    /// The forward pass.
    ///
    /// # Errors
    /// [`NnError::Torch`] on a shape mismatch (channels, or a grid other than the configured
    /// one).
    pub fn f_forward(&self, xs: &Tensor) -> Result<Tensor> {
        let mut x = xs.shallow_clone();
        for (l, layer) in self.layers.iter().enumerate() {
            x = layer.f_forward(&x, self.padding)?;
            if l + 1 < self.layers.len() {
                x = x.f_relu()?;
            }
        }
        Ok(x)
    }

    /// The soft constraint, weighted by `alpha` (see the type's docs).
    ///
    /// # Errors
    /// [`NnError::Torch`] from libtorch.
    pub fn f_penalty(&self) -> Result<Tensor> {
        let stacked: Vec<Tensor> = self
            .layers
            .iter()
            .map(|l| l.combination.f_unsqueeze(-1))
            .collect::<std::result::Result<_, _>>()?;
        let w = Tensor::f_cat(&stacked, -1)?;
        let (h, wd) = (w.size()[0], w.size()[1]);
        let down = w.f_narrow(0, 1, h - 1)?.f_sub(&w.f_narrow(0, 0, h - 1)?)?;
        let across = w
            .f_narrow(1, 1, wd - 1)?
            .f_sub(&w.f_narrow(1, 0, wd - 1)?)?;
        let mean_abs = |d: Tensor| d.f_abs()?.f_mean(Kind::Float);
        Ok(mean_abs(down)?
            .f_add(&mean_abs(across)?)?
            .f_mul_scalar(self.alpha)?)
    }
}

impl ModuleT for RelaxedConvNet {
    fn forward_t(&self, xs: &Tensor, _train: bool) -> Tensor {
        self.f_forward(xs).expect("RelaxedConvNet forward")
    }
}

impl FieldNet for RelaxedConvNet {
    fn penalty(&self) -> Option<Tensor> {
        Some(self.f_penalty().expect("RelaxedConvNet penalty"))
    }
}
