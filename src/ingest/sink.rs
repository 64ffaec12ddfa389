//! Where parsers put what they read: the merge map of events and the
//! skip groups. Every data line ends here exactly once, as kept or
//! skipped, which is what makes `lines_read == kept + skipped` hold.

use super::SkipGroup;
use crate::event::{Day, Event};

/// How many example lines a skip group keeps.
const EXAMPLES: usize = 5;
/// Longest example line, in characters.
const EXAMPLE_CHARS: usize = 120;

/// Raw events buffered before a merge pass is at least this many.
const MIN_BATCH: usize = 1 << 20;

/// Packs an event so that numeric order is (day, src, len, proto, port)
/// order, with the weight in the low 32 bits.
fn pack(
    day: Day,
    src: u32,
    len: u8,
    proto: u8,
    port: u16,
    weight: u32,
) -> u128 {
    let day = (day as u32) ^ 0x8000_0000;
    (u128::from(day) << 96)
        | (u128::from(src) << 64)
        | (u128::from(len) << 56)
        | (u128::from(proto) << 48)
        | (u128::from(port) << 32)
        | u128::from(weight)
}

/// The inverse of [`pack`].
fn unpack(v: u128) -> Event {
    Event {
        day: (((v >> 96) as u32) ^ 0x8000_0000) as Day,
        src: (v >> 64) as u32,
        prefix_len: (v >> 56) as u8,
        proto: (v >> 48) as u8,
        port: (v >> 32) as u16,
        weight: v as u32,
    }
}

/// Sorts and merges equal keys in place, summing weights (saturating).
fn merge(events: &mut Vec<u128>) {
    events.sort_unstable();
    let mut out = 0;
    for i in 0..events.len() {
        let v = events[i];
        if out > 0 && events[out - 1] >> 32 == v >> 32 {
            let w = (events[out - 1] as u32).saturating_add(v as u32);
            events[out - 1] = (v >> 32 << 32) | u128::from(w);
        } else {
            events[out] = v;
            out += 1;
        }
    }
    events.truncate(out);
}

/// Collects kept events (merged) and skipped lines (grouped).
#[derive(Default)]
pub struct Sink {
    /// Packed events: a merged, sorted prefix of `merged_len`, then raw
    /// appends; merged again whenever the raw part outgrows the prefix,
    /// so memory stays within about twice the distinct events.
    events: Vec<u128>,
    merged_len: usize,
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
        if self.events.len() >= (2 * self.merged_len).max(MIN_BATCH) {
            merge(&mut self.events);
            self.merged_len = self.events.len();
        }
        self.events.push(pack(day, src, len, proto, port, weight));
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
        let mut packed = self.events;
        merge(&mut packed);
        let events = packed.into_iter().map(unpack).collect();
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
        sink.keep(-3, 9, 32, 6, 22, u32::MAX);
        sink.skip("bad date", 4, b"x");
        let (events, groups) = sink.into_parts();
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].day, -3);
        assert_eq!(events[0].weight, u32::MAX);
        assert_eq!(events[1].prefix_len, 24);
        assert_eq!(groups[0].count, 1);
        assert_eq!(groups[0].examples, vec![(4, "x".to_string())]);
    }
}
