//! features: to be written.
