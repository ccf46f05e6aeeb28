//! The browser entry point: hydrates the islands of the server-rendered page.
//! It must stay this small; every component lives in `app`.

// The islands are exported from `app`; nothing here calls into it, and an unreferenced crate
// is not linked at all, so its islands would silently vanish from the WASM.
extern crate app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
