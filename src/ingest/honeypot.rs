//! Honeypot logs read line by line: iptables kernel lines
//! (`dshield.log`, syslog), cowrie NDJSON, the DShield web honeypot's
//! JSON lines and the marx CSV.

use super::detect::LineFormat;
use super::sink::Sink;
use super::text::{
    month_number, parse_port, parse_proto, parse_u32, parse_u64, source_ip,
    split_fields, timestamp_day, trim, ymd_prefix, BAD_DATE, BAD_JSON,
    BAD_PORT, BAD_PROTO, MISSING,
};
use crate::event::{day_from_unix, day_from_ymd, proto, Day};
use memchr::memmem::Finder;
use serde::Deserialize;
use std::borrow::Cow;

/// How an iptables line starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// Unix epoch seconds (`dshield.log`).
    Epoch,
    /// ISO 8601 (rsyslog high-precision timestamps).
    Iso,
    /// Classic syslog `Mon DD HH:MM:SS`, no year.
    Syslog,
}

/// The clock of an iptables line, from its first bytes.
pub fn clock_of(line: &[u8]) -> Option<Clock> {
    if ymd_prefix(line).is_some() {
        Some(Clock::Iso)
    } else if line.first().is_some_and(u8::is_ascii_digit) {
        Some(Clock::Epoch)
    } else if month_number(line).is_some() && line.get(3) == Some(&b' ') {
        Some(Clock::Syslog)
    } else {
        None
    }
}

/// iptables / `dshield.log` lines with `SRC=`, `PROTO=`, `DPT=`.
pub struct Iptables {
    /// The year for syslog lines (from the caller's day or file name).
    pub syslog_year: Option<i32>,
    src: Finder<'static>,
    proto: Finder<'static>,
    dpt: Finder<'static>,
}

impl Iptables {
    /// A parser; `syslog_year` is needed only for `Mon DD` lines.
    pub fn new(syslog_year: Option<i32>) -> Iptables {
        Iptables {
            syslog_year,
            src: Finder::new(b" SRC="),
            proto: Finder::new(b" PROTO="),
            dpt: Finder::new(b" DPT="),
        }
    }

    /// Whether a line is an iptables log line with a known clock.
    pub fn matches(line: &[u8]) -> bool {
        clock_of(line).is_some()
            && memchr::memmem::find(line, b" SRC=").is_some()
            && memchr::memmem::find(line, b" PROTO=").is_some()
    }

    fn day(&self, line: &[u8]) -> Option<Day> {
        match clock_of(line)? {
            Clock::Iso => ymd_prefix(line),
            Clock::Epoch => {
                let end = memchr::memchr(b' ', line).unwrap_or(line.len());
                timestamp_day(&line[..end])
            }
            Clock::Syslog => {
                let month = month_number(line)?;
                let dom = parse_u64(trim(line.get(4..6)?))?;
                day_from_ymd(self.syslog_year?, month, dom as u32)
            }
        }
    }
}

impl LineFormat for Iptables {
    fn line(&mut self, no: u64, line: &[u8], sink: &mut Sink) {
        let Some(day) = self.day(line) else {
            return sink.skip(BAD_DATE, no, line);
        };
        let (Some(src), Some(pr)) = (
            super::text::kv_value(line, &self.src),
            super::text::kv_value(line, &self.proto),
        ) else {
            return sink.skip(MISSING, no, line);
        };
        let src = match source_ip(src) {
            Ok(ip) => ip,
            Err(reason) => return sink.skip(reason, no, line),
        };
        let Some(pr) = parse_proto(pr) else {
            return sink.skip(BAD_PROTO, no, line);
        };
        let port = match super::text::kv_value(line, &self.dpt) {
            Some(p) => match parse_port(p) {
                Some(p) => p,
                None => return sink.skip(BAD_PORT, no, line),
            },
            None if pr == proto::TCP || pr == proto::UDP => {
                return sink.skip(MISSING, no, line)
            }
            None => 0,
        };
        sink.keep(day, src, 32, pr, port, 1);
    }
}

/// The marx CSV: `datetime,host,src,proto,type,spt,dpt`, src as a u32 or
/// a dotted quad.
#[derive(Default)]
pub struct MarxCsv {
    last_date: [u8; 10],
    last_day: Option<Day>,
}

impl MarxCsv {
    /// Whether a line is the marx header.
    pub fn is_header(line: &[u8]) -> bool {
        trim(line).eq_ignore_ascii_case(b"datetime,host,src,proto,type,spt,dpt")
    }

    /// Whether a line is a marx data row.
    pub fn matches(line: &[u8]) -> bool {
        let mut f = [&b""[..]; 7];
        split_fields(line, b',', &mut f) == 7
            && ymd_prefix(f[0]).is_some()
            && marx_source(f[2]).is_ok()
            && parse_proto(f[3]).is_some()
    }

    /// The day of a datetime field, cached for runs of the same date.
    fn day(&mut self, field: &[u8]) -> Option<Day> {
        let date = field.get(..10)?;
        if self.last_day.is_some() && date == self.last_date {
            return self.last_day;
        }
        let day = ymd_prefix(date)?;
        self.last_date.copy_from_slice(date);
        self.last_day = Some(day);
        Some(day)
    }
}

/// A marx source field: the address as an integer or a dotted quad
/// (zero-padded octets are decimal).
fn marx_source(field: &[u8]) -> Result<u32, &'static str> {
    match parse_u32(field) {
        Some(ip) => Ok(ip),
        None => source_ip(field),
    }
}

impl LineFormat for MarxCsv {
    fn line(&mut self, no: u64, line: &[u8], sink: &mut Sink) {
        let mut f = [&b""[..]; 7];
        if split_fields(line, b',', &mut f) < 7 {
            return sink.skip(MISSING, no, line);
        }
        let Some(day) = self.day(f[0]) else {
            return sink.skip(BAD_DATE, no, line);
        };
        let src = match marx_source(f[2]) {
            Ok(src) => src,
            Err(reason) => return sink.skip(reason, no, line),
        };
        let Some(pr) = parse_proto(f[3]) else {
            return sink.skip(BAD_PROTO, no, line);
        };
        let port = if pr == proto::TCP || pr == proto::UDP {
            match parse_port(f[6]) {
                Some(p) => p,
                None => return sink.skip(BAD_PORT, no, line),
            }
        } else {
            0
        };
        sink.keep(day, src, 32, pr, port, 1);
    }
}

/// The keys of a cowrie event that matter here.
#[derive(Deserialize)]
struct CowrieLine<'a> {
    #[serde(borrow, default)]
    src_ip: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    timestamp: Option<Cow<'a, str>>,
    #[serde(default)]
    dst_port: Option<serde_json::Value>,
    #[serde(borrow, default)]
    eventid: Option<Cow<'a, str>>,
}

/// Cowrie NDJSON: one event object per line; weight 1 per line.
pub struct Cowrie;

impl Cowrie {
    /// Whether a line is a cowrie event object.
    pub fn matches(line: &[u8]) -> bool {
        match serde_json::from_slice::<CowrieLine>(trim(line)) {
            Ok(c) => {
                c.src_ip.is_some()
                    || c.eventid.is_some_and(|e| e.starts_with("cowrie."))
            }
            Err(_) => false,
        }
    }
}

impl LineFormat for Cowrie {
    fn line(&mut self, no: u64, line: &[u8], sink: &mut Sink) {
        let Ok(event) = serde_json::from_slice::<CowrieLine>(trim(line)) else {
            return sink.skip(BAD_JSON, no, line);
        };
        let Some(src) = event.src_ip else {
            return sink.skip(MISSING, no, line);
        };
        let src = match source_ip(src.as_bytes()) {
            Ok(ip) => ip,
            Err(reason) => return sink.skip(reason, no, line),
        };
        let Some(day) =
            event.timestamp.and_then(|t| timestamp_day(t.as_bytes()))
        else {
            return sink.skip(BAD_DATE, no, line);
        };
        let port = match event.dst_port {
            None | Some(serde_json::Value::Null) => 0,
            Some(serde_json::Value::Number(n)) => {
                match n.as_u64().and_then(|p| u16::try_from(p).ok()) {
                    Some(p) => p,
                    None => return sink.skip(BAD_PORT, no, line),
                }
            }
            Some(serde_json::Value::String(s)) => {
                match parse_port(s.as_bytes()) {
                    Some(p) => p,
                    None => return sink.skip(BAD_PORT, no, line),
                }
            }
            Some(_) => return sink.skip(BAD_PORT, no, line),
        };
        sink.keep(day, src, 32, proto::TCP, port, 1);
    }
}

/// The port a web honeypot request counts under when the record names
/// none: the sensor forwards TCP 80 to its web honeypot.
pub const WEB_PORT: u16 = 80;

/// The day of a web honeypot time: ISO 8601 text (zone applied), Unix
/// seconds as text or as a JSON number.
pub fn web_time_day(v: &serde_json::Value) -> Option<Day> {
    match v {
        serde_json::Value::String(s) => {
            let b = s.as_bytes();
            super::text::local_time_day(b).or_else(|| timestamp_day(b))
        }
        serde_json::Value::Number(n) => unix_number_day(n.as_f64()?),
        _ => None,
    }
}

/// The day of Unix seconds (or milliseconds, from 10^12 on) as a float.
pub fn unix_number_day(secs: f64) -> Option<Day> {
    if !secs.is_finite() || secs < 0.0 {
        return None;
    }
    let secs = if secs >= 1e12 { secs / 1000.0 } else { secs };
    // Below 2^53 the float holds every whole second exactly.
    (secs < 9e15).then(|| day_from_unix(secs.floor() as i64))
}

/// The keys of a web honeypot request line that matter here.
#[derive(Deserialize)]
struct WebLine<'a> {
    #[serde(borrow, default)]
    sip: Option<Cow<'a, str>>,
    #[serde(default)]
    time: Option<serde_json::Value>,
    #[serde(default)]
    timestamp: Option<serde_json::Value>,
    #[serde(default)]
    dport: Option<serde_json::Value>,
    #[serde(default)]
    logs: Option<serde_json::Value>,
}

/// The DShield web honeypot's JSON lines: one request object per line
/// with `time` (ISO 8601), `sip`, `dip`, the URL and headers. Each line
/// is one TCP event to `dport` if given, else to port [`WEB_PORT`].
pub struct WebHoneypot;

impl WebHoneypot {
    /// Whether a line is a web honeypot request object.
    pub fn matches(line: &[u8]) -> bool {
        match serde_json::from_slice::<WebLine>(trim(line)) {
            Ok(w) => {
                w.sip.is_some()
                    && w.logs.is_none()
                    && (w.time.is_some() || w.timestamp.is_some())
            }
            Err(_) => false,
        }
    }
}

impl LineFormat for WebHoneypot {
    fn line(&mut self, no: u64, line: &[u8], sink: &mut Sink) {
        let Ok(w) = serde_json::from_slice::<WebLine>(trim(line)) else {
            return sink.skip(BAD_JSON, no, line);
        };
        let Some(src) = w.sip else {
            return sink.skip(MISSING, no, line);
        };
        let src = match source_ip(src.as_bytes()) {
            Ok(ip) => ip,
            Err(reason) => return sink.skip(reason, no, line),
        };
        let Some(day) = w.time.or(w.timestamp).as_ref().and_then(web_time_day)
        else {
            return sink.skip(BAD_DATE, no, line);
        };
        let port = match w.dport {
            None | Some(serde_json::Value::Null) => WEB_PORT,
            Some(serde_json::Value::Number(n)) => {
                match n.as_u64().and_then(|p| u16::try_from(p).ok()) {
                    Some(p) => p,
                    None => return sink.skip(BAD_PORT, no, line),
                }
            }
            Some(serde_json::Value::String(s)) => {
                match parse_port(s.as_bytes()) {
                    Some(p) => p,
                    None => return sink.skip(BAD_PORT, no, line),
                }
            }
            Some(_) => return sink.skip(BAD_PORT, no, line),
        };
        sink.keep(day, src, 32, proto::TCP, port, 1);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const LOG: &[u8] = b"1699144322 BigDshield kernel:[39210.572534]  DSHIELDINPUT IN=eth0 OUT= MAC=06:a6 SRC=162.216.150.90 DST=172.31.5.68 LEN=44 PROTO=TCP SPT=52388 DPT=50001 WINDOW=65535 RES=0x00 SYN URGP=0";

    #[test]
    fn iptables_epoch_and_syslog() {
        assert!(Iptables::matches(LOG));
        let mut sink = Sink::default();
        let mut p = Iptables::new(Some(2023));
        p.line(1, LOG, &mut sink);
        p.line(2, b"Nov  5 00:32:02 host kernel: IN=eth0 SRC=1.2.3.4 DST=5.6.7.8 PROTO=ICMP TYPE=8", &mut sink);
        let (ev, skipped) = sink.into_parts();
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(ev.len(), 2);
        assert!(ev.iter().all(|e| e.day == day_from_ymd(2023, 11, 5).unwrap()));
        assert_eq!((ev[1].port, ev[1].proto), (50001, 6));
        assert_eq!((ev[0].port, ev[0].proto), (0, 1));
    }

    #[test]
    fn marx_rows() {
        let mut sink = Sink::default();
        let mut p = MarxCsv::default();
        p.line(
            2,
            b"2013-03-03 22:20:36,groucho-sa,3672981807,TCP,,33367,22",
            &mut sink,
        );
        p.line(
            3,
            b"2013-03-03 23:01:45,groucho-eu,2148114514,ICMP,8,,",
            &mut sink,
        );
        let (ev, _) = sink.into_parts();
        assert_eq!(ev.len(), 2);
        assert_eq!(crate::ip::format_ipv4(ev[1].src), "218.237.65.47");
        assert_eq!((ev[1].proto, ev[1].port), (6, 22));
        assert_eq!((ev[0].proto, ev[0].port), (1, 0));
    }

    #[test]
    fn marx_dotted_sources() {
        use super::super::text::BAD_IP;
        let row = b"2013-03-03 22:20:36,h,018.001.002.001,TCP,,1,22";
        assert!(MarxCsv::matches(row));
        assert!(!MarxCsv::matches(b"2013-03-03 22:20:36,h,1.2.3,TCP,,1,22"));
        let mut sink = Sink::default();
        let mut p = MarxCsv::default();
        p.line(2, row, &mut sink);
        p.line(3, b"2013-03-03 22:20:37,h,16909059,UDP,,1,53", &mut sink);
        p.line(4, b"2013-03-03 22:20:38,h,1.2.3.256,TCP,,1,22", &mut sink);
        p.line(5, b"2013-03-03 22:20:39,h,::1,TCP,,1,22", &mut sink);
        let (ev, skipped) = sink.into_parts();
        let got: Vec<(String, u8, u16)> = ev
            .iter()
            .map(|e| (crate::ip::format_ipv4(e.src), e.proto, e.port))
            .collect();
        assert_eq!(
            got,
            [("1.2.3.3".to_string(), 17, 53), ("18.1.2.1".to_string(), 6, 22)]
        );
        let mut reasons: Vec<(&str, u64)> =
            skipped.iter().map(|g| (g.reason.as_str(), g.count)).collect();
        reasons.sort();
        assert_eq!(reasons, [("IPv6 source", 1), (BAD_IP, 1)]);
    }
}
