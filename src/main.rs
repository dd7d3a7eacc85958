use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    kizuna::cli::main_with(kizuna::cli::Cli::parse())
}

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
