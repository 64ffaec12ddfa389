//! Byte-level helpers shared by the parsers: numbers, addresses, dates
//! and field splitting, all without allocating.

use crate::event::{day_from_unix, day_from_ymd, proto, ymd_from_day, Day};
use crate::ip::parse_ipv4_bytes;

/// Skip reason for an IPv6 source.
pub const IPV6: &str = "IPv6 source";
/// Skip reason for a source that is not an address.
pub const BAD_IP: &str = "malformed IP";
/// Skip reason for a date or timestamp that does not parse.
pub const BAD_DATE: &str = "bad date";
/// Skip reason for a line with too few fields or a missing key.
pub const MISSING: &str = "missing field";
/// Skip reason for a port that is not 0..=65535.
pub const BAD_PORT: &str = "bad port";
/// Skip reason for an unknown protocol.
pub const BAD_PROTO: &str = "bad protocol";
/// Skip reason for a count that is not a number.
pub const BAD_COUNT: &str = "bad count";
/// Skip reason for a prefix length that is not 0..=32.
pub const BAD_PREFIX: &str = "bad prefix length";
/// Skip reason for a JSON line or record that does not parse.
pub const BAD_JSON: &str = "malformed JSON";

/// Parses an unsigned decimal without sign or spaces.
pub fn parse_u64(s: &[u8]) -> Option<u64> {
    if s.is_empty() || s.len() > 19 {
        return None;
    }
    let mut v: u64 = 0;
    for &b in s {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u64::from(b - b'0');
    }
    Some(v)
}

/// Parses an unsigned decimal that fits in 32 bits.
pub fn parse_u32(s: &[u8]) -> Option<u32> {
    parse_u64(s).and_then(|v| u32::try_from(v).ok())
}

/// Parses a port 0..=65535.
pub fn parse_port(s: &[u8]) -> Option<u16> {
    parse_u64(s).and_then(|v| u16::try_from(v).ok())
}

/// Whether the text looks like an IPv6 address (hex digits, colons, dots),
/// optionally with a zone id after `%` (`fe80::1%eth0`).
pub fn looks_ipv6(s: &[u8]) -> bool {
    let addr = match memchr::memchr(b'%', s) {
        Some(at) if at + 1 < s.len() => &s[..at],
        Some(_) => return false,
        None => s,
    };
    addr.contains(&b':')
        && addr
            .iter()
            .all(|b| b.is_ascii_hexdigit() || matches!(b, b':' | b'.'))
}

/// A source address: IPv4 (zero-padded octets decimal), or the skip
/// reason (IPv6 or malformed).
pub fn source_ip(s: &[u8]) -> Result<u32, &'static str> {
    match parse_ipv4_bytes(s) {
        Some(ip) => Ok(ip),
        None if looks_ipv6(s) => Err(IPV6),
        None => Err(BAD_IP),
    }
}

/// A protocol given as a name (TCP, UDP, ICMP) or an IANA number.
pub fn parse_proto(s: &[u8]) -> Option<u8> {
    if s.eq_ignore_ascii_case(b"tcp") {
        Some(proto::TCP)
    } else if s.eq_ignore_ascii_case(b"udp") {
        Some(proto::UDP)
    } else if s.eq_ignore_ascii_case(b"icmp") {
        Some(proto::ICMP)
    } else {
        parse_u64(s).and_then(|v| u8::try_from(v).ok())
    }
}

/// Parses `YYYY-MM-DD` at the start of `s` (anything may follow).
pub fn ymd_prefix(s: &[u8]) -> Option<Day> {
    if s.len() < 10 || s[4] != b'-' || s[7] != b'-' {
        return None;
    }
    let y = parse_u64(&s[..4])?;
    let m = parse_u64(&s[5..7])?;
    let d = parse_u64(&s[8..10])?;
    day_from_ymd(y as i32, m as u32, d as u32)
}

/// The first `YYYY-MM-DD` anywhere in `s`.
pub fn find_ymd(s: &[u8]) -> Option<Day> {
    (0..s.len().saturating_sub(9)).find_map(|i| {
        let before_ok = i == 0 || !s[i - 1].is_ascii_digit();
        if before_ok {
            ymd_prefix(&s[i..])
        } else {
            None
        }
    })
}

/// Month number from an English three-letter abbreviation.
pub fn month_number(s: &[u8]) -> Option<u32> {
    const NAMES: [&[u8]; 12] = [
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep",
        b"oct", b"nov", b"dec",
    ];
    if s.len() < 3 {
        return None;
    }
    let head = &s[..3];
    NAMES
        .iter()
        .position(|n| head.eq_ignore_ascii_case(n))
        .map(|i| i as u32 + 1)
}

/// A date in header text: `YYYY-MM-DD`, or `Mon DD … YYYY` as in
/// `Tue Aug 30 07:11:21 2016 UTC` and `Sun Aug 13 04:36:03 UTC 2017`.
pub fn date_in_text(s: &[u8]) -> Option<Day> {
    if let Some(day) = find_ymd(s) {
        return Some(day);
    }
    let words: Vec<&[u8]> = s
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    let mi =
        words.iter().position(|w| w.len() == 3 && month_number(w).is_some())?;
    let month = month_number(words[mi])?;
    let dom = parse_u64(words.get(mi + 1)?)?;
    let year = words[mi + 2..]
        .iter()
        .find(|w| w.len() == 4 && parse_u64(w).is_some())
        .and_then(|w| parse_u64(w))?;
    day_from_ymd(year as i32, month, dom as u32)
}

/// The `YYYY-MM-DD` in a file name (its last path component), if any.
pub fn day_from_name(name: &str) -> Option<Day> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    find_ymd(base.as_bytes())
}

/// A four-digit year from the file name (`…2023…`), for syslog lines.
pub fn year_from_name(name: &str) -> Option<i32> {
    day_from_name(name).map(|d| ymd_from_day(d).0)
}

/// A timestamp as ISO 8601 (date prefix, any time and zone after it,
/// zone ignored) or Unix seconds (optionally fractional) or milliseconds.
pub fn timestamp_day(s: &[u8]) -> Option<Day> {
    let s = trim(s);
    if let Some(day) = ymd_prefix(s) {
        return Some(day);
    }
    let int = match s.iter().position(|&b| b == b'.') {
        Some(dot) if s[dot + 1..].iter().all(u8::is_ascii_digit) => &s[..dot],
        Some(_) => return None,
        None => s,
    };
    let v = parse_u64(int)?;
    let secs = if int.len() >= 13 { v / 1000 } else { v };
    i64::try_from(secs).ok().map(day_from_unix)
}

/// The UTC day of `YYYY-MM-DD HH:MM:SS ±HH:MM` (the zone may be absent,
/// `Z`, or written without its colon); seconds are optional.
pub fn local_time_day(s: &[u8]) -> Option<Day> {
    let s = trim(s);
    let day = ymd_prefix(s)?;
    let rest = trim(&s[10..]);
    let rest = rest.strip_prefix(b"T").unwrap_or(rest);
    if rest.is_empty() {
        return Some(day);
    }
    let two = |b: &[u8]| parse_u64(b).filter(|_| b.len() == 2);
    let (h, m) = (two(rest.get(..2)?)?, two(rest.get(3..5)?)?);
    if rest[2] != b':' || h > 23 || m > 59 {
        return None;
    }
    let mut at = 5;
    if rest.get(5) == Some(&b':') {
        let sec = two(rest.get(6..8)?)?;
        if sec > 60 {
            return None;
        }
        at = 8;
    }
    while rest.get(at).is_some_and(|b| *b == b'.' || b.is_ascii_digit()) {
        at += 1;
    }
    let zone = trim(&rest[at..]);
    let offset = match zone {
        b"" | b"Z" | b"UTC" | b"GMT" => 0,
        _ => {
            let sign = match zone[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let z = &zone[1..];
            let (zh, zm) = match z.len() {
                5 if z[2] == b':' => (two(&z[..2])?, two(&z[3..])?),
                4 => (two(&z[..2])?, two(&z[2..])?),
                2 => (two(z)?, 0),
                _ => return None,
            };
            if zh > 14 || zm > 59 {
                return None;
            }
            sign * (zh * 60 + zm) as i64
        }
    };
    // Minutes since local midnight, moved to UTC, may cross a day.
    let minutes = (h * 60 + m) as i64 - offset;
    Some(day + minutes.div_euclid(24 * 60) as Day)
}

/// Strips ASCII spaces and tabs at both ends.
pub fn trim(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|b| !matches!(b, b' ' | b'\t'));
    let Some(start) = start else {
        return &[];
    };
    let end =
        s.iter().rposition(|b| !matches!(b, b' ' | b'\t')).unwrap_or(start);
    &s[start..=end]
}

/// Splits `line` at `sep` into `out`, returning the number of fields in
/// the line (which may exceed `out.len()`; extra fields are not stored).
pub fn split_fields<'a>(
    line: &'a [u8],
    sep: u8,
    out: &mut [&'a [u8]],
) -> usize {
    let mut n = 0;
    let mut start = 0;
    // A plain loop beats memchr on fields this short.
    for (i, _) in line.iter().enumerate().filter(|(_, &b)| b == sep) {
        if n < out.len() {
            out[n] = &line[start..i];
        }
        n += 1;
        start = i + 1;
    }
    if n < out.len() {
        out[n] = &line[start..];
    }
    n + 1
}

/// The value after `key` (e.g. `SRC=`) up to the next space.
pub fn kv_value<'a>(
    line: &'a [u8],
    finder: &memchr::memmem::Finder,
) -> Option<&'a [u8]> {
    let at = finder.find(line)? + finder.needle().len();
    let rest = &line[at..];
    let end = memchr::memchr(b' ', rest).unwrap_or(rest.len());
    Some(&rest[..end])
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn header_dates() {
        let aug30 = day_from_ymd(2016, 8, 30);
        assert_eq!(
            date_in_text(b"updated: Tue Aug 30 07:11:21 2016 UTC"),
            aug30
        );
        assert_eq!(
            date_in_text(b"Source File Date: Sun Aug 13 04:36:03 UTC 2017"),
            day_from_ymd(2017, 8, 13)
        );
        assert_eq!(date_in_text(b"updated 2016-08-30"), aug30);
        assert_eq!(date_in_text(b"no date here"), None);
    }

    #[test]
    fn timestamps_and_names() {
        assert_eq!(timestamp_day(b"1699144322"), day_from_ymd(2023, 11, 5));
        assert_eq!(timestamp_day(b"1699144322123"), day_from_ymd(2023, 11, 5));
        assert_eq!(timestamp_day(b"1699144322.25"), day_from_ymd(2023, 11, 5));
        assert_eq!(
            timestamp_day(b"2017-11-04T10:01:02.123456Z"),
            day_from_ymd(2017, 11, 4)
        );
        assert_eq!(timestamp_day(b"yesterday"), None);
        let aug29 = day_from_ymd(2016, 8, 29);
        let aug30 = day_from_ymd(2016, 8, 30);
        assert_eq!(local_time_day(b"2016-08-29 23:04:06 -04:00"), aug30);
        assert_eq!(local_time_day(b"2016-08-29 23:04:06 +0200"), aug29);
        assert_eq!(local_time_day(b"2016-08-30 01:00 +02:00"), aug29);
        assert_eq!(local_time_day(b"2016-08-29"), aug29);
        assert_eq!(local_time_day(b"2016-08-29 25:00:00"), None);
        assert_eq!(local_time_day(b"2016-08-29 10:00:00 EST"), None);
        assert_eq!(
            day_from_name("x/2017-08-14T042003Z.ipset"),
            day_from_ymd(2017, 8, 14)
        );
        assert_eq!(day_from_name("2017-08-14/list.txt"), None);
    }

    #[test]
    fn sources_and_fields() {
        assert_eq!(source_ip(b"061.177.172.013"), Ok(0x3DB1_AC0D));
        assert_eq!(source_ip(b"2001:db8::1"), Err(IPV6));
        assert_eq!(source_ip(b"1.2.3.x"), Err(BAD_IP));
        assert_eq!(source_ip(b"fe80::1%eth0"), Err(IPV6));
        assert_eq!(source_ip(b"fe80::1%"), Err(BAD_IP));
        let mut f = [&b""[..]; 3];
        assert_eq!(split_fields(b"a\tb\tc\td", b'\t', &mut f), 4);
        assert_eq!(f, [&b"a"[..], b"b", b"c"]);
        assert_eq!(parse_proto(b"icmp"), Some(1));
        assert_eq!(parse_port(b"65536"), None);
    }
}
