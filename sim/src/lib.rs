//! foobar-sim: the deterministic simulation core of Foobar Lab.
//!
//! Pure Rust with no browser dependency, so a run is the same natively and in WebAssembly:
//! integer time in microseconds, one seeded RNG, a (time, sequence) event queue. The page and the CLI use the API re-exported here.
//!
//! The entry points only the page's rare moments use (reading files and links, making links
//! and exports, a lesson's check) are `#[inline]`: they and the JSON reader under them are
//! then compiled in the page's crate, built for size, while the simulation
//! itself keeps the core's faster opt-level in WebAssembly (docs/performance.md).

pub mod action;
pub mod app;
pub mod crowd;
pub mod cx;
pub mod dns;
pub mod epoch;
pub mod error;
pub mod export;
pub mod haproxy;
pub mod health;
pub mod json;
pub mod keepalived;
pub mod lab;
pub mod lesson;
pub mod log;
pub mod metrics;
pub mod monitoring;
pub mod mysql;
pub mod net;
pub mod nginx;
pub mod num;
pub mod plain;
pub mod queue;
pub mod replication;
pub mod rng;
pub mod scenario;
pub mod security;
pub mod share;
pub mod snapshot;
pub mod summary;
pub mod time;
pub mod topology;
pub mod trace;
pub mod traffic;
pub mod world;

pub use action::Action;
pub use lab::Lab;
pub use scenario::{Scenario, ScenarioError};
pub use snapshot::Snapshot;
pub use summary::Summary;
pub use time::SimTime;
pub use topology::{HostRole, Link, LinkId, LinkKind, LinkRole, Node, NodeId, NodeKind, Topology};
pub use world::World;
