//! sample: to be written.
