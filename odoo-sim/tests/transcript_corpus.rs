// Owns: the end-to-end replay of all recorded Odoo 18 exchanges, in recording order, against one
// simulator. Must never special-case a file: per-behaviour tests live in the other test files.

mod common;

use common::{all_prefixes, Harness};

#[tokio::test]
async fn all_70_transcripts_replay_in_recording_order() {
    let prefixes = all_prefixes();
    assert_eq!(prefixes.len(), 70, "expected the 70 recorded exchanges");
    let mut h = Harness::start().await;
    for p in &prefixes {
        h.check(p).await;
    }
}
