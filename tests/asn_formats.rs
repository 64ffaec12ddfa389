//! A user's own ASN table in each format the rail accepts: the same 14
//! real rows as ip-location-db CSV, iptoasn TSV and RouteViews pfx2as,
//! plain and gzip, give the same lookups; the card text names the format,
//! the range count and the date taken from the file name.
#![allow(clippy::unwrap_used)]

use std::io::Write;

use lwrank::choices::{load_user_table, table_age_text, AsnTableInfo};
use lwrank::event::day_from_ymd;
use lwrank::ip::parse_ipv4;

const FILES: [(&str, &[u8], &str); 3] = [
    (
        "ip-location-db-2026-06-17.csv",
        include_bytes!("fixtures/asn/ip-location-db-2026-06-17.csv"),
        "ip-location-db CSV",
    ),
    (
        "ip2asn-v4-2026-06-17.tsv",
        include_bytes!("fixtures/asn/ip2asn-v4-2026-06-17.tsv"),
        "iptoasn TSV",
    ),
    (
        "pfx2as-2026-06-17.txt",
        include_bytes!("fixtures/asn/pfx2as-2026-06-17.txt"),
        "RouteViews pfx2as",
    ),
];

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::default(),
    );
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

#[test]
fn three_formats_plain_and_gzip_give_the_same_lookups() {
    let cases = [
        ("1.0.0.7", Some(13335)),
        ("1.0.1.0", None),
        ("1.0.7.255", Some(38803)),
        ("1.1.1.1", Some(13335)),
        ("8.8.3.255", Some(3356)),
        ("8.8.4.4", Some(15169)),
        ("8.8.8.8", Some(15169)),
        ("8.8.11.0", Some(11466)),
        ("8.8.12.0", None),
    ];
    for (name, bytes, format) in FILES {
        for packed in [bytes.to_vec(), gzip(bytes)] {
            let (t, rep) = load_user_table(name, &packed).unwrap();
            let info = AsnTableInfo::loaded(name, &t, &rep, 1);
            assert_eq!(info.format, format, "{name}");
            assert_eq!(info.built.as_deref(), Some("2026-06-17"), "{name}");
            assert!(rep.skipped.is_empty(), "{name}: {:?}", rep.skipped);
            // The /23 stays one range in every layout.
            assert_eq!(t.len(), 14, "{name}");
            for (ip, want) in cases {
                let got = t.lookup(parse_ipv4(ip).unwrap());
                assert_eq!(got, want, "{name}: {ip}");
            }
        }
    }
}

#[test]
fn names_come_with_csv_and_tsv_but_not_pfx2as() {
    let (csv, _) = load_user_table(FILES[0].0, FILES[0].1).unwrap();
    let (tsv, _) = load_user_table(FILES[1].0, FILES[1].1).unwrap();
    let (pfx, _) = load_user_table(FILES[2].0, FILES[2].1).unwrap();
    assert_eq!(csv.name(13335), Some("Cloudflare, Inc."));
    assert_eq!(tsv.name(13335), Some("Cloudflare, Inc."));
    assert_eq!(pfx.name(13335), None);
    assert_eq!(csv.name_count(), 9);
}

#[test]
fn excerpt_age_against_the_marx_sample() {
    let last = day_from_ymd(2013, 7, 20).unwrap();
    let (t, _) = load_user_table(FILES[0].0, FILES[0].1).unwrap();
    assert_eq!(
        table_age_text(t.built.as_deref(), Some(last), 0),
        "built 2026-06-17, 4715 days after your newest data"
    );
}

#[test]
fn a_file_with_a_bad_row_among_good_ones_loads_and_reports_it() {
    let mut text = FILES[0].1.to_vec();
    text.extend_from_slice(b"9.9.9.0,9.9.9.255,AS19281,Quad9\n");
    let (t, rep) = load_user_table("mine.csv", &text).unwrap();
    assert_eq!((t.len(), rep.rows, rep.kept), (14, 15, 14));
    assert_eq!(rep.skipped, vec![("bad asn".to_string(), 1, 15)]);
    assert_eq!(t.built, None);
}
