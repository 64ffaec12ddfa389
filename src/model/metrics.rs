//! Scores of binary predictions: the confusion matrix and its rates, the
//! positive likelihood ratio, ROC AUC and the true positive rate reached at
//! a required true negative rate.
//!
//! Every rate with an empty denominator is `None` rather than NaN, and the
//! likelihood ratio says explicitly when it is unbounded (no false
//! positives) or undefined, so tables never print "inf" or "NaN".

use serde::{Deserialize, Serialize};

/// Counts of a binary prediction against labels (positive = attacker).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize,
)]
pub struct Confusion {
    /// Attackers predicted as attackers.
    pub tp: u64,
    /// Benign rows predicted as attackers.
    pub fp: u64,
    /// Benign rows predicted as benign.
    pub tn: u64,
    /// Attackers predicted as benign.
    pub fn_: u64,
}

/// Positive likelihood ratio TPR / (1 - TNR), with its edge cases named.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum LrPlus {
    /// An ordinary ratio.
    Finite(f64),
    /// TNR = 1 and TPR > 0: no false positives, so no finite ratio.
    Unbounded,
    /// TPR = 0 with TNR = 1 (0 / 0), or a class is missing.
    Undefined,
}

/// Divides, or None when the denominator is zero.
fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

impl Confusion {
    /// Counts predictions against labels (pairs beyond the shorter slice
    /// are ignored).
    pub fn from_predictions(pred: &[bool], labels: &[bool]) -> Confusion {
        let mut c = Confusion::default();
        for (&p, &l) in pred.iter().zip(labels) {
            match (p, l) {
                (true, true) => c.tp += 1,
                (true, false) => c.fp += 1,
                (false, false) => c.tn += 1,
                (false, true) => c.fn_ += 1,
            }
        }
        c
    }

    /// Number of rows counted.
    pub fn total(&self) -> u64 {
        self.tp + self.fp + self.tn + self.fn_
    }

    /// Fraction of rows predicted correctly.
    pub fn accuracy(&self) -> Option<f64> {
        ratio(self.tp + self.tn, self.total())
    }

    /// True positive rate (recall): TP / (TP + FN).
    pub fn tpr(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// True negative rate (specificity): TN / (TN + FP).
    pub fn tnr(&self) -> Option<f64> {
        ratio(self.tn, self.tn + self.fp)
    }

    /// Precision: TP / (TP + FP).
    pub fn precision(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fp)
    }

    /// Positive likelihood ratio TPR / (1 - TNR).
    pub fn lr_plus(&self) -> LrPlus {
        let (Some(tpr), Some(_)) = (self.tpr(), self.tnr()) else {
            return LrPlus::Undefined;
        };
        if self.fp == 0 {
            // TNR = 1 exactly.
            if self.tp > 0 {
                LrPlus::Unbounded
            } else {
                LrPlus::Undefined
            }
        } else {
            let fpr = self.fp as f64 / (self.fp + self.tn) as f64;
            LrPlus::Finite(tpr / fpr)
        }
    }
}

/// Area under the ROC curve by the Mann-Whitney statistic, tied scores
/// taking their average rank (so a tie counts one half).
///
/// None when a class is missing, the lengths differ or a score is NaN.
pub fn roc_auc(scores: &[f64], labels: &[bool]) -> Option<f64> {
    if scores.len() != labels.len() || scores.iter().any(|s| s.is_nan()) {
        return None;
    }
    let n_pos = labels.iter().filter(|&&l| l).count();
    let n_neg = labels.len() - n_pos;
    if n_pos == 0 || n_neg == 0 {
        return None;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));

    // Sum of 1-based ranks of the positives, ties averaged.
    let mut rank_sum = 0.0;
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && scores[order[end]] == scores[order[start]] {
            end += 1;
        }
        let avg_rank = (start + 1 + end) as f64 / 2.0;
        let pos = order[start..end].iter().filter(|&&i| labels[i]).count();
        rank_sum += avg_rank * pos as f64;
        start = end;
    }
    let (p, n) = (n_pos as f64, n_neg as f64);
    Some((rank_sum - p * (p + 1.0) / 2.0) / (p * n))
}

/// Highest TPR of a rule "score >= t" whose TNR is at least `target_tnr`.
///
/// Thresholds run over the distinct scores (ties are never split). None
/// when a class is missing, the lengths differ, a score is NaN or the
/// target is outside [0, 1].
pub fn tpr_at_tnr(
    scores: &[f64],
    labels: &[bool],
    target_tnr: f64,
) -> Option<f64> {
    if scores.len() != labels.len()
        || scores.iter().any(|s| s.is_nan())
        || !(0.0..=1.0).contains(&target_tnr)
    {
        return None;
    }
    let n_pos = labels.iter().filter(|&&l| l).count();
    let n_neg = labels.len() - n_pos;
    if n_pos == 0 || n_neg == 0 {
        return None;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));

    // Lower the threshold one distinct score at a time; TPR only grows,
    // so the last threshold still meeting the target is the best.
    let (mut tp, mut fp) = (0usize, 0usize);
    let mut best = 0.0;
    let mut start = 0;
    while start < order.len() {
        let mut end = start;
        while end < order.len() && scores[order[end]] == scores[order[start]] {
            if labels[order[end]] {
                tp += 1;
            } else {
                fp += 1;
            }
            end += 1;
        }
        let tnr = (n_neg - fp) as f64 / n_neg as f64;
        if tnr < target_tnr {
            break;
        }
        best = tp as f64 / n_pos as f64;
        start = end;
    }
    Some(best)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn rates_of_a_hand_made_matrix() {
        let c = Confusion { tp: 30, fp: 10, tn: 50, fn_: 10 };
        assert_eq!(c.accuracy(), Some(0.8));
        assert_eq!(c.tpr(), Some(0.75));
        assert_eq!(c.tnr(), Some(50.0 / 60.0));
        assert_eq!(c.precision(), Some(0.75));
        // 0.75 / (10 / 60) = 4.5
        match c.lr_plus() {
            LrPlus::Finite(v) => assert!((v - 4.5).abs() < 1e-12),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn from_predictions_counts_each_cell() {
        let pred = [true, true, false, false, true];
        let labels = [true, false, false, true, true];
        let c = Confusion::from_predictions(&pred, &labels);
        assert_eq!(c, Confusion { tp: 2, fp: 1, tn: 1, fn_: 1 });
    }

    #[test]
    fn lr_plus_edge_cases() {
        let perfect = Confusion { tp: 5, fp: 0, tn: 7, fn_: 1 };
        assert_eq!(perfect.lr_plus(), LrPlus::Unbounded);
        let silent = Confusion { tp: 0, fp: 0, tn: 7, fn_: 4 };
        assert_eq!(silent.lr_plus(), LrPlus::Undefined);
        assert_eq!(Confusion::default().lr_plus(), LrPlus::Undefined);
        assert_eq!(Confusion::default().accuracy(), None);
        assert_eq!(silent.precision(), None);
    }

    #[test]
    fn auc_with_ties_is_exact() {
        // Positives 0.8, 0.5; negatives 0.5, 0.2, 0.1. Pairs: (0.8 beats
        // all 3) + (0.5 ties one = 1/2, beats two) = 3 + 2.5 = 5.5 of 6.
        let scores = [0.8, 0.5, 0.5, 0.2, 0.1];
        let labels = [true, true, false, false, false];
        assert_eq!(roc_auc(&scores, &labels), Some(5.5 / 6.0));
        // All tied: exactly one half.
        assert_eq!(roc_auc(&[1.0; 4], &[true, false, true, false]), Some(0.5));
        assert_eq!(roc_auc(&[1.0, 2.0], &[true, true]), None);
    }

    #[test]
    fn tpr_at_tnr_picks_the_best_allowed_threshold() {
        let scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
        let labels = [true, false, true, true, false, false];
        // TNR 1 allows only score >= 0.9: TPR 1/3.
        assert_eq!(tpr_at_tnr(&scores, &labels, 1.0), Some(1.0 / 3.0));
        // TNR >= 2/3 allows one false positive: down to 0.6, TPR 1.
        assert_eq!(tpr_at_tnr(&scores, &labels, 0.6), Some(1.0));
        // Ties are not split: a tie at the top with a negative gives 0.
        let tied = [0.9, 0.9, 0.1];
        assert_eq!(tpr_at_tnr(&tied, &[true, false, false], 1.0), Some(0.0));
        assert_eq!(tpr_at_tnr(&scores, &labels, 1.5), None);
    }
}
