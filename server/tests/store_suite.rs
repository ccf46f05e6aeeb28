//! Every behaviour of the store, run against a real SQLite file and a real PostgreSQL database
//! (a fresh one per test, from `make postgres`): requests, flows taken once, expiry, tokens
//! redeemed once (also raced from two store handles, as two bridges would), the token's Odoo,
//! links, explicit links, blocks, voided tokens, the purge and the caps. Plus: a SQLite store
//! made by the schema before PostgreSQL support keeps opening, with its rows.

mod common;

use common::postgres::TestDb;
use login_bridge::{
    config::{Secret, StoreBackend, StoreCaps, StoreConfig},
    flow::{LoginTarget, PendingFlow},
    session::{BridgePage, Session},
    store::{AuditEntry, AuditKind, AuditOutcome, AuditQuery, BlockedUser, Bounded, IdentityLink, IssuedToken, OdooSession, Store, StoreError},
    tokens::{digest, unix_now},
};
use sqlx::{Connection, Executor};
use std::{
    path::PathBuf,
    sync::{
        atomic::{AtomicBool, AtomicI64, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

// ---- Harness: one store on one engine -------------------------------------------------------

enum Engine {
    Sqlite { _dir: tempfile::TempDir, path: PathBuf },
    Postgres(TestDb),
}

struct Harness {
    store: Store,
    config: StoreConfig,
    // Dropped after `store` (fields drop in order): the database goes last.
    engine: Engine,
}

impl Harness {
    async fn sqlite(caps: StoreCaps) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub dir").join("bridge.db");
        let config = StoreConfig { backend: StoreBackend::Sqlite { path: path.clone() }, caps };
        let store = Store::open(&config).await.expect("SQLite store opens");
        Self { store, config, engine: Engine::Sqlite { _dir: dir, path } }
    }

    async fn postgres(caps: StoreCaps) -> Self {
        let db = TestDb::create().await;
        let config = StoreConfig { backend: StoreBackend::Postgres { url: Secret::new(db.url.clone()), password_in_config: false }, caps };
        let store = Store::open(&config).await.expect("PostgreSQL store opens");
        Self { store, config, engine: Engine::Postgres(db) }
    }

    /// A second store on the same database: what another bridge process has.
    async fn second(&self) -> Store {
        Store::open(&self.config).await.expect("a second store opens on the same database")
    }

    /// Runs SQL on a plain connection, behind the store's back.
    async fn raw(&self, sql: &str) {
        match &self.engine {
            Engine::Sqlite { path, .. } => {
                let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.expect("raw SQLite connection");
                conn.execute(sql).await.expect("raw SQL");
            }
            Engine::Postgres(db) => {
                db.connect().await.execute(sql).await.expect("raw SQL");
            }
        }
    }
}

fn caps(n: u32) -> StoreCaps {
    StoreCaps { pending_requests: n, pending_flows: n, live_tokens: n }
}

/// Runs each scenario on both engines: `name::sqlite` and `name::postgres`.
macro_rules! on_both_engines {
    ($($name:ident($caps:expr)),* $(,)?) => {$(
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                super::$name(Harness::sqlite($caps).await).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                super::$name(Harness::postgres($caps).await).await
            }
        }
    )*};
}

on_both_engines! {
    requests_are_read_until_they_expire(StoreCaps::default()),
    flows_finish_once(StoreCaps::default()),
    a_raced_flow_finishes_once(StoreCaps::default()),
    tokens_are_redeemed_once(StoreCaps::default()),
    a_raced_token_is_redeemed_once(StoreCaps::default()),
    nulls_and_times_after_2038_round_trip(StoreCaps::default()),
    links_are_created_read_updated_and_deleted(StoreCaps::default()),
    explicit_links_keep_what_logins_wrote(StoreCaps::default()),
    blocks_are_set_listed_and_lifted(StoreCaps::default()),
    void_tokens_spends_only_that_subject(StoreCaps::default()),
    the_audit_log_is_written_searched_counted_and_pruned(StoreCaps::default()),
    purge_deletes_only_expired_rows(StoreCaps::default()),
    a_full_table_refuses_then_recovers(caps(3)),
    a_flood_never_goes_over_the_cap(caps(10)),
    cap_zero_is_no_cap(caps(0)),
    counts_heal_after_rows_change_behind_them(caps(3)),
    reopening_keeps_everything(StoreCaps::default()),
    bridge_sessions_are_hashed_scoped_expire_and_end(StoreCaps::default()),
    sessions_are_found_by_subject_sid_age_and_due_revalidation(StoreCaps::default()),
    a_logout_token_id_is_accepted_once_until_it_expires(StoreCaps::default()),
}

fn flow(provider: &str) -> PendingFlow {
    PendingFlow {
        provider_id: provider.into(),
        pkce_verifier: "verifier".into(),
        nonce: Some("nonce".into()),
        target: LoginTarget::BridgeInitiated { odoo_id: "acme".into(), return_to: Some("/odoo/sales".into()) },
        lang: Some("fr".into()),
        started_at_ms: Some(1_800_000_000_000),
        correlation_id: Some("Corr3lation1".into()),
    }
}

fn token(subject: &str, ttl: i64) -> IssuedToken {
    IssuedToken { odoo_id: "acme".into(), subject: subject.into(), email: Some(format!("{subject}@example.com")), name: Some("Alice Example".into()), expires_at: unix_now() + ttl }
}

fn link(provider: &str, subject: &str, user: i64) -> IdentityLink {
    IdentityLink {
        provider_id: provider.into(),
        upstream_subject: subject.into(),
        odoo_id: "acme".into(),
        odoo_user_id: user,
        bridge_subject: format!("lb-{user}"),
        email: Some(format!("{subject}@example.com")),
    }
}

// ---- Scenarios --------------------------------------------------------------------------------

async fn requests_are_read_until_they_expire(h: Harness) {
    let target = LoginTarget::OdooInitiated { odoo_id: "acme".into(), odoo_state: r#"{"d":"acme","p":4}"#.into(), provider_record: Some(4) };
    h.store.put_odoo_request("req-live", &target, 900).await.expect("put");
    h.store.put_odoo_request("req-old", &target, -1).await.expect("put");
    // Read, not consumed: the provider page may be reloaded.
    assert_eq!(h.store.odoo_request("req-live").await.expect("read"), Some(target.clone()));
    assert_eq!(h.store.odoo_request("req-live").await.expect("read"), Some(target));
    assert_eq!(h.store.odoo_request("req-old").await.expect("read"), None, "expired requests are gone");
    assert_eq!(h.store.odoo_request("req-unknown").await.expect("read"), None);
    assert_eq!(h.store.counted_rows(Bounded::OdooRequests).await.expect("count"), 2);
}

async fn flows_finish_once(h: Harness) {
    h.store.put_flow("state-1", &flow("devidp"), 600).await.expect("put");
    assert_eq!(h.store.counted_rows(Bounded::PendingFlows).await.expect("count"), 1);
    assert_eq!(h.store.take_flow("state-1").await.expect("take"), Some(flow("devidp")));
    assert_eq!(h.store.take_flow("state-1").await.expect("take"), None, "a state finishes one login");
    assert_eq!(h.store.counted_rows(Bounded::PendingFlows).await.expect("count"), 0, "a taken flow frees its place");
    h.store.put_flow("state-old", &flow("devidp"), -1).await.expect("put");
    assert_eq!(h.store.take_flow("state-old").await.expect("take"), None, "expired flows never finish");
    assert_eq!(h.store.take_flow("never-stored").await.expect("take"), None);
    assert_eq!(h.store.row_count(Bounded::PendingFlows).await.expect("count"), 0);
    assert_eq!(h.store.counted_rows(Bounded::PendingFlows).await.expect("count"), 0);
}

async fn a_raced_flow_finishes_once(h: Harness) {
    let other = h.second().await;
    for round in 0..5 {
        let state = format!("raced-{round}");
        h.store.put_flow(&state, &flow("devidp"), 600).await.expect("put");
        let mut takers = tokio::task::JoinSet::new();
        for i in 0..24 {
            let store = if i % 2 == 0 { h.store.clone() } else { other.clone() };
            let state = state.clone();
            takers.spawn(async move { store.take_flow(&state).await.expect("take") });
        }
        let won = takers.join_all().await.into_iter().filter(Option::is_some).count();
        assert_eq!(won, 1, "round {round}: exactly one of 24 concurrent takes gets the flow");
    }
    assert_eq!(h.store.counted_rows(Bounded::PendingFlows).await.expect("count"), 0);
}

async fn tokens_are_redeemed_once(h: Harness) {
    h.store.put_token("tok-1", &token("alice", 120)).await.expect("put");
    assert_eq!(h.store.token_odoo("tok-1").await.expect("odoo").as_deref(), Some("acme"), "the token's Odoo, without using it");
    assert_eq!(h.store.token_odoo("tok-1").await.expect("odoo").as_deref(), Some("acme"), "token_odoo does not use the token up");
    let redeemed = h.store.redeem_token("tok-1").await.expect("redeem").expect("first redemption works");
    assert_eq!((redeemed.odoo_id.as_str(), redeemed.subject.as_str()), ("acme", "alice"));
    assert_eq!(redeemed.email.as_deref(), Some("alice@example.com"));
    assert_eq!(h.store.redeem_token("tok-1").await.expect("redeem"), None, "a token works once");
    assert_eq!(h.store.token_odoo("tok-1").await.expect("odoo"), None, "a used token names no Odoo");
    h.store.put_token("tok-old", &token("alice", -1)).await.expect("put");
    assert_eq!(h.store.redeem_token("tok-old").await.expect("redeem"), None, "expired tokens never work");
    assert_eq!(h.store.token_odoo("tok-old").await.expect("odoo"), None);
    assert_eq!(h.store.redeem_token("tok-unknown").await.expect("redeem"), None);
    assert_eq!(h.store.counted_rows(Bounded::IssuedTokens).await.expect("count"), 2, "used tokens stay (and count) until they expire");

    // Redeeming for allow-listed callers: only a token of an Odoo that admits them.
    h.store.put_token("tok-2", &token("alice", 120)).await.expect("put");
    assert_eq!(h.store.redeem_token_of("tok-2", &[]).await.expect("redeem"), None, "no admitted Odoo, no token");
    assert_eq!(h.store.redeem_token_of("tok-2", &["other"]).await.expect("redeem"), None, "another Odoo's caller cannot use it");
    assert_eq!(h.store.token_odoo("tok-2").await.expect("odoo").as_deref(), Some("acme"), "a refused call leaves the token usable");
    let redeemed = h.store.redeem_token_of("tok-2", &["other", "acme"]).await.expect("redeem").expect("its own Odoo's caller");
    assert_eq!(redeemed.subject, "alice");
    assert_eq!(h.store.redeem_token_of("tok-2", &["acme"]).await.expect("redeem"), None, "still once only");
}

async fn a_raced_token_is_redeemed_once(h: Harness) {
    let other = h.second().await;
    for round in 0..5 {
        let value = format!("raced-token-{round}");
        h.store.put_token(&value, &token("alice", 120)).await.expect("put");
        let mut redeemers = tokio::task::JoinSet::new();
        for i in 0..32 {
            let store = if i % 2 == 0 { h.store.clone() } else { other.clone() };
            let value = value.clone();
            redeemers.spawn(async move { store.redeem_token(&value).await.expect("redeem") });
        }
        let won = redeemers.join_all().await.into_iter().filter(Option::is_some).count();
        assert_eq!(won, 1, "round {round}: exactly one of 32 concurrent redemptions succeeds");
    }
}

async fn nulls_and_times_after_2038_round_trip(h: Harness) {
    // 2100-01-01: past i32 seconds, so PostgreSQL must hold BIGINT (migration 0003).
    let year_2100 = 4_102_444_800;
    let issued = IssuedToken { odoo_id: "acme".into(), subject: "s".into(), email: None, name: None, expires_at: year_2100 };
    h.store.put_token("far", &issued).await.expect("put");
    assert_eq!(h.store.redeem_token("far").await.expect("redeem"), Some(issued));
    let blocked = BlockedUser { odoo_id: "acme".into(), odoo_user_id: 3_000_000_000, login: "big".into(), reason: None, created_at: year_2100 };
    h.store.block_user(&blocked).await.expect("block");
    assert_eq!(h.store.blocked_users(None).await.expect("list"), vec![blocked]);
    let big = IdentityLink { email: None, ..link("devidp", "big", 3_000_000_000) };
    h.store.save_link(&big).await.expect("save");
    assert_eq!(h.store.find_link("devidp", "big", "acme").await.expect("find"), Some(big));
}

async fn links_are_created_read_updated_and_deleted(h: Harness) {
    assert_eq!(h.store.find_link("devidp", "alice", "acme").await.expect("find"), None);
    h.store.save_link(&link("devidp", "alice", 6)).await.expect("save");
    h.store.save_link(&link("google", "alice-g", 6)).await.expect("save");
    h.store.save_link(&link("devidp", "bob", 7)).await.expect("save");
    h.store.save_link(&IdentityLink { odoo_id: "other".into(), ..link("devidp", "carol", 2) }).await.expect("save");
    assert_eq!(h.store.find_link("devidp", "alice", "acme").await.expect("find"), Some(link("devidp", "alice", 6)));
    assert_eq!(h.store.find_link("devidp", "alice", "other").await.expect("find"), None, "links are per Odoo");

    // A re-link moves the identity to another user.
    h.store.save_link(&link("devidp", "alice", 9)).await.expect("save");
    assert_eq!(h.store.find_link("devidp", "alice", "acme").await.expect("find").map(|l| l.odoo_user_id), Some(9));

    let acme = h.store.links(Some("acme")).await.expect("links");
    let order: Vec<(i64, &str)> = acme.iter().map(|r| (r.link.odoo_user_id, r.link.provider_id.as_str())).collect();
    assert_eq!(order, vec![(6, "google"), (7, "devidp"), (9, "devidp")], "by user, then provider");
    assert!(acme.iter().all(|r| r.created_at > 0 && r.last_login_at >= r.created_at), "logins set both times");
    assert_eq!(h.store.links(None).await.expect("links").len(), 4);

    assert!(h.store.delete_link("devidp", "bob", "acme").await.expect("delete"));
    assert!(!h.store.delete_link("devidp", "bob", "acme").await.expect("delete"), "nothing left to delete");
    h.store.save_link(&link("github", "alice-gh", 6)).await.expect("save");
    let removed = h.store.delete_links_of_user("acme", 6).await.expect("delete");
    let mut providers: Vec<&str> = removed.iter().map(|r| r.link.provider_id.as_str()).collect();
    providers.sort();
    assert_eq!(providers, vec!["github", "google"]);
    assert_eq!(h.store.links(Some("acme")).await.expect("links").len(), 1);
}

async fn explicit_links_keep_what_logins_wrote(h: Harness) {
    h.store.save_explicit_link(&link("devidp", "dave", 11)).await.expect("save");
    let fresh = h.store.links(None).await.expect("links");
    assert_eq!(fresh.len(), 1);
    assert_eq!(fresh[0].last_login_at, 0, "an explicit link nobody used yet");
    // A login then sets last_login_at; an admin's re-link without an email keeps the email.
    h.store.save_link(&link("devidp", "dave", 11)).await.expect("login");
    let logged_in = h.store.links(None).await.expect("links")[0].last_login_at;
    assert!(logged_in > 0);
    h.store.save_explicit_link(&IdentityLink { email: None, ..link("devidp", "dave", 12) }).await.expect("re-link");
    let record = &h.store.links(None).await.expect("links")[0];
    assert_eq!(record.link.odoo_user_id, 12);
    assert_eq!(record.link.email.as_deref(), Some("dave@example.com"), "COALESCE keeps the known email");
    assert_eq!(record.last_login_at, logged_in, "an admin's link is not a login");
}

async fn blocks_are_set_listed_and_lifted(h: Harness) {
    let block = |user: i64, reason: Option<&str>| BlockedUser { odoo_id: "acme".into(), odoo_user_id: user, login: format!("user{user}"), reason: reason.map(str::to_string), created_at: 1_700_000_000 };
    assert!(!h.store.is_blocked("acme", 6).await.expect("is_blocked"));
    assert!(h.store.block_user(&block(6, Some("left"))).await.expect("block"), "newly blocked");
    assert!(!h.store.block_user(&block(6, Some("left the company"))).await.expect("block"), "already blocked: reason updated");
    h.store.block_user(&BlockedUser { odoo_id: "other".into(), ..block(2, None) }).await.expect("block");
    assert!(h.store.is_blocked("acme", 6).await.expect("is_blocked"));
    assert!(!h.store.is_blocked("other", 6).await.expect("is_blocked"), "blocks are per Odoo");
    assert_eq!(h.store.blocked_users(Some("acme")).await.expect("list"), vec![block(6, Some("left the company"))]);
    assert_eq!(h.store.blocked_users(None).await.expect("list").len(), 2);
    assert!(h.store.unblock_user("acme", 6).await.expect("unblock"));
    assert!(!h.store.unblock_user("acme", 6).await.expect("unblock"), "not blocked any more");
    assert!(!h.store.is_blocked("acme", 6).await.expect("is_blocked"));
}

async fn void_tokens_spends_only_that_subject(h: Harness) {
    h.store.put_token("a1", &token("alice", 120)).await.expect("put");
    h.store.put_token("a2", &token("alice", 120)).await.expect("put");
    h.store.put_token("b1", &token("bob", 120)).await.expect("put");
    h.store.put_token("a-other", &IssuedToken { odoo_id: "other".into(), ..token("alice", 120) }).await.expect("put");
    assert_eq!(h.store.void_tokens("acme", "alice").await.expect("void"), 2);
    assert_eq!(h.store.redeem_token("a1").await.expect("redeem"), None);
    assert_eq!(h.store.redeem_token("a2").await.expect("redeem"), None);
    assert!(h.store.redeem_token("b1").await.expect("redeem").is_some(), "another subject keeps its token");
    assert!(h.store.redeem_token("a-other").await.expect("redeem").is_some(), "another Odoo keeps its token");
    assert_eq!(h.store.void_tokens("acme", "alice").await.expect("void"), 0, "nothing left to void");
}

fn audit(at_ms: i64, outcome: AuditOutcome, provider: &str, email: Option<&str>, user: Option<i64>) -> AuditEntry {
    AuditEntry {
        at_ms,
        odoo_id: Some("acme".into()),
        provider_id: Some(provider.into()),
        upstream_subject: Some(format!("{provider}-Sub")),
        email: email.map(str::to_string),
        odoo_user_id: user,
        odoo_login: email.map(str::to_string),
        reason: (outcome != AuditOutcome::Success).then(|| "no Odoo account for 50% of them".to_string()),
        ip: Some("203.0.113.7".into()),
        ..AuditEntry::now(AuditKind::Login, outcome)
    }
}

async fn the_audit_log_is_written_searched_counted_and_pruned(h: Harness) {
    let minute = 60_000;
    let t0 = 15_833_334 * 120_000; // 2030, a multiple of the two-minute bucket
    let rows = [
        audit(t0, AuditOutcome::Success, "google", Some("Alice@Example.com"), Some(6)),
        audit(t0 + minute, AuditOutcome::Refused, "google", Some("carol@example.com"), None),
        audit(t0 + 2 * minute, AuditOutcome::Success, "github", Some("alice@example.com"), Some(6)),
        audit(t0 + 3 * minute, AuditOutcome::Failed, "github", None, None),
    ];
    for row in &rows {
        h.store.record_audit(row).await.expect("record");
    }
    let all = h.store.audit_entries(&AuditQuery::default()).await.expect("read");
    assert_eq!(all.iter().map(|e| e.at_ms).collect::<Vec<_>>(), vec![t0 + 3 * minute, t0 + 2 * minute, t0 + minute, t0], "newest first");
    assert_eq!(all[3], rows[0], "every field round-trips");

    let alice = |user: &str| AuditQuery { user: Some(user.into()), ..AuditQuery::default() };
    assert_eq!(h.store.audit_entries(&alice("ALICE@example.com")).await.expect("by email").len(), 2, "email in any case");
    assert_eq!(h.store.audit_entries(&alice("6")).await.expect("by id").len(), 2, "Odoo user id");
    assert_eq!(h.store.audit_entries(&alice("google-Sub")).await.expect("by subject").len(), 2, "subject as given");
    assert_eq!(h.store.audit_entries(&alice("google-sub")).await.expect("by subject").len(), 0, "the subject is case-sensitive");

    let since = AuditQuery { since_ms: Some(t0 + minute), ..AuditQuery::default() };
    assert_eq!(h.store.audit_entries(&since).await.expect("since").len(), 3);
    let refused = AuditQuery { outcome: Some(AuditOutcome::Refused), provider_id: Some("google".into()), ..AuditQuery::default() };
    assert_eq!(h.store.audit_entries(&refused).await.expect("refused").len(), 1);
    let search = |text: &str| AuditQuery { search: Some(text.into()), ..AuditQuery::default() };
    assert_eq!(h.store.audit_entries(&search("CAROL")).await.expect("search").len(), 1);
    assert_eq!(h.store.audit_entries(&search("50%")).await.expect("search").len(), 2, "a literal % (the two rows with a reason)");
    assert_eq!(h.store.audit_entries(&search("5_%")).await.expect("search").len(), 0, "_ is no wildcard");
    assert_eq!(h.store.audit_entries(&AuditQuery { limit: 1, ..AuditQuery::default() }).await.expect("limit").len(), 1);

    let counts = h.store.audit_counts(AuditKind::Login, t0, 2 * minute).await.expect("counts");
    let got: Vec<(i64, Option<&str>, AuditOutcome, i64)> =
        counts.iter().map(|c| (c.bucket_ms - t0, c.provider_id.as_deref(), c.outcome, c.count)).collect();
    assert_eq!(
        got,
        vec![
            (0, Some("google"), AuditOutcome::Refused, 1),
            (0, Some("google"), AuditOutcome::Success, 1),
            (2 * minute, Some("github"), AuditOutcome::Failed, 1),
            (2 * minute, Some("github"), AuditOutcome::Success, 1),
        ],
        "two-minute buckets (t0 is a multiple of two minutes)"
    );

    assert_eq!(h.store.purge_audit(t0 + 2 * minute).await.expect("purge"), 2);
    assert_eq!(h.store.audit_entries(&AuditQuery::default()).await.expect("read").len(), 2, "only the newer rows stay");
}

async fn purge_deletes_only_expired_rows(h: Harness) {
    let target = flow("devidp").target;
    h.store.put_odoo_request("r-old", &target, -1).await.expect("put");
    h.store.put_odoo_request("r-live", &target, 900).await.expect("put");
    h.store.put_flow("f-old", &flow("devidp"), -1).await.expect("put");
    h.store.put_flow("f-live", &flow("devidp"), 600).await.expect("put");
    h.store.put_token("t-old", &token("alice", -1)).await.expect("put");
    h.store.put_token("t-live", &token("alice", 120)).await.expect("put");
    h.store.save_link(&link("devidp", "alice", 6)).await.expect("link");
    assert_eq!(h.store.purge_expired().await.expect("purge"), 3);
    assert_eq!(h.store.purge_expired().await.expect("purge"), 0, "nothing more to purge");
    for table in Bounded::ALL {
        assert_eq!(h.store.row_count(table).await.expect("rows"), 1, "{table:?}: the live row survives");
        assert_eq!(h.store.counted_rows(table).await.expect("count"), 1, "{table:?}: the count follows");
    }
    assert!(h.store.odoo_request("r-live").await.expect("read").is_some());
    assert!(h.store.take_flow("f-live").await.expect("take").is_some());
    assert!(h.store.redeem_token("t-live").await.expect("redeem").is_some());
    assert_eq!(h.store.links(None).await.expect("links").len(), 1, "links never expire");
}

fn session(page: BridgePage, user: Option<i64>, ttl: i64) -> Session {
    Session {
        page,
        provider_id: "devidp".into(),
        upstream_subject: "alice-sub".into(),
        email: Some("alice@example.com".into()),
        email_verified: true,
        odoo_user_id: user,
        expires_at: unix_now() + ttl,
    }
}

/// A bridge session is found by its id only (the row holds its hash), keeps what it is for,
/// ends at its absolute expiry or at sign-out, and the purge deletes only expired ones.
async fn bridge_sessions_are_hashed_scoped_expire_and_end(h: Harness) {
    let account = session(BridgePage::Account { odoo_id: "acme".into() }, Some(6), 3600);
    let admin = Session { email_verified: false, ..session(BridgePage::Admin, None, 3600) };
    h.store.put_bridge_session("sid-account", &account).await.expect("put");
    h.store.put_bridge_session("sid-admin", &admin).await.expect("put");
    h.store.put_bridge_session("sid-old", &session(BridgePage::Admin, None, -1)).await.expect("put");
    assert_eq!(h.store.bridge_session("sid-account").await.expect("read"), Some(account.clone()));
    assert_eq!(h.store.bridge_session("sid-admin").await.expect("read"), Some(admin));
    assert_eq!(h.store.bridge_session("sid-old").await.expect("read"), None, "expired");
    assert_eq!(h.store.bridge_session(&digest("sid-account")).await.expect("read"), None, "the stored hash opens nothing");
    assert_eq!(h.store.bridge_session("nope").await.expect("read"), None);
    assert!(h.store.delete_bridge_session("sid-admin").await.expect("delete"));
    assert!(!h.store.delete_bridge_session("sid-admin").await.expect("delete"), "once");
    assert_eq!(h.store.bridge_session("sid-admin").await.expect("read"), None);
    assert_eq!(h.store.purge_bridge_sessions().await.expect("purge"), 1, "only the expired one");
    assert_eq!(h.store.bridge_session("sid-account").await.expect("read"), Some(account));
}

/// At the cap a put is refused with the wait until the oldest row expires; taking a row, or a
/// row expiring, makes room again without waiting for the purge.
async fn a_full_table_refuses_then_recovers(h: Harness) {
    for i in 0..3 {
        h.store.put_flow(&format!("f{i}"), &flow("devidp"), 600).await.expect("under the cap");
    }
    match h.store.put_flow("f3", &flow("devidp"), 600).await {
        Err(StoreError::Full { table: Bounded::PendingFlows, cap: 3, retry_after }) => assert!((590..=600).contains(&retry_after), "{retry_after}"),
        other => panic!("the 4th flow must be refused as Full, got {other:?}"),
    }
    assert_eq!(h.store.row_count(Bounded::PendingFlows).await.expect("rows"), 3);
    // Flows already there are unaffected, and taking one frees a place.
    assert!(h.store.take_flow("f0").await.expect("take").is_some());
    h.store.put_flow("f3", &flow("devidp"), 600).await.expect("a taken flow's place is free");

    // Tokens: fill with rows that expire in a second; the refusal says so, then they make room.
    for i in 0..3 {
        h.store.put_token(&format!("t{i}"), &token("alice", 1)).await.expect("under the cap");
    }
    match h.store.put_token("t3", &token("alice", 120)).await {
        Err(StoreError::Full { table: Bounded::IssuedTokens, retry_after, .. }) => assert!(retry_after <= 1, "{retry_after}"),
        other => panic!("the 4th token must be refused, got {other:?}"),
    }
    tokio::time::sleep(Duration::from_millis(2100)).await;
    h.store.put_token("t3", &token("alice", 120)).await.expect("expired rows make room at once (no purge ran)");
    assert!(h.store.row_count(Bounded::IssuedTokens).await.expect("rows") <= 3);
    assert!(h.store.redeem_token("t3").await.expect("redeem").is_some());

    // Odoo requests: same rule.
    let target = flow("devidp").target;
    for i in 0..3 {
        h.store.put_odoo_request(&format!("r{i}"), &target, -1).await.expect("under the cap");
    }
    h.store.put_odoo_request("r3", &target, 900).await.expect("expired requests make room");
    assert_eq!(h.store.row_count(Bounded::OdooRequests).await.expect("rows"), 1, "the expired rows were reclaimed");
}

/// 60 concurrent puts from two store handles (two bridges) against a cap of 10: exactly 10 get
/// in, and the table never holds more, also while the flood runs.
async fn a_flood_never_goes_over_the_cap(h: Harness) {
    let other = h.second().await;
    let flooding = Arc::new(AtomicBool::new(true));
    let highest = Arc::new(AtomicI64::new(0));
    let watcher = {
        let (store, flooding, highest) = (h.store.clone(), flooding.clone(), highest.clone());
        tokio::spawn(async move {
            while flooding.load(Ordering::Relaxed) {
                let rows = store.row_count(Bounded::PendingFlows).await.expect("rows");
                highest.fetch_max(rows, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        })
    };
    let mut puts = tokio::task::JoinSet::new();
    for i in 0..60 {
        let store = if i % 2 == 0 { h.store.clone() } else { other.clone() };
        puts.spawn(async move { store.put_flow(&format!("flood-{i}"), &flow("devidp"), 600).await });
    }
    let results = puts.join_all().await;
    flooding.store(false, Ordering::Relaxed);
    watcher.await.expect("watcher");
    let accepted = results.iter().filter(|r| r.is_ok()).count();
    let full = results.iter().filter(|r| matches!(r, Err(StoreError::Full { .. }))).count();
    assert_eq!((accepted, full), (10, 50), "10 in, 50 refused as Full: {:?}", results.iter().filter_map(|r| r.as_ref().err()).find(|e| !matches!(e, StoreError::Full { .. })));
    assert_eq!(h.store.row_count(Bounded::PendingFlows).await.expect("rows"), 10);
    assert_eq!(h.store.counted_rows(Bounded::PendingFlows).await.expect("count"), 10);
    assert!(highest.load(Ordering::Relaxed) <= 10, "the table held {} rows during the flood", highest.load(Ordering::Relaxed));
}

async fn cap_zero_is_no_cap(h: Harness) {
    for i in 0..50 {
        h.store.put_flow(&format!("f{i}"), &flow("devidp"), 600).await.expect("no cap");
    }
    assert_eq!(h.store.counted_rows(Bounded::PendingFlows).await.expect("count"), 50, "still counted, so a cap turned on later is exact");
}

async fn counts_heal_after_rows_change_behind_them(h: Harness) {
    for i in 0..3 {
        h.store.put_flow(&format!("f{i}"), &flow("devidp"), 600).await.expect("under the cap");
    }
    // Someone empties the table by hand: the count says full, the table is empty.
    h.raw("DELETE FROM pending_flows").await;
    h.store.put_flow("after-manual-delete", &flow("devidp"), 600).await.expect("an empty table is counted again, not refused");
    assert_eq!(h.store.counted_rows(Bounded::PendingFlows).await.expect("count"), 1);
    // Rows added behind the count: the periodic purge counts them.
    h.raw(&format!("INSERT INTO pending_flows (state_hash, provider_id, data, expires_at) VALUES ('{}', 'devidp', '{{}}', {})", digest("by-hand"), unix_now() + 600)).await;
    h.store.purge_expired().await.expect("purge");
    assert_eq!(h.store.counted_rows(Bounded::PendingFlows).await.expect("count"), 2);
}

async fn reopening_keeps_everything(h: Harness) {
    h.store.put_flow("kept", &flow("devidp"), 600).await.expect("put");
    h.store.put_token("kept", &token("alice", 120)).await.expect("put");
    h.store.save_link(&link("devidp", "alice", 6)).await.expect("link");
    let reopened = h.second().await;
    assert_eq!(reopened.take_flow("kept").await.expect("take"), Some(flow("devidp")));
    assert!(reopened.redeem_token("kept").await.expect("redeem").is_some());
    assert!(reopened.find_link("devidp", "alice", "acme").await.expect("find").is_some());
    reopened.ping().await.expect("ping");
}

// ---- Upgrades -----------------------------------------------------------------------------------

/// SHA-384 of the migrations every SQLite store made before PostgreSQL support has applied.
/// sqlx keeps these in `_sqlx_migrations` and refuses a store whose applied files changed: these
/// two files must never change (new schema goes in new files).
const RELEASED: [(&str, &str); 2] = [
    ("0001_init.sql", "66606a750740fe654dfce5267bf28c209ec1b1735884d1342dc7dfa12af7bdd6b04d73c0e05a1c249e3e8ce4da3f4f0c"),
    ("0002_blocks.sql", "b0993d9a823eef70f81ad9a23a563cadc16277be855af3ed8db9324cc2a81d1e9f6e23896fb69222015e475588886523"),
];

fn migration(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("migrations").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn released_migrations_are_unchanged() {
    use sha2::{Digest, Sha384};
    for (name, checksum) in RELEASED {
        let actual: String = Sha384::digest(migration(name).as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(actual, checksum, "{name} changed: stores that applied it would no longer open; put the change in a new migration");
    }
}

/// A store as the bridge made it before PostgreSQL support (the two released migrations, with
/// the sqlx SQLite options of that version, INTEGER columns), holding one row of each kind: the
/// new bridge opens it, migrates it, and every row still works.
#[tokio::test]
async fn a_sqlite_store_made_before_postgres_support_keeps_opening() {
    use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("old.db");
    let old_migrations = dir.path().join("migrations");
    std::fs::create_dir_all(&old_migrations).expect("dir");
    for (name, _) in RELEASED {
        std::fs::write(old_migrations.join(name), migration(name)).expect("copy migration");
    }
    {
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await.expect("old store");
        sqlx::migrate::Migrator::new(old_migrations.as_path()).await.expect("old migrator").run(&pool).await.expect("old migrations");
        let now = unix_now();
        let flow_json = serde_json::to_string(&flow("devidp")).expect("json");
        let target_json = serde_json::to_string(&flow("devidp").target).expect("json");
        for sql in [
            format!("INSERT INTO odoo_requests VALUES ('{}', '{target_json}', {})", digest("old-request"), now + 900),
            format!("INSERT INTO pending_flows VALUES ('{}', 'devidp', '{flow_json}', {})", digest("old-state"), now + 600),
            format!("INSERT INTO issued_tokens VALUES ('{}', 'acme', 'lb-6', 'alice@example.com', 'Alice', {}, NULL)", digest("old-token"), now + 120),
            format!("INSERT INTO identity_links VALUES ('devidp', 'alice', 'acme', 6, 'lb-6', 'alice@example.com', {now}, {now})"),
            format!("INSERT INTO blocked_users VALUES ('acme', 7, 'bob', 'left', {now})"),
        ] {
            pool.execute(sql.as_str()).await.expect("old row");
        }
        pool.close().await;
    }

    let config = StoreConfig { backend: StoreBackend::Sqlite { path: path.clone() }, caps: StoreCaps::default() };
    let store = Store::open(&config).await.expect("the new bridge opens the old store");
    assert_eq!(store.odoo_request("old-request").await.expect("read"), Some(flow("devidp").target));
    assert_eq!(store.take_flow("old-state").await.expect("take"), Some(flow("devidp")));
    let token = store.redeem_token("old-token").await.expect("redeem").expect("the old token works");
    assert_eq!(token.subject, "lb-6");
    assert_eq!(store.redeem_token("old-token").await.expect("redeem"), None, "and only once");
    assert_eq!(store.find_link("devidp", "alice", "acme").await.expect("find").map(|l| l.odoo_user_id), Some(6));
    assert!(store.is_blocked("acme", 7).await.expect("blocked"));
    assert_eq!(store.counted_rows(Bounded::OdooRequests).await.expect("count"), 1, "existing rows are counted by the migration");
    assert_eq!(store.counted_rows(Bounded::IssuedTokens).await.expect("count"), 1);
    drop(store);
    // And it opens again (the migrations are recorded, checksums included).
    let again = Store::open(&config).await.expect("opens a second time");
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.expect("conn");
    let versions: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version").fetch_all(&mut conn).await.expect("versions");
    let known: Vec<i64> = sqlx::migrate!("./migrations").iter().map(|m| m.version).collect();
    assert_eq!(versions, known, "every migration this binary knows is applied");
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut conn).await.expect("journal");
    assert_eq!(journal, "wal", "the store stays in WAL mode");
    again.ping().await.expect("ping");
}

/// The same migrations leave PostgreSQL with 64-bit integers everywhere.
#[tokio::test]
async fn postgres_integer_columns_are_bigint() {
    let h = Harness::postgres(StoreCaps::default()).await;
    let Engine::Postgres(db) = &h.engine else { unreachable!() };
    let mut conn = db.connect().await;
    let types: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns \
         WHERE table_schema = 'public' AND data_type IN ('integer', 'bigint', 'smallint') AND table_name <> '_sqlx_migrations' ORDER BY 1, 2",
    )
    .fetch_all(&mut conn)
    .await
    .expect("columns");
    assert!(types.len() >= 13, "the integer columns of every table up to the audit log: {types:?}");
    assert!(types.iter().all(|(_, _, t)| t == "bigint"), "{types:?}");
}

// ---- Cost of the cap check (run by hand: `cargo test --release --test store_suite -- --ignored --nocapture`) ----

async fn measure(h: Harness, engine: &str) {
    const ROWS: i64 = 100_000;
    let far = unix_now() + 3600;
    // Bulk rows behind the store's back, then one purge to count them.
    for batch in 0..(ROWS / 1000) {
        let values: Vec<String> = (0..1000).map(|i| format!("('{}', 'devidp', '{{}}', {far})", digest(&format!("bulk-{batch}-{i}")))).collect();
        h.raw(&format!("INSERT INTO pending_flows (state_hash, provider_id, data, expires_at) VALUES {}", values.join(","))).await;
    }
    h.store.purge_expired().await.expect("purge");
    assert_eq!(h.store.counted_rows(Bounded::PendingFlows).await.expect("count"), ROWS);
    let time = |samples: &mut Vec<Duration>| {
        samples.sort();
        let p = |q: f64| samples[((samples.len() as f64 - 1.0) * q) as usize].as_secs_f64() * 1000.0;
        format!("p50 {:.3} ms, p99 {:.3} ms", p(0.5), p(0.99))
    };
    let mut puts = Vec::new();
    for i in 0..500 {
        let start = Instant::now();
        h.store.put_flow(&format!("m{i}"), &flow("devidp"), 600).await.expect("put");
        puts.push(start.elapsed());
    }
    let mut takes = Vec::new();
    for i in 0..500 {
        let start = Instant::now();
        h.store.take_flow(&format!("m{i}")).await.expect("take");
        takes.push(start.elapsed());
    }
    let mut counts = Vec::new();
    for _ in 0..50 {
        let start = Instant::now();
        h.store.row_count(Bounded::PendingFlows).await.expect("count");
        counts.push(start.elapsed());
    }
    // Baselines: a one-statement write (no cap, autocommit) and a bare round trip.
    let mut writes = Vec::new();
    for i in 0..500 {
        let start = Instant::now();
        h.store.save_link(&link("devidp", &format!("m{i}"), i)).await.expect("save");
        writes.push(start.elapsed());
    }
    let mut pings = Vec::new();
    for _ in 0..500 {
        let start = Instant::now();
        h.store.ping().await.expect("ping");
        pings.push(start.elapsed());
    }
    let start = Instant::now();
    h.store.purge_expired().await.expect("purge");
    let purge = start.elapsed();
    eprintln!(
        "{engine}, {ROWS} flows in the table: put_flow (cap check + insert) {}; take_flow {}; COUNT(*) {}; \
         baselines: one-statement write {}, SELECT 1 {}; purge with recount {:.1} ms",
        time(&mut puts),
        time(&mut takes),
        time(&mut counts),
        time(&mut writes),
        time(&mut pings),
        purge.as_secs_f64() * 1000.0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: prints the cost of the cap check at 100 000 rows"]
async fn cap_check_cost() {
    // A cap above the 100 000 rows, so every put goes through the check and succeeds.
    measure(Harness::sqlite(caps(1_000_000)).await, "SQLite").await;
    measure(Harness::postgres(caps(1_000_000)).await, "PostgreSQL").await;
}

// ---- Sessions made through the bridge, and logout token ids ---------------------------------

fn odoo_session(odoo: &str, user: i64, sub: &str, sid: Option<&str>, login_at: i64) -> OdooSession {
    OdooSession {
        odoo_id: odoo.into(),
        odoo_user_id: user,
        provider_id: "sso".into(),
        upstream_subject: sub.into(),
        upstream_sid: sid.map(str::to_string),
        email: Some(format!("{sub}@example.com")),
        login_at,
        refresh_token: None,
        revalidate_at: None,
    }
}

async fn sessions_are_found_by_subject_sid_age_and_due_revalidation(h: Harness) {
    let store = &h.store;
    let now = unix_now();
    store.save_session(&odoo_session("acme", 6, "alice", Some("sid-1"), now - 100)).await.unwrap();
    store.save_session(&odoo_session("other", 16, "alice", Some("sid-2"), now - 10)).await.unwrap();
    store.save_session(&odoo_session("acme", 7, "bob", None, now - 5000)).await.unwrap();

    let of_alice = store.sessions_of_subject("sso", "alice").await.unwrap();
    assert_eq!(of_alice.len(), 2, "Alice signed in to two Odoo: {of_alice:?}");
    assert_eq!(store.sessions_of_subject("other-provider", "alice").await.unwrap(), vec![]);
    let by_sid = store.sessions_of_sid("sso", "sid-2").await.unwrap();
    assert_eq!(by_sid.iter().map(|s| (s.odoo_id.as_str(), s.odoo_user_id)).collect::<Vec<_>>(), vec![("other", 16)]);

    let old = store.sessions_older_than("acme", now - 1000).await.unwrap();
    assert_eq!(old.iter().map(|s| s.odoo_user_id).collect::<Vec<_>>(), vec![7], "only Bob's session is older than 1000 s");

    // A new sign-in replaces the user's previous one: the old sid and time are gone.
    let mut again = odoo_session("acme", 6, "alice", Some("sid-3"), now);
    again.refresh_token = Some("clear:rt-1".into());
    again.revalidate_at = Some(now + 900);
    store.save_session(&again).await.unwrap();
    assert_eq!(store.sessions_of_sid("sso", "sid-1").await.unwrap(), vec![]);
    assert_eq!(store.session("acme", 6).await.unwrap(), Some(again.clone()));

    assert_eq!(store.sessions_due_revalidation(now).await.unwrap(), vec![], "not due yet");
    let due = store.sessions_due_revalidation(now + 900).await.unwrap();
    assert_eq!(due, vec![again.clone()]);
    // Claimed once: a second bridge finds it taken.
    let second = h.second().await;
    assert!(store.claim_revalidation("acme", 6, now + 900, now + 960).await.unwrap());
    assert!(!second.claim_revalidation("acme", 6, now + 900, now + 960).await.unwrap(), "already claimed");
    assert_eq!(store.sessions_due_revalidation(now + 900).await.unwrap(), vec![], "leased until now + 960");
    // Re-validated: rotated token, next time; a stale login time touches nothing.
    store.session_revalidated("acme", 6, now - 1, "clear:stale", now + 5000).await.unwrap();
    store.session_revalidated("acme", 6, now, "clear:rt-2", now + 1800).await.unwrap();
    let row = store.session("acme", 6).await.unwrap().unwrap();
    assert_eq!((row.refresh_token.as_deref(), row.revalidate_at), (Some("clear:rt-2"), Some(now + 1800)));
    store.drop_refresh_token("acme", 6).await.unwrap();
    assert_eq!(store.sessions_due_revalidation(now + 10_000).await.unwrap(), vec![]);

    assert!(store.delete_session("acme", 6).await.unwrap());
    assert!(!store.delete_session("acme", 6).await.unwrap(), "already gone");
    assert_eq!(store.session("acme", 6).await.unwrap(), None);
    assert_eq!(store.sessions_of_subject("sso", "alice").await.unwrap().len(), 1, "the other Odoo's session stays");
}

async fn a_logout_token_id_is_accepted_once_until_it_expires(h: Harness) {
    let store = &h.store;
    let now = unix_now();
    assert!(store.remember_logout_jti("sso", "jti-1", now + 600).await.unwrap());
    assert!(!store.remember_logout_jti("sso", "jti-1", now + 600).await.unwrap(), "a replay is refused");
    assert!(store.remember_logout_jti("other", "jti-1", now + 600).await.unwrap(), "jti is per provider");
    // Raced from another bridge: exactly one wins.
    let second = h.second().await;
    let (a, b) = tokio::join!(store.remember_logout_jti("sso", "jti-2", now + 600), second.remember_logout_jti("sso", "jti-2", now + 600));
    assert_eq!(u8::from(a.unwrap()) + u8::from(b.unwrap()), 1, "one of two simultaneous deliveries is the replay");
    // A failed logout forgets its jti so the provider's retry is accepted.
    store.forget_logout_jti("sso", "jti-1").await.unwrap();
    assert!(store.remember_logout_jti("sso", "jti-1", now + 600).await.unwrap());
    // Expired ids are purged and no longer count.
    assert!(store.remember_logout_jti("sso", "old", now - 1).await.unwrap());
    assert!(store.remember_logout_jti("sso", "old", now + 600).await.unwrap(), "an expired id no longer blocks");
    assert!(store.remember_logout_jti("sso", "old2", now - 1).await.unwrap());
    assert_eq!(store.purge_logout_jtis(now).await.unwrap(), 1);
}
