//! The Hilbert curve matches the xkcd / ipv4-heatmap orientation, is a
//! bijection, and steps only between edge neighbours.
#![allow(clippy::unwrap_used)]

use lwrank::hilbert::{cell_of, index_of, CurveOrder, HilbertError};
use proptest::prelude::*;

fn order(n: u8) -> CurveOrder {
    CurveOrder::new(n).unwrap()
}

#[test]
fn fixed_points_of_the_slash8_map() {
    let o = order(4);
    let points = [
        (0, (0, 0)),
        (1, (1, 0)),
        (10, (3, 3)),
        (127, (7, 8)),
        (128, (8, 8)),
        (192, (15, 7)),
        (224, (11, 3)),
        (255, (15, 0)),
    ];
    for (i, cell) in points {
        assert_eq!(cell_of(o, i), cell, "/8 {i}");
        assert_eq!(index_of(o, cell.0, cell.1), i, "/8 {i}");
    }
}

#[test]
fn whole_slash8_table_matches_orientation_md() {
    // Rows y = 4 and y = 11 of the table in ORIENTATION.md.
    let row4 = [
        58, 57, 54, 53, 32, 35, 36, 37, 218, 219, 220, 223, 202, 201, 198, 197,
    ];
    let row11 = [
        79, 76, 75, 74, 117, 116, 115, 112, 143, 140, 139, 138, 181, 180, 179,
        176,
    ];
    for x in 0..16u32 {
        assert_eq!(index_of(order(4), x, 4), row4[x as usize]);
        assert_eq!(index_of(order(4), x, 11), row11[x as usize]);
    }
}

#[test]
fn orders_outside_1_to_16_are_refused() {
    assert_eq!(CurveOrder::new(0), Err(HilbertError::BadOrder(0)));
    assert_eq!(CurveOrder::new(17), Err(HilbertError::BadOrder(17)));
    assert_eq!(order(16).cells(), 1 << 32);
}

#[test]
fn round_trip_and_adjacency_for_every_cell_up_to_order_8() {
    for n in 1..=8u8 {
        let o = order(n);
        let mut seen = vec![false; o.cells() as usize];
        let mut prev = cell_of(o, 0);
        for i in 0..o.cells() {
            let (x, y) = cell_of(o, i);
            assert!(x < o.side() && y < o.side());
            assert_eq!(index_of(o, x, y), i, "order {n} index {i}");
            let k = (y * o.side() + x) as usize;
            assert!(!seen[k], "order {n}: cell ({x}, {y}) visited twice");
            seen[k] = true;
            if i > 0 {
                let d = prev.0.abs_diff(x) + prev.1.abs_diff(y);
                assert_eq!(d, 1, "order {n}: {} -> {i} not adjacent", i - 1);
            }
            prev = (x, y);
        }
        // Start top-left, end top-right at every order.
        assert_eq!(cell_of(o, 0), (0, 0));
        assert_eq!(cell_of(o, o.cells() - 1), (o.side() - 1, 0));
    }
}

proptest! {
    #[test]
    fn round_trip_sampled_at_orders_12_and_16(i in 0u64..(1 << 32)) {
        for n in [12u8, 16] {
            let o = order(n);
            let i = i & (o.cells() - 1);
            let (x, y) = cell_of(o, i);
            prop_assert_eq!(index_of(o, x, y), i);
            let j = (i + 1) & (o.cells() - 1);
            if j > 0 {
                let (x2, y2) = cell_of(o, j);
                prop_assert_eq!(x.abs_diff(x2) + y.abs_diff(y2), 1);
            }
        }
    }

    #[test]
    fn slash24_map_puts_each_slash8_in_its_tile(net24 in 0u64..(1 << 24)) {
        // Order 12 (all /24s): /8 a fills the 256 x 256 tile where order 4
        // puts a, and /16 a.b fills a 16 x 16 tile inside it.
        let (x, y) = cell_of(order(12), net24);
        let (tx, ty) = cell_of(order(4), net24 >> 16);
        prop_assert_eq!((x / 256, y / 256), (tx, ty));
        let (sx, sy) = cell_of(order(8), net24 >> 8);
        prop_assert_eq!((x / 16, y / 16), (sx, sy));
    }

    #[test]
    fn cells_round_trip_sampled(x in 0u32..65536, y in 0u32..65536) {
        let o = order(16);
        prop_assert_eq!(cell_of(o, index_of(o, x, y)), (x, y));
    }
}
