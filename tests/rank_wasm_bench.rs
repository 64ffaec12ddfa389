//! All four entity ranks over the 190-day marx honeypot set, in headless
//! Chromium. Built only with `--cfg lwrank_rank_bench`, after
//! `scripts/bench.sh` copied the set to `target/bench-data/` (the repo
//! never needs it to build or test).

#![cfg(all(target_arch = "wasm32", lwrank_rank_bench))]
#![allow(clippy::unwrap_used)]

use lwrank::bench::{format_stages, rank_all, StageRow};
use lwrank::event::Behaviour;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

#[wasm_bindgen_test]
#[ignore = "benchmark: scripts/bench.sh runs it"]
fn rank_190_days_in_chromium() {
    let marx = include_bytes!("../target/bench-data/marx.csv.gz");
    let asn = include_bytes!("../assets/asn/asn-ipv4.bin");
    let t = now();
    let parsed = lwrank::ingest::parse_bytes("marx", marx).unwrap();
    let mut rows = vec![StageRow {
        stage: "parse marx, 190 days (gzip)".to_string(),
        millis: now() - t,
        note: format!("{} merged events", parsed.events.len()),
    }];
    let t = now();
    let table = lwrank::asn::AsnTable::from_packed(asn).unwrap();
    rows.push(StageRow {
        stage: "load ASN table (packed)".to_string(),
        millis: now() - t,
        note: format!("{} ranges", table.len()),
    });
    for run in 1..=3 {
        let mut row = rank_all(&parsed.events, &table, &now);
        row.stage = format!("{} (run {run})", row.stage);
        rows.push(row);
    }
    let ssh =
        lwrank::pipeline::behaviour_events(&parsed.events, &Behaviour::tcp(22));
    let mut row = rank_all(&ssh, &table, &now);
    row.stage = "rank all four, TCP 22 only".to_string();
    rows.push(row);
    console_log!(
        "# lwrank rank benchmark (Chromium)\n\n{}",
        format_stages(&rows)
    );
}
