//! Dotted-quad IPv4 text and prefixes.
//!
//! DShield pads octets with zeros (`061.177.172.013`); those are decimal,
//! never octal, so the standard library's strict parser is not used.

/// Parses a dotted quad, accepting zero-padded decimal octets.
///
/// ```
/// use lwrank::ip::parse_ipv4;
/// assert_eq!(parse_ipv4("061.177.172.013"), Some(0x3DB1_AC0D));
/// assert_eq!(parse_ipv4("1.2.3.256"), None);
/// assert_eq!(parse_ipv4("1.2.3"), None);
/// ```
pub fn parse_ipv4(text: &str) -> Option<u32> {
    parse_ipv4_bytes(text.as_bytes())
}

/// [`parse_ipv4`] over bytes, for parsers that never build a `str`.
pub fn parse_ipv4_bytes(text: &[u8]) -> Option<u32> {
    let mut value: u32 = 0;
    let mut octets = 0;
    let mut current: u32 = 0;
    let mut digits = 0;
    for &b in text {
        match b {
            b'0'..=b'9' => {
                current = current * 10 + u32::from(b - b'0');
                digits += 1;
                if digits > 3 || current > 255 {
                    return None;
                }
            }
            b'.' => {
                if digits == 0 || octets == 3 {
                    return None;
                }
                value = (value << 8) | current;
                octets += 1;
                current = 0;
                digits = 0;
            }
            _ => return None,
        }
    }
    if digits == 0 || octets != 3 {
        return None;
    }
    Some((value << 8) | current)
}

/// Parses `a.b.c.d/len` (or a bare address, as a /32) into the network
/// address and prefix length. Host bits are cleared.
///
/// ```
/// use lwrank::ip::{parse_cidr, format_ipv4};
/// let (net, len) = parse_cidr("61.177.172.9/24").unwrap();
/// assert_eq!((format_ipv4(net).as_str(), len), ("61.177.172.0", 24));
/// ```
pub fn parse_cidr(text: &str) -> Option<(u32, u8)> {
    let (addr, len) = match text.split_once('/') {
        Some((a, l)) => (a, l.parse::<u8>().ok()?),
        None => (text, 32),
    };
    if len > 32 {
        return None;
    }
    let ip = parse_ipv4(addr)?;
    Some((ip & prefix_mask(len), len))
}

/// The netmask of a prefix length (0 for /0).
pub fn prefix_mask(len: u8) -> u32 {
    if len == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(len.min(32)))
    }
}

/// Formats an address as a dotted quad.
pub fn format_ipv4(ip: u32) -> String {
    let [a, b, c, d] = ip.to_be_bytes();
    format!("{a}.{b}.{c}.{d}")
}

/// Formats a prefix as `a.b.c.d/len`.
pub fn format_prefix(net: u32, len: u8) -> String {
    format!("{}/{len}", format_ipv4(net & prefix_mask(len)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padded_octets_are_decimal() {
        assert_eq!(parse_ipv4("010.008.000.001"), Some(0x0A08_0001));
        assert_eq!(parse_ipv4("000.000.000.000"), Some(0));
        assert_eq!(parse_ipv4("255.255.255.255"), Some(u32::MAX));
    }

    #[test]
    fn rejects_malformed() {
        for bad in
            ["", "1..2.3", "1.2.3.4.5", "1.2.3.4 ", "a.b.c.d", "1.2.3.0255"]
        {
            assert_eq!(parse_ipv4(bad), None, "{bad:?}");
        }
    }
}
