//! DShield feed lines: `daily_sources`, `block.txt`, the ISC API text
//! output, FireHOL's ipset/netset copies of the DShield lists, the
//! per-ASN report (`asdetailsascii.html`) and the old log-submission
//! format.

use super::detect::LineFormat;
use super::sink::Sink;
use super::text::{
    local_time_day, parse_port, parse_proto, parse_u32, source_ip,
    split_fields, trim, ymd_prefix, BAD_COUNT, BAD_DATE, BAD_PORT, BAD_PREFIX,
    BAD_PROTO, MISSING,
};
use crate::event::{proto, Day};
use crate::ip::{parse_ipv4_bytes, prefix_mask};

/// `daily_sources`: `source port protocol reports targets first last`.
pub struct DailySources {
    /// The day the data belongs to (the day before `# updated`).
    pub day: Day,
}

impl DailySources {
    /// Whether a line has the 7-field daily_sources shape.
    pub fn matches(line: &[u8]) -> bool {
        let mut f = [&b""[..]; 7];
        if split_fields(line, b'\t', &mut f) != 7 {
            return false;
        }
        let ip_like = parse_ipv4_bytes(f[0]).is_some() || f[0].contains(&b':');
        ip_like && f[1..5].iter().all(|x| parse_u32(x).is_some())
    }
}

impl LineFormat for DailySources {
    fn line(&mut self, no: u64, line: &[u8], sink: &mut Sink) {
        let mut f = [&b""[..]; 7];
        if split_fields(line, b'\t', &mut f) < 4 {
            return sink.skip(MISSING, no, line);
        }
        let src = match source_ip(f[0]) {
            Ok(ip) => ip,
            Err(reason) => return sink.skip(reason, no, line),
        };
        let Some(port) = parse_port(f[1]) else {
            return sink.skip(BAD_PORT, no, line);
        };
        let Some(proto) = parse_u32(f[2]).and_then(|p| u8::try_from(p).ok())
        else {
            return sink.skip(BAD_PROTO, no, line);
        };
        let Some(reports) = parse_u32(f[3]) else {
            return sink.skip(BAD_COUNT, no, line);
        };
        sink.keep(self.day, src, 32, proto, port, reports.max(1));
    }
}

/// `block.txt`: `Start End Netblock Attacks Name Country email`.
pub struct BlockTxt {
    /// The day of the `updated:` header.
    pub day: Day,
}

impl BlockTxt {
    /// Whether a line is the column-title line of block.txt.
    pub fn is_title(line: &[u8]) -> bool {
        let l = trim(line);
        l.len() >= 18 && l[..18].eq_ignore_ascii_case(b"start\tend\tnetblock")
    }

    /// Whether a line is a block.txt row (start, end, prefix length).
    pub fn matches(line: &[u8]) -> bool {
        let mut f = [&b""[..]; 4];
        split_fields(line, b'\t', &mut f) >= 4
            && parse_ipv4_bytes(f[0]).is_some()
            && parse_ipv4_bytes(f[1]).is_some()
            && parse_u32(f[2]).is_some_and(|n| n <= 32)
    }
}

impl LineFormat for BlockTxt {
    fn line(&mut self, no: u64, line: &[u8], sink: &mut Sink) {
        let mut f = [&b""[..]; 4];
        if split_fields(line, b'\t', &mut f) < 4 {
            return sink.skip(MISSING, no, line);
        }
        let start = match source_ip(trim(f[0])) {
            Ok(ip) => ip,
            Err(reason) => return sink.skip(reason, no, line),
        };
        let Some(len) = parse_u32(trim(f[2])).filter(|&n| n <= 32) else {
            return sink.skip(BAD_PREFIX, no, line);
        };
        let Some(attacks) = parse_u32(trim(f[3])) else {
            return sink.skip(BAD_COUNT, no, line);
        };
        let len = len as u8;
        let net = start & prefix_mask(len);
        sink.keep(self.day, net, len, proto::ANY, 0, attacks.max(1));
    }
}

/// ISC API text output: `rank source reports targets`, space-separated.
pub struct IscText {
    /// The day from the file name or the caller.
    pub day: Day,
}

impl IscText {
    /// Whether a line looks like `1 046.101.124.074 132723 110`.
    pub fn matches(line: &[u8]) -> bool {
        let words: Vec<&[u8]> = words(line).collect();
        words.len() == 4
            && parse_u32(words[0]).is_some()
            && (parse_ipv4_bytes(words[1]).is_some()
                || words[1].contains(&b':'))
            && parse_u32(words[2]).is_some()
            && parse_u32(words[3]).is_some()
    }
}

/// Whitespace-separated words of a line.
fn words(line: &[u8]) -> impl Iterator<Item = &[u8]> {
    line.split(|b| b.is_ascii_whitespace()).filter(|w| !w.is_empty())
}

impl LineFormat for IscText {
    fn line(&mut self, no: u64, line: &[u8], sink: &mut Sink) {
        let mut it = words(line);
        let (Some(_rank), Some(ip), Some(reports)) =
            (it.next(), it.next(), it.next())
        else {
            return sink.skip(MISSING, no, line);
        };
        let src = match source_ip(ip) {
            Ok(ip) => ip,
            Err(reason) => return sink.skip(reason, no, line),
        };
        let Some(reports) = parse_u32(reports) else {
            return sink.skip(BAD_COUNT, no, line);
        };
        sink.keep(self.day, src, 32, proto::ANY, 0, reports.max(1));
    }
}

/// FireHOL ipset / netset: one IPv4 or CIDR per line.
pub struct FireholList {
    /// The day of `# Source File Date:` or of the file name.
    pub day: Day,
}

impl FireholList {
    /// Whether a line is a single address or CIDR.
    pub fn matches(line: &[u8]) -> bool {
        let l = trim(line);
        let addr = l.split(|&b| b == b'/').next().unwrap_or(l);
        parse_ipv4_bytes(addr).is_some() && cidr(l).is_ok()
    }
}

/// Parses `a.b.c.d[/len]` into (network, len) or a skip reason.
fn cidr(l: &[u8]) -> Result<(u32, u8), &'static str> {
    let (addr, len) = match l.iter().position(|&b| b == b'/') {
        Some(i) => (&l[..i], Some(&l[i + 1..])),
        None => (l, None),
    };
    let ip = source_ip(addr)?;
    let len = match len {
        None => 32,
        Some(t) => match parse_u32(t) {
            Some(n) if n <= 32 => n as u8,
            _ => return Err(BAD_PREFIX),
        },
    };
    Ok((ip & prefix_mask(len), len))
}

impl LineFormat for FireholList {
    fn line(&mut self, no: u64, line: &[u8], sink: &mut Sink) {
        match cidr(trim(line)) {
            Ok((net, len)) => sink.keep(self.day, net, len, proto::ANY, 0, 1),
            Err(reason) => sink.skip(reason, no, line),
        }
    }
}

/// Whether a field holds an IPv4 or something IPv6-like.
fn ip_like(f: &[u8]) -> bool {
    parse_ipv4_bytes(f).is_some() || f.contains(&b':')
}

/// The per-ASN report `asdetailsascii.html?as=N`: `source reports targets
/// first_seen last_seen updated`, tab-separated, first_seen often empty.
/// The event day is the last-seen date (else first seen, else updated);
/// the weight is the reports (packets) count.
pub struct AsDetails;

impl AsDetails {
    /// Whether a line has the 6-field shape with a date in it.
    pub fn matches(line: &[u8]) -> bool {
        let mut f = [&b""[..]; 6];
        split_fields(line, b'\t', &mut f) == 6
            && ip_like(trim(f[0]))
            && parse_u32(trim(f[1])).is_some()
            && parse_u32(trim(f[2])).is_some()
            && f[3..].iter().any(|d| ymd_prefix(trim(d)).is_some())
    }
}

impl LineFormat for AsDetails {
    fn line(&mut self, no: u64, line: &[u8], sink: &mut Sink) {
        let mut f = [&b""[..]; 6];
        if split_fields(line, b'\t', &mut f) < 5 {
            return sink.skip(MISSING, no, line);
        }
        let src = match source_ip(trim(f[0])) {
            Ok(ip) => ip,
            Err(reason) => return sink.skip(reason, no, line),
        };
        let Some(reports) = parse_u32(trim(f[1])) else {
            return sink.skip(BAD_COUNT, no, line);
        };
        let day = [f[4], f[3], f[5]].iter().find_map(|d| ymd_prefix(trim(d)));
        let Some(day) = day else {
            return sink.skip(BAD_DATE, no, line);
        };
        sink.keep(day, src, 32, proto::ANY, 0, reports.max(1));
    }
}

/// The old DShield log-submission format, one event per line:
/// `date userid count source sport target dport proto flags`, tab-separated,
/// the date `YYYY-MM-DD HH:MM:SS ±HH:MM` (the day is taken in UTC).
pub struct DshieldLog;

impl DshieldLog {
    /// Whether a line has the submission shape (at least 8 fields).
    pub fn matches(line: &[u8]) -> bool {
        let mut f = [&b""[..]; 8];
        split_fields(line, b'\t', &mut f) >= 8
            && local_time_day(f[0]).is_some()
            && parse_u32(trim(f[2])).is_some()
            && ip_like(trim(f[3]))
            && parse_proto(trim(f[7])).is_some()
    }
}

impl LineFormat for DshieldLog {
    fn line(&mut self, no: u64, line: &[u8], sink: &mut Sink) {
        let mut f = [&b""[..]; 8];
        if split_fields(line, b'\t', &mut f) < 8 {
            return sink.skip(MISSING, no, line);
        }
        let Some(day) = local_time_day(f[0]) else {
            return sink.skip(BAD_DATE, no, line);
        };
        let Some(count) = parse_u32(trim(f[2])) else {
            return sink.skip(BAD_COUNT, no, line);
        };
        let src = match source_ip(trim(f[3])) {
            Ok(ip) => ip,
            Err(reason) => return sink.skip(reason, no, line),
        };
        let Some(pr) = parse_proto(trim(f[7])) else {
            return sink.skip(BAD_PROTO, no, line);
        };
        // For ICMP the port fields hold the type and code.
        let port = if pr == proto::TCP || pr == proto::UDP {
            match parse_port(trim(f[6])) {
                Some(p) => p,
                None => return sink.skip(BAD_PORT, no, line),
            }
        } else {
            0
        };
        sink.keep(day, src, 32, pr, port, count.max(1));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn daily_sources_line() {
        let line = b"061.177.172.013\t23\t6\t412\t97\t2016-08-29\t2016-08-29";
        assert!(DailySources::matches(line));
        let mut sink = Sink::default();
        DailySources { day: 7 }.line(1, line, &mut sink);
        let (ev, _) = sink.into_parts();
        assert_eq!((ev[0].src, ev[0].port, ev[0].proto), (0x3DB1_AC0D, 23, 6));
        assert_eq!(ev[0].weight, 412);
    }

    #[test]
    fn block_and_lists() {
        let row = b"124.232.156.0\t124.232.156.255\t24\t6286\tX, Y\tCN\t";
        assert!(BlockTxt::matches(row));
        assert!(BlockTxt::is_title(b"Start\tEnd\tNetblock\tAttacks\tName"));
        assert!(FireholList::matches(b"5.39.216.0/24"));
        assert!(!FireholList::matches(b"5.39.216.0/33"));
        assert!(IscText::matches(b"1 046.101.124.074 132723 110"));
        assert_eq!(cidr(b"10.1.2.3/8"), Ok((0x0A00_0000, 8)));
    }

    #[test]
    fn asdetails_and_submission_lines() {
        let row =
            b"117.056.109.226\t131\t54\t\t2016-08-29\t2016-08-29 23:04:06";
        assert!(AsDetails::matches(row));
        assert!(!DailySources::matches(row));
        let sub = b"2016-08-29 23:04:06 -04:00\t0\t3\t1.2.3.4\t4444\t5.6.7.8\t23\tTCP\tS";
        assert!(DshieldLog::matches(sub));
        let mut sink = Sink::default();
        AsDetails.line(1, row, &mut sink);
        DshieldLog.line(2, sub, &mut sink);
        let (ev, skipped) = sink.into_parts();
        assert!(skipped.is_empty(), "{skipped:?}");
        let aug29 = crate::event::day_from_ymd(2016, 8, 29).unwrap();
        assert_eq!((ev[0].day, ev[0].weight, ev[0].proto), (aug29, 131, 0));
        // 23:04 at -04:00 is 03:04 UTC the next day.
        assert_eq!((ev[1].day, ev[1].weight, ev[1].port), (aug29 + 1, 3, 23));
    }
}
