//! The page's side of the worker: starts it, sends requests and turns its
//! responses into signal updates.

use super::{AppState, MapLayer, Progress};
use crate::protocol::{Request, Response};
use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, MessageEvent, Worker};

thread_local! {
    static WORKER: RefCell<Option<Worker>> = const { RefCell::new(None) };
}

/// Where trunk puts the worker's loader script.
const WORKER_SCRIPT: &str = "./worker_loader.js";

/// Starts the worker and routes its messages into `state`.
pub fn start(state: AppState) {
    let worker = match Worker::new(WORKER_SCRIPT) {
        Ok(w) => w,
        Err(e) => {
            state.problem(
                "worker",
                format!("the background worker could not start: {e:?}"),
            );
            return;
        }
    };
    let handler =
        Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let Some(text) = ev.data().as_string() else {
                return;
            };
            match serde_json::from_str::<Response>(&text) {
                Ok(response) => receive(state, response),
                Err(e) => log::error!("bad worker message: {e}"),
            }
        });
    worker.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(
        move |ev: web_sys::ErrorEvent| {
            state.progress.set(None);
            state.problem(
                "worker",
                format!("the worker failed: {}", ev.message()),
            );
        },
    );
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    WORKER.with_borrow_mut(|w| *w = Some(worker));
}

/// Sends a request (and optionally a file) to the worker.
pub fn send(request: &Request, file: Option<&Blob>) {
    let Ok(json) = serde_json::to_string(request) else {
        log::error!("cannot encode {request:?}");
        return;
    };
    WORKER.with_borrow(|w| {
        let Some(worker) = w else {
            return;
        };
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"json".into(), &json.into());
        if let Some(file) = file {
            let _ = js_sys::Reflect::set(&message, &"file".into(), file);
        }
        if let Err(e) = worker.post_message(&message) {
            log::error!("post_message failed: {e:?}");
        }
    });
}

fn receive(state: AppState, response: Response) {
    super::live::on_response(&response);
    match response {
        Response::Ready => log::debug!("worker ready"),
        Response::Progress { stage, fraction, detail } => {
            state.progress.set(Some(Progress { stage, fraction, detail }));
        }
        Response::Inventory(inventory) => {
            state.progress.set(None);
            let ids: Vec<u32> = inventory.files.iter().map(|f| f.id).collect();
            state.pending.update(|p| p.retain(|(id, _)| !ids.contains(id)));
            if state.behaviour.with_untracked(Option::is_none) {
                // TCP 22 when present, as in the talk; else the busiest.
                let pick = inventory
                    .behaviours
                    .iter()
                    .find(|b| b.behaviour == crate::event::Behaviour::tcp(22))
                    .or_else(|| inventory.behaviours.first())
                    .map(|b| b.behaviour.clone());
                state.behaviour.set(pick);
            }
            state.inventory.set(inventory);
        }
        Response::FileFailed { id, name, error } => {
            state.progress.set(None);
            state.pending.update(|p| p.retain(|(i, _)| *i != id));
            if id == 0 && name.is_empty() {
                state.problem("sample", error);
            } else {
                state.failed.update(|f| f.push((id, name, error)));
            }
        }
        Response::Trained(result) => {
            state.progress.set(None);
            state.problems.update(|p| p.retain(|x| x.context != "train"));
            let result = *result;
            if result.imported.is_some() {
                // The settings become the imported model's.
                state.problems.update(|p| p.retain(|x| x.context != "import"));
                state.behaviour.set(Some(result.settings.behaviour.clone()));
                state.half_life.set(result.settings.half_life_days);
                state.feature_set.set(result.settings.feature_set);
            }
            state.grid.set(Some(result.map.clone()));
            state.level.set(crate::map::Level::Internet);
            state.layer.set(MapLayer::Predicted);
            state.day.set(Some(result.map_day - 1));
            state.observed.set(None);
            state.owners.set(Vec::new());
            state.ranks.set(None);
            state.address.set(None);
            state.inspect_day.set(None);
            state.problems.update(|p| {
                p.retain(|x| x.context != "lookup" && x.context != "inspect")
            });
            state.result.set(Some(result));
            // Owners and observed counts for the first view.
            state.refresh_map();
            // Rank histograms and top keys for the map's day.
            send(&Request::Inspect { day: None }, None);
        }
        Response::Ranks(report) => {
            state.problems.update(|p| p.retain(|x| x.context != "inspect"));
            state.ranks.set(Some(*report));
        }
        Response::Address(report) => {
            state.problems.update(|p| p.retain(|x| x.context != "lookup"));
            state.address.set(Some(*report));
        }
        Response::Grid {
            layer,
            grid,
            owners,
            observed,
            day,
            sources,
            millis,
        } => {
            if layer != state.layer.get_untracked() {
                return;
            }
            state.progress.set(None);
            state.grid_millis.set(millis);
            state.owners.set(owners);
            state.sources.set(sources);
            state.observed.set(day.map(|d| (d, observed)));
            state.grid.set(Some(*grid));
        }
        Response::ModelJson(text) => {
            state.progress.set(None);
            super::results::download(
                "lwrank-model.json",
                "application/json",
                &text,
            );
        }
        Response::Cancelled => {
            state.progress.set(None);
            // A file cancelled while being read leaves no card behind.
            let loaded: Vec<u32> = state
                .inventory
                .with_untracked(|i| i.files.iter().map(|f| f.id).collect());
            state.pending.update(|p| p.retain(|(id, _)| loaded.contains(id)));
        }
        Response::AsnTable(_) => {
            // Recorded by `live::on_response`; the table load is done.
            state.progress.set(None);
            state.problems.update(|p| {
                p.retain(|x| {
                    x.context != "ASN file" && x.context != "ASN table"
                })
            });
        }
        Response::Failed { context, message } => {
            state.progress.set(None);
            if context == "lookup" {
                state.address.set(None);
            }
            state.problem(&context, message);
        }
    }
}
