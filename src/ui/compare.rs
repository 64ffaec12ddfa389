//! The feature-set comparison under the next-day figures: per-day AUC of
//! every compared set beside the best baseline, and a table of medians.

use super::results::{lr, pct};
use crate::chart;
use crate::event::Day;
use crate::pipeline::RunResult;
use leptos::prelude::*;

fn auc(v: Option<f64>) -> String {
    v.map_or("–".to_string(), |v| format!("{v:.3}"))
}

/// The comparison section; nothing for an imported model.
#[component]
pub fn FeatureComparisonView(result: RunResult) -> impl IntoView {
    let cmp = result.comparison.clone();
    if cmp.sets.is_empty() {
        return None;
    }
    let best = result.best_baseline();
    let baseline: Option<(String, Vec<(Day, f64)>)> = best.map(|i| {
        let points = result
            .pairs
            .iter()
            .filter_map(|p| Some((p.test_day, p.scored.get(i)?.auc?)))
            .collect();
        (result.pooled[i].name.clone(), points)
    });
    let svg = chart::comparison_svg(
        &cmp,
        baseline.as_ref().map(|(n, p)| (n.as_str(), p.as_slice())),
    );
    let rows = cmp
        .sets
        .iter()
        .map(|s| {
            let p = &s.pooled;
            view! {
                <tr class:model=s.chosen data-set=s.name.clone()>
                    <th scope="row">{s.name.clone()}{s.chosen.then_some(" (chosen)")}</th>
                    <td class="num">{s.feature_names.len()}</td>
                    <td class="num median-auc">{auc(p.median_auc)}</td>
                    <td class="num">{pct(p.median_tpr_at_model_tnr)}</td>
                    <td class="num">{lr(p.confusion.lr_plus())}</td>
                </tr>
            }
        })
        .collect_view();
    let baseline_row = best.map(|i| {
        let p = &result.pooled[i];
        view! {
            <tr class="baseline">
                <th scope="row">{format!("baseline: {}", p.name)}</th>
                <td class="num">"–"</td>
                <td class="num median-auc">{auc(p.median_auc)}</td>
                <td class="num">{pct(p.median_tpr_at_model_tnr)}</td>
                <td class="num">{lr(p.confusion.lr_plus())}</td>
            </tr>
        }
    });
    Some(view! {
        <h3>"Feature sets compared"</h3>
        <p class="hint">
            "Each set trained and tested on the same day pairs and held-out negatives (no cross-validation). "
            "TPR is taken where each set's threshold gives the chosen model's TNR of the day; LR+ pools the counts at each set's own threshold."
        </p>
        <div id="feature-chart" class="chart" inner_html=svg></div>
        <table id="feature-table" class="figures-table">
            <thead>
                <tr>
                    <th scope="col">"features"</th>
                    <th scope="col">"columns"</th>
                    <th scope="col">"median AUC"</th>
                    <th scope="col">"TPR at model TNR"</th>
                    <th scope="col">"LR+"</th>
                </tr>
            </thead>
            <tbody>{rows}{baseline_row}</tbody>
        </table>
    })
}
