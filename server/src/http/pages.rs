//! Server-rendered pages outside Leptos (errors, "no account", not found): same layout and
//! stylesheet as the provider page.
//! It must escape every value it prints: emails and provider names come from outside.

/// What an error page says, already in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageContent {
    pub lang: String,
    pub title: String,
    pub detail: String,
    /// The provider's own error code line (e.g. "Microsoft error AADSTS50105").
    pub code_line: Option<String>,
    /// `(href, text)` of "Try again".
    pub retry: Option<(String, String)>,
    /// `(href, text)` of the way back to Odoo's password login.
    pub back_link: Option<(String, String)>,
    /// `(label, id)` of the reference an admin can grep the log for.
    pub correlation_id: Option<(String, String)>,
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `stylesheet` is the site's CSS URL (hashed per build: `http::assets`).
pub fn render_page(content: &PageContent, stylesheet: &str) -> String {
    let code = content.code_line.as_deref().map(|line| format!(r#"<p class="lb-code">{}</p>"#, escape(line))).unwrap_or_default();
    let retry = content
        .retry
        .as_ref()
        .map(|(href, text)| format!(r#"<a class="lb-button lb-primary" href="{}">{}</a>"#, escape(href), escape(text)))
        .unwrap_or_default();
    let back = content
        .back_link
        .as_ref()
        .map(|(href, text)| format!(r#"<a class="lb-button" href="{}">{}</a>"#, escape(href), escape(text)))
        .unwrap_or_default();
    let actions = if retry.is_empty() && back.is_empty() { String::new() } else { format!(r#"<p class="lb-actions">{retry}{back}</p>"#) };
    let reference = content
        .correlation_id
        .as_ref()
        .map(|(label, id)| format!(r#"<p class="lb-correlation">{} <code>{}</code></p>"#, escape(label), escape(id)))
        .unwrap_or_default();
    format!(
        r#"<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><link rel="icon" href="/login-bridge.svg" type="image/svg+xml"><title>{title}</title><link rel="stylesheet" href="{stylesheet}"></head>
<body><main class="lb-card lb-problem"><h1>{title}</h1><p class="lb-detail">{detail}</p>{code}{actions}{reference}</main></body></html>
"#,
        lang = escape(&content.lang),
        title = escape(&content.title),
        detail = escape(&content.detail),
        stylesheet = escape(stylesheet),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_from_outside() {
        let html = render_page(&PageContent {
            lang: "en".into(),
            title: "<t>".into(),
            detail: "x@y\"><script>alert(1)</script>".into(),
            code_line: None,
            retry: Some(("/?a=\"b".into(), "Try".into())),
            back_link: None,
            correlation_id: Some(("Reference:".into(), "<id>".into())),
        }, "/pkg/login-bridge.css");
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("&lt;id&gt;"));
        assert!(html.contains("/?a=&quot;b"));
    }
}
