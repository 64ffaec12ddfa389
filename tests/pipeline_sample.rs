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

#[test]
fn exported_model_reimported_tests_every_pair_and_maps_the_same() {
    use lwrank::model_file::ModelFile;
    let (events, benign, asn) = load();
    let settings = RunSettings {
        behaviour: Behaviour::tcp(22),
        half_life_days: 2.0,
        feature_set: lwrank::features::FeatureSet::Talk,
        cv_folds: 0,
        ..RunSettings::default()
    };
    let (trained_result, trained) = pipeline::run(
        &events,
        &benign,
        &asn,
        &settings,
        &|| 0.0,
        &mut |_, _| true,
    )
    .unwrap();
    let train_day = trained.map_day - 1;
    let text =
        ModelFile::new(trained.model.clone(), &settings, train_day).to_json();
    let file = ModelFile::from_json("lwrank-model.json", &text).unwrap();
    assert_eq!(file.settings().half_life_days, 2.0);
    let (result, again) = lwrank::model_file::run_imported(
        &events,
        &benign,
        &asn,
        &file,
        "lwrank-model.json",
        &|| 0.0,
        &mut |_| true,
    )
    .unwrap();
    let imported = result.imported.as_ref().unwrap();
    assert_eq!(imported.train_day, day_from_ymd(2013, 7, 20).unwrap());
    assert_eq!(imported.file, "lwrank-model.json");
    assert_eq!(result.settings.feature_set, settings.feature_set);
    assert_eq!(result.settings.half_life_days, 2.0);
    // Every day pair tested, nothing trained, no comparison.
    assert_eq!(result.pairs.len(), trained_result.pairs.len());
    assert!(result.pairs.iter().all(|p| p.train_rows == 0));
    assert!(result.comparison.sets.is_empty());
    // The baselines see the same rows, so their counts and AUCs are
    // identical (TPR at matched TNR follows the model's TNR).
    for (a, b) in result.pooled[1..].iter().zip(&trained_result.pooled[1..]) {
        assert_eq!((&a.name, a.confusion), (&b.name, b.confusion));
        assert_eq!(a.median_auc, b.median_auc);
    }
    // The same model on the same ranks draws the same map.
    assert_eq!(result.map, trained_result.map);
    assert_eq!(again.model, trained.model);
    // One model for every day is not the walk-forward's model per day.
    assert_ne!(result.pooled[0], trained_result.pooled[0]);
    println!("imported model {:?}", result.pooled[0]);
}
