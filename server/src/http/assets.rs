//! The compiled site's CSS, JS and WASM: their names and how long browsers may keep them.
//!
//! `make build` runs cargo-leptos with `hash-files`: it renames the three files to
//! `login-bridge.<hash>.<ext>` and lists the hashes in `{site_root}/hash.txt`. A name that
//! carries its content's hash never changes meaning, so browsers and proxies may keep it for a
//! year without asking again (`immutable`); a new build has new names, so nobody is stuck with
//! an old WASM after an upgrade. Every other file (unhashed names, the public folder) is
//! revalidated on each use (`no-cache`), which is cheap with `Last-Modified`.
//!
//! Why not Leptos' own `hash_files` option: its hydration scripts then read `hash.txt` from disk
//! on every page (readlink, stat, open, read: 9 % of a login page's CPU under load). Instead the
//! page names its JS and WASM after one *bundle id* (derived from both hashes) through
//! `output_name`, and [`serve_bundle`] maps those two names to the files on disk.

use axum::{
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode, Uri},
    middleware::Next,
    response::Response,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use leptos::config::LeptosOptions;
use sha2::{Digest, Sha256};
use std::{collections::HashMap, path::Path, sync::Arc};

/// The name of cargo-leptos' hash list inside the site root (`hash-file-name` in Cargo.toml).
pub const HASH_FILE: &str = "hash.txt";
/// The file names' stem (`output-name`, i.e. the `name` of the cargo-leptos project).
const OUTPUT_NAME: &str = "login-bridge";

const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");

/// The content hashes of one build, from `hash.txt`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Hashes {
    js: String,
    wasm: String,
    css: String,
}

impl Hashes {
    fn read(site_root: &Path) -> Option<Self> {
        let text = std::fs::read_to_string(site_root.join(HASH_FILE)).ok()?;
        let mut found: HashMap<String, String> = text
            .lines()
            .filter_map(|line| line.split_once(':'))
            .map(|(kind, hash)| (kind.trim().to_string(), hash.trim().to_string()))
            // Only hashes that cannot change the shape of a path.
            .filter(|(_, hash)| !hash.is_empty() && hash.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
            .collect();
        Some(Self { js: found.remove("js")?, wasm: found.remove("wasm")?, css: found.remove("css")? })
    }

    /// One name for the JS and WASM pair: changes whenever either does.
    fn bundle_id(&self) -> String {
        let digest = Sha256::new().chain_update(&self.js).chain_update(":").chain_update(&self.wasm).finalize();
        URL_SAFE_NO_PAD.encode(&digest[..12])
    }
}

/// Names the page's JS and WASM after this build's bundle id, when the build wrote a hash list.
pub fn with_hashed_names(mut options: LeptosOptions, site_root: &Path) -> LeptosOptions {
    if let Some(hashes) = Hashes::read(site_root) {
        options.output_name = format!("{OUTPUT_NAME}.{}", hashes.bundle_id()).into();
    }
    options
}

/// The asset URLs of one build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteAssets {
    /// The `href` of the site's stylesheet.
    pub stylesheet: String,
    /// The page's names for the JS and WASM → the files' own (hashed) names.
    bundle: Arc<HashMap<String, String>>,
    /// Paths whose content can never change; empty without a hash list.
    immutable: Arc<Vec<String>>,
}

impl SiteAssets {
    /// Reads the hash list the build left in the site root, if there is one. Without it (a
    /// plain `cargo build` of the WASM) the names are the unhashed `login-bridge.{css,js,wasm}`.
    pub fn load(options: &LeptosOptions) -> Self {
        let pkg = format!("/{}/{OUTPUT_NAME}", options.site_pkg_dir);
        let Some(hashes) = Hashes::read(Path::new(options.site_root.as_ref())) else {
            return Self { stylesheet: format!("{pkg}.css"), bundle: Arc::default(), immutable: Arc::default() };
        };
        let id = hashes.bundle_id();
        let bundle: HashMap<String, String> = [("js", &hashes.js), ("wasm", &hashes.wasm)]
            .into_iter()
            .map(|(ext, hash)| (format!("{pkg}.{id}.{ext}"), format!("{pkg}.{hash}.{ext}")))
            .collect();
        let stylesheet = format!("{pkg}.{}.css", hashes.css);
        let immutable = bundle.keys().chain(bundle.values()).cloned().chain([stylesheet.clone()]).collect();
        Self { stylesheet, bundle: Arc::new(bundle), immutable: Arc::new(immutable) }
    }

    fn is_immutable(&self, path: &str) -> bool {
        self.immutable.iter().any(|p| p == path)
    }
}

/// In front of the static files: the bundle's names reach their files, and the answers carry
/// their caching rule (a year for hashed names, revalidation for the rest). Answers that are
/// not files (404 page, errors) keep what their handler said.
pub async fn serve_bundle(State(assets): State<SiteAssets>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let immutable = assets.is_immutable(path);
    if let Some(file) = assets.bundle.get(path) {
        if let Ok(uri) = file.parse::<Uri>() {
            *request.uri_mut() = uri;
        }
    }
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

    fn site(list: Option<&str>) -> (tempfile::TempDir, LeptosOptions) {
        let dir = tempfile::tempdir().expect("tempdir");
        if let Some(list) = list {
            std::fs::write(dir.path().join(HASH_FILE), list).expect("write");
        }
        let options = LeptosOptions::builder().output_name(OUTPUT_NAME).site_root(dir.path().display().to_string()).site_pkg_dir("pkg").build();
        let options = with_hashed_names(options, dir.path());
        (dir, options)
    }

    #[test]
    fn the_page_names_one_bundle_that_maps_to_the_hashed_files() {
        let (_dir, options) = site(Some("js: AbC-1_z\nwasm: W9\ncss: C7\nsplit: ignored\n"));
        let assets = SiteAssets::load(&options);
        assert_eq!(assets.stylesheet, "/pkg/login-bridge.C7.css");
        let id = options.output_name.strip_prefix("login-bridge.").expect("bundle id in the output name");
        assert_eq!(assets.bundle.get(&format!("/pkg/login-bridge.{id}.js")).map(String::as_str), Some("/pkg/login-bridge.AbC-1_z.js"));
        assert_eq!(assets.bundle.get(&format!("/pkg/login-bridge.{id}.wasm")).map(String::as_str), Some("/pkg/login-bridge.W9.wasm"));
        for path in [format!("/pkg/login-bridge.{id}.wasm"), "/pkg/login-bridge.W9.wasm".into(), "/pkg/login-bridge.C7.css".into()] {
            assert!(assets.is_immutable(&path), "{path}");
        }
        assert!(!assets.is_immutable("/pkg/login-bridge.js"));
        assert!(!assets.is_immutable("/login-bridge.svg"));
    }

    #[test]
    fn a_new_wasm_alone_gives_a_new_bundle_id() {
        let (_a, first) = site(Some("js: J\nwasm: W1\ncss: C\n"));
        let (_b, second) = site(Some("js: J\nwasm: W2\ncss: C\n"));
        assert_ne!(first.output_name, second.output_name);
    }

    #[test]
    fn without_a_list_the_names_are_plain_and_nothing_is_immutable() {
        let (_dir, options) = site(None);
        assert_eq!(&*options.output_name, "login-bridge");
        let assets = SiteAssets::load(&options);
        assert_eq!(assets.stylesheet, "/pkg/login-bridge.css");
        assert!(!assets.is_immutable("/pkg/login-bridge.css"));
    }

    #[test]
    fn a_hash_that_could_change_the_path_is_not_used() {
        let (_dir, options) = site(Some("css: ../../etc\njs: a b\nwasm: W\n"));
        assert_eq!(SiteAssets::load(&options).stylesheet, "/pkg/login-bridge.css");
    }
}
