//! `quire-devtools`: see `quire-devtools --help`.

use quire_devtools::{DEFAULT_SEED, corpus};
use std::path::PathBuf;
use std::process::ExitCode;

const HELP: &str = "\
quire-devtools — tools for working on Quire

USAGE:
    quire-devtools gen-corpus N DIR [--seed S] [--reuse]
    quire-devtools modules SRC...
    quire-devtools relevance SITE [--max N] [--cases FILE] [--json] [--plan QUERY]...

COMMANDS:
    gen-corpus  Write a synthetic blog of N posts into DIR (missing or empty): site.toml
                and posts/*.md, the same bytes for the same N and seed (default 7).
                --reuse keeps DIR as it is when it already holds that corpus, and
                otherwise replaces it.
    modules     Print which module of each crate uses which (SRC: a crate's src/
                folder, e.g. crates/cli/src), then every import circle; exits 1 if
                there is one.
    relevance   Generate the search relevance cases of a site `quire build` wrote to
                SITE (at most N of each kind, default 300), run them against its
                index and print top-1 and top-3 accuracy and the failures. --cases
                writes the cases as JSON (for bench/relevance.mjs); --json prints
                the scores as JSON instead of the table. --plan QUERY (repeatable)
                prints instead the files each query fetches: manifest and shards.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Usage(msg)) if msg.is_empty() => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        Err(Usage(msg)) => {
            eprintln!("quire-devtools: {msg}\n\n{HELP}");
            ExitCode::from(2)
        }
    }
}

struct Usage(String);

fn run(args: &[String]) -> Result<(), Usage> {
    match args.first().map(String::as_str) {
        None | Some("-h" | "--help" | "help") => Err(Usage(String::new())),
        Some("gen-corpus") => gen_corpus(&args[1..]),
        Some("modules") => modules(&args[1..]),
        Some("relevance") => relevance(&args[1..]),
        Some(other) => Err(Usage(format!("unknown command {other:?}"))),
    }
}

fn gen_corpus(args: &[String]) -> Result<(), Usage> {
    let mut positional = Vec::new();
    let mut seed = DEFAULT_SEED;
    let mut reuse = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seed" => {
                seed = it
                    .next()
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| Usage("--seed needs a whole number".into()))?;
            }
            "--reuse" => reuse = true,
            "-h" | "--help" => return Err(Usage(String::new())),
            flag if flag.starts_with('-') => {
                return Err(Usage(format!("unknown option {flag:?}")));
            }
            _ => positional.push(a),
        }
    }
    let [n, dir] = positional[..] else {
        return Err(Usage("gen-corpus needs N and DIR".into()));
    };
    let n: usize = n
        .parse()
        .map_err(|_| Usage(format!("N must be a whole number, not {n:?}")))?;
    let dir = PathBuf::from(dir);
    let started = std::time::Instant::now();
    let result = if reuse {
        corpus::ensure(n, seed, &dir).map(|fresh| fresh.then_some(None))
    } else {
        corpus::generate(n, seed, &dir).map(|s| Some(Some(s)))
    };
    match result {
        Ok(None) => eprintln!("gen-corpus: {} already holds it; kept", dir.display()),
        Ok(Some(summary)) => {
            let detail = summary.map_or_else(String::new, |s| {
                format!(
                    ", {} KB, {} tags ({:.1} a post)",
                    s.bytes / 1024,
                    s.tags,
                    s.tag_uses as f64 / s.posts.max(1) as f64
                )
            });
            eprintln!(
                "gen-corpus: {n} posts (seed {seed}) → {}{detail} in {:.2} s",
                dir.display(),
                started.elapsed().as_secs_f64()
            );
        }
        Err(e) => {
            eprintln!("gen-corpus: error: {e}");
            std::process::exit(1);
        }
    }
    Ok(())
}

fn modules(dirs: &[String]) -> Result<(), Usage> {
    if dirs.is_empty() {
        return Err(Usage("modules needs at least one src/ folder".into()));
    }
    let mut circles = 0;
    for dir in dirs {
        let graph = match quire_devtools::modgraph::read(std::path::Path::new(dir)) {
            Ok(g) => g,
            Err(e) => {
                eprintln!("modules: {dir}: {e}");
                std::process::exit(1);
            }
        };
        println!("# {dir}\n{}", graph.render());
        for c in graph.circles() {
            println!("import circle in {dir}: {}", c.join(" → "));
            circles += 1;
        }
    }
    if circles > 0 {
        std::process::exit(1);
    }
    println!("no import circles");
    Ok(())
}

fn relevance(args: &[String]) -> Result<(), Usage> {
    use quire_devtools::relevance;
    let mut site = None;
    let mut max = 300;
    let mut cases_out = None;
    let mut json = false;
    let mut plans: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--max" => {
                max = it
                    .next()
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| Usage("--max needs a whole number".into()))?;
            }
            "--cases" => {
                cases_out = Some(
                    it.next()
                        .ok_or_else(|| Usage("--cases needs a file".into()))?,
                );
            }
            "--json" => json = true,
            "--plan" => plans.push(
                it.next()
                    .ok_or_else(|| Usage("--plan needs a query".into()))?
                    .clone(),
            ),
            flag if flag.starts_with('-') => {
                return Err(Usage(format!("unknown option {flag:?}")));
            }
            _ => site = Some(PathBuf::from(a)),
        }
    }
    let site = site.ok_or_else(|| Usage("relevance needs SITE".into()))?;
    let loaded = match relevance::load(&site) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("relevance: {}: {e}", site.display());
            std::process::exit(1);
        }
    };
    if !plans.is_empty() {
        // The files each query fetches (the manifest, then its planned shards), one
        // line a query: `query<TAB>file file…`.
        let manifest = loaded.index.search.clone().unwrap_or_default();
        for q in &plans {
            let query = quire_core::search::Query::parse(q, loaded.manifest.stem);
            let files: Vec<&str> = query
                .plan(&loaded.manifest)
                .into_iter()
                .map(|i| loaded.manifest.shards[i].file.as_str())
                .collect();
            println!("{q}\t{manifest} {}", files.join(" "));
        }
        return Ok(());
    }
    let cases = relevance::cases(&loaded, max);
    if let Some(file) = cases_out
        && let Err(e) = std::fs::write(file, relevance::cases_json(&loaded, &cases))
    {
        eprintln!("relevance: {file}: {e}");
        std::process::exit(1);
    }
    let scores = relevance::evaluate(&loaded, &cases);
    if json {
        let rows: Vec<String> = scores
            .iter()
            .map(|(k, s)| {
                format!(
                    "\"{}\":{{\"cases\":{},\"top1\":{},\"top3\":{}}}",
                    k.id(),
                    s.cases,
                    s.top1,
                    s.top3
                )
            })
            .collect();
        println!("{{{}}}", rows.join(","));
        return Ok(());
    }
    print!("{}", relevance::table(&scores));
    for (kind, s) in &scores {
        for (q, post, rank) in s.failures.iter().take(15) {
            let rank = rank.map_or("not found".to_string(), |r| format!("rank {r}"));
            println!(
                "{}: {q:?} → {}: {rank}",
                kind.id(),
                loaded.index.posts[*post].slug
            );
        }
    }
    Ok(())
}
