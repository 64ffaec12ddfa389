//! Platt scaling: a sigmoid P(attacker | f) = 1 / (1 + exp(A f + B)) fit
//! to decision values f.
//!
//! The fit is the robust Newton method of Lin, Lin and Weng (2007), "A note
//! on Platt's probabilistic outputs for support vector machines": targets
//! are smoothed to (N+ + 1) / (N+ + 2) and 1 / (N- + 2), the log-likelihood
//! is evaluated without overflow, and each Newton step is backtracked until
//! it decreases the objective enough. Rows carry weights (merged duplicates),
//! which multiply their terms and count towards N+ and N-. The fit runs in
//! f64; the two coefficients are kept as f32.

use serde::{Deserialize, Serialize};

/// The two fitted sigmoid coefficients.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Platt {
    /// Slope on the decision value (negative when larger means attacker).
    pub a: f32,
    /// Offset.
    pub b: f32,
}

impl Platt {
    /// Probability of the positive class for decision value `f`.
    #[inline]
    pub fn probability(&self, f: f64) -> f64 {
        sigmoid_neg(self.a as f64 * f + self.b as f64)
    }

    /// Fits A and B to decision values, labels and row weights.
    pub fn fit(f: &[f64], y: &[bool], weight: &[f64]) -> Platt {
        let (mut prior1, mut prior0) = (0.0, 0.0);
        for (&l, &w) in y.iter().zip(weight) {
            if l {
                prior1 += w;
            } else {
                prior0 += w;
            }
        }
        let hi = (prior1 + 1.0) / (prior1 + 2.0);
        let lo = 1.0 / (prior0 + 2.0);
        let t: Vec<f64> = y.iter().map(|&l| if l { hi } else { lo }).collect();

        let objective = |a: f64, b: f64| -> f64 {
            let mut sum = 0.0;
            for ((&fi, &ti), &wi) in f.iter().zip(&t).zip(weight) {
                let z = a * fi + b;
                // -log likelihood, written to keep exp() from overflowing.
                sum += wi
                    * if z >= 0.0 {
                        ti * z + (-z).exp().ln_1p()
                    } else {
                        (ti - 1.0) * z + z.exp().ln_1p()
                    };
            }
            sum
        };

        const MAX_ITER: usize = 100;
        const MIN_STEP: f64 = 1e-10;
        const SIGMA: f64 = 1e-12;
        // Stop when the gradient is this small per unit of row weight:
        // with ~1e5 weighted rows, an absolute 1e-5 sits below the rounding
        // noise of the objective, and every line search then halves its
        // step 33 times (an objective pass each) before giving up.
        const EPS: f64 = 1e-7;
        let eps = (EPS * (prior0 + prior1)).max(1e-5);
        let mut a = 0.0;
        let mut b = ((prior0 + 1.0) / (prior1 + 1.0)).ln();
        let mut fval = objective(a, b);

        for _ in 0..MAX_ITER {
            // Gradient and Hessian (with a small ridge for stability).
            let (mut h11, mut h22, mut h21) = (SIGMA, SIGMA, 0.0);
            let (mut g1, mut g2) = (0.0, 0.0);
            for ((&fi, &ti), &wi) in f.iter().zip(&t).zip(weight) {
                let p = sigmoid_neg(a * fi + b);
                let q = 1.0 - p;
                let d2 = wi * p * q;
                h11 += fi * fi * d2;
                h22 += d2;
                h21 += fi * d2;
                let d1 = wi * (ti - p);
                g1 += fi * d1;
                g2 += d1;
            }
            if g1.abs() < eps && g2.abs() < eps {
                break;
            }

            let det = h11 * h22 - h21 * h21;
            let da = -(h22 * g1 - h21 * g2) / det;
            let db = -(-h21 * g1 + h11 * g2) / det;
            let gd = g1 * da + g2 * db;

            // Backtracking line search on the Newton direction.
            let mut step = 1.0;
            while step >= MIN_STEP {
                let (na, nb) = (a + step * da, b + step * db);
                let nf = objective(na, nb);
                if nf < fval + 1e-4 * step * gd {
                    a = na;
                    b = nb;
                    fval = nf;
                    break;
                }
                step /= 2.0;
            }
            if step < MIN_STEP {
                log::debug!("platt: line search failed, keeping a {a}, b {b}");
                break;
            }
        }
        // Stored as f32 so that a JSON round trip restores them bit for bit.
        Platt { a: a as f32, b: b as f32 }
    }
}

/// Computes 1 / (1 + exp(z)) without overflow.
#[inline]
fn sigmoid_neg(z: f64) -> f64 {
    if z >= 0.0 {
        let e = (-z).exp();
        e / (1.0 + e)
    } else {
        1.0 / (1.0 + z.exp())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_a_known_sigmoid() {
        // Decision values on a grid, with the fraction of positives at each
        // value following 1 / (1 + exp(-2 f)): expect A near -2, B near 0.
        let mut f = Vec::new();
        let mut y = Vec::new();
        let mut w = Vec::new();
        for i in -20..=20 {
            let fi = i as f64 / 10.0;
            let p = 1.0 / (1.0 + (-2.0 * fi).exp());
            f.extend([fi, fi]);
            y.extend([true, false]);
            w.extend([1000.0 * p, 1000.0 * (1.0 - p)]);
        }
        let platt = Platt::fit(&f, &y, &w);
        assert!((platt.a + 2.0).abs() < 0.01, "a = {}", platt.a);
        assert!(platt.b.abs() < 0.01, "b = {}", platt.b);
        assert!((platt.probability(1.0) - 0.8808).abs() < 0.002);
    }

    #[test]
    fn separable_data_stays_finite() {
        let f = [-2.0, -1.0, 1.0, 2.0];
        let y = [false, false, true, true];
        let platt = Platt::fit(&f, &y, &[1.0; 4]);
        assert!(platt.a.is_finite() && platt.b.is_finite());
        assert!(platt.a < 0.0);
        // Smoothed targets keep the extremes away from 0 and 1.
        assert!(platt.probability(2.0) < 1.0);
        assert!(platt.probability(-2.0) > 0.0);
    }
}
