//! `GET /callback/{provider}?…` with a `Cookie` header: the query as axum's `Query` extracts it
//! into the handlers' parameter structs (the callback, the start link, the email form,
//! tokeninfo), and the flow cookie reader that binds the callback's `state` to the browser.
//! Input: `query \n Cookie header`.
//! Invariants: no panic; `target_pairs` carries only non-empty values; a flow cookie value is
//! one pair's value (no `;`) taken from the header.
#![no_main]

use axum::{
    extract::Query,
    http::{header, HeaderMap, HeaderValue, Uri},
};
use libfuzzer_sys::fuzz_target;
use login_bridge::http::{
    callback::CallbackParams,
    cookies::flow_cookies,
    start::{EmailParams, StartParams},
    tokeninfo::TokenInfoParams,
};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let [query, cookie] = login_bridge_fuzz::parts::<2>(text);

    if let Ok(uri) = format!("/callback/sso?{query}").parse::<Uri>() {
        let _ = Query::<CallbackParams>::try_from_uri(&uri).map(|q| format!("{:?}", q.0));
        let _ = Query::<EmailParams>::try_from_uri(&uri).map(|q| format!("{:?}", q.0));
        let _ = Query::<TokenInfoParams>::try_from_uri(&uri).map(|q| format!("{:?}", q.0));
        if let Ok(Query(start)) = Query::<StartParams>::try_from_uri(&uri) {
            for (_, value) in start.target_pairs() {
                assert!(!value.is_empty(), "target_pairs carries only non-empty values");
            }
        }
    }

    if let Ok(value) = HeaderValue::from_str(cookie) {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, value);
        for secure in [false, true] {
            for flow in flow_cookies(&headers, secure) {
                assert!(!flow.contains(';'), "a cookie value never spans pairs: {flow:?}");
                assert!(cookie.contains(&flow));
            }
        }
    }

});
