//! Generic headed CSV/TSV read through a [`ColumnMap`], or auto-mapped
//! when the header has an obvious source-IP and date column.

use super::detect::LineFormat;
use super::sink::Sink;
use super::text::{
    parse_port, parse_proto, parse_u32, source_ip, timestamp_day, trim,
    BAD_COUNT, BAD_DATE, BAD_PORT, BAD_PROTO, MISSING,
};
use super::ColumnMap;
use crate::event::proto;

/// Header names taken as the source column, best first.
const SOURCE_NAMES: &[&str] = &[
    "src",
    "srcip",
    "sourceip",
    "source",
    "sip",
    "srcaddr",
    "saddr",
    "ip",
    "ipaddress",
    "ipaddr",
    "ipv4",
    "clientip",
    "remoteip",
    "attackerip",
];
/// Header names taken as the date column, best first.
const DATE_NAMES: &[&str] = &[
    "date",
    "datetime",
    "timestamp",
    "time",
    "ts",
    "day",
    "eventtime",
    "lastseen",
    "firstseen",
];
/// Header names taken as the destination port column.
const PORT_NAMES: &[&str] = &[
    "dpt",
    "dport",
    "dstport",
    "destport",
    "destinationport",
    "targetport",
    "port",
];
/// Header names taken as the protocol column.
const PROTO_NAMES: &[&str] = &["proto", "protocol"];
/// Header names taken as the count column.
const COUNT_NAMES: &[&str] =
    &["count", "reports", "records", "attacks", "hits", "packets", "weight"];

/// The field separator of a header line: tab, semicolon or comma.
pub fn separator(header: &[u8]) -> Option<u8> {
    [b'\t', b';', b',']
        .into_iter()
        .find(|&s| memchr::memchr(s, header).is_some())
}

/// Splits one CSV line, removing the quotes around quoted fields.
fn fields(line: &[u8], sep: u8) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, &b) in line.iter().enumerate() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == sep && !quoted {
            out.push(unquote(&line[start..i]));
            start = i + 1;
        }
    }
    out.push(unquote(&line[start..]));
    out
}

fn unquote(f: &[u8]) -> &[u8] {
    let f = trim(f);
    if f.len() >= 2 && f[0] == b'"' && f[f.len() - 1] == b'"' {
        &f[1..f.len() - 1]
    } else {
        f
    }
}

/// Lowercase with only letters and digits, for matching header names.
fn normal(name: &[u8]) -> String {
    name.iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(|b| char::from(b.to_ascii_lowercase()))
        .collect()
}

/// Whether a line could be a CSV header: separated, no address in it.
pub fn looks_like_header(line: &[u8]) -> bool {
    let Some(sep) = separator(line) else {
        return false;
    };
    let cols = fields(line, sep);
    cols.len() >= 2
        && cols.iter().all(|c| {
            crate::ip::parse_ipv4_bytes(c).is_none()
                && c.first()
                    .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
        })
}

/// Column indexes resolved from the header.
pub struct GenericCsv {
    sep: u8,
    source: usize,
    date: usize,
    port: Option<usize>,
    proto: Option<usize>,
    count: Option<usize>,
}

impl GenericCsv {
    /// Builds the reader from a header and an optional map; the error is
    /// the one sentence for `NotRecognised`.
    pub fn from_header(
        header: &[u8],
        map: Option<&ColumnMap>,
    ) -> Result<GenericCsv, String> {
        let sep = separator(header).unwrap_or(b',');
        let names: Vec<String> =
            fields(header, sep).iter().map(|n| normal(n)).collect();
        let listed = fields(header, sep)
            .iter()
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .collect::<Vec<_>>()
            .join(", ");
        let find = |wanted: &str| {
            names.iter().position(|n| *n == normal(wanted.as_bytes()))
        };
        let guess = |cands: &[&str]| cands.iter().find_map(|c| find(c));
        let need = |wanted: &str| {
            find(wanted).ok_or_else(|| {
                format!("column {wanted:?} of the column map is not in the header ({listed})")
            })
        };
        match map {
            Some(m) => {
                let opt =
                    |c: &Option<String>| c.as_deref().map(need).transpose();
                Ok(GenericCsv {
                    sep,
                    source: need(&m.source)?,
                    date: need(&m.date_or_timestamp)?,
                    port: opt(&m.port)?,
                    proto: opt(&m.protocol)?,
                    count: opt(&m.count)?,
                })
            }
            None => match (guess(SOURCE_NAMES), guess(DATE_NAMES)) {
                (Some(source), Some(date)) => Ok(GenericCsv {
                    sep,
                    source,
                    date,
                    port: guess(PORT_NAMES),
                    proto: guess(PROTO_NAMES),
                    count: guess(COUNT_NAMES),
                }),
                _ => Err(format!(
                    "a CSV with columns {listed}; map its source-IP column \
                     and its date or timestamp column to read it"
                )),
            },
        }
    }
}

impl LineFormat for GenericCsv {
    fn line(&mut self, no: u64, line: &[u8], sink: &mut Sink) {
        let f = fields(line, self.sep);
        let get = |i: usize| f.get(i).copied();
        let (Some(src), Some(date)) = (get(self.source), get(self.date)) else {
            return sink.skip(MISSING, no, line);
        };
        let src = match parse_u32(src) {
            Some(n) => n,
            None => match source_ip(src) {
                Ok(ip) => ip,
                Err(reason) => return sink.skip(reason, no, line),
            },
        };
        let Some(day) = timestamp_day(date) else {
            return sink.skip(BAD_DATE, no, line);
        };
        let pr = match self.proto.map(|i| get(i).unwrap_or(b"")) {
            None => proto::ANY,
            Some(b"") => proto::ANY,
            Some(p) => match parse_proto(p) {
                Some(p) => p,
                None => return sink.skip(BAD_PROTO, no, line),
            },
        };
        let port = match self.port.map(|i| get(i).unwrap_or(b"")) {
            None => 0,
            Some(b"") => 0,
            Some(p) => match parse_port(p) {
                Some(p) => p,
                None => return sink.skip(BAD_PORT, no, line),
            },
        };
        let weight = match self.count.map(|i| get(i).unwrap_or(b"")) {
            None | Some(b"") => 1,
            Some(c) => match parse_u32(c) {
                Some(c) => c.max(1),
                None => return sink.skip(BAD_COUNT, no, line),
            },
        };
        sink.keep(day, src, 32, pr, port, weight);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn auto_map_and_refusal() {
        let g = GenericCsv::from_header(b"Timestamp,Src IP,Dst Port", None)
            .unwrap();
        assert_eq!((g.source, g.date, g.port), (1, 0, Some(2)));
        let e = GenericCsv::from_header(b"a,b,c", None).err().unwrap();
        assert!(e.contains("a, b, c"), "{e}");
        assert_eq!(
            fields(b"1,\"x, y\",3", b','),
            vec![&b"1"[..], b"x, y", b"3"]
        );
    }
}
