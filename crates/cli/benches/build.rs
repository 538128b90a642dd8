//! Prints figures for `quire build` on generated blogs (quire-devtools' gen-corpus): wall
//! time and peak memory (via `/usr/bin/time -v` when present) of a build into an empty
//! folder and of a rebuild over the previous output, plus the bundle's sizes.
//!
//! `cargo build --profile cli -p quire && QUIRE_BIN=target/cli/quire cargo bench -p quire --bench build`
//! Sizes: `QUIRE_BENCH_SIZES=1000,10000` (default).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn old_outputs(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |rd| {
        rd.flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".old"))
            .count()
    })
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let bin = std::env::var_os("QUIRE_BIN")
        .map(PathBuf::from)
        .map(|p| if p.is_absolute() { p } else { root.join(p) })
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_quire")));
    let sizes: Vec<usize> = std::env::var("QUIRE_BENCH_SIZES")
        .unwrap_or_else(|_| "1000,10000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let has_time = Path::new("/usr/bin/time").is_file();
    println!("binary: {}", bin.display());
    println!(
        "cores: {}",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let work = tempfile::tempdir().expect("temp dir");
    for n in sizes {
        let content = work.path().join(format!("c{n}"));
        let out = work.path().join(format!("o{n}"));
        quire_devtools::generate(n, quire_devtools::DEFAULT_SEED, &content)
            .expect("gen-corpus writes the corpus");
        for run in ["fresh", "rebuild"] {
            let mut cmd = if has_time {
                let mut c = Command::new("/usr/bin/time");
                c.arg("-v").arg(&bin);
                c
            } else {
                Command::new(&bin)
            };
            cmd.args(["build", "--content"])
                .arg(&content)
                .arg("--out")
                .arg(&out)
                .env("QUIRE_TIMING", "1");
            let started = Instant::now();
            let o = cmd.output().expect("quire runs");
            let wall = started.elapsed().as_secs_f64();
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(o.status.success(), "{err}");
            let rss_kb = err
                .lines()
                .find_map(|l| {
                    l.trim()
                        .strip_prefix("Maximum resident set size (kbytes): ")
                })
                .and_then(|v| v.trim().parse::<u64>().ok());
            let cpu = |label: &str| {
                err.lines()
                    .find_map(|l| l.trim().strip_prefix(label))
                    .and_then(|v| v.trim().parse::<f64>().ok())
                    .unwrap_or(f64::NAN)
            };
            println!(
                "{n} posts, {run}: wall {wall:.2} s, user {:.2} s, sys {:.2} s, peak RSS {}",
                cpu("User time (seconds): "),
                cpu("System time (seconds): "),
                rss_kb.map_or("n/a".into(), |k| format!("{:.1} MB", k as f64 / 1024.0))
            );
            for l in err.lines().filter(|l| l.starts_with("quire: timing: ")) {
                println!("    {}", &l["quire: timing: ".len()..]);
            }
            // The previous output is deleted by a detached quire after the swap; wait for
            // it so the next run does not compete with it, and say how long it took.
            let waited = Instant::now();
            while old_outputs(work.path()) > 0 && waited.elapsed().as_secs() < 600 {
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            if run == "rebuild" {
                println!(
                    "    previous output deleted in the background {:.2} s after quire exited",
                    waited.elapsed().as_secs_f64()
                );
            }
        }
        let index_bytes = std::fs::metadata(out.join("data/index.json")).map_or(0, |m| m.len());
        let index: quire_core::Index = quire_core::Index::from_json(
            &std::fs::read_to_string(out.join("data/index.json")).unwrap(),
        )
        .unwrap();
        let first_summary =
            std::fs::metadata(out.join("data").join(&index.summaries[0])).map_or(0, |m| m.len());
        println!(
            "{n} posts, bundle: index.json {:.1} KB, {} summary chunks + {} body chunks = {:.1} MB; first page needs index + 1 summary chunk = {:.1} KB",
            index_bytes as f64 / 1024.0,
            index.summaries.len(),
            index.bodies.len(),
            index.chunk_bytes as f64 / 1024.0 / 1024.0,
            (index_bytes + first_summary) as f64 / 1024.0
        );
    }
}
