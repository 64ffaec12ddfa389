//! Special-purpose and bogon IPv4 ranges.
//!
//! This module owns one constant table: the IANA IPv4 Special-Purpose
//! Address Registry entries of /24 or larger, plus multicast, each marked
//! with whether it is on Team Cymru's 14-prefix "traditional bogon" list.
//! It says nothing about unallocated or unrouted space; that is the job of
//! [`crate::asn`] (an address in no ASN row is unrouted).
//!
//! Source: the hand-written `ipv4-special-and-bogons.tsv` of the shared data
//! folder (IANA registry, RFC 5771 multicast, Team Cymru list).

/// One special-purpose IPv4 prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpecialRange {
    /// Network address of the prefix.
    pub net: u32,
    /// Prefix length.
    pub len: u8,
    /// Short name of the range, with the RFC that defines it.
    pub name: &'static str,
    /// Whether the prefix is on Team Cymru's traditional bogon list.
    pub bogon: bool,
}

impl SpecialRange {
    /// The first address of the range.
    pub fn first(&self) -> u32 {
        self.net
    }

    /// The last address of the range (inclusive).
    pub fn last(&self) -> u32 {
        self.net | !crate::ip::prefix_mask(self.len)
    }

    /// Whether `ip` lies inside the range.
    pub fn contains(&self, ip: u32) -> bool {
        ip & crate::ip::prefix_mask(self.len) == self.net
    }
}

const fn range(
    a: u32,
    b: u32,
    c: u32,
    len: u8,
    name: &'static str,
    bogon: bool,
) -> SpecialRange {
    SpecialRange { net: (a << 24) | (b << 16) | (c << 8), len, name, bogon }
}

/// Every special-purpose range, sorted by network address, none
/// overlapping.
pub const SPECIAL_RANGES: &[SpecialRange] = &[
    range(0, 0, 0, 8, "\"This network\" (RFC 791/1122)", true),
    range(10, 0, 0, 8, "Private-Use (RFC 1918)", true),
    range(100, 64, 0, 10, "Shared Address Space / CGN (RFC 6598)", true),
    range(127, 0, 0, 8, "Loopback (RFC 1122)", true),
    range(169, 254, 0, 16, "Link Local (RFC 3927)", true),
    range(172, 16, 0, 12, "Private-Use (RFC 1918)", true),
    range(192, 0, 0, 24, "IETF Protocol Assignments (RFC 6890)", true),
    range(192, 0, 2, 24, "Documentation TEST-NET-1 (RFC 5737)", true),
    range(192, 31, 196, 24, "AS112-v4 (RFC 7535)", false),
    range(192, 52, 193, 24, "AMT (RFC 7450)", false),
    range(192, 88, 99, 24, "Deprecated 6to4 Relay Anycast (RFC 7526)", false),
    range(192, 168, 0, 16, "Private-Use (RFC 1918)", true),
    range(
        192,
        175,
        48,
        24,
        "Direct Delegation AS112 Service (RFC 7534)",
        false,
    ),
    range(198, 18, 0, 15, "Benchmarking (RFC 2544)", true),
    range(198, 51, 100, 24, "Documentation TEST-NET-2 (RFC 5737)", true),
    range(203, 0, 113, 24, "Documentation TEST-NET-3 (RFC 5737)", true),
    range(224, 0, 0, 4, "Multicast (RFC 5771)", true),
    range(240, 0, 0, 4, "Reserved \"Class E\" (RFC 1112)", true),
];

/// The special-purpose range containing `ip`, if any.
///
/// ```
/// use lwrank::bogon::special_range;
/// let r = special_range(0x0A01_0203).unwrap(); // 10.1.2.3
/// assert_eq!((r.len, r.bogon), (8, true));
/// assert!(special_range(0x0808_0808).is_none()); // 8.8.8.8
/// ```
pub fn special_range(ip: u32) -> Option<&'static SpecialRange> {
    // The table is sorted and disjoint: the candidate is the last range
    // starting at or before `ip`.
    let idx = SPECIAL_RANGES.partition_point(|r| r.net <= ip);
    let candidate = SPECIAL_RANGES.get(idx.checked_sub(1)?)?;
    candidate.contains(ip).then_some(candidate)
}

/// Whether `ip` lies on Team Cymru's traditional bogon list, i.e. should
/// never be a source on the public Internet.
pub fn is_bogon(ip: u32) -> bool {
    special_range(ip).is_some_and(|r| r.bogon)
}

/// The index of `range` in [`SPECIAL_RANGES`] (used for pseudo-ASNs).
pub fn range_index(range: &SpecialRange) -> Option<usize> {
    SPECIAL_RANGES.iter().position(|r| r == range)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::ip::parse_ipv4;

    #[test]
    fn table_is_sorted_and_disjoint() {
        for pair in SPECIAL_RANGES.windows(2) {
            assert!(pair[0].last() < pair[1].first(), "{pair:?}");
        }
        for r in SPECIAL_RANGES {
            assert_eq!(r.net & !crate::ip::prefix_mask(r.len), 0, "{r:?}");
        }
    }

    #[test]
    fn fourteen_cymru_prefixes_plus_split_multicast() {
        // Cymru lists 224.0.0.0/3 as 224/4 + 240/4: 14 prefixes in all.
        let n = SPECIAL_RANGES.iter().filter(|r| r.bogon).count();
        assert_eq!(n, 14);
    }

    #[test]
    fn first_last_and_just_outside() {
        // (prefix, first, last, bogon) straight from the shared TSV.
        let rows = [
            ("0.0.0.0", "0.255.255.255", true),
            ("10.0.0.0", "10.255.255.255", true),
            ("100.64.0.0", "100.127.255.255", true),
            ("127.0.0.0", "127.255.255.255", true),
            ("169.254.0.0", "169.254.255.255", true),
            ("172.16.0.0", "172.31.255.255", true),
            ("192.0.0.0", "192.0.0.255", true),
            ("192.0.2.0", "192.0.2.255", true),
            ("192.31.196.0", "192.31.196.255", false),
            ("192.52.193.0", "192.52.193.255", false),
            ("192.88.99.0", "192.88.99.255", false),
            ("192.168.0.0", "192.168.255.255", true),
            ("192.175.48.0", "192.175.48.255", false),
            ("198.18.0.0", "198.19.255.255", true),
            ("198.51.100.0", "198.51.100.255", true),
            ("203.0.113.0", "203.0.113.255", true),
            ("224.0.0.0", "239.255.255.255", true),
            ("240.0.0.0", "255.255.255.255", true),
        ];
        assert_eq!(rows.len(), SPECIAL_RANGES.len());
        for (first, last, bogon) in rows {
            let (f, l) =
                (parse_ipv4(first).unwrap(), parse_ipv4(last).unwrap());
            for ip in [f, l] {
                let r = special_range(ip).unwrap();
                assert_eq!((r.first(), r.last()), (f, l), "{first}");
                assert_eq!(is_bogon(ip), bogon, "{first}");
            }
            // Just outside: either in no range or in a different one
            // (only multicast and class E touch each other).
            for out in
                [f.checked_sub(1), l.checked_add(1)].into_iter().flatten()
            {
                let other = special_range(out).map(|r| r.first());
                assert_ne!(other, Some(f), "{first}: {out:#x}");
            }
        }
        let outside = [
            "9.255.255.255",
            "11.0.0.0",
            "100.63.255.255",
            "100.128.0.0",
            "172.15.255.255",
            "172.32.0.0",
            "198.17.255.255",
            "198.20.0.0",
            "223.255.255.255",
        ];
        for ip in outside {
            assert!(special_range(parse_ipv4(ip).unwrap()).is_none(), "{ip}");
            assert!(!is_bogon(parse_ipv4(ip).unwrap()), "{ip}");
        }
    }
}
