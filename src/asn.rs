//! IP-to-ASN lookup: a sorted table of disjoint address ranges.
//!
//! This module owns the [`AsnTable`]: loading it from the three common
//! text formats, resolving overlaps, a compact packed form for the web app,
//! and the lookup itself. It does not decide what an address without an
//! ASN means for ranking; [`crate::rank`] gives such addresses (and bogons)
//! pseudo-ASNs of their own.
//!
//! Text formats, detected from the first data line:
//!
//! - ip-location-db CSV: `range_start,range_end,asn,organisation`, ends
//!   inclusive, the organisation double-quoted when it holds a comma.
//! - iptoasn `ip2asn-v4.tsv`: `range_start<TAB>range_end<TAB>AS_number<TAB>
//!   country_code<TAB>AS_description`; AS 0 means "not routed" and the row
//!   is skipped (counted).
//! - RouteViews pfx2as: `prefix<TAB>length<TAB>asn`, where the origin may be
//!   a multi-origin set (`1234_5678`) or an AS-set (`{1234,5678}`); the
//!   first ASN is taken.
//!
//! Either may be gzip-compressed (detected by the magic bytes). Bad rows
//! are skipped and counted in a [`LoadReport`]; loading never panics.
//! Binary content (judged after decompression, as ingest judges exports)
//! is refused with one sentence naming its kind and first bytes.
//!
//! Overlaps: a lookup must be a longest-prefix match. For a range table
//! that means the most specific (shortest) range covering an address wins,
//! so at load the ranges are cut into disjoint pieces, each owned by the
//! shortest input range covering it. The ip-location-db table of
//! 2026-06-17 has one overlapping pair (214.95.0.0-215.0.255.255 AS749 and
//! 215.0.0.0-215.1.3.255 AS721); after the cut 215.0.0.0/16 belongs to
//! AS721 and the row count is unchanged.

use std::collections::HashMap;
use std::io::{Read, Write};

use flate2::read::{DeflateDecoder, MultiGzDecoder};
use flate2::write::DeflateEncoder;
use flate2::Compression;

use crate::ingest::{binary_reason, looks_binary, magic_kind};
use crate::ip::{parse_ipv4_bytes, prefix_mask};

/// Magic bytes opening the packed form (version 1).
const PACKED_MAGIC: &[u8; 6] = b"LWASN\x01";

/// Errors from loading an ASN table.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AsnError {
    /// The gzip stream could not be decompressed.
    #[error("bad gzip data: {0}")]
    Gzip(String),
    /// No line looked like any supported format.
    #[error("unrecognised asn table format: {0}")]
    UnknownFormat(String),
    /// The file was recognised but no row could be used.
    #[error("no usable rows among {rows} rows")]
    NoRows {
        /// Number of data rows read.
        rows: u64,
    },
    /// The packed form is damaged or of another version.
    #[error("bad packed asn table: {0}")]
    Packed(String),
    /// The (decompressed) content is binary, not a text table; the
    /// sentence names its kind and first bytes.
    #[error("{0}")]
    Binary(String),
}

/// A load error with the first refused row as `(line, reason)`, if any.
pub type ExplainedError = (AsnError, Option<(u64, String)>);

/// The text format a table was loaded from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AsnFormat {
    /// ip-location-db `asn-ipv4.csv`.
    IpLocationDbCsv,
    /// iptoasn `ip2asn-v4.tsv`.
    IpToAsnTsv,
    /// RouteViews prefix-to-AS (`pfx2as`).
    RouteViewsPfx2As,
}

/// What happened to the rows of a loaded file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadReport {
    /// The detected format.
    pub format: AsnFormat,
    /// Data rows read (comments and blank lines excluded).
    pub rows: u64,
    /// Rows kept.
    pub kept: u64,
    /// Skipped rows per reason: (reason, count, first line number).
    pub skipped: Vec<(String, u64, u64)>,
    /// Input ranges that overlapped another and were cut.
    pub overlapping: u64,
}

impl LoadReport {
    fn skip(&mut self, reason: &str, line: u64) {
        if let Some(entry) = self.skipped.iter_mut().find(|s| s.0 == reason) {
            entry.1 += 1;
        } else {
            self.skipped.push((reason.to_string(), 1, line));
        }
    }
}

/// An IP-to-ASN range table with organisation names.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct AsnTable {
    starts: Vec<u32>,
    ends: Vec<u32>,
    asns: Vec<u32>,
    /// ASNs that have a name, sorted.
    name_asns: Vec<u32>,
    /// End offset in `name_text` of each name.
    name_ends: Vec<u32>,
    name_text: String,
    /// The date the table was built, e.g. `2026-06-17`, if known.
    pub built: Option<String>,
}

impl std::fmt::Debug for AsnTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsnTable")
            .field("ranges", &self.starts.len())
            .field("names", &self.name_asns.len())
            .field("built", &self.built)
            .finish()
    }
}

impl AsnTable {
    /// Builds a table from `(start, end_inclusive, asn, name)` rows, cutting
    /// overlaps so the shortest covering range wins.
    pub fn from_rows<'a>(
        rows: impl IntoIterator<Item = (u32, u32, u32, &'a str)>,
    ) -> AsnTable {
        let mut ranges = Vec::new();
        let mut names = HashMap::new();
        for (start, end, asn, name) in rows {
            if start <= end {
                ranges.push((start, end, asn));
                if !name.is_empty() {
                    names.entry(asn).or_insert_with(|| name.to_string());
                }
            }
        }
        let (table, _) = assemble(ranges, names);
        table
    }

    /// Loads a table from text (ip-location-db CSV, iptoasn TSV or
    /// RouteViews pfx2as), gzip-compressed or not.
    pub fn from_csv(bytes: &[u8]) -> Result<(AsnTable, LoadReport), AsnError> {
        let plain;
        let text = if bytes.starts_with(&[0x1f, 0x8b]) {
            let mut out = Vec::new();
            MultiGzDecoder::new(bytes)
                .read_to_end(&mut out)
                .map_err(|e| AsnError::Gzip(e.to_string()))?;
            plain = out;
            &plain[..]
        } else {
            bytes
        };
        parse_text(text)
    }

    /// Like [`AsnTable::from_csv`], but a failure also carries the first
    /// refused row as `(line, reason)` when rows were read and none kept.
    pub fn from_csv_explained(
        bytes: &[u8],
    ) -> Result<(AsnTable, LoadReport), ExplainedError> {
        let plain;
        let text = if bytes.starts_with(&[0x1f, 0x8b]) {
            let mut out = Vec::new();
            MultiGzDecoder::new(bytes)
                .read_to_end(&mut out)
                .map_err(|e| (AsnError::Gzip(e.to_string()), None))?;
            plain = out;
            &plain[..]
        } else {
            bytes
        };
        parse_text_full(text).map_err(|(e, report)| {
            let first = report.and_then(|r| {
                r.skipped.iter().min_by_key(|s| s.2).map(|s| (s.2, s.0.clone()))
            });
            (e, first)
        })
    }

    /// The ASN announcing `ip`, if any row covers it.
    pub fn lookup(&self, ip: u32) -> Option<u32> {
        let i = self.starts.partition_point(|&s| s <= ip).checked_sub(1)?;
        (self.ends[i] >= ip).then_some(self.asns[i])
    }

    /// The organisation name of `asn`, if the table has one.
    pub fn name(&self, asn: u32) -> Option<&str> {
        let i = self.name_asns.binary_search(&asn).ok()?;
        let start = if i == 0 { 0 } else { self.name_ends[i - 1] as usize };
        self.name_text.get(start..self.name_ends[i] as usize)
    }

    /// Number of disjoint ranges.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether the table has no range.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Number of ASNs with a name.
    pub fn name_count(&self) -> usize {
        self.name_asns.len()
    }

    /// The ranges `(start, end_inclusive, asn)`, sorted and disjoint.
    pub fn ranges(&self) -> impl Iterator<Item = (u32, u32, u32)> + '_ {
        self.starts
            .iter()
            .zip(&self.ends)
            .zip(&self.asns)
            .map(|((&s, &e), &a)| (s, e, a))
    }

    /// Number of addresses covered by some range.
    pub fn coverage(&self) -> u64 {
        self.ranges().map(|(s, e, _)| u64::from(e - s) + 1).sum()
    }

    /// The compact binary form: magic, then a deflate stream of
    /// varint-coded gaps, lengths and ASNs (column by column), then the
    /// names.
    pub fn to_packed(&self) -> Vec<u8> {
        let mut body = Vec::with_capacity(self.len() * 6);
        let built = self.built.as_deref().unwrap_or("");
        put_varint(&mut body, built.len() as u64);
        body.extend_from_slice(built.as_bytes());

        // Ranges, column by column so deflate sees similar bytes together.
        put_varint(&mut body, self.len() as u64);
        let mut next: u64 = 0;
        for (s, e, _) in self.ranges() {
            put_varint(&mut body, u64::from(s) - next);
            next = u64::from(e) + 1;
        }
        for (s, e, _) in self.ranges() {
            put_varint(&mut body, u64::from(e - s));
        }
        for &a in &self.asns {
            put_varint(&mut body, u64::from(a));
        }

        // Names: ASN deltas, byte lengths, then the text.
        put_varint(&mut body, self.name_asns.len() as u64);
        let mut prev = 0;
        for &a in &self.name_asns {
            put_varint(&mut body, u64::from(a - prev));
            prev = a;
        }
        let mut start = 0;
        for &end in &self.name_ends {
            put_varint(&mut body, u64::from(end - start));
            start = end;
        }
        body.extend_from_slice(self.name_text.as_bytes());

        let mut out = PACKED_MAGIC.to_vec();
        let mut enc = DeflateEncoder::new(&mut out, Compression::best());
        // Writing into a Vec cannot fail.
        let _ = enc.write_all(&body);
        let _ = enc.finish();
        out
    }

    /// Reads the form written by [`AsnTable::to_packed`].
    pub fn from_packed(bytes: &[u8]) -> Result<AsnTable, AsnError> {
        let rest = bytes
            .strip_prefix(PACKED_MAGIC)
            .ok_or_else(|| AsnError::Packed("missing magic LWASN v1".into()))?;
        let mut body = Vec::new();
        DeflateDecoder::new(rest)
            .read_to_end(&mut body)
            .map_err(|e| AsnError::Packed(format!("deflate: {e}")))?;
        decode_packed(&body)
    }
}

/// Decodes the inflated body of the packed form.
fn decode_packed(body: &[u8]) -> Result<AsnTable, AsnError> {
    let mut r = Reader { buf: body, pos: 0 };
    let built_len = r.len_of("built date")?;
    let built = std::str::from_utf8(r.bytes(built_len)?)
        .map_err(|_| AsnError::Packed("built date is not utf-8".into()))?;
    let built = (!built.is_empty()).then(|| built.to_string());

    // Ranges.
    let n = r.len_of("range count")?;
    let mut gaps = Vec::with_capacity(n);
    for _ in 0..n {
        gaps.push(r.varint()?);
    }
    let mut starts = Vec::with_capacity(n);
    let mut ends = Vec::with_capacity(n);
    let mut next: u64 = 0;
    for gap in gaps {
        // start_i = end_{i-1} + 1 + gap_i; end_i = start_i + length - 1.
        let start = next.saturating_add(gap);
        let end = start.saturating_add(r.varint()?);
        if end > u64::from(u32::MAX) {
            return Err(AsnError::Packed(format!("range end {end} past 2^32")));
        }
        starts.push(start as u32);
        ends.push(end as u32);
        next = end + 1;
    }
    let mut asns = Vec::with_capacity(n);
    for _ in 0..n {
        asns.push(r.u32("asn")?);
    }

    // Names.
    let m = r.len_of("name count")?;
    let mut name_asns = Vec::with_capacity(m);
    let mut prev: u32 = 0;
    for _ in 0..m {
        let a = prev
            .checked_add(r.u32("name asn")?)
            .ok_or_else(|| AsnError::Packed("name asn overflows".into()))?;
        name_asns.push(a);
        prev = a;
    }
    let mut name_ends = Vec::with_capacity(m);
    let mut total: u64 = 0;
    for _ in 0..m {
        total += r.varint()?;
        let end = u32::try_from(total).map_err(|_| {
            AsnError::Packed(format!("names too long: {total}"))
        })?;
        name_ends.push(end);
    }
    let text = r.bytes(total as usize)?;
    let name_text = String::from_utf8(text.to_vec())
        .map_err(|_| AsnError::Packed("names are not utf-8".into()))?;
    if r.pos != body.len() {
        return Err(AsnError::Packed(format!(
            "{} trailing bytes",
            body.len() - r.pos
        )));
    }
    Ok(AsnTable { starts, ends, asns, name_asns, name_ends, name_text, built })
}

/// A cursor over the inflated packed body.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn varint(&mut self) -> Result<u64, AsnError> {
        let mut value: u64 = 0;
        for shift in (0..64).step_by(7) {
            let byte = *self
                .buf
                .get(self.pos)
                .ok_or_else(|| AsnError::Packed("truncated varint".into()))?;
            self.pos += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(AsnError::Packed("varint longer than 64 bits".into()))
    }

    fn u32(&mut self, what: &str) -> Result<u32, AsnError> {
        let v = self.varint()?;
        u32::try_from(v)
            .map_err(|_| AsnError::Packed(format!("{what} {v} past 2^32")))
    }

    /// A count that must not exceed the bytes left (each item takes one).
    fn len_of(&mut self, what: &str) -> Result<usize, AsnError> {
        let v = self.varint()?;
        let left = (self.buf.len() - self.pos) as u64;
        if v > left {
            return Err(AsnError::Packed(format!(
                "{what} {v} exceeds the {left} bytes left"
            )));
        }
        Ok(v as usize)
    }

    fn bytes(&mut self, n: usize) -> Result<&[u8], AsnError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len());
        let end =
            end.ok_or_else(|| AsnError::Packed("truncated bytes".into()))?;
        let out = &self.buf[self.pos..end];
        self.pos = end;
        Ok(out)
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Parses decompressed text in any supported format.
fn parse_text(text: &[u8]) -> Result<(AsnTable, LoadReport), AsnError> {
    parse_text_full(text).map_err(|(e, _)| e)
}

/// [`parse_text`], keeping the report of a file whose rows all failed.
fn parse_text_full(
    text: &[u8],
) -> Result<(AsnTable, LoadReport), (AsnError, Option<LoadReport>)> {
    let format = detect(text).map_err(|e| (e, None))?;
    let mut report = LoadReport {
        format,
        rows: 0,
        kept: 0,
        skipped: Vec::new(),
        overlapping: 0,
    };
    let mut ranges = Vec::new();
    let mut names: HashMap<u32, String> = HashMap::new();
    for (i, line) in text.split(|&b| b == b'\n').enumerate() {
        let line_no = i as u64 + 1;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() || line[0] == b'#' {
            continue;
        }
        report.rows += 1;
        let row = match format {
            AsnFormat::IpLocationDbCsv => parse_csv_row(line),
            AsnFormat::IpToAsnTsv => parse_iptoasn_row(line),
            AsnFormat::RouteViewsPfx2As => parse_pfx2as_row(line),
        };
        match row {
            Ok((start, end, asn, name)) => {
                report.kept += 1;
                ranges.push((start, end, asn));
                if let Some(name) = name.filter(|n| !n.is_empty()) {
                    names.entry(asn).or_insert(name);
                }
            }
            Err(reason) => report.skip(reason, line_no),
        }
    }
    if ranges.is_empty() {
        return Err((AsnError::NoRows { rows: report.rows }, Some(report)));
    }
    let (table, overlapping) = assemble(ranges, names);
    report.overlapping = overlapping;
    log::debug!(
        "asn table: {format:?}, {} rows, {} kept, {} ranges, {} overlapping",
        report.rows,
        report.kept,
        table.len(),
        overlapping
    );
    Ok((table, report))
}

/// Bytes of content judged binary or text before the format is sought.
const BINARY_SAMPLE: usize = 512;

/// Finds the format from the first data line, refusing binary content.
fn detect(text: &[u8]) -> Result<AsnFormat, AsnError> {
    let sample = &text[..text.len().min(BINARY_SAMPLE)];
    if magic_kind(sample).is_some() || looks_binary(sample) {
        return Err(AsnError::Binary(binary_reason(sample)));
    }
    let line = text
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .find(|l| !l.is_empty() && l[0] != b'#')
        .ok_or_else(|| AsnError::UnknownFormat("no data line".into()))?;
    let shown = String::from_utf8_lossy(&line[..line.len().min(60)]);
    if line.contains(&b'\t') {
        let fields: Vec<&[u8]> = line.split(|&b| b == b'\t').collect();
        let short_len =
            std::str::from_utf8(fields.get(1).copied().unwrap_or(b""))
                .ok()
                .and_then(|s| s.parse::<u8>().ok())
                .is_some_and(|l| l <= 32);
        if fields.len() == 3 && short_len {
            return Ok(AsnFormat::RouteViewsPfx2As);
        }
        if fields.len() >= 3 {
            return Ok(AsnFormat::IpToAsnTsv);
        }
    } else if line.contains(&b',') {
        return Ok(AsnFormat::IpLocationDbCsv);
    }
    Err(AsnError::UnknownFormat(format!("first data line {shown:?}")))
}

type Row = (u32, u32, u32, Option<String>);

/// An address as a dotted quad or a plain 32-bit integer.
fn parse_addr(field: &[u8]) -> Option<u32> {
    parse_ipv4_bytes(field).or_else(|| {
        std::str::from_utf8(field).ok().and_then(|s| s.parse::<u32>().ok())
    })
}

fn parse_u32(field: &[u8]) -> Option<u32> {
    std::str::from_utf8(field).ok()?.trim().parse().ok()
}

fn parse_csv_row(line: &[u8]) -> Result<Row, &'static str> {
    let mut parts = line.splitn(4, |&b| b == b',');
    let start = parts.next().and_then(parse_addr).ok_or("bad range start")?;
    let end = parts.next().and_then(parse_addr).ok_or("bad range end")?;
    let asn = parts.next().and_then(parse_u32).ok_or("bad asn")?;
    if end < start {
        return Err("range end before start");
    }
    let name = parts.next().map(unquote_csv);
    Ok((start, end, asn, name))
}

/// The organisation field: double quotes stripped, `""` unescaped.
fn unquote_csv(field: &[u8]) -> String {
    let text = String::from_utf8_lossy(field);
    match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => text.into_owned(),
    }
}

fn parse_iptoasn_row(line: &[u8]) -> Result<Row, &'static str> {
    let fields: Vec<&[u8]> = line.split(|&b| b == b'\t').collect();
    if fields.len() < 3 {
        return Err("fewer than 3 fields");
    }
    let start = parse_addr(fields[0]).ok_or("bad range start")?;
    let end = parse_addr(fields[1]).ok_or("bad range end")?;
    let asn = parse_u32(fields[2]).ok_or("bad asn")?;
    if end < start {
        return Err("range end before start");
    }
    if asn == 0 {
        return Err("not routed (AS 0)");
    }
    let name = fields.get(4).map(|f| String::from_utf8_lossy(f).into_owned());
    Ok((start, end, asn, name))
}

fn parse_pfx2as_row(line: &[u8]) -> Result<Row, &'static str> {
    let fields: Vec<&[u8]> = line.split(|&b| b == b'\t').collect();
    if fields.len() != 3 {
        return Err("not 3 fields");
    }
    let net = parse_ipv4_bytes(fields[0]).ok_or("bad prefix")?;
    let len =
        parse_u32(fields[1]).filter(|&l| l <= 32).ok_or("bad prefix length")?;
    // Multi-origin `1234_5678` or AS-set `{1234,5678}`: take the first.
    let origin = fields[2].strip_prefix(b"{").unwrap_or(fields[2]);
    let first = origin
        .split(|&b| b == b'_' || b == b',' || b == b'}')
        .next()
        .and_then(parse_u32)
        .ok_or("bad origin asn")?;
    let mask = prefix_mask(len as u8);
    if net & !mask != 0 {
        return Err("host bits set in prefix");
    }
    Ok((net, net | !mask, first, None))
}

/// Cuts overlapping ranges so that the shortest covering range owns each
/// address, and packs the names. Returns the table and the number of input
/// ranges that overlapped another.
fn assemble(
    mut ranges: Vec<(u32, u32, u32)>,
    names: HashMap<u32, String>,
) -> (AsnTable, u64) {
    ranges.sort_unstable();
    ranges.dedup();
    let overlapping =
        ranges.windows(2).filter(|w| w[1].0 <= w[0].1).count() as u64;
    let disjoint =
        if overlapping == 0 { ranges } else { cut_overlaps(&ranges) };

    let mut table = AsnTable::default();
    for (s, e, a) in disjoint {
        table.starts.push(s);
        table.ends.push(e);
        table.asns.push(a);
    }
    let mut named: Vec<(u32, String)> = names.into_iter().collect();
    named.sort_unstable_by_key(|(a, _)| *a);
    for (asn, name) in named {
        table.name_text.push_str(&name);
        table.name_asns.push(asn);
        table.name_ends.push(table.name_text.len() as u32);
    }
    (table, overlapping)
}

/// The sweep behind [`assemble`] for tables with overlaps: between
/// consecutive boundaries the shortest active range wins; adjacent pieces
/// won by the same input range are merged again.
fn cut_overlaps(ranges: &[(u32, u32, u32)]) -> Vec<(u32, u32, u32)> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    let mut bounds: Vec<u64> = ranges
        .iter()
        .flat_map(|&(s, e, _)| [u64::from(s), u64::from(e) + 1])
        .collect();
    bounds.sort_unstable();
    bounds.dedup();

    let mut out: Vec<(u32, u32, u32)> = Vec::with_capacity(ranges.len());
    let mut last_owner = usize::MAX;
    let mut heap: BinaryHeap<Reverse<(u32, usize)>> = BinaryHeap::new();
    let mut next = 0;
    for w in bounds.windows(2) {
        let (lo, hi) = (w[0], w[1] - 1);
        while next < ranges.len() && u64::from(ranges[next].0) == lo {
            let (s, e, _) = ranges[next];
            heap.push(Reverse((e - s, next)));
            next += 1;
        }
        while heap.peek().is_some_and(|r| u64::from(ranges[r.0 .1].1) < lo) {
            heap.pop();
        }
        let Some(&Reverse((_, owner))) = heap.peek() else {
            last_owner = usize::MAX;
            continue;
        };
        match out.last_mut() {
            Some(piece) if owner == last_owner => piece.1 = hi as u32,
            _ => out.push((lo as u32, hi as u32, ranges[owner].2)),
        }
        last_owner = owner;
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::ip::parse_ipv4;

    fn ip(s: &str) -> u32 {
        parse_ipv4(s).unwrap()
    }

    #[test]
    fn csv_quoted_names_and_lookup() {
        let text = b"1.0.0.0,1.0.0.255,13335,\"Cloudflare, Inc.\"\n\
1.0.4.0,1.0.7.255,38803,Gtelecom Pty Ltd\n";
        let (t, rep) = AsnTable::from_csv(text).unwrap();
        assert_eq!(rep.format, AsnFormat::IpLocationDbCsv);
        assert_eq!((rep.rows, rep.kept), (2, 2));
        assert_eq!(t.lookup(ip("1.0.0.1")), Some(13335));
        assert_eq!(t.lookup(ip("1.0.1.0")), None);
        assert_eq!(t.lookup(ip("1.0.7.255")), Some(38803));
        assert_eq!(t.lookup(ip("1.0.8.0")), None);
        assert_eq!(t.lookup(0), None);
        assert_eq!(t.name(13335), Some("Cloudflare, Inc."));
        assert_eq!(t.name(38803), Some("Gtelecom Pty Ltd"));
        assert_eq!(t.name(1), None);
    }

    #[test]
    fn bad_rows_are_counted_not_fatal() {
        let text = b"1.0.0.0,1.0.0.255,13335,A\n\
1.0.1.0,1.0.0.0,5,backwards\n\
1.0.2.x,1.0.2.255,5,bad\n\
1.0.3.0,1.0.3.255,notanumber,bad\n\
1.0.4.0,1.0.4.255,6,B\n";
        let (t, rep) = AsnTable::from_csv(text).unwrap();
        assert_eq!((rep.rows, rep.kept, t.len()), (5, 2, 2));
        assert_eq!(
            rep.skipped,
            vec![
                ("range end before start".to_string(), 1, 2),
                ("bad range start".to_string(), 1, 3),
                ("bad asn".to_string(), 1, 4),
            ]
        );
    }

    #[test]
    fn overlaps_cut_shortest_wins() {
        let t = AsnTable::from_rows([
            (ip("10.0.0.0"), ip("10.255.255.255"), 1, "outer"),
            (ip("10.1.0.0"), ip("10.1.255.255"), 2, "inner"),
            (ip("10.1.2.0"), ip("10.1.2.255"), 3, "innermost"),
        ]);
        let got: Vec<_> = t.ranges().collect();
        assert_eq!(
            got,
            vec![
                (ip("10.0.0.0"), ip("10.0.255.255"), 1),
                (ip("10.1.0.0"), ip("10.1.1.255"), 2),
                (ip("10.1.2.0"), ip("10.1.2.255"), 3),
                (ip("10.1.3.0"), ip("10.1.255.255"), 2),
                (ip("10.2.0.0"), ip("10.255.255.255"), 1),
            ]
        );
    }

    #[test]
    fn iptoasn_and_pfx2as() {
        let tsv = b"1.0.0.0\t1.0.0.255\t13335\tUS\tCLOUDFLARENET\n\
1.0.1.0\t1.0.3.255\t0\tNone\tNot routed\n";
        let (t, rep) = AsnTable::from_csv(tsv).unwrap();
        assert_eq!(rep.format, AsnFormat::IpToAsnTsv);
        assert_eq!(rep.skipped, vec![("not routed (AS 0)".into(), 1, 2)]);
        assert_eq!(t.lookup(ip("1.0.0.9")), Some(13335));
        assert_eq!(t.lookup(ip("1.0.2.0")), None);
        assert_eq!(t.name(13335), Some("CLOUDFLARENET"));

        let pfx = b"1.0.0.0\t24\t13335\n1.0.4.0\t22\t38803_56203\n\
1.0.64.0\t18\t{18144,7670}\n1.0.0.1\t24\t5\n";
        let (t, rep) = AsnTable::from_csv(pfx).unwrap();
        assert_eq!(rep.format, AsnFormat::RouteViewsPfx2As);
        assert_eq!(rep.skipped, vec![("host bits set in prefix".into(), 1, 4)]);
        assert_eq!(t.lookup(ip("1.0.7.255")), Some(38803));
        assert_eq!(t.lookup(ip("1.0.127.1")), Some(18144));
        assert_eq!(t.lookup(ip("1.0.128.0")), None);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(matches!(
            AsnTable::from_csv(b"hello world\n"),
            Err(AsnError::UnknownFormat(_))
        ));
        assert_eq!(
            AsnTable::from_csv(b"a,b,c\n"),
            Err(AsnError::NoRows { rows: 1 })
        );
        assert!(AsnTable::from_csv(&[0x1f, 0x8b, 0, 1]).is_err());
        let mut elf = b"\x7fELF\x02\x01\x01\x00".to_vec();
        elf.extend(b"1.0.0.0,1.0.0.255,13335,A\n");
        assert_eq!(
            AsnTable::from_csv(&elf),
            Err(AsnError::Binary(
                "an ELF executable, not a text export (first bytes 7F 45 4C \
                 46 02 01 01 00 …)"
                    .into()
            ))
        );
        // Inside gzip too; random-looking bytes without a magic number.
        let blob: Vec<u8> = (0..600u32).map(|i| (i * 37 % 256) as u8).collect();
        let mut enc =
            flate2::write::GzEncoder::new(Vec::new(), Compression::default());
        enc.write_all(&blob).unwrap();
        assert_eq!(
            AsnTable::from_csv(&enc.finish().unwrap()),
            Err(AsnError::Binary(
                "binary data, not a text export (first bytes 00 25 4A 6F 94 \
                 B9 DE 03 …)"
                    .into()
            ))
        );
        // Non-ASCII names are text.
        let (t, _) = AsnTable::from_csv(
            "1.0.0.0,1.0.0.255,7,\"Ümlaut Ñet\"\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(t.name(7), Some("Ümlaut Ñet"));
        for bad in [&b""[..], b"LWASN\x01", b"LWASN\x01\x00\x01\x02"] {
            assert!(AsnTable::from_packed(bad).is_err());
        }
    }

    #[test]
    fn packed_round_trip_small() {
        let mut t = AsnTable::from_rows([
            (0, 255, 7, "zero"),
            (ip("1.0.0.0"), ip("1.0.0.255"), 13335, "Cloudflare, Inc."),
            (ip("255.255.255.0"), u32::MAX, 4_200_000_000, "Tëst"),
        ]);
        t.built = Some("2026-06-17".into());
        let packed = t.to_packed();
        let back = AsnTable::from_packed(&packed).unwrap();
        assert_eq!(back, t);
        assert_eq!(back.lookup(u32::MAX), Some(4_200_000_000));
        assert_eq!(back.name(4_200_000_000), Some("Tëst"));
        // Every truncation fails cleanly.
        for cut in 0..packed.len() {
            assert!(AsnTable::from_packed(&packed[..cut]).is_err(), "{cut}");
        }
    }
}
