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
        ("asdetailsascii.html", opts(None)),
        ("dshield-submit.log", opts(None)),
        ("webhoneypot.json", opts(None)),
        ("webserver.sqlite", opts(None)),
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

/// Skip examples of one reason: their line (or row) numbers.
fn example_lines(p: &Parsed, reason: &str) -> Vec<u64> {
    let g = p.report.skipped.iter().find(|g| g.reason == reason).unwrap();
    g.examples.iter().map(|(n, _)| *n).collect()
}

#[test]
fn asn_report_real_excerpt() {
    let p = parse("asdetailsascii.html", opts(None));
    assert_eq!(
        summary(&p),
        expect(
            Format::AsDetails,
            (2, 2, 2, 2),
            ("2015-12-10", "2015-12-22"),
            &[]
        )
    );
    // The day is the last-seen date; the weight the reports.
    let e = &p.events[0];
    assert_eq!(
        (lwrank::ip::format_ipv4(e.src), format_day(e.day), e.weight),
        ("109.230.155.61".into(), "2015-12-10".into(), 1)
    );
    assert_eq!(p.events[1].weight, 85);

    // Appended after the 19 lines: a zone-id IPv6, a bad count, no date.
    let mut bytes = read("asdetailsascii.html");
    bytes.extend_from_slice(
        b"fe80::1%eth0\t3\t1\t\t2015-12-20\t2015-12-20 10:00:00\n\
          1.2.3.4\tmany\t1\t\t2015-12-20\t2015-12-20 10:00:00\n\
          1.2.3.5\t2\t1\t\t\t\n",
    );
    let p = parse_bytes("as.txt", &bytes).unwrap();
    assert_eq!(
        summary(&p),
        expect(
            Format::AsDetails,
            (5, 2, 2, 2),
            ("2015-12-10", "2015-12-22"),
            &[("IPv6 source", 1), ("bad count", 1), ("bad date", 1)]
        )
    );
    assert_eq!(example_lines(&p, "IPv6 source"), [20]);
    assert_eq!(example_lines(&p, "bad date"), [22]);
}

#[test]
fn dshield_submission_log() {
    let p = parse("dshield-submit.log", opts(None));
    assert_eq!(
        summary(&p),
        expect(
            Format::DshieldLog,
            (15, 11, 11, 10),
            ("2013-03-03", "2013-03-04"),
            &[
                ("IPv6 source", 1),
                ("malformed IP", 1),
                ("bad port", 1),
                ("bad date", 1)
            ]
        )
    );
    // 22:20 at -04:00 is 02:20 UTC on the next day; count 2 is the weight.
    let late = p.events.iter().find(|e| e.port == 22).unwrap();
    assert_eq!(
        (format_day(late.day), late.weight, late.proto),
        ("2013-03-04".into(), 2, 6)
    );
    assert!(p.events.iter().any(|e| e.proto == 17 && e.port == 5060));
    // The zone-id address counts as IPv6, not as malformed.
    assert_eq!(example_lines(&p, "IPv6 source"), [13]);
    assert_eq!(example_lines(&p, "malformed IP"), [14]);
    assert_eq!(example_lines(&p, "bad date"), [16]);
    assert!(p.report.warnings.is_empty());
}

#[test]
fn web_honeypot_json_lines() {
    let p = parse("webhoneypot.json", opts(None));
    assert_eq!(
        summary(&p),
        expect(
            Format::WebHoneypotJson,
            (15, 12, 7, 7),
            ("2013-03-04", "2013-03-04"),
            &[("IPv6 source", 1), ("missing field", 1), ("malformed JSON", 1)]
        )
    );
    assert!(p.events.iter().all(|e| e.proto == 6 && e.port == 80));
    assert_eq!(example_lines(&p, "malformed JSON"), [15]);
}

#[test]
fn web_honeypot_sqlite() {
    let p = parse("webserver.sqlite", opts(None));
    assert_eq!(
        summary(&p),
        expect(
            Format::WebHoneypotSqlite,
            (243, 240, 86, 69),
            ("2013-03-03", "2013-03-07"),
            &[("missing field", 1), ("bad date", 1), ("IPv6 source", 1)]
        )
    );
    assert!(p.events.iter().all(|e| e.proto == 6 && e.port == 80));
    // Rows are numbered in table order; the bad ones come last.
    assert_eq!(example_lines(&p, "missing field"), [241]);
    assert_eq!(example_lines(&p, "IPv6 source"), [243]);
    assert_eq!(p.report.format.name(), "DShield web honeypot SQLite");

    // A database without the table, and a cut one, are refused in words.
    let err = parse_bytes("no-requests.sqlite", &read("no-requests.sqlite"))
        .unwrap_err();
    match err {
        IngestError::NotRecognised { reason, .. } => assert_eq!(
            reason,
            "a SQLite database without a requests table (tables: Sigs)"
        ),
        other => panic!("{other}"),
    }
    let db = read("webserver.sqlite");
    // The table's root (page 2, interior) made its own right-most child.
    let mut looped = db.clone();
    looped[1024 + 8..1024 + 12].copy_from_slice(&2u32.to_be_bytes());
    match parse_bytes("loop.sqlite", &looped).unwrap_err() {
        IngestError::NotRecognised { reason, .. } => {
            assert_eq!(reason, "page 2 is reached twice")
        }
        other => panic!("{other}"),
    }
    let err = parse_bytes("cut.sqlite", &db[..10_000]).unwrap_err();
    match err {
        IngestError::NotRecognised { reason, .. } => {
            assert!(reason.contains("outside the file (9 pages)"), "{reason}")
        }
        other => panic!("{other}"),
    }
}

fn refusal(name: &str, bytes: &[u8]) -> String {
    match parse_bytes(name, bytes).unwrap_err() {
        IngestError::NotRecognised { reason, .. } => reason,
        other => panic!("{other}"),
    }
}

#[test]
fn binary_files_are_one_sentence() {
    let mut elf = b"\x7fELF\x02\x01\x01\x00".to_vec();
    elf.extend([0u8; 56]);
    assert_eq!(
        refusal("a.out", &elf),
        "an ELF executable, not a text export (first bytes 7F 45 4C 46 02 01 \
         01 00 …)"
    );
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    assert!(refusal("map.png", png).starts_with("a PNG image, not a text"));
    // Unknown binary, plain or inside gzip, with or without a newline.
    let mut blob: Vec<u8> = (0..600u32).map(|i| (i * 37 % 256) as u8).collect();
    blob[0] = 0x42;
    let want = "binary data, not a text export (first bytes 42 25 4A 6F 94 B9 \
                DE 03 …)";
    assert_eq!(refusal("blob.bin", &blob), want);
    assert_eq!(refusal("blob.bin.gz", &gzip(&blob)), want);
    let json_then_junk =
        [b"{\x00\x01\x02\x03".as_slice(), &[0xff; 40]].concat();
    assert!(refusal("x.json", &json_then_junk).starts_with("binary data"));
}

#[test]
fn date_warnings_reach_the_report() {
    for (name, options) in cases() {
        let p = parse(name, options);
        assert!(
            p.report.warnings.is_empty(),
            "{name}: {:?}",
            p.report.warnings
        );
    }
    // One line with a clock three years off.
    let mut bytes = read("dshield-submit.log");
    bytes.extend_from_slice(
        b"2016-03-03 10:00:00 +00:00\t0\t1\t1.2.3.4\t1\t192.0.2.1\t22\t6\tS\n",
    );
    let p = parse_bytes("submit.log", &bytes).unwrap();
    assert_eq!(
        p.report.warnings,
        ["dates jump from 2013-03-04 to 2016-03-03 (1094 days without \
          events): 11 of 12 events lie before the jump, from 2013-03-03; \
          check the clock or the file"]
    );
    // Reports saved before warnings existed still load.
    let mut json = serde_json::to_value(&p.report).unwrap();
    json.as_object_mut().unwrap().remove("warnings");
    let old: lwrank::ingest::FileReport = serde_json::from_value(json).unwrap();
    assert!(old.warnings.is_empty());
}

#[test]
fn marx_with_dotted_sources() {
    let body = b"datetime,host,src,proto,type,spt,dpt\n\
        2013-03-03 22:20:36,groucho-sa,18.1.2.1,TCP,,33367,22\n\
        2013-03-03 22:21:36,groucho-sa,018.001.002.001,TCP,,33368,22\n\
        2013-03-04 01:00:00,groucho-eu,3672981807,UDP,,5060,5060\n\
        2013-03-04 02:00:00,groucho-eu,1.2.3.999,TCP,,1,23\n";
    let p = parse_bytes("marx-dotted.csv", body).unwrap();
    assert_eq!(
        summary(&p),
        expect(
            Format::MarxCsv,
            (4, 3, 2, 2),
            ("2013-03-03", "2013-03-04"),
            &[("malformed IP", 1)]
        )
    );
    let dotted = lwrank::ip::parse_ipv4("18.1.2.1").unwrap();
    let e = p.events.iter().find(|e| e.src == dotted).unwrap();
    assert_eq!((e.weight, e.proto, e.port), (2, 6, 22));
    assert_eq!(example_lines(&p, "malformed IP"), [5]);
    // Without the header the first dotted row is detected as marx too.
    let headless = parse_bytes("marx-dotted.csv", &body[37..]).unwrap();
    assert_eq!(headless.report.format, Format::MarxCsv);
    assert_eq!(headless.events, p.events);
}

/// `len` seeded pseudo-random bytes (xorshift64*), like /dev/urandom.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect()
}

#[test]
fn random_bytes_in_gzip_are_binary() {
    // A first "line" that reads as a CSV header used to be offered for
    // column mapping; the content around it decides.
    let mut bytes = b"alpha,beta\n".to_vec();
    bytes.extend(noise(7, 4000));
    let want = "binary data, not a text export (first bytes 61 6C 70 68 61 \
                2C 62 65 …)";
    assert_eq!(refusal("garbage.gz", &gzip(&bytes)), want);
    assert_eq!(refusal("garbage.bin", &bytes), want);
    for seed in 1..=300 {
        let blob = noise(seed, 4000);
        for (name, bytes) in [("r.gz", gzip(&blob)), ("r.bin", blob.clone())] {
            let reason = refusal(name, &bytes);
            assert!(
                reason.starts_with("binary data, not a text export (first"),
                "seed {seed} {name}: {reason}"
            );
        }
    }
    // Short random content, under the 512-byte sample, is judged whole.
    let short = noise(3, 100);
    let reason = refusal("short.gz", &gzip(&short));
    assert!(reason.starts_with("binary data,"), "{reason}");
}

#[test]
fn header_only_text_is_not_binary() {
    assert_eq!(
        refusal("h.csv.gz", &gzip(b"alpha,beta,gamma\n")),
        "a CSV with columns alpha, beta, gamma; map its source-IP column and \
         its date or timestamp column to read it"
    );
    let p = parse_bytes(
        "h.csv",
        "# Grüße aus Köln\ndatetime,host,src,proto,type,spt,dpt\n".as_bytes(),
    )
    .unwrap();
    assert_eq!(
        summary(&p),
        expect(Format::MarxCsv, (0, 0, 0, 0), ("", ""), &[])
    );
    // Latin-1 accents in an otherwise ASCII log are text, not binary.
    let latin1 =
        b"# Stra\xdfe M\xfcnchen K\xf6ln\nsrc,date\n1.2.3.4,2020-02-01\n";
    let p = parse_bytes("latin1.csv", latin1).unwrap();
    assert_eq!(
        summary(&p),
        expect(Format::Csv, (1, 1, 1, 1), ("2020-02-01", "2020-02-01"), &[])
    );
}
