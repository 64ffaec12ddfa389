//! The bundled sample and the benign address lists.
//!
//! The sample is 30 consecutive days of the "marx" AWS honeypot firewall
//! log (2013-06-21 to 2013-07-20), the benign list is the resolved
//! addresses of the Alexa top sites. Both ship under `assets/sample/` and
//! are served next to the app; the worker fetches them on demand.

use crate::ip::parse_ipv4;
use serde::{Deserialize, Serialize};

/// Path of the sample firewall log, relative to the page.
pub const SAMPLE_LOG: &str = "sample/marx-2013-06-21_to_07-20.csv.gz";

/// Path of the bundled benign list, relative to the page.
pub const BENIGN_LIST: &str = "sample/benign-top-sites.csv";

/// Path of the packed IP-to-ASN table, relative to the page.
pub const ASN_TABLE: &str = "asn/asn-ipv4.bin";

/// Credit lines shown in the UI footer, as the data terms ask.
pub const CREDITS: &[(&str, &str, &str)] = &[
    (
        "Honeypot sample",
        "Daniel Blander / Jay Jacobs, Data Driven Security \"marx\" AWS \
         honeypot data set (2013)",
        "https://github.com/tcrug/marx_data",
    ),
    (
        "DShield formats",
        "SANS Technology Institute, Internet Storm Center",
        "https://isc.sans.edu",
    ),
    (
        "IP to ASN",
        "RouteViews, NRO and DB-IP via ip-location-db (CC BY 4.0)",
        "https://db-ip.com",
    ),
    (
        "Benign list",
        "Alexa top-1000 site addresses, from frochet/shadow-plugin-tor",
        "https://github.com/frochet/shadow-plugin-tor",
    ),
];

/// A benign address list read from text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenignList {
    /// Distinct addresses, sorted.
    pub addresses: Vec<u32>,
    /// Lines that held no IPv4 address: (1-based line, text).
    pub skipped: Vec<(u64, String)>,
    /// How many lines were skipped in all.
    pub skipped_count: u64,
}

/// Reads a benign list: one address per line, or CSV rows with the
/// address in any field (`rank,domain,ip` as in the bundled list).
/// Comment lines (`#`) and blanks are ignored.
pub fn parse_benign(text: &str) -> BenignList {
    let mut list = BenignList::default();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_start_matches('\u{feff}').trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let found = line
            .split([',', '\t', ';', ' '])
            .find_map(|field| parse_ipv4(field.trim().trim_matches('"')));
        match found {
            Some(ip) => list.addresses.push(ip),
            None => {
                list.skipped_count += 1;
                if list.skipped.len() < 5 {
                    let cut: String = line.chars().take(120).collect();
                    list.skipped.push((i as u64 + 1, cut));
                }
            }
        }
    }
    list.addresses.sort_unstable();
    list.addresses.dedup();
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_csv_and_plain_lines() {
        let text = "\u{feff}1,google.com,172.217.168.206\r\n\
                    # comment\n\n8.8.8.8\nnot an address\n\
                    2,dup.example,172.217.168.206\n";
        let list = parse_benign(text);
        assert_eq!(list.addresses, vec![0x0808_0808, 0xACD9_A8CE]);
        assert_eq!(list.skipped_count, 1);
        assert_eq!(list.skipped, vec![(5, "not an address".to_string())]);
    }

    #[test]
    fn bundled_list_has_895_distinct_addresses() {
        let text = include_str!("../assets/sample/benign-top-sites.csv");
        let list = parse_benign(text);
        assert_eq!(list.addresses.len(), 895);
        assert_eq!(list.skipped_count, 0);
    }
}
