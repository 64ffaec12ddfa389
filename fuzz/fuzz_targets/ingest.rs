//! Fuzzes format detection and every parser: the bytes parsed whole must
//! give exactly what the streaming parser gives when fed in chunks of
//! pseudo-random sizes, and every data line must be kept or skipped.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lwrank::ingest::{parse_bytes, IngestOptions, StreamParser};

/// Chunk sizes from a small xorshift seeded by the input, so a crash
/// replays exactly.
fn chunk_sizes(data: &[u8]) -> impl Iterator<Item = usize> {
    let mut state = data.iter().fold(0x9E37_79B9_7F4A_7C15_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    }) | 1;
    std::iter::from_fn(move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        // Mostly small chunks, now and then a large one.
        Some(if state % 8 == 0 {
            (state >> 8) as usize % 4096 + 1
        } else {
            (state >> 8) as usize % 17 + 1
        })
    })
}

fuzz_target!(|data: &[u8]| {
    let whole = parse_bytes("fuzz.txt", data);

    let mut parser = StreamParser::new("fuzz.txt", IngestOptions::default());
    let mut rest = data;
    let mut sizes = chunk_sizes(data);
    let mut pushed = Ok(());
    while !rest.is_empty() && pushed.is_ok() {
        let n = sizes.next().unwrap_or(1).min(rest.len());
        pushed = parser.push(&rest[..n]);
        rest = &rest[n..];
    }
    let streamed = pushed.and_then(|()| parser.finish());

    assert_eq!(whole, streamed, "whole and chunked parses disagree");
    if let Ok(p) = &whole {
        let r = &p.report;
        assert_eq!(r.lines_read, r.events_kept + r.skipped_total());
        assert!(p
            .events
            .windows(2)
            .all(|w| (w[0].day, w[0].src) <= (w[1].day, w[1].src)));
    }
});
