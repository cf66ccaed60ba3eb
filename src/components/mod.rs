//! One part of the page per file: a Yew component with its Props where it keeps state or
//! re-renders on its own (the stage, the diagram, a number box), else a plain function of the
//! context.

pub mod charts;
pub mod controls;
pub mod database;
pub mod diagram;
pub mod field;
pub mod inspector;
pub mod lesson;
pub mod log;
pub mod menu;
pub mod panels;
pub mod settings;
pub mod share;
pub mod shortcuts;
pub mod stage;
pub mod stats;
pub mod table;
pub mod textview;
pub mod watch;

pub use controls::controls;
pub use diagram::Diagram;
pub use log::log_panel;
pub use panels::panels;
pub use stage::Stage;
