//! The rail's "ASN table" block: which IP-to-ASN table is in use (name,
//! ranges, age), a file input and drop target for the user's own table,
//! the way back to the bundled one, and the bundled table's credits.

use super::live::LiveState;
use super::rail::fmt_int;
use super::{send, AppState};
use crate::choices::{table_age_text, AsnTableInfo};
use crate::event::day_from_unix;
use crate::protocol::Request;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, File, HtmlInputElement};

fn load(state: AppState, file: Option<File>) {
    let Some(file) = file else {
        return;
    };
    state.problems.update(|p| p.retain(|x| x.context != "ASN file"));
    send(&Request::LoadAsn { name: file.name() }, Some(&file));
}

/// Today as a day number, from the page's clock.
fn today() -> i32 {
    day_from_unix((js_sys::Date::now() / 1000.0) as i64)
}

/// "411,961 ranges · built 2026-06-17, 4,715 days after your newest data".
fn facts(info: &AsnTableInfo, newest: Option<i32>) -> String {
    format!(
        "{} ranges · {}",
        fmt_int(info.ranges as u64),
        table_age_text(info.built.as_deref(), newest, today())
    )
}

/// Rows the reader refused, with the first line of each reason.
fn skipped_text(info: &AsnTableInfo) -> Option<String> {
    let total: u64 = info.skipped.iter().map(|s| s.1).sum();
    if total == 0 {
        return None;
    }
    let reasons = info
        .skipped
        .iter()
        .map(|(why, n, line)| {
            format!("{why}: {} (first on line {line})", fmt_int(*n))
        })
        .collect::<Vec<_>>()
        .join("; ");
    Some(format!(
        "{} of {} rows skipped: {reasons}",
        fmt_int(total),
        fmt_int(info.rows)
    ))
}

/// The ASN table block of the rail.
#[component]
pub fn AsnCard() -> impl IntoView {
    let state = expect_context::<AppState>();
    let live = expect_context::<LiveState>();
    let (over, set_over) = signal(false);
    let on_pick = move |ev: leptos::ev::Event| {
        let target =
            ev.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok());
        if let Some(el) = target {
            load(state, el.files().and_then(|f| f.get(0)));
            el.set_value("");
        }
    };
    let on_drop = move |ev: DragEvent| {
        ev.prevent_default();
        set_over.set(false);
        let file =
            ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0));
        load(state, file);
    };
    let newest = move || state.inventory.with(|i| i.days.map(|d| d.1));
    let status = move || {
        live.asn.with(|a| match a {
            None => "bundled ip-location-db table: loading…".to_string(),
            Some(info) if info.bundled => {
                format!("bundled: {} · {}", info.name, facts(info, newest()))
            }
            Some(info) => format!(
                "yours: {} ({}) · {}",
                info.name,
                info.format,
                facts(info, newest())
            ),
        })
    };
    let skipped = move || live.asn.with(|a| a.as_ref().and_then(skipped_text));
    let bundled =
        move || live.asn.with(|a| a.as_ref().is_none_or(|i| i.bundled));
    view! {
        <section class="settings asn-table" aria-label="IP-to-ASN table">
            <label for="asn-input">"ASN table"</label>
            <p id="asn-status" class="asn-status">{status}</p>
            {move || skipped().map(|t| view! { <p class="hint" id="asn-skipped">{t}</p> })}
            <div
                class="asn-drop"
                class:over=over
                on:dragover=move |ev: DragEvent| {
                    ev.prevent_default();
                    set_over.set(true);
                }
                on:dragleave=move |_| set_over.set(false)
                on:drop=on_drop
            >
                <span class="hint">"Use your own: drop or choose an ip-location-db CSV, iptoasn ip2asn TSV or RouteViews pfx2as file (gzip welcome)."</span>
                <input id="asn-input" type="file" on:change=on_pick/>
            </div>
            <button
                id="asn-bundled"
                class="small"
                disabled=bundled
                on:click=move |_| {
                    state.problems.update(|p| p.retain(|x| x.context != "ASN file"));
                    send(&Request::UseBundledAsn, None);
                }
            >
                "use bundled table"
            </button>
            {move || state.problem_for("ASN file").map(|e| view! {
                <p id="asn-error" class="problem" role="alert">{e}" — the table in use did not change."</p>
            })}
            <p class="hint credit">
                "Bundled table: RouteViews, NRO and DB-IP via ip-location-db, "
                <a href="https://creativecommons.org/licenses/by/4.0/" rel="noreferrer" target="_blank">"CC BY 4.0"</a>
                "; IP-to-ASN data by "
                <a href="https://db-ip.com" rel="noreferrer" target="_blank">"DB-IP"</a>"."
            </p>
        </section>
    }
}
