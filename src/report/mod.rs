//! Reports on sessions: the headless run summary (text and JSON), the
//! after-action report and improvement plan (`aar`, rendered by
//! `markdown` and `html`), the comparison of two logs (`compare`) and the
//! master scenario events list (`msel`).

pub mod aar;
pub mod chart;
pub mod compare;
pub mod escape;
pub mod html;
pub mod markdown;
pub mod msel;
pub mod summary;
