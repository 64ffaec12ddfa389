//! Random Fourier features: an explicit map whose dot products approximate
//! the RBF kernel exp(-gamma * |x - y|^2).
//!
//! Following Rahimi and Recht (2007), z(x) = sqrt(2 / D) cos(W x + b) with
//! the rows of W drawn from N(0, 2 gamma I) and b uniform on [0, 2 pi), so
//! that E[z(x) . z(y)] equals the kernel. This module owns the draw and the
//! map; the linear SVM that consumes z lives in [`super::linear`].
//!
//! The cosine is a branch-free polynomial (absolute error below 1e-6) rather
//! than `f32::cos`: it is several times faster, vectorises, and the same
//! function is used in training and prediction, so the model is exactly the
//! one it was trained as.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// Components computed together (one or more SIMD registers' worth).
const LANES: usize = 16;

/// The drawn projection of a random Fourier feature map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rff {
    /// Number of input features per row.
    pub n_features: usize,
    /// Number of random components D.
    pub n_components: usize,
    /// Projection, stored feature-major: `w[j * D + k]` multiplies feature j
    /// into component k (so the inner loop runs over contiguous k).
    pub w: Vec<f32>,
    /// Phase of each component, uniform on [0, 2 pi).
    pub b: Vec<f32>,
}

impl Rff {
    /// Draws a map for `n_features` inputs and `n_components` outputs.
    pub fn draw(
        n_features: usize,
        n_components: usize,
        gamma: f64,
        seed: u64,
    ) -> Rff {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let std_dev = (2.0 * gamma).sqrt();
        let mut w = Vec::with_capacity(n_features * n_components);
        for _ in 0..n_features * n_components {
            w.push((standard_normal(&mut rng) * std_dev) as f32);
        }
        let b = (0..n_components)
            .map(|_| (rng.random::<f64>() * std::f64::consts::TAU) as f32)
            .collect();
        Rff { n_features, n_components, w, b }
    }

    /// Writes cos(W x + b) of one row into `out` (length D).
    ///
    /// A row shorter than `n_features` is read as if padded with zeros;
    /// extra values are ignored. Components are computed sixteen at a time
    /// so that the phases stay in registers and the cosine runs over lanes.
    #[inline]
    pub fn cosines(&self, row: &[f32], out: &mut [f32]) {
        let d = self.n_components;
        let row = &row[..row.len().min(self.n_features)];
        let mut o16 = out.chunks_exact_mut(LANES);
        let mut b16 = self.b.chunks_exact(LANES);
        for (k, (o, b)) in (&mut o16).zip(&mut b16).enumerate() {
            let k = k * LANES;
            let mut a = [0.0f32; LANES];
            a.copy_from_slice(b);
            for (j, &xj) in row.iter().enumerate() {
                // Ranks are often exactly zero: skipping them changes
                // nothing (adding 0 * w is exact).
                if xj == 0.0 {
                    continue;
                }
                let wj = &self.w[j * d + k..j * d + k + LANES];
                for l in 0..LANES {
                    a[l] += wj[l] * xj;
                }
            }
            for l in 0..LANES {
                o[l] = fast_cos(a[l]);
            }
        }
        // The last D mod 16 components, one at a time.
        let k0 = d - d % LANES;
        for (k, (o, &b)) in
            o16.into_remainder().iter_mut().zip(b16.remainder()).enumerate()
        {
            let k = k0 + k;
            let mut a = b;
            for (j, &xj) in row.iter().enumerate() {
                if xj != 0.0 {
                    a += self.w[j * d + k] * xj;
                }
            }
            *o = fast_cos(a);
        }
    }

    /// Writes the full feature vector z(x) (length D) of one row into `out`.
    pub fn transform_row(&self, row: &[f32], out: &mut [f32]) {
        self.cosines(row, out);
        let scale = (2.0 / self.n_components as f64).sqrt() as f32;
        for v in out.iter_mut() {
            *v *= scale;
        }
    }
}

/// Draws one standard normal value by the Box-Muller transform.
fn standard_normal(rng: &mut ChaCha8Rng) -> f64 {
    // 1 - u keeps the logarithm finite (u is in [0, 1)).
    let u1 = 1.0 - rng.random::<f64>();
    let u2 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Cosine of `a` (radians) by range reduction and an odd polynomial.
///
/// cos(2 pi t) with t reduced to [-1/2, 1/2] equals -sin(2 pi v) with
/// v = |t| - 1/4 in [-1/4, 1/4], where the Taylor series of sine to
/// degree 11 is accurate to about 6e-8 before rounding. Valid for
/// |a| < 2^22 * 2 pi, far beyond any phase a rank in [0, 1] produces.
#[inline(always)]
pub fn fast_cos(a: f32) -> f32 {
    // Adding and removing 1.5 * 2^23 rounds to the nearest integer without
    // a libm call (Rust never reassociates float arithmetic).
    const ROUND: f32 = 12_582_912.0;
    const INV_TAU: f32 = 1.0 / std::f32::consts::TAU;
    let t = a * INV_TAU;
    let t = t - ((t + ROUND) - ROUND);
    let y = (t.abs() - 0.25) * std::f32::consts::TAU;
    let y2 = y * y;
    let p = 1.0 / 39_916_800.0;
    let p = p * -y2 + 1.0 / 362_880.0;
    let p = p * -y2 + 1.0 / 5_040.0;
    let p = p * -y2 + 1.0 / 120.0;
    let p = p * -y2 + 1.0 / 6.0;
    let p = p * -y2 + 1.0;
    -(y * p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_cos_matches_libm() {
        let mut worst = 0.0f64;
        for i in -200_000..200_000 {
            let a = i as f32 * 1e-4;
            let err = (fast_cos(a) as f64 - (a as f64).cos()).abs();
            worst = worst.max(err);
        }
        assert!(worst < 2e-6, "worst error {worst}");
    }

    #[test]
    fn features_approximate_the_kernel() {
        let gamma = 2.0;
        let rff = Rff::draw(3, 4096, gamma, 7);
        let x = [0.1f32, 0.5, 0.0];
        let y = [0.3f32, 0.2, 0.4];
        let mut zx = vec![0.0; 4096];
        let mut zy = vec![0.0; 4096];
        rff.transform_row(&x, &mut zx);
        rff.transform_row(&y, &mut zy);
        let dot: f64 = zx.iter().zip(&zy).map(|(a, b)| (*a * *b) as f64).sum();
        let d2: f64 =
            x.iter().zip(&y).map(|(a, b)| ((a - b) as f64).powi(2)).sum();
        let exact = (-gamma * d2).exp();
        // Monte Carlo error is about 1 / sqrt(D) = 0.016.
        assert!((dot - exact).abs() < 0.05, "dot {dot} exact {exact}");
    }

    #[test]
    fn draw_is_seeded() {
        assert_eq!(Rff::draw(2, 8, 1.0, 3), Rff::draw(2, 8, 1.0, 3));
        assert_ne!(Rff::draw(2, 8, 1.0, 3), Rff::draw(2, 8, 1.0, 4));
    }
}
