//! gm-nn's build script: libtorch's linking (the workspace's shared script) and gm-nn's C++
//! (`csrc/`: the fused block, the host block cache), compiled against the libtorch torch-sys
//! found.
use std::path::PathBuf;

#[path = "../build/link_torch.rs"]
mod link_torch;

fn main() {
    link_torch::main();
    const SOURCES: [&str; 2] = ["csrc/fused_block.cpp", "csrc/host_block_cache.cpp"];
    for source in SOURCES {
        println!("cargo:rerun-if-changed={source}");
    }
    println!("cargo:rerun-if-env-changed=LIBTORCH_CXX11_ABI");
    // torch-sys passes its libtorch `lib` directory on (`links = "tch"`); the headers sit
    // beside it, as torch-sys's own C++ wrapper finds them.
    let lib = PathBuf::from(
        std::env::var("DEP_TCH_LIBTORCH_LIB")
            .expect("torch-sys reports libtorch's lib directory (DEP_TCH_LIBTORCH_LIB)"),
    );
    let root = lib.parent().expect("libtorch's lib directory has a parent");
    let abi = std::env::var("LIBTORCH_CXX11_ABI").unwrap_or_else(|_| "1".into());
    cc::Build::new()
        .cpp(true)
        .pic(true)
        .opt_level(3)
        .warnings(false)
        .include(root.join("include"))
        .include(root.join("include/torch/csrc/api/include"))
        .flag("-std=c++17")
        .flag(format!("-D_GLIBCXX_USE_CXX11_ABI={abi}"))
        .flag("-DGLOG_USE_GLOG_EXPORT")
        // ATen's `parallel_for` is an inline template whose `#pragma omp parallel` compiles
        // into our object: without OpenMP it would run every sample on one thread. torch-sys
        // links libgomp, libtorch's OpenMP runtime.
        .flag("-fopenmp")
        .files(SOURCES)
        .compile("gm_nn_csrc");
}
