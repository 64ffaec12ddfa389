//! The left rail: data in, settings, and the Train button.

use super::{send, AppState};
use crate::event::format_day;
use crate::features::FeatureSet;
use crate::ingest::{ColumnMap, FileReport, IngestOptions};
use crate::pipeline::RunSettings;
use crate::protocol::{FileCard, Request};
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::JsCast;
use web_sys::File;
use web_sys::{DragEvent, FileList, HtmlInputElement};

/// Data and settings.
#[component]
pub fn Rail() -> impl IntoView {
    view! {
        <aside class="rail" aria-label="Data and settings">
            <DropZone/>
            <FileCards/>
            <Settings/>
            <TrainBox/>
            <super::model_import::ModelImport/>
            <Negatives/>
            <super::asn_card::AsnCard/>
        </aside>
    }
}

fn load_files(state: AppState, files: Option<FileList>) {
    let Some(files) = files else {
        return;
    };
    for i in 0..files.length() {
        let Some(file) = files.get(i) else {
            continue;
        };
        let id = state.next_id.get_value();
        state.next_id.set_value(id + 1);
        let name = file.name();
        state.pending.update(|p| p.push((id, name.clone())));
        send(
            &Request::LoadFile { id, name, options: IngestOptions::default() },
            Some(&file),
        );
        FILES.with_borrow_mut(|f| f.insert(id, file));
    }
}

thread_local! {
    /// The files the user gave, by card id, so that a CSV can be read
    /// again once its columns are mapped.
    static FILES: RefCell<HashMap<u32, File>> = RefCell::new(HashMap::new());
}

/// Where the last column mapping is remembered.
const MAPPING_KEY: &str = "lwrank.column_map";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The column mapping used last time, if any.
fn remembered_mapping() -> ColumnMap {
    storage()
        .and_then(|s| s.get_item(MAPPING_KEY).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Reads the file of card `id` again with `map`, and remembers `map`.
fn load_mapped(state: AppState, id: u32, name: String, map: ColumnMap) {
    let Some(file) = FILES.with_borrow(|f| f.get(&id).cloned()) else {
        return;
    };
    if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(&map)) {
        let _ = s.set_item(MAPPING_KEY, &text);
    }
    state.failed.update(|f| f.retain(|x| x.0 != id));
    let new_id = state.next_id.get_value();
    state.next_id.set_value(new_id + 1);
    state.pending.update(|p| p.push((new_id, name.clone())));
    let options = IngestOptions { column_map: Some(map), default_day: None };
    send(&Request::LoadFile { id: new_id, name, options }, Some(&file));
    FILES.with_borrow_mut(|f| {
        f.remove(&id);
        f.insert(new_id, file);
    });
}

/// A form naming a CSV's columns, shown on a card the CSV reader refused.
#[component]
fn ColumnMapper(id: u32, name: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let last = remembered_mapping();
    let source = RwSignal::new(last.source);
    let date = RwSignal::new(last.date_or_timestamp);
    let port = RwSignal::new(last.port.unwrap_or_default());
    let proto = RwSignal::new(last.protocol.unwrap_or_default());
    let count = RwSignal::new(last.count.unwrap_or_default());
    let optional = |s: String| {
        let s = s.trim().to_string();
        (!s.is_empty()).then_some(s)
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let map = ColumnMap {
            source: source.get_untracked().trim().to_string(),
            date_or_timestamp: date.get_untracked().trim().to_string(),
            port: optional(port.get_untracked()),
            protocol: optional(proto.get_untracked()),
            count: optional(count.get_untracked()),
        };
        load_mapped(state, id, name.clone(), map);
    };
    let field = move |label: &'static str,
                      class: &'static str,
                      value: RwSignal<String>| {
        view! {
            <label class="map-field">
                <span>{label}</span>
                <input
                    type="text"
                    class=class
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
            </label>
        }
    };
    view! {
        <form class="column-map" on:submit=submit>
            {field("source IP column", "map-source", source)}
            {field("date or timestamp column", "map-date", date)}
            {field("port column (optional)", "map-port", port)}
            {field("protocol column (optional)", "map-proto", proto)}
            {field("count column (optional)", "map-count", count)}
            <button type="submit" class="map-go">"Read with these columns"</button>
        </form>
    }
}

#[component]
fn DropZone() -> impl IntoView {
    let state = expect_context::<AppState>();
    let (over, set_over) = signal(false);
    let input = NodeRef::<leptos::html::Input>::new();
    let on_drop = move |ev: DragEvent| {
        ev.prevent_default();
        set_over.set(false);
        load_files(state, ev.data_transfer().and_then(|d| d.files()));
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let target =
            ev.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok());
        if let Some(el) = target {
            load_files(state, el.files());
            el.set_value("");
        }
    };
    let open_picker = move |_| {
        if let Some(el) = input.get() {
            el.click();
        }
    };
    let sample_error = move || state.problem_for("sample");
    view! {
        <section class="drop" aria-label="Load data">
            <div
                class="dropzone"
                class:over=over
                role="button"
                tabindex="0"
                aria-label="Drop firewall-block exports here or press Enter to choose files"
                on:dragover=move |ev: DragEvent| {
                    ev.prevent_default();
                    set_over.set(true);
                }
                on:dragleave=move |_| set_over.set(false)
                on:drop=on_drop
                on:click=open_picker
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    match ev.key().as_str() {
                        "Enter" | " " => {
                            ev.prevent_default();
                            if let Some(el) = input.get() {
                                el.click();
                            }
                        }
                        "Escape" => set_over.set(false),
                        _ => {}
                    }
                }
            >
                <b>"Drop exports here"</b>
                <span>"or click to choose: DShield feeds and API output, block lists, iptables / cowrie / sensor logs, CSV (gzip welcome)"</span>
            </div>
            <input
                id="file-input"
                type="file"
                multiple
                class="hidden-input"
                node_ref=input
                on:change=on_pick
            />
            <button
                id="try-sample"
                class="primary"
                on:click=move |_| {
                    state.problems.update(|p| p.retain(|x| x.context != "sample"));
                    send(&Request::LoadSample, None);
                }
            >
                "Try the sample"
            </button>
            <p class="hint">"30 days of a real AWS honeypot firewall log (2013) and the top-site addresses as benign examples."</p>
            {move || sample_error().map(|e| view! { <p class="problem" role="alert">{e}</p> })}
        </section>
    }
}

#[component]
fn FileCards() -> impl IntoView {
    let state = expect_context::<AppState>();
    let cards = move || {
        state
            .inventory
            .with(|inv| inv.files.clone())
            .into_iter()
            .map(|card| view! { <LoadedCard card=card/> })
            .collect_view()
    };
    let pending = move || {
        state
            .pending
            .get()
            .into_iter()
            .map(|(_, name)| {
                view! {
                    <li class="card pending">
                        <b class="name">{name}</b>
                        <span>"reading…"</span>
                    </li>
                }
            })
            .collect_view()
    };
    let failed = move || {
        state
            .failed
            .get()
            .into_iter()
            .map(|(id, name, error)| {
                let csv = error.contains("map its source-IP column");
                let mapper = csv.then(|| view! { <ColumnMapper id=id name=name.clone()/> });
                view! {
                    <li class="card failed" role="alert">
                        <b class="name">{name}</b>
                        <p class="problem">{error}</p>
                        {mapper}
                        <button
                            class="small"
                            aria-label="Dismiss"
                            on:click=move |_| state.failed.update(|f| f.retain(|x| x.0 != id))
                        >
                            "Dismiss"
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <ul class="cards" aria-label="Loaded files">
            {cards}
            {pending}
            {failed}
        </ul>
    }
}

fn date_range(report: &FileReport) -> String {
    match (report.first_day, report.last_day) {
        (Some(a), Some(b)) if a == b => format_day(a),
        (Some(a), Some(b)) => format!("{} to {}", format_day(a), format_day(b)),
        _ => "no dates".to_string(),
    }
}

#[component]
fn LoadedCard(card: FileCard) -> impl IntoView {
    let state = expect_context::<AppState>();
    let id = card.id;
    let report = card.report;
    let skipped: u64 = report.skipped.iter().map(|s| s.count).sum();
    let reasons = report
        .skipped
        .iter()
        .map(|group| {
            let examples = group
                .examples
                .iter()
                .map(|(line, text)| {
                    view! { <li><span class="lineno">"line "{*line}</span>" "<code>{text.clone()}</code></li> }
                })
                .collect_view();
            view! {
                <li>
                    <b>{group.reason.clone()}</b>": "{group.count}
                    <ul class="examples">{examples}</ul>
                </li>
            }
        })
        .collect_view();
    view! {
        <li class="card loaded" data-format=report.format.name()>
            <div class="card-head">
                <b class="name" title=report.name.clone()>{report.name.clone()}</b>
                <button
                    class="small"
                    aria-label=format!("Remove {}", report.name)
                    on:click=move |_| send(&Request::RemoveFile { id }, None)
                >
                    "×"
                </button>
            </div>
            <div class="facts">
                <span class="format">{report.format.name()}</span>
                <span>{date_range(&report)}</span>
                <span class="num">{fmt_int(report.events_kept)}" events kept"</span>
                <span class="num">{fmt_int(card.events as u64)}" after merging"</span>
            </div>
            {(!report.warnings.is_empty()).then(|| view! {
                <ul class="file-warnings">
                    {report.warnings.iter().map(|w| view! { <li class="warning">{w.clone()}</li> }).collect_view()}
                </ul>
            })}
            {(skipped > 0).then(|| view! {
                <details class="skipped">
                    <summary>{fmt_int(skipped)}" of "{fmt_int(report.lines_read)}" lines skipped"</summary>
                    <ul>{reasons}</ul>
                </details>
            })}
            {move || (id == 0).then(|| state.inventory.with(|i| i.benign_source.clone()))
                .filter(|s| !s.is_empty())
                .map(|s| view! { <span class="hint">"negatives: "{s}</span> })}
        </li>
    }
}

/// Formats an integer with thin thousands separators.
pub fn fmt_int(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[component]
fn Settings() -> impl IntoView {
    let state = expect_context::<AppState>();
    let options = move || {
        state.inventory.with(|inv| {
            inv.behaviours
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    let text = format!("{} ({} sources)", b.label, fmt_int(b.sources as u64));
                    let selected = state
                        .behaviour
                        .with(|cur| cur.as_ref() == Some(&b.behaviour));
                    view! { <option value=i.to_string() selected=selected>{text}</option> }
                })
                .collect_view()
        })
    };
    let on_behaviour = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if value == super::port_set::CUSTOM {
            return;
        }
        let idx: usize = value.parse().unwrap_or(0);
        let pick = state.inventory.with_untracked(|inv| {
            inv.behaviours.get(idx).map(|b| b.behaviour.clone())
        });
        state.behaviour.set(pick);
    };
    view! {
        <section class="settings" aria-label="Settings">
            <label for="behaviour">"Behaviour to predict"</label>
            <select id="behaviour" on:change=on_behaviour disabled=move || state.inventory.with(|i| i.behaviours.is_empty())>
                {options}
                {move || super::port_set::custom_option(state)}
            </select>
            <super::port_set::PortSet/>
            <label for="half-life">
                "Half-life: "<output class="num">{move || format!("{:.1}", state.half_life.get())}</output>" days"
            </label>
            <input
                id="half-life"
                type="range"
                min="0.5"
                max="14"
                step="0.5"
                prop:value=move || state.half_life.get().to_string()
                on:input=move |ev| {
                    if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                        state.half_life.set(v);
                    }
                }
            />
            <label for="features">"Features"</label>
            <select
                id="features"
                on:change=move |ev| {
                    let set = if event_target_value(&ev) == "talk" { FeatureSet::Talk } else { FeatureSet::Extended };
                    state.feature_set.set(set);
                }
            >
                <option value="extended" prop:selected=move || state.feature_set.get() == FeatureSet::Extended>"extended: 4 ranks + recency, days seen, volume, special flag"</option>
                <option value="talk" prop:selected=move || state.feature_set.get() == FeatureSet::Talk>"the talk's 4 ranks (IP, /24, /16, ASN)"</option>
            </select>
        </section>
    }
}

#[component]
fn TrainBox() -> impl IntoView {
    let state = expect_context::<AppState>();
    let can_train = move || {
        !state.busy()
            && state.behaviour.with(Option::is_some)
            && state.inventory.with(|i| !i.files.is_empty())
    };
    let train = move |_| {
        let Some(behaviour) = state.behaviour.get_untracked() else {
            return;
        };
        let settings = RunSettings {
            behaviour,
            half_life_days: state.half_life.get_untracked(),
            feature_set: state.feature_set.get_untracked(),
            ..RunSettings::default()
        };
        state.problems.update(|p| p.retain(|x| x.context != "train"));
        send(&Request::Train(settings), None);
    };
    // Keep keyboard users in place: Train disables itself and Cancel
    // disappears, which would drop the focus to the page.
    Effect::new(move |was: Option<bool>| {
        let busy = state.progress.with(Option::is_some);
        if was.is_some_and(|w| w != busy) {
            request_animation_frame(move || {
                refocus(if busy { "cancel" } else { "train" })
            });
        }
        busy
    });
    let progress = move || {
        state.progress.get().map(|p| {
            view! {
                <div class="progress" role="status" aria-live="polite">
                    <span class="stage">{p.stage}</span>
                    <progress max="1" value=p.fraction.to_string()></progress>
                    <span class="num">{p.detail}</span>
                    <button id="cancel" on:click=move |_| send(&Request::Cancel, None)>"Cancel"</button>
                </div>
            }
        })
    };
    view! {
        <section class="train">
            <button id="train" class="primary" disabled=move || !can_train() on:click=train>
                "Train"
            </button>
            {progress}
            {move || ["train", "worker", "ASN table"].iter().find_map(|c| state.problem_for(c))
                .map(|e| view! { <p class="problem" role="alert">{e}</p> })}
        </section>
    }
}

/// Focuses the element `id` if the focus was lost (on the page itself or
/// on a disabled control).
fn refocus(id: &str) {
    let document = document();
    let lost = match document.active_element() {
        None => true,
        Some(el) => {
            document.body().is_some_and(|b| *b == el)
                || el.has_attribute("disabled")
        }
    };
    let target = document
        .get_element_by_id(id)
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    if let (true, Some(target)) = (lost, target) {
        let _ = target.focus();
    }
}

#[component]
fn Negatives() -> impl IntoView {
    let state = expect_context::<AppState>();
    let benign_input = NodeRef::<leptos::html::Input>::new();
    let on_benign = move |ev: leptos::ev::Event| {
        let target =
            ev.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok());
        if let Some(file) =
            target.as_ref().and_then(|el| el.files()).and_then(|f| f.get(0))
        {
            send(&Request::LoadBenign { name: file.name() }, Some(&file));
        }
    };
    view! {
        <section class="settings negatives">
            <label for="benign-input">"Negatives (benign addresses)"</label>
            <p class="hint">
                {move || state.inventory.with(|i| if i.benign == 0 {
                    "the bundled top-site addresses (used unless you load a list)".to_string()
                } else {
                    format!("{} addresses: {}", fmt_int(i.benign as u64), i.benign_source)
                })}
                " — split by ASN into a training and a held-out test half; classes weighted to balance."
            </p>
            <input id="benign-input" type="file" node_ref=benign_input on:change=on_benign/>
            {move || state.problem_for("negatives").map(|e| view! { <p class="problem" role="alert">{e}</p> })}
        </section>
    }
}
