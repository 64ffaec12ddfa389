//! The Leptos user interface (browser only).
//!
//! One screen in three zones: the left rail (data and settings), the map
//! in the centre and the results beside or below it. All state lives in
//! [`AppState`], a bundle of signals shared through context; every heavy
//! step is a [`Request`] to the web worker, whose [`Response`]s update
//! the signals.

mod asn_card;
mod bridge;
mod compare;
mod live;
mod map_view;
mod model_import;
mod port_set;
mod rail;
mod ranks;
mod results;

use crate::event::{Behaviour, Day};
use crate::features::FeatureSet;
use crate::inspect::{AddressReport, RankReport};
use crate::map::{Grid, Level};
use crate::pipeline::RunResult;
use crate::protocol::{Inventory, Request};
use leptos::prelude::*;

pub use bridge::send;

pub use crate::protocol::MapLayer;

/// Progress of the worker's current job.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    /// What runs.
    pub stage: String,
    /// Fraction done in [0, 1].
    pub fraction: f32,
    /// Units ("3 of 29 day pairs").
    pub detail: String,
}

/// A problem shown next to what caused it.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// What it is about: a file id, "train", "map", ...
    pub context: String,
    /// One sentence.
    pub message: String,
}

/// Every signal of the app, shared through context.
#[derive(Clone, Copy)]
pub struct AppState {
    /// What the worker holds.
    pub inventory: RwSignal<Inventory>,
    /// Files being read: (id, name).
    pub pending: RwSignal<Vec<(u32, String)>>,
    /// Files that failed: (id, name, reason).
    pub failed: RwSignal<Vec<(u32, String, String)>>,
    /// The running job, if any.
    pub progress: RwSignal<Option<Progress>>,
    /// Problems not tied to a file.
    pub problems: RwSignal<Vec<Problem>>,
    /// The last finished run.
    pub result: RwSignal<Option<RunResult>>,
    /// The likelihood grid on the map.
    pub grid: RwSignal<Option<Grid>>,
    /// Observed sources per cell of `grid`, for the chosen day.
    pub observed: RwSignal<Option<(Day, Vec<u64>)>>,
    /// Distinct blocked sources on the observed day (the /24 dots).
    pub sources: RwSignal<Vec<u32>>,
    /// Owners (ASN and name) per cell of `grid`.
    pub owners: RwSignal<Vec<String>>,
    /// Milliseconds the last grid took.
    pub grid_millis: RwSignal<f64>,
    /// The map level shown.
    pub level: RwSignal<Level>,
    /// The map layer shown.
    pub layer: RwSignal<MapLayer>,
    /// Day for the observed layers.
    pub day: RwSignal<Option<Day>>,
    /// The behaviour to predict.
    pub behaviour: RwSignal<Option<Behaviour>>,
    /// Half-life in days.
    pub half_life: RwSignal<f64>,
    /// Feature set.
    pub feature_set: RwSignal<FeatureSet>,
    /// Next id for a file card.
    pub next_id: StoredValue<u32>,
    /// Histograms and top keys for `inspect_day`.
    pub ranks: RwSignal<Option<RankReport>>,
    /// The day of the ranks section; `None` = the map's day.
    pub inspect_day: RwSignal<Option<Day>>,
    /// The last address looked up.
    pub address: RwSignal<Option<AddressReport>>,
}

impl AppState {
    fn new() -> AppState {
        AppState {
            inventory: RwSignal::new(Inventory::default()),
            pending: RwSignal::new(Vec::new()),
            failed: RwSignal::new(Vec::new()),
            progress: RwSignal::new(None),
            problems: RwSignal::new(Vec::new()),
            result: RwSignal::new(None),
            grid: RwSignal::new(None),
            observed: RwSignal::new(None),
            owners: RwSignal::new(Vec::new()),
            sources: RwSignal::new(Vec::new()),
            grid_millis: RwSignal::new(0.0),
            level: RwSignal::new(Level::Internet),
            layer: RwSignal::new(MapLayer::Predicted),
            day: RwSignal::new(None),
            behaviour: RwSignal::new(None),
            half_life: RwSignal::new(3.0),
            feature_set: RwSignal::new(FeatureSet::Extended),
            next_id: StoredValue::new(1),
            ranks: RwSignal::new(None),
            inspect_day: RwSignal::new(None),
            address: RwSignal::new(None),
        }
    }

    /// Shows a problem next to `context`, replacing an older one there.
    pub fn problem(&self, context: &str, message: String) {
        self.problems.update(|p| {
            p.retain(|x| x.context != context);
            p.push(Problem { context: context.to_string(), message });
        });
    }

    /// The problem shown for `context`, if any.
    pub fn problem_for(&self, context: &str) -> Option<String> {
        self.problems.with(|p| {
            p.iter().find(|x| x.context == context).map(|x| x.message.clone())
        })
    }

    /// Whether the worker is busy.
    pub fn busy(&self) -> bool {
        self.progress.with(Option::is_some)
    }

    /// Asks the worker for the grid of `level` (and the observed layer).
    pub fn show_level(&self, level: Level) {
        self.level.set(level);
        self.refresh_map();
    }

    /// Asks the worker for the grid of the current level, layer and day.
    pub fn refresh_map(&self) {
        if self.result.with_untracked(Option::is_some) {
            let request = Request::Zoom {
                level: self.level.get_untracked(),
                layer: self.layer.get_untracked(),
                day: self.day.get_untracked(),
            };
            send(&request, None);
        }
    }
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    bridge::start(state);
    live::provide(state);

    view! {
        <div class="app">
            <header class="top">
                <h1>"lwrank"</h1>
                <p class="tagline">
                    "Where will the next attack come from? Decayed lwRank per IP, /24, /16 and ASN, an SVM per day, tested on the next day. Your logs never leave this page."
                </p>
            </header>
            <main class="zones">
                <rail::Rail/>
                <map_view::MapView/>
                <results::Results/>
            </main>
            <Footer/>
        </div>
    }
}

/// Credits for the bundled data, as their terms ask.
#[component]
fn Footer() -> impl IntoView {
    let credits = crate::sample::CREDITS
        .iter()
        .map(|(what, who, link)| {
            view! {
                <li>
                    <b>{*what}": "</b>
                    {*who}" "
                    <a href=*link rel="noreferrer" target="_blank">{*link}</a>
                </li>
            }
        })
        .collect_view();
    view! {
        <footer class="credits">
            <details>
                <summary>"Credits and licences"</summary>
                <ul>{credits}</ul>
                <p>
                    "lwrank is open source under MIT OR Apache-2.0. Bundled data keeps its own terms: "
                    "the DShield data is © SANS Technology Institute, Internet Storm Center (non-commercial, attributed use); "
                    "the IP-to-ASN table (ip-location-db, built 2026-06-17) is CC BY 4.0: RouteViews, NRO and DB-IP; "
                    "IP geolocation-related data by "
                    <a href="https://db-ip.com" rel="noreferrer" target="_blank">"DB-IP"</a>"."
                </p>
            </details>
        </footer>
    }
}
