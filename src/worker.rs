//! The web worker side of the app (browser only).
