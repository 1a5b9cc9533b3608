//! The wasm entry point: hydrates the islands (the interactive parts) of the page the
//! server rendered.

// Hydration code for deep views has deep types; the size-optimised release build computes
// their layout and needs more than the default 128 levels.
#![recursion_limit = "256"]

// The islands are `#[wasm_bindgen]` exports of the app crate: link it even though nothing
// here names it, or the bundle would hydrate nothing.
extern crate kynangso_app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // End-to-end tests wait for this marker before they interact.
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
