//! Fresh Odoo tokens for `make bench`'s tokeninfo runs. Tokens are single use and stored only as
//! hashes, so a load test needs a pool of new ones it knows in plain text. This mints them as a
//! finished login does (`random_256`, stored as `digest`, for one Odoo, valid
//! `ODOO_TOKEN_TTL_SECS` from when they are written), writes the plain tokens into one file per
//! wrk thread so that each is presented once, then asks `Store::token_odoo` about a sample: the
//! bridge's own lookup must find them, so a change of hash or schema fails here, not in wrk.
//! The store is in WAL mode: it may be filled while the bridge runs. The rows bypass the
//! live-token count (`row_counts`, checked when a login mints a token): this measures redeeming,
//! and the bridge's purge recounts the table within a minute.
//!
//! `cargo run --release -p login-bridge --example bench_tokens -- --db PATH --count N --shards K --out DIR`

use clap::Parser;
use login_bridge::{
    config::{StoreBackend, StoreCaps, StoreConfig},
    store::Store,
    tokens::{digest, random_256, unix_now, ODOO_TOKEN_TTL_SECS},
};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use std::{io::Write, path::PathBuf, time::Duration, time::Instant};

#[derive(Parser)]
struct Args {
    /// The bridge's SQLite file (the `[store] url` of the bench config).
    #[arg(long)]
    db: PathBuf,
    #[arg(long)]
    count: usize,
    /// One file per wrk thread: tokens-0.txt … tokens-{K-1}.txt.
    #[arg(long, default_value_t = 1)]
    shards: usize,
    #[arg(long)]
    out: PathBuf,
    /// The `[[odoo]] id` the tokens are minted for.
    #[arg(long, default_value = "acme")]
    odoo: String,
}

/// Rows per transaction. `Store::put_token` commits each token on its own (a login mints one);
/// at a few thousand commits a second that would make a pool for a 10 s run take minutes.
const BATCH: usize = 5_000;
/// Rows per INSERT statement (6 parameters each, far below SQLite's limit of 32766).
const ROWS_PER_INSERT: usize = 500;
const SAMPLE: usize = 200;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    // Creates the file and its tables if the bridge has not yet, exactly as the bridge would.
    let store = Store::open(&StoreConfig { backend: StoreBackend::Sqlite { path: args.db.clone() }, caps: StoreCaps::default() }).await?;
    let options = SqliteConnectOptions::new()
        .filename(&args.db)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(30));
    let pool = sqlx::SqlitePool::connect_with(options).await?;

    std::fs::create_dir_all(&args.out)?;
    let mut files = (0..args.shards.max(1))
        .map(|i| std::fs::File::create(args.out.join(format!("tokens-{i}.txt"))).map(std::io::BufWriter::new))
        .collect::<Result<Vec<_>, _>>()?;
    let started = Instant::now();
    let first_expiry = unix_now() + ODOO_TOKEN_TTL_SECS;
    let mut sample = Vec::with_capacity(SAMPLE);
    let mut written = 0usize;
    while written < args.count {
        let mut tx = pool.begin().await?;
        // Each batch gets its own expiry: a token lives a full TTL after it was written.
        let expires_at = unix_now() + ODOO_TOKEN_TTL_SECS;
        let mut left = BATCH.min(args.count - written);
        while left > 0 {
            let rows = ROWS_PER_INSERT.min(left);
            let mut tokens = Vec::with_capacity(rows);
            for _ in 0..rows {
                let token = random_256();
                let shard = written % files.len();
                writeln!(files[shard], "{token}")?;
                // Spread over the whole pool: first, middle and last batches.
                if written % (args.count / SAMPLE).max(1) == 0 && sample.len() < SAMPLE {
                    sample.push(token.clone());
                }
                tokens.push(token);
                written += 1;
            }
            let mut insert = sqlx::QueryBuilder::new("INSERT INTO issued_tokens (token_hash, odoo_id, subject, email, name, expires_at) ");
            insert.push_values(&tokens, |mut row, token| {
                row.push_bind(digest(token))
                    .push_bind(&args.odoo)
                    .push_bind("login-bridge-6")
                    .push_bind("alice@example.com")
                    .push_bind("Alice Example")
                    .push_bind(expires_at);
            });
            insert.build().execute(&mut *tx).await?;
            left -= rows;
        }
        tx.commit().await?;
    }
    for file in &mut files {
        file.flush()?;
    }
    let seconds = started.elapsed().as_secs_f64();
    for token in &sample {
        match store.token_odoo(token).await? {
            Some(odoo) if odoo == args.odoo => {}
            other => return Err(format!("the bridge's store does not see a pool token as a live token of {}: {other:?}", args.odoo).into()),
        }
    }
    println!(
        "{{\"tokens\":{written},\"shards\":{},\"seconds\":{seconds:.3},\"ttl_s\":{ODOO_TOKEN_TTL_SECS},\"first_expires_at\":{first_expiry},\"checked_through_store\":{}}}",
        files.len(),
        sample.len()
    );
    Ok(())
}
