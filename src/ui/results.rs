//! The results zone: next-day figures beside the baselines, the
//! walk-forward chart, per-day counts and the exports, then the ranks
//! section ([`super::ranks`]).

use super::AppState;
use crate::chart::{self, Metric};
use crate::model::metrics::LrPlus;
use crate::pipeline::{Pooled, RunResult};
use crate::protocol::Request;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The results zone.
#[component]
pub fn Results() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <section
            class="results"
            class:is-updating=move || super::live::live().is_some_and(|l| l.updating.with(Option::is_some))
            aria-label="Results"
        >
            <super::live::Updating/>
            {move || state.result.get().map(|r| view! { <Figures result=r/> })}
            {move || state.result.with(Option::is_some).then(|| view! { <super::ranks::Ranks/> })}
            {move || state.result.with(Option::is_none).then(|| view! {
                <p class="hint">"Results appear here after training: next-day accuracy, TPR, TNR, precision, LR+ and AUC beside the naive baselines, and a chart over the days."</p>
            })}
        </section>
    }
}

/// A rate as a percentage with one decimal, "–" when undefined.
pub(super) fn pct(v: Option<f64>) -> String {
    v.map_or("–".to_string(), |v| format!("{:.1} %", v * 100.0))
}

/// LR+ with one decimal, "∞" when unbounded.
pub(super) fn lr(v: LrPlus) -> String {
    match v {
        LrPlus::Finite(x) => format!("{x:.1}"),
        LrPlus::Unbounded => "∞".to_string(),
        LrPlus::Undefined => "–".to_string(),
    }
}

fn row(p: &Pooled, model: bool) -> impl IntoView {
    let c = p.confusion;
    let positives = c.tp + c.fn_;
    let negatives = c.tn + c.fp;
    view! {
        <tr class:model=model>
            <th scope="row">{p.name.clone()}</th>
            <td class="num">{pct(c.accuracy())}</td>
            <td class="num" title=format!("{} of {} attacking sources", c.tp, positives)>{pct(c.tpr())}</td>
            <td class="num" title=format!("{} of {} held-out benign addresses", c.tn, negatives)>{pct(c.tnr())}</td>
            <td class="num">{pct(c.precision())}</td>
            <td class="num" title="TPR / (1 - TNR); ∞ when there was no false alarm">{lr(c.lr_plus())}</td>
            <td class="num">{p.median_auc.map_or("–".to_string(), |v| format!("{v:.3}"))}</td>
            <td class="num">{pct(p.median_tpr_at_model_tnr)}</td>
        </tr>
    }
}

#[component]
fn Figures(result: RunResult) -> impl IntoView {
    let state = expect_context::<AppState>();
    let (metric, set_metric) = signal(Metric::Auc);
    let model = result.pooled.first().cloned();
    let rows = result
        .pooled
        .iter()
        .enumerate()
        .map(|(i, p)| row(p, i == 0))
        .collect_view();
    let pairs = result.pairs.clone();
    let chart_svg = move || chart::walk_forward_svg(&pairs, metric.get());
    let days_svg = chart::day_counts_svg(&result.days);
    let tests = result.pairs.len();
    let (pos, neg) = model.as_ref().map_or((0, 0), |m| {
        (m.confusion.tp + m.confusion.fn_, m.confusion.tn + m.confusion.fp)
    });
    let summary = format!(
        "{} · half-life {:.1} days · {} next-day test{} ({} attacking sources, {} held-out benign addresses in all)",
        result.behaviour,
        result.settings.half_life_days,
        tests,
        if tests == 1 { "" } else { "s" },
        super::rail::fmt_int(pos),
        super::rail::fmt_int(neg)
    );
    let benign = &result.benign;
    let split = format!(
        "Benign addresses: {} for training, {} held out for testing, split by ASN so the test networks were never seen in training; {} dropped (bogons or also blocked).",
        benign.train.len(),
        benign.test.len(),
        benign.dropped
    );
    let noise = (benign.noisy > 0).then(|| {
        format!(
            "Label noise: {} training benign address{} a /24 with a blocked source.",
            benign.noisy,
            if benign.noisy == 1 { " shares" } else { "es share" }
        )
    });
    let timings = result
        .timings
        .iter()
        .map(|(name, ms)| format!("{name} {ms:.0} ms"))
        .collect::<Vec<_>>()
        .join(" · ");
    let csv = pairs_csv(&result);
    let imported = result.imported.as_ref().map(|i| {
        view! {
            <p id="imported-label" class="imported">
                {format!(
                    "imported model trained on {} ({}, lwrank {}): one model tested on every day pair, not retrained",
                    crate::event::format_day(i.train_day),
                    i.file,
                    i.lwrank_version
                )}
            </p>
        }
    });
    view! {
        <div class="figures">
            <h2>"Next-day test"</h2>
            {imported}
            <p class="summary">{summary}</p>
            <table id="figures" class="figures-table">
                <thead>
                    <tr>
                        <th scope="col">"scorer"</th>
                        <th scope="col">"accuracy"</th>
                        <th scope="col">"TPR"</th>
                        <th scope="col">"TNR"</th>
                        <th scope="col">"precision"</th>
                        <th scope="col">"LR+"</th>
                        <th scope="col">"median AUC"</th>
                        <th scope="col" title="TPR of each scorer when its threshold gives the model's TNR">"TPR at model TNR"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="hint">
                "Counts pooled over all test days; AUC and TPR at matched TNR are medians per day. "
                "The baselines never flag a top-site address, so their LR+ is often unbounded: compare AUC and TPR at matched TNR. "
                {if result.imported.is_some() {
                    view! { "No cross-validation: the imported model is tested, never retrained." }.into_any()
                } else {
                    view! {
                        {format!("Median {}-fold cross-validated accuracy on the training days: ", result.settings.cv_folds)}
                        <b id="cv-accuracy" class="num">{pct(result.median_cv_accuracy)}</b>"."
                    }.into_any()
                }}
            </p>
            <p class="hint">{split}</p>
            {noise.map(|n| view! { <p class="warning">{n}</p> })}
            <h3>"Walk-forward, day by day"</h3>
            <div class="metric-switch" role="radiogroup" aria-label="Chart metric">
                {[Metric::Auc, Metric::Tpr, Metric::Tnr].into_iter().map(|m| {
                    let text = match m { Metric::Auc => "AUC", Metric::Tpr => "TPR", Metric::Tnr => "TNR" };
                    view! {
                        <label>
                            <input type="radio" name="metric" prop:checked=move || metric.get() == m on:change=move |_| set_metric.set(m)/>
                            {text}
                        </label>
                    }
                }).collect_view()}
            </div>
            <div id="walk-forward" class="chart" inner_html=chart_svg></div>
            <super::compare::FeatureComparisonView result=result.clone()/>
            <h3>"Sources per day"</h3>
            <div id="day-counts" class="chart" inner_html=days_svg></div>
            <p class="hint num">{timings}</p>
            <div class="exports">
                <button id="export-csv" on:click=move |_| download("lwrank-next-day.csv", "text/csv", &csv)>"Export CSV"</button>
                <button
                    id="export-model"
                    disabled=move || state.busy()
                    on:click=move |_| crate::ui::send(&Request::ExportModel, None)
                >
                    "Export model JSON"
                </button>
            </div>
        </div>
    }
}

/// One CSV row per test day and scorer.
pub fn pairs_csv(result: &RunResult) -> String {
    let mut out = String::from(
        "train_day,test_day,scorer,tp,fn,tn,fp,accuracy,tpr,tnr,precision,lr_plus,auc,cv_accuracy\n",
    );
    let f = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.6}"));
    for p in &result.pairs {
        for s in &p.scored {
            let c = s.confusion;
            let lr = match c.lr_plus() {
                LrPlus::Finite(x) => format!("{x:.6}"),
                LrPlus::Unbounded => "inf".to_string(),
                LrPlus::Undefined => String::new(),
            };
            out.push_str(&format!(
                "{},{},\"{}\",{},{},{},{},{},{},{},{},{},{},{}\n",
                crate::event::format_day(p.train_day),
                crate::event::format_day(p.test_day),
                s.name,
                c.tp,
                c.fn_,
                c.tn,
                c.fp,
                f(c.accuracy()),
                f(c.tpr()),
                f(c.tnr()),
                f(c.precision()),
                lr,
                f(s.auc),
                f(p.cv_accuracy),
            ));
        }
    }
    out
}

/// Offers `text` as a download named `name`.
pub fn download(name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
    else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    download_url(name, &url);
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Offers the resource at `url` as a download named `name`.
pub fn download_url(name: &str, url: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(a) = document.create_element("a") else {
        return;
    };
    let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() else {
        return;
    };
    a.set_href(url);
    a.set_download(name);
    a.click();
}
