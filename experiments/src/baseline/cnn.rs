//! The CNN baseline: a standard conv–pool stack trained like the GM models.
//!
//! `blocks` × (3×3 convolution, zero padding, `channels` maps → batch normalisation → ReLU →
//! 2×2 max pooling while the side is at least 4), then a global max over positions, dropout
//! and a linear classifier. The global max makes it invariant to translations up to borders
//! and pooling, like the GM network's max over the group.
use gm_nn::precision::{linear, param_like};
use tch::nn::{self, ModuleT};
use tch::Tensor;

/// The CNN baseline (see the module docs).
///
/// # Shapes
/// Input `[B, C, H, W]`, output `[B, classes]` logits.
///
/// # Example
/// ```
/// use tch::nn::ModuleT;
/// let vs = tch::nn::VarStore::new(tch::Device::Cpu);
/// let cnn = gm_experiments::baseline::PlainCnn::new(&vs.root(), 1, 8, 2, 0.0, 10);
/// let y = cnn.forward_t(&tch::Tensor::zeros([2, 1, 12, 12], tch::kind::FLOAT_CPU), false);
/// assert_eq!(y.size(), vec![2, 10]);
/// ```
#[derive(Debug)]
pub struct PlainCnn {
    convs: Vec<nn::Conv2D>,
    norms: Vec<nn::BatchNorm>,
    head: nn::Linear,
    dropout: f64,
}

impl PlainCnn {
    /// A CNN on `in_channels` inputs with `blocks` layers of `channels` maps (3×3 kernels,
    /// stride 1, zero padding 1, each followed by batch normalisation with learned scale and
    /// shift).
    pub fn new(
        p: &nn::Path,
        in_channels: usize,
        channels: usize,
        blocks: usize,
        dropout: f64,
        classes: usize,
    ) -> Self {
        let cfg = nn::ConvConfig {
            padding: 1,
            ..Default::default()
        };
        let convs = (0..blocks.max(1))
            .map(|k| {
                let cin = if k == 0 { in_channels } else { channels };
                nn::conv2d(p / format!("conv{k}"), cin as i64, channels as i64, 3, cfg)
            })
            .collect();
        let norms = (0..blocks.max(1))
            .map(|k| nn::batch_norm2d(p / format!("norm{k}"), channels as i64, Default::default()))
            .collect();
        let head = nn::linear(
            p / "head",
            channels as i64,
            classes as i64,
            Default::default(),
        );
        Self {
            convs,
            norms,
            head,
            dropout,
        }
    }
}

impl PlainCnn {
    /// The forward pass with errors reported; it computes in the dtype of `xs` (fp32 weights
    /// cast on use, see `gm_nn::precision`; batch normalisation keeps its fp32 parameters and
    /// statistics, which libtorch accepts for reduced-precision inputs).
    ///
    /// # Errors
    /// libtorch errors on a shape mismatch.
    pub fn f_forward_t(&self, xs: &Tensor, train: bool) -> gm_nn::Result<Tensor> {
        let mut h = xs.shallow_clone();
        for (c, norm) in self.convs.iter().zip(&self.norms) {
            let bias = c.bs.as_ref().map(|b| param_like(b, &h)).transpose()?;
            h = h
                .f_conv2d(
                    &param_like(&c.ws, &h)?,
                    bias.as_ref(),
                    [1, 1],
                    [1, 1],
                    [1, 1],
                    1,
                )?
                .f_batch_norm(
                    norm.ws.as_ref(),
                    norm.bs.as_ref(),
                    Some(&norm.running_mean),
                    Some(&norm.running_var),
                    train,
                    0.1,
                    1e-5,
                    true,
                )?
                .f_relu()?;
            if h.size()[2] >= 4 && h.size()[3] >= 4 {
                h = h.f_max_pool2d([2, 2], [2, 2], [0, 0], [1, 1], false)?;
            }
        }
        linear(
            &self.head,
            &h.f_amax([-2, -1], false)?.f_dropout(self.dropout, train)?,
        )
    }
}

impl ModuleT for PlainCnn {
    fn forward_t(&self, xs: &Tensor, train: bool) -> Tensor {
        self.f_forward_t(xs, train).expect("PlainCnn forward")
    }
}
