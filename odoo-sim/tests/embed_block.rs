// Owns: tests of what the login_bridge_embed addon adds to `/web/login` in the simulator, and of
// the simulator against the addon's own XML. Must never reach beyond 127.0.0.1.

mod common;

use common::{http, start_sim, RawMessage};
use odoo_sim::embed_block::{LISTENER_CONTENT_TYPE, LISTENER_PATH, MODULE};
use odoo_sim::Seed;
use std::path::PathBuf;

fn addon_file(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../odoo_addon/login_bridge_embed").join(relative)
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The transcripts' database with the addon installed and the given system parameters.
fn embed_seed(params: &[(&str, &str)]) -> Seed {
    let mut seed = Seed::transcripts();
    seed.modules.insert(MODULE.into(), "installed".into());
    seed.config_parameters.insert("login_bridge_embed.url".into(), "http://127.0.0.1:3100".into());
    seed.config_parameters.insert("login_bridge_embed.odoo_id".into(), "acme".into());
    for (k, v) in params {
        seed.config_parameters.insert((*k).into(), (*v).into());
    }
    seed
}

async fn login_page(seed: Seed, target: &str) -> RawMessage {
    let sim = start_sim(seed).await;
    let r = http(sim.addr, "GET", target, None, None).await;
    assert_eq!(r.status(), 200, "{}", r.body);
    r
}

async fn post_login(seed: Seed, target: &str, form: &str) -> RawMessage {
    let sim = start_sim(seed).await;
    common::post_form(sim.addr, target, form).await
}

/// The rendered `<iframe …></iframe>`, verbatim.
fn iframe_html(body: &str) -> String {
    let start = body.find("<iframe").unwrap_or_else(|| panic!("no iframe in:\n{body}"));
    let len = body[start..].find("</iframe>").unwrap_or_else(|| panic!("unclosed iframe")) + "</iframe>".len();
    body[start..start + len].to_string()
}

/// The rendered frame's attributes, in order, with entities decoded.
fn iframe_attributes(body: &str) -> Vec<(String, String)> {
    let html = iframe_html(body);
    let doc = roxmltree::Document::parse(&html).unwrap_or_else(|e| panic!("iframe is not well-formed ({e}): {html}"));
    doc.root_element().attributes().map(|a| (a.name().to_string(), a.value().to_string())).collect()
}

fn iframe_src(body: &str) -> url::Url {
    let src = iframe_attributes(body)
        .into_iter()
        .find(|(k, _)| k == "src")
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("iframe without src"));
    url::Url::parse(&src).unwrap_or_else(|e| panic!("src {src:?} is not a URL: {e}"))
}

fn query_of(url: &url::Url) -> Vec<(String, String)> {
    url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect()
}

fn form_tag(body: &str) -> &str {
    let start = body.find("<form").unwrap_or_else(|| panic!("no form in:\n{body}"));
    let end = body[start..].find('>').map(|e| start + e + 1).unwrap_or(body.len());
    &body[start..end]
}

// ---------------------------------------------------------------- placement and hiding

#[tokio::test]
async fn login_page_without_the_addon_has_no_frame() {
    let mut seed = Seed::transcripts();
    // Parameters alone do nothing: only an installed module changes the page.
    seed.config_parameters.insert("login_bridge_embed.url".into(), "http://127.0.0.1:3100".into());
    seed.config_parameters.insert("login_bridge_embed.hide_password".into(), "True".into());
    let r = login_page(seed, "/web/login").await;
    assert!(!r.body.contains("<iframe"));
    assert!(!r.body.contains("login_bridge_embed"));
    assert!(!form_tag(&r.body).contains("hidden"));
}

#[tokio::test]
async fn empty_url_keeps_the_stock_login_page() {
    let r = login_page(embed_seed(&[("login_bridge_embed.url", "")]), "/web/login").await;
    assert!(!r.body.contains("login_bridge_embed"));
}

#[tokio::test]
async fn frame_sits_above_the_password_form_by_default() {
    let r = login_page(embed_seed(&[]), "/web/login").await;
    let frame = r.body.find("<iframe").unwrap_or(usize::MAX);
    let form = r.body.find("<form").unwrap_or(0);
    assert!(frame < form, "frame must come before the form");
    assert!(r.body.contains("</div>\n<form "), "the block ends right before the form");
    assert!(!form_tag(&r.body).contains("hidden"), "hide_password defaults to False");
    assert!(!r.body.contains("Sign in with a password"));
}

#[tokio::test]
async fn frame_sits_below_the_password_form_when_position_is_below() {
    let r = login_page(embed_seed(&[("login_bridge_embed.position", "below")]), "/web/login").await;
    let frame = r.body.find("<iframe").unwrap_or(0);
    let form_end = r.body.find("</form>").unwrap_or(usize::MAX);
    assert!(frame > form_end, "frame must come after the form");
    assert!(r.body.contains("</form>\n                        <div class=\"o_login_bridge_embed mb-3\">"));
}

#[tokio::test]
async fn listener_script_tag_comes_before_the_frame() {
    let r = login_page(embed_seed(&[]), "/web/login").await;
    let script = r.body.find(&format!("<script src=\"{LISTENER_PATH}\"></script>")).unwrap_or(usize::MAX);
    assert!(script < r.body.find("<iframe").unwrap_or(0));
}

#[tokio::test]
async fn hide_password_hides_the_form_and_offers_a_password_link() {
    let seed = embed_seed(&[("login_bridge_embed.hide_password", "True")]);
    let r = login_page(seed, "/web/login?redirect=%2Fodoo%2Fdiscuss&oauth_error=2").await;
    assert!(form_tag(&r.body).ends_with("action=\"/web/login\" hidden=\"hidden\">"), "{}", form_tag(&r.body));
    assert!(r.body.contains(
        "<a class=\"o_login_bridge_password_link\" href=\"/web/login?password=1&amp;redirect=%2Fodoo%2Fdiscuss\">Sign in with a password</a>"
    ));
}

#[tokio::test]
async fn password_link_has_no_redirect_when_the_page_has_none() {
    let r = login_page(embed_seed(&[("login_bridge_embed.hide_password", "True")]), "/web/login").await;
    assert!(r.body.contains("href=\"/web/login?password=1\">Sign in with a password</a>"));
}

#[tokio::test]
async fn password_1_in_the_query_shows_the_form() {
    let seed = embed_seed(&[("login_bridge_embed.hide_password", "True")]);
    let r = login_page(seed, "/web/login?password=1&redirect=%2Fodoo").await;
    assert!(!form_tag(&r.body).contains("hidden"));
    assert!(!r.body.contains("Sign in with a password"));
    assert!(r.body.contains("<iframe"), "the frame stays next to the form");
}

#[tokio::test]
async fn failed_password_attempt_shows_the_form_with_its_error() {
    let seed = embed_seed(&[("login_bridge_embed.hide_password", "True")]);
    let r = post_login(seed, "/web/login", "login=alice%40example.com&password=nope").await;
    assert_eq!(r.status(), 200);
    assert!(!form_tag(&r.body).contains("hidden"));
    assert!(r.body.contains("Wrong login/password"));
    // The typed password is a POST field, never the `password=1` switch of the URL.
    assert_eq!(query_of(&iframe_src(&r.body)), pairs(&[("odoo", "acme"), ("odoo_lang", "en_US")]));
}

// ---------------------------------------------------------------- the frame's address

#[tokio::test]
async fn frame_src_passes_redirect_and_oauth_error_url_encoded() {
    let target = "/web/login?oauth_error=3&db=acme&redirect=%2Fodoo%2Faction-42%3Fa%3D1%26b%3D%C3%A9+x";
    let r = login_page(embed_seed(&[]), target).await;
    let src = iframe_src(&r.body);
    assert_eq!(
        query_of(&src),
        pairs(&[("odoo", "acme"), ("odoo_lang", "en_US"), ("redirect", "/odoo/action-42?a=1&b=é x"), ("oauth_error", "3")]),
        "only redirect and oauth_error are kept, after odoo and odoo_lang"
    );
    assert!(iframe_html(&r.body).contains(
        " src=\"http://127.0.0.1:3100/embed?odoo=acme&amp;odoo_lang=en_US&amp;redirect=%2Fodoo%2Faction-42%3Fa%3D1%26b%3D%C3%A9+x&amp;oauth_error=3\""
    ));
}

#[tokio::test]
async fn frame_src_escapes_quotes_and_ampersands_in_values() {
    let r = login_page(embed_seed(&[]), "/web/login?redirect=%2Fx%3Fq%3D%22%3Cb%3E%27").await;
    let html = iframe_html(&r.body);
    assert!(html.contains("redirect=%2Fx%3Fq%3D%22%3Cb%3E&#39;"), "{html}");
    assert_eq!(query_of(&iframe_src(&r.body))[2], ("redirect".to_string(), "/x?q=\"<b>'".to_string()));
}

#[tokio::test]
async fn frame_src_omits_an_empty_odoo_id_and_carries_the_seed_language() {
    let mut seed = embed_seed(&[("login_bridge_embed.odoo_id", " ")]);
    seed.lang = Some("fr_FR".into());
    let r = login_page(seed, "/web/login").await;
    assert_eq!(iframe_src(&r.body).as_str(), "http://127.0.0.1:3100/embed?odoo_lang=fr_FR");
}

#[tokio::test]
async fn frame_src_drops_the_trailing_slash_of_the_bridge_url() {
    let r = login_page(embed_seed(&[("login_bridge_embed.url", "https://login.example.com/")]), "/web/login").await;
    assert_eq!(iframe_src(&r.body).as_str(), "https://login.example.com/embed?odoo=acme&odoo_lang=en_US");
}

// ---------------------------------------------------------------- the static script

#[tokio::test]
async fn listener_script_is_the_addon_file_served_as_javascript() {
    let sim = start_sim(embed_seed(&[])).await;
    let r = http(sim.addr, "GET", LISTENER_PATH, None, None).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.header("content-type"), Some(LISTENER_CONTENT_TYPE));
    assert_eq!(r.body, read(addon_file("static/src/js/embed_listener.js")));
}

#[tokio::test]
async fn listener_script_is_not_found_on_an_odoo_without_the_addon() {
    let sim = start_sim(Seed::transcripts()).await;
    let r = http(sim.addr, "GET", LISTENER_PATH, None, None).await;
    assert_eq!(r.status(), 404);
}

// ---------------------------------------------------------------- the simulator vs the addon

fn addon_templates() -> String {
    read(addon_file("views/login_templates.xml"))
}

fn element_by_attr<'a, 'i>(doc: &'a roxmltree::Document<'i>, tag: &str, attr: &str, value: &str) -> roxmltree::Node<'a, 'i> {
    doc.descendants()
        .find(|n| n.has_tag_name(tag) && n.attribute(attr) == Some(value))
        .unwrap_or_else(|| panic!("the addon XML has no <{tag} {attr}=\"{value}\">"))
}

/// The `t-value` of `<t t-set="name">` in the web.login extension.
fn t_set_value(doc: &roxmltree::Document, name: &str) -> String {
    element_by_attr(doc, "t", "t-set", name).attribute("t-value").unwrap_or_default().to_string()
}

#[tokio::test]
async fn simulated_frame_has_exactly_the_attributes_of_the_addon_template() {
    let xml = addon_templates();
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("addon XML: {e}"));
    let block = element_by_attr(&doc, "template", "id", "embed_block");
    let iframe = block.descendants().find(|n| n.has_tag_name("iframe")).unwrap_or_else(|| panic!("no iframe"));
    let expected: Vec<(String, String)> = iframe
        .attributes()
        .filter(|a| !a.name().starts_with("t-"))
        .map(|a| (a.name().to_string(), a.value().to_string()))
        .collect();
    assert_eq!(iframe.attribute("t-attf-src"), Some("#{lb_embed_url}/embed?#{lb_embed_query}"));
    let r = login_page(embed_seed(&[]), "/web/login").await;
    let mut rendered = iframe_attributes(&r.body);
    // QWeb writes static attributes first, then the computed src.
    let src = rendered.pop().map(|(name, _)| name);
    assert_eq!(src.as_deref(), Some("src"));
    assert_eq!(rendered, expected);
    let sandbox: Vec<&str> = expected[3].1.split(' ').collect();
    assert_eq!(expected[3].0, "sandbox");
    assert_eq!(
        sandbox,
        ["allow-scripts", "allow-same-origin", "allow-forms", "allow-top-navigation-by-user-activation"]
    );
}

#[test]
fn addon_template_builds_the_query_the_simulator_builds() {
    let xml = addon_templates();
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("addon XML: {e}"));
    let query = t_set_value(&doc, "lb_embed_query");
    assert_eq!(
        query,
        "keep_query('redirect', 'oauth_error', odoo=lb_embed_odoo or None, odoo_lang=request.env.lang or None)"
    );
    for (name, key) in [
        ("lb_embed_url", "login_bridge_embed.url"),
        ("lb_embed_odoo", "login_bridge_embed.odoo_id"),
        ("lb_embed_below", "login_bridge_embed.position"),
        ("lb_embed_hide_form", "login_bridge_embed.hide_password"),
    ] {
        assert!(t_set_value(&doc, name).contains(&format!("get_param('{key}')")), "{name} reads {key}");
    }
    assert!(t_set_value(&doc, "lb_embed_url").ends_with(".strip().rstrip('/')"));
    let hide = t_set_value(&doc, "lb_embed_hide_form");
    for part in [
        "in ('true', '1', 'yes')",
        "request.httprequest.args.get('password') != '1'",
        "request.httprequest.method != 'POST'",
    ] {
        assert!(hide.contains(part), "hide rule lacks {part}: {hide}");
    }
    let link = element_by_attr(&doc, "a", "class", "o_login_bridge_password_link");
    assert_eq!(link.attribute("t-attf-href"), Some("/web/login?#{keep_query('redirect', password='1')}"));
    assert_eq!(link.text(), Some("Sign in with a password"));
    let script = element_by_attr(&doc, "script", "src", LISTENER_PATH);
    let block = element_by_attr(&doc, "template", "id", "embed_block");
    let first_child = block.descendants().find(|n| n.has_tag_name("script") || n.has_tag_name("iframe"));
    assert_eq!(first_child.map(|n| n.id()), Some(script.id()), "the script precedes the frame");
}

#[test]
fn addon_extends_web_login_around_the_form_like_the_simulator() {
    let xml = addon_templates();
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("addon XML: {e}"));
    let login = element_by_attr(&doc, "template", "id", "login");
    assert_eq!(login.attribute("inherit_id"), Some("web.login"));
    let xpaths: Vec<(&str, &str)> = login
        .children()
        .filter(|n| n.has_tag_name("xpath"))
        .map(|n| (n.attribute("expr").unwrap_or(""), n.attribute("position").unwrap_or("")))
        .collect();
    assert_eq!(xpaths, [("//form", "before"), ("//form", "attributes"), ("//form", "after")]);
    let hidden = element_by_attr(&doc, "attribute", "name", "t-att-hidden");
    assert_eq!(hidden.text(), Some("'hidden' if lb_embed_hide_form else None"));
    let calls: Vec<&str> = login
        .descendants()
        .filter(|n| n.attribute("t-call") == Some("login_bridge_embed.embed_block"))
        .map(|n| n.attribute("t-if").unwrap_or(""))
        .collect();
    assert_eq!(calls, ["lb_embed_url and not lb_embed_below", "lb_embed_url and lb_embed_below"]);
}

#[test]
fn addon_installs_the_defaults_the_simulator_assumes() {
    let data = read(addon_file("data/ir_config_parameter.xml"));
    let doc = roxmltree::Document::parse(&data).unwrap_or_else(|e| panic!("data XML: {e}"));
    assert_eq!(doc.root_element().attribute("noupdate"), Some("1"));
    let defaults: Vec<(String, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("record") && n.attribute("model") == Some("ir.config_parameter"))
        .map(|r| {
            let field = |name: &str| {
                r.children()
                    .find(|f| f.attribute("name") == Some(name))
                    .and_then(|f| f.text())
                    .unwrap_or_default()
                    .to_string()
            };
            (field("key"), field("value"))
        })
        .collect();
    assert_eq!(
        defaults,
        pairs(&[("login_bridge_embed.position", "above"), ("login_bridge_embed.hide_password", "False")])
    );
    let manifest = read(addon_file("__manifest__.py"));
    for file in ["data/ir_config_parameter.xml", "views/login_templates.xml"] {
        assert!(manifest.contains(&format!("\"{file}\"")), "manifest lists {file}");
        assert!(addon_file(file).is_file());
    }
    assert_eq!(read(addon_file("__init__.py")), "", "the addon has no Python code");
}

// ---------------------------------------------------------------- the end-to-end seed

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../end2end/fixtures").join(name)
}

#[test]
fn embed_fixture_is_the_end2end_seed_plus_the_addon() {
    let parse = |name: &str| -> serde_json::Value {
        serde_json::from_str(&read(fixture(name))).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let mut plain = parse("odoo-seed.json");
    let embed = parse("odoo-seed-embed.json");
    plain["modules"][MODULE] = "installed".into();
    for (k, v) in [
        ("login_bridge_embed.url", "http://127.0.0.1:3100"),
        ("login_bridge_embed.odoo_id", "acme"),
        ("login_bridge_embed.position", "above"),
        ("login_bridge_embed.hide_password", "False"),
    ] {
        plain["config_parameters"][k] = v.into();
    }
    assert_eq!(embed, plain);
}

#[tokio::test]
async fn embed_fixture_renders_the_frame_above_the_form() {
    let seed = Seed::from_file(fixture("odoo-seed-embed.json")).unwrap_or_else(|e| panic!("{e}"));
    let r = login_page(seed, "/web/login").await;
    assert_eq!(
        iframe_html(&r.body),
        "<iframe id=\"login_bridge_embed\" class=\"login_bridge_embed\" title=\"Sign in with your organisation account\" sandbox=\"allow-scripts allow-same-origin allow-forms allow-top-navigation-by-user-activation\" referrerpolicy=\"strict-origin\" loading=\"eager\" style=\"display:block;width:100%;height:240px;border:0;color-scheme:normal\" src=\"http://127.0.0.1:3100/embed?odoo=acme&amp;odoo_lang=en_US\"></iframe>"
    );
    assert!(r.body.find("<iframe").unwrap_or(usize::MAX) < r.body.find("<form").unwrap_or(0));
}
