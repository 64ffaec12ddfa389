//! The model's exported JSON: a versioned envelope that says what the
//! model predicts (behaviour, half-life, feature set and names), which day
//! it was trained on and which lwrank wrote it, around the [`Model`].
//!
//! Reading checks the envelope before the model, so a wrong file gets one
//! sentence naming the file and the reason: not JSON, not an lwrank model
//! file, an unsupported version, or features that do not fit the set.

use crate::event::{format_day, Behaviour, Day};
use crate::features::{self, FeatureSet};
use crate::model::{Model, TrainParams};
use crate::pipeline::{
    ImportedModel, RunError, RunResult, RunSettings, Runner, Trained,
};
use crate::rank::HalfLife;
use serde::{Deserialize, Serialize};

/// The `format` field of every model file.
pub const FORMAT: &str = "lwrank-model";

/// The envelope version this build writes and reads.
pub const VERSION: u32 = 1;

/// A model with everything needed to use it on other data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// Envelope version ([`VERSION`]).
    pub version: u32,
    /// The lwrank version that wrote the file.
    pub lwrank_version: String,
    /// The behaviour the model predicts.
    pub behaviour: Behaviour,
    /// Its label, for people reading the file ("TCP 22").
    pub behaviour_label: String,
    /// Half-life of the ranks the model was trained on, in days.
    pub half_life_days: f64,
    /// The feature set of its rows.
    pub feature_set: FeatureSet,
    /// Column names, in row order.
    pub feature_names: Vec<String>,
    /// The day it was trained on (days since 1970-01-01).
    pub train_day: Day,
    /// The same day as YYYY-MM-DD.
    pub train_date: String,
    /// Training parameters.
    pub params: TrainParams,
    /// The classifier.
    pub model: Model,
}

/// Why a model file was refused; every message names the file.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum ModelFileError {
    /// The text is not JSON.
    #[error("{file}: not valid JSON ({reason})")]
    BadJson {
        /// File name.
        file: String,
        /// The parser's message.
        reason: String,
    },
    /// JSON, but not an lwrank model envelope.
    #[error("{file}: not an lwrank model file ({reason})")]
    NotModelFile {
        /// File name.
        file: String,
        /// What is missing.
        reason: String,
    },
    /// An envelope of a version this build cannot read.
    #[error(
        "{file}: model file version {found}; this lwrank reads version \
         {supported}"
    )]
    WrongVersion {
        /// File name.
        file: String,
        /// The version found, as text.
        found: String,
        /// The version this build reads.
        supported: u32,
    },
    /// The feature count does not fit the feature set.
    #[error(
        "{file}: {what} has {found} features but the {set} feature set \
         has {expected}"
    )]
    FeatureCount {
        /// File name.
        file: String,
        /// "the model" or "feature_names".
        what: &'static str,
        /// The feature set named in the file.
        set: String,
        /// Features of that set.
        expected: usize,
        /// Features found.
        found: usize,
    },
    /// A field has a wrong value or shape.
    #[error("{file}: {reason}")]
    Invalid {
        /// File name.
        file: String,
        /// What is wrong.
        reason: String,
    },
}

impl ModelFile {
    /// Wraps `model`, trained on `train_day` with `settings`.
    pub fn new(model: Model, settings: &RunSettings, train_day: Day) -> Self {
        let set = settings.feature_set;
        ModelFile {
            format: FORMAT.to_string(),
            version: VERSION,
            lwrank_version: env!("CARGO_PKG_VERSION").to_string(),
            behaviour: settings.behaviour.clone(),
            behaviour_label: settings.behaviour.label(),
            half_life_days: settings.half_life_days,
            feature_set: set,
            feature_names: features::names(set)
                .iter()
                .map(|s| s.to_string())
                .collect(),
            train_day,
            train_date: format_day(train_day),
            params: settings.params.clone(),
            model,
        }
    }

    /// The envelope as pretty JSON text.
    pub fn to_json(&self) -> String {
        // Plain structs of numbers and strings always serialise.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads and checks a model file named `file` (the name is only used
    /// in error messages).
    pub fn from_json(file: &str, text: &str) -> Result<Self, ModelFileError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| {
                ModelFileError::BadJson {
                    file: file.to_string(),
                    reason: e.to_string(),
                }
            })?;
        let invalid = |reason: String| ModelFileError::Invalid {
            file: file.to_string(),
            reason,
        };
        let Some(object) = value.as_object() else {
            return Err(ModelFileError::NotModelFile {
                file: file.to_string(),
                reason: "the JSON is not an object".to_string(),
            });
        };
        match object.get("format").and_then(|f| f.as_str()) {
            Some(FORMAT) => {}
            Some(other) => {
                return Err(ModelFileError::NotModelFile {
                    file: file.to_string(),
                    reason: format!("format is \"{other}\", not \"{FORMAT}\""),
                })
            }
            None => {
                return Err(ModelFileError::NotModelFile {
                    file: file.to_string(),
                    reason: format!(
                        "no \"format\": \"{FORMAT}\" field; files from \
                         lwrank before the envelope must be exported again"
                    ),
                })
            }
        }
        let version = object.get("version");
        if version.and_then(|v| v.as_u64()) != Some(u64::from(VERSION)) {
            return Err(ModelFileError::WrongVersion {
                file: file.to_string(),
                found: version.map_or("missing".to_string(), |v| v.to_string()),
                supported: VERSION,
            });
        }
        // The model is checked by its own reader (shape of every array).
        let model_text = object
            .get("model")
            .map(|m| m.to_string())
            .ok_or_else(|| invalid("no \"model\" field".to_string()))?;
        let model = Model::from_json(&model_text)
            .map_err(|e| invalid(e.to_string()))?;
        let mut parsed: ModelFile = serde_json::from_value(value)
            .map_err(|e| invalid(e.to_string()))?;
        parsed.model = model;
        parsed.check(file)?;
        Ok(parsed)
    }

    /// Checks the features against the set and the half-life.
    fn check(&self, file: &str) -> Result<(), ModelFileError> {
        let set = self.feature_set;
        let expected = features::len(set);
        let count = |what, found| ModelFileError::FeatureCount {
            file: file.to_string(),
            what,
            set: format!("{set:?}"),
            expected,
            found,
        };
        if self.feature_names.len() != expected {
            return Err(count("feature_names", self.feature_names.len()));
        }
        if self.model.n_features() != expected {
            return Err(count("the model", self.model.n_features()));
        }
        let names = features::names(set);
        if let Some((i, (a, b))) = self
            .feature_names
            .iter()
            .zip(&names)
            .enumerate()
            .find(|(_, (a, b))| a != b)
        {
            return Err(ModelFileError::Invalid {
                file: file.to_string(),
                reason: format!(
                    "feature {i} is \"{a}\" where the {set:?} set has \"{b}\""
                ),
            });
        }
        HalfLife::new(self.half_life_days).map_err(|e| {
            ModelFileError::Invalid {
                file: file.to_string(),
                reason: e.to_string(),
            }
        })?;
        Ok(())
    }

    /// The label of results computed with this model from file `name`.
    pub fn imported(&self, name: &str) -> ImportedModel {
        ImportedModel {
            file: name.to_string(),
            train_day: self.train_day,
            lwrank_version: self.lwrank_version.clone(),
        }
    }

    /// The run settings the model implies (no cross-validation: an
    /// imported model is only tested).
    pub fn settings(&self) -> RunSettings {
        RunSettings {
            behaviour: self.behaviour.clone(),
            half_life_days: self.half_life_days,
            feature_set: self.feature_set,
            params: self.params.clone(),
            cv_folds: 0,
            ..RunSettings::default()
        }
    }
}

/// Tests an imported model on every day pair of `events` (no training)
/// and maps the day after the last, as the worker does step by step.
///
/// `progress(fraction)` returning false cancels.
pub fn run_imported(
    events: &[crate::event::Event],
    benign: &[u32],
    asn: &crate::asn::AsnTable,
    file: &ModelFile,
    name: &str,
    clock: &dyn Fn() -> f64,
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<(RunResult, Trained), RunError> {
    let settings = file.settings();
    let mut runner = Runner::new(events, benign, asn, &settings, clock)?;
    let t = clock();
    loop {
        let frac = runner.done_steps() as f32 / runner.total_steps() as f32;
        if !progress(frac) {
            return Err(RunError::Cancelled);
        }
        if !runner.test_step(&file.model)? {
            break;
        }
    }
    let test_ms = clock() - t;
    runner.finish_with_model(
        file.model.clone(),
        file.imported(name),
        clock,
        test_ms,
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::event::day_from_ymd;

    fn tiny_model(n_features: usize) -> Model {
        let mut x = Vec::new();
        let mut y = Vec::new();
        for i in 0..40 {
            let v = i as f32 / 40.0;
            x.extend(std::iter::repeat_n(v, n_features));
            y.push(i >= 20);
        }
        Model::fit(
            &x,
            n_features,
            &y,
            None,
            &TrainParams { n_components: 8, ..TrainParams::default() },
            &mut |_| true,
        )
        .unwrap()
    }

    fn file(set: FeatureSet) -> ModelFile {
        let settings = RunSettings {
            behaviour: Behaviour::tcp(3389),
            half_life_days: 5.5,
            feature_set: set,
            ..RunSettings::default()
        };
        let day = day_from_ymd(2013, 7, 20).unwrap();
        ModelFile::new(tiny_model(features::len(set)), &settings, day)
    }

    #[test]
    fn round_trip_keeps_everything() {
        for set in [FeatureSet::Talk, FeatureSet::Extended] {
            let f = file(set);
            let text = f.to_json();
            assert!(text.contains("\"format\": \"lwrank-model\""));
            assert!(text.contains("\"train_date\": \"2013-07-20\""));
            let back = ModelFile::from_json("m.json", &text).unwrap();
            assert_eq!(back, f);
            assert_eq!(back.behaviour_label, "TCP 3389");
            assert_eq!(back.lwrank_version, env!("CARGO_PKG_VERSION"));
            let s = back.settings();
            assert_eq!(s.half_life_days, 5.5);
            assert_eq!(s.feature_set, set);
            assert_eq!(s.behaviour, Behaviour::tcp(3389));
            // Same decisions after the trip.
            let row = vec![0.7; features::len(set)];
            assert_eq!(back.model.decision(&row), f.model.decision(&row));
        }
    }

    #[test]
    fn bad_json_names_the_file() {
        let e = ModelFile::from_json("x.json", "{\"format\": ").unwrap_err();
        assert!(matches!(e, ModelFileError::BadJson { .. }), "{e:?}");
        assert!(e.to_string().starts_with("x.json: not valid JSON"), "{e}");
    }

    #[test]
    fn bare_model_is_not_a_model_file() {
        let bare = file(FeatureSet::Talk).model.to_json();
        let e = ModelFile::from_json("old.json", &bare).unwrap_err();
        assert!(matches!(e, ModelFileError::NotModelFile { .. }), "{e:?}");
        assert!(e.to_string().contains("old.json"), "{e}");
        let e = ModelFile::from_json("a.json", "[1, 2]").unwrap_err();
        assert!(matches!(e, ModelFileError::NotModelFile { .. }), "{e:?}");
    }

    #[test]
    fn other_version_is_refused() {
        let mut v: serde_json::Value =
            serde_json::from_str(&file(FeatureSet::Talk).to_json()).unwrap();
        v["version"] = serde_json::json!(2);
        let e = ModelFile::from_json("new.json", &v.to_string()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "new.json: model file version 2; this lwrank reads version 1"
        );
        v.as_object_mut().unwrap().remove("version");
        let e = ModelFile::from_json("new.json", &v.to_string()).unwrap_err();
        assert!(
            matches!(e, ModelFileError::WrongVersion { ref found, .. } if found == "missing"),
            "{e:?}"
        );
    }

    #[test]
    fn feature_count_mismatch_is_refused() {
        // A Talk model (4 features) claiming the Extended set.
        let mut v: serde_json::Value =
            serde_json::from_str(&file(FeatureSet::Talk).to_json()).unwrap();
        v["feature_set"] = serde_json::json!("Extended");
        let e = ModelFile::from_json("m.json", &v.to_string()).unwrap_err();
        assert!(
            matches!(
                e,
                ModelFileError::FeatureCount {
                    what: "feature_names",
                    expected: 8,
                    found: 4,
                    ..
                }
            ),
            "{e:?}"
        );
        let names = features::names(FeatureSet::Extended);
        v["feature_names"] = serde_json::json!(names);
        let e = ModelFile::from_json("m.json", &v.to_string()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "m.json: the model has 4 features but the Extended feature set \
             has 8"
        );
    }

    #[test]
    fn renamed_feature_and_bad_half_life_are_refused() {
        let mut v: serde_json::Value =
            serde_json::from_str(&file(FeatureSet::Talk).to_json()).unwrap();
        v["feature_names"][2] = serde_json::json!("rank_8");
        let e = ModelFile::from_json("m.json", &v.to_string()).unwrap_err();
        assert!(e.to_string().contains("feature 2 is \"rank_8\""), "{e}");
        let mut v: serde_json::Value =
            serde_json::from_str(&file(FeatureSet::Talk).to_json()).unwrap();
        v["half_life_days"] = serde_json::json!(0.0);
        let e = ModelFile::from_json("m.json", &v.to_string()).unwrap_err();
        assert!(matches!(e, ModelFileError::Invalid { .. }), "{e:?}");
        // A truncated coefficient array is caught by the model's reader.
        let mut v: serde_json::Value =
            serde_json::from_str(&file(FeatureSet::Talk).to_json()).unwrap();
        v["model"]["coef"].as_array_mut().unwrap().pop();
        let e = ModelFile::from_json("m.json", &v.to_string()).unwrap_err();
        assert!(e.to_string().contains("coefficient length"), "{e}");
    }
}
