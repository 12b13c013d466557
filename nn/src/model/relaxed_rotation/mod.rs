//! Rotations of vector fields: the relaxed group convolution network RGroup of Wang, Walters
//! & Yu and a GM model on `p4` between vector fields.
//!
//! Vector fields `(B, 2F, N, N)` enter by the equivariant lift to regular fields of `C4`
//! ([`lift_vector_field`]) and leave by the equivariant projection back
//! ([`project_regular_field`]); in between, `p4` group convolutions run as one `conv2d` with
//! a rotated-and-shifted filter bank ([`p4_filter_bank`], [`p4_conv2d`]): exact
//! ([`P4GroupConv`], with circular padding the GM convolution on `p4(N)` under the map of
//! [`p4_functions`]) or relaxed ([`RelaxedP4GroupConv`]). The models: [`RGroup`] (relaxed,
//! the reference's baseline) and [`GmP4Field`] (exact GM blocks, few parameters). The actions
//! are those of [`crate::field`].

mod filter_bank;
mod gm_p4_field;
mod group_conv;
pub mod p4_functions;
mod regular;
mod relaxed_group_conv;
mod rgroup;

pub use filter_bank::{conv2d_padded, p4_conv2d, p4_filter_bank, Padding};
pub use gm_p4_field::GmP4Field;
pub use group_conv::{P4ConvConfig, P4GroupConv};
pub use p4_functions::{p4_kernel_to_gm_weight, p4_to_regular_field, regular_field_to_p4};
pub use regular::{lift_vector_field, project_regular_field};
pub use relaxed_group_conv::RelaxedP4GroupConv;
pub use rgroup::{RGroup, RGroupOptions};
