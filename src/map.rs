//! map: to be written.
