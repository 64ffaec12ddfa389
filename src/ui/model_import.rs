//! The rail's model import: pick or drop a model JSON exported earlier;
//! the worker checks it and tests it on the loaded data.

use super::{send, AppState};
use crate::protocol::Request;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, File, HtmlInputElement};

fn import(state: AppState, file: Option<File>) {
    let Some(file) = file else {
        return;
    };
    state.problems.update(|p| p.retain(|x| x.context != "import"));
    send(&Request::ImportModel { name: file.name() }, Some(&file));
}

/// A file input (and drop target) for a saved model.
#[component]
pub fn ModelImport() -> impl IntoView {
    let state = expect_context::<AppState>();
    let (over, set_over) = signal(false);
    let on_pick = move |ev: leptos::ev::Event| {
        let target =
            ev.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok());
        if let Some(el) = target {
            import(state, el.files().and_then(|f| f.get(0)));
            el.set_value("");
        }
    };
    let on_drop = move |ev: DragEvent| {
        ev.prevent_default();
        set_over.set(false);
        let file =
            ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0));
        import(state, file);
    };
    view! {
        <section
            class="settings model-import"
            class:over=over
            on:dragover=move |ev: DragEvent| {
                ev.prevent_default();
                set_over.set(true);
            }
            on:dragleave=move |_| set_over.set(false)
            on:drop=on_drop
        >
            <label for="model-input">"Use a saved model"</label>
            <p class="hint">"Pick or drop a model JSON exported here: it is tested on every day of the loaded data and draws the map, without retraining; the settings switch to the model's."</p>
            <input
                id="model-input"
                type="file"
                accept=".json,application/json"
                disabled=move || state.busy() || state.inventory.with(|i| i.files.is_empty())
                on:change=on_pick
            />
            {move || state.problem_for("import").map(|e| view! { <p class="problem" role="alert">{e}</p> })}
        </section>
    }
}
