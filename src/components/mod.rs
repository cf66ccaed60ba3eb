//! One component per file, each with its Props.

pub mod diagram;

pub use diagram::Diagram;
