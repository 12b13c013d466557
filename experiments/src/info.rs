//! `gm info`: version, selected device, and a small group-matrix computation on that device.
use anyhow::{ensure, Result};
use gm_algebra::group::Cyclic;
use gm_algebra::FiniteGroup;
use gm_nn::{select_device, DeviceChoice};
use tch::{Device, Kind, Tensor};

/// Prints the version and device, then applies a circulant group matrix of `Z_8` on the
/// device through a gather table and checks it against the explicit sum on the CPU.
pub fn run(choice: DeviceChoice) -> Result<()> {
    let device = select_device(choice)?;
    println!("gm {}", env!("CARGO_PKG_VERSION"));
    println!("libtorch: cuda available = {}", tch::Cuda::is_available());
    match device {
        Device::Cuda(k) => println!("device: cuda:{k} ({})", gpu_name(k)),
        _ => println!("device: cpu"),
    }
    let group = Cyclic::new(8)?;
    let n = FiniteGroup::order(&group);
    // index[a][b] = index of g_a⁻¹ g_b, so (M_f x)(a) = Σ_b f(g_a⁻¹ g_b) x(b).
    let index: Vec<i64> = (0..n)
        .flat_map(|a| (0..n).map(move |b| (a, b)))
        .map(|(a, b)| group.left_div_idx(a, b) as i64)
        .collect();
    let f: Vec<f32> = (0..n).map(|k| 1.0 / (1.0 + k as f32)).collect();
    let x: Vec<f32> = (0..n).map(|k| (k as f32).sin()).collect();
    let idx = Tensor::from_slice(&index)
        .view([n as i64, n as i64])
        .to(device);
    let ft = Tensor::from_slice(&f).to(device);
    let xt = Tensor::from_slice(&x).to(device);
    let m = ft
        .index_select(0, &idx.view([-1]))
        .view([n as i64, n as i64]);
    let y = m.matmul(&xt).to_kind(Kind::Float).to(Device::Cpu);
    let y: Vec<f32> = Vec::<f32>::try_from(&y)?;
    let expected: Vec<f32> = (0..n)
        .map(|a| (0..n).map(|b| f[group.left_div_idx(a, b)] * x[b]).sum())
        .collect();
    let err = y
        .iter()
        .zip(&expected)
        .map(|(u, v)| (u - v).abs())
        .fold(0.0f32, f32::max);
    println!(
        "Z_8 circulant group matrix applied on {}: y[0..4] = {:?}",
        gm_nn::device::device_name(device),
        &y[..4]
    );
    println!("max |y - y_ref| = {err:.2e}");
    ensure!(
        err < 1e-5,
        "device result differs from the reference sum by {err}"
    );
    Ok(())
}

fn gpu_name(k: usize) -> String {
    // libtorch's C API exposes no device-name query through tch; nvidia-smi does.
    std::process::Command::new("nvidia-smi")
        .args([
            "--query-gpu=name",
            "--format=csv,noheader",
            &format!("--id={k}"),
        ])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "name unavailable".into())
}
