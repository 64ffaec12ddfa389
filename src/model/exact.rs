//! The exact RBF-kernel SVM, by smartcore's SVC: the oracle the fast model
//! is checked against, and an exact mode for small training sets.
//!
//! smartcore unwraps internally, so everything it would choke on is
//! rejected here first: lengths, non-finite values, a missing class and bad
//! parameters. Labels become -1 / +1 (smartcore wants two numeric classes
//! and treats a positive decision as the larger one), the seed of its row
//! permutation is always passed, and its `Failed` becomes
//! [`ModelError::Exact`]. Fitting costs roughly quadratic time in the rows,
//! so keep this to a few thousand.

use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::svm::svc::{SVCParameters, SVC};
use smartcore::svm::Kernels;

use super::{ModelError, TrainParams};

type Params = SVCParameters<f64, i32, DenseMatrix<f64>, Vec<i32>>;
type Fitted<'a> = SVC<'a, f64, i32, DenseMatrix<f64>, Vec<i32>>;

/// Training data and parameters for smartcore's exact SVC, checked.
pub struct ExactSvm {
    x: DenseMatrix<f64>,
    y: Vec<i32>,
    n_features: usize,
    gamma: f64,
    params: Params,
}

/// A fitted exact SVC, borrowing its [`ExactSvm`].
pub struct ExactFit<'a> {
    svc: Fitted<'a>,
    n_features: usize,
}

impl ExactSvm {
    /// Checks the input and prepares a fit with `params.c`, `params.gamma`
    /// (None = 1 / (n_features * var(X)), unweighted) and `params.seed`;
    /// smartcore keeps its own tolerance (1e-3) and epoch count (2).
    pub fn new(
        x: &[f32],
        n_features: usize,
        y: &[bool],
        params: &TrainParams,
    ) -> Result<ExactSvm, ModelError> {
        let p = params.check()?;
        let p = p.get();
        super::validate(x, n_features, y, None)?;
        let attackers = y.iter().filter(|&&l| l).count();
        if attackers == 0 || attackers == y.len() {
            return Err(ModelError::OneClass {
                attackers,
                benign: y.len() - attackers,
            });
        }

        let values: Vec<f64> = x.iter().map(|&v| v as f64).collect();
        let gamma = p.gamma.unwrap_or_else(|| {
            let n = values.len() as f64;
            let mean = values.iter().sum::<f64>() / n;
            let var =
                values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
            if var > 0.0 {
                1.0 / (n_features as f64 * var)
            } else {
                1.0
            }
        });
        let x = DenseMatrix::new(y.len(), n_features, values, false)
            .map_err(|e| ModelError::Exact(e.to_string()))?;
        let labels = y.iter().map(|&l| if l { 1 } else { -1 }).collect();
        let params = Params::default()
            .with_c(p.c)
            .with_kernel(Kernels::rbf().with_gamma(gamma))
            .with_seed(Some(p.seed));
        Ok(ExactSvm { x, y: labels, n_features, gamma, params })
    }

    /// The RBF gamma in use.
    pub fn gamma(&self) -> f64 {
        self.gamma
    }

    /// Runs smartcore's solver.
    pub fn fit(&self) -> Result<ExactFit<'_>, ModelError> {
        let svc = SVC::fit(&self.x, &self.y, &self.params)
            .map_err(|e| ModelError::Exact(e.to_string()))?;
        Ok(ExactFit { svc, n_features: self.n_features })
    }
}

impl ExactFit<'_> {
    /// Decision values of row-major rows; > 0 leans attacker.
    pub fn decision_batch(&self, x: &[f32]) -> Result<Vec<f64>, ModelError> {
        let n = x.len() / self.n_features;
        if x.len() != n * self.n_features || n == 0 {
            return Err(ModelError::Shape {
                what: "rows to predict (rows x n_features)",
                expected: n.max(1) * self.n_features,
                found: x.len(),
            });
        }
        if let Some((i, &value)) =
            x.iter().enumerate().find(|(_, v)| !v.is_finite())
        {
            return Err(ModelError::NonFinite {
                row: i / self.n_features,
                feature: i % self.n_features,
                value,
            });
        }
        let values = x.iter().map(|&v| v as f64).collect();
        let m = DenseMatrix::new(n, self.n_features, values, false)
            .map_err(|e| ModelError::Exact(e.to_string()))?;
        self.svc
            .decision_function(&m)
            .map_err(|e| ModelError::Exact(e.to_string()))
    }

    /// Predicted labels (decision > 0) of row-major rows.
    pub fn predict_batch(&self, x: &[f32]) -> Result<Vec<bool>, ModelError> {
        Ok(self.decision_batch(x)?.into_iter().map(|f| f > 0.0).collect())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn rejects_one_class_before_smartcore() {
        let err = ExactSvm::new(
            &[0.0, 1.0],
            1,
            &[true, true],
            &TrainParams::default(),
        );
        assert!(matches!(
            err,
            Err(ModelError::OneClass { attackers: 2, benign: 0 })
        ));
    }

    #[test]
    fn separates_two_clusters() {
        let x = [0.0, 0.1, 0.05, 0.9, 1.0, 0.95];
        let y = [false, false, false, true, true, true];
        let params = TrainParams { c: 10.0, ..TrainParams::default() };
        let svm = ExactSvm::new(&x, 1, &y, &params).unwrap();
        let fit = svm.fit().unwrap();
        assert_eq!(fit.predict_batch(&[0.02, 0.97]).unwrap(), [false, true]);
        assert!(matches!(
            fit.decision_batch(&[f32::NAN]),
            Err(ModelError::NonFinite { row: 0, .. })
        ));
    }
}
