//! `[metrics]`: who may read `GET /metrics` (operational data: provider names, Odoo ids, error
//! rates). Anyone else gets 404, as if there were no such page.
//! It must never admit an address by default beyond the bridge's own host (loopback).

use super::{ip_list, ConfigError};
use ipnet::IpNet;
use serde::Deserialize;
use std::net::IpAddr;

/// `[metrics]` as written by the admin.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MetricsFile {
    /// Addresses or CIDR ranges (as seen by `trusted_proxies` rules) allowed to read `/metrics`;
    /// default: loopback only (`127.0.0.0/8`, `::1`). An empty list turns `/metrics` off.
    allowed_ips: Option<Vec<String>>,
}

/// Who may read `/metrics`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricsConfig {
    /// Client addresses (`http::client_ip`) allowed to scrape; empty = nobody.
    pub allowed_ips: Vec<IpNet>,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        let loopback = ["127.0.0.0/8", "::1/128"].iter().filter_map(|net| net.parse().ok()).collect();
        Self { allowed_ips: loopback }
    }
}

impl MetricsConfig {
    /// Whether a client at `ip` may read `/metrics`.
    pub fn allows(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.allowed_ips.iter().any(|net| net.contains(&ip))
    }
}

pub(super) fn parse_metrics(file: MetricsFile) -> Result<MetricsConfig, ConfigError> {
    match file.allowed_ips {
        None => Ok(MetricsConfig::default()),
        Some(list) => Ok(MetricsConfig { allowed_ips: ip_list("metrics.allowed_ips", &list)? }),
    }
}
