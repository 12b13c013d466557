//! Fuzz target `result`: random bytes into `parsers::feed(Format::Result, …)`.
#![no_main]
use gm_experiments::parsers::{feed, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = feed(Format::Result, data);
});
