//! Export files become events.
//!
//! This module owns reading what an analyst exports: DShield feeds
//! (`daily_sources`, `block.txt`, the per-ASN report, the old
//! log-submission format), ISC API output (JSON, XML, text), FireHOL
//! copies of the DShield lists, honeypot logs (iptables / `dshield.log`,
//! the sensor's JSON upload, cowrie NDJSON, the web honeypot's JSON lines
//! and SQLite database, the marx CSV) and any headed CSV with a
//! [`ColumnMap`]. The format is detected from the content, never the file
//! name; gzip and SQLite are detected by their magic bytes, and other
//! binary content is refused in one sentence.
//!
//! Parsing streams: [`StreamParser::push`] takes chunks cut anywhere and
//! keeps only a partial-line carry buffer plus the merge map of events,
//! so memory grows with the distinct events kept, not with the file.
//! (The whole-document formats, ISC JSON/XML and the sensor JSON upload,
//! are buffered because they are small API answers; a SQLite database is
//! buffered whole because its pages are read out of order.) Every data line is
//! either kept or counted under a skip reason with its first examples.
//!
//! Ranking, bogon filtering and behaviour selection happen later; this
//! module keeps private sources and every protocol as the file says.

mod csv;
mod detect;
mod document;
mod dshield;
mod honeypot;
mod sink;
mod sqlite;
mod stream;
mod text;

pub(crate) use detect::{binary_reason, looks_binary, magic_kind};
pub use stream::StreamParser;

use crate::event::{Day, Event};
use serde::{Deserialize, Serialize};

/// The export formats lwrank reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Format {
    /// DShield `daily_sources`: 7 tab-separated fields per line.
    DailySources,
    /// DShield `block.txt`: the top /24 networks with attack counts.
    BlockTxt,
    /// A FireHOL ipset or netset: one IPv4 or CIDR per line.
    FireholList,
    /// ISC REST API output as JSON.
    IscJson,
    /// ISC REST API output as XML.
    IscXml,
    /// ISC REST API output as text (`rank source reports targets`).
    IscText,
    /// iptables kernel log lines (`dshield.log`, syslog).
    Iptables,
    /// The DShield sensor's JSON upload (`{"type":"firewall","logs":…}`).
    SensorJson,
    /// Cowrie honeypot NDJSON (`cowrie.json`).
    Cowrie,
    /// CSV like the marx honeypot set: `datetime,host,src,proto,type,spt,dpt`.
    MarxCsv,
    /// A headed CSV or TSV read through a [`ColumnMap`].
    Csv,
    /// The per-ASN report `asdetailsascii.html?as=N` (6 tab-separated
    /// fields: source, reports, targets, first, last seen, updated).
    AsDetails,
    /// The old DShield log-submission format (tab-separated: date with
    /// zone, user id, count, source, port, target, port, protocol, flags).
    DshieldLog,
    /// The DShield web honeypot's JSON lines (`time`, `sip`, `dip`, …).
    WebHoneypotJson,
    /// The DShield web honeypot's SQLite database (`webserver.sqlite`,
    /// table `requests`).
    WebHoneypotSqlite,
}

impl Format {
    /// A human name for file cards.
    pub fn name(self) -> &'static str {
        match self {
            Format::DailySources => "DShield daily_sources",
            Format::BlockTxt => "DShield block.txt",
            Format::FireholList => "FireHOL ipset/netset",
            Format::IscJson => "ISC API JSON",
            Format::IscXml => "ISC API XML",
            Format::IscText => "ISC API text",
            Format::Iptables => "iptables log (dshield.log)",
            Format::SensorJson => "DShield sensor JSON",
            Format::Cowrie => "cowrie JSON lines",
            Format::MarxCsv => "honeypot CSV (marx)",
            Format::Csv => "CSV with column map",
            Format::AsDetails => "DShield per-ASN report (asdetailsascii)",
            Format::DshieldLog => "DShield log submission",
            Format::WebHoneypotJson => "DShield web honeypot JSON lines",
            Format::WebHoneypotSqlite => "DShield web honeypot SQLite",
        }
    }
}

/// Which header columns of a generic CSV/TSV hold what.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMap {
    /// Column with the source IPv4 (dotted quad or unsigned integer).
    pub source: String,
    /// Column with a date (`YYYY-MM-DD…`) or Unix timestamp.
    pub date_or_timestamp: String,
    /// Column with the destination port, if any.
    pub port: Option<String>,
    /// Column with the protocol (name or number), if any.
    pub protocol: Option<String>,
    /// Column with a count used as the weight, if any (else 1 per row).
    pub count: Option<String>,
}

/// Caller's hints for formats that need them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestOptions {
    /// Column names for a generic CSV (else auto-mapped when obvious).
    pub column_map: Option<ColumnMap>,
    /// The day (or, for syslog, the year) to use when neither the
    /// content nor the file name carries one.
    pub default_day: Option<Day>,
}

/// Lines skipped for one reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkipGroup {
    /// Why, e.g. "malformed IP".
    pub reason: String,
    /// How many lines.
    pub count: u64,
    /// The first few: (1-based line number, the line cut to 120 chars).
    /// For JSON and XML documents the number is the 1-based record index.
    pub examples: Vec<(u64, String)>,
}

/// What one file gave.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileReport {
    /// The file name as the user gave it.
    pub name: String,
    /// The format detected.
    pub format: Format,
    /// First and last day with a kept event.
    pub first_day: Option<Day>,
    /// Last day with a kept event.
    pub last_day: Option<Day>,
    /// Data lines (or document records) read, excluding comments, blanks
    /// and column-title lines; equals kept plus skipped.
    pub lines_read: u64,
    /// Raw events kept (before merging duplicates of the same day,
    /// source, protocol and port); one per kept line or record.
    pub events_kept: u64,
    /// Skipped lines by reason.
    pub skipped: Vec<SkipGroup>,
    /// FNV-1a (over 64-bit little-endian words) of the decompressed
    /// content, to spot duplicate files.
    pub content_hash: u64,
    /// Doubts about the content that did not stop the parse, one
    /// sentence each (e.g. dates years apart); empty in older JSON.
    #[serde(default)]
    pub warnings: Vec<String>,
}

impl FileReport {
    /// Total number of skipped lines over all reasons.
    pub fn skipped_total(&self) -> u64 {
        self.skipped.iter().map(|g| g.count).sum()
    }

    /// Skipped lines for one reason (0 if none).
    pub fn skipped_for(&self, reason: &str) -> u64 {
        self.skipped
            .iter()
            .filter(|g| g.reason == reason)
            .map(|g| g.count)
            .sum()
    }
}

/// A parsed file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Parsed {
    /// The summary for the UI.
    pub report: FileReport,
    /// Events merged per (day, src, prefix_len, proto, port), weights
    /// summed, sorted by day then source.
    pub events: Vec<Event>,
}

/// Why a file gave nothing.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum IngestError {
    /// The content matches no known format.
    #[error("{file}: not a format lwrank reads ({reason})")]
    NotRecognised {
        /// File name.
        file: String,
        /// One sentence.
        reason: String,
    },
    /// Reading failed (e.g. corrupt gzip).
    #[error("{file}: {reason}")]
    Corrupt {
        /// File name.
        file: String,
        /// One sentence.
        reason: String,
    },
    /// The format is known but no day can be found for its events.
    #[error("{file}: no date for the events ({reason})")]
    MissingDate {
        /// File name.
        file: String,
        /// One sentence saying where a date could come from.
        reason: String,
    },
}

/// Parses a whole file held in memory (gzip detected by magic bytes).
pub fn parse_bytes(name: &str, bytes: &[u8]) -> Result<Parsed, IngestError> {
    parse_bytes_with(name, bytes, IngestOptions::default())
}

/// [`parse_bytes`] with caller options (column map, default day).
pub fn parse_bytes_with(
    name: &str,
    bytes: &[u8],
    options: IngestOptions,
) -> Result<Parsed, IngestError> {
    let mut parser = StreamParser::new(name, options);
    parser.push(bytes)?;
    parser.finish()
}
