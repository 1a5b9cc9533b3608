//! The wasm entry point: hydrates the page the server rendered.

// Hydration code for deep views has deep types; the size-optimised release build computes
// their layout and needs more than the default 128 levels.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(kynangso_app::App);
}
