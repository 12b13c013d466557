//! Homogeneous spaces `G/H`: the left cosets of a subgroup as points acted on by `G`, with
//! lifting of functions to `G` and pooling back.

mod homogeneous;
mod pooling;

pub use homogeneous::{HomogeneousSpace, ACTION_TABLE_LIMIT};
pub use pooling::Pooling;
