//! Colours for the map: a sequential viridis palette over the log ratio to
//! the base rate, a diverging blue-white-orange palette, fixed colours for
//! reserved and empty cells, and the legend ticks.
//!
//! Both palettes stay readable with the common colour-vision deficiencies:
//! viridis rises steadily in lightness from dark purple to yellow, and the
//! diverging one runs blue to orange, a pair that deuteranopes and
//! protanopes still tell apart, through near-white.

/// Lowest log10 ratio the sequential palette shows (0.1x the base rate).
pub const LOG_RATIO_MIN: f64 = -1.0;

/// Highest log10 ratio the sequential palette shows (1000x the base rate).
pub const LOG_RATIO_MAX: f64 = 3.0;

/// Grey for reserved (special-purpose, bogon) blocks.
pub const RESERVED: [u8; 4] = [150, 150, 150, 255];

/// Near-black for cells with nothing to show (no observed source).
pub const EMPTY: [u8; 4] = [24, 24, 28, 255];

/// Viridis sampled at t = 0, 1/8, ..., 1 (sRGB); interpolated linearly.
const VIRIDIS: [[u8; 3]; 9] = [
    [68, 1, 84],
    [71, 45, 123],
    [59, 82, 139],
    [44, 114, 142],
    [33, 145, 140],
    [40, 174, 128],
    [94, 201, 98],
    [173, 220, 48],
    [253, 231, 37],
];

/// Blue, light blue, near-white, light orange, orange at t = -1..=1.
const DIVERGING: [[u8; 3]; 5] = [
    [33, 102, 172],
    [120, 171, 210],
    [247, 247, 247],
    [250, 180, 110],
    [215, 95, 10],
];

/// Linear interpolation through equally spaced control points, t in [0, 1].
fn through(points: &[[u8; 3]], t: f64) -> [u8; 4] {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let last = points.len() - 1;
    let pos = t * last as f64;
    let i = (pos.floor() as usize).min(last.saturating_sub(1));
    let f = pos - i as f64;
    let mut out = [0, 0, 0, 255];
    for (k, o) in out.iter_mut().take(3).enumerate() {
        let a = f64::from(points[i][k]);
        let b = f64::from(points[(i + 1).min(last)][k]);
        *o = (a + (b - a) * f).round() as u8;
    }
    out
}

/// Viridis colour at `t` in [0, 1] (clamped): dark purple to yellow.
pub fn viridis(t: f64) -> [u8; 4] {
    through(&VIRIDIS, t)
}

/// Diverging colour at `t` in [-1, 1] (clamped): blue, white, orange.
pub fn diverging(t: f64) -> [u8; 4] {
    through(&DIVERGING, (t + 1.0) / 2.0)
}

/// Position in [0, 1] of a ratio to the base rate on the log legend.
pub fn ratio_position(ratio: f64) -> f64 {
    if ratio.is_nan() || ratio <= 0.0 {
        return 0.0;
    }
    let l = ratio.log10().clamp(LOG_RATIO_MIN, LOG_RATIO_MAX);
    (l - LOG_RATIO_MIN) / (LOG_RATIO_MAX - LOG_RATIO_MIN)
}

/// Sequential colour of a ratio to the base rate (log scale, clamped).
pub fn ratio_color(ratio: f64) -> [u8; 4] {
    viridis(ratio_position(ratio))
}

/// Sequential colour of a count on a log scale from 1 to `max`;
/// [`EMPTY`] for zero.
pub fn count_color(count: u64, max: u64) -> [u8; 4] {
    if count == 0 {
        return EMPTY;
    }
    if max <= 1 {
        return viridis(1.0);
    }
    viridis((count as f64).log10() / (max as f64).log10())
}

/// One tick of the legend: where it sits and what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    /// log10 of the ratio to the base rate.
    pub log10: f64,
    /// Position along the legend bar, 0 = left, 1 = right.
    pub position: f64,
    /// Text under the tick.
    pub label: &'static str,
}

/// Ticks of the likelihood legend, one per power of ten of the ratio.
pub fn legend_ticks() -> Vec<Tick> {
    const LABELS: [&str; 5] = ["0.1×", "1×", "10×", "100×", "1000×"];
    LABELS
        .iter()
        .enumerate()
        .map(|(i, &label)| {
            let log10 = LOG_RATIO_MIN + i as f64;
            let position =
                (log10 - LOG_RATIO_MIN) / (LOG_RATIO_MAX - LOG_RATIO_MIN);
            Tick { log10, position, label }
        })
        .collect()
}

/// Relative luminance (WCAG, linearised sRGB) of a colour, in [0, 1].
pub fn relative_luminance(c: [u8; 4]) -> f64 {
    let lin = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.040_45 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viridis_rises_in_luminance() {
        // 64 steps always get lighter. Finer steps never get darker by
        // more than rounding a channel to u8 can cause (about 5e-4).
        let lum = |i: u32, n: u32| {
            relative_luminance(viridis(f64::from(i) / f64::from(n)))
        };
        for i in 1..=1000 {
            assert!(lum(i, 1000) > lum(i - 1, 1000) - 5e-4, "at {i}/1000");
        }
        for i in 1..=64 {
            assert!(lum(i, 64) > lum(i - 1, 64), "flat at {i}/64");
        }
        assert_eq!(viridis(0.0), [68, 1, 84, 255]);
        assert_eq!(viridis(1.0), [253, 231, 37, 255]);
        assert_eq!(viridis(7.0), viridis(1.0));
    }

    #[test]
    fn diverging_is_light_in_the_middle_and_dark_at_the_ends() {
        let mid = relative_luminance(diverging(0.0));
        let mut prev = relative_luminance(diverging(-1.0));
        for i in -99..=0 {
            let l = relative_luminance(diverging(f64::from(i) / 100.0));
            assert!(l >= prev);
            prev = l;
        }
        for i in 1..=100 {
            let l = relative_luminance(diverging(f64::from(i) / 100.0));
            assert!(l <= prev);
            prev = l;
        }
        assert!(mid > 0.9);
        assert!(diverging(-1.0)[2] > diverging(-1.0)[0]);
        assert!(diverging(1.0)[0] > diverging(1.0)[2]);
    }

    #[test]
    fn ratio_colours_are_clamped_log_scale() {
        assert_eq!(ratio_position(1.0), 0.25);
        assert_eq!(ratio_position(0.001), 0.0);
        assert_eq!(ratio_position(1e9), 1.0);
        assert_eq!(ratio_position(0.0), 0.0);
        assert_eq!(ratio_color(1000.0), viridis(1.0));
        assert!((ratio_position(10.0) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn legend_ticks_are_powers_of_ten() {
        let t = legend_ticks();
        let labels: Vec<_> = t.iter().map(|t| t.label).collect();
        assert_eq!(labels, ["0.1×", "1×", "10×", "100×", "1000×"]);
        assert_eq!(t[0].position, 0.0);
        assert_eq!(t[4].position, 1.0);
        for tick in &t {
            let ratio = 10f64.powf(tick.log10);
            assert!((ratio_position(ratio) - tick.position).abs() < 1e-12);
        }
    }

    #[test]
    fn counts_use_log_scale_and_empty_for_zero() {
        assert_eq!(count_color(0, 100), EMPTY);
        assert_eq!(count_color(1, 100), viridis(0.0));
        assert_eq!(count_color(10, 100), viridis(0.5));
        assert_eq!(count_color(100, 100), viridis(1.0));
    }
}
