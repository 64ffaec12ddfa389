//! The unit every parser produces and every later stage consumes.
//!
//! An [`Event`] says "this source was blocked on this day", optionally on a
//! port and protocol, with a weight. Everything downstream (ranks,
//! datasets, maps) is computed from a slice of events, so the type is
//! small and `Copy`.

use serde::{Deserialize, Serialize};

/// A UTC calendar day, counted from 1970-01-01 (day 0).
pub type Day = i32;

/// IANA protocol numbers used by the parsers.
pub mod proto {
    /// Protocol unknown: the export says nothing about it (block lists).
    pub const ANY: u8 = 0;
    /// ICMP.
    pub const ICMP: u8 = 1;
    /// TCP.
    pub const TCP: u8 = 6;
    /// UDP.
    pub const UDP: u8 = 17;
}

/// One blocked source on one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Event {
    /// The day the block happened (UTC).
    pub day: Day,
    /// The source address, or the network address of a source prefix.
    pub src: u32,
    /// Prefix length of the source: 32 for a single address, 24 for a
    /// /24 from a block list, and so on.
    pub prefix_len: u8,
    /// IANA protocol number, [`proto::ANY`] when the export has none.
    pub proto: u8,
    /// Destination port; 0 when the export has none (or for ICMP).
    pub port: u16,
    /// How much the event counts: packets, reports or targets where the
    /// format has them, else 1.
    pub weight: u32,
}

impl Event {
    /// A single-address event with weight 1.
    pub fn new(day: Day, src: u32, proto: u8, port: u16) -> Event {
        Event { day, src, prefix_len: 32, proto, port, weight: 1 }
    }
}

/// Which events count for the behaviour being predicted.
#[derive(
    Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize,
)]
pub struct Behaviour {
    /// Protocol to match, or `None` for any protocol.
    pub proto: Option<u8>,
    /// Destination ports to match; empty matches every port.
    pub ports: Vec<u16>,
}

impl Behaviour {
    /// Every event counts.
    pub fn everything() -> Behaviour {
        Behaviour::default()
    }

    /// Events on one TCP port.
    pub fn tcp(port: u16) -> Behaviour {
        Behaviour { proto: Some(proto::TCP), ports: vec![port] }
    }

    /// Whether `event` belongs to this behaviour. Events whose protocol is
    /// unknown only match a behaviour that names no protocol and no port.
    pub fn matches(&self, event: &Event) -> bool {
        if let Some(p) = self.proto {
            if event.proto != p {
                return false;
            }
        }
        if !self.ports.is_empty() {
            if event.proto == proto::ANY {
                return false;
            }
            return self.ports.contains(&event.port);
        }
        true
    }

    /// A short label such as "TCP 22", "UDP 53, 123" or "all events".
    pub fn label(&self) -> String {
        let proto = match self.proto {
            None => String::new(),
            Some(proto::TCP) => "TCP".to_string(),
            Some(proto::UDP) => "UDP".to_string(),
            Some(proto::ICMP) => "ICMP".to_string(),
            Some(p) => format!("proto {p}"),
        };
        let ports = self
            .ports
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        match (proto.is_empty(), ports.is_empty()) {
            (true, true) => "all events".to_string(),
            (false, true) => format!("all {proto}"),
            (true, false) => format!("port {ports}"),
            (false, false) => format!("{proto} {ports}"),
        }
    }
}

/// Converts a civil date to a [`Day`] (days since 1970-01-01).
///
/// Returns `None` for a month or day out of range.
///
/// ```
/// assert_eq!(lwrank::event::day_from_ymd(1970, 1, 1), Some(0));
/// assert_eq!(lwrank::event::day_from_ymd(2013, 7, 20), Some(15906));
/// assert_eq!(lwrank::event::day_from_ymd(2013, 2, 29), None);
/// ```
pub fn day_from_ymd(year: i32, month: u32, day: u32) -> Option<Day> {
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
    {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = month as i32;
    let doy =
        (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Converts a [`Day`] back to (year, month, day).
///
/// ```
/// assert_eq!(lwrank::event::ymd_from_day(15906), (2013, 7, 20));
/// ```
pub fn ymd_from_day(day: Day) -> (i32, u32, u32) {
    let z = day + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Formats a [`Day`] as `YYYY-MM-DD`.
pub fn format_day(day: Day) -> String {
    let (y, m, d) = ymd_from_day(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The day that a Unix timestamp in seconds falls on (UTC).
pub fn day_from_unix(secs: i64) -> Day {
    secs.div_euclid(86_400) as Day
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for day in -1000..40_000 {
            let (y, m, d) = ymd_from_day(day);
            assert_eq!(day_from_ymd(y, m, d), Some(day));
        }
    }

    #[test]
    fn behaviour_matching() {
        let ssh = Behaviour::tcp(22);
        assert!(ssh.matches(&Event::new(0, 1, proto::TCP, 22)));
        assert!(!ssh.matches(&Event::new(0, 1, proto::UDP, 22)));
        assert!(!ssh.matches(&Event::new(0, 1, proto::TCP, 23)));
        assert!(!ssh.matches(&Event::new(0, 1, proto::ANY, 0)));
        assert!(Behaviour::everything().matches(&Event::new(0, 1, 0, 0)));
        assert_eq!(ssh.label(), "TCP 22");
    }
}
