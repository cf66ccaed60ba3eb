//! The core gives the same run, bit for bit, in WebAssembly as natively. The native
//! test `golden_trace_hash` (sim/tests/api.rs) checks the same run against the same value.
#![cfg(target_arch = "wasm32")]

use foobar_sim::{Scenario, SimTime, Summary, World};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_same_trace_hash_in_webassembly_as_natively() {
    let s = Scenario::from_json(include_str!("../scenarios/kill-web-01.json")).unwrap();
    let mut w = World::new(&s).unwrap();
    w.advance_to(SimTime::from_secs_f64(40.0));
    let golden = include_str!("../sim/tests/golden.txt").trim();
    assert_eq!(Summary::of(&w).trace_hash, golden);
}
