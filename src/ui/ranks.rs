//! The ranks section under the figures: lwRank histograms per entity
//! type on a chosen day, the top keys with their rank history, and a
//! search box showing one address's ranks, features and model score.

use super::AppState;
use crate::chart;
use crate::event::{format_day, Day};
use crate::inspect::{AddressReport, TopKey, HISTORY_DAYS};
use crate::protocol::Request;
use crate::rank::Entity;
use leptos::prelude::*;

/// Short id part of an entity type: "ip", "24", "16", "asn".
fn slug(entity: Entity) -> &'static str {
    match entity {
        Entity::Ip => "ip",
        Entity::Slash24 => "24",
        Entity::Slash16 => "16",
        Entity::Asn => "asn",
    }
}

/// Asks the worker about `text` on the chosen day.
fn lookup(state: AppState, text: String) {
    let day = state.inspect_day.get_untracked();
    crate::ui::send(&Request::Lookup { address: text, day }, None);
}

/// The ranks section.
#[component]
pub fn Ranks() -> impl IntoView {
    let state = expect_context::<AppState>();
    let (tab, set_tab) = signal(Entity::Ip);
    let text = RwSignal::new(String::new());

    let day_options = move || {
        let (days, map_day) = state.result.with(|r| {
            r.as_ref().map_or((Vec::new(), 0), |r| {
                let days: Vec<Day> =
                    r.days.iter().skip(1).map(|d| d.day).collect();
                (days, r.map_day)
            })
        });
        let chosen = state.inspect_day.get();
        let mut options = vec![view! {
            <option value=String::new() selected=chosen.is_none()>
                {format!("{} (tomorrow, all data)", format_day(map_day))}
            </option>
        }];
        options.extend(days.into_iter().rev().map(|d| {
            view! {
                <option value=d.to_string() selected=chosen == Some(d)>
                    {format_day(d)}
                </option>
            }
        }));
        options.collect_view()
    };
    let on_day = move |ev: leptos::ev::Event| {
        let day = event_target_value(&ev).parse::<Day>().ok();
        state.inspect_day.set(day);
        crate::ui::send(&Request::Inspect { day }, None);
        if let Some(a) = state.address.get_untracked() {
            lookup(state, a.address);
        }
    };

    let histograms = move || {
        state.ranks.with(|r| {
            r.as_ref().map(|r| {
                r.entities
                    .iter()
                    .map(|e| {
                        let title =
                            format!("{} ({} ranked)", e.entity.label(), e.ranked);
                        let svg = chart::log_histogram_svg(&title, &e.histogram);
                        let id = format!("hist-{}", slug(e.entity));
                        view! { <div id=id class="chart histogram" inner_html=svg></div> }
                    })
                    .collect_view()
            })
        })
    };

    let tabs = Entity::ALL
        .into_iter()
        .map(|e| {
            view! {
                <button
                    role="tab"
                    id=format!("tab-{}", slug(e))
                    class="tab"
                    aria-selected=move || (tab.get() == e).to_string()
                    on:click=move |_| set_tab.set(e)
                >
                    {e.label()}
                </button>
            }
        })
        .collect_view();

    let rows = move || {
        let entity = tab.get();
        state.ranks.with(|r| {
            let e = r.as_ref()?.entities.iter().find(|e| e.entity == entity)?;
            let rows = e
                .top
                .iter()
                .enumerate()
                .map(|(i, k)| top_row(state, text, entity, i, k))
                .collect_view();
            Some(rows)
        })
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        lookup(state, text.get_untracked());
    };

    view! {
        <section class="ranks" aria-label="lwRank">
            <h3>"lwRank on a day"</h3>
            <label class="inline">
                "Ranks as seen at the start of "
                <select id="inspect-day" on:change=on_day>{day_options}</select>
            </label>
            {move || state.problem_for("inspect").map(|m| view! { <p class="problem">{m}</p> })}
            <p class="hint">
                "Keys per lwRank bin, log10(1 + count) on the vertical axis, "
                "from events before the day (as the model saw them)."
            </p>
            <div id="histograms" class="histograms">{histograms}</div>
            <h3>"Top ranked"</h3>
            <div class="tabs" role="tablist" aria-label="Entity type">{tabs}</div>
            <table id="top-table" class="figures-table top-table" role="tabpanel">
                <thead>
                    <tr>
                        <th scope="col">"#"</th>
                        <th scope="col">"key"</th>
                        <th scope="col">"owner"</th>
                        <th scope="col">"lwRank"</th>
                        <th scope="col">{format!("last {HISTORY_DAYS} days")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <h3>"Look up an address"</h3>
            <form class="lookup" on:submit=on_submit>
                <label for="lookup" class="visually-hidden">"IPv4 address"</label>
                <input
                    id="lookup"
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="e.g. 61.177.172.13"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                />
                <button id="lookup-go" type="submit">"Look up"</button>
                {move || state.problem_for("lookup").map(|m| view! {
                    <span id="lookup-problem" class="problem" role="alert">{m}</span>
                })}
            </form>
            {move || state.address.get().map(address_view)}
        </section>
    }
}

/// One row of the top table; addresses are buttons that look them up.
fn top_row(
    state: AppState,
    text: RwSignal<String>,
    entity: Entity,
    i: usize,
    k: &TopKey,
) -> impl IntoView {
    let spark = chart::sparkline_svg(&k.history, 56, 16);
    let trend = k
        .history
        .iter()
        .map(|r| format!("{r:.2}"))
        .collect::<Vec<_>>()
        .join(" ");
    let label = k.label.clone();
    let key_cell = if entity == Entity::Ip {
        let address = label.clone();
        view! {
            <button
                class="link"
                title="Look up this address"
                on:click=move |_| {
                    text.set(address.clone());
                    lookup(state, address.clone());
                }
            >
                {label}
            </button>
        }
        .into_any()
    } else {
        view! { <span>{label}</span> }.into_any()
    };
    view! {
        <tr>
            <td class="num">{i + 1}</td>
            <th scope="row">{key_cell}</th>
            <td class="owner">{k.owner.clone()}</td>
            <td class="num">{format!("{:.3}", k.rank)}</td>
            <td class="spark" title=format!("oldest first: {trend}") inner_html=spark></td>
        </tr>
    }
}

/// The report of one address.
fn address_view(r: AddressReport) -> impl IntoView {
    let when = if r.is_map_day {
        format!("{} (tomorrow)", format_day(r.day))
    } else {
        format_day(r.day)
    };
    let special = match (&r.special, r.bogon) {
        (Some(name), true) => {
            format!("bogon: {name} (should never be a source)")
        }
        (Some(name), false) => format!("special-purpose: {name}"),
        (None, _) => "none".to_string(),
    };
    let seen = match r.stats {
        Some(s) => format!(
            "{} day(s), last on {}, volume {}",
            s.days_seen,
            format_day(s.last_seen),
            s.volume
        ),
        None => "never, as a single address".to_string(),
    };
    let verdict = if r.decision > 0.0 { "flagged" } else { "not flagged" };
    let model = format!(
        "{:.1} % ({verdict}, decision {:+.3})",
        r.probability * 100.0,
        r.decision
    );
    let blocked = (!r.is_map_day).then(|| {
        let text = if r.blocked_on_day { "yes" } else { "no" };
        view! { <dt>"Blocked that day"</dt><dd id="address-blocked">{text}</dd> }
    });
    let ranks = Entity::ALL
        .iter()
        .zip(r.entity_labels.iter())
        .zip(r.ranks.iter())
        .map(|((e, label), rank)| {
            view! {
                <tr>
                    <th scope="row">{e.label()}</th>
                    <td class="key">{label.clone()}</td>
                    <td class="num">{format!("{rank:.3}")}</td>
                </tr>
            }
        })
        .collect_view();
    let features = r
        .features
        .iter()
        .map(|(name, v)| {
            view! {
                <tr>
                    <th scope="row"><code>{name.clone()}</code></th>
                    <td class="num">{format!("{v:.4}")}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div id="address-report" class="address-report" class:bogon=r.bogon>
            <h4>{r.address.clone()}" · "{when}</h4>
            <dl class="address-facts">
                <dt>"Owner"</dt><dd id="address-owner">{r.owner.clone()}</dd>
                <dt>"Special range"</dt><dd id="address-special">{special}</dd>
                <dt>"Seen before"</dt><dd>{seen}</dd>
                {blocked}
                <dt>"Last model"</dt><dd id="address-model" class="num">{model}</dd>
            </dl>
            <table id="address-ranks" class="figures-table">
                <thead>
                    <tr>
                        <th scope="col">"entity"</th>
                        <th scope="col">"key"</th>
                        <th scope="col">"lwRank"</th>
                    </tr>
                </thead>
                <tbody>{ranks}</tbody>
            </table>
            <table id="address-features" class="figures-table">
                <thead>
                    <tr><th scope="col">"feature"</th><th scope="col">"value"</th></tr>
                </thead>
                <tbody>{features}</tbody>
            </table>
        </div>
    }
}
