//! Benchmark (ignored by default; prints a table, asserts no timing):
//! `cargo test --release --test map_bench -- --ignored --nocapture`, or in
//! wasm under node: `cargo test --target wasm32-unknown-unknown --test
//! map_bench -- --include-ignored` (needs wasm-bindgen-test-runner).
//!
//! A synthetic Internet the size of the real one: ~412k ASN ranges over
//! ~75k ASNs, 5k seen /16s, 20k seen /24s, 50k seen addresses, and a fake
//! model costing ~256 multiply-adds per row like a random-feature SVM.
#![allow(clippy::unwrap_used)]

use lwrank::map::{infer, Level, Partition};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Milliseconds from an arbitrary origin.
fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::sync::OnceLock;
        use std::time::Instant;
        static START: OnceLock<Instant> = OnceLock::new();
        START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1e3
    }
}

/// Prints a line natively or to the console under wasm-bindgen-test.
macro_rules! say {
    ($($t:tt)*) => {{
        #[cfg(target_arch = "wasm32")]
        wasm_bindgen_test::console_log!($($t)*);
        #[cfg(not(target_arch = "wasm32"))]
        println!($($t)*);
    }};
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[ignore = "benchmark; run with --ignored --nocapture"]
fn map_infer_benchmark() {
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let mut cuts: Vec<u32> = (0..480_000).map(|_| rng.random()).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let asn: Vec<(u32, u32, u32)> = cuts
        .windows(2)
        .filter_map(|w| {
            let asn = rng.random_range(1..75_000);
            rng.random_bool(0.86).then_some((w[0], w[1] - 1, asn))
        })
        .collect();
    let mut s16: Vec<u32> =
        (0..5_000).map(|_| rng.random_range(0..65_536)).collect();
    s16.sort_unstable();
    let mut s24: Vec<u32> = (0..20_000)
        .map(|_| {
            (s16[rng.random_range(0..s16.len())] << 8)
                | rng.random_range(0..256)
        })
        .collect();
    s24.sort_unstable();
    let mut ips: Vec<u32> = (0..50_000)
        .map(|_| {
            (s24[rng.random_range(0..s24.len())] << 8)
                | rng.random_range(0..256)
        })
        .collect();
    ips.sort_unstable();
    let special = [(0x0A00_0000, 8), (0x7F00_0000, 8), (0xE000_0000, 3)];

    let t = now_ms();
    let p = Partition::new(&ips, &s24, &s16, asn.iter().copied(), &special);
    let build_ms = now_ms() - t;

    // Fake features: four lookups like the real rank view.
    let look = |v: &[u32], k: u32| {
        v.binary_search(&k).map_or(0.0, |i| (i % 97) as f32 / 97.0)
    };
    let mut feat = |a: u32, out: &mut Vec<f32>| {
        out.push(look(&ips, a));
        out.push(look(&s24, a >> 8));
        out.push(look(&s16, a >> 16));
        out.push(p.asn_of(a).map_or(0.0, |n| (n % 1000) as f32 / 1000.0));
    };
    // Random-feature model shape: 256 cosines of a projection per row.
    let w: Vec<f64> =
        (0..256 * 4).map(|k| (f64::from(k) * 0.37).sin()).collect();
    let predict_ms = std::cell::Cell::new(0.0);
    let mut predict = |x: &[f32], n: usize| {
        let t = now_ms();
        let p: Vec<f64> = x
            .chunks(n)
            .map(|r| {
                let mut z = 0.0f64;
                for wk in w.chunks(n).take(256) {
                    let dot: f64 =
                        r.iter().zip(wk).map(|(&v, &c)| f64::from(v) * c).sum();
                    z += (dot + 0.5).cos();
                }
                1.0 / (1.0 + (-z / 256.0).exp())
            })
            .collect();
        predict_ms.set(now_ms() - t);
        p
    };

    say!(
        "partition: {} asn ranges -> {} segments, built in {build_ms:.1} ms",
        asn.len(),
        p.len()
    );
    say!("| level | segments | distinct vectors | total ms | predict ms |");
    say!("|---|---|---|---|---|");
    let busy = s16[2500];
    let (a, b) = ((busy >> 8) as u8, busy as u8);
    for level in [Level::Internet, Level::Slash8(a), Level::Slash16(a, b)] {
        let t = now_ms();
        let g = infer(&p, level, &mut feat, &mut predict).unwrap();
        let ms = now_ms() - t;
        say!(
            "| {level:?} | {} | {} | {ms:.1} | {:.1} |",
            g.segments,
            g.distinct_vectors,
            predict_ms.get()
        );
        assert!(g.base_rate > 0.0);
    }
}
