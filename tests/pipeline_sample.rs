//! The whole pipeline on the bundled sample, as the app runs it.

#![allow(clippy::unwrap_used)]

use lwrank::asn::AsnTable;
use lwrank::event::{day_from_ymd, Behaviour};
use lwrank::model::metrics::LrPlus;
use lwrank::pipeline::{self, RunSettings};

fn load() -> (Vec<lwrank::event::Event>, Vec<u32>, AsnTable) {
    let sample =
        include_bytes!("../assets/sample/marx-2013-06-21_to_07-20.csv.gz");
    let parsed = lwrank::ingest::parse_bytes("sample", sample).unwrap();
    let benign = lwrank::sample::parse_benign(include_str!(
        "../assets/sample/benign-top-sites.csv"
    ));
    let asn =
        AsnTable::from_packed(include_bytes!("../assets/asn/asn-ipv4.bin"))
            .unwrap();
    (parsed.events, benign.addresses, asn)
}

#[test]
fn sample_tcp22_walk_forward() {
    let (events, benign, asn) = load();
    let settings = RunSettings::default();
    let (result, trained) = pipeline::run(
        &events,
        &benign,
        &asn,
        &settings,
        &|| 0.0,
        &mut |_, _| true,
    )
    .unwrap();

    // 30 days, the first has no history and the last no next day.
    assert_eq!(result.days.len(), 30);
    assert_eq!(result.days[0].day, day_from_ymd(2013, 6, 21).unwrap());
    assert_eq!(result.pairs.len(), 28);
    assert_eq!(result.map_day, day_from_ymd(2013, 7, 21).unwrap());
    assert_eq!(trained.map_day, result.map_day);

    // Model first, then the three baselines, on identical test rows.
    let names: Vec<&str> =
        result.pooled.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names[0], "model");
    assert_eq!(names.len(), 4);
    let total = |i: usize| {
        let c = result.pooled[i].confusion;
        (c.tp + c.fn_, c.tn + c.fp)
    };
    for i in 1..4 {
        assert_eq!(total(i), total(0));
    }

    // The benign split shares no ASN between its halves.
    let train_asns: std::collections::HashSet<_> =
        result.benign.train.iter().filter_map(|&ip| asn.lookup(ip)).collect();
    assert!(result
        .benign
        .test
        .iter()
        .filter_map(|&ip| asn.lookup(ip))
        .all(|a| !train_asns.contains(&a)));

    let model = &result.pooled[0];
    let c = model.confusion;
    println!("model: {c:?} auc {:?}", model.median_auc);
    for p in &result.pooled[1..] {
        println!("{}: {:?} auc {:?}", p.name, p.confusion, p.median_auc);
    }
    println!("cv {:?}", result.median_cv_accuracy);
    assert!(c.tpr().unwrap() > 0.4, "model TPR {:?}", c.tpr());
    assert!(model.median_auc.unwrap() > 0.6);
    assert!(result.median_cv_accuracy.unwrap() > 0.7);
    assert!(matches!(c.lr_plus(), LrPlus::Finite(_) | LrPlus::Unbounded));

    // The map covers the whole space, with reserved /8s marked.
    assert_eq!(result.map.cells.len(), 256);
    assert!(result.map.cells[127].is_reserved());
    assert!(result.map.cells[10].is_reserved());
    assert!(result.map.base_rate > 0.0 && result.map.base_rate < 1.0);
}

#[test]
fn same_seed_same_figures() {
    let (events, benign, asn) = load();
    let settings = RunSettings {
        behaviour: Behaviour::tcp(3389),
        cv_folds: 0,
        ..RunSettings::default()
    };
    let run = || {
        pipeline::run(
            &events,
            &benign,
            &asn,
            &settings,
            &|| 0.0,
            &mut |_, _| true,
        )
        .unwrap()
        .0
    };
    let (a, b) = (run(), run());
    assert_eq!(a.pooled, b.pooled);
    assert_eq!(a.map, b.map);
}

#[test]
fn cancel_stops_the_run() {
    let (events, benign, asn) = load();
    let mut calls = 0;
    let outcome = pipeline::run(
        &events,
        &benign,
        &asn,
        &RunSettings::default(),
        &|| 0.0,
        &mut |_, _| {
            calls += 1;
            calls < 3
        },
    );
    assert!(matches!(outcome, Err(pipeline::RunError::Cancelled)));
}

#[test]
fn feature_sets_compared_on_the_same_days() {
    let (events, benign, asn) = load();
    let settings = RunSettings::default();
    let (result, _) = pipeline::run(
        &events,
        &benign,
        &asn,
        &settings,
        &|| 0.0,
        &mut |_, _| true,
    )
    .unwrap();
    let cmp = &result.comparison;
    let names: Vec<&str> = cmp.sets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "talk",
            "extended",
            "talk + special",
            "talk + recency",
            "talk + days_seen",
            "talk + volume"
        ]
    );
    let test_days: Vec<_> = result.pairs.iter().map(|p| p.test_day).collect();
    assert_eq!(cmp.test_days, test_days);
    for set in &cmp.sets {
        assert_eq!(set.scored.len(), 28, "{}", set.name);
        // Same held-out rows every day as the main model.
        for (s, p) in set.scored.iter().zip(&result.pairs) {
            let (a, b) = (s.confusion, p.scored[0].confusion);
            assert_eq!(
                (a.tp + a.fn_, a.tn + a.fp),
                (b.tp + b.fn_, b.tn + b.fp)
            );
        }
    }
    let talk = cmp.set("talk").unwrap();
    let extended = cmp.set("extended").unwrap();
    assert_eq!(talk.feature_names.len(), 4);
    assert_eq!(extended.feature_names.len(), 8);
    assert!(extended.chosen && !talk.chosen);
    // The chosen set's row is the main model, day by day.
    assert_eq!(extended.pooled.confusion, result.pooled[0].confusion);
    assert_eq!(extended.pooled.median_auc, result.pooled[0].median_auc);
    for set in &cmp.sets {
        println!(
            "{}: median AUC {:?}, TPR at model TNR {:?}, LR+ {:?}",
            set.name,
            set.pooled.median_auc,
            set.pooled.median_tpr_at_model_tnr,
            set.pooled.confusion.lr_plus()
        );
    }
    let best = result.best_baseline().unwrap();
    println!(
        "best baseline {}: {:?}",
        result.pooled[best].name, result.pooled[best].median_auc
    );
    let auc = |name: &str| cmp.set(name).unwrap().pooled.median_auc.unwrap();
    // Pinned: computed by this pipeline on the bundled sample (seeded).
    assert_eq!(auc("talk"), 0.8098207921800225);
    assert_eq!(auc("extended"), 0.8152694887226881);
    assert_eq!(auc("talk + special"), 0.8109901732323731);
    assert_eq!(auc("talk + recency"), 0.8077393917557851);
    assert_eq!(auc("talk + days_seen"), 0.794947835485968);
    assert_eq!(auc("talk + volume"), 0.7925042284673433);
    assert_eq!(result.pooled[best].name, "/16s seen in last 3 days");
    assert!(auc("talk") > result.pooled[best].median_auc.unwrap());
}
