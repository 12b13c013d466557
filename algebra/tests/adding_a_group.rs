//! A group added inside the algebra crate's tests — the Pauli group on one qubit (order 16)
//! — through the `Group` trait alone, and a typical slip (a wrong inverse) refused when the
//! group is wrapped. The end-to-end walkthrough with a group defined outside the crates, up
//! to a trained model, is `docs/adding-a-group.md` and its crate `examples/heisenberg`.

use gm_algebra::fourier::{plan, unitary_fourier_matrix, FourierGm};
use gm_algebra::group::{check_group_laws, word_ball, Group};
use gm_algebra::nalgebra::DMatrix;
use gm_algebra::num_complex::Complex64;
use gm_algebra::{AnyGroup, Error, FiniteGroup};

/// An element `i^phase · P` of the one-qubit Pauli group, `P ∈ {I, X, Y, Z}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pauli {
    /// The power of `i`, in `0..4`.
    pub phase: u8,
    /// The matrix: 0 = I, 1 = X, 2 = Y, 3 = Z.
    pub op: u8,
}

/// The Pauli group `{i^k · P}` of order 16; index of `i^k · P` is `4k + P`.
pub struct PauliGroup;

impl Group for PauliGroup {
    type Element = Pauli;

    fn order(&self) -> usize {
        16
    }

    fn element(&self, i: usize) -> Pauli {
        Pauli {
            phase: (i / 4) as u8,
            op: (i % 4) as u8,
        }
    }

    fn index(&self, e: &Pauli) -> usize {
        4 * e.phase as usize + e.op as usize
    }

    fn identity(&self) -> Pauli {
        Pauli { phase: 0, op: 0 }
    }

    fn mul(&self, a: &Pauli, b: &Pauli) -> Pauli {
        // XY = iZ, YZ = iX, ZX = iY; the opposite orders give −i; P·P = I.
        // With I, X, Y, Z = 0, 1, 2, 3 the matrix part is the XOR of the codes.
        let cyclic = a.op != 0 && b.op == a.op % 3 + 1;
        let anticyclic = b.op != 0 && a.op == b.op % 3 + 1;
        let extra = if cyclic {
            1
        } else if anticyclic {
            3
        } else {
            0
        };
        Pauli {
            phase: (a.phase + b.phase + extra) % 4,
            op: a.op ^ b.op,
        }
    }

    fn inv(&self, a: &Pauli) -> Pauli {
        // The matrices are involutions and the phases are central.
        Pauli {
            phase: (4 - a.phase) % 4,
            op: a.op,
        }
    }

    // Optional: a generating set, a name and a readable element form.
    fn generators(&self) -> Option<Vec<Pauli>> {
        Some((1..4).map(|op| Pauli { phase: 0, op }).collect())
    }

    fn name(&self) -> String {
        "Pauli1".into()
    }

    fn format_element(&self, e: &Pauli) -> String {
        let phase = ["", "i", "-", "-i"][e.phase as usize];
        let op = ["I", "X", "Y", "Z"][e.op as usize];
        format!("{phase}{op}")
    }
}

#[test]
fn the_pauli_group_satisfies_the_laws() {
    let pauli = PauliGroup;
    check_group_laws(&pauli).unwrap();
    assert_eq!(pauli.generator_indices(), vec![1, 2, 3]);
    assert!(!pauli.is_abelian());
    let (x, y) = (pauli.element(1), pauli.element(2));
    assert_eq!(pauli.format_element(&pauli.mul(&x, &y)), "iZ");
    assert_eq!(pauli.label(pauli.mul_idx(2, 1)), "-iZ");
}

#[test]
fn everything_else_takes_it_as_is() {
    let g = AnyGroup::cached(PauliGroup);
    assert_eq!(g.order(), 16);
    // The group-matrix index M[a, b] = f(g_a⁻¹ g_b), computed in one place:
    let (x, z) = (1, 3);
    assert_eq!(g.label(g.left_div_idx(x, z)), "-iY");
    // The centre is {1, i, −1, −i}.
    let centre: Vec<usize> = (0..16)
        .filter(|&a| (0..16).all(|b| g.mul_idx(a, b) == g.mul_idx(b, a)))
        .collect();
    assert_eq!(centre, vec![0, 4, 8, 12]);
}

/// The Heisenberg group mod 3 — `(a, b, c)·(a', b', c') = (a + a', b + b', c + c' + ab')` —
/// with the inverse written without its `ab` term, a typical slip.
pub struct SlippedHeisenberg;

impl Group for SlippedHeisenberg {
    type Element = (u8, u8, u8);

    fn order(&self) -> usize {
        27
    }

    fn element(&self, i: usize) -> (u8, u8, u8) {
        ((i / 9) as u8, (i / 3 % 3) as u8, (i % 3) as u8)
    }

    fn index(&self, e: &(u8, u8, u8)) -> usize {
        9 * e.0 as usize + 3 * e.1 as usize + e.2 as usize
    }

    fn identity(&self) -> (u8, u8, u8) {
        (0, 0, 0)
    }

    fn mul(&self, x: &(u8, u8, u8), y: &(u8, u8, u8)) -> (u8, u8, u8) {
        (
            (x.0 + y.0) % 3,
            (x.1 + y.1) % 3,
            (x.2 + y.2 + x.0 * y.1) % 3,
        )
    }

    fn inv(&self, x: &(u8, u8, u8)) -> (u8, u8, u8) {
        // Wrong: the inverse of (a, b, c) is (−a, −b, ab − c).
        ((3 - x.0) % 3, (3 - x.1) % 3, (3 - x.2) % 3)
    }
}

#[test]
fn a_wrong_inverse_is_refused_when_the_group_is_wrapped() {
    let err = AnyGroup::try_cached(SlippedHeisenberg).unwrap_err();
    assert!(matches!(err, Error::GroupLaws { .. }));
    assert!(
        err.to_string().contains("inv((1, 1, 0)) is not an inverse"),
        "{err}"
    );
    // The exhaustive checker words it the same way.
    assert_eq!(
        check_group_laws(&SlippedHeisenberg).unwrap_err(),
        "inv((1, 1, 0)) is not an inverse"
    );
}

#[test]
fn a_kernel_support_from_the_generators() {
    let g = AnyGroup::cached(PauliGroup);
    // Word length ≤ 1: the identity and X, Y, Z (their own inverses).
    assert_eq!(word_ball(&g, 1), vec![0, 1, 2, 3]);
    // Length 2 adds XY = iZ, XZ = −iY, YX = −iZ, YZ = iX, ZX = iY, ZY = −iX.
    let ball = word_ball(&g, 2);
    assert_eq!(ball, vec![0, 1, 2, 3, 7, 14, 15, 5, 6, 13]);
    assert_eq!(g.label(ball[4]), "iZ");
}

#[test]
fn the_fourier_basis_block_diagonalises_a_group_matrix() {
    let g = AnyGroup::cached(PauliGroup);
    let f: Vec<Complex64> = (0..16).map(|k| Complex64::new(k as f64, 1.0)).collect();
    let gm = FourierGm::new(plan(&g).unwrap(), &f).unwrap();
    // Φ[(ρ,i,j), g] = √(d_ρ/16) ρ(g)_ij is unitary ...
    let phi = unitary_fourier_matrix(&gm.plan().irreps()).unwrap();
    assert!((&phi * phi.adjoint() - DMatrix::identity(16, 16)).norm() < 1e-12);
    // ... and Φ M_f Φ* is block diagonal: eight 1×1 blocks and two 4×4 blocks I_2 ⊗ B_ρᵀ.
    let m = DMatrix::from_fn(16, 16, |a, b| f[g.left_div_idx(a, b)]);
    let blocks = gm.block_diagonal();
    let sizes: Vec<usize> = blocks.iter().map(|b| b.nrows()).collect();
    assert_eq!(sizes.iter().filter(|&&s| s == 1).count(), 8);
    assert_eq!(sizes.iter().filter(|&&s| s == 4).count(), 2);
    let dense = &phi * m * phi.adjoint();
    let mut diagonal = DMatrix::zeros(16, 16);
    let mut at = 0;
    for b in &blocks {
        diagonal.view_mut((at, at), b.shape()).copy_from(b);
        at += b.nrows();
    }
    assert!((dense - diagonal).norm() < 1e-9);
}
