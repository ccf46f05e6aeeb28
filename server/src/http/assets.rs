//! The compiled site's CSS, JS and WASM: their names and how long browsers may keep them.
//!
//! `make build` runs cargo-leptos with `hash-files`: it renames the three files to
//! `login-bridge.<hash>.<ext>` and lists the hashes in `{site_root}/hash.txt`. A name that
//! carries its content's hash never changes meaning, so browsers and proxies may keep it for a
//! year without asking again (`immutable`); a new build has new names, so nobody is stuck with
//! an old WASM after an upgrade. Every other file (unhashed names, the public folder) is
//! revalidated on each use (`no-cache`), which is cheap with `Last-Modified`.
//!
//! Leptos reads the same hash file for its hydration scripts (`LeptosOptions::hash_files`);
//! this module only adds the stylesheet's name and the caching rule.

use axum::{
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::Response,
};
use leptos::config::LeptosOptions;
use std::{collections::HashSet, path::Path, sync::Arc};

/// The name of cargo-leptos' hash list inside the site root (`hash-file-name` in Cargo.toml).
pub const HASH_FILE: &str = "hash.txt";

const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");

/// The asset URLs of one build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteAssets {
    /// The `href` of the site's stylesheet.
    pub stylesheet: String,
    /// The paths whose content can never change (hashed names); empty without `hash-files`.
    immutable: Arc<HashSet<String>>,
}

impl SiteAssets {
    /// Reads the hash list the build left in the site root, if there is one. Without it (a
    /// plain `cargo build` of the WASM) the names are the unhashed `login-bridge.{css,js,wasm}`.
    pub fn load(options: &LeptosOptions) -> Self {
        let pkg = format!("/{}/{}", options.site_pkg_dir, options.output_name);
        let hashes = options
            .hash_files
            .then(|| std::fs::read_to_string(options.hash_file.as_ref()).ok())
            .flatten()
            .map(|text| parse_hash_list(&text))
            .unwrap_or_default();
        let path = |ext: &str| match hashes.iter().find(|(kind, _)| kind == ext) {
            Some((_, hash)) => format!("{pkg}.{hash}.{ext}"),
            None => format!("{pkg}.{ext}"),
        };
        let immutable = hashes.iter().map(|(ext, _)| path(ext)).collect();
        Self { stylesheet: path("css"), immutable: Arc::new(immutable) }
    }

    fn is_immutable(&self, path: &str) -> bool {
        self.immutable.contains(path)
    }
}

/// `hash.txt` lines are `ext: hash` (`js`, `wasm`, `css`, and split-WASM entries we don't use).
fn parse_hash_list(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(kind, hash)| (kind.trim().to_string(), hash.trim().to_string()))
        .filter(|(kind, hash)| {
            ["js", "wasm", "css"].contains(&kind.as_str())
                && !hash.is_empty()
                && hash.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .collect()
}

/// Turns hashing on in `options` when the build wrote a hash list into `site_root`.
pub fn with_hashed_names(mut options: LeptosOptions, site_root: &Path) -> LeptosOptions {
    let list = site_root.join(HASH_FILE);
    if !list.is_file() {
        return options;
    }
    // An absolute path: Leptos joins it to the executable's folder, which then has no effect.
    let list = std::path::absolute(&list).unwrap_or(list);
    options.hash_files = true;
    options.hash_file = list.display().to_string().into();
    options
}

/// Caching for the static files: a year for hashed names, revalidation for the rest. Answers
/// that are not files (404 page, errors) keep what their handler said.
pub async fn cache_control(State(assets): State<SiteAssets>, request: Request, next: Next) -> Response {
    let immutable = assets.is_immutable(request.uri().path());
    let mut response = next.run(request).await;
    let status = response.status();
    if (status == StatusCode::OK || status == StatusCode::NOT_MODIFIED) && !response.headers().contains_key(header::CACHE_CONTROL) {
        let value = if immutable { IMMUTABLE } else { REVALIDATE };
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, value);
        // The same URL answers brotli, gzip or plain (precompressed files): a shared cache
        // must key on what the browser accepts.
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

/// Which responses the bridge compresses on the fly: its HTML pages (the login page, error
/// pages). Static files are already compressed at build time; tokeninfo's JSON is a few dozen
/// bytes on a hot path. The pages carry no secret that outlives the response (the CSP nonce is
/// new each time, cookies are not in the body), so compression cannot leak one (BREACH).
pub fn compress_html(status: StatusCode, _: axum::http::Version, headers: &axum::http::HeaderMap, _: &axum::http::Extensions) -> bool {
    status != StatusCode::SWITCHING_PROTOCOLS
        && headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(dir: &Path) -> LeptosOptions {
        LeptosOptions::builder().output_name("login-bridge").site_root(dir.display().to_string()).site_pkg_dir("pkg").build()
    }

    #[test]
    fn hashed_names_come_from_the_build_list() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(HASH_FILE), "js: AbC-1_z\nwasm: W9\ncss: C7\nsplit: ignored\n").expect("write");
        let assets = SiteAssets::load(&with_hashed_names(options(dir.path()), dir.path()));
        assert_eq!(assets.stylesheet, "/pkg/login-bridge.C7.css");
        for path in ["/pkg/login-bridge.AbC-1_z.js", "/pkg/login-bridge.W9.wasm", "/pkg/login-bridge.C7.css"] {
            assert!(assets.is_immutable(path), "{path}");
        }
        assert!(!assets.is_immutable("/pkg/login-bridge.js"));
        assert!(!assets.is_immutable("/login-bridge.svg"));
    }

    #[test]
    fn without_a_list_the_names_are_plain_and_nothing_is_immutable() {
        let dir = tempfile::tempdir().expect("tempdir");
        let assets = SiteAssets::load(&with_hashed_names(options(dir.path()), dir.path()));
        assert_eq!(assets.stylesheet, "/pkg/login-bridge.css");
        assert!(!assets.is_immutable("/pkg/login-bridge.css"));
    }

    #[test]
    fn a_hash_that_could_change_the_path_is_ignored() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(HASH_FILE), "css: ../../etc\njs: a b\n").expect("write");
        let assets = SiteAssets::load(&with_hashed_names(options(dir.path()), dir.path()));
        assert_eq!(assets.stylesheet, "/pkg/login-bridge.css");
    }
}
