//! What a trained run knows, opened up for inspection: lwRank histograms
//! and the top keys per entity type, and everything about one address.
//!
//! Both reports are built in the worker from [`Trained`] and sent to the
//! page as JSON; the page only draws them. A report for day `D` uses the
//! [`RankView`] of `D`, so it sees events before `D` only, exactly what
//! the model saw when it scored that day.

use serde::{Deserialize, Serialize};

use crate::asn::AsnTable;
use crate::bogon;
use crate::event::{format_day, Day};
use crate::features;
use crate::ip::{format_ipv4, format_prefix, parse_ipv4};
use crate::pipeline::Trained;
use crate::rank::{self, pseudo_asn_label, Entity, RankView};

/// Bins of each lwRank histogram over [0, 1].
pub const HISTOGRAM_BINS: usize = 20;

/// Days of rank history shown beside each top key.
pub const HISTORY_DAYS: usize = 14;

/// One highly ranked key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopKey {
    /// The entity key (address, `ip >> 8`, `ip >> 16` or ASN key).
    pub key: u32,
    /// "61.177.172.0/24", "AS4134 CHINANET-BACKBONE", ...
    pub label: String,
    /// Who announces it ("AS4134 …"); empty for ASNs and unrouted keys.
    pub owner: String,
    /// lwRank on the report's day.
    pub rank: f32,
    /// lwRank on each of the [`HISTORY_DAYS`] days ending with the
    /// report's day, oldest first.
    pub history: Vec<f32>,
}

/// The ranks of one entity type on one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntityReport {
    /// The entity type.
    pub entity: Entity,
    /// Keys with an event before the day (all have lwRank > 0).
    pub ranked: usize,
    /// Keys per lwRank bin, [`HISTOGRAM_BINS`] equal bins over [0, 1].
    pub histogram: Vec<u64>,
    /// The best keys, best first (ties by key).
    pub top: Vec<TopKey>,
}

/// Histograms and top keys of all four entity types on one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RankReport {
    /// The day the ranks are for (events before it count).
    pub day: Day,
    /// Whether `day` is the day after the data (the map's day).
    pub is_map_day: bool,
    /// One report per entity type, in [`Entity::ALL`] order.
    pub entities: Vec<EntityReport>,
}

/// What the events before a day say about one address.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AddressStats {
    /// The last day with an event.
    pub last_seen: Day,
    /// Distinct days with events.
    pub days_seen: u32,
    /// Sum of event weights.
    pub volume: f64,
}

/// Everything known about one address on one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AddressReport {
    /// The address, normalised ("61.177.172.13").
    pub address: String,
    /// The address as a number.
    pub ip: u32,
    /// The day of the ranks and features.
    pub day: Day,
    /// Whether `day` is the day after the data (the map's day).
    pub is_map_day: bool,
    /// The announcing ASN in the table, if any.
    pub asn: Option<u32>,
    /// "AS4134 CHINANET-BACKBONE", or "not announced" when no row holds it.
    pub owner: String,
    /// The special-purpose range holding it ("Private-Use (RFC 1918)").
    pub special: Option<String>,
    /// Whether that range is a bogon (never a legitimate source).
    pub bogon: bool,
    /// The labels of its four entities: address, /24, /16, ASN key.
    pub entity_labels: Vec<String>,
    /// lwRank of its IP, /24, /16 and ASN: [IP, /24, /16, ASN].
    pub ranks: [f32; 4],
    /// The model's feature row for it, with the column names.
    pub features: Vec<(String, f32)>,
    /// Its own activity before the day, if it had any.
    pub stats: Option<AddressStats>,
    /// Whether it was a blocked source of the behaviour on `day`.
    pub blocked_on_day: bool,
    /// The last model's calibrated probability that it attacks.
    pub probability: f64,
    /// The last model's decision value (> 0 = flagged).
    pub decision: f64,
}

/// The display label of a key: an address, a prefix or an ASN.
pub fn key_label(entity: Entity, key: u32, asn: &AsnTable) -> String {
    match entity {
        Entity::Ip => format_ipv4(key),
        Entity::Slash24 => format_prefix(key << 8, 24),
        Entity::Slash16 => format_prefix(key << 16, 16),
        Entity::Asn => asn_label(key, asn),
    }
}

/// "AS4134 CHINANET-BACKBONE", "AS64500" without a name, or the label
/// of a pseudo-ASN ("unrouted /8 41").
pub fn asn_label(key: u32, asn: &AsnTable) -> String {
    if let Some(label) = pseudo_asn_label(key) {
        return label;
    }
    match asn.name(key) {
        Some(name) if !name.is_empty() => format!("AS{key} {name}"),
        _ => format!("AS{key}"),
    }
}

/// The owner of the first address of a key's block, empty when none.
fn owner(entity: Entity, key: u32, asn: &AsnTable) -> String {
    let first = match entity {
        Entity::Ip => key,
        Entity::Slash24 => key << 8,
        Entity::Slash16 => key << 16,
        Entity::Asn => return String::new(),
    };
    asn.lookup(first).map_or(String::new(), |a| asn_label(a, asn))
}

/// Histograms and the `top_n` keys per entity type on `day`.
pub fn rank_report(
    trained: &Trained,
    asn: &AsnTable,
    day: Day,
    top_n: usize,
) -> RankReport {
    let view = trained.history.view(day);
    let entities = Entity::ALL
        .iter()
        .map(|&entity| entity_report(&view, asn, entity, top_n))
        .collect();
    RankReport { day, is_map_day: day == trained.map_day, entities }
}

fn entity_report(
    view: &RankView,
    asn: &AsnTable,
    entity: Entity,
    top_n: usize,
) -> EntityReport {
    let histogram = rank::histogram(view, entity, HISTOGRAM_BINS);
    let top = view
        .top(entity, top_n)
        .into_iter()
        .map(|(key, rank)| TopKey {
            key,
            label: key_label(entity, key, asn),
            owner: owner(entity, key, asn),
            rank,
            history: view.history(entity, key, HISTORY_DAYS),
        })
        .collect();
    EntityReport {
        entity,
        ranked: histogram.iter().sum::<u64>() as usize,
        histogram,
        top,
    }
}

/// Everything about the address in `text` on `day`; an error sentence
/// naming the text when it is not an IPv4 address or the day has no
/// ranks.
pub fn address_report(
    trained: &Trained,
    asn: &AsnTable,
    text: &str,
    day: Day,
) -> Result<AddressReport, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("type an IPv4 address, e.g. 61.177.172.13".to_string());
    }
    let Some(ip) = parse_ipv4(text) else {
        return Err(format!(
            "\u{201c}{text}\u{201d} is not an IPv4 address \
             (four numbers 0-255 separated by dots, e.g. 61.177.172.13)"
        ));
    };
    let first = trained.history.first_day();
    if first.is_none_or(|f| day <= f) || day > trained.map_day {
        return Err(format!(
            "no ranks for {}: pick a day after the first loaded day, up to {}",
            format_day(day),
            format_day(trained.map_day)
        ));
    }
    let view = trained.history.view(day);
    let table_asn = asn.lookup(ip);
    let range = bogon::special_range(ip);
    let asn_key = rank::asn_key(ip, asn);
    let set = trained.settings.feature_set;
    let mut row = Vec::with_capacity(features::len(set));
    features::vector(&view, asn, ip, set, &mut row);
    let names = features::names(set);
    let decision = trained.model.decision(&row);
    Ok(AddressReport {
        address: format_ipv4(ip),
        ip,
        day,
        is_map_day: day == trained.map_day,
        asn: table_asn,
        owner: table_asn
            .map_or("not announced".to_string(), |a| asn_label(a, asn)),
        special: range.map(|r| r.name.to_string()),
        bogon: range.is_some_and(|r| r.bogon),
        entity_labels: Entity::ALL
            .iter()
            .map(|&e| {
                let key = e.key(ip, asn).unwrap_or(asn_key);
                key_label(e, key, asn)
            })
            .collect(),
        ranks: view.ranks(ip, asn),
        features: names
            .iter()
            .map(|n| n.to_string())
            .zip(row.clone())
            .collect(),
        stats: view.ip_stats(ip).map(|s| AddressStats {
            last_seen: s.last_seen,
            days_seen: s.days_seen,
            volume: s.volume,
        }),
        blocked_on_day: trained.sources_on(day).contains(&ip),
        probability: trained.model.probability(&row),
        decision,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::eval::BenignSplit;
    use crate::event::Event;
    use crate::features::FeatureSet;
    use crate::model::{Model, TrainParams};
    use crate::pipeline::RunSettings;
    use crate::rank::{HalfLife, RankHistory, UNROUTED_ASN_BASE};
    use std::collections::BTreeMap;

    const A: u32 = 0x3DB1_AC0D; // 61.177.172.13, AS4134
    const B: u32 = 0x3DB1_AC0E; // 61.177.172.14, AS4134
    const C: u32 = 0x0808_0808; // 8.8.8.8, AS15169
    const U: u32 = 0x2901_0203; // 41.1.2.3, in no row

    fn ev(day: Day, src: u32, weight: u32) -> Event {
        Event { day, src, prefix_len: 32, proto: 6, port: 22, weight }
    }

    fn table() -> AsnTable {
        AsnTable::from_rows([
            (0x0808_0000, 0x0808_FFFF, 15169, "GOOGLE"),
            (0x3DB0_0000, 0x3DB1_FFFF, 4134, "CHINANET-BACKBONE"),
        ])
    }

    /// Days 10 and 11: A sends 8 then 8, B 1, C 3 on day 11, U 1 on 10.
    fn trained() -> Trained {
        let events = vec![
            ev(10, A, 8),
            ev(10, U, 1),
            ev(11, A, 8),
            ev(11, B, 1),
            ev(11, C, 3),
        ];
        let asn = table();
        let history =
            RankHistory::build(&events, &asn, HalfLife::new(1.0).unwrap());
        // A tiny model: rows of [rank_ip, rank_24, rank_16, rank_asn].
        let x: Vec<f32> = [
            [1.0, 1.0, 1.0, 1.0],
            [0.9, 1.0, 1.0, 1.0],
            [0.8, 0.9, 0.9, 0.9],
            [0.0, 0.0, 0.0, 0.1],
            [0.0, 0.1, 0.0, 0.0],
            [0.0, 0.0, 0.0, 0.0],
        ]
        .concat();
        let y = [true, true, true, false, false, false];
        let model =
            Model::fit(&x, 4, &y, None, &TrainParams::default(), &mut |_| true)
                .unwrap();
        let settings = RunSettings {
            feature_set: FeatureSet::Talk,
            ..RunSettings::default()
        };
        let mut by_day = BTreeMap::new();
        by_day.insert(10, vec![A, U]);
        by_day.insert(11, vec![A, B, C]);
        Trained {
            history,
            model,
            settings,
            map_day: 12,
            split: BenignSplit::default(),
            by_day,
        }
    }

    fn close(a: f32, b: f64) -> bool {
        (f64::from(a) - b).abs() < 1e-6
    }

    #[test]
    fn rank_report_has_exact_ranks_and_top_order() {
        let t = trained();
        let r = rank_report(&t, &table(), 12, 10);
        assert_eq!((r.day, r.is_map_day), (12, true));
        let ips = &r.entities[0];
        assert_eq!(ips.entity, Entity::Ip);
        assert_eq!(ips.ranked, 4);
        let labels: Vec<&str> =
            ips.top.iter().map(|k| k.label.as_str()).collect();
        assert_eq!(
            labels,
            ["61.177.172.13", "8.8.8.8", "61.177.172.14", "41.1.2.3"]
        );
        // Scores at the end of day 11 with half-life 1: A 8/2 + 8 = 12,
        // C 3, B 1, U 1/2; lwRank = ln(1 + s) / ln(13).
        let ln13 = 13f64.ln();
        assert_eq!(ips.top[0].rank, 1.0);
        assert!(close(ips.top[1].rank, 4f64.ln() / ln13));
        assert!(close(ips.top[2].rank, 2f64.ln() / ln13));
        assert!(close(ips.top[3].rank, 1.5f64.ln() / ln13));
        assert_eq!(ips.top[0].owner, "AS4134 CHINANET-BACKBONE");
        assert_eq!(ips.top[3].owner, "");
        // History: days -1 to 12; A has no rank up to day 10 (no event
        // before it), then is the top key on days 11 and 12.
        let h = &ips.top[0].history;
        assert_eq!(h.len(), HISTORY_DAYS);
        assert_eq!(&h[..12], &[0.0; 12]);
        assert_eq!(&h[12..], &[1.0, 1.0]);
        // Histogram: 4 keys, the top key in the last bin, U (0.158) in
        // bin 3, B (0.270) in bin 5, C (0.540) in bin 10.
        assert_eq!(ips.histogram.len(), HISTOGRAM_BINS);
        assert_eq!(ips.histogram[19], 1);
        assert_eq!(ips.histogram[3], 1);
        assert_eq!(ips.histogram[5], 1);
        assert_eq!(ips.histogram[10], 1);
        // /24: A and B share 61.177.172.0/24 (12 + 1), then 8.8.8.0/24.
        let s24 = &r.entities[1];
        assert_eq!(s24.top[0].label, "61.177.172.0/24");
        assert_eq!(s24.top[1].label, "8.8.8.0/24");
        assert_eq!(r.entities[2].top[0].label, "61.177.0.0/16");
        // ASN: CHINANET, GOOGLE, then the unrouted pseudo-ASN of 41/8.
        let asns = &r.entities[3];
        let labels: Vec<&str> =
            asns.top.iter().map(|k| k.label.as_str()).collect();
        assert_eq!(
            labels,
            ["AS4134 CHINANET-BACKBONE", "AS15169 GOOGLE", "unrouted /8 41"]
        );
        assert_eq!(asns.top[2].key, UNROUTED_ASN_BASE + 41);
    }

    #[test]
    fn top_n_limits_and_early_day_sees_less() {
        let t = trained();
        let r = rank_report(&t, &table(), 11, 2);
        assert!(!r.is_map_day);
        let ips = &r.entities[0];
        // Before day 11 only A (8) and U (1) were seen.
        assert_eq!(ips.ranked, 2);
        assert_eq!(ips.top.len(), 2);
        assert_eq!(ips.top[0].key, A);
        assert_eq!(ips.top[1].key, U);
        assert!(close(ips.top[1].rank, 2f64.ln() / 9f64.ln()));
    }

    #[test]
    fn address_report_of_a_ranked_address() {
        let t = trained();
        let r = address_report(&t, &table(), " 61.177.172.13 ", 12).unwrap();
        assert_eq!(r.address, "61.177.172.13");
        assert_eq!(r.asn, Some(4134));
        assert_eq!(r.owner, "AS4134 CHINANET-BACKBONE");
        assert_eq!((r.special.clone(), r.bogon), (None, false));
        assert_eq!(
            r.entity_labels,
            [
                "61.177.172.13",
                "61.177.172.0/24",
                "61.177.0.0/16",
                "AS4134 CHINANET-BACKBONE"
            ]
        );
        assert_eq!(r.ranks, [1.0, 1.0, 1.0, 1.0]);
        let names: Vec<&str> =
            r.features.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["rank_ip", "rank_24", "rank_16", "rank_asn"]);
        assert!(r.features.iter().all(|&(_, v)| v == 1.0));
        let s = r.stats.unwrap();
        assert_eq!((s.last_seen, s.days_seen, s.volume), (11, 2, 16.0));
        assert!(!r.blocked_on_day);
        let row = [1.0f32; 4];
        assert_eq!(r.decision, t.model.decision(&row));
        assert_eq!(r.probability, t.model.probability(&row));
        assert!(r.decision > 0.0, "a top-ranked row is flagged");
        let on11 = address_report(&t, &table(), "8.8.8.8", 11).unwrap();
        assert!(on11.blocked_on_day);
        assert_eq!(on11.stats, None);
        assert_eq!(on11.ranks, [0.0; 4]);
    }

    #[test]
    fn bad_text_gives_an_error_naming_it() {
        let t = trained();
        for bad in ["61.177.172", "300.1.2.3", "example.org"] {
            let e = address_report(&t, &table(), bad, 12).unwrap_err();
            assert!(e.contains(bad), "{e}");
            assert!(e.contains("not an IPv4 address"), "{e}");
        }
        let e = address_report(&t, &table(), "  ", 12).unwrap_err();
        assert!(e.starts_with("type an IPv4 address"), "{e}");
        let e = address_report(&t, &table(), "8.8.8.8", 10).unwrap_err();
        assert!(e.contains("1970-01-11"), "{e}");
    }

    #[test]
    fn bogon_is_flagged() {
        let t = trained();
        let r = address_report(&t, &table(), "10.1.2.3", 12).unwrap();
        assert!(r.bogon);
        assert!(r.special.as_deref().unwrap().contains("1918"), "{r:?}");
        assert_eq!(r.asn, None);
        assert_eq!(r.owner, "not announced");
        assert!(r.entity_labels[3].starts_with("bogon: "), "{r:?}");
        assert_eq!(r.stats, None);
        let ok = address_report(&t, &table(), "8.8.8.8", 12).unwrap();
        assert!(!ok.bogon && ok.special.is_none());
    }
}
