//! Benchmark (ignored by default, prints a table): build all four ranks
//! over the 190-day marx honeypot log and load the packed ASN table.
//!
//! `cargo test --release --test rank_bench -- --ignored --nocapture`
//! (needs /work/shared/data; nothing here asserts a time).
#![allow(clippy::unwrap_used)]

use std::io::Read;
use std::time::Instant;

use lwrank::asn::AsnTable;
use lwrank::event::{day_from_ymd, proto, Event};
use lwrank::features::{vector, FeatureSet};
use lwrank::rank::{Entity, HalfLife, RankHistory};

const PACKED: &[u8] = include_bytes!("../assets/asn/asn-ipv4.bin");
const MARX: &str = "/work/shared/data/real/aws-honeypot-marx-2013/marx.csv.gz";

fn marx_events() -> Vec<Event> {
    let gz = std::fs::read(MARX).unwrap();
    let mut text = String::new();
    flate2::read::GzDecoder::new(&gz[..]).read_to_string(&mut text).unwrap();
    let mut out = Vec::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let date = &f[0][..10];
        let day = day_from_ymd(
            date[..4].parse().unwrap(),
            date[5..7].parse().unwrap(),
            date[8..10].parse().unwrap(),
        )
        .unwrap();
        let p = match f[3] {
            "TCP" => proto::TCP,
            "UDP" => proto::UDP,
            _ => proto::ICMP,
        };
        let port = f[6].parse().unwrap_or(0);
        out.push(Event::new(day, f[2].parse().unwrap(), p, port));
    }
    out
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

#[test]
#[ignore = "benchmark; needs /work/shared/data"]
fn bench_rank_build() {
    let t = Instant::now();
    let asn = AsnTable::from_packed(PACKED).unwrap();
    let load = ms(t);
    let events = marx_events();

    println!("| step | ms | notes |");
    println!("|---|---|---|");
    println!("| asn from_packed | {load:.1} | {} ranges |", asn.len());
    for h in [1.0, 7.0, 30.0] {
        let t = Instant::now();
        let hist = RankHistory::build(&events, &asn, HalfLife::new(h).unwrap());
        let build = ms(t);
        let keys: Vec<usize> =
            Entity::ALL.iter().map(|&e| hist.key_count(e)).collect();
        println!(
            "| build h={h} | {build:.1} | {} events, keys {keys:?} |",
            events.len()
        );
        let day = hist.last_day().unwrap();
        let view = hist.view(day);
        let ips = view.seen_ips();
        let t = Instant::now();
        let mut out = Vec::with_capacity(ips.len() * 8);
        for &ip in &ips {
            vector(&view, &asn, ip, FeatureSet::Extended, &mut out);
        }
        println!(
            "| features h={h} | {:.1} | {} extended rows |",
            ms(t),
            ips.len()
        );
    }
}
