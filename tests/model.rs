//! Model tests on a fixed excerpt of the shared synthetic benchmark set
//! (tests/fixtures/model: 5,000 train and 2,000 test rows, seed 42).

#![allow(clippy::unwrap_used)]

use lwrank::model::bench::{parse_csv, BenchData};
use lwrank::model::exact::ExactSvm;
use lwrank::model::metrics::{roc_auc, Confusion};
use lwrank::model::{cross_validate, Model, ModelError, TrainParams};

fn fixture(name: &str) -> BenchData {
    let path =
        format!("{}/tests/fixtures/model/{name}", env!("CARGO_MANIFEST_DIR"));
    parse_csv(&std::fs::read(path).unwrap()).unwrap()
}

fn head(data: &BenchData, n: usize) -> (Vec<f32>, Vec<bool>) {
    (data.x[..n * data.n_features].to_vec(), data.y[..n].to_vec())
}

fn accuracy(pred: &[bool], labels: &[bool]) -> f64 {
    Confusion::from_predictions(pred, labels).accuracy().unwrap()
}

fn fit(x: &[f32], y: &[bool]) -> Model {
    Model::fit(x, 5, y, None, &TrainParams::default(), &mut |_| true).unwrap()
}

#[test]
fn fixture_accuracy_and_auc() {
    let (train, test) = (fixture("train_5k.csv.gz"), fixture("test_2k.csv.gz"));
    assert_eq!((train.y.len(), test.y.len()), (5000, 2000));
    let model = fit(&train.x, &train.y);
    let pred: Vec<bool> = test.x.chunks(5).map(|r| model.predict(r)).collect();
    let acc = accuracy(&pred, &test.y);
    let auc = roc_auc(&model.probability_batch(&test.x), &test.y).unwrap();
    println!("fixture accuracy {acc:.4}, auc {auc:.4}, {:?}", model.info());
    // Measured 0.8625 and 0.9105; the margin allows for other seeds and platforms.
    assert!(acc >= 0.85, "accuracy {acc}");
    assert!(auc >= 0.90, "auc {auc}");
    assert!(model.info().converged);
}

#[test]
fn matches_smartcore_exact_on_the_same_rows() {
    let (train, test) = (fixture("train_5k.csv.gz"), fixture("test_2k.csv.gz"));
    let (x, y) = head(&train, 2000);
    let params = TrainParams::default();
    let exact = ExactSvm::new(&x, 5, &y, &params).unwrap();
    let exact_acc = accuracy(
        &exact.fit().unwrap().predict_batch(&test.x).unwrap(),
        &test.y,
    );
    let model = fit(&x, &y);
    let pred: Vec<bool> = test.x.chunks(5).map(|r| model.predict(r)).collect();
    let ours = accuracy(&pred, &test.y);
    println!("2k rows: ours {ours:.4}, smartcore exact {exact_acc:.4}");
    // Measured ours 0.8605, exact 0.8585. Allowed: 0.5 points, plus 1 point for the sampling noise of a paired
    // comparison on 2,000 test rows (sd of the difference ~0.4 points).
    assert!(ours >= exact_acc - 0.015, "ours {ours} exact {exact_acc}");
}

#[test]
fn probabilities_are_calibrated_on_average() {
    let (train, test) = (fixture("train_5k.csv.gz"), fixture("test_2k.csv.gz"));
    let model = fit(&train.x, &train.y);
    let p = model.probability_batch(&test.x);
    let mean = p.iter().sum::<f64>() / p.len() as f64;
    let base =
        test.y.iter().filter(|&&l| l).count() as f64 / test.y.len() as f64;
    println!("mean probability {mean:.4}, base rate {base:.4}");
    assert!((mean - base).abs() < 0.03, "mean {mean} base {base}");
    assert!(p.iter().all(|&v| v > 0.0 && v < 1.0));
}

#[test]
fn json_round_trip_predicts_the_same() {
    let train = fixture("train_5k.csv.gz");
    let (x, y) = head(&train, 1000);
    let model = fit(&x, &y);
    let back = Model::from_json(&model.to_json()).unwrap();
    let test = fixture("test_2k.csv.gz");
    assert_eq!(
        back.probability_batch(&test.x),
        model.probability_batch(&test.x)
    );
    let single: Vec<f64> =
        test.x.chunks(5).map(|r| back.probability(r)).collect();
    assert_eq!(single, model.probability_batch(&test.x));
    assert!(matches!(Model::from_json("{}"), Err(ModelError::Json(_))));
}

#[test]
fn duality_gap_stops_training_and_old_json_loads() {
    let train = fixture("train_5k.csv.gz");
    // A projected-gradient tolerance that is never met: only the relative
    // duality gap can stop the solver before the epoch cap.
    let p = TrainParams { tol: 1e-12, ..TrainParams::default() };
    let model =
        Model::fit(&train.x, 5, &train.y, None, &p, &mut |_| true).unwrap();
    let info = model.info().clone();
    println!("{info:?}");
    assert!(info.converged && info.epochs < p.max_epochs);
    let gap = info.rel_gap.unwrap();
    assert!(gap > 0.0 && gap <= p.rel_tol, "relative gap {gap}");
    // Models saved before the field existed still load.
    let mut json: serde_json::Value =
        serde_json::from_str(&model.to_json()).unwrap();
    let removed = json["info"].as_object_mut().unwrap().remove("rel_gap");
    assert_eq!(removed.and_then(|v| v.as_f64()), Some(gap));
    let old = Model::from_json(&json.to_string()).unwrap();
    assert_eq!(old.info().rel_gap, None);
}

#[test]
fn merged_duplicates_equal_weighted_rows() {
    let train = fixture("train_5k.csv.gz");
    let (x, y) = head(&train, 600);
    // Every row three times, versus once with weight 3.
    let mut x3 = Vec::new();
    let mut y3 = Vec::new();
    for _ in 0..3 {
        x3.extend_from_slice(&x);
        y3.extend_from_slice(&y);
    }
    let params = TrainParams::default();
    let a = Model::fit(&x3, 5, &y3, None, &params, &mut |_| true).unwrap();
    let w = vec![3.0f32; y.len()];
    let b = Model::fit(&x, 5, &y, Some(&w), &params, &mut |_| true).unwrap();
    assert_eq!(a.info().unique_rows, b.info().unique_rows);
    assert_eq!(a.info().rows, 3 * b.info().rows);
    let test = fixture("test_2k.csv.gz");
    let (pa, pb) = (a.decision_batch(&test.x), b.decision_batch(&test.x));
    let worst =
        pa.iter().zip(&pb).map(|(p, q)| (p - q).abs()).fold(0.0, f64::max);
    assert!(worst < 1e-4, "largest decision difference {worst}");
}

#[test]
fn cancel_returns_cancelled() {
    let train = fixture("train_5k.csv.gz");
    let mut calls = 0;
    let err = Model::fit(
        &train.x,
        5,
        &train.y,
        None,
        &TrainParams::default(),
        &mut |f| {
            assert!((0.0..=1.0).contains(&f));
            calls += 1;
            calls < 3
        },
    );
    assert!(matches!(err, Err(ModelError::Cancelled)));
    assert_eq!(calls, 3);
}

#[test]
fn invalid_input_is_rejected() {
    let p = TrainParams { gamma: Some(f64::NAN), ..TrainParams::default() };
    let err =
        Model::fit(&[0.0, 1.0], 1, &[false, true], None, &p, &mut |_| true);
    assert!(matches!(
        err,
        Err(ModelError::InvalidParams { name: "gamma", .. })
    ));
    let p = TrainParams::default();
    let err =
        Model::fit(&[0.0, 1.0, 2.0], 1, &[false, true], None, &p, &mut |_| {
            true
        });
    assert!(matches!(
        err,
        Err(ModelError::Shape { expected: 2, found: 3, .. })
    ));
    let err =
        Model::fit(&[0.0, 1.0], 1, &[true, true], None, &p, &mut |_| true);
    assert!(matches!(
        err,
        Err(ModelError::OneClass { attackers: 2, benign: 0 })
    ));
    let err =
        Model::fit(&[0.0, f32::NAN], 1, &[false, true], None, &p, &mut |_| {
            true
        });
    assert!(matches!(err, Err(ModelError::NonFinite { row: 1, .. })));
    let err = Model::fit(
        &[0.0, 1.0],
        1,
        &[false, true],
        Some(&[1.0, -1.0]),
        &p,
        &mut |_| true,
    );
    assert!(matches!(err, Err(ModelError::BadWeight { row: 1, .. })));
}

#[test]
fn cross_validation_is_stratified_and_seeded() {
    let train = fixture("train_5k.csv.gz");
    let (x, y) = head(&train, 1500);
    let p = TrainParams::default();
    let a = cross_validate(&x, 5, &y, 3, &p, &mut |_| true).unwrap();
    let b = cross_validate(&x, 5, &y, 3, &p, &mut |_| true).unwrap();
    println!("cv {a:?}");
    assert_eq!(a, b);
    assert_eq!(a.folds.len(), 3);
    assert!(a.accuracy_mean > 0.83 && a.accuracy_std < 0.03, "{a:?}");
}
