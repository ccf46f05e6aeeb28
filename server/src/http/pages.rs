//! Server-rendered pages outside Leptos (errors, "no account"): same layout and stylesheet.
//! It must escape every value it prints: emails and provider names come from outside.

/// What an error page says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageContent {
    pub title: String,
    pub detail: String,
    pub retry_href: Option<String>,
    pub correlation_id: Option<String>,
}

impl PageContent {
    pub fn new(title: &str, detail: String) -> Self {
        Self { title: title.to_string(), detail, retry_href: None, correlation_id: None }
    }
    pub fn with_retry(mut self, href: &str) -> Self {
        self.retry_href = Some(href.to_string());
        self
    }
    pub fn with_correlation_id(mut self, id: &str) -> Self {
        self.correlation_id = Some(id.to_string());
        self
    }
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

pub fn render_page(content: &PageContent) -> String {
    let retry = content
        .retry_href
        .as_deref()
        .map(|href| format!(r#"<p class="lb-alt"><a class="lb-button" href="{}">Try again</a></p>"#, escape(href)))
        .unwrap_or_default();
    let reference = content
        .correlation_id
        .as_deref()
        .map(|id| format!(r#"<p class="lb-correlation">Reference: <code>{}</code></p>"#, escape(id)))
        .unwrap_or_default();
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>{title}</title><link rel="stylesheet" href="/pkg/login-bridge.css"></head>
<body><main class="lb-card lb-problem"><h1>{title}</h1><p class="lb-detail">{detail}</p>{retry}{reference}</main></body></html>
"#,
        title = escape(&content.title),
        detail = escape(&content.detail),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_from_outside() {
        let html = render_page(&PageContent::new("<t>", "x@y\"><script>alert(1)</script>".into()).with_correlation_id("<id>"));
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("&lt;id&gt;"));
    }
}
