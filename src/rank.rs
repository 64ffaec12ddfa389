//! Time-decayed badness scores per IP, /24, /16 and ASN, and lwRank.
//!
//! This module owns the scores and their normalisation. It takes events
//! already filtered to one behaviour (see [`crate::event::Behaviour`]) and
//! leaves feature vectors to [`crate::features`].
//!
//! # Entities and keys
//!
//! Each event counts for several *entities*, keyed by a `u32`:
//!
//! | event prefix | IP (`src`) | /24 (`src >> 8`) | /16 (`src >> 16`) | ASN |
//! |---|---|---|---|---|
//! | /32 | yes | yes | yes | yes |
//! | /24 to /31 (block lists) | no | yes | yes | yes |
//! | shorter than /24 | no | no | yes, of the network address | yes, of the network address |
//!
//! A /24 from a block list says "somebody in this /24", so it cannot credit
//! one address. A prefix shorter than a /24 is credited to the /16 and ASN
//! of its network address only (coarse, but such prefixes are rare in the
//! supported feeds and never span more than one ASN row in practice).
//!
//! The ASN key is [`asn_key`]: the table's ASN, except for two classes
//! that are ranked by a rule of their own and never mixed into a real ASN:
//!
//! - a bogon (on Team Cymru's list, see [`crate::bogon`]) gets the pseudo
//!   ASN `BOGON_ASN_BASE + i`, one per special range `i`;
//! - an address in no ASN row ("unrouted") gets `UNROUTED_ASN_BASE + n`,
//!   one per first octet `n` ("unrouted /8 n").
//!
//! Both bases lie in the private-use ASN range of RFC 6996, so they never
//! collide with a real ASN. These pseudo-ASNs accumulate scores like any
//! ASN, so spoofed or unrouted sources pool together and, as in the talk,
//! tend to rank high; [`crate::features`] also carries a flag for them.
//!
//! # Score
//!
//! With half-life `h` days, the score of key `k` at the end of day `D` is
//!
//! ```text
//! score_D(k) = score_{D-1}(k) * 2^(-1/h) + w_D(k)
//! ```
//!
//! where `w_D(k)` is the sum of the weights of `k`'s events on day `D`
//! (packets, reports or targets, as the input format gives; else 1 per
//! event). Per key the history is kept as a sorted list of the days with
//! events and the score right after each of them, `S_i = S_{i-1} *
//! 2^(-(d_i - d_{i-1})/h) + w_i`; the score on any later day `D` is then
//! `S_i * 2^(-(D - d_i)/h)` for the last `d_i <= D`, found by binary search.
//! Storing scores at their own day (rather than sums anchored at a fixed
//! day) never overflows, whatever the history length or half-life: values
//! only shrink between events.
//!
//! # lwRank
//!
//! A [`RankView`] for day `D` sees only events with `day < D`, so it uses
//! `s = score_{D-1}(k)`. Per entity type and day,
//!
//! ```text
//! lwRank_D(k) = ln(1 + s) / ln(1 + s_max(D))
//! ```
//!
//! where `s_max(D)` is the largest `score_{D-1}` of any key of that type.
//! It is 0 for a key never seen, 1 for the top key of the day, monotone in
//! the score, and the logarithm spreads the heavy-tailed counts (one
//! scanner can send a million packets, most send a few) over [0, 1]. A
//! percentile rank would also be bounded, but needs a sort per day and
//! makes a key's rank depend on how many quiet keys exist; the log ratio
//! needs only `s_max(D)`, which one sweep over the days precomputes: all
//! scores decay at the same rate, so the day's maximum is either
//! yesterday's decayed maximum or the score of a key updated that day.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::asn::AsnTable;
use crate::bogon;
use crate::event::{Day, Event};
use crate::ip::prefix_mask;

/// First pseudo-ASN for addresses in no ASN row: `+ n` for first octet n.
pub const UNROUTED_ASN_BASE: u32 = 0xFFFF_FE00;
/// First pseudo-ASN for bogons: `+ i` for `bogon::SPECIAL_RANGES[i]`.
pub const BOGON_ASN_BASE: u32 = 0xFFFF_FF00;

/// Errors from rank parameters.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum RankError {
    /// The half-life was zero, negative or not finite.
    #[error("half-life must be a positive finite number of days, got {0}")]
    BadHalfLife(f64),
}

/// A half-life in days: a score halves after this many days without events.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct HalfLife(f64);

impl HalfLife {
    /// Checks that `days` is positive and finite.
    pub fn new(days: f64) -> Result<HalfLife, RankError> {
        if days.is_finite() && days > 0.0 {
            Ok(HalfLife(days))
        } else {
            Err(RankError::BadHalfLife(days))
        }
    }

    /// The half-life in days.
    pub fn days(self) -> f64 {
        self.0
    }

    /// `value` decayed from the end of day `from` to the end of day `to`.
    ///
    /// ```
    /// use lwrank::rank::HalfLife;
    /// let h = HalfLife::new(7.0).unwrap();
    /// assert_eq!(h.decay(8.0, 10, 17), 4.0);
    /// assert_eq!(h.decay(8.0, 10, 10), 8.0);
    /// ```
    pub fn decay(self, value: f64, from: Day, to: Day) -> f64 {
        let dt = (i64::from(to) - i64::from(from)) as f64;
        value * (-dt / self.0).exp2()
    }
}

impl TryFrom<f64> for HalfLife {
    type Error = RankError;
    fn try_from(days: f64) -> Result<HalfLife, RankError> {
        HalfLife::new(days)
    }
}

impl From<HalfLife> for f64 {
    fn from(h: HalfLife) -> f64 {
        h.0
    }
}

/// The kinds of entity that carry a score.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
)]
pub enum Entity {
    /// A single address; key = the address.
    Ip,
    /// A /24; key = `ip >> 8`.
    Slash24,
    /// A /16; key = `ip >> 16`.
    Slash16,
    /// An autonomous system; key = [`asn_key`] (real or pseudo ASN).
    Asn,
}

impl Entity {
    /// All four, in feature order.
    pub const ALL: [Entity; 4] =
        [Entity::Ip, Entity::Slash24, Entity::Slash16, Entity::Asn];

    /// Position in [`Entity::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// A short label: "IP", "/24", "/16" or "ASN".
    pub fn label(self) -> &'static str {
        match self {
            Entity::Ip => "IP",
            Entity::Slash24 => "/24",
            Entity::Slash16 => "/16",
            Entity::Asn => "ASN",
        }
    }

    /// The key of the entity of this kind that contains `ip`; always
    /// `Some` (addresses without an ASN get a pseudo-ASN, see [`asn_key`]).
    pub fn key(self, ip: u32, asn: &AsnTable) -> Option<u32> {
        Some(match self {
            Entity::Ip => ip,
            Entity::Slash24 => ip >> 8,
            Entity::Slash16 => ip >> 16,
            Entity::Asn => asn_key(ip, asn),
        })
    }
}

/// The ASN key of `ip`: a pseudo-ASN for bogons and unrouted addresses,
/// else the table's ASN.
pub fn asn_key(ip: u32, asn: &AsnTable) -> u32 {
    if let Some(r) = bogon::special_range(ip).filter(|r| r.bogon) {
        let i = bogon::range_index(r).unwrap_or(0) as u32;
        return BOGON_ASN_BASE + i;
    }
    asn.lookup(ip).unwrap_or(UNROUTED_ASN_BASE + (ip >> 24))
}

/// Whether an ASN key is one of the pseudo-ASNs of [`asn_key`].
pub fn is_pseudo_asn(key: u32) -> bool {
    key >= UNROUTED_ASN_BASE
}

/// A label for a pseudo-ASN ("bogon: Loopback (RFC 1122)", "unrouted /8
/// 41"), or `None` for a real ASN.
pub fn pseudo_asn_label(key: u32) -> Option<String> {
    if key >= BOGON_ASN_BASE {
        let r = bogon::SPECIAL_RANGES.get((key - BOGON_ASN_BASE) as usize)?;
        Some(format!("bogon: {}", r.name))
    } else if key >= UNROUTED_ASN_BASE {
        Some(format!("unrouted /8 {}", key - UNROUTED_ASN_BASE))
    } else {
        None
    }
}

/// What the events before a day say about one key.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IpStats {
    /// The last day with an event.
    pub last_seen: Day,
    /// Number of distinct days with events.
    pub days_seen: u32,
    /// Sum of event weights.
    pub volume: f64,
}

/// The score history of one entity type.
#[derive(Clone, Debug, Default)]
struct Series {
    /// Keys, sorted.
    keys: Vec<u32>,
    /// Entries of key `i` are `offsets[i]..offsets[i + 1]`.
    offsets: Vec<u32>,
    /// Day of each entry, ascending within a key.
    days: Vec<Day>,
    /// Score at the end of the entry's day.
    scores: Vec<f64>,
    /// Cumulative weight up to and including the entry.
    volumes: Vec<f64>,
    /// Per event day: (day, champion day, champion score), the champion
    /// being the entry whose decayed score is the day's maximum.
    champions: Vec<(Day, Day, f64)>,
    /// Per event day: (day, largest cumulative volume of any key so far).
    volume_max: Vec<(Day, f64)>,
}

impl Series {
    /// Builds from (key, day, weight) triples in any order.
    fn build(
        mut triples: Vec<(u64, f64)>,
        all_days: &[Day],
        h: HalfLife,
    ) -> Series {
        triples.sort_unstable_by_key(|t| t.0);
        let mut s = Series::default();
        let mut day_best = vec![f64::NEG_INFINITY; all_days.len()];
        let mut day_volume = vec![0.0f64; all_days.len()];
        let mut prev_key = None;
        // Sum each (key, day) group first: the weights are integers, so
        // the sum is exact whatever the order the sort left them in, and
        // the score of a day never depends on events of other days.
        let mut i = 0;
        while i < triples.len() {
            let packed = triples[i].0;
            let mut w = 0.0;
            while i < triples.len() && triples[i].0 == packed {
                w += triples[i].1;
                i += 1;
            }
            let (key, day) = unpack(packed);
            let (score, volume) = if prev_key == Some(key) {
                let last = s.days.len() - 1;
                let decayed = h.decay(s.scores[last], s.days[last], day);
                (decayed + w, s.volumes[last] + w)
            } else {
                s.keys.push(key);
                s.offsets.push(s.days.len() as u32);
                prev_key = Some(key);
                (w, w)
            };
            s.days.push(day);
            s.scores.push(score);
            s.volumes.push(volume);
        }
        s.offsets.push(s.days.len() as u32);

        // The day maxima, once every entry has its final score.
        for i in 0..s.days.len() {
            if let Ok(d) = all_days.binary_search(&s.days[i]) {
                day_best[d] = day_best[d].max(s.scores[i]);
                day_volume[d] = day_volume[d].max(s.volumes[i]);
            }
        }
        let mut champion: Option<(Day, f64)> = None;
        let mut vmax = 0.0f64;
        for (d, &day) in all_days.iter().enumerate() {
            let best = day_best[d];
            let beaten = match champion {
                None => best > f64::NEG_INFINITY,
                Some((cd, cv)) => best > h.decay(cv, cd, day),
            };
            if beaten {
                champion = Some((day, best));
            }
            if let Some((cd, cv)) = champion {
                s.champions.push((day, cd, cv));
            }
            vmax = vmax.max(day_volume[d]);
            s.volume_max.push((day, vmax));
        }
        s
    }

    /// The entry range of `key`, if it has any.
    fn entries(&self, key: u32) -> Option<(usize, usize)> {
        let k = self.keys.binary_search(&key).ok()?;
        Some((self.offsets[k] as usize, self.offsets[k + 1] as usize))
    }

    /// The last entry of `key` with a day before `day`.
    fn last_before(&self, key: u32, day: Day) -> Option<(usize, usize)> {
        let (lo, hi) = self.entries(key)?;
        let n = self.days[lo..hi].partition_point(|&d| d < day);
        (n > 0).then(|| (lo, lo + n - 1))
    }
}

fn pack(key: u32, day: Day) -> u64 {
    (u64::from(key) << 32) | u64::from((day as u32) ^ 0x8000_0000)
}

fn unpack(packed: u64) -> (u32, Day) {
    ((packed >> 32) as u32, ((packed as u32) ^ 0x8000_0000) as Day)
}

/// Scores of every entity over the whole event history.
#[derive(Clone, Debug)]
pub struct RankHistory {
    half_life: HalfLife,
    series: [Series; 4],
    first_day: Option<Day>,
    last_day: Option<Day>,
}

impl RankHistory {
    /// Builds the score history from events already filtered to one
    /// behaviour.
    pub fn build(
        events: &[Event],
        asn: &AsnTable,
        half_life: HalfLife,
    ) -> RankHistory {
        let mut all_days: Vec<Day> = events.iter().map(|e| e.day).collect();
        all_days.sort_unstable();
        all_days.dedup();

        // Expand each event into (entity key, day, weight) per entity.
        let mut triples: [Vec<(u64, f64)>; 4] = Default::default();
        let mut asn_memo: HashMap<u32, u32> = HashMap::new();
        for e in events {
            let w = f64::from(e.weight);
            let net = e.src & prefix_mask(e.prefix_len.min(32));
            if e.prefix_len >= 32 {
                triples[0].push((pack(net, e.day), w));
            }
            if e.prefix_len >= 24 {
                triples[1].push((pack(net >> 8, e.day), w));
            }
            triples[2].push((pack(net >> 16, e.day), w));
            let a = *asn_memo.entry(net).or_insert_with(|| asn_key(net, asn));
            triples[3].push((pack(a, e.day), w));
        }
        let [t0, t1, t2, t3] = triples;
        let series = [
            Series::build(t0, &all_days, half_life),
            Series::build(t1, &all_days, half_life),
            Series::build(t2, &all_days, half_life),
            Series::build(t3, &all_days, half_life),
        ];
        log::debug!(
            "rank history: {} events, {} days, keys ip {} /24 {} /16 {} asn {}",
            events.len(),
            all_days.len(),
            series[0].keys.len(),
            series[1].keys.len(),
            series[2].keys.len(),
            series[3].keys.len()
        );
        RankHistory {
            half_life,
            series,
            first_day: all_days.first().copied(),
            last_day: all_days.last().copied(),
        }
    }

    /// The half-life the scores were built with.
    pub fn half_life(&self) -> HalfLife {
        self.half_life
    }

    /// The first day with an event, `None` without events.
    pub fn first_day(&self) -> Option<Day> {
        self.first_day
    }

    /// The last day with an event, `None` without events.
    pub fn last_day(&self) -> Option<Day> {
        self.last_day
    }

    /// Number of distinct keys of an entity type over the whole history.
    pub fn key_count(&self, entity: Entity) -> usize {
        self.series[entity.index()].keys.len()
    }

    /// The ranks as seen at the start of `day`: only events with
    /// `e.day < day` count.
    pub fn view(&self, day: Day) -> RankView<'_> {
        RankView { history: self, day }
    }
}

/// Ranks on one day, built only from events of earlier days.
#[derive(Clone, Copy, Debug)]
pub struct RankView<'a> {
    history: &'a RankHistory,
    day: Day,
}

impl RankView<'_> {
    /// The day this view predicts (events of this day are not used).
    pub fn day(&self) -> Day {
        self.day
    }

    /// The history behind the view.
    pub fn rank_history(&self) -> &RankHistory {
        self.history
    }

    fn series(&self, entity: Entity) -> &Series {
        &self.history.series[entity.index()]
    }

    /// The score of a key at the end of the previous day (0 if unseen).
    pub fn score(&self, entity: Entity, key: u32) -> f64 {
        let s = self.series(entity);
        match s.last_before(key, self.day) {
            Some((_, i)) => self.history.half_life.decay(
                s.scores[i],
                s.days[i],
                self.day - 1,
            ),
            None => 0.0,
        }
    }

    /// The largest score of any key of this type (0 if none seen).
    pub fn max_score(&self, entity: Entity) -> f64 {
        let s = self.series(entity);
        let n = s.champions.partition_point(|c| c.0 < self.day);
        match n.checked_sub(1).map(|i| s.champions[i]) {
            Some((_, cd, cv)) => {
                self.history.half_life.decay(cv, cd, self.day - 1)
            }
            None => 0.0,
        }
    }

    /// lwRank of a key in [0, 1]; 0 if never seen before the day.
    pub fn rank(&self, entity: Entity, key: u32) -> f32 {
        normalise(self.score(entity, key), self.max_score(entity))
    }

    /// The four ranks of an address: [IP, /24, /16, ASN].
    pub fn ranks(&self, ip: u32, asn: &AsnTable) -> [f32; 4] {
        let asn_key = asn_key(ip, asn);
        [
            self.rank(Entity::Ip, ip),
            self.rank(Entity::Slash24, ip >> 8),
            self.rank(Entity::Slash16, ip >> 16),
            self.rank(Entity::Asn, asn_key),
        ]
    }

    /// Last day, days seen and volume of an address before the day.
    pub fn ip_stats(&self, ip: u32) -> Option<IpStats> {
        self.stats(Entity::Ip, ip)
    }

    /// Last day, days seen and volume of any key before the day.
    pub fn stats(&self, entity: Entity, key: u32) -> Option<IpStats> {
        let s = self.series(entity);
        let (lo, i) = s.last_before(key, self.day)?;
        Some(IpStats {
            last_seen: s.days[i],
            days_seen: (i - lo + 1) as u32,
            volume: s.volumes[i],
        })
    }

    /// The largest volume of any key of this type before the day.
    pub fn max_volume(&self, entity: Entity) -> f64 {
        let s = self.series(entity);
        let n = s.volume_max.partition_point(|v| v.0 < self.day);
        n.checked_sub(1).map_or(0.0, |i| s.volume_max[i].1)
    }

    /// Sorted keys of this type with at least one event before the day.
    pub fn seen(&self, entity: Entity) -> Vec<u32> {
        let s = self.series(entity);
        s.keys
            .iter()
            .enumerate()
            .filter(|&(k, _)| s.days[s.offsets[k] as usize] < self.day)
            .map(|(_, &key)| key)
            .collect()
    }

    /// Sorted addresses with an event before the day.
    pub fn seen_ips(&self) -> Vec<u32> {
        self.seen(Entity::Ip)
    }

    /// Sorted /24 keys (`net >> 8`) with an event before the day.
    pub fn seen_24s(&self) -> Vec<u32> {
        self.seen(Entity::Slash24)
    }

    /// Sorted /16 keys (`net >> 16`) with an event before the day.
    pub fn seen_16s(&self) -> Vec<u32> {
        self.seen(Entity::Slash16)
    }

    /// The `n` highest-ranked keys, best first (ties by key).
    pub fn top(&self, entity: Entity, n: usize) -> Vec<(u32, f32)> {
        let mut scored: Vec<(u32, f64)> = self
            .seen(entity)
            .into_iter()
            .map(|k| (k, self.score(entity, k)))
            .collect();
        scored.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let max = self.max_score(entity);
        scored.truncate(n);
        scored.into_iter().map(|(k, s)| (k, normalise(s, max))).collect()
    }

    /// The rank of a key on each of the `days` days ending with this
    /// view's day, oldest first (each from events before its own day).
    pub fn history(&self, entity: Entity, key: u32, days: usize) -> Vec<f32> {
        let days = days.min(i32::MAX as usize) as i32;
        (0..days)
            .rev()
            .map(|back| {
                let view = self.history.view(self.day.saturating_sub(back));
                view.rank(entity, key)
            })
            .collect()
    }
}

/// lwRank from a score and the day's maximum score.
///
/// ```
/// use lwrank::rank::normalise;
/// assert_eq!(normalise(0.0, 5.0), 0.0);
/// assert_eq!(normalise(5.0, 5.0), 1.0);
/// assert_eq!(normalise(1.0, 3.0), 0.5); // ln 2 / ln 4
/// ```
pub fn normalise(score: f64, max: f64) -> f32 {
    if score <= 0.0 || max <= 0.0 {
        return 0.0;
    }
    (score.ln_1p() / max.ln_1p()).clamp(0.0, 1.0) as f32
}

/// Counts of the keys seen before the view's day per lwRank bin
/// (`bins` equal bins over [0, 1]; rank 1 falls in the last).
pub fn histogram(view: &RankView, entity: Entity, bins: usize) -> Vec<u64> {
    let mut counts = vec![0u64; bins];
    if bins == 0 {
        return counts;
    }
    let max = view.max_score(entity);
    for key in view.seen(entity) {
        let r = f64::from(normalise(view.score(entity, key), max));
        let bin = ((r * bins as f64) as usize).min(bins - 1);
        counts[bin] += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn ev(day: Day, src: u32, weight: u32) -> Event {
        Event { day, src, prefix_len: 32, proto: 6, port: 22, weight }
    }

    #[test]
    fn half_life_is_checked() {
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(HalfLife::new(bad).is_err(), "{bad}");
        }
        assert_eq!(HalfLife::new(2.5).unwrap().days(), 2.5);
    }

    #[test]
    fn pack_keeps_signed_day_order() {
        assert!(pack(1, -5) < pack(1, 3));
        assert!(pack(1, 3) < pack(2, -5));
        assert_eq!(unpack(pack(7, -5)), (7, -5));
    }

    #[test]
    fn pseudo_asns() {
        let t = AsnTable::default();
        assert_eq!(asn_key(0x7F00_0001, &t), BOGON_ASN_BASE + 3);
        assert_eq!(asn_key(0x2901_0203, &t), UNROUTED_ASN_BASE + 41);
        assert_eq!(
            pseudo_asn_label(UNROUTED_ASN_BASE + 41).unwrap(),
            "unrouted /8 41"
        );
        assert!(pseudo_asn_label(BOGON_ASN_BASE + 3).unwrap().contains("Loop"));
        assert_eq!(pseudo_asn_label(13335), None);
    }

    #[test]
    fn long_history_small_half_life_stays_finite() {
        let h = HalfLife::new(0.05).unwrap();
        let events: Vec<Event> = (0..2000).map(|d| ev(d, 1, 1)).collect();
        let hist = RankHistory::build(&events, &AsnTable::default(), h);
        let v = hist.view(2000);
        let expect = 1.0 / (1.0 - (-20.0f64).exp2());
        assert!((v.score(Entity::Ip, 1) - expect).abs() < 1e-15);
        assert_eq!(v.rank(Entity::Ip, 1), 1.0);
    }
}
