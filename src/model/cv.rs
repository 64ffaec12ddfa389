//! Stratified k-fold cross-validation of [`Model`].
//!
//! Attackers and benign rows are shuffled separately (seeded by the
//! training seed) and dealt round-robin into k folds, so every fold keeps
//! the class mix. Each fold is predicted by a model trained on the others.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::{Model, ModelError, TrainParams};

/// Accuracy per held-out fold and their summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CvResult {
    /// Mean of the fold accuracies.
    pub accuracy_mean: f64,
    /// Sample standard deviation (n - 1) of the fold accuracies.
    pub accuracy_std: f64,
    /// Accuracy of each fold, in fold order.
    pub folds: Vec<f64>,
}

/// Cross-validates with `k` stratified folds; `progress` gets the overall
/// done-fraction and can cancel.
pub fn cross_validate(
    x: &[f32],
    n_features: usize,
    y: &[bool],
    k: usize,
    params: &TrainParams,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<CvResult, ModelError> {
    params.check()?;
    super::validate(x, n_features, y, None)?;
    let attackers = y.iter().filter(|&&l| l).count();
    let smaller = attackers.min(y.len() - attackers);
    if k < 2 || k > smaller {
        return Err(ModelError::InvalidParams {
            name: "k",
            value: k.to_string(),
            reason: "must be >= 2 and <= the rows of the smaller class",
        });
    }

    // Deal each class into folds after a seeded shuffle.
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed.wrapping_add(2));
    let mut fold_of = vec![0usize; y.len()];
    for label in [true, false] {
        let mut idx: Vec<usize> =
            (0..y.len()).filter(|&i| y[i] == label).collect();
        idx.shuffle(&mut rng);
        for (pos, i) in idx.into_iter().enumerate() {
            fold_of[i] = pos % k;
        }
    }

    let mut folds = Vec::with_capacity(k);
    for fold in 0..k {
        let (mut tx, mut ty, mut vx, mut vy) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (i, row) in x.chunks_exact(n_features).enumerate() {
            if fold_of[i] == fold {
                vx.extend_from_slice(row);
                vy.push(y[i]);
            } else {
                tx.extend_from_slice(row);
                ty.push(y[i]);
            }
        }
        let mut inner =
            |f: f32| progress((fold as f32 + f.clamp(0.0, 1.0)) / k as f32);
        let model = Model::fit(&tx, n_features, &ty, None, params, &mut inner)?;
        let correct = vx
            .chunks_exact(n_features)
            .zip(&vy)
            .filter(|(row, &l)| model.predict(row) == l)
            .count();
        folds.push(correct as f64 / vy.len() as f64);
    }

    let mean = folds.iter().sum::<f64>() / k as f64;
    let var =
        folds.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / (k - 1) as f64;
    log::debug!("cv: {k} folds, accuracy {mean:.4} +- {:.4}", var.sqrt());
    Ok(CvResult { accuracy_mean: mean, accuracy_std: var.sqrt(), folds })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn rejects_more_folds_than_minority_rows() {
        let x = [0.0, 0.1, 0.9, 1.0];
        let y = [false, false, true, false];
        let err =
            cross_validate(&x, 1, &y, 2, &TrainParams::default(), &mut |_| {
                true
            });
        assert!(matches!(
            err,
            Err(ModelError::InvalidParams { name: "k", .. })
        ));
    }
}
