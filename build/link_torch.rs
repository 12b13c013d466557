//! Build script shared by the packages whose binaries and tests run libtorch.
//!
//! tch links libtorch_cpu only; CUDA kernels register only if libtorch_cuda is loaded, so
//! binaries link it explicitly with `--no-as-needed` (link args do not propagate from a
//! library's build script, hence this script is named by every such package). An rpath to
//! `$LIBTORCH/lib` lets the binaries run without LD_LIBRARY_PATH on the machine they were
//! built on; elsewhere (e.g. a GPU machine) set LD_LIBRARY_PATH to torch's lib directory.
use std::path::Path;

/// Links libtorch's CUDA library where it exists and sets the rpath (see the module docs).
pub fn main() {
    println!("cargo:rerun-if-env-changed=LIBTORCH");
    // A path every package using this script has (paths are relative to the package, which
    // may sit at any depth: `nn/`, `examples/heisenberg/`); an edit of this script rebuilds
    // and reruns it anyway, and naming a file stops the default rerun on every source change.
    println!("cargo:rerun-if-changed=Cargo.toml");
    let Ok(dir) = std::env::var("LIBTORCH") else {
        return;
    };
    let lib = Path::new(&dir).join("lib");
    println!("cargo:rustc-link-search=native={}", lib.display());
    if lib.join("libtorch_cuda.so").exists() {
        println!("cargo:rustc-link-arg=-Wl,--no-as-needed");
        println!("cargo:rustc-link-arg=-ltorch_cuda");
        println!("cargo:rustc-link-arg=-ltorch");
        println!("cargo:rustc-link-arg=-Wl,--as-needed");
    }
    println!("cargo:rustc-link-arg=-Wl,-rpath,{}", lib.display());
}
