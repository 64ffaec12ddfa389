//! The web worker: holds the loaded data and runs every heavy stage, so
//! the page never freezes.
//!
//! Messages arrive as JSON ([`Request`]), a dropped file beside them as a
//! `File`. Long work awaits a zero-delay timer between steps: that lets a
//! Cancel message in, and lets progress messages out.

use crate::asn::AsnTable;
use crate::choices::AsnTableInfo;
use crate::event::{Behaviour, Day, Event};
use crate::ingest::{IngestOptions, Parsed, StreamParser};
use crate::map::Level;
use crate::model_file::ModelFile;
use crate::pipeline::{self, RunError, RunSettings, Runner, Trained};
use crate::protocol::{
    BehaviourCount, FileCard, Inventory, MapLayer, Request, Response,
};
use crate::sample;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashSet, VecDeque};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, DedicatedWorkerGlobalScope, MessageEvent};

/// Bytes read from a file per slice.
const CHUNK: f64 = 4.0 * 1024.0 * 1024.0;

struct LoadedFile {
    card: FileCard,
    events: Vec<Event>,
}

#[derive(Default)]
struct State {
    files: Vec<LoadedFile>,
    benign: Vec<u32>,
    benign_source: String,
    asn: Option<Rc<AsnTable>>,
    trained: Option<Trained>,
    /// The bundled table, kept once fetched (to go back to it).
    bundled_asn: Option<Rc<AsnTable>>,
    /// What the rail shows about `asn`.
    asn_info: Option<AsnTableInfo>,
    /// Table changes so far.
    asn_generation: u32,
    /// The table `trained` was computed with (zoom and lookups use it).
    trained_asn: Option<Rc<AsnTable>>,
    /// The model file behind `trained`, when it was imported.
    imported: Option<ModelFile>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
    static CANCEL: Cell<bool> = const { Cell::new(false) };
    static BUSY: Cell<bool> = const { Cell::new(false) };
    /// A train is running (a `Retrain` may stop it).
    static TRAINING: Cell<bool> = const { Cell::new(false) };
    /// The running train was stopped by a newer `Retrain`: no reply.
    static SUPERSEDED: Cell<bool> = const { Cell::new(false) };
    static QUEUE: RefCell<VecDeque<(Request, Option<Blob>)>> =
        const { RefCell::new(VecDeque::new()) };
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(response: &Response) {
    match serde_json::to_string(response) {
        Ok(text) => {
            if let Err(e) = scope().post_message(&JsValue::from_str(&text)) {
                log::error!("post_message failed: {e:?}");
            }
        }
        Err(e) => log::error!("cannot encode a response: {e}"),
    }
}

fn fail(context: &str, message: impl ToString) {
    post(&Response::Failed {
        context: context.to_string(),
        message: message.to_string(),
    });
}

fn now() -> f64 {
    scope().performance().map_or(0.0, |p| p.now())
}

/// Lets queued messages (Cancel) run, then reports whether to stop.
async fn yield_now() -> bool {
    gloo_timers::future::TimeoutFuture::new(0).await;
    CANCEL.get()
}

/// Installs the message handler; called once by the worker binary.
pub fn start() {
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(on_message);
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    post(&Response::Ready);
}

fn on_message(event: MessageEvent) {
    let data = event.data();
    let text = js_sys::Reflect::get(&data, &JsValue::from_str("json"))
        .ok()
        .and_then(|v| v.as_string())
        .or_else(|| data.as_string());
    let Some(text) = text else {
        return fail("worker", "a message without a request");
    };
    let request: Request = match serde_json::from_str(&text) {
        Ok(r) => r,
        Err(e) => return fail("worker", format!("bad request: {e}")),
    };
    if request == Request::Cancel {
        // Stop the running job and drop everything queued behind it.
        CANCEL.set(true);
        SUPERSEDED.set(false);
        let dropped = QUEUE.with_borrow_mut(std::mem::take);
        for (request, _) in dropped {
            if let Request::LoadFile { id, name, .. } = request {
                file_failed(
                    id,
                    &name,
                    "cancelled before it was read".to_string(),
                );
            }
        }
        return;
    }
    if matches!(request, Request::Retrain(_)) {
        // The newest settings win: drop queued trains, stop a running one.
        QUEUE.with_borrow_mut(|q| {
            q.retain(|(r, _)| {
                !matches!(r, Request::Train(_) | Request::Retrain(_))
            })
        });
        if TRAINING.get() {
            SUPERSEDED.set(true);
            CANCEL.set(true);
        }
    }
    let file: Option<Blob> =
        js_sys::Reflect::get(&data, &JsValue::from_str("file"))
            .ok()
            .and_then(|v| v.dyn_into::<Blob>().ok());
    QUEUE.with_borrow_mut(|q| q.push_back((request, file)));
    if !BUSY.get() {
        BUSY.set(true);
        wasm_bindgen_futures::spawn_local(drain());
    }
}

/// Runs queued requests one after another (several dropped files, or a
/// Train pressed while a file is still being read).
async fn drain() {
    while let Some((request, file)) = QUEUE.with_borrow_mut(|q| q.pop_front()) {
        CANCEL.set(false);
        SUPERSEDED.set(false);
        handle(request, file).await;
    }
    BUSY.set(false);
}

async fn handle(request: Request, file: Option<Blob>) {
    match request {
        Request::LoadSample => load_sample().await,
        Request::LoadFile { id, name, options } => match file {
            Some(blob) => load_file(id, &name, blob, options).await,
            None => post(&Response::FileFailed {
                id,
                name,
                error: "the file did not reach the worker".to_string(),
            }),
        },
        Request::RemoveFile { id } => {
            STATE.with_borrow_mut(|s| s.files.retain(|f| f.card.id != id));
            post_inventory();
        }
        Request::LoadBenign { name } => match file {
            Some(blob) => load_benign(&name, blob).await,
            None => fail("negatives", "the file did not reach the worker"),
        },
        Request::Train(settings) | Request::Retrain(settings) => {
            TRAINING.set(true);
            train(settings).await;
            TRAINING.set(false);
        }
        Request::AsnStatus => match asn_table().await {
            Ok(_) => post_asn_info(),
            Err(e) => fail("ASN table", e),
        },
        Request::LoadAsn { name } => match file {
            Some(blob) => load_asn(&name, blob).await,
            None => fail("ASN file", "the file did not reach the worker"),
        },
        Request::UseBundledAsn => use_bundled_asn().await,
        Request::Zoom { level, layer, day } => zoom(level, layer, day),
        Request::Inspect { day } => inspect(day),
        Request::Lookup { address, day } => lookup(&address, day),
        Request::ExportModel => match STATE.with_borrow(export_model) {
            Some(text) => post(&Response::ModelJson(text)),
            None => fail("export", "train a model first"),
        },
        Request::ImportModel { name } => match file {
            Some(blob) => import_model(&name, blob).await,
            None => fail("import", format!("{name}: the file did not arrive")),
        },
        Request::Cancel => {}
    }
}

async fn fetch_bytes(path: &str) -> Result<Vec<u8>, String> {
    let promise = scope().fetch_with_str(path);
    let response: web_sys::Response = JsFuture::from(promise)
        .await
        .map_err(|e| format!("{path}: {e:?}"))?
        .dyn_into()
        .map_err(|_| format!("{path}: not a response"))?;
    if !response.ok() {
        return Err(format!("{path}: HTTP {}", response.status()));
    }
    let buffer = response.array_buffer().map_err(|e| format!("{e:?}"))?;
    let buffer = JsFuture::from(buffer).await.map_err(|e| format!("{e:?}"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

async fn asn_table() -> Result<Rc<AsnTable>, String> {
    if let Some(t) = STATE.with_borrow(|s| s.asn.clone()) {
        return Ok(t);
    }
    post(&Response::Progress {
        stage: "loading the IP-to-ASN table".to_string(),
        fraction: 0.0,
        detail: String::new(),
    });
    let table = bundled_asn().await?;
    STATE.with_borrow_mut(|s| {
        s.asn = Some(table.clone());
        s.asn_generation += 1;
        s.asn_info = Some(AsnTableInfo::bundled(
            bundled_name(),
            &table,
            s.asn_generation,
        ));
    });
    post_asn_info();
    Ok(table)
}

fn bundled_name() -> &'static str {
    sample::ASN_TABLE.rsplit('/').next().unwrap_or(sample::ASN_TABLE)
}

/// The bundled table, fetched once.
async fn bundled_asn() -> Result<Rc<AsnTable>, String> {
    if let Some(t) = STATE.with_borrow(|s| s.bundled_asn.clone()) {
        return Ok(t);
    }
    let bytes = fetch_bytes(sample::ASN_TABLE).await?;
    let table = AsnTable::from_packed(&bytes).map_err(|e| e.to_string())?;
    let table = Rc::new(table);
    STATE.with_borrow_mut(|s| s.bundled_asn = Some(table.clone()));
    Ok(table)
}

fn post_asn_info() {
    if let Some(info) = STATE.with_borrow(|s| s.asn_info.clone()) {
        post(&Response::AsnTable(Box::new(info)));
    }
}

/// Replaces the table with a user's file; a bad file changes nothing.
async fn load_asn(name: &str, blob: Blob) {
    post(&Response::Progress {
        stage: format!("reading the ASN table {name}"),
        fraction: 0.0,
        detail: format!("{:.1} MB", blob.size() / 1e6),
    });
    let buffer = match JsFuture::from(blob.array_buffer()).await {
        Ok(b) => b,
        Err(e) => return fail("ASN file", format!("{name}: {e:?}")),
    };
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    if yield_now().await {
        return post(&Response::Cancelled);
    }
    match crate::choices::load_user_table(name, &bytes) {
        Ok((table, report)) => {
            STATE.with_borrow_mut(|s| {
                s.asn_generation += 1;
                s.asn_info = Some(AsnTableInfo::loaded(
                    name,
                    &table,
                    &report,
                    s.asn_generation,
                ));
                s.asn = Some(Rc::new(table));
            });
            post_asn_info();
        }
        Err(e) => fail("ASN file", e),
    }
}

/// Goes back to the bundled table.
async fn use_bundled_asn() {
    let bundled = STATE.with_borrow(|s| {
        s.asn_info.as_ref().is_some_and(|i| i.bundled) && s.asn.is_some()
    });
    if bundled {
        return post_asn_info();
    }
    STATE.with_borrow_mut(|s| s.asn = None);
    if let Err(e) = asn_table().await {
        fail("ASN table", e);
    }
}

async fn load_sample() {
    let name = sample::SAMPLE_LOG.rsplit('/').next().unwrap_or("sample");
    let bytes = match fetch_bytes(sample::SAMPLE_LOG).await {
        Ok(b) => b,
        Err(e) => return fail("sample", e),
    };
    let parsed = match crate::ingest::parse_bytes(name, &bytes) {
        Ok(p) => p,
        Err(e) => return fail("sample", e),
    };
    if STATE.with_borrow(|s| s.benign.is_empty()) {
        if let Err(e) = load_bundled_benign().await {
            return fail("negatives", e);
        }
    }
    add_file(0, parsed);
}

/// Fetches the bundled top-site list as the negatives.
async fn load_bundled_benign() -> Result<(), String> {
    let bytes = fetch_bytes(sample::BENIGN_LIST).await?;
    let list = sample::parse_benign(&String::from_utf8_lossy(&bytes));
    STATE.with_borrow_mut(|s| {
        s.benign = list.addresses;
        s.benign_source = "bundled top-site addresses".to_string();
    });
    Ok(())
}

async fn load_file(id: u32, name: &str, blob: Blob, options: IngestOptions) {
    let size = blob.size();
    let mut parser = StreamParser::new(name, options);
    let mut offset = 0.0;
    while offset < size {
        let end = (offset + CHUNK).min(size);
        let chunk = match blob.slice_with_f64_and_f64(offset, end) {
            Ok(c) => c,
            Err(e) => return file_failed(id, name, format!("{e:?}")),
        };
        let buffer = match JsFuture::from(chunk.array_buffer()).await {
            Ok(b) => b,
            Err(e) => return file_failed(id, name, format!("{e:?}")),
        };
        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
        if let Err(e) = parser.push(&bytes) {
            return file_failed(id, name, e.to_string());
        }
        offset = end;
        post(&Response::Progress {
            stage: format!("reading {name}"),
            fraction: (offset / size.max(1.0)) as f32,
            detail: format!("{:.1} of {:.1} MB", offset / 1e6, size / 1e6),
        });
        if yield_now().await {
            post(&Response::Cancelled);
            return;
        }
    }
    match parser.finish() {
        Ok(parsed) => add_file(id, parsed),
        Err(e) => file_failed(id, name, e.to_string()),
    }
}

fn file_failed(id: u32, name: &str, error: String) {
    post(&Response::FileFailed { id, name: name.to_string(), error });
}

fn add_file(id: u32, parsed: Parsed) {
    let duplicate = STATE.with_borrow(|s| {
        s.files
            .iter()
            .find(|f| f.card.report.content_hash == parsed.report.content_hash)
            .map(|f| f.card.report.name.clone())
    });
    if let Some(other) = duplicate {
        return file_failed(
            id,
            &parsed.report.name,
            format!(
                "same content as {other}, already loaded: not counted twice"
            ),
        );
    }
    let card =
        FileCard { id, report: parsed.report, events: parsed.events.len() };
    STATE.with_borrow_mut(|s| {
        s.files.push(LoadedFile { card, events: parsed.events })
    });
    post_inventory();
}

async fn load_benign(name: &str, blob: Blob) {
    let buffer = match JsFuture::from(blob.array_buffer()).await {
        Ok(b) => b,
        Err(e) => return fail("negatives", format!("{name}: {e:?}")),
    };
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    let list = sample::parse_benign(&String::from_utf8_lossy(&bytes));
    if list.addresses.is_empty() {
        return fail(
            "negatives",
            format!(
                "{name}: no IPv4 address found ({} lines skipped)",
                list.skipped_count
            ),
        );
    }
    STATE.with_borrow_mut(|s| {
        s.benign = list.addresses;
        s.benign_source = name.to_string();
    });
    post_inventory();
}

fn all_events(state: &State) -> Vec<Event> {
    let mut events: Vec<Event> =
        state.files.iter().flat_map(|f| f.events.iter().copied()).collect();
    events.sort_unstable_by_key(|e| (e.day, e.src));
    events
}

fn post_inventory() {
    let inventory = STATE.with_borrow(|s| {
        // Counts and the day range need no sorted copy of the events.
        let events = || s.files.iter().flat_map(|f| f.events.iter());
        let mut counts: BTreeMap<(u8, u16), (u64, HashSet<u32>)> =
            BTreeMap::new();
        for e in events() {
            let entry = counts.entry((e.proto, e.port)).or_default();
            entry.0 += u64::from(e.weight);
            entry.1.insert(e.src);
        }
        let mut behaviours: Vec<BehaviourCount> = counts
            .into_iter()
            .filter(|((proto, _), _)| *proto != crate::event::proto::ANY)
            .map(|((proto, port), (events, sources))| {
                let behaviour = if port == 0 {
                    Behaviour { proto: Some(proto), ports: vec![] }
                } else {
                    Behaviour { proto: Some(proto), ports: vec![port] }
                };
                BehaviourCount {
                    label: behaviour.label(),
                    behaviour,
                    events,
                    sources: sources.len(),
                }
            })
            .collect();
        behaviours.sort_by_key(|b| std::cmp::Reverse(b.sources));
        behaviours.truncate(60);
        let everything = Behaviour::everything();
        let all_sources: HashSet<u32> = events().map(|e| e.src).collect();
        behaviours.push(BehaviourCount {
            label: everything.label(),
            behaviour: everything,
            events: events().map(|e| u64::from(e.weight)).sum(),
            sources: all_sources.len(),
        });
        let days =
            events().map(|e| e.day).min().zip(events().map(|e| e.day).max());
        Inventory {
            files: s.files.iter().map(|f| f.card.clone()).collect(),
            days,
            behaviours,
            benign: s.benign.len(),
            benign_source: s.benign_source.clone(),
        }
    });
    post(&Response::Inventory(inventory));
}

/// Tells the page a train stopped, unless a newer one replaced it.
fn cancelled() {
    if !SUPERSEDED.get() {
        post(&Response::Cancelled);
    }
}

/// What a run needs: the ASN table, every loaded event in day order and
/// the negatives (the bundled list unless one was loaded). A failure is
/// reported here and gives `None`.
async fn run_inputs() -> Option<(Rc<AsnTable>, Vec<Event>, Vec<u32>)> {
    let asn = match asn_table().await {
        Ok(t) => t,
        Err(e) => {
            fail("ASN table", e);
            return None;
        }
    };
    if STATE.with_borrow(|s| s.benign.is_empty()) {
        if let Err(e) = load_bundled_benign().await {
            fail("negatives", e);
            return None;
        }
        post_inventory();
    }
    let (events, benign) =
        STATE.with_borrow(|s| (all_events(s), s.benign.clone()));
    Some((asn, events, benign))
}

async fn train(settings: RunSettings) {
    let Some((asn, events, benign)) = run_inputs().await else {
        return;
    };
    if events.is_empty() {
        return fail(
            "train",
            "load some data first (drop exports or try the sample)",
        );
    }
    post(&Response::Progress {
        stage: pipeline::Stage::Ranking.label().to_string(),
        fraction: 0.0,
        detail: format!("{} events", events.len()),
    });
    if yield_now().await {
        return cancelled();
    }
    let mut runner = match Runner::new(&events, &benign, &asn, &settings, &now)
    {
        Ok(r) => r,
        Err(e) => return fail("train", e),
    };
    let t = now();
    loop {
        let (done, total) = (runner.done_steps(), runner.total_steps());
        post(&Response::Progress {
            stage: pipeline::Stage::Training.label().to_string(),
            fraction: done as f32 / total.max(1) as f32,
            detail: format!("{done} of {total} day pairs"),
        });
        if yield_now().await {
            return cancelled();
        }
        match runner.step() {
            Ok(true) => {}
            Ok(false) => break,
            Err(RunError::Cancelled) => return cancelled(),
            Err(e) => return fail("train", e),
        }
    }
    let train_ms = now() - t;
    post(&Response::Progress {
        stage: pipeline::Stage::Mapping.label().to_string(),
        fraction: 0.0,
        detail: String::new(),
    });
    if yield_now().await {
        return cancelled();
    }
    match runner.finish(&now, train_ms) {
        Ok((result, trained)) => {
            STATE.with_borrow_mut(|s| {
                s.trained = Some(trained);
                s.trained_asn = Some(asn.clone());
                s.imported = None;
            });
            post(&Response::Trained(Box::new(result)));
        }
        Err(RunError::Cancelled) => cancelled(),
        Err(e) => fail("train", e),
    }
}

/// The model file of the last result: the imported file itself, or the
/// trained model wrapped with its settings and training day.
fn export_model(s: &State) -> Option<String> {
    if let Some(file) = &s.imported {
        return Some(file.to_json());
    }
    let t = s.trained.as_ref()?;
    let file = ModelFile::new(t.model.clone(), &t.settings, t.map_day - 1);
    Some(file.to_json())
}

/// Reads a model file, checks it and tests it on the loaded data.
async fn import_model(name: &str, blob: Blob) {
    let buffer = match JsFuture::from(blob.text()).await {
        Ok(b) => b,
        Err(e) => return fail("import", format!("{name}: {e:?}")),
    };
    let text = buffer.as_string().unwrap_or_default();
    let file = match ModelFile::from_json(name, &text) {
        Ok(f) => f,
        Err(e) => return fail("import", e),
    };
    let Some((asn, events, benign)) = run_inputs().await else {
        return;
    };
    if events.is_empty() {
        return fail(
            "import",
            format!("{name}: load some data first to test the model on"),
        );
    }
    let settings = file.settings();
    let mut runner = match Runner::new(&events, &benign, &asn, &settings, &now)
    {
        Ok(r) => r,
        Err(e) => return fail("import", format!("{name}: {e}")),
    };
    let t = now();
    loop {
        let (done, total) = (runner.done_steps(), runner.total_steps());
        post(&Response::Progress {
            stage: format!("testing {name}"),
            fraction: done as f32 / total.max(1) as f32,
            detail: format!("{done} of {total} day pairs"),
        });
        if yield_now().await {
            return cancelled();
        }
        match runner.test_step(&file.model) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return fail("import", format!("{name}: {e}")),
        }
    }
    let test_ms = now() - t;
    post(&Response::Progress {
        stage: pipeline::Stage::Mapping.label().to_string(),
        fraction: 0.0,
        detail: String::new(),
    });
    if yield_now().await {
        return cancelled();
    }
    let imported = file.imported(name);
    match runner.finish_with_model(file.model.clone(), imported, &now, test_ms)
    {
        Ok((result, trained)) => {
            STATE.with_borrow_mut(|s| {
                s.trained = Some(trained);
                s.trained_asn = Some(asn.clone());
                s.imported = Some(file);
            });
            post(&Response::Trained(Box::new(result)));
        }
        Err(e) => fail("import", format!("{name}: {e}")),
    }
}

fn zoom(level: Level, layer: MapLayer, day: Option<Day>) {
    let t = now();
    let outcome = STATE.with_borrow(|s| {
        let (Some(trained), Some(asn)) = (&s.trained, &s.trained_asn) else {
            return Err("train a model first".to_string());
        };
        let grid = match (layer, day) {
            (MapLayer::PredictedVsActual, Some(day))
                if s.imported.is_some() =>
            {
                trained.predicted_on(asn, level, day)
            }
            (MapLayer::PredictedVsActual, Some(day)) => {
                trained.hindcast(asn, level, day)
            }
            _ => trained.predicted(asn, level),
        }
        .map_err(|e| e.to_string())?;
        let observed = match day {
            Some(d) => {
                crate::map::observed_counts(level, trained.sources_on(d))
            }
            None => vec![0; 256],
        };
        let owners =
            (0..=255u8).map(|i| owner(asn, level, i)).collect::<Vec<_>>();
        let sources =
            day.map_or_else(Vec::new, |d| trained.sources_on(d).to_vec());
        Ok((grid, observed, owners, sources))
    });
    match outcome {
        Ok((grid, observed, owners, sources)) => post(&Response::Grid {
            layer,
            grid: Box::new(grid),
            owners,
            observed,
            day,
            sources,
            millis: now() - t,
        }),
        Err(e) => fail("map", e),
    }
}

/// Keys shown per entity type in the top table.
const TOP_KEYS: usize = 10;

fn inspect(day: Option<Day>) {
    let report = STATE.with_borrow(|s| {
        let (Some(trained), Some(asn)) = (&s.trained, &s.trained_asn) else {
            return None;
        };
        let day = day.unwrap_or(trained.map_day);
        Some(crate::inspect::rank_report(trained, asn, day, TOP_KEYS))
    });
    match report {
        Some(r) => post(&Response::Ranks(Box::new(r))),
        None => fail("inspect", "train a model first"),
    }
}

fn lookup(address: &str, day: Option<Day>) {
    let report = STATE.with_borrow(|s| {
        let (Some(trained), Some(asn)) = (&s.trained, &s.trained_asn) else {
            return Err("train a model first".to_string());
        };
        let day = day.unwrap_or(trained.map_day);
        crate::inspect::address_report(trained, asn, address, day)
    });
    match report {
        Ok(r) => post(&Response::Address(Box::new(r))),
        Err(e) => fail("lookup", e),
    }
}

/// "AS13335 Cloudflare, Inc." for a cell held by one ASN, "… and
/// others" when its first and last addresses differ (for /8s: the ASN
/// of its first address), empty when neither end is announced.
fn owner(asn: &AsnTable, level: Level, cell: u8) -> String {
    let first = level.cell_prefix(cell);
    let (_, len) = level.base_and_cell_len();
    let last = first | (u32::MAX >> len);
    let label = |a: u32| crate::inspect::asn_label(a, asn);
    match (asn.lookup(first), asn.lookup(last)) {
        (Some(a), _) if len == 8 => format!("first address: {}", label(a)),
        (Some(a), Some(b)) if a == b => label(a),
        (Some(a), _) | (None, Some(a)) => format!("{} and others", label(a)),
        (None, None) => String::new(),
    }
}
