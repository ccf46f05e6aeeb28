//! Languages: which one a person reads, and the text of every message in it.
//! It must never hold user-facing text in code: every text is a message in `server/locales/`.

use fluent_langneg::{negotiate_languages, NegotiationStrategy};
use fluent_templates::{fluent_bundle::FluentValue, Loader};
use std::{borrow::Cow, collections::HashMap};
use unic_langid::LanguageIdentifier;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Unicode isolation marks around variables would end up inside HTML attributes and logs.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The languages the bridge speaks, English first (the fallback).
pub const LANGUAGES: [&str; 7] = ["en", "fr", "de", "es", "nl", "it", "pt"];

/// One supported language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Locale(&'static str);

impl Default for Locale {
    fn default() -> Self {
        Self(LANGUAGES[0])
    }
}

impl Locale {
    /// The BCP 47 code for `<html lang>`.
    pub fn code(self) -> &'static str {
        self.0
    }

    /// A supported language from a tag as Odoo (`fr_FR`), browsers (`fr-CA`) or people (`FR`) write it.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        LANGUAGES.iter().find(|code| **code == primary).map(|code| Self(code))
    }

    /// The message `id` in this language.
    pub fn text(self, id: &str) -> String {
        self.text_with(id, &[])
    }

    /// The message `id` in this language with its variables filled in.
    pub fn text_with(self, id: &str, args: &[(&'static str, &str)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> =
            args.iter().map(|(name, value)| (Cow::Borrowed(*name), FluentValue::from(value.to_string()))).collect();
        let lang = self.langid();
        LOCALES
            .try_lookup_complete(&lang, id, (!args.is_empty()).then_some(&args))
            .unwrap_or_else(|| {
                // A missing message is a bug the i18n tests catch; never show a blank.
                tracing::warn!(message = id, lang = self.0, "missing message");
                id.to_string()
            })
    }

    fn langid(self) -> LanguageIdentifier {
        self.0.parse().unwrap_or_default()
    }
}

/// Where the language of a request can come from, most trusted first.
#[derive(Clone, Copy, Debug, Default)]
pub struct LanguageHints<'a> {
    /// The language Odoo gave (`odoo_lang=fr_FR` from the embed addon, or kept with a flow).
    pub odoo: Option<&'a str>,
    /// The browser's `Accept-Language` header.
    pub accept_language: Option<&'a str>,
    /// `?lang=` on the bridge's own links.
    pub param: Option<&'a str>,
}

/// Odoo's language when known, else the browser's best supported one, else `?lang=`, else English.
pub fn negotiate(hints: LanguageHints<'_>) -> Locale {
    if let Some(locale) = hints.odoo.and_then(Locale::from_tag) {
        return locale;
    }
    if let Some(locale) = hints.accept_language.and_then(from_accept_language) {
        return locale;
    }
    hints.param.and_then(Locale::from_tag).unwrap_or_default()
}

fn from_accept_language(header: &str) -> Option<Locale> {
    // fluent-langneg keeps the header's order and ignores weights; drop the "q=0" (refused) entries first.
    let accepted: Vec<&str> = header.split(',').filter(|entry| !refused(entry)).collect();
    let requested = fluent_langneg::accepted_languages::parse(&accepted.join(","));
    let available: Vec<LanguageIdentifier> = LANGUAGES.iter().filter_map(|code| code.parse().ok()).collect();
    let chosen = negotiate_languages(&requested, &available, None, NegotiationStrategy::Lookup);
    chosen.first().and_then(|lang| Locale::from_tag(lang.language.as_str()))
}

fn refused(entry: &str) -> bool {
    entry.split(';').skip(1).any(|param| {
        let param = param.trim();
        param.strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()) == Some(0.0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    fn hints<'a>(odoo: Option<&'a str>, accept: Option<&'a str>, param: Option<&'a str>) -> LanguageHints<'a> {
        LanguageHints { odoo, accept_language: accept, param }
    }

    #[test]
    fn odoo_language_wins_then_browser_then_parameter() {
        assert_eq!(negotiate(hints(Some("fr_FR"), Some("de-DE,de;q=0.9"), Some("es"))).code(), "fr");
        assert_eq!(negotiate(hints(None, Some("de-DE,de;q=0.9,en;q=0.5"), Some("es"))).code(), "de");
        assert_eq!(negotiate(hints(None, Some("ja,zh;q=0.8"), Some("es"))).code(), "es");
        assert_eq!(negotiate(hints(Some("ja_JP"), None, Some("pt_BR"))).code(), "pt");
        assert_eq!(negotiate(hints(None, None, None)).code(), "en");
        assert_eq!(negotiate(hints(None, Some("ja, nl;q=0, it;q=0.3"), None)).code(), "it");
    }

    #[test]
    fn variables_are_filled_in_without_isolation_marks() {
        let text = Locale::from_tag("de").unwrap_or_default().text_with("continue-with", &[("provider", "Google")]);
        assert!(text.contains("Google"), "{text}");
        assert!(!text.contains('\u{2068}'));
        assert_ne!(text, Locale::default().text_with("continue-with", &[("provider", "Google")]));
    }

    /// Message ids and the variables each uses, read from a message file.
    fn messages(lang: &str) -> BTreeMap<String, BTreeSet<String>> {
        let path = format!("{}/locales/{lang}/main.ftl", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        text.lines()
            .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
            .filter_map(|line| line.split_once(" = "))
            .map(|(id, value)| {
                let vars = value.split("{ $").skip(1).filter_map(|rest| rest.split(' ').next()).map(str::to_string).collect();
                (id.trim().to_string(), vars)
            })
            .collect()
    }

    #[test]
    fn every_language_has_every_message_with_the_same_variables() {
        let english = messages("en");
        assert!(english.len() > 50);
        for lang in &LANGUAGES[1..] {
            let other = messages(lang);
            let missing: Vec<_> = english.keys().filter(|id| !other.contains_key(*id)).collect();
            let extra: Vec<_> = other.keys().filter(|id| !english.contains_key(*id)).collect();
            assert!(missing.is_empty() && extra.is_empty(), "{lang}: missing {missing:?}, extra {extra:?}");
            for (id, vars) in &english {
                assert_eq!(&other[id], vars, "{lang}: {id} uses other variables than English");
            }
        }
    }

    #[test]
    fn every_message_resolves_in_every_language() {
        for lang in LANGUAGES {
            let locale = Locale::from_tag(lang).unwrap_or_default();
            for id in messages("en").keys() {
                let text = locale.text_with(id, &[("provider", "P"), ("email", "e@x"), ("odoo", "O"), ("domain", "d"), ("code", "c"), ("tenant", "t")]);
                assert_ne!(&text, id, "{lang}: {id} does not resolve");
                assert!(!text.contains("{"), "{lang}: {id} left a placeholder: {text}");
            }
        }
    }
}
