//! The centre zone: the Hilbert map of the IPv4 space on a canvas, with
//! breadcrumb, layer switch, day picker, legend, tooltip and PNG export.
//!
//! The canvas is drawn from a pixel buffer ([`crate::map::render_rgba`])
//! at the screen's device pixel ratio, then labelled with canvas text.

use super::{AppState, MapLayer};
use crate::event::format_day;
use crate::hilbert::{index_of, CurveOrder};
use crate::ip::format_ipv4;
use crate::map::palette::{
    self, count_color, ratio_color, viridis, EMPTY, RESERVED,
};
use crate::map::{
    cell_at, cell_rect, outcomes, reserved_label, reserved_partial, Grid,
    Level, Outcome,
};
use leptos::prelude::*;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

/// Colour of a /24 with blocked sources on the observed layer.
const DOT: [u8; 4] = [253, 231, 37, 255];

/// A cell counts as "predicted high" at this ratio to the base rate.
pub const HIGH_RATIO: f64 = 2.0;

/// The map zone.
#[component]
pub fn MapView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let (hover, set_hover) = signal(None::<(u8, f64, f64)>);
    let (focus, set_focus) = signal(0u8);
    let (resized, set_resized) = signal(0u32);

    // Redraw whenever what the map shows changes.
    Effect::new(move |_| {
        resized.track();
        let level = state.level.get();
        let layer = state.layer.get();
        let focus = focus.get();
        let Some(el) = canvas.get() else {
            return;
        };
        let (colors, shown, sources) = picture(&state, level, layer);
        let px = device_pixels(&el);
        draw_map(&el, px, &colors, shown, Some(focus), &sources);
    });

    // Redraw sharp after a resize.
    let resize = leptos::ev::resize;
    let handle =
        window_event_listener(resize, move |_| set_resized.update(|n| *n += 1));
    on_cleanup(move || handle.remove());

    let cell_under =
        move |ev: &leptos::ev::MouseEvent| -> Option<(u8, f64, f64)> {
            let el = canvas.get_untracked()?;
            let w = f64::from(el.client_width().max(1));
            let h = f64::from(el.client_height().max(1));
            let (x, y) = (f64::from(ev.offset_x()), f64::from(ev.offset_y()));
            let level = state.level.get_untracked();
            Some((cell_at(level, x / w, y / h), x, y))
        };
    let zoom_in = move |cell: u8| {
        let next = match state.level.get_untracked() {
            Level::Internet => Some(Level::Slash8(cell)),
            Level::Slash8(a) => Some(Level::Slash16(a, cell)),
            Level::Slash16(..) => None,
        };
        if let Some(level) = next {
            // The tooltip described a cell of the old level.
            set_hover.set(None);
            set_focus.set(0);
            state.show_level(level);
        }
    };
    let zoom_out = move || {
        let (up, cell) = match state.level.get_untracked() {
            Level::Internet => return,
            Level::Slash8(a) => (Level::Internet, a),
            Level::Slash16(a, b) => (Level::Slash8(a), b),
        };
        set_hover.set(None);
        set_focus.set(cell);
        state.show_level(up);
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let (x, y) = cell_rect(focus.get_untracked());
        let moved = match ev.key().as_str() {
            "ArrowLeft" => Some((x.saturating_sub(1), y)),
            "ArrowRight" => Some(((x + 1).min(15), y)),
            "ArrowUp" => Some((x, y.saturating_sub(1))),
            "ArrowDown" => Some((x, (y + 1).min(15))),
            "+" | "=" | "Enter" => {
                zoom_in(focus.get_untracked());
                None
            }
            "-" | "_" | "Escape" | "Backspace" => {
                zoom_out();
                None
            }
            _ => return,
        };
        ev.prevent_default();
        if let Some((x, y)) = moved {
            let cell = index_of(CurveOrder::FOUR, x, y) as u8;
            set_focus.set(cell);
            // Show the tooltip of the focused cell, as hover would.
            if let Some(el) = canvas.get_untracked() {
                let side = f64::from(el.client_width()) / 16.0;
                set_hover.set(Some((
                    cell,
                    (f64::from(x) + 0.8) * side,
                    (f64::from(y) + 0.8) * side,
                )));
            }
        }
    };

    let tooltip = move || {
        let (cell, x, y) = hover.get()?;
        let lines = tooltip_lines(&state, cell);
        Some(view! {
            <div class="tooltip" role="tooltip" style=format!("left:{x:.0}px;top:{y:.0}px")>
                {lines.into_iter().map(|l| view! { <div>{l}</div> }).collect_view()}
            </div>
        })
    };

    view! {
        <section class="map-zone" aria-label="Map of the IPv4 space">
            <Breadcrumb/>
            <LayerSwitch/>
            <div class="map-wrap">
                <canvas
                    id="map"
                    node_ref=canvas
                    tabindex="0"
                    aria-label="Hilbert map of the IPv4 space: arrow keys move, Enter or + zooms in, - or Escape zooms out"
                    on:mousemove=move |ev| set_hover.set(cell_under(&ev))
                    on:mouseleave=move |_| set_hover.set(None)
                    on:blur=move |_| set_hover.set(None)
                    on:click=move |ev| {
                        if let Some((cell, _, _)) = cell_under(&ev) {
                            zoom_in(cell);
                        }
                    }
                    on:wheel=move |ev: leptos::ev::WheelEvent| {
                        ev.prevent_default();
                        if ev.delta_y() < 0.0 {
                            if let Some((cell, _, _)) = cell_under(&ev) {
                                zoom_in(cell);
                            }
                        } else if ev.delta_y() > 0.0 {
                            zoom_out();
                        }
                    }
                    on:keydown=on_key
                ></canvas>
                {tooltip}
                {move || state.result.with(Option::is_none).then(|| {
                    let text = if state.inventory.with(|i| i.days.is_some()) {
                        "Pick the behaviour to predict on the left, then press Train."
                    } else {
                        "Drop firewall-block exports on the left, or press \"Try the sample\", then Train."
                    };
                    view! { <p class="map-empty">{text}</p> }
                })}
            </div>
            <Legend/>
            <div class="map-actions">
                <span class="num hint">{move || {
                    let ms = state.grid_millis.get();
                    state.grid.with(|g| g.as_ref().map(|g| format!(
                        "{} distinct feature vectors over {} segments, exact ({:.0} ms)",
                        g.distinct_vectors, g.segments, ms
                    ))).unwrap_or_default()
                }}</span>
                <button
                    id="export-png"
                    disabled=move || state.result.with(Option::is_none)
                    on:click=move |_| {
                        if let Some(el) = canvas.get_untracked() {
                            export_png(&state, &el);
                        }
                    }
                >
                    "Export PNG"
                </button>
            </div>
        </section>
    }
}

#[component]
fn Breadcrumb() -> impl IntoView {
    let state = expect_context::<AppState>();
    let crumbs = move || {
        let level = state.level.get();
        let mut items = vec![("Internet".to_string(), Level::Internet)];
        match level {
            Level::Internet => {}
            Level::Slash8(a) => items.push((format!("{a}/8"), level)),
            Level::Slash16(a, b) => {
                items.push((format!("{a}/8"), Level::Slash8(a)));
                items.push((format!("{a}.{b}/16"), level));
            }
        }
        let n = items.len();
        items
            .into_iter()
            .enumerate()
            .map(|(i, (text, target))| {
                let last = i + 1 == n;
                view! {
                    <li>
                        <button
                            class="crumb"
                            disabled=last
                            aria-current=if last { Some("location") } else { None }
                            on:click=move |_| state.show_level(target)
                        >
                            {text}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! { <nav class="breadcrumb" aria-label="Map level"><ol>{crumbs}</ol></nav> }
}

#[component]
fn LayerSwitch() -> impl IntoView {
    let state = expect_context::<AppState>();
    let choose = move |layer: MapLayer| {
        state.layer.set(layer);
        state.refresh_map();
    };
    let radio = move |layer: MapLayer, id: &'static str, text: &'static str| {
        view! {
            <label>
                <input
                    type="radio"
                    name="layer"
                    id=id
                    prop:checked=move || state.layer.get() == layer
                    on:change=move |_| choose(layer)
                />
                {text}
            </label>
        }
    };
    let days = move || {
        state.result.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.days
                        .iter()
                        .skip(1)
                        .map(|d| {
                            let selected = state.day.get() == Some(d.day);
                            view! { <option value=d.day.to_string() selected=selected>{format_day(d.day)}</option> }
                        })
                        .collect_view()
                })
        })
    };
    view! {
        <div class="layers" role="radiogroup" aria-label="Map layer">
            {radio(MapLayer::Predicted, "layer-predicted", "predicted")}
            {radio(MapLayer::Observed, "layer-observed", "observed on")}
            {radio(MapLayer::PredictedVsActual, "layer-vs", "predicted vs actual on")}
            <select
                id="map-day"
                aria-label="Day"
                disabled=move || state.layer.get() == MapLayer::Predicted
                on:change=move |ev| {
                    if let Ok(day) = event_target_value(&ev).parse() {
                        state.day.set(Some(day));
                        state.refresh_map();
                    }
                }
            >
                {days}
            </select>
            <span class="hint">{move || state.result.with(|r| r.as_ref().map(|r| {
                if state.layer.get() == MapLayer::Predicted {
                    format!("likelihood of {} on {}", r.behaviour, format_day(r.map_day))
                } else {
                    r.behaviour.clone()
                }
            }))}</span>
            {move || state.result.with(|r| r.as_ref().and_then(|r| r.imported.as_ref()).map(|i| view! {
                <span id="map-imported" class="imported">{format!("imported model trained on {}", format_day(i.train_day))}</span>
            }))}
        </div>
    }
}

#[component]
fn Legend() -> impl IntoView {
    let state = expect_context::<AppState>();
    let gradient = (0..=10)
        .map(|i| {
            let c = viridis(f64::from(i) / 10.0);
            format!("rgb({},{},{}) {}%", c[0], c[1], c[2], i * 10)
        })
        .collect::<Vec<_>>()
        .join(",");
    let style = format!("background:linear-gradient(to right,{gradient})");
    let ticks = palette::legend_ticks()
        .into_iter()
        .map(|t| view! { <span style=format!("left:{:.1}%", t.position * 100.0)>{t.label}</span> })
        .collect_view();
    let swatch = |c: [u8; 4], text: &'static str| {
        view! {
            <span class="swatch-item">
                <span class="swatch" style=format!("background:rgb({},{},{})", c[0], c[1], c[2])></span>
                {text}
            </span>
        }
    };
    view! {
        <div class="legend" aria-label="Legend">
            <div class="legend-scale" class:hidden=move || state.layer.get() == MapLayer::PredictedVsActual>
                <div class="legend-title">{move || match state.layer.get() {
                    MapLayer::Observed => "each yellow dot: a /24 with blocked sources that day (inside a /16: sources per /24, log scale)",
                    _ => "times more likely than the base rate (log scale)",
                }}</div>
                <div class="legend-bar" style=style></div>
                <div class="legend-ticks" class:hidden=move || state.layer.get() == MapLayer::Observed>{ticks}</div>
            </div>
            <div class="legend-swatches">
                {move || (state.layer.get() == MapLayer::PredictedVsActual).then(|| view! {
                    <span class="legend-title">{format!("predicted high = at least {HIGH_RATIO}× the base rate")}</span>
                    {swatch(Outcome::Hit.color(), "hit")}
                    {swatch(Outcome::Miss.color(), "miss")}
                    {swatch(Outcome::FalseAlarm.color(), "false alarm")}
                    {swatch(Outcome::Quiet.color(), "quiet")}
                })}
                {swatch(RESERVED, "reserved / special")}
            </div>
        </div>
    }
}

/// The colour of each of the 256 cells for the layer.
fn cell_colors(
    grid: Option<&Grid>,
    layer: MapLayer,
    observed: Option<&Vec<u64>>,
    level: Level,
) -> Vec<[u8; 4]> {
    let Some(grid) = grid else {
        // First visit: reserved blocks drawn and labelled, the rest empty.
        return (0..=255u8)
            .map(|i| {
                if reserved_label(level, i).is_some() {
                    RESERVED
                } else {
                    EMPTY
                }
            })
            .collect();
    };
    match (layer, observed) {
        (MapLayer::Observed, Some(counts)) => {
            let max = counts.iter().copied().max().unwrap_or(0);
            counts
                .iter()
                .zip(&grid.cells)
                .map(|(&n, cell)| {
                    if cell.is_reserved() && n == 0 {
                        RESERVED
                    } else {
                        count_color(n, max)
                    }
                })
                .collect()
        }
        (MapLayer::PredictedVsActual, Some(counts)) => {
            outcomes(grid, counts, HIGH_RATIO)
                .into_iter()
                .map(Outcome::color)
                .collect()
        }
        _ => (0..=255u8)
            .map(|i| grid.ratio(i).map_or(RESERVED, ratio_color))
            .collect(),
    }
}

fn context_2d(el: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    el.get_context("2d").ok()??.dyn_into().ok()
}

/// What the map shows at `level` on `layer`: the colour of each cell, the
/// level actually drawn and, on the observed layer, the /24 sources as dots.
fn picture(
    state: &AppState,
    level: Level,
    layer: MapLayer,
) -> (Vec<[u8; 4]>, Level, Vec<u32>) {
    state.grid.with(|grid| {
        state.observed.with(|observed| {
            let shown = grid.as_ref().map_or(level, |g| g.level);
            let counts = observed.as_ref().map(|o| &o.1);
            let dots = layer == MapLayer::Observed
                && !matches!(shown, Level::Slash16(..));
            let colors = if dots {
                // Single /24s as dots over the plain map, as in the talk.
                cell_colors(None, layer, None, shown)
            } else {
                cell_colors(grid.as_ref(), layer, counts, shown)
            };
            let sources = if dots {
                state.sources.with(Clone::clone)
            } else {
                Vec::new()
            };
            (colors, shown, sources)
        })
    })
}

/// The device pixel ratio, at least 1.
fn pixel_ratio() -> f64 {
    web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()).max(1.0)
}

/// Canvas side in device pixels: sharp on high-DPI screens.
fn device_pixels(el: &HtmlCanvasElement) -> u32 {
    let css = f64::from(el.client_width().max(64));
    ((css * pixel_ratio()).round() as u32).max(64)
}

/// Draws the cells, their labels and, if given, the keyboard focus.
fn draw_map(
    el: &HtmlCanvasElement,
    px: u32,
    colors: &[[u8; 4]],
    level: Level,
    focus: Option<u8>,
    sources: &[u32],
) {
    let dpr = pixel_ratio();
    if el.width() != px {
        el.set_width(px);
        el.set_height(px);
    }
    let Some(ctx) = context_2d(el) else {
        return;
    };
    let mut pixels = crate::map::render_rgba(colors, CurveOrder::FOUR, px);
    crate::map::plot_sources(&mut pixels, px, level, sources, DOT);
    match ImageData::new_with_u8_clamped_array_and_sh(Clamped(&pixels), px, px)
    {
        Ok(image) => {
            let _ = ctx.put_image_data(&image, 0.0, 0.0);
        }
        Err(e) => log::error!("ImageData: {e:?}"),
    }

    // Labels: the prefix's octet, and the special block's name.
    let side = f64::from(px) / 16.0;
    ctx.set_text_align("center");
    ctx.set_text_baseline("middle");
    for i in 0..=255u8 {
        let (x, y) = cell_rect(i);
        let (cx, cy) =
            ((f64::from(x) + 0.5) * side, (f64::from(y) + 0.5) * side);
        let c = colors.get(usize::from(i)).copied().unwrap_or(EMPTY);
        let ink = if palette::relative_luminance(c) > 0.35 {
            "#111"
        } else {
            "#f4f4f4"
        };
        ctx.set_fill_style_str(ink);
        ctx.set_font(&format!("{}px sans-serif", (side * 0.3).round()));
        let reserved =
            reserved_label(level, i).or_else(|| reserved_partial(level, i));
        let label_y = if reserved.is_some() { cy - side * 0.14 } else { cy };
        let _ = ctx.fill_text(&octet_label(level, i), cx, label_y);
        if let Some(name) = reserved {
            ctx.set_font(&format!(
                "{}px sans-serif",
                (side * 0.2).max(8.0 * dpr).round()
            ));
            let mark = if reserved_label(level, i).is_some() {
                name.to_string()
            } else {
                format!("*{name}")
            };
            let _ = ctx.fill_text_with_max_width(
                &mark,
                cx,
                cy + side * 0.22,
                side * 0.95,
            );
        }
    }

    // Keyboard focus.
    let Some(focus) = focus else {
        return;
    };
    let (x, y) = cell_rect(focus);
    ctx.set_stroke_style_str("#ff2d95");
    ctx.set_line_width((dpr * 2.0).max(2.0));
    ctx.stroke_rect(
        f64::from(x) * side + 1.0,
        f64::from(y) * side + 1.0,
        side - 2.0,
        side - 2.0,
    );
}

/// The octet a cell adds to its level's prefix.
fn octet_label(level: Level, cell: u8) -> String {
    let _ = level;
    cell.to_string()
}

/// Prefix text of a cell ("61.0.0.0/8").
pub fn cell_prefix_text(level: Level, cell: u8) -> String {
    let (_, len) = level.base_and_cell_len();
    format!("{}/{len}", format_ipv4(level.cell_prefix(cell)))
}

fn tooltip_lines(state: &AppState, cell: u8) -> Vec<String> {
    let level = state.level.get();
    let mut lines = vec![cell_prefix_text(level, cell)];
    if let Some(name) = reserved_label(level, cell) {
        lines.push(format!("reserved: {name}"));
    } else if let Some(name) = reserved_partial(level, cell) {
        lines.push(format!("partly reserved: {name}"));
    }
    if let Some(owner) =
        state.owners.with(|o| o.get(usize::from(cell)).cloned())
    {
        if !owner.is_empty() {
            lines.push(owner);
        }
    }
    state.grid.with(|g| {
        if let Some(g) = g {
            let c = &g.cells[usize::from(cell)];
            if let Some(r) = g.ratio(cell) {
                lines.push(format!(
                    "predicted: {:.2} % ({:.1}× the base rate {:.2} %)",
                    c.mean_probability * 100.0,
                    r,
                    g.base_rate * 100.0
                ));
            }
        }
    });
    state.observed.with(|o| {
        if let Some((day, counts)) = o {
            let n = counts.get(usize::from(cell)).copied().unwrap_or(0);
            lines.push(format!("{n} sources blocked on {}", format_day(*day)));
        }
    });
    lines
}

/// Saves the map with a title and legend as a PNG.
fn export_png(state: &AppState, shown: &HtmlCanvasElement) {
    let (Some(out), Some(map)) = (new_canvas(), new_canvas()) else {
        return;
    };
    // A fresh copy of the map at the shown size, without the focus outline.
    // At least 1024 px, however small the map is on screen.
    let size = shown.width().max(1024);
    let layer = state.layer.get_untracked();
    let (colors, level, sources) =
        picture(state, state.level.get_untracked(), layer);
    draw_map(&map, size, &colors, level, None, &sources);
    let scale = f64::from(size) / 800.0;
    let head = (60.0 * scale) as u32;
    let foot = (90.0 * scale) as u32;
    out.set_width(size);
    out.set_height(size + head + foot);
    let Some(ctx) = context_2d(&out) else {
        return;
    };
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, f64::from(size), f64::from(size + head + foot));
    ctx.set_fill_style_str("#111111");
    ctx.set_text_baseline("middle");
    ctx.set_font(&format!("{}px sans-serif", (24.0 * scale).round()));
    let title = state.result.with_untracked(|r| {
        r.as_ref().map(|r| {
            let what = match state.layer.get_untracked() {
                MapLayer::Predicted => {
                    format!("predicted likelihood on {}", format_day(r.map_day))
                }
                MapLayer::Observed => format!(
                    "blocked sources on {}",
                    state
                        .day
                        .get_untracked()
                        .map(format_day)
                        .unwrap_or_default()
                ),
                MapLayer::PredictedVsActual => format!(
                    "predicted vs actual on {}",
                    state
                        .day
                        .get_untracked()
                        .map(format_day)
                        .unwrap_or_default()
                ),
            };
            let place = match state.level.get_untracked() {
                Level::Internet => "the whole IPv4 space".to_string(),
                Level::Slash8(a) => format!("{a}.0.0.0/8"),
                Level::Slash16(a, b) => format!("{a}.{b}.0.0/16"),
            };
            format!("lwrank: {}, {what}, {place}", r.behaviour)
        })
    });
    let title = title.unwrap_or_else(|| "lwrank".to_string());
    let _ = ctx.fill_text_with_max_width(
        &title,
        12.0 * scale,
        f64::from(head) / 2.0,
        f64::from(size) - 24.0 * scale,
    );
    let _ = ctx.draw_image_with_html_canvas_element(&map, 0.0, f64::from(head));

    // Legend: what the colours of this layer mean.
    let y0 = f64::from(head + size) + 14.0 * scale;
    let left = 20.0 * scale;
    let bar_w = f64::from(size) - 40.0 * scale;
    let font = |px: f64| format!("{}px sans-serif", (px * scale).round());
    ctx.set_font(&font(14.0));
    match layer {
        MapLayer::Predicted => {
            gradient_bar(&ctx, left, y0, bar_w, 20.0 * scale, viridis);
            ctx.set_fill_style_str("#111111");
            for t in palette::legend_ticks() {
                // The end labels stay inside the bar's span.
                ctx.set_text_align(if t.position <= 0.0 {
                    "left"
                } else if t.position >= 1.0 {
                    "right"
                } else {
                    "center"
                });
                let _ = ctx.fill_text(
                    t.label,
                    left + t.position * bar_w,
                    y0 + 34.0 * scale,
                );
            }
            ctx.set_text_align("left");
            let _ = ctx.fill_text(
                "times more likely than the base rate (log scale); \
                 grey = reserved",
                left,
                y0 + 58.0 * scale,
            );
        }
        MapLayer::Observed if !matches!(level, Level::Slash16(..)) => {
            let items = [
                (DOT, "a /24 with blocked sources"),
                (RESERVED, "reserved / special"),
            ];
            swatches(&ctx, left, y0 + 10.0 * scale, scale, &items);
        }
        MapLayer::Observed => {
            gradient_bar(&ctx, left, y0, bar_w, 20.0 * scale, |t| {
                count_color((t * 1000.0).round().max(1.0) as u64, 1000)
            });
            ctx.set_fill_style_str("#111111");
            ctx.set_text_align("left");
            let _ = ctx.fill_text(
                "blocked sources per /24 (log scale, few to most); \
                 grey = reserved",
                left,
                y0 + 40.0 * scale,
            );
        }
        MapLayer::PredictedVsActual => {
            let items = [
                (Outcome::Hit.color(), "hit"),
                (Outcome::Miss.color(), "miss"),
                (Outcome::FalseAlarm.color(), "false alarm"),
                (Outcome::Quiet.color(), "quiet"),
                (RESERVED, "reserved"),
            ];
            swatches(&ctx, left, y0 + 10.0 * scale, scale, &items);
            ctx.set_fill_style_str("#111111");
            ctx.set_text_align("left");
            let _ = ctx.fill_text(
                &format!(
                    "predicted high = at least {HIGH_RATIO}\u{d7} the base rate"
                ),
                left,
                y0 + 50.0 * scale,
            );
        }
    }
    if let Ok(url) = out.to_data_url_with_type("image/png") {
        super::results::download_url("lwrank-map.png", &url);
    }
}

/// A new, detached canvas element.
fn new_canvas() -> Option<HtmlCanvasElement> {
    let document = web_sys::window()?.document()?;
    document.create_element("canvas").ok()?.dyn_into().ok()
}

/// A horizontal colour bar from `color(0)` to `color(1)`.
fn gradient_bar(
    ctx: &CanvasRenderingContext2d,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    color: impl Fn(f64) -> [u8; 4],
) {
    let steps = 200;
    for i in 0..steps {
        let t = f64::from(i) / f64::from(steps);
        let c = color(t);
        ctx.set_fill_style_str(&format!("rgb({},{},{})", c[0], c[1], c[2]));
        ctx.fill_rect(x + t * w, y, w / f64::from(steps) + 1.0, h);
    }
}

/// A row of colour swatches with their names.
fn swatches(
    ctx: &CanvasRenderingContext2d,
    x: f64,
    y: f64,
    scale: f64,
    items: &[([u8; 4], &str)],
) {
    let side = 16.0 * scale;
    let mut at = x;
    ctx.set_text_align("left");
    for (c, name) in items {
        ctx.set_fill_style_str(&format!("rgb({},{},{})", c[0], c[1], c[2]));
        ctx.fill_rect(at, y, side, side);
        ctx.set_fill_style_str("#111111");
        let _ = ctx.fill_text(name, at + side * 1.4, y + side / 2.0);
        // About 0.55 em per character of a 14 px sans-serif.
        at += side * 2.6 + name.len() as f64 * 7.7 * scale;
    }
}
