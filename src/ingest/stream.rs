//! The streaming front end: gzip by magic bytes, the content hash, line
//! assembly across chunk boundaries, comments and blanks, detection,
//! SQLite and binary content by their first bytes, and the report (with
//! its date warnings) at the end.

use super::detect::{
    binary_reason, detect, detect_empty, looks_binary, magic_kind, Context,
    Detected, DocKind, Header, LineFormat,
};
use super::document::Document;
use super::sink::Sink;
use super::sqlite;
use super::text::{day_from_name, trim};
use super::{FileReport, Format, IngestError, IngestOptions, Parsed};
use crate::event::{format_day, Day, Event};
use flate2::write::MultiGzDecoder;
use std::io::Write;

/// Longest line kept in the carry buffer; longer lines are skipped.
const MAX_LINE: usize = 1 << 20;
/// Longest prefix buffered while the format is still unknown.
const MAX_UNDETECTED: usize = 8 << 20;
/// Data lines looked at before giving up on detection.
const DETECT_LINES: usize = 3;
/// Skip reason for an over-long line.
const TOO_LONG: &str = "line too long";
/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";
/// Bytes of content judged binary or text: before lines are read (after
/// gzip), and when explaining why detection failed.
const SAMPLE: usize = 512;
/// Days without events between two dated parts that earn a warning.
const GAP_DAYS: Day = 60;
/// A first-to-last span (days) that earns a warning on its own.
const SPAN_DAYS: Day = 400;

/// FNV-1a over 64-bit little-endian words (then the tail bytes and the
/// length), independent of how the content is chunked.
struct WordHash {
    state: u64,
    tail: [u8; 8],
    tail_len: usize,
    len: u64,
}

const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

impl WordHash {
    fn new() -> WordHash {
        WordHash {
            state: 0xcbf2_9ce4_8422_2325,
            tail: [0; 8],
            tail_len: 0,
            len: 0,
        }
    }

    fn word(&mut self, w: [u8; 8]) {
        self.state =
            (self.state ^ u64::from_le_bytes(w)).wrapping_mul(FNV_PRIME);
    }

    fn update(&mut self, mut bytes: &[u8]) {
        self.len += bytes.len() as u64;
        if self.tail_len > 0 {
            let take = (8 - self.tail_len).min(bytes.len());
            self.tail[self.tail_len..self.tail_len + take]
                .copy_from_slice(&bytes[..take]);
            self.tail_len += take;
            bytes = &bytes[take..];
            if self.tail_len < 8 {
                return;
            }
            self.word(self.tail);
            self.tail_len = 0;
        }
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut a = [0u8; 8];
            a.copy_from_slice(w);
            self.word(a);
        }
        let rest = words.remainder();
        self.tail[..rest.len()].copy_from_slice(rest);
        self.tail_len = rest.len();
    }

    fn finish(&self) -> u64 {
        let mut h = self.state;
        for &b in &self.tail[..self.tail_len] {
            h = (h ^ u64::from(b)).wrapping_mul(FNV_PRIME);
        }
        (h ^ self.len).wrapping_mul(FNV_PRIME)
    }
}

enum Input {
    /// Fewer than two bytes seen: gzip or not is still open.
    Sniff(Vec<u8>),
    Plain,
    Gzip(Box<MultiGzDecoder<Vec<u8>>>),
}

enum Stage {
    /// Format unknown; `raw` keeps the content (for documents) unless it
    /// grew past [`MAX_UNDETECTED`].
    Detect {
        raw: Option<Vec<u8>>,
        pending: Vec<(u64, Vec<u8>)>,
    },
    Lines {
        format: Format,
        parser: Box<dyn LineFormat>,
    },
    Document {
        kind: DocKind,
        buf: Vec<u8>,
    },
    /// A SQLite database, buffered whole (it needs random access).
    Sqlite(Vec<u8>),
}

/// Reads one file chunk by chunk; see the module docs.
pub struct StreamParser {
    name: String,
    options: IngestOptions,
    input: Input,
    bytes_in: u64,
    hash: WordHash,
    carry: Vec<u8>,
    /// Dropping the rest of an over-long line.
    discarding: bool,
    line_no: u64,
    header: Header,
    stage: Stage,
    sink: Sink,
    /// The first decompressed bytes, until [`SAMPLE`] decide the kind.
    head: Vec<u8>,
    sniffed: bool,
    warnings: Vec<String>,
}

impl StreamParser {
    /// A parser for the file `name` (used for messages and dates).
    pub fn new(name: &str, options: IngestOptions) -> StreamParser {
        StreamParser {
            name: name.to_string(),
            options,
            input: Input::Sniff(Vec::new()),
            bytes_in: 0,
            hash: WordHash::new(),
            carry: Vec::new(),
            discarding: false,
            line_no: 0,
            header: Header::default(),
            stage: Stage::Detect { raw: Some(Vec::new()), pending: Vec::new() },
            sink: Sink::default(),
            head: Vec::new(),
            sniffed: false,
            warnings: Vec::new(),
        }
    }

    /// Bytes pushed so far (compressed size for gzip).
    pub fn bytes_in(&self) -> u64 {
        self.bytes_in
    }

    /// Feeds the next chunk; chunks may be cut anywhere.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), IngestError> {
        self.bytes_in += chunk.len() as u64;
        match &mut self.input {
            Input::Sniff(head) => {
                head.extend_from_slice(chunk);
                if head.len() < 2 {
                    return Ok(());
                }
                let head = std::mem::take(head);
                if head[..2] == [0x1f, 0x8b] {
                    self.input =
                        Input::Gzip(Box::new(MultiGzDecoder::new(Vec::new())));
                    self.gunzip(&head, false)
                } else {
                    self.input = Input::Plain;
                    self.content(&head)
                }
            }
            Input::Plain => self.content(chunk),
            Input::Gzip(_) => self.gunzip(chunk, false),
        }
    }

    fn corrupt(&self, e: &std::io::Error) -> IngestError {
        IngestError::Corrupt {
            file: self.name.clone(),
            reason: format!("gzip data is corrupt: {e}"),
        }
    }

    /// Decompresses `chunk` (and finishes the stream when `last`).
    fn gunzip(&mut self, chunk: &[u8], last: bool) -> Result<(), IngestError> {
        let Input::Gzip(dec) = &mut self.input else {
            return Ok(());
        };
        let result = dec.write_all(chunk).and_then(|()| {
            if last {
                dec.try_finish()
            } else {
                dec.flush()
            }
        });
        let out = std::mem::take(dec.get_mut());
        if let Err(e) = result {
            return Err(self.corrupt(&e));
        }
        self.content(&out)
    }

    /// Takes decompressed content.
    fn content(&mut self, bytes: &[u8]) -> Result<(), IngestError> {
        self.hash.update(bytes);
        if self.sniffed {
            return self.text(bytes);
        }
        self.head.extend_from_slice(bytes);
        if self.head.len() < SAMPLE {
            return Ok(());
        }
        self.sniff()
    }

    /// Decides from the first bytes: SQLite, a known binary kind, other
    /// binary content, or text (then reads them as text).
    fn sniff(&mut self) -> Result<(), IngestError> {
        self.sniffed = true;
        let head = std::mem::take(&mut self.head);
        if head.starts_with(sqlite::MAGIC) {
            self.stage = Stage::Sqlite(head);
            return Ok(());
        }
        let sample = &head[..head.len().min(SAMPLE)];
        if magic_kind(sample).is_some() || looks_binary(sample) {
            return Err(IngestError::NotRecognised {
                file: self.name.clone(),
                reason: binary_reason(&head),
            });
        }
        self.text(&head)
    }

    /// The error for content that failed detection, saying "binary" when
    /// the sample is binary.
    fn binary_or(&self, sample: &[u8], e: IngestError) -> IngestError {
        let sample = &sample[..sample.len().min(SAMPLE)];
        if looks_binary(sample) {
            IngestError::NotRecognised {
                file: self.name.clone(),
                reason: binary_reason(sample),
            }
        } else {
            e
        }
    }

    /// Takes text content, line by line.
    fn text(&mut self, bytes: &[u8]) -> Result<(), IngestError> {
        let mut rest = bytes;
        while !rest.is_empty() {
            if let Stage::Document { buf, .. } | Stage::Sqlite(buf) =
                &mut self.stage
            {
                buf.extend_from_slice(rest);
                self.carry.clear();
                break;
            }
            let Some(nl) = memchr::memchr(b'\n', rest) else {
                self.keep_raw(rest);
                self.append_carry(rest)?;
                break;
            };
            self.keep_raw(&rest[..=nl]);
            let line = &rest[..nl];
            rest = &rest[nl + 1..];
            if self.discarding {
                self.discarding = false;
            } else if self.carry.is_empty() {
                self.line(line)?;
            } else {
                let mut carry = std::mem::take(&mut self.carry);
                carry.extend_from_slice(line);
                let r = self.line(&carry);
                carry.clear();
                self.carry = carry;
                r?;
            }
        }
        Ok(())
    }

    /// While the format is unknown, keeps consumed content for a document.
    fn keep_raw(&mut self, part: &[u8]) {
        if let Stage::Detect { raw, .. } = &mut self.stage {
            if let Some(r) = raw {
                r.extend_from_slice(part);
                if r.len() > MAX_UNDETECTED {
                    *raw = None;
                }
            }
        }
    }

    /// Keeps a partial line, guarding against lines with no end.
    fn append_carry(&mut self, part: &[u8]) -> Result<(), IngestError> {
        if self.discarding {
            return Ok(());
        }
        self.carry.extend_from_slice(part);
        if self.carry.len() <= MAX_LINE {
            return Ok(());
        }
        if let Stage::Detect { raw, .. } = &mut self.stage {
            // A one-line JSON or XML document is longer than any line.
            let starts =
                trim(self.carry.strip_prefix(BOM).unwrap_or(&self.carry));
            let kind = match starts.first() {
                Some(b'{') | Some(b'[') => Some(DocKind::Json),
                Some(b'<') => Some(DocKind::Xml),
                _ => None,
            };
            if let (Some(kind), Some(r)) = (kind, raw.take()) {
                self.carry.clear();
                self.stage = Stage::Document { kind, buf: r };
                return Ok(());
            }
            let e = IngestError::NotRecognised {
                file: self.name.clone(),
                reason: "the first line is longer than 1 MiB".to_string(),
            };
            return Err(self.binary_or(&self.carry, e));
        }
        self.line_no += 1;
        let line = std::mem::take(&mut self.carry);
        self.sink.skip(TOO_LONG, self.line_no, &line[..120]);
        self.discarding = true;
        Ok(())
    }

    /// Handles one complete line (line end removed).
    fn line(&mut self, line: &[u8]) -> Result<(), IngestError> {
        self.line_no += 1;
        let mut line = line.strip_suffix(b"\r").unwrap_or(line);
        if self.line_no == 1 {
            line = line.strip_prefix(BOM).unwrap_or(line);
        }
        let t = trim(line);
        if t.is_empty() {
            return Ok(());
        }
        if t[0] == b'#' {
            if let Stage::Detect { .. } = self.stage {
                self.header.observe(t);
            }
            return Ok(());
        }
        let no = self.line_no;
        match &mut self.stage {
            Stage::Lines { parser, .. } => {
                parser.line(no, line, &mut self.sink);
                Ok(())
            }
            Stage::Document { .. } | Stage::Sqlite(_) => Ok(()),
            Stage::Detect { .. } => self.detect_line(no, line),
        }
    }

    fn detect_line(&mut self, no: u64, line: &[u8]) -> Result<(), IngestError> {
        let ctx = Context {
            name: &self.name,
            options: &self.options,
            header: &self.header,
        };
        let found = detect(line, &ctx).map_err(|e| self.binary_or(line, e))?;
        let Stage::Detect { raw, pending } = &mut self.stage else {
            return Ok(());
        };
        match found {
            Some(Detected::Lines { format, mut parser, title }) => {
                log::debug!(
                    "{}: detected {} at line {no}",
                    self.name,
                    format.name()
                );
                for (n, l) in pending.iter() {
                    parser.line(*n, l, &mut self.sink);
                }
                if !title {
                    parser.line(no, line, &mut self.sink);
                }
                self.stage = Stage::Lines { format, parser };
            }
            Some(Detected::Document(kind)) => {
                let Some(mut buf) = raw.take() else {
                    return Err(IngestError::NotRecognised {
                        file: self.name.clone(),
                        reason: "a document starts after more than 8 MiB"
                            .to_string(),
                    });
                };
                if buf.starts_with(BOM) {
                    buf.drain(..BOM.len());
                }
                self.stage = Stage::Document { kind, buf };
            }
            None => {
                pending.push((no, line.to_vec()));
                if pending.len() >= DETECT_LINES {
                    return Err(self.unknown());
                }
            }
        }
        Ok(())
    }

    fn unknown(&self) -> IngestError {
        let first = match &self.stage {
            Stage::Detect { pending, .. } => pending.first(),
            _ => None,
        };
        let reason = match first {
            Some((n, l)) => {
                let shown: String =
                    String::from_utf8_lossy(l).chars().take(60).collect();
                format!(
                    "line {n} ({shown:?}) is none of DShield daily_sources, \
                     block.txt, the per-ASN report or the log-submission \
                     format, a FireHOL list, ISC API JSON/XML/text, an \
                     iptables log, sensor, cowrie or web honeypot JSON, the \
                     marx CSV or a headed CSV"
                )
            }
            None => "the file has no data lines".to_string(),
        };
        let e = IngestError::NotRecognised { file: self.name.clone(), reason };
        let sample: Vec<u8> = match &self.stage {
            Stage::Detect { pending, .. } => pending
                .iter()
                .flat_map(|(_, l)| l.iter().copied().chain([b'\n']))
                .take(SAMPLE)
                .collect(),
            _ => Vec::new(),
        };
        self.binary_or(&sample, e)
    }

    /// Ends the input and returns the merged events with the report.
    pub fn finish(mut self) -> Result<Parsed, IngestError> {
        match std::mem::replace(&mut self.input, Input::Plain) {
            Input::Sniff(head) => self.content(&head)?,
            Input::Plain => {}
            Input::Gzip(dec) => {
                self.input = Input::Gzip(dec);
                self.gunzip(&[], true)?;
            }
        }
        if !self.sniffed {
            self.sniff()?;
        }
        if !self.carry.is_empty()
            && !matches!(self.stage, Stage::Document { .. } | Stage::Sqlite(_))
        {
            let carry = std::mem::take(&mut self.carry);
            self.line(&carry)?;
        }
        let format = match std::mem::replace(
            &mut self.stage,
            Stage::Detect { raw: None, pending: Vec::new() },
        ) {
            Stage::Lines { format, .. } => format,
            Stage::Document { kind, buf } => self
                .document(kind, &buf)
                .map_err(|e| self.binary_or(&buf, e))?,
            Stage::Sqlite(buf) => {
                let warnings = sqlite::read_requests(&buf, &mut self.sink)
                    .map_err(|reason| IngestError::NotRecognised {
                        file: self.name.clone(),
                        reason,
                    })?;
                self.warnings.extend(warnings);
                Format::WebHoneypotSqlite
            }
            Stage::Detect { raw, pending } => {
                let empty = pending.is_empty();
                self.stage = Stage::Detect { raw, pending };
                match detect_empty(&self.header) {
                    Some(format) if empty => format,
                    _ => return Err(self.unknown()),
                }
            }
        };
        Ok(self.report(format))
    }

    fn document(
        &mut self,
        kind: DocKind,
        buf: &[u8],
    ) -> Result<Format, IngestError> {
        let parsed = match kind {
            DocKind::Json => Document::from_json(buf),
            DocKind::Xml => Document::from_xml(buf),
        };
        let doc = parsed.map_err(|reason| IngestError::Corrupt {
            file: self.name.clone(),
            reason,
        })?;
        let format = doc.format;
        if doc.len() == 0 {
            return Err(IngestError::NotRecognised {
                file: self.name.clone(),
                reason: format!(
                    "{} without source addresses (port and topports statistics \
                     hold counts only)",
                    format.name()
                ),
            });
        }
        let fallback = day_from_name(&self.name).or(self.options.default_day);
        if doc.needs_fallback() && fallback.is_none() {
            return Err(IngestError::MissingDate {
                file: self.name.clone(),
                reason: format!(
                    "{} records carry no date; put YYYY-MM-DD in the file name \
                     or give a default day",
                    format.name()
                ),
            });
        }
        doc.emit(fallback, &mut self.sink);
        Ok(format)
    }

    fn report(self, format: Format) -> Parsed {
        let (first_day, last_day) = self.sink.day_range();
        let (lines_read, events_kept) =
            (self.sink.lines_read, self.sink.events_kept);
        let content_hash = self.hash.finish();
        let (events, skipped) = self.sink.into_parts();
        let mut warnings = self.warnings;
        warnings.extend(date_warnings(&events));
        log::debug!(
            "{}: {} lines, {events_kept} kept, {} merged events",
            self.name,
            lines_read,
            events.len()
        );
        Parsed {
            report: FileReport {
                name: self.name,
                format,
                first_day,
                last_day,
                lines_read,
                events_kept,
                skipped,
                content_hash,
                warnings,
            },
            events,
        }
    }
}

/// Warnings about dates: the widest gap of more than [`GAP_DAYS`] days
/// without events, else a span over [`SPAN_DAYS`] days. `events` are
/// sorted by day.
pub fn date_warnings(events: &[Event]) -> Vec<String> {
    let (Some(first), Some(last)) = (events.first(), events.last()) else {
        return Vec::new();
    };
    let gap = events
        .windows(2)
        .enumerate()
        .map(|(i, w)| (w[1].day - w[0].day, i + 1))
        .max_by_key(|&(g, i)| (g, std::cmp::Reverse(i)));
    if let Some((days, split)) = gap.filter(|&(g, _)| g > GAP_DAYS) {
        let (before, after) = (&events[..split], &events[split..]);
        return vec![format!(
            "dates jump from {} to {} ({} days without events): {} of {} \
             events lie before the jump, from {}; check the clock or the file",
            format_day(before[before.len() - 1].day),
            format_day(after[0].day),
            days - 1,
            before.len(),
            events.len(),
            format_day(first.day),
        )];
    }
    let span = last.day - first.day;
    if span > SPAN_DAYS {
        return vec![format!(
            "dates span {} days ({} to {}), long for one export",
            span + 1,
            format_day(first.day),
            format_day(last.day)
        )];
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn ev(day: Day) -> Event {
        Event { day, src: 1, prefix_len: 32, proto: 6, port: 22, weight: 1 }
    }

    #[test]
    fn date_gaps_and_spans() {
        let d = crate::event::day_from_ymd(2016, 8, 29).unwrap();
        assert!(date_warnings(&[ev(d), ev(d + 30), ev(d + 60)]).is_empty());
        let w = date_warnings(&[ev(0), ev(d), ev(d + 1)]);
        assert_eq!(
            w,
            ["dates jump from 1970-01-01 to 2016-08-29 (17041 days without \
              events): 1 of 3 events lie before the jump, from 1970-01-01; \
              check the clock or the file"]
        );
        let steps: Vec<Event> = (0..10).map(|i| ev(d + 50 * i)).collect();
        assert_eq!(
            date_warnings(&steps),
            ["dates span 451 days (2016-08-29 to 2017-11-22), long for one \
              export"]
        );
    }

    #[test]
    fn hash_ignores_chunking() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut whole = WordHash::new();
        whole.update(&data);
        for size in [1, 3, 8, 13] {
            let mut h = WordHash::new();
            data.chunks(size).for_each(|c| h.update(c));
            assert_eq!(h.finish(), whole.finish(), "chunk {size}");
        }
        let mut other = WordHash::new();
        other.update(&data[1..]);
        assert_ne!(other.finish(), whole.finish());
    }
}
