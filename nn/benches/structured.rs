//! Structured layers: each family's product (FFT for circulant, Toeplitz-like, Hankel-like)
//! against the dense product `x Mᵀ` with the same layer's exported matrix (forward, batch 64,
//! r = 2, f32), in the same run; on CPU, or on CUDA when `GM_BENCH_CUDA=1`.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use gm_nn::dense::ExportDense;
use gm_nn::structured::{StructuredConfig, StructuredFamily, StructuredLinear};
use std::time::Duration;
use tch::nn::VarStore;
use tch::{Device, Kind, Tensor};

const BATCH: i64 = 64;
const RANK: usize = 2;

fn device() -> Device {
    if std::env::var("GM_BENCH_CUDA").is_ok_and(|v| v == "1") {
        Device::Cuda(0)
    } else {
        Device::Cpu
    }
}

/// Waits for queued GPU work so the clock reads finished work.
fn sync(device: Device) {
    if let Device::Cuda(i) = device {
        tch::Cuda::synchronize(i as i64);
    }
}

fn fast_vs_dense(c: &mut Criterion) {
    let device = device();
    let _guard = tch::no_grad_guard();
    for n in [256usize, 1024] {
        let mut g = c.benchmark_group(format!("structured_n{n}"));
        g.sample_size(10)
            .warm_up_time(Duration::from_millis(300))
            .measurement_time(Duration::from_secs(2));
        for family in StructuredFamily::ALL {
            tch::manual_seed(1);
            let vs = VarStore::new(device);
            let layer =
                StructuredLinear::new(vs.root(), StructuredConfig::new(family, n, RANK)).unwrap();
            let m = layer.export_dense().unwrap();
            let x = Tensor::randn([BATCH, n as i64], (Kind::Float, device));
            g.bench_function(BenchmarkId::new(format!("{family}/layer"), n), |b| {
                b.iter(|| {
                    let y = layer.f_forward(black_box(&x)).unwrap();
                    sync(device);
                    y
                })
            });
            g.bench_function(BenchmarkId::new(format!("{family}/dense"), n), |b| {
                b.iter(|| {
                    let y = black_box(&x).matmul(&m.tr());
                    sync(device);
                    y
                })
            });
        }
        g.finish();
    }
}

criterion_group!(benches, fast_vs_dense);
criterion_main!(benches);
