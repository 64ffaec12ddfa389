//! Scores and lwRanks on hand-checkable histories.
#![allow(clippy::unwrap_used)]

use lwrank::asn::AsnTable;
use lwrank::event::{Day, Event};
use lwrank::ip::parse_ipv4;
use lwrank::rank::{
    histogram, Entity, HalfLife, IpStats, RankHistory, BOGON_ASN_BASE,
    UNROUTED_ASN_BASE,
};

fn ip(s: &str) -> u32 {
    parse_ipv4(s).unwrap()
}

fn ev(day: Day, src: &str, weight: u32) -> Event {
    Event { day, src: ip(src), prefix_len: 32, proto: 6, port: 22, weight }
}

fn table() -> AsnTable {
    AsnTable::from_rows([
        (ip("1.2.0.0"), ip("1.2.255.255"), 100, "hundred"),
        (ip("5.0.0.0"), ip("5.0.255.255"), 200, "two hundred"),
    ])
}

#[test]
fn seen_once_halves_after_half_life() {
    let h = HalfLife::new(3.0).unwrap();
    let hist = RankHistory::build(&[ev(100, "1.2.3.4", 4)], &table(), h);
    assert_eq!((hist.first_day(), hist.last_day()), (Some(100), Some(100)));
    let key = ip("1.2.3.4");
    // Not before the day after: the event's own day must not see it.
    assert_eq!(hist.view(100).score(Entity::Ip, key), 0.0);
    assert_eq!(hist.view(100).rank(Entity::Ip, key), 0.0);
    assert_eq!(hist.view(101).score(Entity::Ip, key), 4.0);
    assert_eq!(hist.view(104).score(Entity::Ip, key), 2.0);
    assert_eq!(hist.view(107).score(Entity::Ip, key), 1.0);
    for e in Entity::ALL {
        let k = e.key(key, &table()).unwrap();
        assert_eq!(hist.view(104).score(e, k), 2.0, "{e:?}");
        // The only key is the top key, whatever its decay.
        assert_eq!(hist.view(150).rank(e, k), 1.0, "{e:?}");
    }
}

#[test]
fn two_keys_two_days_exact_ranks() {
    // Half-life 1 day. Day 0: A=1.2.3.4 weight 1. Day 1: B=1.2.4.5 weight
    // 3, A weight 1. Both in 1.2/16 and AS 100.
    let h = HalfLife::new(1.0).unwrap();
    let events =
        [ev(0, "1.2.3.4", 1), ev(1, "1.2.4.5", 3), ev(1, "1.2.3.4", 1)];
    let t = table();
    let hist = RankHistory::build(&events, &t, h);
    let (a, b) = (ip("1.2.3.4"), ip("1.2.4.5"));

    let v1 = hist.view(1);
    assert_eq!(v1.ranks(a, &t), [1.0, 1.0, 1.0, 1.0]);
    assert_eq!(v1.ranks(b, &t), [0.0, 0.0, 1.0, 1.0]);

    // End of day 1: A = 1/2 + 1 = 1.5, B = 3; /16 and ASN = 1/2 + 4.
    let v2 = hist.view(2);
    assert_eq!(v2.score(Entity::Ip, a), 1.5);
    assert_eq!(v2.score(Entity::Ip, b), 3.0);
    assert_eq!(v2.score(Entity::Slash16, a >> 16), 4.5);
    assert_eq!(v2.score(Entity::Asn, 100), 4.5);
    let ra = (2.5f64.ln() / 4f64.ln()) as f32;
    assert_eq!(v2.ranks(a, &t), [ra, ra, 1.0, 1.0]);
    assert_eq!(v2.ranks(b, &t), [1.0, 1.0, 1.0, 1.0]);
    assert_eq!(v2.top(Entity::Ip, 5), vec![(b, 1.0), (a, ra)]);
    assert_eq!(v2.seen_ips(), vec![a, b]);
    assert_eq!(v2.seen_24s(), vec![a >> 8, b >> 8]);
    assert_eq!(v2.seen_16s(), vec![a >> 16]);
    assert_eq!(
        v2.ip_stats(a),
        Some(IpStats { last_seen: 1, days_seen: 2, volume: 2.0 })
    );
    assert_eq!(v1.ip_stats(b), None);
    assert_eq!(v2.history(Entity::Ip, a, 3), vec![0.0, 1.0, ra]);
    assert_eq!(histogram(&v2, Entity::Ip, 4), vec![0, 0, 1, 1]);
}

#[test]
fn ranks_bounded_and_zero_when_unseen() {
    let h = HalfLife::new(2.0).unwrap();
    let mut events = Vec::new();
    for d in 0..30 {
        for k in 0..20u32 {
            if (d as u32 * 7 + k * 3) % 5 == 0 {
                let src = format!("5.0.{k}.{}", d % 4);
                events.push(ev(d, &src, 1 + k * (d as u32 % 3)));
            }
        }
    }
    let t = table();
    let hist = RankHistory::build(&events, &t, h);
    for day in [0, 1, 10, 30, 60] {
        let v = hist.view(day);
        for e in Entity::ALL {
            let seen = v.seen(e);
            for &k in &seen {
                let r = v.rank(e, k);
                assert!(r > 0.0 && r <= 1.0, "{e:?} {k} {r}");
            }
            if let Some(&(_, top)) = v.top(e, 1).first() {
                assert_eq!(top, 1.0, "{e:?} day {day}");
            } else {
                assert!(seen.is_empty());
            }
        }
        assert_eq!(v.rank(Entity::Ip, ip("5.0.99.1")), 0.0);
        assert_eq!(v.rank(Entity::Slash24, ip("9.9.9.9") >> 8), 0.0);
        assert_eq!(v.rank(Entity::Asn, 100), 0.0);
    }
    assert!(hist.view(0).seen(Entity::Ip).is_empty());
}

#[test]
fn block_list_prefixes_skip_the_ip_entity() {
    let h = HalfLife::new(7.0).unwrap();
    let mut slash24 = ev(5, "5.0.7.0", 2);
    slash24.prefix_len = 24;
    let mut slash12 = ev(5, "10.16.0.0", 1);
    slash12.prefix_len = 12;
    let t = table();
    let hist = RankHistory::build(&[slash24, slash12], &t, h);
    let v = hist.view(6);
    assert!(v.seen_ips().is_empty());
    assert_eq!(v.seen_24s(), vec![ip("5.0.7.0") >> 8]);
    assert_eq!(v.seen_16s(), vec![ip("5.0.0.0") >> 16, ip("10.16.0.0") >> 16]);
    assert_eq!(v.score(Entity::Asn, 200), 2.0);
    // 10/8 is a bogon (index 1 of the special ranges): its own pseudo-ASN.
    assert_eq!(v.seen(Entity::Asn), vec![200, BOGON_ASN_BASE + 1]);
}

#[test]
fn bogons_and_unrouted_get_pseudo_asns() {
    let h = HalfLife::new(7.0).unwrap();
    let t = table();
    let events = [ev(1, "127.0.0.1", 1), ev(1, "41.1.2.3", 1)];
    let hist = RankHistory::build(&events, &t, h);
    let v = hist.view(2);
    assert_eq!(
        v.seen(Entity::Asn),
        vec![UNROUTED_ASN_BASE + 41, BOGON_ASN_BASE + 3]
    );
    assert_eq!(v.ranks(ip("41.200.0.1"), &t)[3], 1.0);
    assert_eq!(v.ranks(ip("42.0.0.1"), &t)[3], 0.0);
}
