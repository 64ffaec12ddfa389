//! Format detection from the first data lines, and the header facts
//! (dates in `#` comment lines) that some formats need.

use super::csv::{looks_like_header, GenericCsv};
use super::dshield::{BlockTxt, DailySources, FireholList, IscText};
use super::honeypot::{clock_of, Clock, Cowrie, Iptables, MarxCsv};
use super::sink::Sink;
use super::text::{date_in_text, day_from_name, trim, year_from_name};
use super::{Format, IngestError, IngestOptions};
use crate::event::{ymd_from_day, Day};

/// A line-oriented parser: every data line it is given ends in the sink
/// as kept or skipped.
pub trait LineFormat {
    /// Reads one data line (no line end, not blank, not a comment).
    fn line(&mut self, no: u64, line: &[u8], sink: &mut Sink);
}

/// Dates found in `#` comment lines before the data.
#[derive(Default, Debug)]
pub struct Header {
    /// `# updated YYYY-MM-DD` (daily_sources) or `# updated: …` (block.txt).
    pub updated: Option<Day>,
    /// FireHOL's `# Source File Date: …`.
    pub source_date: Option<Day>,
}

impl Header {
    /// Looks at one comment line (starting with `#`).
    pub fn observe(&mut self, comment: &[u8]) {
        let body = trim(comment.strip_prefix(b"#").unwrap_or(comment));
        let lower = |n: usize| body.get(..n).map(<[u8]>::to_ascii_lowercase);
        if lower(7).as_deref() == Some(b"updated") && self.updated.is_none() {
            self.updated = date_in_text(&body[7..]);
        } else if lower(16).as_deref() == Some(b"source file date")
            && self.source_date.is_none()
        {
            self.source_date = date_in_text(&body[16..]);
        }
    }
}

/// Which whole-document parser to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocKind {
    /// JSON (ISC API or sensor upload).
    Json,
    /// XML (ISC API).
    Xml,
}

/// The outcome of looking at one data line.
pub enum Detected {
    /// A line format; `title` says the detected line is a column-title
    /// line and carries no data.
    Lines {
        /// Format found.
        format: Format,
        /// Its parser.
        parser: Box<dyn LineFormat>,
        /// Whether the line is a header line.
        title: bool,
    },
    /// A document to buffer and parse at the end.
    Document(DocKind),
}

/// What detection may consult besides the line.
pub struct Context<'a> {
    /// File name (for a date in it).
    pub name: &'a str,
    /// Caller options.
    pub options: &'a IngestOptions,
    /// Header facts so far.
    pub header: &'a Header,
}

impl Context<'_> {
    /// The day from the content, else the file name, else the caller.
    fn day(
        &self,
        content: Option<Day>,
        what: &str,
    ) -> Result<Day, IngestError> {
        content
            .or_else(|| day_from_name(self.name))
            .or(self.options.default_day)
            .ok_or_else(|| IngestError::MissingDate {
                file: self.name.to_string(),
                reason: format!(
                    "{what} has no date in its content; put YYYY-MM-DD in \
                     the file name or give a default day"
                ),
            })
    }

    fn not_recognised(&self, reason: String) -> IngestError {
        IngestError::NotRecognised { file: self.name.to_string(), reason }
    }
}

fn lines(
    format: Format,
    parser: impl LineFormat + 'static,
    title: bool,
) -> Option<Detected> {
    Some(Detected::Lines { format, parser: Box::new(parser), title })
}

/// Detects the format from one data line (trailing `\r` removed).
pub fn detect(
    line: &[u8],
    ctx: &Context,
) -> Result<Option<Detected>, IngestError> {
    let t = trim(line);
    let first = t.first().copied().unwrap_or(b' ');

    // An explicit column map wins when the header has its columns.
    let mut map_error = None;
    if let Some(map) = &ctx.options.column_map {
        match GenericCsv::from_header(t, Some(map)) {
            Ok(csv) => return Ok(lines(Format::Csv, csv, true)),
            Err(e) => map_error = Some(e),
        }
    }

    // Documents and JSON lines.
    if first == b'{' || first == b'[' {
        if Cowrie::matches(t) {
            return Ok(lines(Format::Cowrie, Cowrie, false));
        }
        return Ok(Some(Detected::Document(DocKind::Json)));
    }
    if first == b'<' {
        return Ok(Some(Detected::Document(DocKind::Xml)));
    }

    // Honeypot logs.
    if Iptables::matches(t) {
        let year = match clock_of(t) {
            Some(Clock::Syslog) => Some(
                ctx.options
                    .default_day
                    .map(|d| ymd_from_day(d).0)
                    .or_else(|| year_from_name(ctx.name))
                    .ok_or_else(|| IngestError::MissingDate {
                        file: ctx.name.to_string(),
                        reason: "syslog times have no year; give a default \
                                 day or put YYYY-MM-DD in the file name"
                            .to_string(),
                    })?,
            ),
            _ => None,
        };
        return Ok(lines(Format::Iptables, Iptables::new(year), false));
    }
    if MarxCsv::is_header(t) {
        return Ok(lines(Format::MarxCsv, MarxCsv::default(), true));
    }
    if MarxCsv::matches(t) {
        return Ok(lines(Format::MarxCsv, MarxCsv::default(), false));
    }

    // DShield feeds.
    let title = BlockTxt::is_title(t);
    if title || BlockTxt::matches(t) {
        let day = ctx.day(ctx.header.updated, "block.txt")?;
        return Ok(lines(Format::BlockTxt, BlockTxt { day }, title));
    }
    if DailySources::matches(t) {
        let updated = ctx.header.updated.map(|d| d - 1);
        let day = ctx.day(updated, "daily_sources")?;
        return Ok(lines(Format::DailySources, DailySources { day }, false));
    }
    if IscText::matches(t) {
        let day = ctx.day(None, "ISC API text output")?;
        return Ok(lines(Format::IscText, IscText { day }, false));
    }
    if FireholList::matches(t) {
        let day = ctx.day(ctx.header.source_date, "the address list")?;
        return Ok(lines(Format::FireholList, FireholList { day }, false));
    }

    // A headed CSV, auto-mapped or explained.
    if let Some(e) = map_error {
        return Err(ctx.not_recognised(e));
    }
    if looks_like_header(t) {
        return match GenericCsv::from_header(t, None) {
            Ok(csv) => Ok(lines(Format::Csv, csv, true)),
            Err(e) => Err(ctx.not_recognised(e)),
        };
    }
    Ok(None)
}

/// The format of a file with no data lines, from its header alone.
pub fn detect_empty(header: &Header) -> Option<Format> {
    if header.source_date.is_some() {
        Some(Format::FireholList)
    } else if header.updated.is_some() {
        Some(Format::DailySources)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::event::day_from_ymd;

    fn format_of(line: &[u8]) -> Option<Format> {
        let options =
            IngestOptions { default_day: Some(0), ..Default::default() };
        let header = Header::default();
        let ctx = Context { name: "x", options: &options, header: &header };
        match detect(line, &ctx).unwrap()? {
            Detected::Lines { format, .. } => Some(format),
            Detected::Document(DocKind::Json) => Some(Format::IscJson),
            Detected::Document(DocKind::Xml) => Some(Format::IscXml),
        }
    }

    #[test]
    fn detects_each_line_format() {
        assert_eq!(
            format_of(b"1.2.3.4\t22\t6\t5\t1\ta\tb"),
            Some(Format::DailySources)
        );
        assert_eq!(
            format_of(b"1 046.101.124.074 132723 110"),
            Some(Format::IscText)
        );
        assert_eq!(format_of(b"5.39.216.0/24"), Some(Format::FireholList));
        assert_eq!(
            format_of(b"Start\tEnd\tNetblock\tAttacks"),
            Some(Format::BlockTxt)
        );
        assert_eq!(format_of(b"<?xml version=\"1.0\"?>"), Some(Format::IscXml));
        assert_eq!(format_of(b"{"), Some(Format::IscJson));
        assert_eq!(format_of(b"hello world"), None);
    }

    #[test]
    fn header_dates() {
        let mut h = Header::default();
        h.observe(b"# updated 2016-08-30");
        h.observe(b"# Source File Date: Sun Aug 13 04:36:03 UTC 2017");
        assert_eq!(h.updated, day_from_ymd(2016, 8, 30));
        assert_eq!(h.source_date, day_from_ymd(2017, 8, 13));
    }
}
