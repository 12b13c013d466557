//! The walkthrough of `docs/adding-a-group.md`, as a crate outside the gm crates: the
//! Heisenberg group mod 3 (order 27), defined here by its six methods, taken from the laws
//! check through classes, subgroups, cosets and `G/H`, group matrices, irreps and the
//! character table, the Fourier transform and the block-diagonal form, displacement and a
//! layer to a model trained a few steps.
//!
//! Every step is a function that computes, checks what it computed with `assert!` (so the
//! steps are their own test: `tests/walkthrough.rs` runs them) and writes what it found to
//! `out`. `cargo run -p gm-example-heisenberg` prints them all.
//!
//! # Panics
//! Every step panics when a check fails: that is what it is for.

use gm_algebra::character::{check_orthogonality, CharacterTable};
use gm_algebra::displacement::{group_displacement_rank, DiagonalForm, RankRForm};
use gm_algebra::fourier::{plan, unitary_fourier_matrix, FourierGm};
use gm_algebra::group::{
    check_group_laws, word_ball, ConjugacyClasses, Cosets, Group, QuotientGroup, Subgroup,
};
use gm_algebra::matrix::{GroupMatrix, Kernel};
use gm_algebra::nalgebra::DMatrix;
use gm_algebra::num_complex::Complex64;
use gm_algebra::{AnyGroup, FiniteGroup};
use gm_nn::conv::{GMConv, GMConvConfig, RelaxedGMConv};
use gm_nn::dense::ExportDense;
use gm_nn::lowering::{Lowering, Support};
use gm_nn::model::{Classifier, ClassifierConfig};
use gm_nn::testing::{equivariance_error, regular_actions};
use std::io::Write;
use tch::nn::{ModuleT, OptimizerConfig, VarStore};
use tch::{Device, Kind, Tensor};

/// What a step returns: nothing, or the first error of the crates it calls (or of `out`).
pub type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The unitriangular matrix `[[1, a, c], [0, 1, b], [0, 0, 1]]` over `Z₃`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Heis {
    /// The entry above the diagonal in the first row.
    pub a: u8,
    /// The entry above the diagonal in the second row.
    pub b: u8,
    /// The corner entry.
    pub c: u8,
}

/// The Heisenberg group mod 3, order 27; `(a, b, c)` has index `9a + 3b + c`.
pub struct Heisenberg3;

impl Group for Heisenberg3 {
    type Element = Heis;

    fn order(&self) -> usize {
        27
    }

    fn element(&self, i: usize) -> Heis {
        let (a, b, c) = (i / 9, i / 3 % 3, i % 3);
        Heis {
            a: a as u8,
            b: b as u8,
            c: c as u8,
        }
    }

    fn index(&self, e: &Heis) -> usize {
        9 * e.a as usize + 3 * e.b as usize + e.c as usize
    }

    fn identity(&self) -> Heis {
        Heis { a: 0, b: 0, c: 0 }
    }

    fn mul(&self, x: &Heis, y: &Heis) -> Heis {
        // The matrix product: (a, b, c)·(a', b', c') = (a + a', b + b', c + c' + ab').
        Heis {
            a: (x.a + y.a) % 3,
            b: (x.b + y.b) % 3,
            c: (x.c + y.c + x.a * y.b) % 3,
        }
    }

    fn inv(&self, x: &Heis) -> Heis {
        // (a, b, c)⁻¹ = (−a, −b, ab − c).
        Heis {
            a: (3 - x.a) % 3,
            b: (3 - x.b) % 3,
            c: (3 + x.a * x.b % 3 - x.c) % 3,
        }
    }

    // Optional: two generators, a name and a readable element form.
    fn generators(&self) -> Option<Vec<Heis>> {
        Some(vec![Heis { a: 1, b: 0, c: 0 }, Heis { a: 0, b: 1, c: 0 }])
    }

    fn name(&self) -> String {
        "Heis(3)".into()
    }

    fn format_element(&self, e: &Heis) -> String {
        format!("({}, {}, {})", e.a, e.b, e.c)
    }
}

/// Step 1: the laws, checked exhaustively, then the group wrapped for the crates.
pub fn laws(out: &mut impl Write) -> Result<AnyGroup> {
    check_group_laws(&Heisenberg3)?;
    // try_cached re-checks the cheap laws and stores the multiplication table.
    let g = AnyGroup::try_cached(Heisenberg3)?;
    assert_eq!(g.generator_indices(), vec![9, 3]);
    assert!(!g.is_abelian());
    // x·y = (1, 1, 1) but y·x = (1, 1, 0).
    assert_eq!(
        (g.label(g.mul_idx(9, 3)), g.label(g.mul_idx(3, 9))),
        ("(1, 1, 1)".into(), "(1, 1, 0)".into())
    );
    writeln!(
        out,
        "{}: order {}, generators x = {}, y = {}, not abelian",
        g.name(),
        g.order(),
        g.label(9),
        g.label(3)
    )?;
    Ok(g)
}

/// Step 2: conjugacy classes, the centre, a subgroup that is not normal with its cosets
/// (the space `G/H`), and the quotient by the centre.
pub fn structure(g: &AnyGroup, out: &mut impl Write) -> Result {
    let classes = ConjugacyClasses::compute(g);
    assert_eq!(classes.count(), 11);
    let centre = Subgroup::centre(g);
    assert_eq!(centre.members(), &[0, 1, 2]); // {(0, 0, c)}
    let h = Subgroup::generated_by(g, &[9])?; // ⟨x⟩ = {(a, 0, 0)}
    assert!(!h.is_normal(g));
    let (left, right) = (Cosets::left(g, &h)?, Cosets::right(g, &h)?);
    assert_eq!((left.count(), right.count()), (9, 9));
    assert_ne!(left.labels(), right.labels()); // gH ≠ Hg for some g
    let quotient = QuotientGroup::new(g.clone(), &centre)?;
    assert_eq!(quotient.order(), 9);
    assert!(quotient.is_abelian()); // G/Z ≅ Z₃ × Z₃
    writeln!(
        out,
        "{} classes of sizes {:?}; centre {:?}",
        classes.count(),
        classes.sizes(),
        centre.members()
    )?;
    writeln!(
        out,
        "H = <x>: normal {}, {} left cosets; G/Z(G) of order {}, abelian",
        h.is_normal(g),
        left.count(),
        quotient.order()
    )?;
    Ok(())
}

/// Step 3: group matrices `M_f[a, b] = f(g_a⁻¹ g_b)`: their product is the group matrix of
/// the convolution, and the group matrix of a class function commutes with all of them.
pub fn group_matrices(g: &AnyGroup, out: &mut impl Write) -> Result {
    let f = GroupMatrix::dense(g.clone(), (0..27).map(|k| (k as f64).sin()).collect())?;
    let h = GroupMatrix::sparse(g.clone(), vec![(0, 1.0), (9, -0.5), (3, 2.0)])?;
    let product = f.product(&h)?; // M_f M_h = M_{f∗h}
    assert!((product.to_dense() - f.to_dense() * h.to_dense()).amax() < 1e-12);
    // The sum over the class of x is a class function: its matrix is central.
    let classes = ConjugacyClasses::compute(g);
    let class_of_x = classes
        .members(classes.class_of(9))
        .iter()
        .map(|&k| (k, 1.0));
    let c = GroupMatrix::sparse(g.clone(), class_of_x.collect())?;
    let (mc, mf) = (c.to_dense(), f.to_dense());
    assert!((&mc * &mf - &mf * &mc).amax() < 1e-12);
    let not_central = (h.to_dense() * &mf - &mf * h.to_dense()).amax();
    assert!(not_central > 0.1);
    writeln!(out, "M_f M_h = M_(f*h); the class sum of x commutes with M_f, M_h does not (gap {not_central:.2})")?;
    Ok(())
}

/// Step 4: the irreps and the character table: nine characters and two irreps of degree 3
/// (`9·1² + 2·3² = 27`), one per class.
pub fn irreps_and_characters(g: &AnyGroup, out: &mut impl Write) -> Result {
    let irreps = plan(g)?.irreps();
    let mut dims = irreps.layout().dims().to_vec();
    dims.sort();
    assert_eq!(dims, [vec![1; 9], vec![3, 3]].concat());
    let classes = ConjugacyClasses::compute(g);
    let table = CharacterTable::compute(g, &classes)?;
    assert_eq!(table.degrees().iter().filter(|&&d| d == 3).count(), 2);
    check_orthogonality(27, table.class_sizes(), &table.complex_values())?;
    writeln!(out, "irrep degrees {dims:?}; character table:")?;
    writeln!(out, "{}", table.display_gap(&g.name()))?;
    Ok(())
}

/// Step 5: the Fourier transform `f̂(ρ) = Σ_g f(g) ρ(g)` and back, and the unitary Fourier
/// matrix `Φ`, which turns every group matrix block diagonal.
pub fn fourier(g: &AnyGroup, out: &mut impl Write) -> Result {
    let transform = plan(g)?;
    let f: Vec<Complex64> = (0..27).map(|k| Complex64::new(k as f64, 1.0)).collect();
    let coefficients = transform.forward(&f)?;
    let back = transform.inverse(&coefficients)?;
    assert!(back.iter().zip(&f).all(|(p, q)| (p - q).norm() < 1e-9));
    // Φ[(ρ,i,j), g] = √(d_ρ/27) ρ(g)_ij is unitary, and Φ M_f Φ* = ⊕_ρ (I ⊗ B_ρᵀ).
    let phi = unitary_fourier_matrix(&transform.irreps())?;
    assert!((&phi * phi.adjoint() - DMatrix::identity(27, 27)).norm() < 1e-12);
    let gm = FourierGm::new(transform.clone(), &f)?;
    let m = DMatrix::from_fn(27, 27, |a, b| f[g.left_div_idx(a, b)]);
    let mut diagonal = DMatrix::zeros(27, 27);
    let mut at = 0;
    for block in gm.block_diagonal() {
        diagonal.view_mut((at, at), block.shape()).copy_from(&block);
        at += block.nrows();
    }
    assert!((&phi * m * phi.adjoint() - diagonal).norm() < 1e-9);
    writeln!(out, "plan {:?}: inverse(forward(f)) = f; Phi unitary; Phi M_f Phi* block diagonal (nine 1x1, two 9x9)", transform.kind())?;
    Ok(())
}

/// Step 6: displacement. A group matrix has group displacement rank 0; a rank-1 relaxation
/// `M_f + diag(a) M_b` has diagonal-form displacement rank 1 (the relaxed layers' `r`) but
/// group displacement rank 27 — two different numbers.
pub fn displacement(g: &AnyGroup, out: &mut impl Write) -> Result {
    let gens = g.generator_indices();
    let f = Kernel::sparse(27, vec![(0, 1.0), (9, 0.5), (3, -0.25)])?;
    let m_f = GroupMatrix::new(g.clone(), f.clone())?.to_dense();
    assert_eq!(group_displacement_rank(g, &m_f, &gens)?, 0);
    let b = Kernel::sparse(27, vec![(18, 1.0), (6, 0.75)])?;
    let a = DMatrix::from_fn(27, 1, |k, _| ((k * k) as f64 * 0.37).cos());
    let relaxed = RankRForm::new(g.clone(), f, a, vec![b])?;
    let diagonal_rank = relaxed
        .diagonal_form()
        .displacement_rank(&gens, f64::EPSILON)?;
    let group_rank = group_displacement_rank(g, &relaxed.to_dense(), &gens)?;
    assert_eq!((diagonal_rank, group_rank), (1, 27));
    writeln!(out, "GM: group displacement rank 0; rank-1 form: diagonal-form displacement rank {diagonal_rank}, group displacement rank {group_rank}")?;
    Ok(())
}

/// Step 7: layers. A kernel support from the generators (the word ball of radius 1), an
/// exact GM convolution that commutes with the group, and a rank-2 relaxed one whose `f32`
/// export has diagonal-form displacement rank 2 at `f32` precision.
pub fn layers(g: &AnyGroup, out: &mut impl Write) -> Result {
    assert_eq!(word_ball(g, 1), vec![0, 9, 18, 3, 6]); // e, x, x⁻¹, y, y⁻¹
    let lowering = Lowering::new(g.clone(), &Support::Ball(1), Device::Cpu)?;
    let vs = VarStore::new(Device::Cpu);
    let conv = GMConv::new(
        vs.root() / "exact",
        2,
        4,
        &lowering,
        GMConvConfig::default(),
    )?;
    let x = Tensor::randn([3, 2, 27], (Kind::Float, Device::Cpu));
    let actions = regular_actions(g, Device::Cpu)?;
    let error = equivariance_error(|x| conv.f_forward(x), &x, &actions)?;
    assert!(error < 1e-5);
    let mut relaxed = RelaxedGMConv::new(
        vs.root() / "relaxed",
        1,
        1,
        2,
        &lowering,
        GMConvConfig::default(),
    )?;
    tch::no_grad(|| {
        relaxed
            .relax_position
            .copy_(&Tensor::randn([2, 1, 27], (Kind::Float, Device::Cpu)))
    });
    let exported =
        Vec::<f64>::try_from(relaxed.export_dense()?.to_kind(Kind::Double).flatten(0, -1))?;
    let form = DiagonalForm::from_matrix(g.clone(), &DMatrix::from_row_slice(27, 27, &exported))?;
    let gens = g.generator_indices();
    let rank_f32 = form.displacement_rank(&gens, f32::EPSILON as f64)?;
    let rank_f64 = form.displacement_rank(&gens, f64::EPSILON)?;
    assert_eq!(rank_f32, 2);
    assert!(rank_f64 > 2); // f32 rounding counted as rank
    writeln!(out, "support {:?}; exact layer equivariance error {error:.1e}; relaxed r = 2 export: rank {rank_f32} at f32 precision ({rank_f64} at f64)", lowering.support())?;
    Ok(())
}

/// A batch of the toy task: noise on the group, plus, for label 1, a spike at a random
/// element — a task every translation `λ(u)` leaves unchanged.
pub fn batch(size: i64) -> (Tensor, Tensor) {
    let options = (Kind::Float, Device::Cpu);
    let labels = Tensor::randint(2, [size], (Kind::Int64, Device::Cpu));
    let at = Tensor::randint(27, [size], (Kind::Int64, Device::Cpu));
    let spike =
        at.one_hot(27).to_kind(Kind::Float) * labels.to_kind(Kind::Float).unsqueeze(1) * 3.0;
    let x = Tensor::randn([size, 27], options) * 0.5 + spike;
    (x.unsqueeze(1), labels)
}

/// Step 8: the reference classifier on the Heisenberg group, trained 60 steps of Adam on
/// [`batch`]es of 64; the loss falls and the test accuracy beats chance by far.
pub fn train(g: &AnyGroup, out: &mut impl Write) -> Result {
    tch::manual_seed(0);
    let config = ClassifierConfig {
        group: g.clone(),
        support: Support::Ball(1),
        in_channels: 1,
        channels: vec![8, 8],
        dropout: 0.0,
        classes: 2,
        ..ClassifierConfig::default()
    };
    let vs = VarStore::new(Device::Cpu);
    let model = Classifier::new(vs.root(), &config)?;
    let mut adam = tch::nn::Adam::default().build(&vs, 1e-2)?;
    let mut losses = Vec::new();
    for _ in 0..60 {
        let (x, y) = batch(64);
        let loss = model.forward_t(&x, true).cross_entropy_for_logits(&y);
        adam.backward_step(&loss);
        losses.push(loss.double_value(&[]));
    }
    let (x, y) = batch(512);
    let predicted = model.forward_t(&x, false).argmax(-1, false);
    let accuracy = predicted
        .eq_tensor(&y)
        .to_kind(Kind::Float)
        .mean(Kind::Float)
        .double_value(&[]);
    assert!(losses[55..].iter().sum::<f64>() < 0.5 * losses[..5].iter().sum::<f64>());
    assert!(accuracy > 0.8);
    writeln!(
        out,
        "classifier on {} ({} parameters): loss {:.3} -> {:.3}, test accuracy {accuracy:.3}",
        g.name(),
        vs.trainable_variables()
            .iter()
            .map(Tensor::numel)
            .sum::<usize>(),
        losses[0],
        losses[59]
    )?;
    Ok(())
}

/// Every step in order, writing to `out`.
///
/// # Errors
/// The first error of a step.
pub fn walkthrough(out: &mut impl Write) -> Result {
    let g = laws(out)?;
    structure(&g, out)?;
    group_matrices(&g, out)?;
    irreps_and_characters(&g, out)?;
    fourier(&g, out)?;
    displacement(&g, out)?;
    layers(&g, out)?;
    train(&g, out)
}
