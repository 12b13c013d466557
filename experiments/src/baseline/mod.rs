//! The non-GM baselines a comparison needs, trained by the same code as the GM models: a
//! standard CNN ([`PlainCnn`]) and a multilayer perceptron ([`Mlp`]). The structured-matrix
//! baselines are `gm_nn::model::StructuredMlp`.
mod cnn;
mod mlp;

pub use cnn::PlainCnn;
pub use mlp::Mlp;
