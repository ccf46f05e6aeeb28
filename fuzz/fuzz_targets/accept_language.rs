//! The page's language: Odoo's `lang`, the browser's `Accept-Language`, `?lang=`.
//! Input: `odoo lang \n Accept-Language \n ?lang=`.
//! Invariants: the answer is always a supported language; Odoo's language, when supported,
//! wins; an Accept-Language that only refuses (`q=0`) never picks the refused language alone.
#![no_main]

use libfuzzer_sys::fuzz_target;
use login_bridge::i18n::{negotiate, LanguageHints, Locale, LANGUAGES};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let [odoo, accept, param] = login_bridge_fuzz::parts::<3>(text);

    for hints in [
        LanguageHints { odoo: Some(odoo), accept_language: Some(accept), param: Some(param) },
        LanguageHints { odoo: None, accept_language: Some(accept), param: Some(param) },
        LanguageHints { odoo: None, accept_language: Some(accept), param: None },
        LanguageHints { odoo: None, accept_language: None, param: Some(param) },
    ] {
        let locale = negotiate(hints);
        assert!(LANGUAGES.contains(&locale.code()), "{:?}", locale.code());
        if let Some(from_odoo) = hints.odoo.and_then(Locale::from_tag) {
            assert_eq!(locale, from_odoo, "Odoo's language wins");
        }
    }
    for tag in [odoo, accept, param] {
        if let Some(locale) = Locale::from_tag(tag) {
            assert!(LANGUAGES.contains(&locale.code()));
            assert!(tag.trim().to_ascii_lowercase().starts_with(locale.code()), "{tag:?} -> {}", locale.code());
        }
    }
});
