//! Exact likelihood per map cell, by cutting the address space into
//! segments whose addresses all share one feature vector.
//!
//! An address's features depend only on whether it was seen itself (then
//! it has its own vector), else on its /24, its /16, its ASN and its
//! special-range status. Between any two breakpoints (ASN range edges,
//! special range edges, seen /16 and /24 edges, each seen address) nothing
//! changes, so a [`Partition`] lists those breakpoints once and [`infer`]
//! walks the segments inside one [`Level`]. Segments with the same key
//! (seen address, seen /24, seen /16, ASN, special range) get their
//! features once; identical vectors are predicted once, in one batch.
//!
//! Reserved space: addresses inside the `special` ranges given to
//! [`Partition::new`] (pass the bogons) can never be real sources, so they
//! are left out of every mean, of the base rate and of prediction. A cell
//! made only of them is drawn as reserved, not as a likelihood.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use thiserror::Error;

/// Error from [`infer`] when a closure breaks its contract.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MapError {
    /// The features closure returned rows of different lengths.
    #[error("features for {address:#010x} have {got} values, expected {want}")]
    FeatureLength {
        /// Representative address whose row had the wrong length.
        address: u32,
        /// Length of the first row.
        want: usize,
        /// Length of this row.
        got: usize,
    },
    /// The predict closure returned the wrong number of probabilities.
    #[error("predict returned {got} probabilities for {want} rows")]
    PredictLength {
        /// Rows passed in.
        want: usize,
        /// Probabilities returned.
        got: usize,
    },
}

/// Which 256 cells the map shows.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub enum Level {
    /// The whole Internet, one cell per /8.
    Internet,
    /// One /8 (first octet), one cell per /16.
    Slash8(u8),
    /// One /16 (first two octets), one cell per /24.
    Slash16(u8, u8),
}

impl Level {
    /// First address of the level and the prefix length of its cells.
    pub fn base_and_cell_len(self) -> (u32, u8) {
        match self {
            Level::Internet => (0, 8),
            Level::Slash8(a) => (u32::from(a) << 24, 16),
            Level::Slash16(a, b) => {
                ((u32::from(a) << 24) | (u32::from(b) << 16), 24)
            }
        }
    }

    /// Network address of cell `index` (0..=255) of this level.
    pub fn cell_prefix(self, index: u8) -> u32 {
        let (base, len) = self.base_and_cell_len();
        base | (u32::from(index) << (32 - len))
    }
}

/// Multiply-rotate hasher for the small integer keys used here (the
/// default SipHash guards against hostile keys, which these are not).
#[derive(Default)]
struct FastHasher(u64);

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    fn write_u16(&mut self, n: u16) {
        self.write_u64(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        // Odd constant close to 2^64 / golden ratio spreads the bits.
        self.0 =
            (self.0.rotate_left(5) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// Everything a segment's feature vector may depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct SegmentKey {
    ip: Option<u32>,
    s24: Option<u32>,
    s16: Option<u32>,
    asn: Option<u32>,
}

/// The IPv4 space cut at every point where a feature may change.
#[derive(Debug, Clone, Default)]
pub struct Partition {
    /// Segment starts, sorted, first is 0.
    breaks: Vec<u32>,
    ips: Vec<u32>,
    s24: Vec<u32>,
    s16: Vec<u32>,
    /// (start, end inclusive, asn), sorted, disjoint, runs merged.
    asn: Vec<(u32, u32, u32)>,
    /// (start, end inclusive) of reserved space, sorted, disjoint.
    reserved: Vec<(u32, u32)>,
}

/// Sorted, deduplicated copy of `v`.
fn sorted(v: &[u32]) -> Vec<u32> {
    let mut v = v.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}

/// Pushes the start of `[start, end]` and the address after it.
fn push_edges(breaks: &mut Vec<u32>, start: u64, end_incl: u64) {
    if let Ok(s) = u32::try_from(start) {
        breaks.push(s);
    }
    if let Ok(e) = u32::try_from(end_incl + 1) {
        breaks.push(e);
    }
}

impl Partition {
    /// Cuts the space at seen addresses, seen /24s (`net >> 8`), seen /16s
    /// (`net >> 16`), ASN ranges (start, end inclusive, asn; sorted and
    /// disjoint, gaps have no ASN) and reserved `special` prefixes.
    ///
    /// Overlapping or reversed ASN ranges are dropped (logged at debug).
    pub fn new(
        seen_ips: &[u32],
        seen_24s: &[u32],
        seen_16s: &[u32],
        asn_ranges: impl Iterator<Item = (u32, u32, u32)>,
        special: &[(u32, u8)],
    ) -> Partition {
        let ips = sorted(seen_ips);
        let s24 = sorted(seen_24s);
        let s16 = sorted(seen_16s);

        // Merge touching ranges of one ASN: no feature changes between them.
        let mut asn: Vec<(u32, u32, u32)> = Vec::new();
        let mut dropped = 0usize;
        for (start, end, a) in asn_ranges {
            match asn.last_mut() {
                _ if end < start => dropped += 1,
                Some(last) if start <= last.1 => dropped += 1,
                Some(last)
                    if last.2 == a
                        && u64::from(last.1) + 1 == u64::from(start) =>
                {
                    last.1 = end
                }
                _ => asn.push((start, end, a)),
            }
        }
        if dropped > 0 {
            log::debug!(
                "map: dropped {dropped} reversed or overlapping asn ranges"
            );
        }

        // Reserved space as disjoint intervals (the union of the prefixes).
        let mut spans: Vec<(u64, u64)> = special
            .iter()
            .map(|&(net, len)| {
                let len = len.min(32);
                let size = 1u64 << (32 - u32::from(len));
                let start = u64::from(net) & !(size - 1);
                (start, start + size - 1)
            })
            .collect();
        spans.sort_unstable();
        let mut reserved: Vec<(u32, u32)> = Vec::new();
        for (s, e) in spans {
            let (s, e) = (s as u32, e as u32);
            match reserved.last_mut() {
                Some(last) if u64::from(s) <= u64::from(last.1) + 1 => {
                    last.1 = last.1.max(e)
                }
                _ => reserved.push((s, e)),
            }
        }

        // Every edge where some input changes starts a segment.
        let mut breaks = vec![0u32];
        for &ip in &ips {
            push_edges(&mut breaks, u64::from(ip), u64::from(ip));
        }
        for &k in &s24 {
            let s = u64::from(k) << 8;
            push_edges(&mut breaks, s, s + 255);
        }
        for &k in &s16 {
            let s = u64::from(k) << 16;
            push_edges(&mut breaks, s, s + 65_535);
        }
        for &(s, e, _) in &asn {
            push_edges(&mut breaks, u64::from(s), u64::from(e));
        }
        for &(s, e) in &reserved {
            push_edges(&mut breaks, u64::from(s), u64::from(e));
        }
        breaks.sort_unstable();
        breaks.dedup();
        log::debug!(
            "map: partition of {} segments ({} asn runs, {} seen ips)",
            breaks.len(),
            asn.len(),
            ips.len()
        );
        Partition { breaks, ips, s24, s16, asn, reserved }
    }

    /// Number of segments over the whole IPv4 space.
    pub fn len(&self) -> usize {
        self.breaks.len()
    }

    /// Whether the partition has no segments (never: it covers the space).
    pub fn is_empty(&self) -> bool {
        self.breaks.is_empty()
    }

    /// Whether `ip` lies in the reserved (special) space.
    pub fn is_reserved(&self, ip: u32) -> bool {
        let i = self.reserved.partition_point(|r| r.1 < ip);
        self.reserved.get(i).is_some_and(|r| r.0 <= ip)
    }

    /// The ASN routing `ip`, if any.
    pub fn asn_of(&self, ip: u32) -> Option<u32> {
        let i = self.asn.partition_point(|r| r.1 < ip);
        self.asn.get(i).filter(|r| r.0 <= ip).map(|r| r.2)
    }
}

/// One cell of a [`Grid`]: a prefix and the mean predicted likelihood.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Cell {
    /// Network address of the cell.
    pub prefix: u32,
    /// Prefix length of the cell (8, 16 or 24).
    pub prefix_len: u8,
    /// Mean probability over the cell's non-reserved addresses (0 if none).
    pub mean_probability: f64,
    /// Addresses in the cell: always 2^(32 - prefix_len).
    pub addresses: u64,
    /// Addresses with an ASN (routed), reserved space excluded.
    pub routed_addresses: u64,
    /// Addresses in reserved (special) space.
    pub reserved_addresses: u64,
    /// Distinct feature vectors among the cell's non-reserved addresses.
    pub distinct_vectors: u32,
}

impl Cell {
    /// Addresses that count in the mean: all but the reserved ones.
    pub fn eligible_addresses(&self) -> u64 {
        self.addresses - self.reserved_addresses
    }

    /// Whether the whole cell is reserved space.
    pub fn is_reserved(&self) -> bool {
        self.eligible_addresses() == 0
    }
}

/// The 256 cells of one [`Level`] with their exact mean likelihoods.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Grid {
    /// Which level the cells belong to.
    pub level: Level,
    /// Cells in curve order: cell i is child i of the level.
    pub cells: Vec<Cell>,
    /// Mean probability over the level's non-reserved addresses.
    pub base_rate: f64,
    /// Distinct feature vectors predicted for the level.
    pub distinct_vectors: usize,
    /// Segments walked (after cutting at cell edges).
    pub segments: usize,
}

impl Grid {
    /// How many times more likely than the base rate cell `index` is;
    /// `None` for a reserved cell or a zero base rate.
    pub fn ratio(&self, index: u8) -> Option<f64> {
        self.ratio_against(index, self.base_rate)
    }

    /// Like [`Grid::ratio`] but against another base rate (e.g. the whole
    /// Internet's, to keep colours comparable across zoom levels).
    pub fn ratio_against(&self, index: u8, base_rate: f64) -> Option<f64> {
        let cell = self.cells.get(usize::from(index))?;
        if cell.is_reserved() || base_rate <= 0.0 {
            None
        } else {
            Some(cell.mean_probability / base_rate)
        }
    }
}

/// Sorted-list cursor that answers "is this key present" for rising keys.
struct Cursor<'a> {
    list: &'a [u32],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn new(list: &'a [u32], from: u32) -> Cursor<'a> {
        Cursor { list, at: list.partition_point(|&k| k < from) }
    }

    fn has(&mut self, key: u32) -> bool {
        while self.list.get(self.at).is_some_and(|&k| k < key) {
            self.at += 1;
        }
        self.list.get(self.at) == Some(&key)
    }
}

/// Cursor over sorted disjoint inclusive ranges, for rising addresses.
struct RangeCursor<'a, T> {
    list: &'a [T],
    at: usize,
}

impl<'a, T: Copy> RangeCursor<'a, T> {
    fn new(list: &'a [T], from: u32, span: fn(&T) -> (u32, u32)) -> Self {
        RangeCursor { list, at: list.partition_point(|r| span(r).1 < from) }
    }

    fn find(&mut self, ip: u32, span: fn(&T) -> (u32, u32)) -> Option<T> {
        while self.list.get(self.at).is_some_and(|r| span(r).1 < ip) {
            self.at += 1;
        }
        self.list.get(self.at).copied().filter(|r| span(r).0 <= ip)
    }
}

fn asn_span(r: &(u32, u32, u32)) -> (u32, u32) {
    (r.0, r.1)
}

fn reserved_span(r: &(u32, u32)) -> (u32, u32) {
    *r
}

/// Per-cell tallies while walking.
#[derive(Default, Clone)]
struct Tally {
    /// (vector id, addresses) for the cell's non-reserved segments.
    parts: Vec<(u32, u64)>,
    routed: u64,
    reserved: u64,
}

/// Exact mean predicted probability of each cell of `level`.
///
/// `features(address, row)` appends the feature vector of `address` to
/// `row`; it is called once per distinct segment key with a representative
/// address, and must depend only on what the module docs list. `predict`
/// gets all distinct vectors row-major with the number of features and
/// returns one probability per row.
pub fn infer(
    partition: &Partition,
    level: Level,
    features: &mut dyn FnMut(u32, &mut Vec<f32>),
    predict: &mut dyn FnMut(&[f32], usize) -> Vec<f64>,
) -> Result<Grid, MapError> {
    let (base, cell_len) = level.base_and_cell_len();
    let shift = 32 - u32::from(cell_len);
    let lo = u64::from(base);
    let hi = lo + (256u64 << shift);

    // Feature rows of the distinct vectors, found via key then bits.
    let mut rows: Vec<f32> = Vec::new();
    let mut n_features: Option<usize> = None;
    let mut by_key: FastMap<SegmentKey, u32> = FastMap::default();
    let mut by_bits: FastMap<Vec<u32>, u32> = FastMap::default();
    let mut row: Vec<f32> = Vec::new();
    let mut n_distinct = 0u32;

    let mut tallies = vec![Tally::default(); 256];
    // slot[v] = (cell + 1, position in that cell's parts) of vector v.
    let mut slot: Vec<(u32, u32)> = Vec::new();

    let p = partition;
    let mut ips = Cursor::new(&p.ips, base);
    let mut s24 = Cursor::new(&p.s24, base >> 8);
    let mut s16 = Cursor::new(&p.s16, base >> 16);
    let mut asn = RangeCursor::new(&p.asn, base, asn_span);
    let mut res = RangeCursor::new(&p.reserved, base, reserved_span);

    let first = p.breaks.partition_point(|&b| u64::from(b) <= lo);
    let mut i = first.saturating_sub(1);
    let mut segments = 0usize;
    let mut start = lo;
    while start < hi {
        // The segment [start, end) is clipped to the level and the cell.
        let next = p.breaks.get(i + 1).map_or(1u64 << 32, |&b| u64::from(b));
        let cell = ((start - lo) >> shift) as usize;
        let cell_end = lo + ((cell as u64 + 1) << shift);
        let end = next.min(cell_end).min(hi);
        let count = end - start;
        let s = start as u32;
        segments += 1;

        let tally = &mut tallies[cell];
        let routed = asn.find(s, asn_span).map(|r| r.2);
        if res.find(s, reserved_span).is_some() {
            tally.reserved += count;
        } else {
            if routed.is_some() {
                tally.routed += count;
            }
            let key = if ips.has(s) {
                SegmentKey { ip: Some(s), s24: None, s16: None, asn: None }
            } else {
                SegmentKey {
                    ip: None,
                    s24: s24.has(s >> 8).then_some(s >> 8),
                    s16: s16.has(s >> 16).then_some(s >> 16),
                    asn: routed,
                }
            };

            // Vector id for this key: from the cache or new features.
            let id = match by_key.get(&key) {
                Some(&id) => id,
                None => {
                    row.clear();
                    features(s, &mut row);
                    let want = *n_features.get_or_insert(row.len());
                    if row.len() != want {
                        return Err(MapError::FeatureLength {
                            address: s,
                            want,
                            got: row.len(),
                        });
                    }
                    let bits: Vec<u32> =
                        row.iter().map(|f| f.to_bits()).collect();
                    let id = *by_bits.entry(bits).or_insert_with(|| {
                        rows.extend_from_slice(&row);
                        slot.push((0, 0));
                        n_distinct += 1;
                        n_distinct - 1
                    });
                    by_key.insert(key, id);
                    id
                }
            };

            // Add the addresses to this cell's share of vector `id`.
            let stamp = cell as u32 + 1;
            let sl = &mut slot[id as usize];
            if sl.0 == stamp {
                tally.parts[sl.1 as usize].1 += count;
            } else {
                *sl = (stamp, tally.parts.len() as u32);
                tally.parts.push((id, count));
            }
        }

        start = end;
        if end == next {
            i += 1;
        }
    }

    // One batch prediction for all distinct vectors.
    let nf = n_features.unwrap_or(0);
    let probs = if n_distinct == 0 { Vec::new() } else { predict(&rows, nf) };
    if probs.len() != n_distinct as usize {
        return Err(MapError::PredictLength {
            want: n_distinct as usize,
            got: probs.len(),
        });
    }

    // Address-weighted means per cell and over the level.
    let addresses = 1u64 << shift;
    let (mut total, mut eligible_all) = (0.0f64, 0u64);
    let cells: Vec<Cell> = tallies
        .iter()
        .enumerate()
        .map(|(c, t)| {
            let sum: f64 = t
                .parts
                .iter()
                .map(|&(id, n)| probs[id as usize] * n as f64)
                .sum();
            let eligible = addresses - t.reserved;
            total += sum;
            eligible_all += eligible;
            Cell {
                prefix: level.cell_prefix(c as u8),
                prefix_len: cell_len,
                mean_probability: if eligible > 0 {
                    sum / eligible as f64
                } else {
                    0.0
                },
                addresses,
                routed_addresses: t.routed,
                reserved_addresses: t.reserved,
                distinct_vectors: t.parts.len() as u32,
            }
        })
        .collect();
    let base_rate =
        if eligible_all > 0 { total / eligible_all as f64 } else { 0.0 };
    log::debug!(
        "map: {level:?}: {segments} segments, {n_distinct} distinct vectors, \
         {} feature calls, base rate {base_rate:.3e}",
        by_key.len()
    );
    Ok(Grid {
        level,
        cells,
        base_rate,
        distinct_vectors: n_distinct as usize,
        segments,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn partition_cuts_at_every_edge() {
        let p = Partition::new(
            &[0x0A00_0005],
            &[0x0B_0000],
            &[],
            [(0x0C00_0000, 0x0C00_00FF, 7), (0x0C00_0100, 0x0C00_01FF, 7)]
                .into_iter(),
            &[(0xE000_0000, 4)],
        );
        // 0, ip, ip+1, /24 start, /24 end+1, merged asn start, end+1,
        // multicast start and end+1.
        assert_eq!(
            p.breaks,
            vec![
                0,
                0x0A00_0005,
                0x0A00_0006,
                0x0B00_0000,
                0x0B00_0100,
                0x0C00_0000,
                0x0C00_0200,
                0xE000_0000,
                0xF000_0000
            ]
        );
        assert_eq!(p.asn_of(0x0C00_01FF), Some(7));
        assert_eq!(p.asn_of(0x0C00_0200), None);
        assert!(p.is_reserved(0xEFFF_FFFF));
        assert!(!p.is_reserved(0xDFFF_FFFF));
        assert!(!p.is_reserved(0xF000_0000));
    }

    #[test]
    fn level_prefixes() {
        assert_eq!(Level::Internet.cell_prefix(192), 0xC000_0000);
        assert_eq!(Level::Slash8(192).cell_prefix(168), 0xC0A8_0000);
        assert_eq!(Level::Slash16(192, 168).cell_prefix(1), 0xC0A8_0100);
    }
}
