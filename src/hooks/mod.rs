//! Custom hooks.

pub mod use_animation_frame;
pub mod use_focus;

pub use use_animation_frame::use_animation_frame;
pub use use_focus::use_focus;
