//! The behaviour as a typed set of ports (`22, 2222, 8022`) with a
//! protocol choice, checked as the user types and remembered in the
//! browser's local storage.

use super::AppState;
use crate::choices::{behaviour_from_text, ports_text};
use crate::event::Behaviour;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The value of the behaviour list's entry for a typed set.
pub const CUSTOM: &str = "custom";

/// Where the typed set is remembered.
const PORT_SET_KEY: &str = "lwrank.port_set";

/// What is remembered of the typed set.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Remembered {
    /// "tcp", "udp" or "any".
    proto: String,
    /// The text as typed.
    text: String,
    /// Whether the set was the behaviour in use.
    active: bool,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn remembered() -> Option<Remembered> {
    let text = storage()?.get_item(PORT_SET_KEY).ok()??;
    serde_json::from_str(&text).ok()
}

fn remember(r: &Remembered) {
    if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(r)) {
        let _ = s.set_item(PORT_SET_KEY, &text);
    }
}

/// Whether `b` is one of the behaviours the data offers.
fn offered(state: AppState, b: &Behaviour) -> bool {
    state.inventory.with(|i| i.behaviours.iter().any(|x| x.behaviour == *b))
}

/// The behaviour list's entry for a typed set, when one is in use.
pub fn custom_option(state: AppState) -> Option<impl IntoView> {
    let b = state.behaviour.get()?;
    if offered(state, &b) {
        return None;
    }
    Some(view! {
        <option value=CUSTOM selected=true>{format!("{} (typed set)", b.label())}</option>
    })
}

/// The typed port set form.
#[component]
pub fn PortSet() -> impl IntoView {
    let state = expect_context::<AppState>();
    let last = remembered().unwrap_or_default();
    let choice = RwSignal::new(if last.proto.is_empty() {
        "tcp".to_string()
    } else {
        last.proto.clone()
    });
    let text = RwSignal::new(last.text.clone());
    let error = RwSignal::new(None::<String>);
    if last.active {
        if let Ok(b) = behaviour_from_text(&last.proto, &last.text) {
            state.behaviour.set(Some(b));
        }
    }
    // Checked while typing; nothing changes until "Use".
    let check = move || {
        let t = text.get_untracked();
        let msg = if t.trim().is_empty() {
            None
        } else {
            behaviour_from_text(&choice.get_untracked(), &t)
                .err()
                .map(|e| e.to_string())
        };
        error.set(msg);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (c, t) = (choice.get_untracked(), text.get_untracked());
        match behaviour_from_text(&c, &t) {
            Ok(b) => {
                error.set(None);
                text.set(ports_text(&b));
                remember(&Remembered {
                    proto: c,
                    text: ports_text(&b),
                    active: true,
                });
                state.behaviour.set(Some(b));
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    // Picking from the list makes the typed set inactive (but kept).
    Effect::new(move |_| {
        let current = state.behaviour.get();
        let typed =
            behaviour_from_text(&choice.get_untracked(), &text.get_untracked())
                .ok();
        let active = current.is_some() && current == typed;
        if let Some(mut r) = remembered() {
            if r.active != active {
                r.active = active;
                remember(&r);
            }
        }
    });
    let option = move |value: &'static str, label: &'static str| {
        view! {
            <option value=value selected=move || choice.get() == value>{label}</option>
        }
    };
    view! {
        <form class="port-set" on:submit=submit novalidate>
            <label for="port-set">"or type a set of ports"</label>
            <div class="port-set-row">
                <select
                    id="port-proto"
                    aria-label="Protocol of the port set"
                    on:change=move |ev| {
                        choice.set(event_target_value(&ev));
                        check();
                    }
                >
                    {option("tcp", "TCP")}
                    {option("udp", "UDP")}
                    {option("any", "any")}
                </select>
                <input
                    id="port-set"
                    type="text"
                    inputmode="numeric"
                    placeholder="22, 2222, 8022"
                    aria-describedby="port-set-error"
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    prop:value=move || text.get()
                    on:input=move |ev| {
                        text.set(event_target_value(&ev));
                        check();
                    }
                />
                <button id="port-set-use" type="submit" class="small">"Use"</button>
            </div>
            <p id="port-set-error" class="problem" role="alert" hidden=move || error.with(Option::is_none)>
                {move || error.get().unwrap_or_default()}
            </p>
        </form>
    }
}
