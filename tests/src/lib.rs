//! Cross-crate integration tests of the workspace live in `tests/tests/` (for example, layer
//! matrices exported by gm-nn judged by gm-algebra); this library holds no code.
