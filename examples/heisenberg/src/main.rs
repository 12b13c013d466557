//! Runs the walkthrough of `docs/adding-a-group.md` on the Heisenberg group mod 3 and prints
//! what every step found.

fn main() -> gm_example_heisenberg::Result {
    gm_example_heisenberg::walkthrough(&mut std::io::stdout())
}
