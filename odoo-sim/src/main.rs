// Owns: the `odoo-sim` command line (seed file, listen address, logging).
// Must never contain simulator behaviour; it only starts `odoo_sim::serve`.

use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Odoo simulator: a fake Odoo 18 server with auth_oauth, for tests and demos.
#[derive(Debug, Parser)]
#[command(name = "odoo-sim", version)]
struct Cli {
    /// Seed file (JSON) describing the database; defaults to the bundled transcripts seed.
    #[arg(long)]
    seed: Option<PathBuf>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8069")]
    listen: SocketAddr,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let cli = Cli::parse();
    let seed = match &cli.seed {
        Some(path) => match odoo_sim::Seed::from_file(path) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("odoo-sim: {e}");
                return std::process::ExitCode::from(2);
            }
        },
        None => odoo_sim::Seed::transcripts(),
    };
    let listener = match tokio::net::TcpListener::bind(cli.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("odoo-sim: cannot listen on {}: {e}", cli.listen);
            return std::process::ExitCode::from(1);
        }
    };
    tracing::info!(
        "Odoo {} simulator for database {:?} on http://{}",
        seed.version,
        seed.database,
        cli.listen
    );
    match odoo_sim::serve(seed, listener).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("odoo-sim: {e}");
            std::process::ExitCode::from(1)
        }
    }
}
