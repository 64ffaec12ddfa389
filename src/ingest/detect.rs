//! Format detection from the first data lines, and the header facts
//! (dates in `#` comment lines) that some formats need.

use super::csv::{looks_like_header, GenericCsv};
use super::dshield::{
    AsDetails, BlockTxt, DailySources, DshieldLog, FireholList, IscText,
};
use super::honeypot::{
    clock_of, Clock, Cowrie, Iptables, MarxCsv, WebHoneypot,
};
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
        if WebHoneypot::matches(t) {
            return Ok(lines(Format::WebHoneypotJson, WebHoneypot, false));
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
    if DshieldLog::matches(t) {
        return Ok(lines(Format::DshieldLog, DshieldLog, false));
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
    if AsDetails::matches(t) {
        return Ok(lines(Format::AsDetails, AsDetails, false));
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

/// The kind of a binary file named by its first bytes (magic numbers),
/// for formats lwrank never reads.
pub fn magic_kind(head: &[u8]) -> Option<&'static str> {
    const KINDS: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"PK\x03\x04", "a ZIP archive"),
        (b"PK\x05\x06", "an empty ZIP archive"),
        (b"\x7fELF", "an ELF executable"),
        (b"%PDF-", "a PDF document"),
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"BZh", "bzip2 data (decompress it first)"),
        (b"\xfd7zXZ\x00", "xz data (decompress it first)"),
        (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
        (b"\x28\xb5\x2f\xfd", "zstd data (decompress it first)"),
    ];
    KINDS.iter().find(|(m, _)| head.starts_with(m)).map(|(_, k)| *k)
}

/// Whether a sample of the content is binary rather than text: a NUL
/// byte, more than one control byte in eight, or more than one byte in
/// ten that is a control byte or not part of valid UTF-8.
pub fn looks_binary(sample: &[u8]) -> bool {
    if sample.is_empty() {
        return false;
    }
    let control = sample
        .iter()
        .filter(|&&b| {
            b == 0x7f
                || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        })
        .count();
    // A sample cut inside a character ends in at most three such bytes.
    let invalid: usize = sample.utf8_chunks().map(|c| c.invalid().len()).sum();
    sample.contains(&0)
        || control * 8 > sample.len()
        || (control + invalid) * 10 > sample.len()
}

/// One sentence for binary content: its kind when the magic bytes name
/// it, and its first bytes in hex.
pub fn binary_reason(sample: &[u8]) -> String {
    let hex: Vec<String> =
        sample.iter().take(8).map(|b| format!("{b:02X}")).collect();
    let more = if sample.len() > 8 { " …" } else { "" };
    let kind = magic_kind(sample).unwrap_or("binary data");
    format!("{kind}, not a text export (first bytes {}{more})", hex.join(" "))
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
        assert_eq!(
            format_of(
                b"109.230.148.140\t85\t56\t\t2015-12-22\t2015-12-22 11:09:07"
            ),
            Some(Format::AsDetails)
        );
        assert_eq!(
            format_of(b"2013-03-03 22:20:36 +00:00\t0\t1\t218.237.65.47\t33367\t10.0.0.1\t22\t6\tS"),
            Some(Format::DshieldLog)
        );
        assert_eq!(
            format_of(br#"{"time":"2023-11-05T00:32:02Z","sip":"1.2.3.4","dip":"10.0.0.1","url":"/"}"#),
            Some(Format::WebHoneypotJson)
        );
    }

    #[test]
    fn binary_sentences() {
        assert_eq!(
            binary_reason(b"\x7fELF\x02\x01\x01\x00\x00\x00"),
            "an ELF executable, not a text export (first bytes 7F 45 4C 46 02 \
             01 01 00 …)"
        );
        assert!(looks_binary(b"ab\x00cd"));
        assert!(looks_binary(&[0x01, 0x02, 0x03, b'a', b'b']));
        assert!(!looks_binary("Grüße, 1.2.3.4\tx".as_bytes()));
        assert!(binary_reason(&[1, 2, 3]).starts_with("binary data,"));
        // One byte in five not UTF-8, no NUL: binary; one in 33: text.
        let mut mixed = b"abcdefghijklmnopqrstuvwxyzabcdef".to_vec();
        mixed.extend([0xff; 8]);
        assert!(looks_binary(&mixed));
        assert!(!looks_binary(&mixed[..33]));
        let latin1 = b"# Stra\xdfe M\xfcnchen, 1.2.3.4,2020-02-01\n";
        assert!(!looks_binary(latin1));
        // Control bytes and invalid UTF-8 count together.
        let mut both = vec![b'a'; 100];
        both[..6].copy_from_slice(&[0x01, 0x02, 0x03, 0x04, 0x05, 0x06]);
        assert!(!looks_binary(&both));
        both[50..55].copy_from_slice(&[0xfe; 5]);
        assert!(looks_binary(&both));
        // Cyrillic cut inside a character at the sample's end is text.
        let cut = "кириллица".repeat(5);
        assert!(!looks_binary(&cut.as_bytes()[..89]));
        assert!(!looks_binary(b"src,date\n"));
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
