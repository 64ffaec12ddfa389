//! Days with fewer attackers than cross-validation folds: the run goes
//! on with fewer folds, or none for a single attacker, instead of failing.

#![allow(clippy::unwrap_used)]

use lwrank::asn::AsnTable;
use lwrank::event::{proto, Event};
use lwrank::pipeline::{self, RunSettings};

/// `n` distinct TCP 22 sources on `day`, spread over several /8s.
fn day_of(day: i32, n: u32) -> Vec<Event> {
    (0..n)
        .map(|i| Event {
            day,
            src: ((61 + i * 7) << 24) | ((i * 13) << 16) | (i + 1),
            prefix_len: 32,
            proto: proto::TCP,
            port: 22,
            weight: 1,
        })
        .collect()
}

#[test]
fn days_with_few_attackers_use_fewer_folds() {
    let base = 15_900;
    let mut events = Vec::new();
    for (offset, n) in [(0, 12), (1, 1), (2, 3), (3, 12), (4, 12)] {
        events.extend(day_of(base + offset, n));
    }
    let benign = lwrank::sample::parse_benign(include_str!(
        "../assets/sample/benign-top-sites.csv"
    ));
    let asn =
        AsnTable::from_packed(include_bytes!("../assets/asn/asn-ipv4.bin"))
            .unwrap();
    let (result, _) = pipeline::run(
        &events,
        &benign.addresses,
        &asn,
        &RunSettings::default(),
        &|| 0.0,
        &mut |_, _| true,
    )
    .unwrap();
    let cv: Vec<(i32, usize, bool)> = result
        .pairs
        .iter()
        .map(|p| {
            (p.train_day - base, p.train_positives, p.cv_accuracy.is_some())
        })
        .collect();
    // One attacker: no folds to make. Three attackers: three folds.
    assert!(cv.contains(&(1, 1, false)), "{cv:?}");
    assert!(cv.contains(&(2, 3, true)), "{cv:?}");
    assert!(cv.contains(&(3, 12, true)), "{cv:?}");
}
