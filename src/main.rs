//! The `runbook` binary.

fn main() -> std::process::ExitCode {
    runbook::cli::main()
}
