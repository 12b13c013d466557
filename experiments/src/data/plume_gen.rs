//! `gm data plume`: runs `python/plume.py` (embedded) with PhiFlow 2.0.1 — the simulator the
//! original plume datasets were made with — in a virtual environment it creates once in the
//! cache. The recipe (docs/experiments.md): `pip install "numpy==1.23.5" "scipy<1.12"
//! "matplotlib<3.9"` then `pip install --no-deps phiflow==2.0.1`.
use super::{DataError, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The generator script, shipped inside the binary.
pub const SCRIPT: &str = include_str!("../../python/plume.py");

/// Which plume dataset to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlumeKind {
    /// 35 simulations with the inflow on a grid; buoyancy differs between the halves.
    Translation,
    /// 36 simulations with the inflow on one of four sides, buoyancy scaled by k.
    Rotation,
    /// 38 simulations at grid resolutions 64f, downsampled to 64×64.
    Scale,
}

impl PlumeKind {
    /// Lower-case name (`translation`, `rotation`, `scale`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Translation => "translation",
            Self::Rotation => "rotation",
            Self::Scale => "scale",
        }
    }
}

impl std::str::FromStr for PlumeKind {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "translation" => Ok(Self::Translation),
            "rotation" => Ok(Self::Rotation),
            "scale" => Ok(Self::Scale),
            _ => Err(format!(
                "unknown plume kind `{s}`: expected translation, rotation or scale"
            )),
        }
    }
}

/// A Python with PhiFlow 2.0.1 importable.
#[derive(Debug, Clone)]
pub struct PhiflowEnv {
    /// The interpreter.
    pub python: PathBuf,
}

fn run(cmd: &mut Command, what: &str) -> Result<()> {
    let status = cmd.status().map_err(|e| DataError::Tool {
        tool: what.into(),
        message: format!("cannot start it: {e}"),
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(DataError::Tool {
            tool: what.into(),
            message: format!("exited with {status}"),
        })
    }
}

/// Creates (once) `cache/phiflow-2.0.1`, a venv with PhiFlow 2.0.1, and returns it.
///
/// # Errors
/// [`DataError::Tool`] when python3, venv or pip fail.
pub fn ensure_phiflow(cache: &Path) -> Result<PhiflowEnv> {
    let venv = cache.join("phiflow-2.0.1");
    let python = venv.join("bin/python");
    if venv.join(".complete").is_file() {
        return Ok(PhiflowEnv { python });
    }
    let tmp = cache.join("phiflow-2.0.1.partial");
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(cache).map_err(|source| DataError::Io {
        path: cache.into(),
        source,
    })?;
    eprintln!(
        "setting up PhiFlow 2.0.1 in {} (one time) ...",
        venv.display()
    );
    run(
        Command::new("python3").args(["-m", "venv"]).arg(&tmp),
        "python3 -m venv",
    )?;
    let pip = |args: &[&str]| {
        run(
            Command::new(tmp.join("bin/python"))
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                ])
                .args(args),
            "pip install",
        )
    };
    pip(&["numpy==1.23.5", "scipy<1.12", "matplotlib<3.9"])?;
    pip(&["--no-deps", "phiflow==2.0.1"])?;
    let _ = std::fs::remove_dir_all(&venv);
    std::fs::rename(&tmp, &venv).map_err(|source| DataError::Io {
        path: venv.clone(),
        source,
    })?;
    std::fs::write(venv.join(".complete"), b"").map_err(|source| DataError::Io {
        path: venv.clone(),
        source,
    })?;
    Ok(PhiflowEnv { python })
}

/// Runs the generator: `sims` simulations (all of the set when `None`) of `steps` steps into
/// `out` (`sim_NNN.npy`, float32 `[T, 2, 64, 64]`, and `meta.json`). Returns the number of
/// simulations written.
///
/// # Errors
/// [`DataError::Tool`] when the script fails, [`DataError::Io`].
pub fn generate(
    env: &PhiflowEnv,
    kind: PlumeKind,
    sims: Option<usize>,
    steps: usize,
    out: &Path,
) -> Result<usize> {
    std::fs::create_dir_all(out).map_err(|source| DataError::Io {
        path: out.into(),
        source,
    })?;
    let script = out.join(".plume.py");
    std::fs::write(&script, SCRIPT).map_err(|source| DataError::Io {
        path: script.clone(),
        source,
    })?;
    let mut cmd = Command::new(&env.python);
    cmd.arg(&script)
        .args(["--kind", kind.name(), "--steps", &steps.to_string()])
        .arg("--out")
        .arg(out);
    if let Some(n) = sims {
        cmd.args(["--sims", &n.to_string()]);
    }
    run(&mut cmd, "plume.py (PhiFlow)")?;
    let _ = std::fs::remove_file(&script);
    Ok(super::trajectories::npy_files(out)?.len())
}
