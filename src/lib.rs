//! lwrank: predict which parts of the IPv4 Internet will attack next.
//!
//! The crate follows the data pipeline, one module per stage:
//!
//! - [`ingest`]: export files (DShield feeds, ISC API output, honeypot
//!   firewall logs, block lists) become [`event::Event`]s, with every
//!   skipped line counted and explained.
//! - [`asn`] and [`bogon`]: where an address belongs (its autonomous
//!   system, or a special-purpose range that should never be a source).
//! - [`rank`]: time-decayed badness scores per IP, /24, /16 and ASN,
//!   normalised to lwRank in [0, 1].
//! - [`features`]: the vector an address carries on a day, built only
//!   from days before that day.
//! - [`model`]: the classifier (random Fourier features feeding a linear
//!   SVM, with smartcore's exact SVC as the oracle) and its metrics.
//! - [`eval`]: datasets per day, walk-forward next-day tests and the
//!   naive baselines beside the model.
//! - [`hilbert`] and [`map`]: the IPv4 space on a Hilbert curve, and the
//!   exact predicted likelihood of each cell.
//! - [`inspect`]: rank histograms, top keys and one address's report.
//! - [`model_file`]: the exported model JSON (a versioned envelope).
//! - [`pipeline`]: the stages glued into one run, shared by the web
//!   worker, the tests and the benchmark.
//!
//! Only `ui` (and the worker binary) touch the browser; everything else is
//! plain Rust tested natively with `cargo test`.
//!
//! Glossary, used the same way everywhere:
//!
//! - *event*: one blocked source on one day (optionally a port and a
//!   protocol), with a weight (packets, reports or 1).
//! - *source*: the IPv4 address (or prefix) an event came from.
//! - *entity*: an IP, a /24, a /16 or an ASN; each has its own score.
//! - *day*: a UTC calendar day, counted from 1970-01-01 ([`event::Day`]).
//! - *behaviour*: the subset of events to predict (e.g. TCP port 22).
//! - *half-life*: days after which a score has decayed to half.
//! - *score*: the decayed sum of an entity's event weights.
//! - *rank* (lwRank): a score normalised to [0, 1]; 0 = never seen.
//! - *label*: +1 for a source blocked on the day, -1 for a benign address.
//! - *curve order*: a Hilbert curve of order n covers a 2^n x 2^n grid.
//! - *cell*: one square of that grid, i.e. one prefix of the IPv4 space.

pub mod asn;
pub mod bench;
pub mod bogon;
pub mod chart;
pub mod choices;
pub mod eval;
pub mod event;
pub mod features;
pub mod hilbert;
pub mod ingest;
pub mod inspect;
pub mod ip;
pub mod map;
pub mod model;
pub mod model_file;
pub mod pipeline;
pub mod protocol;
pub mod rank;
pub mod sample;

#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod worker;
