//! Who is asking: the TCP peer, or, when the peer is a trusted reverse proxy, the address it
//! forwarded. Used for the request limits and tokeninfo's allow-list, never to build a URL.
//! It must never believe `X-Forwarded-For` unless the peer is listed in `trusted_proxies`.

use crate::bridge::AppState;
use axum::{
    extract::{ConnectInfo, FromRequestParts, Request, State},
    http::{request::Parts, HeaderMap},
    middleware::Next,
    response::Response,
};
use ipnet::IpNet;
use std::{
    convert::Infallible,
    fmt,
    net::{IpAddr, Ipv4Addr, SocketAddr},
};

const X_FORWARDED_FOR: &str = "x-forwarded-for";

/// The client's address, as decided by `remember`. A request that came without a socket
/// (the router driven in-process, as the tests do) is `UNKNOWN`: all such requests count as one
/// client, so they are still limited, and no allow-list admits them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClientIp(pub IpAddr);

impl ClientIp {
    pub const UNKNOWN: ClientIp = ClientIp(IpAddr::V4(Ipv4Addr::UNSPECIFIED));

    /// The address `remember` put on the request (`UNKNOWN` without it).
    pub fn of(extensions: &axum::http::Extensions) -> ClientIp {
        extensions.get::<ClientIp>().copied().unwrap_or(Self::UNKNOWN)
    }

    /// The address as an audit row holds it: `None` when there is none to record.
    pub fn for_audit(self) -> Option<String> {
        (self != Self::UNKNOWN).then(|| self.0.to_string())
    }
}

impl fmt::Display for ClientIp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Self::UNKNOWN {
            f.write_str("unknown (no peer address)")
        } else {
            self.0.fmt(f)
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = Infallible;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp::of(&parts.extensions))
    }
}

/// The client of a request from `peer` carrying these headers. Behind trusted proxies each one
/// appends the address it saw to `X-Forwarded-For`, so reading from the right, the first
/// address that is not a trusted proxy is the one no client could forge.
pub fn resolve(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpNet]) -> ClientIp {
    let Some(peer) = peer.map(|ip| ip.to_canonical()) else {
        return ClientIp::UNKNOWN;
    };
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return ClientIp(peer);
    }
    let hops: Vec<&str> = headers
        .get_all(X_FORWARDED_FOR)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|hop| !hop.is_empty())
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        // Something a trusted proxy would never write: the hops left of it are the client's own.
        let Some(ip) = parse_hop(hop) else { break };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    ClientIp(client)
}

/// `203.0.113.7`, `2001:db8::1`, and the forms with a port some proxies write
/// (`203.0.113.7:4711`, `[2001:db8::1]:4711`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .map(|ip| ip.to_canonical())
}

/// Middleware: decides the client address once and puts it on the request for the limits and
/// the handlers.
pub async fn remember(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip());
    let client = resolve(peer, request.headers(), &state.bridge.config.trusted_proxies);
    request.extensions_mut().insert(client);
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in xff {
            map.append(X_FORWARDED_FOR, HeaderValue::from_str(value).expect("header"));
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("ip")
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().expect("net")).collect()
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_the_headers_say() {
        let forged = headers(&["198.51.100.1"]);
        assert_eq!(resolve(Some(ip("203.0.113.5")), &forged, &[]), ClientIp(ip("203.0.113.5")));
        assert_eq!(resolve(Some(ip("203.0.113.5")), &forged, &nets(&["127.0.0.1/32"])), ClientIp(ip("203.0.113.5")));
        assert_eq!(resolve(None, &forged, &nets(&["127.0.0.1/32"])), ClientIp::UNKNOWN);
    }

    #[test]
    fn behind_trusted_proxies_the_right_most_untrusted_hop_is_the_client() {
        let trusted = nets(&["127.0.0.1/32", "10.0.0.0/8"]);
        let peer = Some(ip("127.0.0.1"));
        // The client put a forged address first; the proxies appended what they saw.
        let chain = headers(&["6.6.6.6, 198.51.100.7", "10.1.2.3"]);
        assert_eq!(resolve(peer, &chain, &trusted), ClientIp(ip("198.51.100.7")));
        // No header: the proxy itself is the client.
        assert_eq!(resolve(peer, &HeaderMap::new(), &trusted), ClientIp(ip("127.0.0.1")));
        // Garbage stops the walk at the last address a proxy wrote.
        assert_eq!(resolve(peer, &headers(&["nonsense, 10.9.9.9"]), &trusted), ClientIp(ip("10.9.9.9")));
        // Ports and IPv4-mapped peers.
        assert_eq!(resolve(Some(ip("::ffff:127.0.0.1")), &headers(&["[2001:db8::1]:4711"]), &trusted), ClientIp(ip("2001:db8::1")));
    }
}
