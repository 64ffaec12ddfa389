//! Where parsers put what they read: the merge map of events and the
//! skip groups. Every data line ends here exactly once, as kept or
//! skipped, which is what makes `lines_read == kept + skipped` hold.

use super::SkipGroup;
use crate::event::{Day, Event};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// How many example lines a skip group keeps.
const EXAMPLES: usize = 5;
/// Longest example line, in characters.
const EXAMPLE_CHARS: usize = 120;

/// A multiply-rotate hasher for the packed event keys; the keys are not
/// attacker-chosen hash-flooding material in a browser tab, and SipHash
/// would dominate the parse time.
#[derive(Default)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u128(&mut self, v: u128) {
        let x = (v as u64) ^ ((v >> 64) as u64).rotate_left(29);
        let m = u128::from(x) * 0x9E37_79B9_7F4A_7C15_u128;
        self.0 = (m as u64) ^ ((m >> 64) as u64);
    }
}

/// Packs an event key so that numeric order is (day, src, len, proto,
/// port) order.
fn pack(day: Day, src: u32, len: u8, proto: u8, port: u16) -> u128 {
    let day = (day as u32) ^ 0x8000_0000;
    (u128::from(day) << 64)
        | (u128::from(src) << 32)
        | (u128::from(len) << 24)
        | (u128::from(proto) << 16)
        | u128::from(port)
}

/// The inverse of [`pack`], with the summed weight.
fn unpack(key: u128, weight: u32) -> Event {
    Event {
        day: (((key >> 64) as u32) ^ 0x8000_0000) as Day,
        src: (key >> 32) as u32,
        prefix_len: (key >> 24) as u8,
        proto: (key >> 16) as u8,
        port: key as u16,
        weight,
    }
}

/// Collects kept events (merged) and skipped lines (grouped).
#[derive(Default)]
pub struct Sink {
    merged: HashMap<u128, u32, BuildHasherDefault<KeyHasher>>,
    groups: Vec<(&'static str, SkipGroup)>,
    /// Data lines or records seen.
    pub lines_read: u64,
    /// Raw events kept.
    pub events_kept: u64,
    first_day: Option<Day>,
    last_day: Option<Day>,
}

impl Sink {
    /// Keeps one event (one data line), merging it into the map.
    pub fn keep(
        &mut self,
        day: Day,
        src: u32,
        len: u8,
        proto: u8,
        port: u16,
        weight: u32,
    ) {
        self.lines_read += 1;
        self.events_kept += 1;
        let slot =
            self.merged.entry(pack(day, src, len, proto, port)).or_insert(0);
        *slot = slot.saturating_add(weight);
        if self.first_day.is_none_or(|d| day < d) {
            self.first_day = Some(day);
        }
        if self.last_day.is_none_or(|d| day > d) {
            self.last_day = Some(day);
        }
    }

    /// Counts one data line as skipped for `reason`.
    pub fn skip(&mut self, reason: &'static str, line_no: u64, line: &[u8]) {
        self.lines_read += 1;
        let group = match self.groups.iter_mut().find(|(r, _)| *r == reason) {
            Some((_, g)) => g,
            None => {
                self.groups.push((
                    reason,
                    SkipGroup {
                        reason: reason.to_string(),
                        count: 0,
                        examples: Vec::new(),
                    },
                ));
                let last = self.groups.len() - 1;
                &mut self.groups[last].1
            }
        };
        group.count += 1;
        if group.examples.len() < EXAMPLES {
            let text: String = String::from_utf8_lossy(line)
                .chars()
                .take(EXAMPLE_CHARS)
                .collect();
            group.examples.push((line_no, text));
        }
    }

    /// First and last day of kept events.
    pub fn day_range(&self) -> (Option<Day>, Option<Day>) {
        (self.first_day, self.last_day)
    }

    /// The merged events, sorted, and the skip groups in order of first
    /// appearance.
    pub fn into_parts(self) -> (Vec<Event>, Vec<SkipGroup>) {
        let mut keys: Vec<(u128, u32)> = self.merged.into_iter().collect();
        keys.sort_unstable_by_key(|&(k, _)| k);
        let events = keys.into_iter().map(|(k, w)| unpack(k, w)).collect();
        let groups = self.groups.into_iter().map(|(_, g)| g).collect();
        (events, groups)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn merges_and_sorts() {
        let mut sink = Sink::default();
        sink.keep(-3, 9, 32, 6, 22, 2);
        sink.keep(5, 1, 24, 0, 0, 1);
        sink.keep(-3, 9, 32, 6, 22, 3);
        sink.skip("bad date", 4, b"x");
        let (events, groups) = sink.into_parts();
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].day, -3);
        assert_eq!(events[0].weight, 5);
        assert_eq!(events[1].prefix_len, 24);
        assert_eq!(groups[0].count, 1);
        assert_eq!(groups[0].examples, vec![(4, "x".to_string())]);
    }
}
