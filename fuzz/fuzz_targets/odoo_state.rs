//! Odoo's `state` (`{"d": db, "p": provider record, "r": url}`): what the bridge reads from it
//! (`p`) and how it hands it back (the implicit-flow fragment, Odoo's signin query).
//! Invariants: `p` is read only from a JSON object whose `p` is that integer (or its string);
//! any state goes back to Odoo byte for byte; a bridge-built state is valid JSON Odoo can read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use login_bridge::odoo::request::{bridge_signin_url, implicit_flow_answer, provider_record_in_state};
use serde_json::Value;
use url::{form_urlencoded, Url};

fuzz_target!(|data: &[u8]| {
    let Ok(state) = std::str::from_utf8(data) else { return };

    if let Some(p) = provider_record_in_state(state) {
        let value: Value = serde_json::from_str(state).expect("p comes from JSON");
        let ok = match &value["p"] {
            Value::Number(n) => n.as_i64() == Some(p),
            Value::String(s) => s.parse::<i64>().ok() == Some(p),
            _ => false,
        };
        assert!(ok, "p = {p} was not in {state:?}");
    }

    let config = login_bridge_fuzz::config();
    for odoo in &config.odoo {
        let answer = implicit_flow_answer(odoo, "TOKEN", 120, state);
        let (target, fragment) = answer.split_once('#').expect("fragment");
        assert_eq!(target, odoo.signin_url());
        let back: Vec<(String, String)> = form_urlencoded::parse(fragment.as_bytes()).into_owned().collect();
        assert_eq!(back.iter().filter(|(k, _)| k == "state").map(|(_, v)| v.as_str()).collect::<Vec<_>>(), vec![state]);

        // The same bytes as a return path the bridge puts in its own state (unchecked here).
        let url = Url::parse(&bridge_signin_url(odoo, "T", 4, Some(state))).expect("signin URL");
        let built = url.query_pairs().find(|(k, _)| k == "state").map(|(_, v)| v.into_owned()).expect("state");
        let built: Value = serde_json::from_str(&built).expect("a bridge-built state is JSON");
        assert_eq!(built["d"], odoo.database.as_str());
        assert_eq!(built["p"], 4);
        assert_eq!(provider_record_in_state(&built.to_string()), Some(4));
    }
});
