//! Every fixture under tests/fixtures/ingest parsed with exact counts,
//! chunk-boundary and gzip equivalence, and refusals.
#![allow(clippy::unwrap_used)]

use flate2::write::GzEncoder;
use lwrank::event::{day_from_ymd, format_day};
use lwrank::ingest::{
    parse_bytes, parse_bytes_with, ColumnMap, Format, IngestError,
    IngestOptions, Parsed, StreamParser,
};
use std::collections::BTreeSet;
use std::io::Write;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest");

fn read(name: &str) -> Vec<u8> {
    std::fs::read(format!("{DIR}/{name}")).unwrap()
}

/// What a fixture test asserts: format, lines, kept, merged, distinct
/// sources, day range and skip counts by reason (sorted).
#[derive(Debug, PartialEq)]
struct Summary {
    format: Format,
    lines: u64,
    kept: u64,
    merged: usize,
    sources: usize,
    days: (String, String),
    skipped: Vec<(String, u64)>,
}

fn summary(p: &Parsed) -> Summary {
    let r = &p.report;
    let mut skipped: Vec<(String, u64)> =
        r.skipped.iter().map(|g| (g.reason.clone(), g.count)).collect();
    skipped.sort();
    let day = |d: Option<i32>| d.map(format_day).unwrap_or_default();
    assert_eq!(r.lines_read, r.events_kept + r.skipped_total());
    Summary {
        format: r.format,
        lines: r.lines_read,
        kept: r.events_kept,
        merged: p.events.len(),
        sources: p.events.iter().map(|e| e.src).collect::<BTreeSet<_>>().len(),
        days: (day(r.first_day), day(r.last_day)),
        skipped,
    }
}

fn expect(
    format: Format,
    (lines, kept, merged, sources): (u64, u64, usize, usize),
    days: (&str, &str),
    skipped: &[(&str, u64)],
) -> Summary {
    let mut skipped: Vec<(String, u64)> =
        skipped.iter().map(|(r, n)| (r.to_string(), *n)).collect();
    skipped.sort();
    Summary {
        format,
        lines,
        kept,
        merged,
        sources,
        days: (days.0.to_string(), days.1.to_string()),
        skipped,
    }
}

fn opts(day: Option<(i32, u32, u32)>) -> IngestOptions {
    IngestOptions {
        default_day: day.and_then(|(y, m, d)| day_from_ymd(y, m, d)),
        ..Default::default()
    }
}

/// (file, options) for every fixture that parses.
fn cases() -> Vec<(&'static str, IngestOptions)> {
    let mapped = IngestOptions {
        column_map: Some(ColumnMap {
            source: "who".into(),
            date_or_timestamp: "when".into(),
            ..Default::default()
        }),
        ..Default::default()
    };
    vec![
        ("daily_sources-crlf-bom.txt", opts(None)),
        ("block-2016.txt", opts(None)),
        ("dshield-2017-08-13T005000Z.netset", opts(None)),
        ("dshield_top_1000-2017-08-14T042003Z.ipset", opts(None)),
        ("marx-excerpt.csv", opts(None)),
        ("dshield.log", opts(None)),
        ("syslog-kern.log", opts(Some((2023, 1, 1)))),
        ("sensor-upload.json", opts(None)),
        ("cowrie.json.2017-11-05", opts(None)),
        ("isc-sources.json", opts(None)),
        ("isc-topips.json", opts(None)),
        ("isc-ip.json", opts(None)),
        ("isc-ip-clean.json", opts(Some((2017, 8, 15)))),
        ("isc-topips-2017-08-13.xml", opts(None)),
        ("isc-topips-2017-08-13.txt", opts(None)),
        ("generic-auto.csv", opts(None)),
        ("generic-mapped.csv", mapped),
    ]
}

fn parse(name: &str, options: IngestOptions) -> Parsed {
    parse_bytes_with(name, &read(name), options).unwrap()
}

#[test]
fn dshield_feeds() {
    let p = parse("daily_sources-crlf-bom.txt", opts(None));
    assert_eq!(
        summary(&p),
        expect(
            Format::DailySources,
            (9, 5, 4, 3),
            ("2016-08-29", "2016-08-29"),
            &[
                ("IPv6 source", 1),
                ("malformed IP", 1),
                ("missing field", 1),
                ("bad port", 1)
            ]
        )
    );
    // The two port-23 lines of 061.177.172.013 merge: 412 + 8.
    let e = p.events.iter().find(|e| e.port == 23).unwrap();
    assert_eq!(
        (lwrank::ip::format_ipv4(e.src), e.weight),
        ("61.177.172.13".into(), 420)
    );
    assert!(p.events.iter().any(|e| e.src == 0x0A00_0001 && e.proto == 17));
    let bad =
        &p.report.skipped.iter().find(|g| g.reason == "bad port").unwrap();
    assert_eq!(bad.examples[0].0, 12);

    let p = parse("block-2016.txt", opts(None));
    assert_eq!(
        summary(&p),
        expect(
            Format::BlockTxt,
            (5, 3, 3, 3),
            ("2016-08-30", "2016-08-30"),
            &[("malformed IP", 1), ("missing field", 1)]
        )
    );
    assert!(p.events.iter().all(|e| e.prefix_len == 24));
    assert_eq!(
        p.events.iter().map(|e| e.weight).sum::<u32>(),
        6286 + 1200 + 800
    );
}

#[test]
fn firehol_lists() {
    let p = parse("dshield-2017-08-13T005000Z.netset", opts(None));
    assert_eq!(
        summary(&p),
        expect(
            Format::FireholList,
            (19, 19, 19, 19),
            ("2017-08-13", "2017-08-13"),
            &[]
        )
    );
    assert_eq!(p.events.iter().filter(|e| e.prefix_len == 23).count(), 1);
    let p = parse("dshield_top_1000-2017-08-14T042003Z.ipset", opts(None));
    assert_eq!(
        summary(&p),
        expect(
            Format::FireholList,
            (870, 870, 870, 870),
            ("2017-08-14", "2017-08-14"),
            &[]
        )
    );
    // Without the header the date comes from the file name.
    let body: Vec<u8> = read("dshield_top_1000-2017-08-14T042003Z.ipset")
        .split(|&b| b == b'\n')
        .filter(|l| !l.starts_with(b"#"))
        .flat_map(|l| l.iter().copied().chain([b'\n']))
        .collect();
    let p = parse_bytes("2017-08-14T042003Z.ipset", &body).unwrap();
    assert_eq!(p.report.first_day, day_from_ymd(2017, 8, 14));
    let err = parse_bytes("list.ipset", &body).unwrap_err();
    assert!(matches!(err, IngestError::MissingDate { .. }), "{err}");
}

#[test]
fn marx_excerpt() {
    let p = parse("marx-excerpt.csv", opts(None));
    assert_eq!(
        summary(&p),
        expect(
            Format::MarxCsv,
            (200, 200, 111, 103),
            ("2013-03-03", "2013-03-04"),
            &[]
        )
    );
    // ICMP rows have no port; the private DHCP source is kept for later.
    let icmp: u32 =
        p.events.iter().filter(|e| e.proto == 1).map(|e| e.weight).sum();
    assert_eq!(icmp, 8);
    assert!(p.events.iter().filter(|e| e.proto == 1).all(|e| e.port == 0));
    assert!(p.events.iter().any(|e| e.src == 176_362_647 && e.port == 68));
}

#[test]
fn honeypot_logs() {
    let p = parse("dshield.log", opts(None));
    assert_eq!(
        summary(&p),
        expect(
            Format::Iptables,
            (8, 4, 3, 3),
            ("2023-11-05", "2023-11-06"),
            &[
                ("IPv6 source", 1),
                ("malformed IP", 1),
                ("missing field", 1),
                ("bad date", 1)
            ]
        )
    );
    let p = parse("syslog-kern.log", opts(Some((2023, 1, 1))));
    assert_eq!(
        summary(&p),
        expect(
            Format::Iptables,
            (3, 2, 2, 2),
            ("2023-11-05", "2023-11-06"),
            &[("bad date", 1)]
        )
    );
    let err =
        parse_bytes("syslog-kern.log", &read("syslog-kern.log")).unwrap_err();
    assert!(matches!(err, IngestError::MissingDate { .. }), "{err}");

    let p = parse("sensor-upload.json", opts(None));
    assert_eq!(
        summary(&p),
        expect(
            Format::SensorJson,
            (5, 3, 2, 2),
            ("2023-11-05", "2023-11-05"),
            &[("IPv6 source", 1), ("bad date", 1)]
        )
    );
    assert!(p.events.iter().any(|e| e.weight == 2 && e.port == 50001));

    let p = parse("cowrie.json.2017-11-05", opts(None));
    assert_eq!(
        summary(&p),
        expect(
            Format::Cowrie,
            (6, 3, 3, 2),
            ("2017-11-04", "2017-11-05"),
            &[("IPv6 source", 1), ("missing field", 1), ("malformed JSON", 1)]
        )
    );
}

#[test]
fn isc_api_outputs() {
    let p = parse("isc-sources.json", opts(None));
    assert_eq!(
        summary(&p),
        expect(
            Format::IscJson,
            (4, 2, 2, 2),
            ("2017-08-12", "2017-08-13"),
            &[("IPv6 source", 1), ("bad date", 1)]
        )
    );
    assert_eq!(p.events.iter().map(|e| e.weight).max(), Some(132_723));
    let p = parse("isc-topips.json", opts(None));
    assert_eq!(
        summary(&p),
        expect(
            Format::IscJson,
            (3, 2, 2, 2),
            ("2017-08-13", "2017-08-13"),
            &[("malformed IP", 1)]
        )
    );
    let p = parse("isc-ip.json", opts(None));
    assert_eq!(
        summary(&p),
        expect(
            Format::IscJson,
            (1, 1, 1, 1),
            ("2017-08-14", "2017-08-14"),
            &[]
        )
    );
    assert_eq!(p.events[0].weight, 12);
    let p = parse("isc-ip-clean.json", opts(Some((2017, 8, 15))));
    assert_eq!(
        summary(&p),
        expect(Format::IscJson, (1, 0, 0, 0), ("", ""), &[("no reports", 1)])
    );
    let p = parse("isc-topips-2017-08-13.xml", opts(None));
    assert_eq!(
        summary(&p),
        expect(
            Format::IscXml,
            (3, 2, 2, 2),
            ("2017-08-13", "2017-08-13"),
            &[("IPv6 source", 1)]
        )
    );
    let p = parse("isc-topips-2017-08-13.txt", opts(None));
    assert_eq!(
        summary(&p),
        expect(
            Format::IscText,
            (5, 3, 3, 3),
            ("2017-08-13", "2017-08-13"),
            &[("malformed IP", 1), ("missing field", 1)]
        )
    );
    // Without a date in the name or options the text output is refused.
    let err = parse_bytes("topips.txt", &read("isc-topips-2017-08-13.txt"))
        .unwrap_err();
    assert!(matches!(err, IngestError::MissingDate { .. }), "{err}");
}

#[test]
fn generic_csv() {
    let p = parse("generic-auto.csv", opts(None));
    assert_eq!(
        summary(&p),
        expect(
            Format::Csv,
            (7, 4, 3, 3),
            ("2020-01-02", "2020-01-03"),
            &[("malformed IP", 1), ("bad date", 1), ("missing field", 1)]
        )
    );
    assert!(p
        .events
        .iter()
        .any(|e| e.weight == 5 && e.port == 22 && e.proto == 6));
    let err = parse_bytes("generic-mapped.csv", &read("generic-mapped.csv"))
        .unwrap_err();
    match err {
        IngestError::NotRecognised { reason, .. } => {
            assert!(reason.contains("when, who, what"), "{reason}")
        }
        other => panic!("{other}"),
    }
    let p = parse("generic-mapped.csv", cases().pop().unwrap().1);
    assert_eq!(
        summary(&p),
        expect(Format::Csv, (2, 2, 2, 1), ("2020-02-01", "2020-02-02"), &[])
    );
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn chunked(
    name: &str,
    bytes: &[u8],
    size: usize,
    options: &IngestOptions,
) -> Parsed {
    let mut p = StreamParser::new(name, options.clone());
    for c in bytes.chunks(size) {
        p.push(c).unwrap();
    }
    assert_eq!(p.bytes_in(), bytes.len() as u64);
    p.finish().unwrap()
}

#[test]
fn chunk_boundaries_and_gzip_change_nothing() {
    for (name, options) in cases() {
        let bytes = read(name);
        let whole = parse_bytes_with(name, &bytes, options.clone()).unwrap();
        for size in [1, 7, 4096] {
            assert_eq!(
                chunked(name, &bytes, size, &options),
                whole,
                "{name} by {size}"
            );
        }
        let gz = gzip(&bytes);
        for size in [1, 7, 4096, gz.len()] {
            assert_eq!(
                chunked(name, &gz, size, &options),
                whole,
                "{name} gz by {size}"
            );
        }
        // Two gzip members concatenated read as one file.
        let half = bytes.len() / 2;
        let mut two = gzip(&bytes[..half]);
        two.extend(gzip(&bytes[half..]));
        assert_eq!(
            chunked(name, &two, 5, &options),
            whole,
            "{name} two members"
        );
    }
}

#[test]
fn content_hash_spots_duplicates() {
    let a = parse("block-2016.txt", opts(None));
    let b =
        parse_bytes("renamed.txt.gz", &gzip(&read("block-2016.txt"))).unwrap();
    assert_eq!(a.report.content_hash, b.report.content_hash);
    let c = parse("daily_sources-crlf-bom.txt", opts(None));
    assert_ne!(a.report.content_hash, c.report.content_hash);
}

#[test]
fn refusals() {
    let gz = gzip(&read("marx-excerpt.csv"));
    let err = parse_bytes("cut.gz", &gz[..gz.len() / 2]).unwrap_err();
    assert!(matches!(err, IngestError::Corrupt { .. }), "{err}");
    let mut flipped = gz.clone();
    flipped[20] ^= 0xff;
    flipped[21] ^= 0x55;
    let err = parse_bytes("flipped.gz", &flipped).unwrap_err();
    assert!(matches!(err, IngestError::Corrupt { .. }), "{err}");
    let err = parse_bytes("poem.txt", b"roses are red\nviolets are blue\nx\n")
        .unwrap_err();
    assert!(matches!(err, IngestError::NotRecognised { .. }), "{err}");
    let err = parse_bytes("empty.txt", b"").unwrap_err();
    assert!(matches!(err, IngestError::NotRecognised { .. }), "{err}");
    let err = parse_bytes(
        "port.json",
        br#"{"number":22,"data":{"date":"2017-08-13","records":5}}"#,
    )
    .unwrap_err();
    assert!(matches!(err, IngestError::NotRecognised { .. }), "{err}");
}
