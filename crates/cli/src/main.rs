//! `quire`: see `quire --help` and docs/CONTENT.md.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(quire::cli::main_with(&args));
}
