//! eval: to be written.
