//! Messages between the page and its web worker.
//!
//! Both directions travel as JSON text; a dropped file travels beside the
//! JSON as the browser's own `File` object, so the worker can read it in
//! slices without the page ever holding the whole file.

use crate::choices::AsnTableInfo;
use crate::event::{Behaviour, Day};
use crate::ingest::{FileReport, IngestOptions};
use crate::inspect::{AddressReport, RankReport};
use crate::map::{Grid, Level};
use crate::pipeline::{RunResult, RunSettings};
use serde::{Deserialize, Serialize};

/// Which picture the map shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MapLayer {
    /// Predicted likelihood for the day after the data.
    Predicted,
    /// Sources blocked on the chosen day.
    Observed,
    /// The prediction for the chosen day (by the model of the day
    /// before) against what happened on it.
    PredictedVsActual,
}

/// What the page asks the worker to do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Fetch and parse the bundled sample and benign list.
    LoadSample,
    /// Parse the `File` sent beside this message.
    LoadFile {
        /// The page's id for the file card.
        id: u32,
        /// File name, for reports.
        name: String,
        /// Column names for a generic CSV, when the user mapped them.
        #[serde(default)]
        options: IngestOptions,
    },
    /// Forget a loaded file.
    RemoveFile {
        /// The card's id.
        id: u32,
    },
    /// Replace the benign list with the `File` sent beside this message.
    LoadBenign {
        /// File name, for reports.
        name: String,
    },
    /// Train and evaluate.
    Train(RunSettings),
    /// The grid of one map level for one layer.
    Zoom {
        /// The map level.
        level: Level,
        /// The layer.
        layer: MapLayer,
        /// The day of the observed layers (ignored for `Predicted`).
        day: Option<Day>,
    },
    /// lwRank histograms and top keys per entity type.
    Inspect {
        /// The day of the ranks; `None` = the map's day (all loaded days).
        day: Option<Day>,
    },
    /// Everything about one address.
    Lookup {
        /// The address as typed.
        address: String,
        /// The day of the ranks; `None` = the map's day.
        day: Option<Day>,
    },
    /// The last model as JSON.
    ExportModel,
    /// Use the model JSON in the `File` sent beside this message on the
    /// loaded data: test it on every day pair and map tomorrow, with no
    /// retraining. Answered by [`Response::Trained`] (with `imported` set)
    /// or [`Response::Failed`] with context "import".
    ImportModel {
        /// File name, for the label and for errors.
        name: String,
    },
    /// Stop the current work; the last result stays.
    Cancel,
    /// Describe the IP-to-ASN table in use (loading the bundled one if
    /// none is loaded yet).
    AsnStatus,
    /// Replace the IP-to-ASN table with the `File` sent beside this
    /// message; on failure the current table stays.
    LoadAsn {
        /// File name, for reports and for a date in the name.
        name: String,
    },
    /// Go back to the bundled IP-to-ASN table.
    UseBundledAsn,
    /// Train again with new settings after a result exists: replaces any
    /// queued train and stops a running one without a `Cancelled` reply.
    Retrain(RunSettings),
}

/// One loaded file as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileCard {
    /// The page's id.
    pub id: u32,
    /// The parse summary.
    pub report: FileReport,
    /// Merged events kept from this file.
    pub events: usize,
}

/// A behaviour present in the data, with how much of it there is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BehaviourCount {
    /// The behaviour.
    pub behaviour: Behaviour,
    /// Its label.
    pub label: String,
    /// Sum of event weights.
    pub events: u64,
    /// Distinct sources.
    pub sources: usize,
}

/// What is loaded, after any change.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Inventory {
    /// Files loaded, in load order.
    pub files: Vec<FileCard>,
    /// First and last day with events.
    pub days: Option<(Day, Day)>,
    /// Behaviours offered, most sources first.
    pub behaviours: Vec<BehaviourCount>,
    /// Benign addresses available (before the split).
    pub benign: usize,
    /// Where the benign list came from.
    pub benign_source: String,
}

/// What the worker tells the page.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Response {
    /// The worker has started.
    Ready,
    /// Work in progress: stage label and fraction done in [0, 1].
    Progress {
        /// What is running.
        stage: String,
        /// Fraction done.
        fraction: f32,
        /// Units, e.g. "12 of 29 day pairs" or "40 of 120 MB".
        detail: String,
    },
    /// The loaded data changed.
    Inventory(Inventory),
    /// A file could not be used; nothing already loaded changed.
    FileFailed {
        /// The page's id for the file (0 for the benign list).
        id: u32,
        /// File name.
        name: String,
        /// One sentence.
        error: String,
    },
    /// A finished run.
    Trained(Box<RunResult>),
    /// A map grid.
    Grid {
        /// The layer it was made for.
        layer: MapLayer,
        /// Predicted likelihood per cell (for `PredictedVsActual`, the
        /// prediction for `day` by the model of the day before).
        grid: Box<Grid>,
        /// "AS13335 Cloudflare, Inc." for the first address of each cell.
        owners: Vec<String>,
        /// Distinct blocked sources per cell on `day`.
        observed: Vec<u64>,
        /// The day of `observed`.
        day: Option<Day>,
        /// The distinct blocked sources on `day`, for the /24 dots.
        #[serde(default)]
        sources: Vec<u32>,
        /// Milliseconds it took.
        millis: f64,
    },
    /// Histograms and top keys, for [`Request::Inspect`].
    Ranks(Box<RankReport>),
    /// One address, for [`Request::Lookup`].
    Address(Box<AddressReport>),
    /// The model as JSON text (a [`crate::model_file::ModelFile`]).
    ModelJson(String),
    /// The work was cancelled; the previous result stands.
    Cancelled,
    /// The IP-to-ASN table now in use, after [`Request::AsnStatus`],
    /// [`Request::LoadAsn`] or [`Request::UseBundledAsn`].
    AsnTable(Box<AsnTableInfo>),
    /// Something failed; `context` names the setting or step.
    Failed {
        /// Where it failed.
        context: String,
        /// One sentence.
        message: String,
    },
}
