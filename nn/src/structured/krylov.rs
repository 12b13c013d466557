//! Krylov products on the torch side, shared by the LDR families (all differentiable).
//!
//! Conventions: generators are stored as rows, `G`, `H` of shape `(r, n)`; a batch `x` is
//! `(B, n)`; `K(A, v) = [v, Av, …, A^{n−1}v]`.

use crate::precision::param_like;
use crate::Result;
use tch::Tensor;

/// The length-`2n` kernels `[v, f·v]` of the rows of `v` (`(r, n)` → `(r, 2n)`): the
/// Krylov matrix of the shift `Z_f` is `K(Z_f, v)[j,k] = c[(j − k) mod 2n]` with `c = [v, f·v]`
/// for `0 ≤ j, k < n`, so its products are circular convolutions of length `2n`.
fn shift_kernel(v: &Tensor, f: f64) -> Result<Tensor> {
    Ok(Tensor::f_cat(&[v.shallow_clone(), v.f_mul_scalar(f)?], -1)?)
}

/// `(K(Z_f, h_i)ᵀ x_b)_k = Σ_j c_i[(j − k) mod 2n] x_b[j]` for every row `h_i` of `h`
/// (`(r, n)`) and `x_b` of `x` (`(B, n)`): a circular correlation of length `2n` by real FFTs,
/// `O(B r n log n)`. Returns `(B, r, n)`.
pub(super) fn shift_krylov_transpose(h: &Tensor, x: &Tensor, f: f64) -> Result<Tensor> {
    let n = x.size()[x.dim() - 1];
    let h = param_like(h, x)?;
    let xf = x.f_fft_rfft(2 * n, -1, "backward")?;
    let cf = shift_kernel(&h, f)?.f_fft_rfft(2 * n, -1, "backward")?;
    let prod = xf.f_unsqueeze(1)?.f_mul(&cf.f_conj()?.f_unsqueeze(0)?)?;
    Ok(prod
        .f_fft_irfft(2 * n, -1, "backward")?
        .f_narrow(-1, 0, n)?)
}

/// `Σ_i K(Z_f, g_i) w_{b,i}` for the rows `g_i` of `g` (`(r, n)`) and `w` of shape
/// `(B, r, n)`: circular convolutions of length `2n` summed over `i` in the frequency domain,
/// `O(B r n log n)`. Returns `(B, n)`.
pub(super) fn shift_krylov(g: &Tensor, w: &Tensor, f: f64) -> Result<Tensor> {
    let n = w.size()[w.dim() - 1];
    let g = param_like(g, w)?;
    let wf = w.f_fft_rfft(2 * n, -1, "backward")?;
    let cf = shift_kernel(&g, f)?.f_fft_rfft(2 * n, -1, "backward")?;
    let sum = wf
        .f_mul(&cf.f_unsqueeze(0)?)?
        .f_sum_dim_intlist(1i64, false, None)?;
    Ok(sum.f_fft_irfft(2 * n, -1, "backward")?.f_narrow(-1, 0, n)?)
}

/// `y_b = Σ_i K_A,i (K_B,iᵀ x_b)` from explicit Krylov matrices `ka`, `kb` of shape
/// `(r, n, n)` (column `k` of `ka[i]` is `A^k g_i`), `O(B r n²)`. Returns `(B, n)`.
pub(super) fn krylov_product(ka: &Tensor, kb: &Tensor, x: &Tensor) -> Result<Tensor> {
    let ka = param_like(ka, x)?;
    let kb = param_like(kb, x)?;
    // (r, B, n): t[i, b, k] = Σ_j x[b, j] K_B[i, j, k].
    let t = x.f_matmul(&kb)?;
    let y = t.f_matmul(&ka.f_transpose(1, 2)?)?;
    Ok(y.f_sum_dim_intlist(0i64, false, None)?)
}

/// The Krylov matrices `K(A, v_i)` (`(r, n, n)`) of the rows of `v` (`(r, n)`) by `n − 1`
/// sequential applications of `apply` (a map `(r, n) → (r, n)`).
pub(super) fn krylov_columns(
    v: &Tensor,
    apply: impl Fn(&Tensor) -> Result<Tensor>,
) -> Result<Tensor> {
    let n = v.size()[1];
    let mut cols = Vec::with_capacity(n as usize);
    cols.push(v.shallow_clone());
    for _ in 1..n {
        let next = apply(cols.last().expect("nonempty"))?;
        cols.push(next);
    }
    Ok(Tensor::f_stack(&cols, -1)?)
}
