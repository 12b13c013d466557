// The fused GM block on the CPU: `out = PReLU(LayerNorm(GMConv_shared(x))) + r` (the
// classifier's block) or `out = PReLU(e ⊙ GMConv_shared(x) + bias) + r` (the reference
// regression model's, with its position vector e and no layer norm) as one autograd function
// whose forward and backward work one sample at a time in cache.
//
// Per sample `b` (N = O·n, `table` the lowering's (K, n) index table):
//   s[a]   = Σ_i x[b,i,a]                          (shared mode: the channel sum)
//   g[k,a] = s[table[k,a]]                         (the gather)
//   c      = W·g                                   ((O,K)·(K,n), one GEMM)
//   h[o,a] = c[o,a] + bias[o]   or   e[a]·c[o,a] + bias[o]
//   z      = (h − mean(h)) / sqrt(var(h) + eps)    (layer norm over (O, n), no affine; or z = h)
//   out    = (z > 0 ? z : α·z) + r[b]              (the shared PReLU, the residual)
// Saved for backward: z (in x's dtype), s (fp32, B×n), 1/σ per sample (1 without the norm).
// Backward, given dy = ∂L/∂out:
//   dz = dy·(z > 0 ? 1 : α),  dα = Σ dy·z·[z ≤ 0]
//   dh = (dz − mean(dz) − z·mean(dz·z)) / σ        (dh = dz without the norm)
//   dbias += Σ_a dh;  with e: de[a] += Σ_o dh[o,a]·c[o,a] (c recomputed), dc = e ⊙ dh
//   dW += dc·gᵀ,  dg = Wᵀ·dc,  ds[table[k,a]] += dg[k,a]
//   dx = ds broadcast over the input channels,  dr = dy;
//   with the identity residual (r = x, C = O), dx = dy + ds broadcast, written per sample.
// Only x, r and out (forward), dy, z and dx (backward) travel through memory; everything
// else lives in per-thread buffers of one sample. The laws are stated in docs/nn-layers.md
// ("The fused block on the CPU"), and nn/tests/fused_block.rs checks values and gradients
// against the same block composed of libtorch operations.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>
#include <torch/csrc/jit/frontend/tracer.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
// One copy of each loop per instruction set, chosen when the library loads.
#define GM_SIMD __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define GM_SIMD
#endif

namespace {

// Reductions keep LANES independent fp64 partial sums (fp32 terms), so they vectorise and
// lose little to cancellation.
constexpr int64_t LANES = 16;

// ---- elementwise loops on fp32 buffers of one sample ----

GM_SIMD void bf16_to_float(const uint16_t* src, float* dst, int64_t len) {
  for (int64_t i = 0; i < len; ++i) {
    uint32_t bits = static_cast<uint32_t>(src[i]) << 16;
    std::memcpy(&dst[i], &bits, sizeof(float));
  }
}

// Round to nearest even, as libtorch's conversion does (NaN stays NaN).
GM_SIMD void float_to_bf16(const float* src, uint16_t* dst, int64_t len) {
  for (int64_t i = 0; i < len; ++i) {
    uint32_t bits;
    std::memcpy(&bits, &src[i], sizeof(float));
    uint32_t rounded = (bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16;
    dst[i] = std::isnan(src[i]) ? static_cast<uint16_t>(0x7FC0) : static_cast<uint16_t>(rounded);
  }
}

// s[a] = Σ_i x[i·n + a]
GM_SIMD void channel_sum(const float* x, int64_t channels, int64_t n, float* s) {
  for (int64_t a = 0; a < n; ++a) s[a] = x[a];
  for (int64_t i = 1; i < channels; ++i) {
    const float* row = x + i * n;
    for (int64_t a = 0; a < n; ++a) s[a] += row[a];
  }
}

void gather(const float* s, const int64_t* table, int64_t len, float* g) {
  for (int64_t i = 0; i < len; ++i) g[i] = s[table[i]];
}

void scatter_add(const float* dg, const int64_t* table, int64_t len, float* ds) {
  for (int64_t i = 0; i < len; ++i) ds[table[i]] += dg[i];
}

// Adds `shift` to row[0..n) and returns the row's sum (16 fp32 lanes, summed in double).
GM_SIMD double shift_and_sum(float* row, int64_t n, float shift) {
  double lanes[LANES] = {0};
  int64_t a = 0;
  for (; a + LANES <= n; a += LANES)
    for (int64_t l = 0; l < LANES; ++l) {
      row[a + l] += shift;
      lanes[l] += row[a + l];
    }
  double total = 0;
  for (; a < n; ++a) {
    row[a] += shift;
    total += row[a];
  }
  for (int64_t l = 0; l < LANES; ++l) total += lanes[l];
  return total;
}

// Σ (row[a] − mean)² over row[0..n).
GM_SIMD double squared_deviation(const float* row, int64_t n, float mean) {
  double lanes[LANES] = {0};
  int64_t a = 0;
  for (; a + LANES <= n; a += LANES)
    for (int64_t l = 0; l < LANES; ++l) {
      float d = row[a + l] - mean;
      lanes[l] += d * d;
    }
  double total = 0;
  for (; a < n; ++a) {
    double d = row[a] - mean;
    total += d * d;
  }
  for (int64_t l = 0; l < LANES; ++l) total += lanes[l];
  return total;
}

// h ← z = (h − mean)·rstd;  out = (z > 0 ? z : α·z) + r.
GM_SIMD void normalise_activate(float* h, const float* r, float* out, int64_t len, float mean,
                                float rstd, float alpha) {
  for (int64_t i = 0; i < len; ++i) {
    float z = (h[i] - mean) * rstd;
    h[i] = z;
    out[i] = z * (1.0f + static_cast<float>(z <= 0) * (alpha - 1.0f)) + r[i];
  }
}

struct PreluSums {
  double dz = 0, dz_z = 0, dalpha = 0;
};

// dz = dy·(z > 0 ? 1 : α) over one row; the row's Σ dz, Σ dz·z and Σ dy·z·[z ≤ 0].
GM_SIMD PreluSums prelu_backward(const float* z, const float* dy, float* dz, int64_t n,
                                 float alpha) {
  double s1[LANES] = {0}, s2[LANES] = {0}, s3[LANES] = {0};
  PreluSums sums;
  int64_t a = 0;
  for (; a + LANES <= n; a += LANES)
    for (int64_t l = 0; l < LANES; ++l) {
      // Branch-free, so that the loop vectorises: `negative` is 1 where z ≤ 0, else 0.
      float zz = z[a + l], d = dy[a + l];
      float negative = static_cast<float>(zz <= 0);
      float g = d * (1.0f + negative * (alpha - 1.0f));
      dz[a + l] = g;
      s1[l] += g;
      s2[l] += g * zz;
      s3[l] += negative * d * zz;
    }
  for (; a < n; ++a) {
    float zz = z[a], d = dy[a];
    float negative = static_cast<float>(zz <= 0);
    float g = d * (1.0f + negative * (alpha - 1.0f));
    dz[a] = g;
    sums.dz += g;
    sums.dz_z += g * zz;
    sums.dalpha += negative * d * zz;
  }
  for (int64_t l = 0; l < LANES; ++l) {
    sums.dz += s1[l];
    sums.dz_z += s2[l];
    sums.dalpha += s3[l];
  }
  return sums;
}

// dx[i·n + a] = dy[i·n + a] + ds[a] over `rows` rows: the input gradient of a block whose
// residual is its input (the residual's gradient plus the convolution's, broadcast).
GM_SIMD void add_broadcast(const float* dy, const float* ds, int64_t rows, int64_t n, float* dx) {
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t a = 0; a < n; ++a) dx[i * n + a] = dy[i * n + a] + ds[a];
}

// c ← e ⊙ c over one row of n (the position vector's scaling).
GM_SIMD void scale_row(float* c, const float* e, int64_t n) {
  for (int64_t a = 0; a < n; ++a) c[a] *= e[a];
}

// de += dh ⊙ c;  dh ← e ⊙ dh over one row of n (back through the scaling).
GM_SIMD void scale_backward(float* dh, const float* c, const float* e, float* de, int64_t n) {
  for (int64_t a = 0; a < n; ++a) {
    de[a] += dh[a] * c[a];
    dh[a] *= e[a];
  }
}

// dz ← dh = rstd·(dz − m1 − z·m2) over one row; returns the row's Σ dh.
GM_SIMD double norm_backward(const float* z, float* dz, int64_t n, float rstd, float m1,
                             float m2) {
  double lanes[LANES] = {0};
  int64_t a = 0;
  for (; a + LANES <= n; a += LANES)
    for (int64_t l = 0; l < LANES; ++l) {
      float d = rstd * (dz[a + l] - m1 - z[a + l] * m2);
      dz[a + l] = d;
      lanes[l] += d;
    }
  double total = 0;
  for (; a < n; ++a) {
    float d = rstd * (dz[a] - m1 - z[a] * m2);
    dz[a] = d;
    total += d;
  }
  for (int64_t l = 0; l < LANES; ++l) total += lanes[l];
  return total;
}

// ---- one sample's rows in x's dtype, read into or written from fp32 ----

// A view of one sample's `len` values of a float or bf16 tensor as fp32: the data itself
// when the tensor is fp32, else a converted copy in `scratch`.
const float* read_f32(const at::Tensor& t, int64_t offset, int64_t len, std::vector<float>& scratch) {
  if (t.scalar_type() == at::kFloat) return t.const_data_ptr<float>() + offset;
  scratch.resize(len);
  bf16_to_float(reinterpret_cast<const uint16_t*>(t.const_data_ptr<at::BFloat16>()) + offset,
                scratch.data(), len);
  return scratch.data();
}

// Where to write one sample's `len` values of `t` in fp32 (the tensor itself when fp32,
// else `scratch`, to be stored by `store`).
float* write_f32(at::Tensor& t, int64_t offset, int64_t len, std::vector<float>& scratch) {
  if (t.scalar_type() == at::kFloat) return t.mutable_data_ptr<float>() + offset;
  scratch.resize(len);
  return scratch.data();
}

void store(at::Tensor& t, int64_t offset, int64_t len, const float* values) {
  if (t.scalar_type() == at::kFloat) return;  // written in place by write_f32's pointer
  float_to_bf16(values, reinterpret_cast<uint16_t*>(t.mutable_data_ptr<at::BFloat16>()) + offset,
                len);
}

at::Tensor matrix(float* data, int64_t rows, int64_t cols) {
  return at::from_blob(data, {rows, cols}, at::TensorOptions().dtype(at::kFloat));
}

// One thread's products of the block on fp32 buffers of one sample: h = W·g forward,
// dW += dh·gᵀ and dg = Wᵀ·dh backward (W is O×K, g K×n, h and dh O×n). For fp32 activations
// they run in fp32. For bf16 activations the operands are rounded to bf16 and the products
// run as libtorch's bf16 matmuls (fp32 accumulation, bf16 results, read back as fp32): the
// precision the composed block's bf16 matmuls have, at about twice the speed.
class Products {
 public:
  Products(const at::Tensor& w, bool bf16, int64_t out, int64_t taps, int64_t n)
      : bf16_(bf16), out_(out), taps_(taps), n_(n) {
    if (bf16_) {
      w_ = w.to(at::kBFloat16);
      const auto opts = at::TensorOptions().dtype(at::kBFloat16);
      g16_ = at::empty({taps, n}, opts);
      h16_ = at::empty({out, n}, opts);
      dg16_ = at::empty({taps, n}, opts);
    } else {
      w_ = w;
    }
    wt_ = w_.t();
  }

  // h = W·g.
  void forward(float* g, float* h) {
    if (!bf16_) {
      at::Tensor h_t = matrix(h, out_, n_);
      at::mm_out(h_t, w_, matrix(g, taps_, n_));
      return;
    }
    round(g, g16_);
    at::mm_out(h16_, w_, g16_);
    widen(h16_, h);
  }

  // dw += dh·gᵀ; dg = Wᵀ·dh unless dg is null.
  void backward(float* dh, float* g, at::Tensor& dw, float* dg) {
    if (!bf16_) {
      at::Tensor dh_t = matrix(dh, out_, n_);
      dw.addmm_(dh_t, matrix(g, taps_, n_).t());
      if (dg != nullptr) {
        at::Tensor dg_t = matrix(dg, taps_, n_);
        at::mm_out(dg_t, wt_, dh_t);
      }
      return;
    }
    round(dh, h16_);
    round(g, g16_);
    dw.add_(at::mm(h16_, g16_.t()));
    if (dg != nullptr) {
      at::mm_out(dg16_, wt_, h16_);
      widen(dg16_, dg);
    }
  }

 private:
  static void round(const float* src, at::Tensor& dst) {
    float_to_bf16(src, reinterpret_cast<uint16_t*>(dst.mutable_data_ptr<at::BFloat16>()),
                  dst.numel());
  }
  static void widen(const at::Tensor& src, float* dst) {
    bf16_to_float(reinterpret_cast<const uint16_t*>(src.const_data_ptr<at::BFloat16>()), dst,
                  src.numel());
  }

  bool bf16_;
  int64_t out_, taps_, n_;
  at::Tensor w_, wt_, g16_, h16_, dg16_;
};

struct Sizes {
  int64_t batch, channels, out, taps, n;
};

Sizes sizes_of(const at::Tensor& x, const at::Tensor& weight) {
  return {x.size(0), x.size(1), weight.size(0), weight.size(2), x.size(2)};
}

struct FusedBlock : public torch::autograd::Function<FusedBlock> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& x_in,
                            const at::Tensor& r_in, const at::Tensor& weight,
                            const at::Tensor& bias, const at::Tensor& slope,
                            const at::Tensor& scale, const at::Tensor& table_in, double eps,
                            bool identity, bool normalize, bool scaled) {
    // `identity`: the residual is x itself (C = O; r_in is x). `normalize`: the layer norm.
    // `scaled`: multiply by the position vector `scale` (n) before the bias (else `scale`
    // is a placeholder, not read).
    const at::Tensor x = x_in.contiguous(), table = table_in.contiguous();
    const at::Tensor r = identity ? x : r_in.contiguous();
    const Sizes s = sizes_of(x, weight);
    const int64_t len = s.out * s.n, kn = s.taps * s.n;
    const at::Tensor w = weight.detach().reshape({s.out, s.taps}).to(at::kFloat).contiguous();
    const at::Tensor b = bias.to(at::kFloat).contiguous();
    const at::Tensor e = scaled ? scale.detach().to(at::kFloat).contiguous() : at::Tensor();
    const float alpha = slope.to(at::kFloat).item<float>();
    at::Tensor out = at::empty({s.batch, s.out, s.n}, x.options());
    at::Tensor z = at::empty({s.batch, s.out, s.n}, x.options());
    at::Tensor sums = at::empty({s.batch, s.n}, x.options().dtype(at::kFloat));
    at::Tensor rstd = at::empty({s.batch}, x.options().dtype(at::kDouble));
    const int64_t* idx = table.const_data_ptr<int64_t>();
    const float* bias_data = b.const_data_ptr<float>();
    at::parallel_for(0, s.batch, 1, [&](int64_t begin, int64_t end) {
      // Grad mode is per thread: OpenMP's workers do not inherit the caller's no-grad.
      const at::NoGradGuard no_grad;
      std::vector<float> g(kn), h(len), x_scratch, r_scratch, out_scratch;
      Products products(w, x.scalar_type() == at::kBFloat16, s.out, s.taps, s.n);
      for (int64_t i = begin; i < end; ++i) {
        const float* xb = read_f32(x, i * s.channels * s.n, s.channels * s.n, x_scratch);
        float* sb = sums.mutable_data_ptr<float>() + i * s.n;
        channel_sum(xb, s.channels, s.n, sb);
        gather(sb, idx, kn, g.data());
        products.forward(g.data(), h.data());
        if (scaled)
          for (int64_t o = 0; o < s.out; ++o)
            scale_row(h.data() + o * s.n, e.const_data_ptr<float>(), s.n);
        double total = 0;
        for (int64_t o = 0; o < s.out; ++o)
          total += shift_and_sum(h.data() + o * s.n, s.n, bias_data[o]);
        // Without the norm, z = h: mean 0 and 1/σ = 1 in the same loops.
        float mean = 0;
        double inv = 1;
        if (normalize) {
          mean = static_cast<float>(total / len);
          double deviation = 0;
          for (int64_t o = 0; o < s.out; ++o)
            deviation += squared_deviation(h.data() + o * s.n, s.n, mean);
          inv = 1.0 / std::sqrt(deviation / len + eps);
        }
        rstd.mutable_data_ptr<double>()[i] = inv;
        const float* rb = identity ? xb : read_f32(r, i * len, len, r_scratch);
        float* ob = write_f32(out, i * len, len, out_scratch);
        normalise_activate(h.data(), rb, ob, len, mean, static_cast<float>(inv), alpha);
        store(out, i * len, len, ob);
        if (z.scalar_type() == at::kFloat) {
          std::memcpy(z.mutable_data_ptr<float>() + i * len, h.data(), len * sizeof(float));
        } else {
          store(z, i * len, len, h.data());
        }
      }
    });
    ctx->save_for_backward({z, sums, rstd, weight, bias, slope, scale, table});
    ctx->saved_data["channels"] = s.channels;
    ctx->saved_data["identity"] = identity;
    ctx->saved_data["normalize"] = normalize;
    ctx->saved_data["scaled"] = scaled;
    return out;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const at::Tensor &z = saved[0], &sums = saved[1], &rstd = saved[2], &weight = saved[3],
                     &bias = saved[4], &slope = saved[5], &scale = saved[6], &table = saved[7];
    const bool normalize = ctx->saved_data["normalize"].toBool();
    const bool scaled = ctx->saved_data["scaled"].toBool();
    const at::Tensor e = scaled ? scale.detach().to(at::kFloat).contiguous() : at::Tensor();
    const at::Tensor dy = grads[0].to(z.scalar_type()).contiguous();
    const int64_t channels = ctx->saved_data["channels"].toInt();
    const int64_t batch = z.size(0), out = z.size(1), n = z.size(2), taps = weight.size(2);
    const int64_t len = out * n, kn = taps * n;
    const at::Tensor w = weight.detach().reshape({out, taps}).to(at::kFloat).contiguous();
    const float alpha = slope.to(at::kFloat).item<float>();
    const bool input_grad = ctx->needs_input_grad(0);
    const bool identity = ctx->saved_data["identity"].toBool();
    // The input gradient: dy + ds broadcast, written whole, for the identity residual; else
    // ds alone (B, 1, n), broadcast below, and the residual's gradient is dy.
    at::Tensor dx_full = input_grad && identity ? at::empty({batch, channels, n}, z.options())
                                                : at::Tensor();
    at::Tensor ds = input_grad && !identity ? at::empty({batch, 1, n}, z.options()) : at::Tensor();
    const int threads = at::get_num_threads();
    // Per-thread sums of dW (O·K), dbias (O), dα and de (n), added in thread order at the end.
    std::vector<std::vector<double>> dbias_parts(threads, std::vector<double>(out, 0.0));
    std::vector<std::vector<float>> de_parts(threads, std::vector<float>(scaled ? n : 0, 0.0f));
    std::vector<double> dalpha_parts(threads, 0.0);
    std::vector<at::Tensor> dw_parts(threads);
    const int64_t* idx = table.const_data_ptr<int64_t>();
    at::parallel_for(0, batch, 1, [&](int64_t begin, int64_t end) {
      const at::NoGradGuard no_grad;  // as in forward
      const int t = at::get_thread_num();
      std::vector<float> g(kn), dh(len), dg(kn), dsb(n), c(scaled ? len : 0), z_scratch,
          dy_scratch, ds_scratch, dx_scratch;
      Products products(w, z.scalar_type() == at::kBFloat16, out, taps, n);
      at::Tensor dw = at::zeros({out, taps}, at::TensorOptions().dtype(at::kFloat));
      for (int64_t i = begin; i < end; ++i) {
        const float* zb = read_f32(z, i * len, len, z_scratch);
        const float* dyb = read_f32(dy, i * len, len, dy_scratch);
        PreluSums total;
        for (int64_t o = 0; o < out; ++o) {
          PreluSums row = prelu_backward(zb + o * n, dyb + o * n, dh.data() + o * n, n, alpha);
          total.dz += row.dz;
          total.dz_z += row.dz_z;
          total.dalpha += row.dalpha;
        }
        dalpha_parts[t] += total.dalpha;
        const float inv = static_cast<float>(rstd.const_data_ptr<double>()[i]);
        // Without the norm, dh = dz: 1/σ = 1 (saved) and no mean terms.
        const float m1 = normalize ? static_cast<float>(total.dz / len) : 0.0f;
        const float m2 = normalize ? static_cast<float>(total.dz_z / len) : 0.0f;
        for (int64_t o = 0; o < out; ++o)
          dbias_parts[t][o] += norm_backward(zb + o * n, dh.data() + o * n, n, inv, m1, m2);
        gather(sums.const_data_ptr<float>() + i * n, idx, kn, g.data());
        if (scaled) {
          products.forward(g.data(), c.data());
          for (int64_t o = 0; o < out; ++o)
            scale_backward(dh.data() + o * n, c.data() + o * n, e.const_data_ptr<float>(),
                           de_parts[t].data(), n);
        }
        products.backward(dh.data(), g.data(), dw, input_grad ? dg.data() : nullptr);
        if (input_grad) {
          std::fill(dsb.begin(), dsb.end(), 0.0f);
          scatter_add(dg.data(), idx, kn, dsb.data());
          if (identity) {
            float* target = write_f32(dx_full, i * len, len, dx_scratch);
            add_broadcast(dyb, dsb.data(), channels, n, target);
            store(dx_full, i * len, len, target);
          } else {
            float* target = write_f32(ds, i * n, n, ds_scratch);
            std::memcpy(target, dsb.data(), n * sizeof(float));
            store(ds, i * n, n, target);
          }
        }
      }
      dw_parts[t] = dw_parts[t].defined() ? dw_parts[t] + dw : dw;
    });
    at::Tensor dw = at::zeros({out, taps}, at::TensorOptions().dtype(at::kFloat));
    std::vector<double> dbias(out, 0.0), de(scaled ? n : 0, 0.0);
    double dalpha = 0;
    for (int t = 0; t < threads; ++t) {
      if (dw_parts[t].defined()) dw += dw_parts[t];
      for (int64_t a = 0; a < static_cast<int64_t>(de.size()); ++a) de[a] += de_parts[t][a];
      for (int64_t o = 0; o < out; ++o) dbias[o] += dbias_parts[t][o];
      dalpha += dalpha_parts[t];
    }
    at::Tensor dbias_t = at::empty({out}, at::TensorOptions().dtype(at::kDouble));
    std::memcpy(dbias_t.mutable_data_ptr<double>(), dbias.data(), out * sizeof(double));
    at::Tensor dx = !input_grad ? at::Tensor() : identity ? dx_full : ds.expand({batch, channels, n});
    return {dx,
            !identity && ctx->needs_input_grad(1) ? dy : at::Tensor(),
            dw.view(weight.sizes()).to(weight.scalar_type()),
            dbias_t.to(bias.scalar_type()),
            at::full(slope.sizes(), dalpha, slope.options()),
            scaled ? at::tensor(de, at::TensorOptions().dtype(at::kDouble)).to(scale.scalar_type())
                   : at::Tensor(),
            at::Tensor(),
            at::Tensor(),
            at::Tensor(),
            at::Tensor(),
            at::Tensor()};
  }
};

char* copy_message(const char* text) {
  size_t len = std::strlen(text) + 1;
  char* copy = static_cast<char*>(std::malloc(len));
  if (copy != nullptr) std::memcpy(copy, text, len);
  return copy;
}

}  // namespace

extern "C" {

// The fused block (see the top of this file) on libtorch tensors owned by the caller:
// x (B, C, n) and r (B, O, n) in fp32 or bf16 on the CPU (r null: the residual is x),
// weight (O, 1, K), bias (O), slope (1), scale (n) or null (no position vector), table (K, n)
// int64; `normalize` nonzero for the layer norm. Returns a new tensor the caller owns, or
// null with `*error` set to a message the caller frees with gm_fused_block_free_error.
at::Tensor* gm_fused_block(const at::Tensor* x, const at::Tensor* r, const at::Tensor* weight,
                           const at::Tensor* bias, const at::Tensor* slope,
                           const at::Tensor* scale, const at::Tensor* table, int normalize,
                           double eps, char** error) {
  *error = nullptr;
  try {
    TORCH_CHECK(x->device().is_cpu(), "the fused block runs on the CPU, not ", x->device());
    TORCH_CHECK(x->dim() == 3 && weight->dim() == 3 && weight->size(1) == 1,
                "the fused block takes x (B, C, n) and a shared-mode weight (O, 1, K), not ",
                x->sizes(), " and ", weight->sizes());
    TORCH_CHECK(x->scalar_type() == at::kFloat || x->scalar_type() == at::kBFloat16,
                "the fused block computes in fp32 or bf16, not ", x->scalar_type());
    const int64_t out = weight->size(0), taps = weight->size(2), n = x->size(2);
    const at::Tensor& residual = r != nullptr ? *r : *x;
    TORCH_CHECK(residual.scalar_type() == x->scalar_type(), "x and r must share a dtype");
    TORCH_CHECK(residual.dim() == 3 && residual.size(0) == x->size(0) &&
                    residual.size(1) == out && residual.size(2) == n,
                r != nullptr ? "r" : "x (the identity residual)", " must be (B, O, n) = (",
                x->size(0), ", ", out, ", ", n, "), not ", residual.sizes());
    TORCH_CHECK(bias->numel() == out && slope->numel() == 1, "bias (O) and one slope");
    TORCH_CHECK(scale == nullptr || (scale->dim() == 1 && scale->numel() == n),
                "the position vector must be (n) = (", n, ")");
    TORCH_CHECK(table->scalar_type() == at::kLong && table->numel() == taps * n,
                "the table must be (K, n) int64");
    // Undefined tensors cannot be autograd inputs: without a position vector, `bias` stands
    // in for it (not read).
    return new at::Tensor(FusedBlock::apply(*x, residual, *weight, *bias, *slope,
                                            scale != nullptr ? *scale : *bias, *table, eps,
                                            r == nullptr, normalize != 0, scale != nullptr));
  } catch (const std::exception& e) {
    *error = copy_message(e.what());
    return nullptr;
  }
}

void gm_fused_block_free_error(char* error) { std::free(error); }

// Nonzero while this thread records a TorchScript trace: the fused block has no TorchScript
// form (its loops are not libtorch operations), so a traced model must run composed.
int gm_fused_block_tracing() { return torch::jit::tracer::isTracing() ? 1 : 0; }

}  // extern "C"
