//! The dashboard's chart: logins per provider and outcome over time, as inline SVG drawn on the
//! server (stacked bars, axis labels, a legend, a `<title>` per bar), so it needs no script and
//! no inline style (presentation attributes only, which the strict CSP allows).
//! It must escape every name it prints: provider ids come from the audit log.

use crate::{
    http::pages::escape,
    store::{AuditCount, AuditOutcome},
};
use std::collections::BTreeMap;

/// One chart: `buckets` buckets of `bucket_ms` from `start_ms`.
pub struct ChartSpec<'a> {
    /// For the `id`s inside the SVG (two charts share a page).
    pub id: &'a str,
    pub title: &'a str,
    pub start_ms: i64,
    pub bucket_ms: i64,
    pub buckets: usize,
    /// chrono format of the time axis labels.
    pub label_format: &'a str,
    /// A label every so many buckets.
    pub label_every: usize,
}

impl ChartSpec<'_> {
    /// The start of the bucket holding `now_ms`, less `buckets - 1` buckets: the audit counts'
    /// buckets are multiples of `bucket_ms` since the epoch (UTC hours and days).
    pub fn start_for(now_ms: i64, bucket_ms: i64, buckets: usize) -> i64 {
        (now_ms / bucket_ms) * bucket_ms - bucket_ms * (buckets as i64 - 1)
    }
}

const WIDTH: f64 = 760.0;
const PLOT_HEIGHT: f64 = 200.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const AXIS_SPACE: f64 = 34.0;
const LEGEND_ROW: f64 = 18.0;

/// Colours by outcome family, one shade per provider: success greens/blues, refused ambers,
/// failed reds, so the outcome reads at a glance and the legend tells providers apart.
fn colour(outcome: AuditOutcome, provider_index: usize) -> &'static str {
    const SUCCESS: [&str; 6] = ["#1570ef", "#12b76a", "#6172f3", "#0e9384", "#7a5af8", "#2e90fa"];
    const REFUSED: [&str; 3] = ["#f79009", "#fdb022", "#dc6803"];
    const FAILED: [&str; 3] = ["#d92d20", "#f04438", "#912018"];
    match outcome {
        AuditOutcome::Success => SUCCESS[provider_index % SUCCESS.len()],
        AuditOutcome::Refused => REFUSED[provider_index % REFUSED.len()],
        AuditOutcome::Failed => FAILED[provider_index % FAILED.len()],
    }
}

/// The chart as an `<svg>` element; `name` turns a provider id into its display name.
pub fn render(spec: &ChartSpec, counts: &[AuditCount], name: &dyn Fn(Option<&str>) -> String) -> String {
    let buckets = spec.buckets.max(1);
    let end_ms = spec.start_ms + spec.bucket_ms * buckets as i64;
    // Series: (provider, outcome), in a stable order; counts per bucket.
    let mut series: BTreeMap<(Option<String>, AuditOutcome), Vec<i64>> = BTreeMap::new();
    for c in counts.iter().filter(|c| c.bucket_ms >= spec.start_ms && c.bucket_ms < end_ms) {
        let index = ((c.bucket_ms - spec.start_ms) / spec.bucket_ms) as usize;
        let row = series.entry((c.provider_id.clone(), c.outcome)).or_insert_with(|| vec![0; buckets]);
        if let Some(slot) = row.get_mut(index) {
            *slot += c.count;
        }
    }
    let providers: Vec<Option<String>> = {
        let mut p: Vec<Option<String>> = series.keys().map(|(p, _)| p.clone()).collect();
        p.dedup();
        p
    };
    let provider_index = |p: &Option<String>| providers.iter().position(|q| q == p).unwrap_or(0);
    let totals: Vec<i64> = (0..buckets).map(|i| series.values().map(|row| row[i]).sum()).collect();
    let max = totals.iter().copied().max().unwrap_or(0).max(1);
    let total: i64 = totals.iter().sum();

    let plot_width = WIDTH - LEFT - RIGHT;
    let slot = plot_width / buckets as f64;
    let bar = (slot * 0.8).max(1.0);
    let base_y = TOP + PLOT_HEIGHT;
    let height = base_y + AXIS_SPACE + LEGEND_ROW * series.len().max(1) as f64 + 8.0;
    let title_id = format!("{}-title", spec.id);
    let desc_id = format!("{}-desc", spec.id);
    let mut svg = format!(
        r#"<svg class="lb-chart" xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {height}" aria-labelledby="{title_id} {desc_id}"><title id="{title_id}">{}</title><desc id="{desc_id}">{total} logins in this period.</desc>"#,
        escape(spec.title)
    );
    // Axes and the scale: 0 and the largest bar.
    svg.push_str(&format!(
        r##"<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base_y}" stroke="#667085"/><line x1="{LEFT}" y1="{base_y}" x2="{x2}" y2="{base_y}" stroke="#667085"/><text x="{tx}" y="{ty0}" text-anchor="end">0</text><text x="{tx}" y="{tym}" text-anchor="end">{max}</text><line x1="{LEFT}" y1="{TOP}" x2="{x2}" y2="{TOP}" stroke="#d0d5dd" stroke-dasharray="4 4"/>"##,
        x2 = WIDTH - RIGHT,
        tx = LEFT - 6.0,
        ty0 = base_y + 4.0,
        tym = TOP + 4.0,
    ));
    for i in 0..buckets {
        let bucket_start = spec.start_ms + spec.bucket_ms * i as i64;
        let x = LEFT + slot * i as f64 + (slot - bar) / 2.0;
        let label = chrono::DateTime::from_timestamp_millis(bucket_start).map(|d| d.format(spec.label_format).to_string()).unwrap_or_default();
        if i % spec.label_every.max(1) == 0 {
            svg.push_str(&format!(r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#, x + bar / 2.0, base_y + 16.0, escape(&label)));
        }
        let mut y = base_y;
        for ((provider, outcome), row) in &series {
            let n = row[i];
            if n == 0 {
                continue;
            }
            let h = PLOT_HEIGHT * n as f64 / max as f64;
            y -= h;
            let provider_name = name(provider.as_deref());
            svg.push_str(&format!(
                r#"<rect class="lb-bar" data-provider="{}" data-outcome="{}" x="{x:.1}" y="{y:.1}" width="{bar:.1}" height="{h:.1}" fill="{}"><title>{}, {}: {n} ({})</title></rect>"#,
                escape(provider.as_deref().unwrap_or("")),
                outcome.as_str(),
                colour(*outcome, provider_index(provider)),
                escape(&provider_name),
                outcome.as_str(),
                escape(&label),
            ));
        }
    }
    // The legend, one row per series.
    let mut ly = base_y + AXIS_SPACE;
    if series.is_empty() {
        svg.push_str(&format!(r#"<text x="{LEFT}" y="{:.1}">No logins in this period.</text>"#, ly + 4.0));
    }
    for (provider, outcome) in series.keys() {
        svg.push_str(&format!(
            r#"<rect x="{LEFT}" y="{:.1}" width="12" height="12" fill="{}"/><text x="{:.1}" y="{:.1}">{}, {}</text>"#,
            ly - 6.0,
            colour(*outcome, provider_index(provider)),
            LEFT + 18.0,
            ly + 4.0,
            escape(&name(provider.as_deref())),
            outcome.as_str(),
        ));
        ly += LEGEND_ROW;
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> ChartSpec<'static> {
        ChartSpec { id: "c", title: "Logins <24h>", start_ms: 0, bucket_ms: 1000, buckets: 4, label_format: "%H:%M", label_every: 2 }
    }

    #[test]
    fn stacks_bars_per_provider_and_outcome_with_a_legend() {
        let counts = vec![
            AuditCount { bucket_ms: 0, provider_id: Some("sso".into()), outcome: AuditOutcome::Success, count: 3 },
            AuditCount { bucket_ms: 0, provider_id: Some("sso".into()), outcome: AuditOutcome::Refused, count: 1 },
            AuditCount { bucket_ms: 2000, provider_id: Some("<x>".into()), outcome: AuditOutcome::Failed, count: 2 },
            // Outside the chart: ignored.
            AuditCount { bucket_ms: 9000, provider_id: Some("late".into()), outcome: AuditOutcome::Failed, count: 2 },
        ];
        let svg = render(&spec(), &counts, &|p| p.unwrap_or("?").to_uppercase());
        assert_eq!(svg.matches(r#"class="lb-bar""#).count(), 3);
        assert!(svg.contains(r#"data-provider="sso" data-outcome="success""#));
        assert!(svg.contains("SSO, success: 3"));
        assert!(svg.contains("Logins &lt;24h&gt;"));
        assert!(!svg.contains("<x>") && svg.contains("&lt;X&gt;, failed"));
        assert!(!svg.contains("late") && !svg.contains("LATE"));
        assert!(!svg.contains("style="), "the CSP forbids inline styles");
        // The tallest stack (4) spans the whole plot.
        assert!(svg.contains(">4</text>"));
    }

    #[test]
    fn an_empty_period_says_so() {
        let svg = render(&spec(), &[], &|p| p.unwrap_or("").to_string());
        assert!(svg.contains("No logins in this period."));
        assert!(!svg.contains("lb-bar"));
    }

    #[test]
    fn buckets_align_with_the_store() {
        assert_eq!(ChartSpec::start_for(3_700_000, 3_600_000, 24), 3_600_000 - 23 * 3_600_000);
    }
}
