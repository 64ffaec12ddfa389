//! Datasets per day, next-day tests and the naive baselines.
//!
//! For a day D the training set holds the sources blocked on D (label
//! +1) and the training half of the benign addresses (label -1), each
//! described by its features from days before D. The model trained on D
//! is then tested on D+1: the sources blocked on D+1 against the *held
//! out* half of the benign addresses, whose networks (ASNs) the model
//! never saw in training. Features for D+1 use days up to D only.
//!
//! Beside the model, three baselines answer "would blocking what we saw
//! lately have caught it?": block every source, /24 or /16 seen in the
//! last h days (h = the half-life, rounded up). They never flag a
//! top-site address, so their TNR is near 100 % and their LR+ often
//! unbounded; compare AUC and TPR at matched TNR instead.

use crate::asn::AsnTable;
use crate::event::{Day, Event};
use crate::features::{self, FeatureSet};
use crate::model::metrics::{roc_auc, tpr_at_tnr, Confusion, LrPlus};
use crate::rank::RankView;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// The benign addresses split into a training and a test part that share
/// no network.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenignSplit {
    /// Addresses the model trains on.
    pub train: Vec<u32>,
    /// Addresses it is tested on (other ASNs than `train`).
    pub test: Vec<u32>,
    /// Addresses dropped: bogons, or blocked somewhere in the data.
    pub dropped: usize,
    /// Training benign addresses whose /24 also holds a blocked source:
    /// likely label noise.
    pub noisy: usize,
}

/// Splits benign addresses by ASN (addresses with no ASN by /16), about
/// half the groups to each side, decided by a seeded hash of the group.
///
/// Addresses that are bogons or appear as a blocked source in `blocked`
/// are dropped: a negative must never also be a positive.
pub fn split_benign(
    benign: &[u32],
    blocked: &HashSet<u32>,
    asn: &AsnTable,
    seed: u64,
) -> BenignSplit {
    let blocked_24: HashSet<u32> = blocked.iter().map(|ip| ip >> 8).collect();
    let mut split = BenignSplit::default();
    for &ip in benign {
        if crate::bogon::is_bogon(ip) || blocked.contains(&ip) {
            split.dropped += 1;
            continue;
        }
        let group = match asn.lookup(ip) {
            Some(a) => u64::from(a),
            None => (1 << 40) | u64::from(ip >> 16),
        };
        if mix(group ^ seed) & 1 == 0 {
            if blocked_24.contains(&(ip >> 8)) {
                split.noisy += 1;
            }
            split.train.push(ip);
        } else {
            split.test.push(ip);
        }
    }
    split
}

/// A 64-bit mixing function (splitmix64's finaliser).
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Distinct single-address sources per day, from behaviour events.
pub fn sources_by_day(events: &[Event]) -> BTreeMap<Day, Vec<u32>> {
    let mut days: BTreeMap<Day, Vec<u32>> = BTreeMap::new();
    for e in events.iter().filter(|e| e.prefix_len == 32) {
        days.entry(e.day).or_default().push(e.src);
    }
    for list in days.values_mut() {
        list.sort_unstable();
        list.dedup();
    }
    days
}

/// Feature rows and labels for one day.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DayRows {
    /// Row-major features.
    pub x: Vec<f32>,
    /// true = blocked source.
    pub y: Vec<bool>,
    /// The address of each row.
    pub ips: Vec<u32>,
}

impl DayRows {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// Number of positive rows.
    pub fn positives(&self) -> usize {
        self.y.iter().filter(|&&y| y).count()
    }
}

/// Builds the rows for `positives` and `negatives` with features from
/// `view` (which must be the view of the day being labelled).
pub fn rows(
    view: &RankView<'_>,
    asn: &AsnTable,
    set: FeatureSet,
    positives: &[u32],
    negatives: &[u32],
) -> DayRows {
    let mut rows = DayRows::default();
    let labelled = positives
        .iter()
        .map(|&ip| (ip, true))
        .chain(negatives.iter().map(|&ip| (ip, false)));
    for (ip, label) in labelled {
        features::vector(view, asn, ip, set, &mut rows.x);
        rows.y.push(label);
        rows.ips.push(ip);
    }
    rows
}

/// How one scorer did on one test day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scored {
    /// Who scored: "model", "sources seen", ...
    pub name: String,
    /// Counts at the scorer's own threshold.
    pub confusion: Confusion,
    /// Area under the ROC curve of the scores.
    pub auc: Option<f64>,
    /// TPR at the TNR the model reached, for a fair comparison.
    pub tpr_at_model_tnr: Option<f64>,
}

impl Scored {
    /// Scores `scores` against `labels`, flagging scores >= `threshold`.
    pub fn new(
        name: &str,
        scores: &[f64],
        labels: &[bool],
        threshold: f64,
        model_tnr: Option<f64>,
    ) -> Scored {
        let mut confusion = Confusion::default();
        for (&s, &y) in scores.iter().zip(labels) {
            match (s >= threshold, y) {
                (true, true) => confusion.tp += 1,
                (true, false) => confusion.fp += 1,
                (false, false) => confusion.tn += 1,
                (false, true) => confusion.fn_ += 1,
            }
        }
        let tpr_at_model_tnr =
            model_tnr.and_then(|t| tpr_at_tnr(scores, labels, t));
        Scored {
            name: name.to_string(),
            confusion,
            auc: roc_auc(scores, labels),
            tpr_at_model_tnr,
        }
    }

    /// LR+ of the confusion counts.
    pub fn lr_plus(&self) -> LrPlus {
        self.confusion.lr_plus()
    }
}

/// The naive baselines' scores for `ips` on a test day: 1.0 when the
/// address (or its /24, or its /16) was a source within `window` days
/// before `test_day`, else 0.0. Returns (name, scores) per baseline.
pub fn baseline_scores(
    by_day: &BTreeMap<Day, Vec<u32>>,
    test_day: Day,
    window: i32,
    ips: &[u32],
) -> Vec<(String, Vec<f64>)> {
    let mut seen_ip = HashSet::new();
    let mut seen_24 = HashSet::new();
    let mut seen_16 = HashSet::new();
    for (_, list) in by_day.range(test_day - window..test_day) {
        for &ip in list {
            seen_ip.insert(ip);
            seen_24.insert(ip >> 8);
            seen_16.insert(ip >> 16);
        }
    }
    let score = |hit: bool| if hit { 1.0 } else { 0.0 };
    let plural = if window == 1 { "" } else { "s" };
    vec![
        (
            format!("sources seen in last {window} day{plural}"),
            ips.iter().map(|ip| score(seen_ip.contains(ip))).collect(),
        ),
        (
            format!("/24s seen in last {window} day{plural}"),
            ips.iter().map(|ip| score(seen_24.contains(&(ip >> 8)))).collect(),
        ),
        (
            format!("/16s seen in last {window} day{plural}"),
            ips.iter().map(|ip| score(seen_16.contains(&(ip >> 16)))).collect(),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baselines_look_back_exactly_the_window() {
        let mut by_day = BTreeMap::new();
        by_day.insert(10, vec![0x0102_0304]);
        by_day.insert(12, vec![0x0506_0708]);
        // Test day 13, window 1: only day 12 counts.
        let ips = [0x0102_0304, 0x0506_0708, 0x0506_07FF, 0x0506_FFFF, 9];
        let b = baseline_scores(&by_day, 13, 1, &ips);
        assert_eq!(b[0].1, vec![0.0, 1.0, 0.0, 0.0, 0.0]);
        assert_eq!(b[1].1, vec![0.0, 1.0, 1.0, 0.0, 0.0]);
        assert_eq!(b[2].1, vec![0.0, 1.0, 1.0, 1.0, 0.0]);
        // Window 3 reaches day 10; the test day itself never counts.
        let b = baseline_scores(&by_day, 12, 3, &ips);
        assert_eq!(b[0].1, vec![1.0, 0.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn scored_counts_at_threshold() {
        let s = Scored::new(
            "t",
            &[0.9, 0.2, 0.6, 0.1],
            &[true, true, false, false],
            0.5,
            None,
        );
        let c = s.confusion;
        assert_eq!((c.tp, c.fn_, c.fp, c.tn), (1, 1, 1, 1));
        assert_eq!(s.auc, Some(0.75));
    }
}
