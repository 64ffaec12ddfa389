//! The feature vector an address carries on a day.
//!
//! This module owns the mapping from a [`RankView`] (which only knows
//! events before its day) to a row of `f32`s. It never looks at events
//! itself, so no feature can see the day it describes.
//!
//! Two sets:
//!
//! - [`FeatureSet::Talk`]: the four lwRanks of the 2013 talk, [IP, /24,
//!   /16, ASN].
//! - [`FeatureSet::Extended`]: those four plus
//!   - `special`: 1 if the address is a bogon or in no ASN row, else 0
//!     (its ASN rank is then that of a pseudo-ASN, see [`crate::rank`]);
//!   - `recency`: `2^(-(D - 1 - last_seen) / 7)`, 1 if the address was seen
//!     the day before `D`, 0 if never seen;
//!   - `days_seen`: `ln(1 + n) / ln(1 + 365)`, capped at 1, for `n` days
//!     with events before `D`;
//!   - `volume`: `ln(1 + v) / ln(1 + v_max)` for the address's summed
//!     weight `v` and the largest such sum of any address before `D`.
//!
//! An address never seen individually has IP rank, recency, days seen and
//! volume all 0, so its row depends only on its /24, /16, ASN and
//! special-range status; [`crate::map`] relies on this to compute exact
//! per-prefix likelihoods.

use serde::{Deserialize, Serialize};

use crate::asn::AsnTable;
use crate::bogon;
use crate::rank::{Entity, RankView};

/// Days after which the recency feature halves.
pub const RECENCY_HALF_LIFE_DAYS: f64 = 7.0;

/// Days of activity that map to a `days_seen` feature of 1.
pub const DAYS_SEEN_CAP: f64 = 365.0;

/// Which features a row holds.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize,
)]
pub enum FeatureSet {
    /// The four lwRanks of the talk.
    #[default]
    Talk,
    /// The four lwRanks plus special flag, recency, days seen and volume.
    Extended,
}

const TALK_NAMES: [&str; 4] = ["rank_ip", "rank_24", "rank_16", "rank_asn"];
const EXTRA_NAMES: [&str; 4] = ["special", "recency", "days_seen", "volume"];

/// Column names of a feature set, in row order.
pub fn names(set: FeatureSet) -> Vec<&'static str> {
    match set {
        FeatureSet::Talk => TALK_NAMES.to_vec(),
        FeatureSet::Extended => {
            TALK_NAMES.iter().chain(EXTRA_NAMES.iter()).copied().collect()
        }
    }
}

/// Number of columns of a feature set.
pub fn len(set: FeatureSet) -> usize {
    match set {
        FeatureSet::Talk => 4,
        FeatureSet::Extended => 8,
    }
}

/// Whether `ip` is ranked by the special rule: a bogon or in no ASN row.
pub fn is_special(ip: u32, asn: &AsnTable) -> bool {
    bogon::is_bogon(ip) || asn.lookup(ip).is_none()
}

/// Appends the row of `ip` on the view's day to `out`.
pub fn vector(
    view: &RankView,
    asn: &AsnTable,
    ip: u32,
    set: FeatureSet,
    out: &mut Vec<f32>,
) {
    out.extend_from_slice(&view.ranks(ip, asn));
    if set == FeatureSet::Talk {
        return;
    }
    out.push(if is_special(ip, asn) { 1.0 } else { 0.0 });
    match view.ip_stats(ip) {
        Some(stats) => {
            let since = f64::from(view.day() - 1 - stats.last_seen);
            out.push((-since / RECENCY_HALF_LIFE_DAYS).exp2() as f32);
            let n = f64::from(stats.days_seen);
            out.push((n.ln_1p() / DAYS_SEEN_CAP.ln_1p()).min(1.0) as f32);
            let max = view.max_volume(Entity::Ip);
            out.push(log_ratio(stats.volume, max));
        }
        None => out.extend_from_slice(&[0.0, 0.0, 0.0]),
    }
}

/// `ln(1 + v) / ln(1 + max)` clamped to [0, 1], 0 when `max` is 0.
fn log_ratio(v: f64, max: f64) -> f32 {
    if v <= 0.0 || max <= 0.0 {
        return 0.0;
    }
    (v.ln_1p() / max.ln_1p()).clamp(0.0, 1.0) as f32
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::event::Event;
    use crate::rank::{HalfLife, RankHistory};

    #[test]
    fn names_match_len() {
        for set in [FeatureSet::Talk, FeatureSet::Extended] {
            assert_eq!(names(set).len(), len(set));
        }
        assert_eq!(names(FeatureSet::Extended)[4], "special");
    }

    #[test]
    fn extended_row_by_hand() {
        // 1.2.3.4 in AS 100 seen on days 10 (weight 3) and 12 (weight 1);
        // 1.2.3.5 seen on day 12 with weight 7.
        let asn = AsnTable::from_rows([(0x0102_0000, 0x0102_FFFF, 100, "x")]);
        let ev = |day, src, weight| Event {
            day,
            src,
            prefix_len: 32,
            proto: 6,
            port: 22,
            weight,
        };
        let events = [
            ev(10, 0x0102_0304, 3),
            ev(12, 0x0102_0304, 1),
            ev(12, 0x0102_0305, 7),
        ];
        let h = HalfLife::new(1.0).unwrap();
        let hist = RankHistory::build(&events, &asn, h);
        let view = hist.view(20);
        let mut row = Vec::new();
        vector(&view, &asn, 0x0102_0304, FeatureSet::Extended, &mut row);
        assert_eq!(row.len(), 8);
        // Scores at end of day 19: ip .4 = (3/4 + 1) / 128, ip .5 = 7/128.
        let (s4, s5) = (1.75 / 128.0f64, 7.0 / 128.0f64);
        assert_eq!(row[0], (s4.ln_1p() / s5.ln_1p()) as f32);
        // /24, /16 and ASN hold both addresses: rank 1.
        assert_eq!(&row[1..4], &[1.0, 1.0, 1.0]);
        assert_eq!(row[4], 0.0);
        assert_eq!(row[5], (-7.0f64 / 7.0).exp2() as f32);
        assert_eq!(row[6], (2.0f64.ln_1p() / 365.0f64.ln_1p()) as f32);
        assert_eq!(row[7], (4.0f64.ln_1p() / 7.0f64.ln_1p()) as f32);

        // Never seen, unrouted: only the special flag is set.
        row.clear();
        vector(&view, &asn, 0x0909_0909, FeatureSet::Extended, &mut row);
        assert_eq!(row, vec![0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0]);
    }
}
