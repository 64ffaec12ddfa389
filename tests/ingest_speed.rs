//! Throughput benchmark (ignored by default, prints a table, asserts
//! nothing about time): run with
//! `cargo test --release --test ingest_speed -- --ignored --nocapture`.
#![allow(clippy::unwrap_used)]

use lwrank::ingest::parse_bytes;
use std::fmt::Write as _;
use std::time::Instant;

/// About `mb` megabytes of daily_sources text from a fixed LCG.
fn synthetic_daily_sources(mb: usize) -> Vec<u8> {
    let mut out = String::from("# updated 2016-08-30\n");
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    while out.len() < mb << 20 {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let ip = (x >> 32) as u32 & 0x00FF_FFFF | 0x3D00_0000;
        let [a, b, c, d] = ip.to_be_bytes();
        let port = [22, 23, 80, 445, 1433, 3389][(x >> 8) as usize % 6];
        let _ = writeln!(
            out,
            "{a:03}.{b:03}.{c:03}.{d:03}\t{port}\t6\t{}\t{}\t2016-08-29 01:02:03\t2016-08-29 04:05:06",
            x % 5000,
            x % 97
        );
    }
    out.into_bytes()
}

#[test]
#[ignore]
fn ingest_throughput_table() {
    let marx = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/sample/marx-2013-06-21_to_07-20.csv.gz"
    ))
    .unwrap();
    let marx_plain = {
        use std::io::Read;
        let mut s = Vec::new();
        flate2::read::MultiGzDecoder::new(&marx[..])
            .read_to_end(&mut s)
            .unwrap();
        s
    };
    let daily = synthetic_daily_sources(100);
    println!(
        "{:<28} {:>9} {:>9} {:>9} {:>9}",
        "input", "MB", "seconds", "MB/s", "events"
    );
    for (name, bytes) in [
        ("daily_sources synthetic", &daily),
        ("marx 30 days (csv)", &marx_plain),
        ("marx 30 days (gz)", &marx),
    ] {
        let start = Instant::now();
        let p = parse_bytes(name, bytes).unwrap();
        let secs = start.elapsed().as_secs_f64();
        let mb = bytes.len() as f64 / 1e6;
        println!(
            "{name:<28} {mb:>9.1} {secs:>9.3} {:>9.0} {:>9}",
            mb / secs,
            p.events.len()
        );
    }
}
