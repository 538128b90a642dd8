//! `quire`: see `quire --help` and docs/CONTENT.md.

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(quire::main_with(std::env::args_os().skip(1)));
}
