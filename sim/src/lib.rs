//! foobar-sim: the deterministic simulation core of Foobar Lab.
//!
//! Pure Rust with no browser dependency (SPEC S1): integer time in microseconds, one seeded
//! RNG, a (time, sequence) event queue. The page and the CLI use the API re-exported here.

pub mod scenario;
pub mod topology;

pub use scenario::{Scenario, ScenarioError};
pub use topology::{HostRole, Link, LinkId, LinkKind, Node, NodeId, NodeKind, Topology};
