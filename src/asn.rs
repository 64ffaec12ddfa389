//! IP-to-ASN longest-prefix lookup. CONTRACT stub.

/// An IP-to-ASN range table.
#[derive(Clone, Debug, Default)]
pub struct AsnTable {}

impl AsnTable {
    /// The ASN announcing `ip`, if any.
    pub fn lookup(&self, ip: u32) -> Option<u32> {
        let _ = ip;
        None
    }
}
