//! Stage timings of the whole pipeline, shared by the native benchmark
//! binary and the wasm benchmark that runs in headless Chromium.
//!
//! The clock is passed in (`performance.now()` in the browser,
//! `Instant` natively), so the measured code is identical on both.

use crate::asn::AsnTable;
use crate::event::{day_from_ymd, format_day, Behaviour, Event};
use crate::features;
use crate::hilbert::CurveOrder;
use crate::map::{palette, Level};
use crate::pipeline::{self, RunSettings, Runner};
use crate::rank::{HalfLife, RankHistory};
use serde::{Deserialize, Serialize};

/// One line of the stage table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageRow {
    /// Stage name.
    pub stage: String,
    /// Milliseconds.
    pub millis: f64,
    /// What was processed, with units.
    pub note: String,
}

/// Times parse, ASN load, rank, train + test, infer and draw on the
/// bundled sample (TCP 22, default settings).
pub fn sample_stages(
    sample_gz: &[u8],
    benign_csv: &str,
    asn_packed: &[u8],
    clock: &dyn Fn() -> f64,
) -> Result<Vec<StageRow>, String> {
    let mut rows = Vec::new();
    let mut timed = |stage: &str, t0: f64, note: String| {
        rows.push(StageRow {
            stage: stage.to_string(),
            millis: clock() - t0,
            note,
        });
    };

    let t = clock();
    let parsed = crate::ingest::parse_bytes("sample", sample_gz)
        .map_err(|e| e.to_string())?;
    timed(
        "parse sample (gzip CSV)",
        t,
        format!(
            "{} lines, {} events",
            parsed.report.lines_read,
            parsed.events.len()
        ),
    );

    let t = clock();
    let asn = AsnTable::from_packed(asn_packed).map_err(|e| e.to_string())?;
    timed("load ASN table", t, format!("{} ranges", asn.len()));

    let benign = crate::sample::parse_benign(benign_csv);
    let settings = RunSettings::default();
    let t = clock();
    let mut runner =
        Runner::new(&parsed.events, &benign.addresses, &asn, &settings, clock)
            .map_err(|e| e.to_string())?;
    timed("rank (TCP 22)", t, "4 entity types, 30 days".to_string());

    let t = clock();
    while runner.step().map_err(|e| e.to_string())? {}
    let steps = runner.done_steps();
    timed(
        "train + test, walk-forward",
        t,
        format!("{steps} day pairs, 5-fold CV each, 6 feature sets compared"),
    );

    let t = clock();
    let (result, trained) =
        runner.finish(clock, 0.0).map_err(|e| e.to_string())?;
    timed(
        "train last day + infer whole map",
        t,
        format!(
            "{} distinct vectors, {} segments",
            result.map.distinct_vectors, result.map.segments
        ),
    );

    let t = clock();
    let view = trained.history.view(trained.map_day);
    let grid = pipeline::map_grid(
        &view,
        &asn,
        &trained.model,
        trained.settings.feature_set,
        Level::Slash8(61),
    )
    .map_err(|e| e.to_string())?;
    timed("infer one /8 (zoom)", t, format!("{} segments", grid.segments));

    let t = clock();
    let colors: Vec<[u8; 4]> = (0..=255u8)
        .map(|i| {
            result.map.ratio(i).map_or(palette::RESERVED, palette::ratio_color)
        })
        .collect();
    let pixels = crate::map::render_rgba(&colors, CurveOrder::FOUR, 1024);
    timed("draw 1024 px map buffer", t, format!("{} bytes RGBA", pixels.len()));

    // The size the page draws on a laptop (CSS size x devicePixelRatio).
    let t = clock();
    let pixels = crate::map::render_rgba(&colors, CurveOrder::FOUR, 512);
    timed("draw 512 px map buffer", t, format!("{} bytes RGBA", pixels.len()));
    Ok(rows)
}

/// Times the four ranks over a whole event history (e.g. the 190-day
/// marx set), every behaviour counted.
pub fn rank_all(
    events: &[Event],
    asn: &AsnTable,
    clock: &dyn Fn() -> f64,
) -> StageRow {
    let t = clock();
    let history = match HalfLife::new(3.0) {
        Ok(h) => RankHistory::build(events, asn, h),
        Err(e) => {
            return StageRow {
                stage: "rank all four entity types".to_string(),
                millis: 0.0,
                note: format!("failed: {e}"),
            }
        }
    };
    let days = match (history.first_day(), history.last_day()) {
        (Some(a), Some(b)) => format!("{} to {}", format_day(a), format_day(b)),
        _ => "no days".to_string(),
    };
    StageRow {
        stage: "rank all four entity types".to_string(),
        millis: clock() - t,
        note: format!("{} events, {days}", events.len()),
    }
}

/// Synthetic `daily_sources` text of about `megabytes` MB, for parse
/// throughput (addresses and ports vary; all lines are valid).
pub fn synthetic_daily_sources(megabytes: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(megabytes * 1_000_000 + 100);
    out.extend_from_slice(b"# DShield daily sources (synthetic, for benchmarks)\n# updated 2013-07-21\n");
    let mut x: u32 = 0x1234_5678;
    while out.len() < megabytes * 1_000_000 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let [a, b, c, d] = x.to_be_bytes();
        let port = [22, 23, 80, 445, 1433, 3389][(x % 6) as usize];
        let line = format!(
            "{a:03}.{b:03}.{c:03}.{d:03}\t{port}\t6\t{}\t{}\t2013-07-20\t2013-07-20\n",
            x % 500 + 1,
            x % 40 + 1
        );
        out.extend_from_slice(line.as_bytes());
    }
    out
}

/// Synthetic text of about `megabytes` MB in one of the formats added
/// with the per-ASN report: [`Format::AsDetails`], [`Format::DshieldLog`]
/// or [`Format::WebHoneypotJson`] (None for any other format).
///
/// [`Format::AsDetails`]: crate::ingest::Format::AsDetails
/// [`Format::DshieldLog`]: crate::ingest::Format::DshieldLog
/// [`Format::WebHoneypotJson`]: crate::ingest::Format::WebHoneypotJson
pub fn synthetic_lines(
    format: crate::ingest::Format,
    megabytes: usize,
) -> Option<Vec<u8>> {
    use crate::ingest::Format;
    let line = |x: u32| -> String {
        let [a, b, c, d] = x.to_be_bytes();
        let port = [22, 23, 80, 445, 1433, 3389][(x % 6) as usize];
        let (h, m) = (x % 24, x % 60);
        match format {
            Format::AsDetails => format!(
                "{a:03}.{b:03}.{c:03}.{d:03}\t{}\t{}\t\t2013-07-{:02}\t\
                 2013-07-20 {h:02}:{m:02}:00\n",
                x % 500 + 1,
                x % 40 + 1,
                x % 20 + 1
            ),
            Format::DshieldLog => format!(
                "2013-07-20 {h:02}:{m:02}:07 -04:00\t0\t{}\t{a}.{b}.{c}.{d}\t\
                 {}\t192.0.2.1\t{port}\t6\tS\n",
                x % 3 + 1,
                x % 60000 + 1024
            ),
            _ => format!(
                "{{\"time\": \"2013-07-20T{h:02}:{m:02}:07Z\", \"sip\": \
                 \"{a}.{b}.{c}.{d}\", \"dip\": \"192.0.2.80\", \"method\": \
                 \"GET\", \"url\": \"/{port}\", \"useragent\": \
                 \"Mozilla/5.0\"}}\n"
            ),
        }
    };
    if !matches!(
        format,
        Format::AsDetails | Format::DshieldLog | Format::WebHoneypotJson
    ) {
        return None;
    }
    let mut out = Vec::with_capacity(megabytes * 1_000_000 + 200);
    let mut x: u32 = 0x1234_5678;
    while out.len() < megabytes * 1_000_000 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        out.extend_from_slice(line(x).as_bytes());
    }
    Some(out)
}

/// Times parsing `bytes` as a file named `name`.
pub fn parse_throughput(
    name: &str,
    bytes: &[u8],
    clock: &dyn Fn() -> f64,
) -> StageRow {
    let t = clock();
    let result = crate::ingest::parse_bytes(name, bytes);
    let millis = clock() - t;
    let mb = bytes.len() as f64 / 1e6;
    let note = match result {
        Ok(p) => format!(
            "{mb:.1} MB, {} events, {:.0} MB/s",
            p.events.len(),
            mb / (millis / 1000.0).max(1e-9)
        ),
        Err(e) => format!("failed: {e}"),
    };
    StageRow { stage: format!("parse {name}"), millis, note }
}

/// Formats rows as a plain-text table.
pub fn format_stages(rows: &[StageRow]) -> String {
    let mut out = format!("{:<36} {:>10}  {}\n", "stage", "ms", "what");
    out.push_str(&format!("{:-<36} {:->10}  {:-<40}\n", "", "", ""));
    for r in rows {
        out.push_str(&format!(
            "{:<36} {:>10.1}  {}\n",
            r.stage, r.millis, r.note
        ));
    }
    out
}

/// One line of the memory table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemoryRow {
    /// What was measured.
    pub what: String,
    /// Bytes.
    pub bytes: u64,
    /// How it was measured.
    pub note: String,
}

/// Formats memory rows as a plain-text table (MiB).
pub fn format_memory(rows: &[MemoryRow]) -> String {
    let mut out = format!("{:<44} {:>9}  {}\n", "memory", "MiB", "how");
    out.push_str(&format!("{:-<44} {:->9}  {:-<40}\n", "", "", ""));
    for r in rows {
        out.push_str(&format!(
            "{:<44} {:>9.1}  {}\n",
            r.what,
            r.bytes as f64 / (1024.0 * 1024.0),
            r.note
        ));
    }
    out
}

/// The talk's behaviour for the sample benchmark.
pub fn default_behaviour() -> Behaviour {
    Behaviour::tcp(22)
}

/// Day the bundled sample starts.
pub fn sample_first_day() -> Option<i32> {
    day_from_ymd(2013, 6, 21)
}

/// Feature names of the default run, for the table's header.
pub fn default_features() -> Vec<&'static str> {
    features::names(RunSettings::default().feature_set)
}
