//! Reports on sessions: the headless run summary (text and JSON).

pub mod summary;
