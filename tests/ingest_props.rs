//! Property tests: arbitrary input never panics, and with arbitrary lines
//! appended to a valid file every data line is kept or counted skipped.
#![allow(clippy::unwrap_used)]

use lwrank::ingest::{parse_bytes, IngestOptions, StreamParser};
use proptest::prelude::*;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest");

/// Data lines as the parser defines them: not blank, not `#`, minus
/// `titles` column-title lines.
fn data_lines(bytes: &[u8], titles: u64) -> u64 {
    let mut n = 0;
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let mut l = line.strip_suffix(b"\r").unwrap_or(line);
        if i == 0 {
            l = l.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(l);
        }
        let t: Vec<u8> = l
            .iter()
            .copied()
            .skip_while(|b| *b == b' ' || *b == b'\t')
            .collect();
        if t.iter().any(|b| *b != b' ' && *b != b'\t') && t[0] != b'#' {
            n += 1;
        }
    }
    n - titles
}

fn line_strategy() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..80)
            .prop_map(|v| v.into_iter().filter(|b| *b != b'\n').collect()),
        "[0-9a-f.:/, \t-]{0,60}".prop_map(String::into_bytes),
        "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}(\t[0-9]{0,6}){0,8}"
            .prop_map(String::into_bytes),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = parse_bytes("any", &bytes);
        let mut p = StreamParser::new("any", IngestOptions::default());
        for c in bytes.chunks(3) {
            if p.push(c).is_err() {
                return Ok(());
            }
        }
        let _ = p.finish();
    }

    #[test]
    fn appended_lines_are_accounted(
        which in 0usize..7,
        extra in proptest::collection::vec(line_strategy(), 0..12),
    ) {
        let (file, titles) = [
            ("daily_sources-crlf-bom.txt", 0),
            ("marx-excerpt.csv", 1),
            ("block-2016.txt", 1),
            ("dshield.log", 0),
            ("asdetailsascii.html", 0),
            ("dshield-submit.log", 0),
            ("webhoneypot.json", 0),
        ][which];
        let mut bytes = std::fs::read(format!("{DIR}/{file}")).unwrap();
        if !bytes.ends_with(b"\n") {
            bytes.push(b'\n');
        }
        for line in &extra {
            bytes.extend_from_slice(line);
            bytes.push(b'\n');
        }
        let p = parse_bytes(file, &bytes).unwrap();
        let r = &p.report;
        prop_assert_eq!(r.lines_read, r.events_kept + r.skipped_total());
        prop_assert_eq!(r.lines_read, data_lines(&bytes, titles));
    }
}
