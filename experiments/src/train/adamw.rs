//! AdamW (Loshchilov & Hutter) over a var store's trainable variables, with its state kept as
//! named tensors so checkpoints can hold it and `--resume` continues exactly.
//!
//! tch's `nn::Optimizer` wraps libtorch's C++ optimiser and exposes neither its moments nor its
//! step counts, so a resumed run would restart AdamW's running averages. This is the same
//! update as libtorch's `torch::optim::AdamW` (and PyTorch's single-tensor AdamW), for each
//! variable `p` with gradient `g` at its step `t`:
//!
//! ```text
//! p ← p·(1 − lr·λ)
//! m ← β₁·m + (1 − β₁)·g
//! v ← β₂·v + (1 − β₂)·g²
//! p ← p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
//! ```
//!
//! Variables without a gradient are left alone (their step count does not advance).
use super::{Result, TrainError};
use std::collections::HashMap;
use tch::nn::VarStore;
use tch::{Kind, Tensor};

/// Prefix of the optimiser's tensors in a checkpoint (`optimizer/exp_avg/<variable>`,
/// `optimizer/exp_avg_sq/<variable>`, `optimizer/step/<variable>`).
pub const PREFIX: &str = "optimizer/";

/// One variable's state.
#[derive(Debug)]
struct Slot {
    name: String,
    param: Tensor,
    exp_avg: Tensor,
    exp_avg_sq: Tensor,
    step: i64,
}

/// AdamW with PyTorch's default `β₁ = 0.9`, `β₂ = 0.999`, `ε = 1e-8`.
///
/// # Example
/// ```
/// use gm_experiments::train::adamw::AdamW;
/// use tch::{nn::VarStore, Device, Tensor};
/// let vs = VarStore::new(Device::Cpu);
/// let x = vs.root().zeros("x", &[1]);
/// let mut opt = AdamW::new(&vs, 0.1, 0.0);
/// for _ in 0..100 {
///     opt.zero_grad();
///     (&x - 3.0).square().sum(tch::Kind::Float).backward();
///     opt.step().unwrap();
/// }
/// assert!((x.double_value(&[0]) - 3.0).abs() < 0.1);
/// ```
#[derive(Debug)]
pub struct AdamW {
    slots: Vec<Slot>,
    /// Learning rate.
    pub lr: f64,
    /// Decoupled weight decay `λ`.
    pub weight_decay: f64,
    /// `β₁`.
    pub beta1: f64,
    /// `β₂`.
    pub beta2: f64,
    /// `ε`.
    pub eps: f64,
}

impl AdamW {
    /// AdamW over the trainable variables of `vs` (in name order), moments at zero.
    pub fn new(vs: &VarStore, lr: f64, weight_decay: f64) -> Self {
        let mut vars: Vec<(String, Tensor)> = vs
            .variables()
            .into_iter()
            .filter(|(_, t)| t.requires_grad())
            .collect();
        vars.sort_by(|a, b| a.0.cmp(&b.0));
        let slots = vars
            .into_iter()
            .map(|(name, param)| Slot {
                exp_avg: param.zeros_like(),
                exp_avg_sq: param.zeros_like(),
                step: 0,
                name,
                param,
            })
            .collect();
        Self {
            slots,
            lr,
            weight_decay,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
        }
    }

    /// Sets the learning rate.
    pub fn set_lr(&mut self, lr: f64) {
        self.lr = lr;
    }

    /// The optimised variables.
    pub fn variables(&self) -> Vec<Tensor> {
        self.slots.iter().map(|s| s.param.shallow_clone()).collect()
    }

    /// Zeroes every variable's gradient.
    pub fn zero_grad(&mut self) {
        for s in &self.slots {
            let mut g = s.param.grad();
            if g.defined() {
                let _ = g.detach_().zero_();
            }
        }
    }

    /// One AdamW step with the current gradients.
    ///
    /// # Errors
    /// libtorch errors.
    pub fn step(&mut self) -> Result<()> {
        let (lr, wd, b1, b2, eps) = (self.lr, self.weight_decay, self.beta1, self.beta2, self.eps);
        tch::no_grad(|| {
            for s in &mut self.slots {
                let g = s.param.grad();
                if !g.defined() {
                    continue;
                }
                s.step += 1;
                let t = s.step as i32;
                if wd != 0.0 {
                    let _ = s.param.f_mul_scalar_(1.0 - lr * wd)?;
                }
                let c1 = 1.0 - b1.powi(t);
                let c2 = 1.0 - b2.powi(t);
                // Fused forms (fewer kernels per parameter on a GPU):
                // m ← m + (1−β₁)(g − m), v ← β₂v + (1−β₂)g², p ← p − (lr/c₁)·m/(√v/√c₂ + ε).
                let _ = s.exp_avg.f_lerp_(&g, 1.0 - b1)?;
                let _ = s.exp_avg_sq.f_mul_scalar_(b2)?;
                let _ = s.exp_avg_sq.f_addcmul_(&g.f_mul_scalar(1.0 - b2)?, &g)?;
                let mut denom = s.exp_avg_sq.f_sqrt()?;
                let _ = denom.f_div_scalar_(c2.sqrt())?.f_add_scalar_(eps)?;
                let _ = s
                    .param
                    .f_addcdiv_(&s.exp_avg.f_mul_scalar(-lr / c1)?, &denom)?;
            }
            Ok(())
        })
    }

    /// The state as named tensors (moments, and step counts as `i64` scalars), names
    /// starting with [`PREFIX`].
    pub fn state_tensors(&self) -> Vec<(String, Tensor)> {
        let mut out = Vec::with_capacity(3 * self.slots.len());
        for s in &self.slots {
            out.push((
                format!("{PREFIX}exp_avg/{}", s.name),
                s.exp_avg.shallow_clone(),
            ));
            out.push((
                format!("{PREFIX}exp_avg_sq/{}", s.name),
                s.exp_avg_sq.shallow_clone(),
            ));
            out.push((format!("{PREFIX}step/{}", s.name), Tensor::from(s.step)));
        }
        out
    }

    /// Restores the state from `named` (e.g. a checkpoint read with
    /// `Tensor::read_safetensors`). Returns `false`, changing nothing, when `named` holds no
    /// optimiser tensor at all (a weights-only file, e.g. a checkpoint of an older version:
    /// training then continues with fresh moments).
    ///
    /// # Errors
    /// [`TrainError::Invalid`] when some variable's state is missing or of the wrong shape;
    /// libtorch errors.
    pub fn load_state(&mut self, named: &HashMap<String, Tensor>) -> Result<bool> {
        if !named.keys().any(|k| k.starts_with(PREFIX)) {
            return Ok(false);
        }
        let get = |what: &str, name: &str| {
            let key = format!("{PREFIX}{what}/{name}");
            named.get(&key).ok_or_else(|| {
                TrainError::Invalid(format!("the checkpoint has no optimiser state `{key}`"))
            })
        };
        tch::no_grad(|| {
            for s in &mut self.slots {
                for (what, dst) in [
                    ("exp_avg", &mut s.exp_avg),
                    ("exp_avg_sq", &mut s.exp_avg_sq),
                ] {
                    let src = get(what, &s.name)?;
                    if src.size() != dst.size() {
                        return Err(TrainError::Invalid(format!(
                            "optimiser state `{what}/{}` has shape {:?}, the variable {:?}",
                            s.name,
                            src.size(),
                            dst.size()
                        )));
                    }
                    dst.f_copy_(src)?;
                }
                s.step = get("step", &s.name)?
                    .f_to_kind(Kind::Int64)?
                    .f_int64_value(&[])?;
            }
            Ok(true)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tch::nn::{Module, OptimizerConfig};
    use tch::Device;

    fn problem(vs: &VarStore) -> impl Module {
        tch::nn::linear(vs.root() / "l", 5, 3, Default::default())
    }

    /// A deterministic batch per step (no global generator: tests run in parallel).
    fn loss(m: &impl Module, step: i64) -> Tensor {
        let x = (Tensor::arange(40, tch::kind::FLOAT_CPU) * (0.37 * (step + 1) as f64))
            .sin()
            .view([8, 5]);
        m.forward(&x).tanh().square().mean(Kind::Float)
    }

    #[test]
    fn matches_libtorch_adamw() {
        let (vs1, mut vs2) = (VarStore::new(Device::Cpu), VarStore::new(Device::Cpu));
        let (m1, m2) = (problem(&vs1), problem(&vs2));
        vs2.copy(&vs1).unwrap();
        let mut ours = AdamW::new(&vs1, 1e-2, 0.05);
        let mut theirs = tch::nn::AdamW::default()
            .wd(0.05)
            .build(&vs2, 1e-2)
            .unwrap();
        for step in 0..20 {
            ours.zero_grad();
            loss(&m1, step).backward();
            ours.step().unwrap();
            theirs.zero_grad();
            loss(&m2, step).backward();
            theirs.step();
        }
        let (a, b) = (vs1.variables(), vs2.variables());
        for (name, t) in &a {
            let d = (t - &b[name]).abs().max().double_value(&[]);
            assert!(d < 1e-6, "{name}: {d}");
        }
    }

    #[test]
    fn state_round_trips() {
        let vs = VarStore::new(Device::Cpu);
        let m = problem(&vs);
        let mut opt = AdamW::new(&vs, 1e-2, 0.0);
        for step in 0..3 {
            opt.zero_grad();
            loss(&m, step).backward();
            opt.step().unwrap();
        }
        let named: HashMap<String, Tensor> = opt.state_tensors().into_iter().collect();
        assert_eq!(named.len(), 6);
        let mut fresh = AdamW::new(&vs, 1e-2, 0.0);
        assert!(fresh.load_state(&named).unwrap());
        assert_eq!(fresh.slots[0].step, 3);
        for (a, b) in opt.slots.iter().zip(&fresh.slots) {
            assert!(a.exp_avg.equal(&b.exp_avg) && a.exp_avg_sq.equal(&b.exp_avg_sq));
        }
        assert!(!AdamW::new(&vs, 1e-2, 0.0)
            .load_state(&HashMap::new())
            .unwrap());
        let partial: HashMap<String, Tensor> = named
            .iter()
            .filter(|(k, _)| !k.starts_with("optimizer/exp_avg_sq/"))
            .map(|(k, v)| (k.clone(), v.shallow_clone()))
            .collect();
        let e = AdamW::new(&vs, 1e-2, 0.0).load_state(&partial);
        assert!(e.unwrap_err().to_string().contains("optimizer/exp_avg_sq/"));
    }
}
