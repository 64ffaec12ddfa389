//! hilbert: index <-> cell math for the Hilbert curve that lays out the
//! IPv4 space.
//!
//! This module owns only the curve: which grid cell a curve index falls
//! in and back. What a cell means (a /8, a /16, a /24) and what colour it
//! gets belong to [`crate::map`].
//!
//! The orientation is the one of xkcd's "Map of the Internet" and of
//! ipv4-heatmap: x grows to the right, y grows downwards, index 0 sits at
//! (0, 0) and the last index at (2^n - 1, 0); at the even orders the maps
//! use (4, 8, 12, 16) index 1 sits at (1, 0), at odd orders at (0, 1). At order 4
//! the 256 /8 blocks land as 10/8 at (3, 3), 127/8 at (7, 8), 192/8 at
//! (15, 7) and 224/8 at (11, 3). At every order the curve starts at the
//! top-left corner and ends at the top-right one; every aligned run of
//! 4^k consecutive indices fills an aligned 2^k x 2^k square, so order 12
//! puts each /8 into a 256 x 256 tile at the place order 4 gives it.

use thiserror::Error;

/// Error for a curve order outside 1..=16.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HilbertError {
    /// The requested order is not in 1..=16.
    #[error("curve order {0} is outside 1..=16")]
    BadOrder(u8),
}

/// The order n of a Hilbert curve, covering a 2^n x 2^n grid (1..=16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CurveOrder(u8);

impl CurveOrder {
    /// Order 4: 256 cells, one per /8 (or per /16 of a /8, ...).
    pub const FOUR: CurveOrder = CurveOrder(4);

    /// Checks that `order` is in 1..=16.
    ///
    /// ```
    /// use lwrank::hilbert::CurveOrder;
    /// assert_eq!(CurveOrder::new(12).unwrap().side(), 4096);
    /// assert!(CurveOrder::new(0).is_err());
    /// assert!(CurveOrder::new(17).is_err());
    /// ```
    pub fn new(order: u8) -> Result<CurveOrder, HilbertError> {
        if (1..=16).contains(&order) {
            Ok(CurveOrder(order))
        } else {
            Err(HilbertError::BadOrder(order))
        }
    }

    /// The order n itself.
    pub fn get(self) -> u8 {
        self.0
    }

    /// Cells along one side of the grid: 2^n.
    pub fn side(self) -> u32 {
        1u32 << self.0
    }

    /// Cells in the whole grid: 4^n.
    pub fn cells(self) -> u64 {
        1u64 << (2 * u32::from(self.0))
    }
}

/// Flips a sub-square so the curve inside it is drawn the right way round.
fn rotate(side: u32, x: &mut u32, y: &mut u32, rx: u32, ry: u32) {
    if ry == 0 {
        if rx == 1 {
            *x = side - 1 - *x;
            *y = side - 1 - *y;
        }
        std::mem::swap(x, y);
    }
}

/// The grid cell (x, y) of curve index `index`; bits above 4^n are ignored.
///
/// ```
/// use lwrank::hilbert::{cell_of, CurveOrder};
/// let o = CurveOrder::new(4).unwrap();
/// assert_eq!(cell_of(o, 1), (1, 0));
/// assert_eq!(cell_of(o, 10), (3, 3));
/// assert_eq!(cell_of(o, 127), (7, 8));
/// assert_eq!(cell_of(o, 192), (15, 7));
/// assert_eq!(cell_of(o, 255), (15, 0));
/// ```
pub fn cell_of(order: CurveOrder, index: u64) -> (u32, u32) {
    let mut t = index & (order.cells() - 1);
    let (mut x, mut y) = (0u32, 0u32);
    let mut s = 1u32;

    // Build the position from the least significant quadrant digit up,
    // re-orienting the partial square at each level.
    while s < order.side() {
        let rx = (1 & (t / 2)) as u32;
        let ry = (1 & (t ^ u64::from(rx))) as u32;
        rotate(s, &mut x, &mut y, rx, ry);
        x += s * rx;
        y += s * ry;
        t /= 4;
        s *= 2;
    }
    (x, y)
}

/// The curve index of grid cell (x, y); bits above 2^n are ignored.
///
/// ```
/// use lwrank::hilbert::{cell_of, index_of, CurveOrder};
/// let o = CurveOrder::new(4).unwrap();
/// assert_eq!(index_of(o, 11, 3), 224);
/// let o12 = CurveOrder::new(12).unwrap();
/// let (x, y) = cell_of(o12, 0xC0A8_01);
/// assert_eq!(index_of(o12, x, y), 0xC0A8_01);
/// ```
pub fn index_of(order: CurveOrder, x: u32, y: u32) -> u64 {
    let side = order.side();
    let (mut x, mut y) = (x & (side - 1), y & (side - 1));
    let mut d = 0u64;
    let mut s = side / 2;

    // Read the quadrant digits from the most significant level down.
    while s > 0 {
        let rx = u32::from(x & s > 0);
        let ry = u32::from(y & s > 0);
        d += u64::from(s) * u64::from(s) * u64::from((3 * rx) ^ ry);
        rotate(side, &mut x, &mut y, rx, ry);
        s /= 2;
    }
    d
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn order_one_is_a_cup_opening_down() {
        let o = CurveOrder::new(1).unwrap();
        let cells: Vec<_> = (0..4).map(|i| cell_of(o, i)).collect();
        assert_eq!(cells, vec![(0, 0), (0, 1), (1, 1), (1, 0)]);
    }

    #[test]
    fn order_four_matches_the_table_rows() {
        let o = CurveOrder::FOUR;
        let row0 = [
            0, 1, 14, 15, 16, 19, 20, 21, 234, 235, 236, 239, 240, 241, 254,
            255,
        ];
        let row15 = [
            85, 86, 89, 90, 101, 102, 105, 106, 149, 150, 153, 154, 165, 166,
            169, 170,
        ];
        for x in 0..16u32 {
            assert_eq!(index_of(o, x, 0), row0[x as usize]);
            assert_eq!(index_of(o, x, 15), row15[x as usize]);
        }
    }
}
