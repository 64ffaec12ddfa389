//! Drawing the map: per-cell colours for each [`Layer`], RGBA pixels for a
//! canvas `ImageData`, pointer hit-testing, and names of reserved blocks
//! for the UI to draw as text.
//!
//! Every level lays its 256 cells out on the order-4 curve of
//! [`crate::hilbert`], so the hit-testing below needs no level; it takes
//! one for symmetry with the rest of the API.

use super::infer::{Grid, Level};
use super::palette::{count_color, diverging, ratio_color, RESERVED};
use crate::hilbert::{cell_of, index_of, CurveOrder};

/// What the map shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layer {
    /// Predicted likelihood as a ratio to the base rate.
    Predicted,
    /// Sources actually blocked on the day, log scale of the count.
    Observed,
    /// Prediction against what happened: hit, miss, false alarm, quiet.
    PredictedVsActual,
}

/// How a cell's prediction compared with the day's sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Predicted high and attacked.
    Hit,
    /// Attacked but not predicted high.
    Miss,
    /// Predicted high but not attacked.
    FalseAlarm,
    /// Neither predicted high nor attacked.
    Quiet,
    /// Reserved space with no source in it.
    Reserved,
}

impl Outcome {
    /// Colour of the outcome: the diverging palette's blue end for false
    /// alarms, its orange end for misses, its white middle for quiet cells,
    /// near-black for hits and the reserved grey.
    pub fn color(self) -> [u8; 4] {
        match self {
            Outcome::Hit => [20, 20, 20, 255],
            Outcome::Miss => diverging(1.0),
            Outcome::FalseAlarm => diverging(-1.0),
            Outcome::Quiet => diverging(0.0),
            Outcome::Reserved => RESERVED,
        }
    }

    /// Short legend text for the outcome.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Hit => "hit",
            Outcome::Miss => "miss",
            Outcome::FalseAlarm => "false alarm",
            Outcome::Quiet => "quiet",
            Outcome::Reserved => "reserved",
        }
    }
}

/// Distinct sources per cell of `level` (sources outside it are ignored).
pub fn observed_counts(level: Level, sources: &[u32]) -> Vec<u64> {
    let (base, len) = level.base_and_cell_len();
    let shift = 32 - u32::from(len);
    let mut sorted = sources.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut counts = vec![0u64; 256];
    for ip in sorted {
        let off = u64::from(ip).wrapping_sub(u64::from(base));
        if off < (256u64 << shift) {
            counts[(off >> shift) as usize] += 1;
        }
    }
    counts
}

/// Outcome per cell: predicted high means a ratio to the base rate of at
/// least `threshold`; attacked means a count above zero.
pub fn outcomes(grid: &Grid, counts: &[u64], threshold: f64) -> Vec<Outcome> {
    (0..=255u8)
        .map(|i| {
            let attacked = counts.get(usize::from(i)).is_some_and(|&c| c > 0);
            let high = grid.ratio(i).is_some_and(|r| r >= threshold);
            match (high, attacked) {
                (true, true) => Outcome::Hit,
                (false, true) => Outcome::Miss,
                (true, false) => Outcome::FalseAlarm,
                (false, false) if grid.cells[usize::from(i)].is_reserved() => {
                    Outcome::Reserved
                }
                (false, false) => Outcome::Quiet,
            }
        })
        .collect()
}

/// The 256 cell colours of `layer`, from the grid, the day's `sources`
/// and (for [`Layer::PredictedVsActual`]) the ratio `threshold`.
pub fn layer_colors(
    grid: &Grid,
    layer: Layer,
    sources: &[u32],
    threshold: f64,
) -> Vec<[u8; 4]> {
    match layer {
        Layer::Predicted => (0..=255u8)
            .map(|i| grid.ratio(i).map_or(RESERVED, ratio_color))
            .collect(),
        Layer::Observed => {
            let counts = observed_counts(grid.level, sources);
            let max = counts.iter().copied().max().unwrap_or(0);
            counts
                .iter()
                .zip(&grid.cells)
                .map(|(&n, cell)| {
                    if n == 0 && cell.is_reserved() {
                        RESERVED
                    } else {
                        count_color(n, max)
                    }
                })
                .collect()
        }
        Layer::PredictedVsActual => {
            let counts = observed_counts(grid.level, sources);
            outcomes(grid, &counts, threshold)
                .into_iter()
                .map(Outcome::color)
                .collect()
        }
    }
}

/// Darkens a colour for the grid lines between cells.
fn grid_line(c: [u8; 4]) -> [u8; 4] {
    let d = |v: u8| (u16::from(v) * 3 / 5) as u8;
    [d(c[0]), d(c[1]), d(c[2]), c[3]]
}

/// RGBA pixels (row-major, `size_px` x `size_px`) of the cells of a curve
/// of `order`: `colors[i]` fills the cell of curve index i, missing ones
/// are transparent. Cells at least 4 pixels wide get a darker first row
/// and column as a thin grid line.
pub fn render_rgba(
    colors: &[[u8; 4]],
    order: CurveOrder,
    size_px: u32,
) -> Vec<u8> {
    let side = u64::from(order.side());
    let size = u64::from(size_px);
    let lines = size >= 4 * side;
    let cell = |p: u64| (p * side / size.max(1)) as u32;
    let edge = |p: u64| p > 0 && cell(p) != cell(p - 1);

    let mut out = Vec::with_capacity((size * size * 4) as usize);
    for py in 0..size {
        let (cy, ey) = (cell(py), lines && edge(py));
        for px in 0..size {
            let i = index_of(order, cell(px), cy);
            let mut c = usize::try_from(i)
                .ok()
                .and_then(|i| colors.get(i))
                .copied()
                .unwrap_or([0, 0, 0, 0]);
            if ey || (lines && edge(px)) {
                c = grid_line(c);
            }
            out.extend_from_slice(&c);
        }
    }
    out
}

/// RGBA pixels of a whole layer of `grid`: [`layer_colors`] drawn by
/// [`render_rgba`] on the order-4 curve.
pub fn render_grid(
    grid: &Grid,
    layer: Layer,
    sources: &[u32],
    threshold: f64,
    size_px: u32,
) -> Vec<u8> {
    let colors = layer_colors(grid, layer, sources, threshold);
    render_rgba(&colors, CurveOrder::FOUR, size_px)
}

/// Marks every /24 holding one of `sources` as a dot on a map of `level`
/// drawn `size_px` wide: the same Hilbert curve one level down per /8
/// (order 12 for the whole space, 8 inside a /8, 4 inside a /16), so the
/// picture shows single /24s even at the top level. Dots are at least
/// 2 px wide so a lone /24 stays visible.
pub fn plot_sources(
    pixels: &mut [u8],
    size_px: u32,
    level: Level,
    sources: &[u32],
    color: [u8; 4],
) {
    let (base, cell_len) = level.base_and_cell_len();
    let bits = 24 - u32::from(cell_len - 8); // /24s inside the level
    let Ok(order) = CurveOrder::new((bits / 2) as u8) else {
        return;
    };
    let side = u64::from(order.side());
    let size = u64::from(size_px);
    let dot = (size / side).max(2);
    let span = 1u64 << bits;
    for &ip in sources {
        let key = (u64::from(ip) >> 8).wrapping_sub(u64::from(base) >> 8);
        if key >= span {
            continue;
        }
        let (x, y) = cell_of(order, key);
        let (x0, y0) = (u64::from(x) * size / side, u64::from(y) * size / side);
        for py in y0..(y0 + dot).min(size) {
            for px in x0..(x0 + dot).min(size) {
                let i = ((py * size + px) * 4) as usize;
                if let Some(p) = pixels.get_mut(i..i + 4) {
                    p.copy_from_slice(&color);
                }
            }
        }
    }
}

/// The cell (0..=255) under a pointer at fractions (x, y) of the map,
/// each in [0, 1) (clamped).
pub fn cell_at(_level: Level, x_frac: f64, y_frac: f64) -> u8 {
    let to_cell = |f: f64| {
        let f = if f.is_nan() { 0.0 } else { f };
        ((f * 16.0).floor()).clamp(0.0, 15.0) as u32
    };
    index_of(CurveOrder::FOUR, to_cell(x_frac), to_cell(y_frac)) as u8
}

/// Grid position (x, y), each 0..=15, of cell `index`; its rectangle in
/// fractions of the map is [x/16, (x+1)/16) x [y/16, (y+1)/16).
pub fn cell_rect(index: u8) -> (u32, u32) {
    cell_of(CurveOrder::FOUR, u64::from(index))
}

/// Special-purpose blocks with the names the map shows.
const RESERVED_BLOCKS: [(u32, u8, &str); 14] = [
    (0x0000_0000, 8, "this network"),
    (0x0A00_0000, 8, "private"),
    (0x6440_0000, 10, "CGN"),
    (0x7F00_0000, 8, "loopback"),
    (0xA9FE_0000, 16, "link local"),
    (0xAC10_0000, 12, "private"),
    (0xC000_0000, 24, "IETF protocol"),
    (0xC000_0200, 24, "documentation"),
    (0xC0A8_0000, 16, "private"),
    (0xC612_0000, 15, "benchmarking"),
    (0xC633_6400, 24, "documentation"),
    (0xCB00_7100, 24, "documentation"),
    (0xE000_0000, 4, "multicast"),
    (0xF000_0000, 4, "reserved"),
];

/// Address span [start, end] of a prefix.
fn span(net: u32, len: u8) -> (u64, u64) {
    let size = 1u64 << (32 - u32::from(len));
    (u64::from(net), u64::from(net) + size - 1)
}

/// Name of the special block that wholly contains cell `cell` of `level`.
pub fn reserved_label(level: Level, cell: u8) -> Option<&'static str> {
    let (_, len) = level.base_and_cell_len();
    let (s, e) = span(level.cell_prefix(cell), len);
    RESERVED_BLOCKS.iter().find_map(|&(net, l, name)| {
        let (rs, re) = span(net, l);
        (rs <= s && e <= re).then_some(name)
    })
}

/// Name of the largest special block lying partly inside cell `cell` of
/// `level` (the cell gets a marker, e.g. 100/8 for CGN, 192/8 for private).
pub fn reserved_partial(level: Level, cell: u8) -> Option<&'static str> {
    let (_, len) = level.base_and_cell_len();
    let (s, e) = span(level.cell_prefix(cell), len);
    RESERVED_BLOCKS
        .iter()
        .filter(|&&(net, l, _)| {
            let (rs, re) = span(net, l);
            l > len && rs <= e && s <= re
        })
        .min_by_key(|&&(_, l, _)| l)
        .map(|&(_, _, name)| name)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod plot_tests {
    use super::*;

    #[test]
    fn a_source_lands_in_its_slash8_tile_and_slash24_cell() {
        let size = 4096u32;
        let mut px = vec![0u8; (size * size * 4) as usize];
        // 127.0.0.1: tile (7, 8) at the top level; the first /24 of the
        // tile is its top-left corner in the ipv4-heatmap orientation.
        plot_sources(&mut px, size, Level::Internet, &[0x7F00_0001], [255; 4]);
        let lit: Vec<(u32, u32)> = (0..size * size)
            .filter(|i| px[(*i * 4) as usize] == 255)
            .map(|i| (i % size, i / size))
            .collect();
        assert_eq!(lit.len(), 4, "a 2 x 2 dot");
        let (x, y) = lit[0];
        assert_eq!((x / 256, y / 256), (7, 8));
        let (cx, cy) = cell_of(CurveOrder::new(12).unwrap(), 0x7F_0000);
        assert_eq!((x, y), (cx, cy));
        // Outside the level: nothing drawn.
        let mut px = vec![0u8; 64 * 64 * 4];
        plot_sources(&mut px, 64, Level::Slash8(61), &[0x7F00_0001], [255; 4]);
        assert!(px.iter().all(|&b| b == 0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_labels_at_slash8() {
        let l = Level::Internet;
        assert_eq!(reserved_label(l, 0), Some("this network"));
        assert_eq!(reserved_label(l, 10), Some("private"));
        assert_eq!(reserved_label(l, 127), Some("loopback"));
        assert_eq!(reserved_label(l, 230), Some("multicast"));
        assert_eq!(reserved_label(l, 255), Some("reserved"));
        assert_eq!(reserved_label(l, 100), None);
        assert_eq!(reserved_label(l, 8), None);
        assert_eq!(reserved_partial(l, 100), Some("CGN"));
        assert_eq!(reserved_partial(l, 169), Some("link local"));
        assert_eq!(reserved_partial(l, 172), Some("private"));
        assert_eq!(reserved_partial(l, 192), Some("private"));
        assert_eq!(reserved_partial(l, 8), None);
        assert_eq!(reserved_partial(l, 10), None);
    }

    #[test]
    fn reserved_labels_when_zoomed() {
        assert_eq!(reserved_label(Level::Slash8(100), 64), Some("CGN"));
        assert_eq!(reserved_label(Level::Slash8(100), 127), Some("CGN"));
        assert_eq!(reserved_label(Level::Slash8(100), 128), None);
        assert_eq!(reserved_label(Level::Slash8(172), 31), Some("private"));
        assert_eq!(
            reserved_label(Level::Slash16(192, 0), 2),
            Some("documentation")
        );
        assert_eq!(
            reserved_partial(Level::Slash8(192), 0),
            Some("IETF protocol")
        );
    }

    #[test]
    fn observed_counts_are_distinct_sources_in_the_level() {
        let src =
            [0x0102_0304, 0x0102_0304, 0x0102_0305, 0x02FF_0000, 0x0300_0000];
        let c = observed_counts(Level::Internet, &src);
        assert_eq!((c[1], c[2], c[3], c[4]), (2, 1, 1, 0));
        let c = observed_counts(Level::Slash8(1), &src);
        assert_eq!(c[2], 2);
        assert_eq!(c.iter().sum::<u64>(), 2);
    }

    #[test]
    fn render_paints_cells_and_grid_lines() {
        let o = CurveOrder::new(1).unwrap_or(CurveOrder::FOUR);
        let colors = [
            [10, 20, 30, 255],
            [40, 50, 60, 255],
            [70, 80, 90, 255],
            [100, 110, 120, 255],
        ];
        let px = render_rgba(&colors, o, 8);
        assert_eq!(px.len(), 8 * 8 * 4);
        let at = |x: usize, y: usize| &px[(y * 8 + x) * 4..(y * 8 + x) * 4 + 4];
        // Order 1: index 0 top-left, 1 bottom-left, 2 bottom-right, 3 top-right.
        assert_eq!(at(1, 1), [10, 20, 30, 255]);
        assert_eq!(at(1, 6), [40, 50, 60, 255]);
        assert_eq!(at(6, 6), [70, 80, 90, 255]);
        assert_eq!(at(6, 1), [100, 110, 120, 255]);
        // Grid line: first column of the right-hand cells is darker.
        assert_eq!(at(4, 1), [60, 66, 72, 255]);
        assert_eq!(at(0, 0), [10, 20, 30, 255]);
    }
}
