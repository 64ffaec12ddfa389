//! hilbert: to be written.
