//! Special-purpose and bogon IPv4 ranges. CONTRACT stub.

/// Whether `ip` should never be an Internet source.
pub fn is_bogon(ip: u32) -> bool {
    let _ = ip;
    false
}
