//! Per-Odoo look: the accent colour as CSS custom properties, served as a small stylesheet
//! (the pages' CSP allows no inline style), with a text colour that keeps WCAG AA contrast.
//! It must never write a value into CSS that the config did not validate as a colour.

use crate::config::OdooConfig;

/// The stylesheet for this Odoo, or `None` when it keeps the default look.
pub fn stylesheet(odoo: &OdooConfig) -> Option<String> {
    let accent = odoo.accent_color.as_deref()?;
    let rgb = parse_hex(accent)?;
    let text = if contrast(rgb, WHITE) >= contrast(rgb, BLACK) { "#ffffff" } else { "#000000" };
    Some(format!(":root {{ --lb-accent: {accent}; --lb-accent-text: {text}; }}\n"))
}

/// Where the page links the stylesheet from.
pub fn stylesheet_href(odoo: &OdooConfig) -> Option<String> {
    odoo.accent_color.as_ref().map(|_| format!("/branding/{}.css", odoo.id))
}

const WHITE: (u8, u8, u8) = (255, 255, 255);
const BLACK: (u8, u8, u8) = (0, 0, 0);

fn parse_hex(colour: &str) -> Option<(u8, u8, u8)> {
    let hex = colour.strip_prefix('#')?;
    let channel = |i: usize| hex.get(i..i + 2).and_then(|c| u8::from_str_radix(c, 16).ok());
    Some((channel(0)?, channel(2)?, channel(4)?))
}

/// WCAG 2 relative luminance.
fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/// WCAG 2 contrast ratio, 1 to 21.
pub fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_on_the_accent_keeps_aa_contrast() {
        for accent in ["#714b67", "#ffcc00", "#0000ff", "#777777", "#00ff00", "#000000", "#ffffff"] {
            let rgb = parse_hex(accent).expect("colour");
            let best = contrast(rgb, WHITE).max(contrast(rgb, BLACK));
            // Black or white on any colour reaches at least 4.58:1; AA asks for 4.5:1.
            assert!(best >= 4.5, "{accent}: {best}");
        }
        assert!((contrast(WHITE, BLACK) - 21.0).abs() < 1e-9);
    }
}
