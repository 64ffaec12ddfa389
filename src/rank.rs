//! rank: to be written.
