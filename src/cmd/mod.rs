//! One file per command, each with an `execute` that is given what it touches.

pub mod jurisdictions;
pub mod letters;
pub mod write;
