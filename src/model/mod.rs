//! The classifier: an RBF-kernel SVM approximated by random Fourier
//! features feeding a linear SVM, calibrated to probabilities by Platt
//! scaling.
//!
//! An exact kernel SVM keeps about a third of its training rows as support
//! vectors, so fitting 100k rows takes minutes and predicting a million
//! takes longer still. Here the kernel exp(-gamma |x - y|^2) is replaced by
//! an explicit map z(x) of D random cosines ([`rff`]), a linear SVM with
//! bias is trained on z by dual coordinate descent ([`linear`]), and a
//! sigmoid maps its decision value to a probability ([`platt`]). Prediction
//! costs D * (features + ~20) flops per row whatever the training size.
//!
//! Identical training rows are merged first, their weights summed: the
//! hinge loss of k copies of a row equals k times the loss of one, so the
//! merged problem has the same solution and is smaller (feature rows of
//! never-seen addresses repeat a lot).
//!
//! This module owns training, prediction and the model's JSON form.
//! [`exact`] wraps smartcore's exact SVC as an oracle, [`metrics`] scores
//! predictions, [`cv`] cross-validates and [`bench`] times it all. Which
//! rows are trained on is decided by the callers (eval, pipeline).

pub mod bench;
pub mod cv;
pub mod exact;
pub mod linear;
pub mod metrics;
pub mod platt;
pub mod rff;

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

pub use cv::{cross_validate, CvResult};
use platt::Platt;
use rff::Rff;

/// Why training, prediction set-up or model loading failed.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// A training parameter is out of range.
    #[error("invalid parameter {name} = {value}: {reason}")]
    InvalidParams {
        /// Parameter name.
        name: &'static str,
        /// The rejected value, as text.
        value: String,
        /// What it should have been.
        reason: &'static str,
    },
    /// Input lengths do not agree.
    #[error("{what}: expected {expected}, found {found}")]
    Shape {
        /// Which input.
        what: &'static str,
        /// The length implied by the other inputs.
        expected: usize,
        /// The length given.
        found: usize,
    },
    /// A feature value is NaN or infinite.
    #[error("row {row} feature {feature} is not finite ({value})")]
    NonFinite {
        /// Row index.
        row: usize,
        /// Feature index.
        feature: usize,
        /// The value.
        value: f32,
    },
    /// A row weight is negative, NaN or infinite.
    #[error("row {row} weight {value} is not a finite value >= 0")]
    BadWeight {
        /// Row index.
        row: usize,
        /// The weight.
        value: f32,
    },
    /// Training needs rows of both labels with positive weight.
    #[error(
        "training needs both labels; found {attackers} attacker and \
         {benign} benign rows with positive weight"
    )]
    OneClass {
        /// Attacker rows.
        attackers: usize,
        /// Benign rows.
        benign: usize,
    },
    /// The progress callback asked to stop.
    #[error("training cancelled")]
    Cancelled,
    /// A model JSON text could not be read.
    #[error("invalid model json: {0}")]
    Json(String),
    /// Benchmark input could not be read.
    #[error("benchmark data: {0}")]
    Bench(String),
    /// smartcore's exact SVC reported a failure.
    #[error("exact svm failed: {0}")]
    Exact(String),
}

/// Training parameters as the user sets them (checked by [`Self::check`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainParams {
    /// Seed of every random choice (feature draw, permutations, folds).
    pub seed: u64,
    /// Box constraint C of the SVM (per unit of row weight).
    pub c: f64,
    /// RBF width; None = 1 / (n_features * var(X)), scikit-learn's "scale",
    /// with the variance over all values, weighted by row weight.
    pub gamma: Option<f64>,
    /// Number of random Fourier features D.
    pub n_components: usize,
    /// Stop when the projected-gradient gap falls below this.
    pub tol: f64,
    /// Also stop when the relative duality gap (primal - dual) / primal
    /// falls below this, which bounds how far the objective is from its
    /// optimum (0 turns the test off).
    pub rel_tol: f64,
    /// Cap on passes over the data (training reports non-convergence).
    pub max_epochs: usize,
    /// Weight classes by n / (2 n_class) so both count equally.
    pub balance: bool,
}

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams {
            seed: 42,
            c: 1.0,
            gamma: None,
            n_components: 128,
            tol: 0.1,
            rel_tol: 0.01,
            max_epochs: 1000,
            balance: true,
        }
    }
}

/// Training parameters that passed [`TrainParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedParams(TrainParams);

impl CheckedParams {
    /// The checked values.
    pub fn get(&self) -> &TrainParams {
        &self.0
    }
}

impl TrainParams {
    /// Checks every value once, naming the first bad one.
    pub fn check(&self) -> Result<CheckedParams, ModelError> {
        let bad = |name, value: String, reason| {
            Err(ModelError::InvalidParams { name, value, reason })
        };
        if !(self.c.is_finite() && self.c > 0.0) {
            return bad("c", self.c.to_string(), "must be finite and > 0");
        }
        if let Some(g) = self.gamma {
            if !(g.is_finite() && g > 0.0) {
                return bad("gamma", g.to_string(), "must be finite and > 0");
            }
        }
        if self.n_components == 0 || self.n_components > 1 << 16 {
            return bad(
                "n_components",
                self.n_components.to_string(),
                "must be in 1..=65536",
            );
        }
        if !(self.tol.is_finite() && self.tol > 0.0) {
            return bad("tol", self.tol.to_string(), "must be finite and > 0");
        }
        if !(self.rel_tol.is_finite() && self.rel_tol >= 0.0) {
            return bad(
                "rel_tol",
                self.rel_tol.to_string(),
                "must be finite and >= 0",
            );
        }
        if self.max_epochs == 0 {
            return bad("max_epochs", "0".into(), "must be >= 1");
        }
        Ok(CheckedParams(self.clone()))
    }
}

/// Facts about a training run, kept with the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitInfo {
    /// Rows given (with positive weight).
    pub rows: usize,
    /// Distinct (row, label) pairs after merging.
    pub unique_rows: usize,
    /// Gamma used (given or computed).
    pub gamma: f64,
    /// Solver passes.
    pub epochs: usize,
    /// Whether the solver met a tolerance before the epoch cap.
    pub converged: bool,
    /// Final projected-gradient gap.
    pub gap: f64,
    /// Last relative duality gap computed, if any.
    #[serde(default)]
    pub rel_gap: Option<f64>,
    /// Merged rows with a non-zero dual variable.
    pub support: usize,
}

/// A trained classifier: feature map, linear separator and calibration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    rff: Rff,
    /// Weight per random feature, already scaled by sqrt(2 / D).
    coef: Vec<f32>,
    bias: f32,
    platt: Platt,
    info: FitInfo,
}

/// Training rows after merging duplicates.
struct Merged {
    x: Vec<f32>,
    y: Vec<bool>,
    w: Vec<f64>,
}

impl Model {
    /// Trains on row-major `x` (`n_features` per row) with labels `y`
    /// (true = attacker) and optional row weights (default 1).
    ///
    /// `progress` gets a done-fraction in [0, 1] every epoch; returning
    /// false stops training with [`ModelError::Cancelled`]. Platt scaling
    /// is fit on the training rows' own decision values: the linear model
    /// has only D + 1 parameters, so on the thousands of rows it is meant
    /// for these are close to held-out values, and no second fit is paid.
    pub fn fit(
        x: &[f32],
        n_features: usize,
        y: &[bool],
        weight: Option<&[f32]>,
        params: &TrainParams,
        progress: &mut dyn FnMut(f32) -> bool,
    ) -> Result<Model, ModelError> {
        let params = params.check()?;
        let p = params.get();
        validate(x, n_features, y, weight)?;
        let rows = y.len();
        let merged = merge(x, n_features, y, weight);
        let attackers = merged.y.iter().filter(|&&l| l).count();
        if attackers == 0 || attackers == merged.y.len() {
            return Err(ModelError::OneClass {
                attackers,
                benign: merged.y.len() - attackers,
            });
        }
        let gamma = p.gamma.unwrap_or_else(|| scale_gamma(&merged, n_features));
        // The solver visits nearby rows together; store them shuffled.
        let merged = shuffle_rows(merged, n_features, p.seed.wrapping_add(3));

        // Feature map of every merged row.
        let d = p.n_components;
        let rff = Rff::draw(n_features, d, gamma, p.seed);
        let n = merged.y.len();
        let mut z = vec![0.0f32; n * d];
        for (row, out) in
            merged.x.chunks_exact(n_features).zip(z.chunks_exact_mut(d))
        {
            rff.transform_row(row, out);
        }

        // Box constraints: C times row weight times class weight.
        let (mut pos, mut neg) = (0.0, 0.0);
        for (&l, &w) in merged.y.iter().zip(&merged.w) {
            if l {
                pos += w;
            } else {
                neg += w;
            }
        }
        let (cw_pos, cw_neg) = if p.balance {
            let total = pos + neg;
            (total / (2.0 * pos), total / (2.0 * neg))
        } else {
            (1.0, 1.0)
        };
        let upper: Vec<f64> = merged
            .y
            .iter()
            .zip(&merged.w)
            .map(|(&l, &w)| p.c * w * if l { cw_pos } else { cw_neg })
            .collect();

        let problem = linear::Problem { x: &z, d, y: &merged.y, upper: &upper };
        let settings = linear::Settings {
            tol: p.tol,
            rel_tol: p.rel_tol,
            max_epochs: p.max_epochs,
            seed: p.seed.wrapping_add(1),
        };
        let sol = linear::solve(&problem, &settings, progress)?;
        let scale = (2.0 / d as f64).sqrt();

        let mut model = Model {
            rff,
            // Fold the sqrt(2 / D) of z(x) into the weights.
            coef: sol.w.iter().map(|&v| (v * scale) as f32).collect(),
            bias: sol.bias as f32,
            platt: Platt { a: -1.0, b: 0.0 },
            info: FitInfo {
                rows,
                unique_rows: n,
                gamma,
                epochs: sol.epochs,
                converged: sol.converged,
                gap: sol.gap,
                rel_gap: sol.rel_gap,
                support: sol.support,
            },
        };

        // Calibrate on the training rows' decision values, read off the
        // stored features (the same values as the model's own decisions up
        // to f32 rounding, without a second cosine pass).
        let w32: Vec<f32> = sol.w.iter().map(|&v| v as f32).collect();
        let f: Vec<f64> = z
            .chunks_exact(d)
            .map(|zi| linear::dot_f32(zi, &w32) + sol.bias)
            .collect();
        drop(z);
        model.platt = Platt::fit(&f, &merged.y, &merged.w);
        log::debug!(
            "model: {rows} rows, {n} unique, gamma {gamma:.4}, D {d}, \
             platt a {} b {}",
            model.platt.a,
            model.platt.b
        );
        if !progress(1.0) {
            return Err(ModelError::Cancelled);
        }
        Ok(model)
    }

    /// Number of input features per row.
    pub fn n_features(&self) -> usize {
        self.rff.n_features
    }

    /// Facts about the training run.
    pub fn info(&self) -> &FitInfo {
        &self.info
    }

    /// Signed distance-like score of one row; > 0 leans attacker.
    ///
    /// Missing trailing features count as 0; extra values are ignored.
    pub fn decision(&self, row: &[f32]) -> f64 {
        let mut arg = vec![0.0f32; self.rff.n_components];
        self.decision_with(row, &mut arg)
    }

    /// Calibrated probability that the row is an attacker.
    pub fn probability(&self, row: &[f32]) -> f64 {
        self.platt.probability(self.decision(row))
    }

    /// Predicted label: decision > 0, the SVM's own threshold (as libsvm).
    pub fn predict(&self, row: &[f32]) -> bool {
        self.decision(row) > 0.0
    }

    /// Decision values of row-major rows (a trailing partial row is ignored).
    pub fn decision_batch(&self, x: &[f32]) -> Vec<f64> {
        let nf = self.rff.n_features;
        let mut arg = vec![0.0f32; self.rff.n_components];
        let zero = self.decision_with(&[], &mut arg);
        x.chunks_exact(nf)
            .map(|row| {
                // All-zero rows (never-seen addresses) are common.
                if row.iter().all(|&v| v == 0.0) {
                    zero
                } else {
                    self.decision_with(row, &mut arg)
                }
            })
            .collect()
    }

    /// Calibrated probabilities of row-major rows (a trailing partial row
    /// is ignored).
    pub fn probability_batch(&self, x: &[f32]) -> Vec<f64> {
        let mut out = self.decision_batch(x);
        for v in out.iter_mut() {
            *v = self.platt.probability(*v);
        }
        out
    }

    /// The model as JSON text.
    pub fn to_json(&self) -> String {
        // Serialising plain structs of numbers and strings cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a model written by [`Self::to_json`], checking its shape.
    pub fn from_json(text: &str) -> Result<Model, ModelError> {
        let model: Model = serde_json::from_str(text)
            .map_err(|e| ModelError::Json(e.to_string()))?;
        let (nf, d) = (model.rff.n_features, model.rff.n_components);
        let check = |what, expected: usize, found: usize| {
            if expected == found {
                Ok(())
            } else {
                Err(ModelError::Shape { what, expected, found })
            }
        };
        if nf == 0 || d == 0 {
            return Err(ModelError::Json("empty feature map".into()));
        }
        check("projection length", nf * d, model.rff.w.len())?;
        check("phase length", d, model.rff.b.len())?;
        check("coefficient length", d, model.coef.len())?;
        Ok(model)
    }

    /// Decision value of one row using `arg` (length D) as scratch space.
    #[inline]
    fn decision_with(&self, row: &[f32], arg: &mut [f32]) -> f64 {
        self.rff.cosines(row, arg);
        linear::dot_f32(arg, &self.coef) + self.bias as f64
    }
}

/// Checks lengths, finiteness and weights of training input.
fn validate(
    x: &[f32],
    n_features: usize,
    y: &[bool],
    weight: Option<&[f32]>,
) -> Result<(), ModelError> {
    if n_features == 0 {
        return Err(ModelError::InvalidParams {
            name: "n_features",
            value: "0".into(),
            reason: "must be >= 1",
        });
    }
    let n = y.len();
    if x.len() != n * n_features {
        return Err(ModelError::Shape {
            what: "feature values (rows x n_features)",
            expected: n * n_features,
            found: x.len(),
        });
    }
    if let Some(w) = weight {
        if w.len() != n {
            return Err(ModelError::Shape {
                what: "weights",
                expected: n,
                found: w.len(),
            });
        }
        if let Some((row, &value)) =
            w.iter().enumerate().find(|(_, v)| !(v.is_finite() && **v >= 0.0))
        {
            return Err(ModelError::BadWeight { row, value });
        }
    }
    if let Some((i, &value)) =
        x.iter().enumerate().find(|(_, v)| !v.is_finite())
    {
        return Err(ModelError::NonFinite {
            row: i / n_features,
            feature: i % n_features,
            value,
        });
    }
    Ok(())
}

/// Merges identical (row, label) pairs, summing weights and dropping
/// zero-weight rows; the result is in a canonical (sorted) order.
fn merge(
    x: &[f32],
    n_features: usize,
    y: &[bool],
    weight: Option<&[f32]>,
) -> Merged {
    // Sort keys: the bit patterns of the values (-0.0 and 0.0 are the same
    // feature value), computed once rather than in every comparison.
    let bits: Vec<u32> =
        x.iter().map(|v| if *v == 0.0 { 0 } else { v.to_bits() }).collect();
    let key = |i: usize| &bits[i * n_features..(i + 1) * n_features];
    let w = |i: usize| weight.map_or(1.0, |w| w[i] as f64);
    let mut order: Vec<usize> = (0..y.len()).filter(|&i| w(i) > 0.0).collect();
    order.sort_unstable_by(|&a, &b| key(a).cmp(key(b)).then(y[a].cmp(&y[b])));

    let mut merged = Merged { x: Vec::new(), y: Vec::new(), w: Vec::new() };
    let mut last: Option<usize> = None;
    for i in order {
        let same = last.is_some_and(|j| y[i] == y[j] && key(i) == key(j));
        if same {
            if let Some(total) = merged.w.last_mut() {
                *total += w(i);
            }
        } else {
            let row = &x[i * n_features..(i + 1) * n_features];
            merged.x.extend(row.iter().map(|v| v + 0.0));
            merged.y.push(y[i]);
            merged.w.push(w(i));
            last = Some(i);
        }
    }
    merged
}

/// Reorders merged rows by a seeded random permutation.
fn shuffle_rows(merged: Merged, n_features: usize, seed: u64) -> Merged {
    let mut order: Vec<usize> = (0..merged.y.len()).collect();
    order.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    let mut out = Merged {
        x: Vec::with_capacity(merged.x.len()),
        y: Vec::with_capacity(order.len()),
        w: Vec::with_capacity(order.len()),
    };
    for i in order {
        out.x
            .extend_from_slice(&merged.x[i * n_features..(i + 1) * n_features]);
        out.y.push(merged.y[i]);
        out.w.push(merged.w[i]);
    }
    out
}

/// Computes 1 / (n_features * var(X)) over all values, weighted by row.
fn scale_gamma(merged: &Merged, n_features: usize) -> f64 {
    let total: f64 = merged.w.iter().sum::<f64>() * n_features as f64;
    let mut sum = 0.0;
    for (row, &w) in merged.x.chunks_exact(n_features).zip(&merged.w) {
        sum += w * row.iter().map(|&v| v as f64).sum::<f64>();
    }
    let mean = sum / total;
    let mut sq = 0.0;
    for (row, &w) in merged.x.chunks_exact(n_features).zip(&merged.w) {
        sq += w * row.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>();
    }
    let var = sq / total;
    // scikit-learn falls back to 1 for constant input.
    if var > 0.0 {
        1.0 / (n_features as f64 * var)
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn merge_sums_weights_and_keeps_labels_apart() {
        let x = [0.0, 1.0, 0.5, 0.5, -0.0, 1.0, 0.0, 1.0];
        let y = [false, true, false, true];
        let m = merge(&x, 2, &y, Some(&[1.0, 2.0, 3.0, 4.0]));
        assert_eq!(m.y.len(), 3);
        // Rows 0 and 2 are the same (0 == -0) with the same label.
        let i =
            m.x.chunks(2).zip(&m.y).position(|(r, &l)| r == [0.0, 1.0] && !l);
        assert_eq!(m.w[i.unwrap()], 4.0);
    }

    #[test]
    fn scale_gamma_matches_sklearn_formula() {
        // Values 0, 1, 0, 1: variance 0.25, two features -> gamma 2.
        let m = merge(&[0.0, 1.0, 0.0, 1.0], 2, &[true, false], None);
        assert!((scale_gamma(&m, 2) - 2.0).abs() < 1e-12);
    }

    #[test]
    fn invalid_params_name_the_value() {
        let p = TrainParams { c: -1.0, ..TrainParams::default() };
        let err = p.check().unwrap_err().to_string();
        assert_eq!(err, "invalid parameter c = -1: must be finite and > 0");
        let p = TrainParams { rel_tol: -0.1, ..TrainParams::default() };
        assert!(matches!(
            p.check(),
            Err(ModelError::InvalidParams { name: "rel_tol", .. })
        ));
        let p = TrainParams { n_components: 0, ..TrainParams::default() };
        assert!(matches!(
            p.check(),
            Err(ModelError::InvalidParams { name: "n_components", .. })
        ));
    }
}
