//! What the user types or picks in the rail, read and described in plain
//! Rust so the rules are tested natively: a set of ports for the
//! behaviour, and the IP-to-ASN table in use (its origin, size and age).
//!
//! The page and the worker both call these; nothing here touches the
//! browser or a clock (callers pass "today" in).

use crate::asn::{AsnError, AsnFormat, AsnTable, LoadReport};
use crate::event::{day_from_ymd, format_day, proto, Behaviour, Day};
use serde::{Deserialize, Serialize};

/// Most ports a typed set may hold (ranges included).
pub const MAX_PORTS: usize = 1024;

/// Why a typed port set was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PortSetError {
    /// Nothing but separators was typed.
    #[error("type at least one port, e.g. 22, 2222, 8022")]
    Empty,
    /// A piece is not a whole number.
    #[error("{0:?} is not a port number")]
    NotANumber(String),
    /// A number outside 1 to 65535.
    #[error("{0} is outside the ports 1 to 65535")]
    OutOfRange(String),
    /// A range written high to low.
    #[error("range {0:?} runs backwards")]
    Backwards(String),
    /// More ports than [`MAX_PORTS`].
    #[error("{0} ports: at most 1024 in one set")]
    TooMany(usize),
}

/// Reads a port set such as `22, 2222, 8022` or `8000-8010 8080`.
///
/// Commas, semicolons and spaces separate; `a-b` is an inclusive range.
/// The result is sorted and has no duplicates.
pub fn parse_port_set(text: &str) -> Result<Vec<u16>, PortSetError> {
    let mut ports: Vec<u16> = Vec::new();
    let pieces = text
        .split([',', ';', ' ', '\t', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty());
    for piece in pieces {
        let (lo, hi) = match piece.split_once('-') {
            Some((a, b)) => (one_port(a.trim())?, one_port(b.trim())?),
            None => {
                let p = one_port(piece)?;
                (p, p)
            }
        };
        if hi < lo {
            return Err(PortSetError::Backwards(piece.to_string()));
        }
        let count = usize::from(hi - lo) + 1;
        if ports.len() + count > MAX_PORTS {
            return Err(PortSetError::TooMany(ports.len() + count));
        }
        ports.extend(lo..=hi);
    }
    ports.sort_unstable();
    ports.dedup();
    if ports.is_empty() {
        return Err(PortSetError::Empty);
    }
    Ok(ports)
}

fn one_port(text: &str) -> Result<u16, PortSetError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PortSetError::NotANumber(text.to_string()));
    }
    match text.parse::<u32>() {
        Ok(p) if (1..=65_535).contains(&p) => Ok(p as u16),
        _ => Err(PortSetError::OutOfRange(text.to_string())),
    }
}

/// The protocol choice beside the port set: `"tcp"`, `"udp"` or `"any"`.
pub fn proto_from_choice(choice: &str) -> Option<u8> {
    match choice {
        "tcp" => Some(proto::TCP),
        "udp" => Some(proto::UDP),
        _ => None,
    }
}

/// The behaviour for a protocol choice and a typed port set.
pub fn behaviour_from_text(
    choice: &str,
    text: &str,
) -> Result<Behaviour, PortSetError> {
    Ok(Behaviour {
        proto: proto_from_choice(choice),
        ports: parse_port_set(text)?,
    })
}

/// The ports of `behaviour` as the user would type them (`22, 2222`).
pub fn ports_text(behaviour: &Behaviour) -> String {
    behaviour.ports.iter().map(u16::to_string).collect::<Vec<_>>().join(", ")
}

/// The IP-to-ASN table in use, as the rail shows it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AsnTableInfo {
    /// File name of the table.
    pub name: String,
    /// Whether it is the table shipped with the app.
    pub bundled: bool,
    /// The text format it was read from ("packed" for the bundled one).
    pub format: String,
    /// Disjoint address ranges after overlaps were cut.
    pub ranges: usize,
    /// ASNs with an organisation name.
    pub names: usize,
    /// The build date (`YYYY-MM-DD`), when known.
    pub built: Option<String>,
    /// Data rows read (0 for the bundled table).
    pub rows: u64,
    /// Rows kept.
    pub kept: u64,
    /// Skipped rows per reason: (reason, count, first line).
    pub skipped: Vec<(String, u64, u64)>,
    /// Counts table changes in the worker, so the page sees a change.
    pub generation: u32,
}

impl AsnTableInfo {
    /// Describes the bundled (packed) table.
    pub fn bundled(name: &str, table: &AsnTable, generation: u32) -> Self {
        AsnTableInfo {
            name: name.to_string(),
            bundled: true,
            format: "packed ip-location-db".to_string(),
            ranges: table.len(),
            names: table.name_count(),
            built: table.built.clone(),
            generation,
            ..AsnTableInfo::default()
        }
    }

    /// Describes a table the user loaded from a text file.
    pub fn loaded(
        name: &str,
        table: &AsnTable,
        report: &LoadReport,
        generation: u32,
    ) -> Self {
        AsnTableInfo {
            name: name.to_string(),
            bundled: false,
            format: format_name(report.format).to_string(),
            ranges: table.len(),
            names: table.name_count(),
            built: table.built.clone(),
            rows: report.rows,
            kept: report.kept,
            skipped: report.skipped.clone(),
            generation,
        }
    }
}

/// The name of a text format, as the rail shows it.
pub fn format_name(format: AsnFormat) -> &'static str {
    match format {
        AsnFormat::IpLocationDbCsv => "ip-location-db CSV",
        AsnFormat::IpToAsnTsv => "iptoasn TSV",
        AsnFormat::RouteViewsPfx2As => "RouteViews pfx2as",
    }
}

/// Why a user's ASN file was refused; the current table stays.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{file}{}: {reason}", line.map_or(String::new(), |l| format!(", line {l}")))]
pub struct UserTableError {
    /// The file name.
    pub file: String,
    /// The line at fault, when one is to blame.
    pub line: Option<u64>,
    /// One phrase.
    pub reason: String,
}

/// Reads a user's ASN table (any format [`AsnTable::from_csv`] knows),
/// dating it from a `YYYYMMDD` or `YYYY-MM-DD` in its file name.
pub fn load_user_table(
    file: &str,
    bytes: &[u8],
) -> Result<(AsnTable, LoadReport), UserTableError> {
    match AsnTable::from_csv_explained(bytes) {
        Ok((mut table, report)) => {
            table.built = date_in_name(file);
            Ok((table, report))
        }
        Err((error, first_bad)) => {
            let (line, reason) = match (&error, first_bad) {
                (AsnError::NoRows { rows }, Some((line, why))) => (
                    Some(line),
                    format!("{why} (and no usable row among {rows})"),
                ),
                (AsnError::UnknownFormat(_), _) => {
                    (first_data_line(bytes), error.to_string())
                }
                _ => (None, error.to_string()),
            };
            Err(UserTableError { file: file.to_string(), line, reason })
        }
    }
}

/// The 1-based number of the first line that is neither blank nor a
/// `#` comment (for text that is not gzip).
fn first_data_line(bytes: &[u8]) -> Option<u64> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return None;
    }
    bytes
        .split(|&b| b == b'\n')
        .position(|l| {
            let l = l.strip_suffix(b"\r").unwrap_or(l);
            !l.is_empty() && l[0] != b'#'
        })
        .map(|i| i as u64 + 1)
}

/// A date written in a file name (`20260601` or `2026-06-01`), as
/// `YYYY-MM-DD`, when it is a real calendar day of 1990 to 2099.
pub fn date_in_name(name: &str) -> Option<String> {
    let b = name.as_bytes();
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    let num = |s: &[u8]| std::str::from_utf8(s).ok()?.parse::<u32>().ok();
    for i in 0..b.len() {
        // Not in the middle of a longer number.
        if i > 0 && b[i - 1].is_ascii_digit() {
            continue;
        }
        let parts = if b.len() >= i + 10
            && digits(&b[i..i + 4])
            && b[i + 4] == b'-'
            && digits(&b[i + 5..i + 7])
            && b[i + 7] == b'-'
            && digits(&b[i + 8..i + 10])
            && b.get(i + 10).is_none_or(|c| !c.is_ascii_digit())
        {
            Some((&b[i..i + 4], &b[i + 5..i + 7], &b[i + 8..i + 10]))
        } else if b.len() >= i + 8
            && digits(&b[i..i + 8])
            && b.get(i + 8).is_none_or(|c| !c.is_ascii_digit())
        {
            Some((&b[i..i + 4], &b[i + 4..i + 6], &b[i + 6..i + 8]))
        } else {
            None
        };
        let Some((y, m, d)) = parts else {
            continue;
        };
        let (Some(y), Some(m), Some(d)) = (num(y), num(m), num(d)) else {
            continue;
        };
        if !(1990..=2099).contains(&y) {
            continue;
        }
        if let Some(day) = day_from_ymd(y as i32, m, d) {
            return Some(format_day(day));
        }
    }
    None
}

/// How old a table is: "built 2026-06-17, 12 days before your newest
/// data" (or "before today" without data), "date unknown" without a
/// readable date.
pub fn table_age_text(
    built: Option<&str>,
    newest_data: Option<Day>,
    today: Day,
) -> String {
    let Some(text) = built else {
        return "date unknown".to_string();
    };
    let Some(day) = parse_ymd(text) else {
        return format!("built {text} (date not understood)");
    };
    let (other, what) = match newest_data {
        Some(d) => (d, "your newest data"),
        None => (today, "today"),
    };
    let gap = other - day;
    let days = |n: i32| {
        if n == 1 {
            "1 day".to_string()
        } else {
            format!("{n} days")
        }
    };
    match gap {
        0 => format!("built {text}, the day of {what}"),
        g if g > 0 => format!("built {text}, {} before {what}", days(g)),
        g => format!("built {text}, {} after {what}", days(-g)),
    }
}

/// Reads `YYYY-MM-DD`.
fn parse_ymd(text: &str) -> Option<Day> {
    let mut it = text.trim().splitn(3, '-');
    let y = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let d = it.next()?.parse().ok()?;
    day_from_ymd(y, m, d)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn port_sets_are_read_sorted_and_deduplicated() {
        assert_eq!(parse_port_set("22, 2222, 8022"), Ok(vec![22, 2222, 8022]));
        assert_eq!(
            parse_port_set(" 8022;22 22\t2222 "),
            Ok(vec![22, 2222, 8022])
        );
        assert_eq!(
            parse_port_set("8000-8003,80"),
            Ok(vec![80, 8000, 8001, 8002, 8003])
        );
        assert_eq!(parse_port_set("65535"), Ok(vec![65535]));
    }

    #[test]
    fn bad_port_sets_name_the_bad_piece() {
        assert_eq!(parse_port_set(" , ;"), Err(PortSetError::Empty));
        assert_eq!(
            parse_port_set("22, ssh"),
            Err(PortSetError::NotANumber("ssh".into()))
        );
        assert_eq!(
            parse_port_set("22, 70000"),
            Err(PortSetError::OutOfRange("70000".into()))
        );
        assert_eq!(
            parse_port_set("0"),
            Err(PortSetError::OutOfRange("0".into()))
        );
        assert_eq!(
            parse_port_set("-5"),
            Err(PortSetError::NotANumber(String::new()))
        );
        assert_eq!(
            parse_port_set("9000-8000"),
            Err(PortSetError::Backwards("9000-8000".into()))
        );
        assert_eq!(parse_port_set("1-2000"), Err(PortSetError::TooMany(2000)));
        assert_eq!(
            parse_port_set("22, ssh").unwrap_err().to_string(),
            "\"ssh\" is not a port number"
        );
    }

    #[test]
    fn typed_behaviour_has_the_expected_label_and_matches() {
        let b = behaviour_from_text("tcp", "8022, 22, 2222").unwrap();
        assert_eq!(b.label(), "TCP 22, 2222, 8022");
        assert_eq!(ports_text(&b), "22, 2222, 8022");
        let ev = |p, port| crate::event::Event::new(0, 1, p, port);
        assert!(b.matches(&ev(proto::TCP, 2222)));
        assert!(!b.matches(&ev(proto::UDP, 2222)));
        assert!(!b.matches(&ev(proto::TCP, 23)));
        let any = behaviour_from_text("any", "53").unwrap();
        assert_eq!(any.label(), "port 53");
        assert!(any.matches(&ev(proto::UDP, 53)));
        assert!(any.matches(&ev(proto::TCP, 53)));
        assert_eq!(
            behaviour_from_text("udp", "53, 123").unwrap().label(),
            "UDP 53, 123"
        );
    }

    #[test]
    fn dates_are_found_in_file_names() {
        assert_eq!(
            date_in_name("routeviews-rv2-20260601-1200.pfx2as.gz").as_deref(),
            Some("2026-06-01")
        );
        assert_eq!(
            date_in_name("asn-ipv4-2026-06-17.csv").as_deref(),
            Some("2026-06-17")
        );
        assert_eq!(date_in_name("ip2asn-v4.tsv"), None);
        // Not a calendar day, or part of a longer number.
        assert_eq!(date_in_name("dump-20261345.txt"), None);
        assert_eq!(date_in_name("id-1202606010.csv"), None);
    }

    #[test]
    fn table_age_reads_against_data_or_today() {
        let d = |y, m, dd| day_from_ymd(y, m, dd).unwrap();
        assert_eq!(
            table_age_text(Some("2026-06-17"), Some(d(2026, 6, 29)), 0),
            "built 2026-06-17, 12 days before your newest data"
        );
        assert_eq!(
            table_age_text(Some("2026-06-17"), Some(d(2026, 6, 16)), 0),
            "built 2026-06-17, 1 day after your newest data"
        );
        assert_eq!(
            table_age_text(Some("2026-06-17"), None, d(2026, 12, 4)),
            "built 2026-06-17, 170 days before today"
        );
        assert_eq!(
            table_age_text(Some("2026-06-17"), None, d(2026, 6, 17)),
            "built 2026-06-17, the day of today"
        );
        assert_eq!(table_age_text(None, None, 0), "date unknown");
        assert_eq!(
            table_age_text(Some("June"), None, 0),
            "built June (date not understood)"
        );
    }

    #[test]
    fn user_table_errors_name_file_line_and_reason() {
        let e = load_user_table("mine.csv", b"# header\n\nhello world\n")
            .unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(
            e.to_string().starts_with("mine.csv, line 3: unrecognised"),
            "{e}"
        );
        let e = load_user_table("mine.csv", b"# c\n1.0.0.0,1.0.0.255,x,A\n")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "mine.csv, line 2: bad asn (and no usable row among 1)"
        );
        let e = load_user_table("t.gz", &[0x1f, 0x8b, 0, 1]).unwrap_err();
        assert_eq!(e.line, None);
        assert!(e.to_string().starts_with("t.gz: bad gzip data"), "{e}");
        let mut elf = b"\x7fELF\x02\x01\x01\x00\x00\x00".to_vec();
        elf.extend(b"\n1.0.0.0,1.0.0.255,13335,A\n");
        let e = load_user_table("random.bin", &elf).unwrap_err();
        assert_eq!(e.line, None);
        assert_eq!(
            e.to_string(),
            "random.bin: an ELF executable, not a text export (first bytes 7F \
             45 4C 46 02 01 01 00 …)"
        );
        let (t, rep) = load_user_table(
            "x-20250102.csv",
            b"1.0.0.0,1.0.0.255,13335,A\n1.0.1.0,1.0.0.0,5,B\n",
        )
        .unwrap();
        assert_eq!((t.len(), rep.kept, rep.rows), (1, 1, 2));
        assert_eq!(t.built.as_deref(), Some("2025-01-02"));
        let info = AsnTableInfo::loaded("x-20250102.csv", &t, &rep, 3);
        assert_eq!(info.format, "ip-location-db CSV");
        assert_eq!(info.skipped, vec![("range end before start".into(), 1, 2)]);
        assert!(!info.bundled);
    }
}
