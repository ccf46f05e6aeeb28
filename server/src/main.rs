//! The `login-bridge` binary.
//! It must never print a secret, even when the config is wrong.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    login_bridge::cli::main()
}
