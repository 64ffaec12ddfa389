//! The map's exact per-cell likelihood agrees with brute force, with a
//! sampled estimate and with a case small enough to check by hand.
#![allow(clippy::unwrap_used)]

use lwrank::map::{infer, Grid, Level, MapError, Partition};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A synthetic /8 (60/8) with ASN ranges, seen /16s, /24s and addresses,
/// and a fake model that respects the features contract.
struct World {
    ips: Vec<u32>,
    s24: Vec<u32>,
    s16: Vec<u32>,
    asn: Vec<(u32, u32, u32)>,
    special: Vec<(u32, u8)>,
}

/// A rank-like value in (0, 1] from a key.
fn hashed(k: u64) -> f32 {
    let h = k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
    (h % 1000 + 1) as f32 / 1000.0
}

impl World {
    fn new(seed: u64) -> World {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let base = 60u32 << 24;

        // ASN ranges: random cut points, every third range left unrouted.
        let mut cuts: Vec<u32> =
            (0..600).map(|_| base | rng.random_range(0..1u32 << 24)).collect();
        cuts.push(base);
        cuts.push(base + (1 << 24));
        cuts.sort_unstable();
        cuts.dedup();
        let mut asn = Vec::new();
        for (k, w) in cuts.windows(2).enumerate() {
            if k % 3 != 2 {
                asn.push((w[0], w[1] - 1, rng.random_range(1..40u32)));
            }
        }

        // Seen /16s, /24s inside them, addresses inside the /24s.
        let mut s16: Vec<u32> =
            (0..40).map(|_| (base >> 16) | rng.random_range(0..256)).collect();
        s16.sort_unstable();
        s16.dedup();
        let mut s24: Vec<u32> = (0..3000)
            .map(|_| {
                (s16[rng.random_range(0..s16.len())] << 8)
                    | rng.random_range(0..256)
            })
            .collect();
        s24.sort_unstable();
        s24.dedup();
        let mut ips: Vec<u32> = (0..20_000)
            .map(|_| {
                (s24[rng.random_range(0..s24.len())] << 8)
                    | rng.random_range(0..256)
            })
            .collect();
        ips.sort_unstable();
        ips.dedup();
        World { ips, s24, s16, asn, special: vec![(0x3C40_0000, 10)] }
    }

    fn partition(&self) -> Partition {
        Partition::new(
            &self.ips,
            &self.s24,
            &self.s16,
            self.asn.iter().copied(),
            &self.special,
        )
    }

    fn asn_of(&self, ip: u32) -> Option<u32> {
        self.asn.iter().find(|r| r.0 <= ip && ip <= r.1).map(|r| r.2)
    }

    /// Features: [ip rank, /24 rank, /16 rank, asn rank, no-asn flag].
    fn features(&self, ip: u32, out: &mut Vec<f32>) {
        let seen = |v: &[u32], k: u32| v.binary_search(&k).is_ok();
        let r = |seen: bool, k: u64| if seen { hashed(k) } else { 0.0 };
        let asn = self.asn_of(ip);
        out.push(r(seen(&self.ips, ip), u64::from(ip)));
        out.push(r(seen(&self.s24, ip >> 8), u64::from(ip >> 8) + 1));
        out.push(r(seen(&self.s16, ip >> 16), u64::from(ip >> 16) + 2));
        out.push(asn.map_or(0.0, |a| hashed(u64::from(a) + 3)));
        out.push(if asn.is_none() { 1.0 } else { 0.0 });
    }

    fn probability(&self, ip: u32) -> f64 {
        let mut row = Vec::new();
        self.features(ip, &mut row);
        predict_rows(&row, row.len())[0]
    }

    fn grid(&self, p: &Partition, level: Level) -> Grid {
        let mut feat = |ip: u32, out: &mut Vec<f32>| self.features(ip, out);
        infer(p, level, &mut feat, &mut predict_rows).unwrap()
    }
}

/// A fake model: a logistic function of a fixed linear score.
fn predict_rows(x: &[f32], n: usize) -> Vec<f64> {
    const W: [f64; 5] = [3.0, 2.0, 1.5, 1.0, -0.5];
    x.chunks(n)
        .map(|r| {
            let z: f64 = r.iter().zip(W).map(|(&v, w)| f64::from(v) * w).sum();
            1.0 / (1.0 + (-(z - 3.0)).exp())
        })
        .collect()
}

#[test]
fn hand_case_one_seen_ip_and_one_seen_slash24() {
    // 20/8 is otherwise empty: no ASN, nothing special.
    let ip = 0x1401_0203; // 20.1.2.3
    let net = 0x14_0506; // 20.5.6.0/24
    let p = Partition::new(&[ip], &[net], &[], std::iter::empty(), &[]);
    let mut feat = |a: u32, out: &mut Vec<f32>| {
        out.push(if a == ip { 1.0 } else { 0.0 });
        out.push(if a >> 8 == net { 1.0 } else { 0.0 });
    };
    let mut calls = 0;
    let mut predict = |x: &[f32], n: usize| {
        calls += 1;
        x.chunks(n)
            .map(|r| match (r[0], r[1]) {
                (1.0, _) => 0.9,
                (_, 1.0) => 0.5,
                _ => 0.01,
            })
            .collect()
    };

    let g = infer(&p, Level::Slash8(20), &mut feat, &mut predict).unwrap();
    assert_eq!(calls, 1);
    assert_eq!(g.distinct_vectors, 3);
    let s16 = 65_536.0;
    let want1 = (0.9 + 0.01 * (s16 - 1.0)) / s16;
    let want5 = (0.5 * 256.0 + 0.01 * (s16 - 256.0)) / s16;
    assert!((g.cells[1].mean_probability - want1).abs() < 1e-15);
    assert!((g.cells[5].mean_probability - want5).abs() < 1e-15);
    assert_eq!(g.cells[0].mean_probability, 0.01);
    assert_eq!(g.cells[1].distinct_vectors, 2);
    assert_eq!(g.cells[5].distinct_vectors, 2);
    assert_eq!(g.cells[6].distinct_vectors, 1);
    assert_eq!(g.cells[1].prefix, 0x1401_0000);
    assert_eq!(g.cells[1].prefix_len, 16);
    assert_eq!(g.cells[1].addresses, 65_536);
    assert_eq!(g.cells[1].routed_addresses, 0);
    // 256 cells, plus the pieces around the address and the /24.
    assert_eq!(g.segments, 256 + 2 + 2);

    let n8 = 16_777_216.0;
    let want = (0.9 + 0.5 * 256.0 + 0.01 * (n8 - 257.0)) / n8;
    assert!((g.base_rate - want).abs() < 1e-15);
    assert!((g.ratio(5).unwrap() - want5 / want).abs() < 1e-12);
}

#[test]
fn exact_equals_brute_force_over_a_slash16() {
    let w = World::new(1);
    let p = w.partition();
    // The busiest seen /16 has seen /24s, seen addresses and ASN edges.
    let b = (w.s16[0] & 0xFF) as u8;
    let g = w.grid(&p, Level::Slash16(60, b));
    let base = w.s16[0] << 16;
    let mut total = 0.0;
    for c in 0..256u32 {
        let sum: f64 = (0..256).map(|i| w.probability(base | c << 8 | i)).sum();
        let got = g.cells[c as usize].mean_probability;
        assert!((got - sum / 256.0).abs() < 1e-12, "cell {c}");
        total += sum;
    }
    assert!((g.base_rate - total / 65_536.0).abs() < 1e-12);
    assert!(g.distinct_vectors > 10, "{}", g.distinct_vectors);
}

#[test]
fn exact_agrees_with_a_sampled_estimate_over_a_slash8() {
    let w = World::new(2);
    let p = w.partition();
    let g = w.grid(&p, Level::Internet);
    let cell = &g.cells[60];

    // 20k uniform addresses of 60/8 outside the reserved 60.64/10.
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut xs = Vec::new();
    while xs.len() < 20_000 {
        let ip = (60 << 24) | rng.random_range(0..1u32 << 24);
        if ip >> 22 != 0x3C40_0000 >> 22 {
            xs.push(w.probability(ip));
        }
    }
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let se = (var / n).sqrt();
    assert!(se > 0.0);
    let diff = (cell.mean_probability - mean).abs();
    assert!(
        diff <= 3.0 * se,
        "exact {} sampled {mean} se {se}",
        cell.mean_probability
    );
    assert_eq!(cell.reserved_addresses, 1 << 22);
}

#[test]
fn levels_agree_with_each_other() {
    let w = World::new(3);
    let p = w.partition();
    let top = w.grid(&p, Level::Internet);
    let mid = w.grid(&p, Level::Slash8(60));
    // The /8 cell of the Internet level is the base rate of the /8 level.
    assert!((top.cells[60].mean_probability - mid.base_rate).abs() < 1e-12);
    let b = (w.s16[1] & 0xFF) as u8;
    let low = w.grid(&p, Level::Slash16(60, b));
    let c = &mid.cells[usize::from(b)];
    assert!((c.mean_probability - low.base_rate).abs() < 1e-12);
    let routed: u64 = low.cells.iter().map(|c| c.routed_addresses).sum();
    assert_eq!(routed, c.routed_addresses);

    // Routed counts match the ASN table exactly.
    let overlap = |a: (u32, u32), b: (u32, u32)| {
        let (s, e) = (a.0.max(b.0), a.1.min(b.1));
        if s <= e {
            u64::from(e - s) + 1
        } else {
            0
        }
    };
    let cgn = (0x3C40_0000, 0x3C7F_FFFF);
    let want: u64 = w
        .asn
        .iter()
        .map(|r| overlap((r.0, r.1), (r.0, r.1)) - overlap((r.0, r.1), cgn))
        .sum();
    assert_eq!(top.cells[60].routed_addresses, want);
}

#[test]
fn reserved_space_is_left_out_of_the_base_rate() {
    // 10/8 reserved; everything else has probability 0.2, 10/8 would be 1.
    let p =
        Partition::new(&[], &[], &[], std::iter::empty(), &[(0x0A00_0000, 8)]);
    let mut feat =
        |a: u32, out: &mut Vec<f32>| out.push((a >> 24 == 10) as u8 as f32);
    let mut predict = |x: &[f32], _n: usize| {
        x.iter().map(|&v| if v > 0.0 { 1.0 } else { 0.2 }).collect()
    };
    let g = infer(&p, Level::Internet, &mut feat, &mut predict).unwrap();
    assert!((g.base_rate - 0.2).abs() < 1e-15);
    assert!(g.cells[10].is_reserved());
    assert_eq!(g.cells[10].reserved_addresses, 1 << 24);
    assert_eq!(g.ratio(10), None);
    assert!((g.ratio(11).unwrap() - 1.0).abs() < 1e-12);
    assert_eq!(g.distinct_vectors, 1);

    // A level made only of reserved space predicts nothing.
    let mut calls = 0;
    let mut predict = |_: &[f32], _: usize| {
        calls += 1;
        Vec::new()
    };
    let g = infer(&p, Level::Slash8(10), &mut feat, &mut predict).unwrap();
    assert_eq!(calls, 0);
    assert_eq!(g.base_rate, 0.0);
    assert!(g.cells.iter().all(|c| c.is_reserved()));
}

#[test]
fn closures_that_break_the_contract_are_errors() {
    let p = Partition::new(&[0x0100_0001], &[], &[], std::iter::empty(), &[]);
    let mut ragged = |a: u32, out: &mut Vec<f32>| {
        out.push(0.0);
        if a == 0x0100_0001 {
            out.push(1.0);
        }
    };
    let mut predict = |x: &[f32], n: usize| vec![0.5; x.len() / n];
    let e = infer(&p, Level::Slash8(1), &mut ragged, &mut predict).unwrap_err();
    assert_eq!(
        e,
        MapError::FeatureLength { address: 0x0100_0001, want: 1, got: 2 }
    );

    let mut feat =
        |a: u32, out: &mut Vec<f32>| out.push((a == 0x0100_0001) as u8 as f32);
    let mut short = |_: &[f32], _: usize| vec![0.5];
    let e = infer(&p, Level::Slash8(1), &mut feat, &mut short).unwrap_err();
    assert_eq!(e, MapError::PredictLength { want: 2, got: 1 });
}
