//! `GET /odoo/authorize?…`: Odoo's implicit-flow request, checked against the config.
//! Invariants: an accepted request names a configured Odoo, carries exactly that Odoo's signin
//! URL as its only `redirect_uri`, response_type `token` and a state of at most 4096 bytes kept
//! byte for byte; the answer the bridge builds from it goes to that signin URL and nowhere else.
#![no_main]

use libfuzzer_sys::fuzz_target;
use login_bridge::odoo::request::{implicit_flow_answer, provider_record_in_state, OdooAuthorizeRequest};
use url::form_urlencoded;

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else { return };
    let config = login_bridge_fuzz::config();
    let Ok(request) = OdooAuthorizeRequest::parse(config, query) else { return };

    let odoo = config.odoo(&request.odoo_id).expect("an accepted request names a configured Odoo");
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let values = |name: &str| pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect::<Vec<_>>();
    assert_eq!(values("redirect_uri"), vec![odoo.signin_url()], "redirect_uri must be exactly the configured signin URL");
    assert_eq!(values("client_id"), vec![odoo.id.clone()]);
    assert_eq!(values("response_type"), vec!["token".to_string()]);
    assert_eq!(values("state"), vec![request.state.clone()], "the state is kept byte for byte");
    assert!(request.state.len() <= 4096);
    assert_eq!(request.provider_record, provider_record_in_state(&request.state));

    let answer = implicit_flow_answer(odoo, "TOKEN", 120, &request.state);
    let (target, fragment) = answer.split_once('#').expect("the answer has a fragment");
    assert_eq!(target, odoo.signin_url(), "the answer goes to the signin URL only");
    let back: Vec<(String, String)> = form_urlencoded::parse(fragment.as_bytes()).into_owned().collect();
    assert!(back.contains(&("state".to_string(), request.state.clone())), "Odoo gets its state back unchanged");
    assert!(back.contains(&("access_token".to_string(), "TOKEN".to_string())));
});
