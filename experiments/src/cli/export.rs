//! `gm export RUN --format torchscript|state-dict [--checkpoint …] [--out FILE] [--batch N]
//! [--force]`: writes a trained run's model for PyTorch ([`gm_experiments::run::export`]) and
//! says how to load it.
use anyhow::Result;
use gm_experiments::run::export::{export, ExportOptions};
use std::path::Path;
use tch::Device;

/// Exports the run in `dir` (its model built on `device`) and prints what was written.
pub fn run(dir: &Path, opts: &ExportOptions, device: Device) -> Result<()> {
    let e = export(dir, opts, device)?;
    println!(
        "{} ({} bytes, weights {}, {:.2} s)",
        e.path.display(),
        e.bytes,
        e.checkpoint.display(),
        e.seconds
    );
    if let Some(shape) = &e.input_shape {
        println!(
            "load: m = torch.jit.load(\"{}\"); m(x) with x of shape {shape:?} (float32)",
            e.path.display()
        );
    }
    if let Some(config) = &e.reference_config {
        println!(
            "load into the reference's GMCNN (gmcnn_base.py) built with these config keys:\n{config}\
             state = safetensors.torch.load_file(\"{}\"); model.load_state_dict(state)",
            e.path.display()
        );
    }
    Ok(())
}
