//! The cardinal rule: features for day D come only from days before D.
#![allow(clippy::unwrap_used)]

use lwrank::asn::AsnTable;
use lwrank::event::Event;
use lwrank::features::{len, vector, FeatureSet};
use lwrank::rank::{Entity, HalfLife, RankHistory};
use proptest::prelude::*;

/// A small address pool so that IPs, /24s, /16s and ASNs collide; it
/// includes a bogon (10.x) and unrouted space (41.x).
const POOL: [u32; 10] = [
    0x0102_0304,
    0x0102_0305,
    0x0102_0901,
    0x0102_F001,
    0x0500_0101,
    0x0500_0102,
    0x0501_0001,
    0x0A00_0001,
    0x2901_0203,
    0x2901_0204,
];

fn table() -> AsnTable {
    AsnTable::from_rows([
        (0x0102_0000, 0x0102_7FFF, 100, "a"),
        (0x0102_8000, 0x0102_FFFF, 101, "b"),
        (0x0500_0000, 0x0501_FFFF, 200, "c"),
    ])
}

fn event() -> impl Strategy<Value = Event> {
    (
        0i32..20,
        0usize..POOL.len(),
        prop::sample::select(vec![32u8, 24, 16]),
        1u32..1000,
    )
        .prop_map(|(day, i, len, weight)| Event {
            day,
            src: POOL[i] & lwrank::ip::prefix_mask(len),
            prefix_len: len,
            proto: 6,
            port: 22,
            weight,
        })
}

/// What happens to an event on or after day D.
#[derive(Clone, Debug)]
enum Change {
    Keep,
    Delete,
    Reweight(u32),
    Move(usize),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        Just(Change::Keep),
        Just(Change::Delete),
        (1u32..100_000).prop_map(Change::Reweight),
        (0usize..POOL.len()).prop_map(Change::Move),
    ]
}

fn rows(hist: &RankHistory, asn: &AsnTable, day: i32) -> Vec<f32> {
    let view = hist.view(day);
    let mut out = Vec::new();
    let probes = POOL.iter().copied().chain([0x0102_0300, 0x0909_0909]);
    for ip in probes {
        vector(&view, asn, ip, FeatureSet::Extended, &mut out);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn later_days_never_change_features(
        events in prop::collection::vec(event(), 0..60),
        changes in prop::collection::vec(change(), 60),
        extra in prop::collection::vec(event(), 0..10),
        d in 0i32..22,
        half_life in prop::sample::select(vec![0.3f64, 1.0, 7.0, 30.0]),
    ) {
        let asn = table();
        let h = HalfLife::new(half_life).unwrap();
        let mut altered = Vec::new();
        for (e, c) in events.iter().zip(&changes) {
            if e.day < d {
                altered.push(*e);
                continue;
            }
            match c {
                Change::Keep => altered.push(*e),
                Change::Delete => {}
                Change::Reweight(w) => altered.push(Event { weight: *w, ..*e }),
                Change::Move(i) => altered.push(Event { src: POOL[*i], prefix_len: 32, ..*e }),
            }
        }
        // New events on day D or later.
        altered.extend(extra.iter().map(|e| Event { day: e.day.max(d), ..*e }));

        let a = RankHistory::build(&events, &asn, h);
        let b = RankHistory::build(&altered, &asn, h);
        let (ra, rb) = (rows(&a, &asn, d), rows(&b, &asn, d));
        prop_assert_eq!(ra.len(), (POOL.len() + 2) * len(FeatureSet::Extended));
        prop_assert_eq!(ra, rb);
        let (va, vb) = (a.view(d), b.view(d));
        for e in Entity::ALL {
            prop_assert_eq!(va.seen(e), vb.seen(e));
            prop_assert_eq!(va.top(e, 5), vb.top(e, 5));
            prop_assert_eq!(va.max_score(e), vb.max_score(e));
        }
    }

    #[test]
    fn unseen_address_features_depend_only_on_prefixes(
        events in prop::collection::vec(event(), 0..60),
        d in 0i32..22,
    ) {
        // Two never-seen addresses in the same /24 and ASN row: same row.
        let asn = table();
        let h = HalfLife::new(7.0).unwrap();
        let hist = RankHistory::build(&events, &asn, h);
        let view = hist.view(d);
        let (mut x, mut y) = (Vec::new(), Vec::new());
        vector(&view, &asn, 0x0102_03F0, FeatureSet::Extended, &mut x);
        vector(&view, &asn, 0x0102_03F1, FeatureSet::Extended, &mut y);
        prop_assert_eq!(x, y);
    }
}
