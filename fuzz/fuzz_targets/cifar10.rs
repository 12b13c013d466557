//! Fuzz target `cifar10`: random bytes into `parsers::feed(Format::Cifar10, …)`.
#![no_main]
use gm_experiments::parsers::{feed, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = feed(Format::Cifar10, data);
});
