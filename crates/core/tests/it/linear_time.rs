//! Rendering time grows linearly with the input, for adversarial shapes too: each shape is
//! rendered at about 100 KB and 400 KB, and the 4× input may take about 5× the time at
//! most (linear is 4×; the test fails above 6×, to leave room for cache effects and noise
//! on a shared machine; a quadratic scan takes 16×). Each size is timed a few times and the minimum taken, and a
//! shape over the limit is measured again before the test fails, so that a busy machine
//! does not make it flaky. On Linux the time is the thread's CPU time
//! (`CLOCK_THREAD_CPUTIME_ID`), which other processes on a shared machine do not inflate;
//! elsewhere it is wall time.
//!
//! `cargo test --release -p quire-core --test it linear_time -- --nocapture` prints the times.

use quire_core::RawHtml;
use quire_core::markdown::render;
use std::time::{Duration, Instant};

/// `(name, prefix, repeated unit, suffix)`: the input is the prefix, the unit repeated to
/// the size, and the suffix.
const SHAPES: &[(&str, &str, &str, &str)] = &[
    ("comments", "<div>\n", "<!--a-->", ""),
    ("comments ended by --!>", "<div>\n", "<!--a--!>", ""),
    ("unclosed comment", "<div>\n<!--", "a-", ""),
    ("dashes in a comment", "<div>\n<!--", "-!-", "-->"),
    ("ampersands without ;", "<div>\n", "&", ""),
    ("reference-like runs", "<div>\n", "&#x41", ""),
    (
        "named-reference runs",
        "<div>\n<a title=\"",
        "&Tab",
        "\">x</a>",
    ),
    ("nested brackets", "", "[", ""),
    ("nested image brackets", "", "![", ""),
    ("links in links", "", "[a](", ""),
    ("long attribute run", "<div>\n<b", " a=b", ">x</b>"),
    ("unfinished attribute run", "<div>\n<b", " a=\"b\"", ""),
    ("unclosed tags", "<div>\n", "<b>", ""),
    ("unclosed blocks", "<div>\n", "<div><p>", ""),
    ("stray end tags", "<div>\n", "</b></div>", ""),
    ("unfinished tags", "<div>\n", "<a x=a", ""),
    ("script openers", "<div>\n", "<script>", ""),
    (
        "script with near-miss ends",
        "<div>\n<script>",
        "</scripty>",
        "",
    ),
    ("tables in tables", "<div>\n", "<table><tr><td>", ""),
    ("rows outside tables", "<div>\n", "<tr><td>x", ""),
    ("ruby annotations", "<div>\n<ruby>", "<p><rt>x", ""),
    ("nested anchors", "<div>\n", "<a href=\"/\">x", ""),
    ("headings", "<div>\n", "<h1>x</h2>", ""),
    (
        "long table",
        "| a | b |\n|---|---|\n",
        "| <b>c</b> | d |\n",
        "",
    ),
];

fn input(prefix: &str, unit: &str, suffix: &str, size: usize) -> String {
    let mut s = String::with_capacity(size + prefix.len() + suffix.len() + unit.len());
    s.push_str(prefix);
    while s.len() < size {
        s.push_str(unit);
    }
    s.push_str(suffix);
    s
}

/// This thread's CPU time so far (Linux), from the C library every Rust program on Linux
/// links anyway.
#[cfg(target_os = "linux")]
fn cpu_time() -> Option<Duration> {
    #[repr(C)]
    struct Timespec {
        sec: i64,
        nsec: i64,
    }
    unsafe extern "C" {
        fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut ts = Timespec { sec: 0, nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec (two 64-bit fields on 64-bit Linux).
    let ok = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0;
    (ok && cfg!(target_pointer_width = "64")).then(|| Duration::new(ts.sec as u64, ts.nsec as u32))
}

#[cfg(not(target_os = "linux"))]
fn cpu_time() -> Option<Duration> {
    None
}

/// The fastest of `runs` renderings of `md` under `sanitize` (the policy that runs every
/// pass: Markdown, the sanitizer and balance).
fn time(md: &str, runs: usize) -> Duration {
    (0..runs)
        .map(|_| {
            let (wall, cpu) = (Instant::now(), cpu_time());
            std::hint::black_box(render(std::hint::black_box(md), RawHtml::Sanitize));
            match (cpu, cpu_time()) {
                (Some(a), Some(b)) => b.saturating_sub(a),
                _ => wall.elapsed(),
            }
        })
        .min()
        .expect("runs > 0")
}

#[test]
fn adversarial_inputs_render_in_linear_time() {
    const SMALL: usize = 100_000;
    const LARGE: usize = 400_000;
    const LIMIT: f64 = 6.0;
    let mut failures = Vec::new();
    for &(name, prefix, unit, suffix) in SHAPES {
        let small = input(prefix, unit, suffix, SMALL);
        let large = input(prefix, unit, suffix, LARGE);
        let (mut t_small, mut t_large) = (Duration::MAX, Duration::MAX);
        let mut ratio = f64::INFINITY;
        for _round in 0..4 {
            t_small = t_small.min(time(&small, 3));
            t_large = t_large.min(time(&large, 3));
            // Below a millisecond the clock and the allocator dominate; such a shape is
            // fast whatever its growth.
            let floor = Duration::from_millis(1).as_secs_f64();
            ratio = t_large.as_secs_f64() / t_small.as_secs_f64().max(floor / LIMIT);
            if ratio <= LIMIT || t_large.as_secs_f64() < floor {
                break;
            }
        }
        println!(
            "{name:>28}: 100 KB {:>8.2} ms, 400 KB {:>8.2} ms, ×{ratio:.1}",
            t_small.as_secs_f64() * 1e3,
            t_large.as_secs_f64() * 1e3
        );
        if ratio > LIMIT && t_large >= Duration::from_millis(1) {
            failures.push(format!("{name}: ×{ratio:.1}"));
        }
    }
    assert!(
        failures.is_empty(),
        "time grew faster than {LIMIT}× for 4× the input: {failures:?}"
    );
}
