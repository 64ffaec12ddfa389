//! Export files become events.
//!
//! CONTRACT (filled in by the ingest work): formats are detected from the
//! content, parsing streams chunk by chunk, and every skipped line is
//! counted under a reason with the first few examples.

use crate::event::{Day, Event};
use serde::{Deserialize, Serialize};

/// The export formats lwrank reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Format {
    /// CSV like the marx honeypot set: `datetime,host,src,proto,type,spt,dpt`.
    MarxCsv,
}

impl Format {
    /// A human name for file cards.
    pub fn name(self) -> &'static str {
        match self {
            Format::MarxCsv => "honeypot CSV (marx)",
        }
    }
}

/// Lines skipped for one reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkipGroup {
    /// Why, e.g. "malformed IP".
    pub reason: String,
    /// How many lines.
    pub count: u64,
    /// The first few: (1-based line number, the line cut to 120 chars).
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
    /// Data lines read (excluding comments and blanks).
    pub lines_read: u64,
    /// Raw events kept (before merging duplicates of the same day,
    /// source, protocol and port).
    pub events_kept: u64,
    /// Skipped lines by reason.
    pub skipped: Vec<SkipGroup>,
    /// A hash of the (decompressed) content, to spot duplicate files.
    pub content_hash: u64,
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
}

/// Parses a whole file held in memory (gzip detected by magic bytes).
pub fn parse_bytes(name: &str, bytes: &[u8]) -> Result<Parsed, IngestError> {
    let _ = (name, bytes);
    Err(IngestError::NotRecognised {
        file: name.to_string(),
        reason: "not implemented".to_string(),
    })
}
