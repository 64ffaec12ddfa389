//! The bundled 30-day marx sample parses completely and matches the
//! per-day check table derived from the whole data set
//! (`daily-summary.tsv`, columns rows, distinct_src and src_tcp22).
#![allow(clippy::unwrap_used)]

use lwrank::event::{day_from_ymd, Behaviour};
use lwrank::ingest::{parse_bytes, Format};
use std::collections::BTreeSet;

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/sample/marx-2013-06-21_to_07-20.csv.gz"
);

/// Rows per day, 2013-06-21 to 2013-07-20.
const ROWS: [u32; 30] = [
    2155, 2162, 2092, 2179, 2090, 2704, 2437, 2320, 2362, 2288, 2229, 2243,
    2065, 2179, 2152, 2101, 2858, 3284, 2346, 2579, 2577, 2370, 2367, 2513,
    2370, 2487, 2186, 2337, 2528, 2281,
];
/// Distinct sources per day.
const SOURCES: [usize; 30] = [
    780, 732, 698, 712, 715, 746, 704, 719, 729, 725, 715, 684, 697, 719, 746,
    750, 776, 816, 818, 883, 816, 829, 827, 836, 830, 833, 798, 799, 801, 758,
];
/// Distinct TCP-22 sources per day.
const TCP22: [usize; 30] = [
    25, 21, 28, 32, 31, 22, 16, 23, 28, 23, 27, 28, 20, 23, 28, 22, 30, 26, 35,
    25, 30, 18, 18, 24, 26, 28, 19, 22, 17, 24,
];

#[test]
fn bundled_marx_sample_matches_daily_summary() {
    let bytes = std::fs::read(SAMPLE).unwrap();
    let p = parse_bytes("marx-2013-06-21_to_07-20.csv.gz", &bytes).unwrap();
    let r = &p.report;
    assert_eq!(r.format, Format::MarxCsv);
    assert_eq!((r.lines_read, r.events_kept), (70_841, 70_841));
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    let first = day_from_ymd(2013, 6, 21).unwrap();
    assert_eq!(r.first_day, Some(first));
    assert_eq!(r.last_day, day_from_ymd(2013, 7, 20));

    let ssh = Behaviour::tcp(22);
    for i in 0..30 {
        let day = first + i as i32;
        let today: Vec<_> = p.events.iter().filter(|e| e.day == day).collect();
        let rows: u32 = today.iter().map(|e| e.weight).sum();
        let sources: BTreeSet<u32> = today.iter().map(|e| e.src).collect();
        let ssh: BTreeSet<u32> =
            today.iter().filter(|e| ssh.matches(e)).map(|e| e.src).collect();
        assert_eq!(rows, ROWS[i], "rows on day {i}");
        assert_eq!(sources.len(), SOURCES[i], "sources on day {i}");
        assert_eq!(ssh.len(), TCP22[i], "TCP 22 sources on day {i}");
    }
}
