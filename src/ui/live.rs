//! Live recompute: once a result is on screen, moving the half-life
//! slider, picking another behaviour or changing the ASN table re-runs
//! the job in the worker after a short pause, while the old result stays
//! visible and marked as updating until the new one replaces it.

use super::{send, AppState};
use crate::choices::AsnTableInfo;
use crate::event::Behaviour;
use crate::pipeline::RunSettings;
use crate::protocol::{Request, Response};
use leptos::prelude::*;
use std::cell::Cell;
use std::time::Duration;

/// Pause after the last change before the worker is asked again.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// Signals of the live recompute and of the ASN table, shared through
/// context (and kept for the worker bridge).
#[derive(Clone, Copy)]
pub struct LiveState {
    /// The IP-to-ASN table the worker uses, once it said.
    pub asn: RwSignal<Option<AsnTableInfo>>,
    /// "recomputing for h = 5 days…" while a newer result is on its way.
    pub updating: RwSignal<Option<String>>,
    /// The settings of the newest recompute sent.
    wanted: StoredValue<Option<RunSettings>>,
    /// The ASN table generation the result on screen was computed with.
    result_generation: StoredValue<u32>,
    /// The pending debounce timer.
    timer: StoredValue<Option<TimeoutHandle>>,
}

thread_local! {
    static LIVE: Cell<Option<LiveState>> = const { Cell::new(None) };
}

/// The live state, once [`provide`] ran.
pub fn live() -> Option<LiveState> {
    LIVE.get()
}

fn generation(live: LiveState) -> u32 {
    live.asn.with_untracked(|a| a.as_ref().map_or(0, |i| i.generation))
}

/// Creates the live state, puts it in context and watches the settings.
/// Once the worker is ready, [`on_response`] asks it for its ASN table.
pub fn provide(state: AppState) -> LiveState {
    let live = LiveState {
        asn: RwSignal::new(None),
        updating: RwSignal::new(None),
        wanted: StoredValue::new(None),
        result_generation: StoredValue::new(0),
        timer: StoredValue::new(None),
    };
    provide_context(live);
    LIVE.set(Some(live));
    type Key = (f64, Option<Behaviour>, u32);
    Effect::new(move |prev: Option<Key>| {
        let key: Key = (
            state.half_life.get(),
            state.behaviour.get(),
            live.asn.with(|a| a.as_ref().map_or(0, |i| i.generation)),
        );
        if prev.is_some_and(|p| p != key) {
            schedule(state, live);
        }
        key
    });
    live
}

/// Restarts the debounce timer.
fn schedule(state: AppState, live: LiveState) {
    if let Some(old) = live.timer.get_value() {
        old.clear();
    }
    let handle =
        set_timeout_with_handle(move || recompute(state, live), DEBOUNCE);
    live.timer.set_value(handle.ok());
}

/// What changed between a result's settings and the current choices.
fn change_text(
    old: &RunSettings,
    new: &RunSettings,
    table_changed: bool,
) -> String {
    let mut parts = Vec::new();
    if (old.half_life_days - new.half_life_days).abs() > 1e-9 {
        parts.push(format!("h = {} days", new.half_life_days));
    }
    if old.behaviour != new.behaviour {
        parts.push(new.behaviour.label());
    }
    if table_changed {
        parts.push("the new ASN table".to_string());
    }
    format!("recomputing for {}…", parts.join(", "))
}

/// Sends the current choices as a `Retrain` when they differ from the
/// result on screen.
fn recompute(state: AppState, live: LiveState) {
    live.timer.set_value(None);
    let Some(old) =
        state.result.with_untracked(|r| r.as_ref().map(|r| r.settings.clone()))
    else {
        return;
    };
    let Some(behaviour) = state.behaviour.get_untracked() else {
        return;
    };
    // An imported model is never replaced behind the user's back: the
    // mark above the results says which settings it is for instead.
    if state
        .result
        .with_untracked(|r| r.as_ref().is_some_and(|r| r.imported.is_some()))
    {
        return;
    }
    let mut settings = old.clone();
    settings.half_life_days = state.half_life.get_untracked();
    settings.behaviour = behaviour;
    let table_changed = generation(live) != live.result_generation.get_value();
    if settings == old && !table_changed {
        // Back to what is shown: drop a recompute still on its way.
        if live.updating.with_untracked(Option::is_some) {
            live.wanted.set_value(Some(settings.clone()));
            live.updating.set(Some(change_text(&old, &settings, false)));
            send(&Request::Retrain(settings), None);
        }
        return;
    }
    live.updating.set(Some(change_text(&old, &settings, table_changed)));
    live.wanted.set_value(Some(settings.clone()));
    state.problems.update(|p| p.retain(|x| x.context != "train"));
    send(&Request::Retrain(settings), None);
}

/// Follows the worker's replies: a result for the newest settings ends
/// the updating mark, as do Cancel and a failed train.
pub fn on_response(response: &Response) {
    let Some(live) = live() else {
        return;
    };
    match response {
        Response::Trained(result) => {
            let newest = live.wanted.with_value(|w| {
                w.as_ref().is_none_or(|w| *w == result.settings)
            });
            if newest {
                live.wanted.set_value(None);
                live.updating.set(None);
                live.result_generation.set_value(generation(live));
            }
        }
        Response::Cancelled => {
            live.wanted.set_value(None);
            live.updating.set(None);
        }
        Response::Failed { context, .. }
            if context == "train" || context == "ASN table" =>
        {
            live.wanted.set_value(None);
            live.updating.set(None);
        }
        // Messages sent before the worker listens are lost: ask now.
        Response::Ready => send(&Request::AsnStatus, None),
        Response::AsnTable(info) => {
            live.asn.set(Some((**info).clone()));
        }
        _ => {}
    }
}

/// The mark above the results: updating, or which settings they are for
/// when the choices moved on without a recompute (after Cancel).
#[component]
pub fn Updating() -> impl IntoView {
    let state = expect_context::<AppState>();
    let live = expect_context::<LiveState>();
    let stale = move || {
        if live.updating.with(Option::is_some) {
            return None;
        }
        let (r, imported) = state.result.with(|r| {
            r.as_ref().map(|r| {
                (
                    (r.settings.half_life_days, r.settings.behaviour.clone()),
                    r.imported.is_some(),
                )
            })
        })?;
        let table = live.asn.with(|a| a.as_ref().map_or(0, |i| i.generation));
        let moved = (r.0 - state.half_life.get()).abs() > 1e-9
            || state.behaviour.with(|b| b.as_ref() != Some(&r.1))
            || (table != 0 && table != live.result_generation.get_value());
        moved.then(|| {
            format!(
                "These results are for h = {} days, {}{}; press Train for the current settings{}.",
                r.0,
                r.1.label(),
                if table != live.result_generation.get_value() {
                    ", with the previous ASN table"
                } else {
                    ""
                },
                if imported { " (this replaces the imported model)" } else { "" }
            )
        })
    };
    view! {
        {move || live.updating.get().map(|text| view! {
            <p id="updating" class="updating" role="status" aria-live="polite">{text}</p>
        })}
        {move || stale().map(|text| view! {
            <p id="stale" class="stale" role="status">{text}</p>
        })}
    }
}
