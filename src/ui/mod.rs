//! The Leptos user interface (browser only).
