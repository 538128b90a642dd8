//! `quire`: see `quire --help` and docs/CONTENT.md.

fn main() {
    std::process::exit(quire::cli::main_with(std::env::args_os().skip(1)));
}
