//! Test helpers, public so integration tests and downstream crates can use them:
//! group actions on tensors and [`assert_equivariant`].

use crate::lowering::index_tensor;
use crate::{NnError, Result};
use gm_algebra::FiniteGroup;
use tch::{Device, Kind, Tensor};

/// A group element acting on functions stored along a tensor's last axis, as a permutation:
/// `(u·x)[..., a] = x[..., perm[a]]`.
#[derive(Debug)]
pub struct Action {
    perm: Tensor,
}

impl Clone for Action {
    /// Shares the (immutable) permutation tensor.
    fn clone(&self) -> Self {
        Self {
            perm: self.perm.shallow_clone(),
        }
    }
}

impl Action {
    /// The left-regular action `(λ(u)x)(g) = x(u⁻¹g)` on functions on `G`.
    ///
    /// # Errors
    /// [`NnError::Algebra`] when `u ≥ n`.
    pub fn regular<G: FiniteGroup + ?Sized>(group: &G, u: usize, device: Device) -> Result<Self> {
        Ok(Self {
            perm: crate::lowering::left_action(group, u, device)?,
        })
    }

    /// The trivial action on `points` values: `u·x = x` (the output side of an invariance
    /// check, e.g. a classifier's logits).
    ///
    /// # Errors
    /// [`NnError::Torch`] from the copy to `device`.
    pub fn trivial(points: usize, device: Device) -> Result<Self> {
        let perm: Vec<usize> = (0..points).collect();
        Ok(Self {
            perm: index_tensor(&perm, device)?,
        })
    }

    /// The action `(λ_X(u)φ)(x) = φ(u⁻¹·x)` on functions on the cosets `G/H`, given the
    /// coset label `labels[g]` of every element (labels `0..|X|`).
    ///
    /// # Errors
    /// [`NnError::ShapeMismatch`] when `labels.len() ≠ n`.
    pub fn on_cosets<G: FiniteGroup + ?Sized>(
        group: &G,
        labels: &[usize],
        u: usize,
        device: Device,
    ) -> Result<Self> {
        let n = group.order();
        if labels.len() != n {
            return Err(NnError::ShapeMismatch {
                what: "coset labels".into(),
                expected: n as i64,
                got: labels.len() as i64,
            });
        }
        let points = labels.iter().max().map_or(0, |m| m + 1);
        let mut rep = vec![usize::MAX; points];
        for (g, &x) in labels.iter().enumerate().rev() {
            rep[x] = g;
        }
        let ui = group.inv_idx(u);
        let perm: Vec<usize> = rep.iter().map(|&g| labels[group.mul_idx(ui, g)]).collect();
        Ok(Self {
            perm: index_tensor(&perm, device)?,
        })
    }

    /// The left-regular action of `u ∈ H` on functions on a subgroup `H`, stored in the order
    /// of `members`: `(λ(u)y)(h_j) = y(u⁻¹h_j)`.
    ///
    /// # Errors
    /// [`NnError::InvalidConfig`] when `u ∉ H` or `members` is not closed under `u⁻¹·`.
    pub fn on_subgroup<G: FiniteGroup + ?Sized>(
        group: &G,
        members: &[usize],
        u: usize,
        device: Device,
    ) -> Result<Self> {
        let mut position = vec![usize::MAX; group.order()];
        for (j, &h) in members.iter().enumerate() {
            position[h] = j;
        }
        let ui = group.inv_idx(u);
        let perm = members
            .iter()
            .map(|&h| match position[group.mul_idx(ui, h)] {
                usize::MAX => Err(NnError::InvalidConfig(format!(
                    "element {} does not act on the subgroup",
                    group.label(u)
                ))),
                j => Ok(j),
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Self {
            perm: index_tensor(&perm, device)?,
        })
    }

    /// `u·x` for `x` holding functions along its last axis.
    ///
    /// # Errors
    /// [`NnError::Torch`] when the last axis has the wrong length.
    pub fn apply(&self, x: &Tensor) -> Result<Tensor> {
        Ok(x.f_index_select(-1, &self.perm)?)
    }
}

/// The equivariance error of `f` at `x`: the largest `‖f(u·x) − u·f(x)‖_∞ / ‖f(x)‖_∞` over
/// the pairs `(input action, output action)` of `actions` (typically one per generator,
/// which suffices for equivariance under the whole group).
///
/// # Errors
/// Whatever `f` or the actions return.
pub fn equivariance_error(
    f: impl Fn(&Tensor) -> Result<Tensor>,
    x: &Tensor,
    actions: &[(Action, Action)],
) -> Result<f64> {
    tch::no_grad(|| {
        let fx = f(x)?;
        let scale = fx
            .f_abs()?
            .f_max()?
            .f_double_value(&[])?
            .max(f64::MIN_POSITIVE);
        let mut worst = 0f64;
        for (input, output) in actions {
            let lhs = f(&input.apply(x)?)?;
            let rhs = output.apply(&fx)?;
            let err = lhs.f_sub(&rhs)?.f_abs()?.f_max()?.f_double_value(&[])?;
            worst = worst.max(err / scale);
        }
        Ok(worst)
    })
}

/// The actions of the generators of `group` on functions on `G`, on input and output alike
/// (what a `G → G` layer must commute with).
///
/// # Errors
/// [`NnError::Torch`] from libtorch.
pub fn regular_actions<G: FiniteGroup + ?Sized>(
    group: &G,
    device: Device,
) -> Result<Vec<(Action, Action)>> {
    group
        .generator_indices()
        .into_iter()
        .map(|u| {
            Ok((
                Action::regular(group, u, device)?,
                Action::regular(group, u, device)?,
            ))
        })
        .collect()
}

/// Asserts that `f` is equivariant at `x` (relative error at most `tol`) under `actions`.
///
/// # Panics
/// When the error exceeds `tol`, or `f` fails.
///
/// # Example
/// ```
/// use gm_algebra::group::Cyclic;
/// use gm_nn::testing::{assert_equivariant, regular_actions};
/// use tch::{Device, Kind, Tensor};
/// let z6 = Cyclic::new(6).unwrap();
/// let x = Tensor::randn([2, 3, 6], (Kind::Double, Device::Cpu));
/// // Any pointwise map commutes with permutations.
/// assert_equivariant(|x| Ok(x.relu()), &x, &regular_actions(&z6, Device::Cpu).unwrap(), 1e-12);
/// ```
#[track_caller]
pub fn assert_equivariant(
    f: impl Fn(&Tensor) -> Result<Tensor>,
    x: &Tensor,
    actions: &[(Action, Action)],
    tol: f64,
) {
    let err = equivariance_error(f, x, actions).expect("layer failed");
    assert!(err <= tol, "equivariance error {err:.3e} exceeds {tol:.1e}");
}

/// A seeded random tensor (for reproducible tests).
pub fn seeded_randn(seed: i64, shape: &[i64], kind: Kind) -> Tensor {
    tch::manual_seed(seed);
    Tensor::randn(shape, (kind, Device::Cpu))
}

/// The Python with PyTorch that cross-framework tests run: `GM_TORCH_PYTHON` (exported by
/// `scripts/setup-libtorch.sh`), else `<venv>/bin/python` for the libtorch of
/// `LIBTORCH = <venv>/lib/pythonX.Y/site-packages/torch`.
///
/// # Errors
/// A message saying how to provide one, when neither is set.
pub fn torch_python() -> std::result::Result<std::path::PathBuf, String> {
    use std::path::PathBuf;
    if let Some(p) = std::env::var_os("GM_TORCH_PYTHON") {
        return Ok(PathBuf::from(p));
    }
    let libtorch = std::env::var_os("LIBTORCH").map(PathBuf::from);
    let beside = libtorch
        .as_deref()
        .and_then(|t| t.ancestors().nth(4))
        .map(|venv| venv.join("bin").join("python"));
    match beside {
        Some(p) if p.exists() => Ok(p),
        _ => Err("no Python with PyTorch for the cross-framework check: run \
                  `eval \"$(scripts/setup-libtorch.sh)\"` (it exports GM_TORCH_PYTHON) or set \
                  GM_TORCH_PYTHON to a python that imports torch"
            .into()),
    }
}

/// Runs the Python script `script` with `args` under [`torch_python`] and returns what it
/// printed on stdout.
///
/// # Errors
/// No Python with PyTorch, a script that cannot start, or one that fails (with its stderr).
pub fn run_torch_script<S: AsRef<std::ffi::OsStr>>(
    script: &std::path::Path,
    args: &[S],
) -> std::result::Result<Vec<u8>, String> {
    let out = std::process::Command::new(torch_python()?)
        .arg(script)
        .args(args)
        .output()
        .map_err(|e| format!("the Python of the libtorch cache does not start: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{} failed: {}",
            script.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(out.stdout)
}
