//! The SVM benchmark on the shared synthetic set: our model against
//! smartcore's exact SVC, beside published reference figures.
//!
//! The clock is passed in (seconds as f64), so the same code times itself
//! natively (`Instant`) and in the browser (`performance.now()`); this
//! module never reads a clock or a file itself.

use std::io::Read;

use flate2::read::GzDecoder;

use super::exact::ExactSvm;
use super::{Model, ModelError, TrainParams};

/// One measured benchmark line.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BenchRow {
    /// What was measured.
    pub tool: String,
    /// Training rows.
    pub rows: usize,
    /// Seconds to fit.
    pub fit_s: f64,
    /// Seconds to predict one million rows (see `predict_rows`).
    pub predict_1m_s: f64,
    /// Rows actually predicted for the timing; below one million the
    /// figure is scaled up linearly.
    pub predict_rows: usize,
    /// Accuracy on the test set.
    pub accuracy: f64,
}

/// One published reference line (text, as printed in the source table).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReferenceRow {
    /// Tool and build.
    pub tool: &'static str,
    /// Training rows.
    pub rows: &'static str,
    /// Seconds to fit.
    pub fit_s: &'static str,
    /// Seconds to predict one million rows.
    pub predict_1m_s: &'static str,
    /// Test accuracy.
    pub accuracy: &'static str,
}

/// Reference figures published with the benchmark set (its README): one
/// thread on a 2-core machine, C = 1, gamma ~ 2.03. Not measured here.
pub const REFERENCE: &[ReferenceRow] = &[
    reference("libsvm RBF (sklearn SVC), native", "10k", "0.87", "75", "0.867"),
    reference("libsvm RBF (sklearn SVC), native", "30k", "14", "~210", "0.867"),
    reference(
        "libsvm RBF (sklearn SVC), native",
        "100k",
        "79-91",
        "~610",
        "0.868",
    ),
    reference("libsvm-js (wasm)", "10k", "1.96", "72", "0.867"),
    reference("libsvm-js (wasm)", "30k", "21.3", "~265", "0.867"),
    reference("libsvm-js (wasm)", "100k", "258", "~1300", "0.868"),
    reference("smartcore 0.7 SVC RBF, native", "2k", "2.5", "54", "0.862"),
    reference("smartcore 0.7 SVC RBF, native", "5k", "37", "~120", "0.865"),
    reference("smartcore 0.7 SVC RBF, native", "10k", "209", "~204", "0.867"),
    reference("smartcore 0.7 SVC RBF, wasm", "2k", "2.1", "35", "0.862"),
    reference("smartcore 0.7 SVC RBF, wasm", "5k", "31", "86", "0.865"),
    reference("smartcore 0.7 SVC RBF, wasm", "10k", "256", "~207", "0.867"),
    reference("linfa-svm 0.8.1 RBF, native", "10k", "7.7", "59", "0.867"),
    reference("linfa-svm 0.8.1 RBF, native", "30k", "227", "~218", "0.867"),
    reference(
        "liblinear (sklearn LinearSVC)",
        "100k",
        "0.078",
        "0.07",
        "0.858",
    ),
    reference(
        "probe: 128 RFF + linear DCD, wasm",
        "100k",
        "0.37",
        "1.95",
        "0.869",
    ),
];

const fn reference(
    tool: &'static str,
    rows: &'static str,
    fit_s: &'static str,
    predict_1m_s: &'static str,
    accuracy: &'static str,
) -> ReferenceRow {
    ReferenceRow { tool, rows, fit_s, predict_1m_s, accuracy }
}

/// A parsed benchmark CSV: row-major features and labels.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchData {
    /// Row-major feature values.
    pub x: Vec<f32>,
    /// Features per row.
    pub n_features: usize,
    /// Labels (true = attacker).
    pub y: Vec<bool>,
}

/// Parses the set's CSV (gzip or plain): feature columns, then `label`
/// (0 or 1) as the last column.
pub fn parse_csv(bytes: &[u8]) -> Result<BenchData, ModelError> {
    let bad = |what: String| ModelError::Bench(what);
    let mut text = Vec::new();
    if bytes.starts_with(&[0x1f, 0x8b]) {
        GzDecoder::new(bytes)
            .read_to_end(&mut text)
            .map_err(|e| bad(format!("gzip: {e}")))?;
    } else {
        text.extend_from_slice(bytes);
    }
    let mut reader = csv::Reader::from_reader(text.as_slice());
    let header = reader.headers().map_err(|e| bad(e.to_string()))?;
    let n_features = header.len().saturating_sub(1);
    if n_features == 0 || header.get(n_features) != Some("label") {
        return Err(bad(format!("header {header:?} does not end in label")));
    }
    let mut data = BenchData { x: Vec::new(), n_features, y: Vec::new() };
    for (line, record) in reader.records().enumerate() {
        let record = record.map_err(|e| bad(e.to_string()))?;
        let field = |j: usize| -> Result<&str, ModelError> {
            record
                .get(j)
                .ok_or_else(|| bad(format!("line {}: short row", line + 2)))
        };
        for j in 0..n_features {
            let v: f32 = field(j)?.trim().parse().map_err(|_| {
                bad(format!("line {}: bad value {:?}", line + 2, field(j)))
            })?;
            data.x.push(v);
        }
        data.y.push(match field(n_features)?.trim() {
            "1" => true,
            "0" => false,
            other => {
                return Err(bad(format!("line {}: label {other:?}", line + 2)))
            }
        });
    }
    Ok(data)
}

/// Fits our model on all training rows and smartcore's exact SVC on the
/// first `exact_rows[i]` rows, and measures fit time, prediction time per
/// million rows and test accuracy of each.
pub fn svm_benchmark(
    train_csv_gz: &[u8],
    test_csv_gz: &[u8],
    clock: &dyn Fn() -> f64,
    exact_rows: &[usize],
) -> Result<Vec<BenchRow>, ModelError> {
    let train = parse_csv(train_csv_gz)?;
    let test = parse_csv(test_csv_gz)?;
    if train.n_features != test.n_features {
        return Err(ModelError::Shape {
            what: "test features per row",
            expected: train.n_features,
            found: test.n_features,
        });
    }
    let nf = train.n_features;
    let params = TrainParams::default();
    let mut rows = Vec::new();

    // Ours: fit, then predict the test set tiled to one million rows.
    let t0 = clock();
    let model =
        Model::fit(&train.x, nf, &train.y, None, &params, &mut |_| true)?;
    let fit_s = clock() - t0;
    let accuracy = accuracy_of(
        &model
            .decision_batch(&test.x)
            .iter()
            .map(|&f| f > 0.0)
            .collect::<Vec<_>>(),
        &test.y,
    );
    let million: Vec<f32> =
        test.x.iter().copied().cycle().take(1_000_000 * nf).collect();
    let t0 = clock();
    let p = model.probability_batch(&million);
    let predict_s = clock() - t0;
    log::debug!(
        "bench: mean probability {}",
        p.iter().sum::<f64>() / p.len() as f64
    );
    rows.push(BenchRow {
        tool: format!("lwrank RFF D={} + linear DCD", params.n_components),
        rows: train.y.len(),
        fit_s,
        predict_1m_s: predict_s,
        predict_rows: 1_000_000,
        accuracy,
    });

    // smartcore exact on the first rows; prediction timed on the test set.
    for &n in exact_rows {
        let n = n.min(train.y.len());
        let svm =
            ExactSvm::new(&train.x[..n * nf], nf, &train.y[..n], &params)?;
        let t0 = clock();
        let fit = svm.fit()?;
        let fit_s = clock() - t0;
        let t0 = clock();
        let pred = fit.predict_batch(&test.x)?;
        let predict_s = clock() - t0;
        rows.push(BenchRow {
            tool: "smartcore 0.7 SVC RBF (exact)".into(),
            rows: n,
            fit_s,
            predict_1m_s: predict_s * 1e6 / test.y.len() as f64,
            predict_rows: test.y.len(),
            accuracy: accuracy_of(&pred, &test.y),
        });
    }
    Ok(rows)
}

/// Fraction of predictions equal to their labels.
fn accuracy_of(pred: &[bool], labels: &[bool]) -> f64 {
    let correct = pred.iter().zip(labels).filter(|(p, l)| p == l).count();
    correct as f64 / labels.len().max(1) as f64
}

/// Formats measured rows and the reference rows as a Markdown table.
pub fn format_table(measured: &[BenchRow]) -> String {
    let mut out = String::from(
        "| tool | rows | fit s | predict 1M rows s | test accuracy |\n\
         |---|---|---|---|---|\n",
    );
    for r in measured {
        let note = if r.predict_rows < 1_000_000 {
            format!(" (from {} rows)", r.predict_rows)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "| {} (measured) | {} | {:.3} | {:.3}{note} | {:.4} |\n",
            r.tool, r.rows, r.fit_s, r.predict_1m_s, r.accuracy
        ));
    }
    for r in REFERENCE {
        out.push_str(&format!(
            "| {} (reference) | {} | {} | {} | {} |\n",
            r.tool, r.rows, r.fit_s, r.predict_1m_s, r.accuracy
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn parses_plain_csv_and_rejects_bad_labels() {
        let data = parse_csv(b"a,b,label\n0.5,1,1\n0,0.25,0\n").unwrap();
        assert_eq!(data.n_features, 2);
        assert_eq!(data.x, [0.5, 1.0, 0.0, 0.25]);
        assert_eq!(data.y, [true, false]);
        assert!(matches!(
            parse_csv(b"a,label\n0.5,2\n"),
            Err(ModelError::Bench(_))
        ));
        assert!(matches!(
            parse_csv(b"a,b\n0.5,1\n"),
            Err(ModelError::Bench(_))
        ));
    }

    #[test]
    fn table_marks_reference_rows() {
        let table = format_table(&[]);
        assert_eq!(table.lines().count(), 2 + REFERENCE.len());
        assert!(table.contains("| libsvm-js (wasm) (reference) | 100k | 258 |"));
    }
}
