//! Pointer hit-testing and label placement agree with the curve, and the
//! layers colour cells as documented.
#![allow(clippy::unwrap_used)]

use lwrank::map::palette::{ratio_color, RESERVED};
use lwrank::map::{
    cell_at, cell_rect, infer, layer_colors, outcomes, Layer, Level, Outcome,
    Partition,
};

#[test]
fn cell_at_and_cell_rect_are_inverse() {
    for i in 0..=255u8 {
        let (x, y) = cell_rect(i);
        for (dx, dy) in [(0.0, 0.0), (0.5, 0.5), (0.999, 0.001)] {
            let fx = (f64::from(x) + dx) / 16.0;
            let fy = (f64::from(y) + dy) / 16.0;
            assert_eq!(cell_at(Level::Internet, fx, fy), i);
        }
    }
    assert_eq!(cell_rect(127), (7, 8));
    assert_eq!(cell_at(Level::Internet, 1.0, 0.0), 255);
    assert_eq!(cell_at(Level::Internet, -0.2, 2.0), 85);
}

#[test]
fn layers_colour_cells_by_prediction_and_outcome() {
    // 1/8 (all of AS 5) predicted high (0.5), the rest low (0.001), 10/8
    // reserved. Features may depend on the ASN, not on the /8 as such.
    let asn = [(0x0100_0000, 0x01FF_FFFF, 5)];
    let p = Partition::new(&[], &[], &[], asn.into_iter(), &[(0x0A00_0000, 8)]);
    let mut feat =
        |a: u32, out: &mut Vec<f32>| out.push((a >> 24 == 1) as u8 as f32);
    let mut predict = |x: &[f32], _: usize| {
        x.iter().map(|&v| if v > 0.0 { 0.5 } else { 0.001 }).collect()
    };
    let g = infer(&p, Level::Internet, &mut feat, &mut predict).unwrap();
    assert!(g.ratio(1).unwrap() > 100.0);

    let colors = layer_colors(&g, Layer::Predicted, &[], 0.0);
    assert_eq!(colors[10], RESERVED);
    assert_eq!(colors[1], ratio_color(g.ratio(1).unwrap()));

    // Attacks from 1/8 (hit) and 2/8 (miss); 3/8 quiet; 10/8 reserved.
    let sources = [0x0100_0001, 0x0200_0001, 0x0200_0002];
    let counts = lwrank::map::observed_counts(Level::Internet, &sources);
    let o = outcomes(&g, &counts, 10.0);
    assert_eq!(o[1], Outcome::Hit);
    assert_eq!(o[2], Outcome::Miss);
    assert_eq!(o[3], Outcome::Quiet);
    assert_eq!(o[10], Outcome::Reserved);
    let o = outcomes(&g, &[0; 256], 10.0);
    assert_eq!(o[1], Outcome::FalseAlarm);

    let colors = layer_colors(&g, Layer::PredictedVsActual, &sources, 10.0);
    assert_eq!(colors[2], Outcome::Miss.color());
    let colors = layer_colors(&g, Layer::Observed, &sources, 10.0);
    assert_eq!(colors[2], lwrank::map::palette::viridis(1.0));
    assert_eq!(colors[1], lwrank::map::palette::viridis(0.0));
    assert_eq!(colors[10], RESERVED);
}
