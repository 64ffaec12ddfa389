//! The stages glued into one run: behaviour events, ranks, a model per
//! day tested on the next day, and the map of tomorrow's likelihood.
//!
//! The web worker, the end-to-end tests and the benchmark all call
//! [`run`], so the figures a user sees are the figures the tests check.
//! Nothing here reads a clock: callers pass one in for stage timings.

use crate::asn::AsnTable;
use crate::eval::{self, BenignSplit, DayRows, Scored};
use crate::event::{Behaviour, Day, Event};
use crate::features::{self, FeatureSet};
use crate::map::{self, Grid, Level, Partition};
use crate::model::metrics::{tpr_at_tnr, Confusion};
use crate::model::{self, Model, ModelError, TrainParams};
use crate::rank::{HalfLife, RankHistory, RankView};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// What the user chose before pressing Train.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunSettings {
    /// Which events to predict.
    pub behaviour: Behaviour,
    /// Half-life of the scores, in days.
    pub half_life_days: f64,
    /// Which features the model sees.
    pub feature_set: FeatureSet,
    /// Model parameters (seeded).
    pub params: TrainParams,
    /// Folds of the cross-validation on each training day (0 = none).
    pub cv_folds: usize,
    /// Seed of the benign train/test split.
    pub split_seed: u64,
}

impl Default for RunSettings {
    fn default() -> RunSettings {
        RunSettings {
            behaviour: Behaviour::tcp(22),
            half_life_days: 3.0,
            feature_set: FeatureSet::Extended,
            params: TrainParams::default(),
            cv_folds: 5,
            split_seed: 7,
        }
    }
}

/// Why a run stopped without a result.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The user pressed Cancel.
    #[error("cancelled")]
    Cancelled,
    /// The settings make no sense (e.g. half-life of 0).
    #[error("bad setting: {0}")]
    Settings(String),
    /// Too little data to train and test.
    #[error("{0}")]
    NotEnoughData(String),
    /// The map could not be computed.
    #[error("map: {0}")]
    Map(String),
    /// The model failed.
    #[error("model: {0}")]
    Model(ModelError),
}

impl From<ModelError> for RunError {
    fn from(e: ModelError) -> RunError {
        match e {
            ModelError::Cancelled => RunError::Cancelled,
            other => RunError::Model(other),
        }
    }
}

/// The stages a run reports progress for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    /// Decayed scores for every entity and day.
    Ranking,
    /// One model per day, tested on the next day.
    Training,
    /// The likelihood of every address tomorrow.
    Mapping,
}

impl Stage {
    /// Name shown beside the progress bar.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Ranking => "ranking",
            Stage::Training => "training day by day",
            Stage::Mapping => "mapping the IPv4 space",
        }
    }
}

/// Events and sources of the behaviour on one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayCount {
    /// The day.
    pub day: Day,
    /// Sum of event weights.
    pub events: u64,
    /// Distinct single-address sources.
    pub sources: usize,
}

/// One model trained on `train_day`, tested on the day after.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairEval {
    /// The day the model was trained on.
    pub train_day: Day,
    /// The next day, on which it was tested.
    pub test_day: Day,
    /// Training rows (positives + benign training part).
    pub train_rows: usize,
    /// Positive training rows.
    pub train_positives: usize,
    /// k-fold cross-validated accuracy on the training day.
    pub cv_accuracy: Option<f64>,
    /// The model and then the baselines, on the same test rows.
    pub scored: Vec<Scored>,
}

/// Totals over every test day for one scorer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pooled {
    /// Scorer name.
    pub name: String,
    /// Confusion counts summed over all test days.
    pub confusion: Confusion,
    /// Median of the per-day AUCs.
    pub median_auc: Option<f64>,
    /// Median of the per-day TPRs at the model's TNR.
    pub median_tpr_at_model_tnr: Option<f64>,
}

/// Everything a run produces for the UI.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunResult {
    /// The behaviour's label ("TCP 22").
    pub behaviour: String,
    /// The settings used.
    pub settings: RunSettings,
    /// Feature names, in column order.
    pub feature_names: Vec<String>,
    /// Per-day counts over the whole range of loaded days.
    pub days: Vec<DayCount>,
    /// Walk-forward evaluations, one per consecutive day pair.
    pub pairs: Vec<PairEval>,
    /// Model then baselines, pooled over all pairs.
    pub pooled: Vec<Pooled>,
    /// Median cross-validated accuracy over the training days.
    pub median_cv_accuracy: Option<f64>,
    /// The benign split used.
    pub benign: BenignSplit,
    /// The day the map predicts (the day after the last loaded day).
    pub map_day: Day,
    /// Likelihood per /8 for `map_day`.
    pub map: Grid,
    /// Milliseconds per stage, for the status line and the benchmark.
    pub timings: Vec<(String, f64)>,
    /// The walk-forward of every compared feature set on the same days
    /// and held-out negatives (empty for an imported model).
    #[serde(default)]
    pub comparison: FeatureComparison,
    /// Set when the figures come from an imported model (no retraining).
    #[serde(default)]
    pub imported: Option<ImportedModel>,
}

impl RunResult {
    /// Index in [`Self::pooled`] of the baseline with the highest median
    /// AUC (the model is index 0 and never counts).
    pub fn best_baseline(&self) -> Option<usize> {
        self.pooled
            .iter()
            .enumerate()
            .skip(1)
            .filter_map(|(i, p)| p.median_auc.map(|a| (i, a)))
            .fold(None, |best: Option<(usize, f64)>, (i, a)| match best {
                Some((_, b)) if b >= a => best,
                _ => Some((i, a)),
            })
            .map(|(i, _)| i)
    }
}

/// Where an imported model came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportedModel {
    /// The file name the user gave.
    pub file: String,
    /// The day the model was trained on.
    pub train_day: Day,
    /// The lwrank version that wrote the file.
    pub lwrank_version: String,
}

/// One feature set's walk-forward in the comparison.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetEval {
    /// "talk", "extended", "talk + recency", ...
    pub name: String,
    /// Its columns, in row order.
    pub feature_names: Vec<String>,
    /// Whether this is the set the run's main figures use.
    pub chosen: bool,
    /// Per test day, in the order of [`RunResult::pairs`]; TPR at matched
    /// TNR is at the chosen model's TNR of the day.
    pub scored: Vec<Scored>,
    /// Pooled counts and medians over the test days.
    pub pooled: Pooled,
}

/// Feature sets compared on identical day pairs and test rows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FeatureComparison {
    /// The test days, in order.
    pub test_days: Vec<Day>,
    /// Talk, Extended, then Talk plus each extra feature alone.
    pub sets: Vec<SetEval>,
}

impl FeatureComparison {
    /// The set named `name`, if compared.
    pub fn set(&self, name: &str) -> Option<&SetEval> {
        self.sets.iter().find(|s| s.name == name)
    }
}

/// The compared feature sets: a name and the columns of the extended row
/// each keeps (Talk's four ranks are the extended row's first four).
pub fn comparison_variants() -> Vec<(String, Vec<usize>)> {
    let extended = features::names(FeatureSet::Extended);
    let talk = features::len(FeatureSet::Talk);
    let mut out = vec![
        ("talk".to_string(), (0..talk).collect::<Vec<_>>()),
        ("extended".to_string(), (0..extended.len()).collect()),
    ];
    for (i, name) in extended.iter().enumerate().skip(talk) {
        let mut cols: Vec<usize> = (0..talk).collect();
        cols.push(i);
        out.push((format!("talk + {name}"), cols));
    }
    out
}

/// The variant name of a feature set in [`comparison_variants`].
pub fn variant_name(set: FeatureSet) -> &'static str {
    match set {
        FeatureSet::Talk => "talk",
        FeatureSet::Extended => "extended",
    }
}

/// The state kept after a run, for zooming the map and exporting.
pub struct Trained {
    /// Ranks over all loaded days.
    pub history: RankHistory,
    /// The model trained on the last day.
    pub model: Model,
    /// Settings of the run.
    pub settings: RunSettings,
    /// The day the map predicts.
    pub map_day: Day,
    /// The benign split of the run.
    pub split: BenignSplit,
    /// Distinct behaviour sources per day.
    pub by_day: BTreeMap<Day, Vec<u32>>,
}

impl Trained {
    /// Distinct behaviour sources on `day`.
    pub fn sources_on(&self, day: Day) -> &[u32] {
        self.by_day.get(&day).map_or(&[], Vec::as_slice)
    }

    /// The grid tomorrow's model predicts for `level`.
    pub fn predicted(
        &self,
        asn: &AsnTable,
        level: Level,
    ) -> Result<Grid, RunError> {
        let view = self.history.view(self.map_day);
        map_grid(&view, asn, &self.model, self.settings.feature_set, level)
    }

    /// What this run's own model predicts for `day` from the ranks before
    /// it (the hindcast of an imported model, which is never retrained).
    pub fn predicted_on(
        &self,
        asn: &AsnTable,
        level: Level,
        day: Day,
    ) -> Result<Grid, RunError> {
        let view = self.history.view(day);
        map_grid(&view, asn, &self.model, self.settings.feature_set, level)
    }

    /// What the model trained on the day before `day` predicted for
    /// `day`, for comparing with what happened on it.
    pub fn hindcast(
        &self,
        asn: &AsnTable,
        level: Level,
        day: Day,
    ) -> Result<Grid, RunError> {
        let set = self.settings.feature_set;
        let train = eval::rows(
            &self.history.view(day - 1),
            asn,
            set,
            self.sources_on(day - 1),
            &self.split.train,
        );
        if train.positives() == 0 {
            return Err(RunError::NotEnoughData(format!(
                "no sources on {} to train the model for {}",
                crate::event::format_day(day - 1),
                crate::event::format_day(day)
            )));
        }
        let model = fit(&train, set, &self.settings.params)?;
        map_grid(&self.history.view(day), asn, &model, set, level)
    }
}

/// Keeps only the events of the behaviour.
pub fn behaviour_events(events: &[Event], behaviour: &Behaviour) -> Vec<Event> {
    events.iter().filter(|e| behaviour.matches(e)).copied().collect()
}

/// Counts per day from `first` to `last` inclusive (days with nothing
/// get zeros).
pub fn day_counts(events: &[Event], first: Day, last: Day) -> Vec<DayCount> {
    let by_day = eval::sources_by_day(events);
    let mut weights: BTreeMap<Day, u64> = BTreeMap::new();
    for e in events {
        *weights.entry(e.day).or_default() += u64::from(e.weight);
    }
    (first..=last)
        .map(|day| DayCount {
            day,
            events: weights.get(&day).copied().unwrap_or(0),
            sources: by_day.get(&day).map_or(0, Vec::len),
        })
        .collect()
}

/// A run split into steps, so the worker can yield between them (for
/// progress and Cancel) while native callers simply loop.
pub struct Runner<'a> {
    asn: &'a AsnTable,
    settings: RunSettings,
    history: RankHistory,
    by_day: BTreeMap<Day, Vec<u32>>,
    days: Vec<DayCount>,
    split: BenignSplit,
    train_days: Vec<Day>,
    pairs: Vec<PairEval>,
    last: Day,
    timings: Vec<(String, f64)>,
    /// Per evaluated pair, one score per comparison variant.
    compared: Vec<Vec<Scored>>,
}

impl<'a> Runner<'a> {
    /// Filters the behaviour, builds the ranks and the benign split.
    pub fn new(
        events: &[Event],
        benign: &[u32],
        asn: &'a AsnTable,
        settings: &RunSettings,
        clock: &dyn Fn() -> f64,
    ) -> Result<Runner<'a>, RunError> {
        let half_life = HalfLife::new(settings.half_life_days)
            .map_err(|e| RunError::Settings(e.to_string()))?;
        let t = clock();

        // A negative is never a blocked source, for any behaviour.
        let blocked: HashSet<u32> = events
            .iter()
            .filter(|e| e.prefix_len == 32)
            .map(|e| e.src)
            .collect();
        let events = behaviour_events(events, &settings.behaviour);
        let (first, last) = match (
            events.iter().map(|e| e.day).min(),
            events.iter().map(|e| e.day).max(),
        ) {
            (Some(f), Some(l)) => (f, l),
            _ => {
                return Err(RunError::NotEnoughData(format!(
                    "no events match {}",
                    settings.behaviour.label()
                )))
            }
        };
        let history = RankHistory::build(&events, asn, half_life);
        let by_day = eval::sources_by_day(&events);
        let days = day_counts(&events, first, last);
        let timings = vec![("rank".to_string(), clock() - t)];

        let split =
            eval::split_benign(benign, &blocked, asn, settings.split_seed);
        if split.train.is_empty() || split.test.is_empty() {
            return Err(RunError::NotEnoughData(format!(
                "the benign list leaves {} training and {} test addresses",
                split.train.len(),
                split.test.len()
            )));
        }

        // Train on D (features from before D), test on D+1; the first day
        // has no history, so it is never a training day.
        let train_days: Vec<Day> = (first + 1..last)
            .filter(|d| by_day.contains_key(d) && by_day.contains_key(&(d + 1)))
            .collect();
        if train_days.is_empty() {
            return Err(RunError::NotEnoughData(format!(
                "{} needs at least three consecutive days with events",
                settings.behaviour.label()
            )));
        }
        Ok(Runner {
            asn,
            settings: settings.clone(),
            history,
            by_day,
            days,
            split,
            train_days,
            pairs: Vec::new(),
            last,
            timings,
            compared: Vec::new(),
        })
    }

    /// Day pairs to evaluate in all.
    pub fn total_steps(&self) -> usize {
        self.train_days.len()
    }

    /// Pairs evaluated so far.
    pub fn done_steps(&self) -> usize {
        self.pairs.len()
    }

    /// Evaluates the next day pair; false when none is left.
    pub fn step(&mut self) -> Result<bool, RunError> {
        let Some(&day) = self.train_days.get(self.pairs.len()) else {
            return Ok(false);
        };
        let window = self.settings.half_life_days.ceil().max(1.0) as i32;
        let pair = evaluate_pair(
            &self.history,
            self.asn,
            &self.by_day,
            &self.split,
            &self.settings,
            window,
            day,
        )?;
        let compared = compare_pair(
            &self.history,
            self.asn,
            &self.by_day,
            &self.split,
            &self.settings,
            day,
            pair.scored.first(),
        )?;
        self.compared.push(compared);
        self.pairs.push(pair);
        Ok(true)
    }

    /// Tests `model` (trained elsewhere, e.g. imported) on the next pair's
    /// test day beside the baselines, without training; false when no
    /// pair is left.
    pub fn test_step(&mut self, model: &Model) -> Result<bool, RunError> {
        let Some(&day) = self.train_days.get(self.pairs.len()) else {
            return Ok(false);
        };
        let window = self.settings.half_life_days.ceil().max(1.0) as i32;
        let scored = score_test_day(
            &self.history,
            self.asn,
            &self.by_day,
            &self.split,
            self.settings.feature_set,
            model,
            window,
            day + 1,
        );
        self.pairs.push(PairEval {
            train_day: day,
            test_day: day + 1,
            train_rows: 0,
            train_positives: 0,
            cv_accuracy: None,
            scored,
        });
        Ok(true)
    }

    /// Maps tomorrow with `model` after [`Self::test_step`]s: the result
    /// of an imported model, labelled with where it came from.
    pub fn finish_with_model(
        self,
        model: Model,
        imported: ImportedModel,
        clock: &dyn Fn() -> f64,
        test_ms: f64,
    ) -> Result<(RunResult, Trained), RunError> {
        let mut timings = self.timings;
        timings.push(("test".to_string(), test_ms));
        let set = self.settings.feature_set;
        if model.n_features() != features::len(set) {
            return Err(RunError::Settings(format!(
                "the model has {} features, the {} set {}",
                model.n_features(),
                variant_name(set),
                features::len(set)
            )));
        }
        let t = clock();
        let map_day = self.last + 1;
        let map = map_grid(
            &self.history.view(map_day),
            self.asn,
            &model,
            set,
            Level::Internet,
        )?;
        timings.push(("map".to_string(), clock() - t));
        let result = RunResult {
            behaviour: self.settings.behaviour.label(),
            settings: self.settings.clone(),
            feature_names: features::names(set)
                .iter()
                .map(|s| s.to_string())
                .collect(),
            days: self.days,
            pooled: pool(&self.pairs),
            pairs: self.pairs,
            median_cv_accuracy: None,
            benign: self.split,
            map_day,
            map,
            timings,
            comparison: FeatureComparison::default(),
            imported: Some(imported),
        };
        let trained = Trained {
            history: self.history,
            model,
            settings: self.settings,
            map_day,
            split: result.benign.clone(),
            by_day: self.by_day,
        };
        Ok((result, trained))
    }

    /// Trains tomorrow's model on the last day and maps it.
    pub fn finish(
        self,
        clock: &dyn Fn() -> f64,
        train_ms: f64,
    ) -> Result<(RunResult, Trained), RunError> {
        let mut timings = self.timings;
        timings.push(("train + test".to_string(), train_ms));
        let set = self.settings.feature_set;
        let t = clock();
        let positives =
            self.by_day.get(&self.last).cloned().unwrap_or_default();
        let view = self.history.view(self.last);
        let train =
            eval::rows(&view, self.asn, set, &positives, &self.split.train);
        let model = fit(&train, set, &self.settings.params)?;
        let map_day = self.last + 1;
        let map = map_grid(
            &self.history.view(map_day),
            self.asn,
            &model,
            set,
            Level::Internet,
        )?;
        timings.push(("map".to_string(), clock() - t));

        let pooled = pool(&self.pairs);
        let comparison =
            comparison_result(&self.pairs, &self.compared, variant_name(set));
        let mut cv: Vec<f64> =
            self.pairs.iter().filter_map(|p| p.cv_accuracy).collect();
        let result = RunResult {
            behaviour: self.settings.behaviour.label(),
            settings: self.settings.clone(),
            feature_names: features::names(set)
                .iter()
                .map(|s| s.to_string())
                .collect(),
            days: self.days,
            pairs: self.pairs,
            pooled,
            median_cv_accuracy: median(&mut cv),
            benign: self.split,
            map_day,
            map,
            timings,
            comparison,
            imported: None,
        };
        let trained = Trained {
            history: self.history,
            model,
            settings: self.settings,
            map_day,
            split: result.benign.clone(),
            by_day: self.by_day,
        };
        Ok((result, trained))
    }
}

/// Runs the whole pipeline on `events` (every behaviour; filtered here).
///
/// `progress(stage, fraction)` returning false cancels the run.
pub fn run(
    events: &[Event],
    benign: &[u32],
    asn: &AsnTable,
    settings: &RunSettings,
    clock: &dyn Fn() -> f64,
    progress: &mut dyn FnMut(Stage, f32) -> bool,
) -> Result<(RunResult, Trained), RunError> {
    if !progress(Stage::Ranking, 0.0) {
        return Err(RunError::Cancelled);
    }
    let mut runner = Runner::new(events, benign, asn, settings, clock)?;
    let t = clock();
    loop {
        let frac = runner.done_steps() as f32 / runner.total_steps() as f32;
        if !progress(Stage::Training, frac) {
            return Err(RunError::Cancelled);
        }
        if !runner.step()? {
            break;
        }
    }
    let train_ms = clock() - t;
    if !progress(Stage::Mapping, 0.0) {
        return Err(RunError::Cancelled);
    }
    runner.finish(clock, train_ms)
}

/// Trains on one day and tests on the next, beside the baselines.
fn evaluate_pair(
    history: &RankHistory,
    asn: &AsnTable,
    by_day: &BTreeMap<Day, Vec<u32>>,
    split: &BenignSplit,
    settings: &RunSettings,
    window: i32,
    day: Day,
) -> Result<PairEval, RunError> {
    let set = settings.feature_set;
    let empty = Vec::new();
    let positives = by_day.get(&day).unwrap_or(&empty);
    let train =
        eval::rows(&history.view(day), asn, set, positives, &split.train);
    let model = fit(&train, set, &settings.params)?;
    // A day with fewer attackers than folds gets as many folds as it has
    // attackers; with a single attacker there is nothing to cross-validate.
    let attackers = train.y.iter().filter(|&&l| l).count();
    let smaller = attackers.min(train.y.len() - attackers);
    let folds = settings.cv_folds.min(smaller);
    let cv_accuracy = if folds >= 2 {
        let cv = model::cross_validate(
            &train.x,
            features::len(set),
            &train.y,
            folds,
            &settings.params,
            &mut |_| true,
        )?;
        Some(cv.accuracy_mean)
    } else {
        None
    };

    // The test day sees ranks built from days up to `day` only.
    let test_day = day + 1;
    let scored = score_test_day(
        history, asn, by_day, split, set, &model, window, test_day,
    );
    Ok(PairEval {
        train_day: day,
        test_day,
        train_rows: train.len(),
        train_positives: train.positives(),
        cv_accuracy,
        scored,
    })
}

/// The model's decision values as scores whose sign is its label: a
/// decision of exactly 0 counts as benign, as in the SVM.
fn signed_decisions(model: &Model, x: &[f32]) -> Vec<f64> {
    model
        .decision_batch(x)
        .into_iter()
        .map(|d| if d > 0.0 { d } else { d.min(-f64::MIN_POSITIVE) })
        .collect()
}

/// Scores `model` on `test_day` (positives of the day against the
/// held-out benign half), then the baselines on the same rows.
#[allow(clippy::too_many_arguments)]
fn score_test_day(
    history: &RankHistory,
    asn: &AsnTable,
    by_day: &BTreeMap<Day, Vec<u32>>,
    split: &BenignSplit,
    set: FeatureSet,
    model: &Model,
    window: i32,
    test_day: Day,
) -> Vec<Scored> {
    let empty = Vec::new();
    let test_pos = by_day.get(&test_day).unwrap_or(&empty);
    let test =
        eval::rows(&history.view(test_day), asn, set, test_pos, &split.test);
    let decisions = signed_decisions(model, &test.x);
    let mut model_scored = Scored::new("model", &decisions, &test.y, 0.0, None);
    let model_tnr = model_scored.confusion.tnr();
    model_scored.tpr_at_model_tnr =
        model_tnr.and_then(|t| tpr_at_tnr(&decisions, &test.y, t));
    let mut scored = vec![model_scored];
    for (name, scores) in
        eval::baseline_scores(by_day, test_day, window, &test.ips)
    {
        scored.push(Scored::new(&name, &scores, &test.y, 0.5, model_tnr));
    }
    scored
}

/// Keeps `cols` of each `width`-wide row of `x`.
fn select_columns(x: &[f32], width: usize, cols: &[usize]) -> Vec<f32> {
    let mut out = Vec::with_capacity(x.len() / width.max(1) * cols.len());
    for row in x.chunks_exact(width) {
        out.extend(cols.iter().map(|&c| row[c]));
    }
    out
}

/// Trains every comparison variant on `day` and tests it on the next day,
/// on the same rows as the main model (no cross-validation).
fn compare_pair(
    history: &RankHistory,
    asn: &AsnTable,
    by_day: &BTreeMap<Day, Vec<u32>>,
    split: &BenignSplit,
    settings: &RunSettings,
    day: Day,
    model: Option<&Scored>,
) -> Result<Vec<Scored>, RunError> {
    let model_tnr = model.and_then(|m| m.confusion.tnr());
    let chosen = variant_name(settings.feature_set);
    let set = FeatureSet::Extended;
    let width = features::len(set);
    let empty = Vec::new();
    let positives = by_day.get(&day).unwrap_or(&empty);
    let train =
        eval::rows(&history.view(day), asn, set, positives, &split.train);
    let test_pos = by_day.get(&(day + 1)).unwrap_or(&empty);
    let test =
        eval::rows(&history.view(day + 1), asn, set, test_pos, &split.test);
    let mut out = Vec::new();
    for (name, cols) in comparison_variants() {
        if let Some(model) = model.filter(|_| name == chosen) {
            // The main model was fit on these very rows and columns.
            out.push(Scored { name, ..model.clone() });
            continue;
        }
        let x = select_columns(&train.x, width, &cols);
        let params = &settings.params;
        let model =
            Model::fit(&x, cols.len(), &train.y, None, params, &mut |_| true)?;
        let scores =
            signed_decisions(&model, &select_columns(&test.x, width, &cols));
        out.push(Scored::new(&name, &scores, &test.y, 0.0, model_tnr));
    }
    Ok(out)
}

/// Gathers the per-pair variant scores into one [`SetEval`] per variant.
fn comparison_result(
    pairs: &[PairEval],
    compared: &[Vec<Scored>],
    chosen: &str,
) -> FeatureComparison {
    let extended = features::names(FeatureSet::Extended);
    let sets = comparison_variants()
        .into_iter()
        .enumerate()
        .map(|(i, (name, cols))| {
            let scored: Vec<Scored> =
                compared.iter().filter_map(|day| day.get(i).cloned()).collect();
            SetEval {
                pooled: pool_scored(&name, &scored),
                feature_names: cols
                    .iter()
                    .map(|&c| extended[c].to_string())
                    .collect(),
                chosen: name == chosen,
                name,
                scored,
            }
        })
        .collect();
    FeatureComparison {
        test_days: pairs.iter().map(|p| p.test_day).collect(),
        sets,
    }
}

/// Pools one scorer's per-day results.
fn pool_scored(name: &str, scored: &[Scored]) -> Pooled {
    let mut confusion = Confusion::default();
    let mut aucs = Vec::new();
    let mut tprs = Vec::new();
    for s in scored {
        confusion.tp += s.confusion.tp;
        confusion.fp += s.confusion.fp;
        confusion.tn += s.confusion.tn;
        confusion.fn_ += s.confusion.fn_;
        aucs.extend(s.auc);
        tprs.extend(s.tpr_at_model_tnr);
    }
    Pooled {
        name: name.to_string(),
        confusion,
        median_auc: median(&mut aucs),
        median_tpr_at_model_tnr: median(&mut tprs),
    }
}

/// Fits the model on a day's rows.
fn fit(
    rows: &DayRows,
    set: FeatureSet,
    params: &TrainParams,
) -> Result<Model, RunError> {
    Ok(Model::fit(
        &rows.x,
        features::len(set),
        &rows.y,
        None,
        params,
        &mut |_| true,
    )?)
}

/// The exact likelihood grid of one map level.
pub fn map_grid(
    view: &RankView<'_>,
    asn: &AsnTable,
    model: &Model,
    set: FeatureSet,
    level: Level,
) -> Result<Grid, RunError> {
    let specials: Vec<(u32, u8)> = crate::bogon::SPECIAL_RANGES
        .iter()
        .filter(|r| r.bogon)
        .map(|r| (r.net, r.len))
        .collect();
    let partition = Partition::new(
        &view.seen_ips(),
        &view.seen_24s(),
        &view.seen_16s(),
        asn.ranges(),
        &specials,
    );
    map::infer(
        &partition,
        level,
        &mut |ip, out| features::vector(view, asn, ip, set, out),
        &mut |x, _n| model.probability_batch(x),
    )
    .map_err(|e| RunError::Map(e.to_string()))
}

/// Sums the confusion counts of each scorer over all pairs.
fn pool(pairs: &[PairEval]) -> Vec<Pooled> {
    let Some(first) = pairs.first() else {
        return Vec::new();
    };
    (0..first.scored.len())
        .map(|i| {
            let mut confusion = Confusion::default();
            let mut aucs = Vec::new();
            let mut tprs = Vec::new();
            for p in pairs {
                let s = &p.scored[i];
                confusion.tp += s.confusion.tp;
                confusion.fp += s.confusion.fp;
                confusion.tn += s.confusion.tn;
                confusion.fn_ += s.confusion.fn_;
                aucs.extend(s.auc);
                tprs.extend(s.tpr_at_model_tnr);
            }
            Pooled {
                name: first.scored[i].name.clone(),
                confusion,
                median_auc: median(&mut aucs),
                median_tpr_at_model_tnr: median(&mut tprs),
            }
        })
        .collect()
}

/// The median of `values` (the mean of the middle two for an even count).
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}
