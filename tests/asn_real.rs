//! The ASN table against real rows: a committed excerpt of the
//! ip-location-db table and the packed asset shipped with the app.
#![allow(clippy::unwrap_used)]

use lwrank::asn::{AsnFormat, AsnTable};
use lwrank::ip::parse_ipv4;

const EXCERPT: &[u8] = include_bytes!("fixtures/rank/asn-excerpt.csv");
const PACKED: &[u8] = include_bytes!("../assets/asn/asn-ipv4.bin");

fn ip(s: &str) -> u32 {
    parse_ipv4(s).unwrap()
}

#[test]
fn excerpt_longest_prefix_lookups() {
    let (t, rep) = AsnTable::from_csv(EXCERPT).unwrap();
    assert_eq!(rep.format, AsnFormat::IpLocationDbCsv);
    assert_eq!((rep.rows, rep.kept, rep.overlapping), (24, 24, 1));
    assert!(rep.skipped.is_empty());
    // The overlap is cut, not added: still 24 disjoint ranges.
    assert_eq!(t.len(), 24);

    let cases = [
        ("1.0.0.0", Some(13335)),
        ("1.0.0.255", Some(13335)),
        ("1.0.1.0", None),
        ("1.0.127.255", Some(18144)),
        ("8.8.8.8", Some(15169)),
        ("214.94.255.255", Some(721)),
        // AS749's long range, up to where the shorter AS721 range starts.
        ("214.95.0.0", Some(749)),
        ("214.255.255.255", Some(749)),
        // 215.0.0.0/16 lies in both; the shorter range (AS721) wins.
        ("215.0.0.0", Some(721)),
        ("215.0.255.255", Some(721)),
        ("215.1.3.255", Some(721)),
        ("215.1.4.0", Some(27066)),
        ("215.1.19.255", Some(367)),
        ("215.1.20.0", None),
        ("223.255.254.255", Some(55415)),
        ("223.255.255.0", None),
    ];
    for (addr, want) in cases {
        assert_eq!(t.lookup(ip(addr)), want, "{addr}");
    }
    assert_eq!(t.name(13335), Some("Cloudflare, Inc."));
    assert_eq!(t.name(18144), Some("Enecom,Inc."));
    assert_eq!(t.name(267578), Some("WILLIAN MENDES DE OLIVEIRA \u{ad} ME"));

    // Sorted and disjoint.
    let ranges: Vec<_> = t.ranges().collect();
    for w in ranges.windows(2) {
        assert!(w[0].1 < w[1].0, "{w:?}");
    }
}

#[test]
fn excerpt_packed_round_trip() {
    let (mut t, _) = AsnTable::from_csv(EXCERPT).unwrap();
    t.built = Some("2026-06-17".into());
    let back = AsnTable::from_packed(&t.to_packed()).unwrap();
    assert_eq!(back, t);
    assert_eq!(back.built.as_deref(), Some("2026-06-17"));
}

#[test]
fn committed_asset_loads_with_known_rows() {
    let t = AsnTable::from_packed(PACKED).unwrap();
    assert_eq!(t.len(), 411_961);
    assert_eq!(t.name_count(), 84_159);
    assert_eq!(t.built.as_deref(), Some("2026-06-17"));
    let cases = [
        ("1.0.0.1", Some(13335)),
        ("8.8.8.8", Some(15169)),
        ("214.95.0.1", Some(749)),
        ("215.0.0.1", Some(721)),
        ("61.177.1.7", Some(140292)),
        ("10.0.0.1", None),
        ("223.255.254.1", Some(55415)),
    ];
    for (addr, want) in cases {
        assert_eq!(t.lookup(ip(addr)), want, "{addr}");
    }
    assert_eq!(t.name(13335), Some("Cloudflare, Inc."));
    // "About 77 % of the IPv4 space" per the provenance notes.
    let share = t.coverage() as f64 / 2f64.powi(32);
    assert!((0.74..0.80).contains(&share), "{share}");
}

/// Needs the shared data folder, so it is ignored by default:
/// `cargo test --release --test asn_real -- --ignored`.
#[test]
#[ignore = "needs /work/shared/data/asn/asn-ipv4.csv.gz"]
fn committed_asset_equals_csv() {
    let gz = std::fs::read("/work/shared/data/asn/asn-ipv4.csv.gz").unwrap();
    let (mut t, rep) = AsnTable::from_csv(&gz).unwrap();
    assert_eq!((rep.rows, rep.kept, rep.overlapping), (411_961, 411_961, 1));
    t.built = Some("2026-06-17".into());
    assert_eq!(AsnTable::from_packed(PACKED).unwrap(), t);
}
