//! map: the exact predicted likelihood of each cell of the IPv4 map, and
//! how to colour and draw it.
//!
//! The map shows 256 cells at a time on the order-4 Hilbert curve of
//! [`crate::hilbert`]: the /8s of the whole Internet, the /16s of one /8 or
//! the /24s of one /16 ([`Level`]). A zoomed level uses the same order-4
//! layout for its own 256 children, as ipv4-heatmap does when given a
//! sub-range.
//!
//! - [`infer`](mod@infer): the address space cut into segments of
//!   identical feature vectors ([`Partition`]), each distinct vector
//!   predicted once, averaged per cell ([`Grid`]).
//! - [`palette`]: viridis over the log ratio to the base rate, a diverging
//!   blue-white-orange palette, the reserved grey and the legend ticks.
//! - [`render`]: RGBA pixels for a canvas, pointer hit-testing and the
//!   names of reserved blocks.
//!
//! The map does not know about ranks, features or the model: callers pass
//! closures, so this module builds and tests on its own. The intended
//! wiring is `Partition::new(&view.seen_ips(), &view.seen_24s(),
//! &view.seen_16s(), asn.ranges(), &bogons)` with `bogons` the
//! `(net, len)` of the bogon entries of `bogon::SPECIAL_RANGES`, then
//! `infer` with `features::vector` and `Model::probability_batch`.

pub mod infer;
pub mod palette;
pub mod render;

pub use infer::{infer, Cell, Grid, Level, MapError, Partition};
pub use render::{
    cell_at, cell_rect, layer_colors, observed_counts, outcomes, plot_sources,
    render_grid, render_rgba, reserved_label, reserved_partial, Layer, Outcome,
};
