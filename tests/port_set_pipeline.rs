//! A typed port set through the same pipeline the worker runs: the
//! label the results and chart titles show, and per-day counts that are
//! exactly the union of the set's ports (checked against the events).

#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, HashSet};

use lwrank::asn::AsnTable;
use lwrank::choices::behaviour_from_text;
use lwrank::event::{proto, Event};
use lwrank::pipeline::{self, RunSettings};

fn load() -> (Vec<Event>, Vec<u32>, AsnTable) {
    let sample =
        include_bytes!("../assets/sample/marx-2013-06-21_to_07-20.csv.gz");
    let parsed = lwrank::ingest::parse_bytes("sample", sample).unwrap();
    let benign = lwrank::sample::parse_benign(include_str!(
        "../assets/sample/benign-top-sites.csv"
    ));
    let asn =
        AsnTable::from_packed(include_bytes!("../assets/asn/asn-ipv4.bin"))
            .unwrap();
    (parsed.events, benign.addresses, asn)
}

#[test]
fn typed_tcp_set_runs_and_counts_the_union_of_its_ports() {
    let (events, benign, asn) = load();
    let behaviour = behaviour_from_text("tcp", "2222, 23 22").unwrap();
    let settings = RunSettings {
        behaviour: behaviour.clone(),
        half_life_days: 5.0,
        ..RunSettings::default()
    };
    let (result, trained) = pipeline::run(
        &events,
        &benign,
        &asn,
        &settings,
        &|| 0.0,
        &mut |_, _| true,
    )
    .unwrap();
    assert_eq!(result.behaviour, "TCP 22, 23, 2222");
    assert_eq!(result.settings.behaviour.ports, vec![22, 23, 2222]);

    // Distinct sources per day, counted here from the raw events.
    let mut by_day: BTreeMap<i32, HashSet<u32>> = BTreeMap::new();
    for e in &events {
        if e.proto == proto::TCP && [22, 23, 2222].contains(&e.port) {
            by_day.entry(e.day).or_default().insert(e.src);
        }
    }
    for d in &result.days {
        let want = by_day.get(&d.day).map_or(0, HashSet::len);
        assert_eq!(d.sources, want, "day {}", d.day);
    }
    // More sources than TCP 22 alone on some day, never fewer.
    let ssh: HashSet<(i32, u32)> = events
        .iter()
        .filter(|e| e.proto == proto::TCP && e.port == 22)
        .map(|e| (e.day, e.src))
        .collect();
    let total: usize = result.days.iter().map(|d| d.sources).sum();
    assert!(total > ssh.len(), "{total} vs {}", ssh.len());
    assert_eq!(result.pairs.len(), 28);
    assert_eq!(trained.settings.behaviour, behaviour);
}
