//! The output folder under attack and interruption (issue 20, classes 8 and 9): a planted
//! or forged manifest deletes nothing quire cannot prove it wrote, manifest lines never
//! lead out of the output, and a build killed in the middle of its swap is finished by
//! the next one, whose output then equals a clean build's.

use crate::common::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Every entry under `dir`, symlinks not followed: a file's length and hash, a folder,
/// or a symlink's target.
fn tree(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, String>) {
        let Ok(rd) = fs::read_dir(dir) else { return };
        for e in rd.flatten() {
            let p = e.path();
            let rel = p.strip_prefix(base).unwrap().to_path_buf();
            let meta = fs::symlink_metadata(&p).unwrap();
            if meta.file_type().is_symlink() {
                out.insert(rel, format!("-> {}", fs::read_link(&p).unwrap().display()));
            } else if meta.is_dir() {
                out.insert(rel, "folder".into());
                walk(base, &p, out);
            } else {
                let bytes = fs::read(&p).unwrap();
                let sum = quire_core::bundle::content_hash(&bytes);
                out.insert(rel, format!("{} bytes, {sum}", bytes.len()));
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

/// `quire build --content C --out O`, under the memory cap and a time limit.
fn build(content: &Path, out: &Path) -> Limited {
    let r = quire_limited(
        &[
            "build",
            "--content",
            content.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        HOSTILE_MEMORY_CAP,
        120,
    );
    let err = stderr(&r.output);
    assert!(!r.timed_out, "timed out after {:.1} s\n{err}", r.seconds);
    assert!(!err.contains("panicked"), "{err}");
    r
}

fn build_ok(content: &Path, out: &Path) -> String {
    let r = build(content, out);
    let err = stderr(&r.output);
    assert!(r.output.status.success(), "{err}");
    err
}

/// The temporary folders (and journal) beside `out`, once the background remover is
/// done with the trash.
fn leftovers(out: &Path) -> Vec<String> {
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    let list = || -> Vec<String> {
        fs::read_dir(out.parent().unwrap())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| {
                n.starts_with(&format!(".{name}.quire-tmp-"))
                    || n.starts_with(&format!(".{name}.quire-journal"))
            })
            .collect()
    };
    let started = Instant::now();
    while !list().is_empty() && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(50));
    }
    list()
}

fn journal(out: &Path) -> PathBuf {
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    out.with_file_name(format!(".{name}.quire-journal"))
}

const NOT_OURS: &str = "error: not written by quire (or changed since it was); move it away or delete it, then build again";

#[test]
fn a_planted_manifest_deletes_nothing_quire_cannot_prove_it_wrote() {
    let blog = Blog::new(SITE);
    blog.post("a.md", &post("A", "2024-01-01", "", "b"));
    let out = blog.out();
    let plant = |manifest: &str| {
        let _ = fs::remove_dir_all(&out);
        fs::create_dir_all(out.join("keep")).unwrap();
        fs::create_dir_all(out.join(".git/refs")).unwrap();
        fs::write(out.join("keep/notes.txt"), "mine").unwrap();
        fs::write(out.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
        fs::write(out.join(quire::MANIFEST), manifest).unwrap();
    };
    let forged = format!(
        "# quire manifest 2: …\nd 1 4 {h} keep\nd 2 21 {h} .git\n",
        h = "5f".repeat(16)
    );
    // An older quire's plain list, and one in today's format with made-up fingerprints.
    for manifest in ["keep\n.git\n", forged.as_str()] {
        plant(manifest);
        let err = build_ok(&blog.content(), &out);
        assert_eq!(
            fs::read_to_string(out.join("keep/notes.txt")).unwrap(),
            "mine"
        );
        assert!(out.join(".git/refs").is_dir());
        assert_eq!(
            fs::read_to_string(out.join(".git/HEAD")).unwrap(),
            "ref: refs/heads/main\n"
        );
        assert!(out.join("post/a/index.html").is_file());
        let keep = format!("{}: warning: listed in ", out.join("keep").display());
        assert!(err.contains(&keep) && err.contains("left alone"), "{err}");
        let git = format!(
            "{}: warning: listed in .quire-manifest, but quire never deletes a name that starts with '.'",
            out.join(".git").display()
        );
        assert!(err.contains(&git), "{err}");
        // The new manifest lists what quire wrote, not what it left alone.
        let m = fs::read_to_string(out.join(quire::MANIFEST)).unwrap();
        assert!(
            m.contains(" post\n") && !m.contains(" keep\n") && !m.contains(".git"),
            "{m}"
        );
    }
    // A build that writes the name stops before changing anything.
    plant("keep\n.git\n");
    blog.post(
        "a.md",
        &post("A", "2024-01-01", "aliases: [\"/keep/\"]\n", "b"),
    );
    let before = tree(&out);
    let r = build(&blog.content(), &out);
    let err = stderr(&r.output);
    assert_eq!(r.output.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("{}: {NOT_OURS}", out.join("keep").display())),
        "{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(before, tree(&out));
    assert!(leftovers(&out).is_empty());
}

#[cfg(unix)]
#[test]
fn manifest_lines_that_leave_the_output_or_name_symlinks_are_never_followed() {
    use std::os::unix::fs::symlink;
    let blog = Blog::new(SITE);
    blog.post("a.md", &post("A", "2024-01-01", "", "b"));
    let root = blog.root.path();
    let out = blog.out();
    let victim = root.join("victim");
    fs::create_dir_all(victim.join("deep")).unwrap();
    fs::write(victim.join("deep/secret.txt"), "secret").unwrap();
    fs::write(victim.join("list"), "keep\n").unwrap();
    let plant = || {
        let _ = fs::remove_dir_all(&out);
        fs::create_dir_all(out.join("sub")).unwrap();
        fs::create_dir_all(out.join("keep")).unwrap();
        fs::write(out.join("sub/inner.txt"), "inner").unwrap();
        fs::write(out.join("keep/k.txt"), "k").unwrap();
        symlink(&victim, out.join("link")).unwrap();
        symlink("../victim/deep/secret.txt", out.join("file-link")).unwrap();
    };
    let manifests = [
        format!(
            "../victim\n{}\n/etc\nsub/inner.txt\n..\n.\nlink\nfile-link\n",
            victim.display()
        ),
        format!(
            "# quire manifest 2\nd 2 6 {h} ../victim\nd 2 6 {h} link\nf 1 6 {h} file-link\nd 1 5 {h} sub%2Finner.txt\n",
            h = "ab".repeat(16)
        ),
    ];
    for manifest in &manifests {
        plant();
        fs::write(out.join(quire::MANIFEST), manifest).unwrap();
        build_ok(&blog.content(), &out);
        assert_eq!(
            fs::read_to_string(victim.join("deep/secret.txt")).unwrap(),
            "secret"
        );
        assert_eq!(fs::read_link(out.join("link")).unwrap(), victim);
        assert!(
            fs::symlink_metadata(out.join("file-link"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            fs::read_to_string(out.join("sub/inner.txt")).unwrap(),
            "inner"
        );
    }
    // A manifest that is itself a symlink (here to a list naming `keep`) is not read;
    // the link is replaced, what it points to is not touched.
    plant();
    symlink(victim.join("list"), out.join(quire::MANIFEST)).unwrap();
    let err = build_ok(&blog.content(), &out);
    assert!(err.contains("ignored: not a regular file"), "{err}");
    assert_eq!(fs::read_to_string(out.join("keep/k.txt")).unwrap(), "k");
    assert_eq!(fs::read_to_string(victim.join("list")).unwrap(), "keep\n");
    assert!(
        fs::symlink_metadata(out.join(quire::MANIFEST))
            .unwrap()
            .is_file()
    );
    // Nor a link to an endless file: no hang, no memory blow-up.
    plant();
    symlink("/dev/zero", out.join(quire::MANIFEST)).unwrap();
    build_ok(&blog.content(), &out);
    assert_eq!(fs::read_to_string(out.join("keep/k.txt")).unwrap(), "k");
}

#[test]
fn a_forged_or_changed_manifest_entry_is_never_replaced_or_deleted() {
    let blog = Blog::new(SITE);
    blog.post("a.md", &post("A", "2024-01-01", "tags: [one]\n", "b"));
    blog.post("b.md", &post("B", "2024-01-02", "tags: [one]\n", "c"));
    let out = blog.out();
    build_ok(&blog.content(), &out);
    fs::write(out.join("app.wasm"), b"trunk's").unwrap();
    // The user keeps a page of their own in quire's post/: post/ is no longer what quire
    // wrote, so a build that writes post/ again stops, naming it.
    fs::write(out.join("post/mine.html"), "my page").unwrap();
    // A line added for a folder quire never wrote, with a fingerprint that looks right.
    fs::create_dir_all(out.join("notes")).unwrap();
    fs::write(out.join("notes/n.txt"), "n").unwrap();
    let mut m = fs::read_to_string(out.join(quire::MANIFEST)).unwrap();
    m.push_str(&format!("d 1 1 {} notes\n", "0123456789abcdef".repeat(2)));
    fs::write(out.join(quire::MANIFEST), &m).unwrap();
    let before = tree(&out);
    let r = build(&blog.content(), &out);
    let err = stderr(&r.output);
    assert_eq!(r.output.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("{}: {NOT_OURS}", out.join("post").display())),
        "{err}"
    );
    assert_eq!(before, tree(&out));
    // Moved away: the build goes ahead; the forged entry is left alone, with a warning.
    fs::remove_file(out.join("post/mine.html")).unwrap();
    let err = build_ok(&blog.content(), &out);
    assert!(
        err.contains(&format!(
            "{}: warning: listed in .quire-manifest, but not written by quire (or changed since it was): left alone",
            out.join("notes").display()
        )),
        "{err}"
    );
    assert_eq!(fs::read_to_string(out.join("notes/n.txt")).unwrap(), "n");
    assert_eq!(fs::read(out.join("app.wasm")).unwrap(), b"trunk's");
    // What quire provably wrote and no longer writes goes, in the folder and in a copy
    // of it (fingerprints hold no inode or time, so a copied output stays buildable).
    let copy = blog.root.path().join("copy");
    copy_tree(&out, &copy);
    blog.post("a.md", &post("A", "2024-01-01", "", "b"));
    blog.post("b.md", &post("B", "2024-01-02", "", "c"));
    for dir in [&out, &copy] {
        build_ok(&blog.content(), dir);
        assert!(!dir.join("tag").exists(), "{}", dir.display());
        assert!(dir.join("notes/n.txt").is_file());
        assert!(dir.join("app.wasm").is_file());
    }
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap().flatten() {
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if e.file_type().unwrap().is_dir() {
            copy_tree(&src, &dst);
        } else {
            fs::copy(&src, &dst).unwrap();
        }
    }
}

#[test]
fn an_older_quires_output_stays_buildable_and_loses_nothing() {
    let blog = Blog::new(SITE);
    blog.post("a.md", &post("A", "2024-01-01", "tags: [one]\n", "b"));
    let out = blog.out();
    build_ok(&blog.content(), &out);
    // The manifest as an older quire wrote it: the names alone.
    let m = fs::read_to_string(out.join(quire::MANIFEST)).unwrap();
    let names: Vec<&str> = m
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.rsplit(' ').next().unwrap())
        .collect();
    fs::write(
        out.join(quire::MANIFEST),
        format!(
            "# written by quire: the entries it replaces on the next build\n{}\n",
            names.join("\n")
        ),
    )
    .unwrap();
    let old_post = tree(&out.join("post"));
    blog.post("a.md", &post("A2", "2024-01-01", "", "b2"));
    let err = build_ok(&blog.content(), &out);
    // The entries the build replaces are kept beside the output, not deleted.
    let backup = blog.root.path().join("dist.quire-upgrade-backup");
    assert_eq!(tree(&backup.join("post")), old_post);
    assert!(
        err.contains(&format!("{}: warning: ", backup.display()))
            && err.contains("delete this folder once you have checked it"),
        "{err}"
    );
    // What the older manifest lists and the build no longer writes is left alone.
    assert!(out.join("tag/one/index.html").is_file());
    assert!(
        err.contains(&format!(
            "{}: warning: listed in an older quire's",
            out.join("tag").display()
        )),
        "{err}"
    );
    assert!(blog.read("post/a/index.html").contains("A2"));
    // From now on the manifest has fingerprints: the next build is quiet about it.
    assert!(
        fs::read_to_string(out.join(quire::MANIFEST))
            .unwrap()
            .starts_with("# quire manifest 2")
    );
    let err = build_ok(&blog.content(), &out);
    assert!(
        !err.contains("older quire") && !err.contains("left alone"),
        "{err}"
    );
}

/// Two versions of a blog of `n` posts, each post with `aliases` top-level alias folders:
/// the second renames every alias and retitles every post.
fn alias_blogs(root: &Path, n: usize, aliases: usize) -> (PathBuf, PathBuf) {
    let site = "title = \"Aliases\"\nauthor = \"Ada\"\nbase_url = \"https://blog.example/\"\n";
    let mut dirs = Vec::new();
    for (v, (title, prefix)) in [("Post", "old"), ("New title", "new")].iter().enumerate() {
        let dir = root.join(format!("content{v}"));
        fs::create_dir_all(dir.join("posts")).unwrap();
        fs::write(dir.join("site.toml"), site).unwrap();
        for i in 0..n {
            let list: Vec<String> = (0..aliases)
                .map(|k| format!("\"/{prefix}{i}-{k}/\""))
                .collect();
            fs::write(
                dir.join(format!("posts/p{i}.md")),
                format!(
                    "---\ntitle: {title} {i}\ndate: 2024-01-{:02}\ntags: [t{}]\naliases: [{}]\n---\nBody {i}.\n",
                    1 + i % 28,
                    i % 7,
                    list.join(", ")
                ),
            )
            .unwrap();
        }
        dirs.push(dir);
    }
    (dirs.remove(0), dirs.remove(0))
}

/// Runs a build with `QUIRE_TEST_ABORT_AFTER_MOVES=moves`: the test hook that aborts the
/// process (as SIGKILL would) after that many moves.
fn build_aborting(content: &Path, out: &Path, moves: usize) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_quire"))
        .args([
            "build",
            "--content",
            content.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .env_remove("QUIRE_CONTENT")
        .env_remove("TRUNK_STAGING_DIR")
        .env("QUIRE_TEST_ABORT_AFTER_MOVES", moves.to_string())
        .output()
        .unwrap()
}

#[test]
fn an_interrupted_swap_is_finished_by_the_next_build() {
    let dir = fast_tempdir();
    let (v1, v2) = alias_blogs(dir.path(), 12, 2);
    let reference = |content: &Path, name: &str| {
        let out = dir.path().join(name);
        build_ok(content, &out);
        tree(&out)
    };
    let (ref1, ref2) = (reference(&v1, "ref1"), reference(&v2, "ref2"));
    let out = dir.path().join("dist");
    let fresh = || {
        let _ = fs::remove_dir_all(&out);
        build_ok(&v1, &out);
        assert_eq!(tree(&out), ref1);
    };
    // How many moves the swap from v1 to v2 makes: its journal lists them.
    fresh();
    let o = build_aborting(&v2, &out, 0);
    assert_eq!(o.status.code(), None, "killed by the hook: {}", stderr(&o));
    assert_eq!(tree(&out), ref1, "no move made yet");
    let moves = fs::read_to_string(journal(&out))
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("aside-") || l.starts_with("in "))
        .count();
    assert!(moves > 60, "{moves}");
    build_ok(&v2, &out);
    assert_eq!(tree(&out), ref2);
    assert!(leftovers(&out).is_empty());

    for at in [1, 2, moves / 3, moves / 2, moves - 2, moves - 1] {
        fresh();
        let o = build_aborting(&v2, &out, at);
        assert_eq!(o.status.code(), None, "after {at} moves: {}", stderr(&o));
        let now = tree(&out);
        assert!(
            now != ref1 && now != ref2,
            "after {at} moves the output is mixed"
        );
        assert!(journal(&out).is_file());
        // Interrupted again while it finishes the first swap: still recoverable.
        if at == moves / 2 {
            let o = build_aborting(&v2, &out, 3);
            assert_eq!(o.status.code(), None, "{}", stderr(&o));
        }
        let err = build_ok(&v2, &out);
        assert!(err.contains("quire finished it first"), "{err}");
        assert_eq!(tree(&out), ref2, "after {at} moves");
        assert!(leftovers(&out).is_empty(), "after {at} moves");
    }
    // The next build may also be of other content: the swap is finished first, then
    // that build replaces it.
    fresh();
    build_aborting(&v2, &out, moves / 2);
    build_ok(&v1, &out);
    assert_eq!(tree(&out), ref1);
}

/// Sends `signal` to a running build of `content` into `out` once `when` is true of the
/// folder beside the output (polled every millisecond) and `delay` has passed; returns
/// whether it died in the middle of its swap (its journal is still there).
fn interrupt(
    content: &Path,
    out: &Path,
    signal: i32,
    delay: Duration,
    when: &dyn Fn(&Path) -> bool,
) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args([
            "build",
            "--content",
            content.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .env_remove("QUIRE_CONTENT")
        .env_remove("TRUNK_STAGING_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let parent = out.parent().unwrap();
    loop {
        if child.try_wait().unwrap().is_some() || started.elapsed() > Duration::from_secs(120) {
            break;
        }
        if when(parent) {
            std::thread::sleep(delay);
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    // SAFETY: kill(2) on our own child's pid.
    unsafe {
        libc::kill(child.id() as i32, signal);
    }
    let _ = child.wait();
    journal(out).exists()
}

/// A temporary folder in memory where there is one: the swap tests write and delete
/// tens of thousands of files, which a busy disk makes slow.
fn fast_tempdir() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir()
        && let Ok(dir) = tempfile::tempdir_in(shm)
    {
        return dir;
    }
    tempfile::tempdir().unwrap()
}

#[test]
fn a_build_killed_during_its_swap_is_recovered_by_the_next_one() {
    let dir = fast_tempdir();
    // 1,000 posts with two alias folders each: a swap of about 4,000 moves.
    let (v1, v2) = alias_blogs(dir.path(), 1000, 2);
    let out = dir.path().join("dist");
    build_ok(&v1, &out);
    let ref2 = dir.path().join("ref2");
    build_ok(&v2, &ref2);
    let refs = [tree(&out), tree(&ref2)];
    let contents = [&v1, &v2];
    assert!(leftovers(&out).is_empty() && leftovers(&ref2).is_empty());
    let mut mid_swap = 0;
    // Each round kills the build of the other version during its swap and lets the next
    // build (of that version) recover: right after the first old alias folder was moved
    // aside, or once the first new one is in place (as in the report: the old output
    // moved aside, part of the new one in), plus a few milliseconds.
    for (round, (moved_in, delay)) in [(false, 0u64), (true, 0), (true, 3)]
        .into_iter()
        .enumerate()
    {
        let v = (round + 1) % 2;
        let (new, old) = if v == 1 {
            ("new", "old")
        } else {
            ("old", "new")
        };
        let swap_began = |parent: &Path| {
            if moved_in {
                parent.join(format!("dist/{new}0-0")).exists()
            } else {
                !parent.join(format!("dist/{old}0-0")).exists()
            }
        };
        mid_swap += usize::from(interrupt(
            contents[v],
            &out,
            libc::SIGKILL,
            Duration::from_millis(delay),
            &swap_began,
        ));
        build_ok(contents[v], &out);
        assert_eq!(tree(&out), refs[v], "round {round}");
        assert!(leftovers(&out).is_empty(), "round {round}");
    }
    assert!(mid_swap > 0, "no kill landed during a swap");
}

#[test]
fn ctrl_c_before_the_swap_leaves_the_output_unchanged() {
    let dir = fast_tempdir();
    let (v1, v2) = alias_blogs(dir.path(), 600, 1);
    let out = dir.path().join("dist");
    build_ok(&v1, &out);
    let before = tree(&out);
    let staging_made = |parent: &Path| {
        fs::read_dir(parent).unwrap().flatten().any(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with(".dist.quire-tmp-") && !n.ends_with(".old")
        })
    };
    let mid_swap = interrupt(&v2, &out, libc::SIGINT, Duration::ZERO, &staging_made);
    assert!(!mid_swap);
    assert_eq!(before, tree(&out));
    // The next build deletes the staging folder the interrupted one left.
    build_ok(&v2, &out);
    assert!(leftovers(&out).is_empty());
}

#[test]
fn two_builds_into_one_output_take_turns() {
    let blog = Blog::new(SITE);
    blog.post("a.md", &post("A", "2024-01-01", "", "b"));
    let lock_path = blog.root.path().join(".dist.quire-lock");
    let lock = fs::File::create(&lock_path).unwrap();
    lock.lock().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args([
            "build",
            "--content",
            blog.content().to_str().unwrap(),
            "--out",
            blog.out().to_str().unwrap(),
        ])
        .env_remove("QUIRE_CONTENT")
        .env_remove("TRUNK_STAGING_DIR")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "built while another build held the output"
    );
    assert!(!blog.out().exists());
    lock.unlock().unwrap();
    let o = child.wait_with_output().unwrap();
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains(&format!(
            "quire: waiting for another quire build into {} to finish",
            blog.out().display()
        )),
        "{err}"
    );
    assert!(blog.out().join("post/a/index.html").is_file());
}

#[test]
fn leftover_folders_are_deleted_only_when_quire_can_prove_they_are_its_own() {
    let blog = Blog::new(SITE);
    blog.post("a.md", &post("A", "2024-01-01", "", "b"));
    let root = blog.root.path();
    // Named like quire's temporary folders, but without (or with a copied) owner mark.
    let planted = root.join(".dist.quire-tmp-999");
    let copied = root.join(".dist.quire-tmp-998.old");
    for dir in [&planted, &copied] {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join("precious.txt"), "mine").unwrap();
    }
    fs::write(copied.join(".quire-owner"), "quire 1 2\n").unwrap();
    let err = build_ok(&blog.content(), &blog.out());
    for dir in [&planted, &copied] {
        assert_eq!(
            fs::read_to_string(dir.join("precious.txt")).unwrap(),
            "mine"
        );
        assert!(
            err.contains(&format!("{}: warning: left alone", dir.display())),
            "{err}"
        );
        let o = quire(&["__remove-old", dir.to_str().unwrap()], &[]);
        assert_eq!(o.status.code(), Some(1));
        assert!(dir.join("precious.txt").is_file());
    }
    // A symlink planted where the journal is first written is replaced, not followed.
    #[cfg(unix)]
    {
        fs::write(root.join("victim.txt"), "victim").unwrap();
        std::os::unix::fs::symlink(
            root.join("victim.txt"),
            root.join(".dist.quire-journal.tmp"),
        )
        .unwrap();
        build_ok(&blog.content(), &blog.out());
        assert_eq!(
            fs::read_to_string(root.join("victim.txt")).unwrap(),
            "victim"
        );
    }
    // A journal quire cannot follow stops the build, saying what to do.
    fs::write(
        root.join(".dist.quire-journal"),
        "quire swap journal 1\nout dist\nend 0\n",
    )
    .unwrap();
    let r = build(&blog.content(), &blog.out());
    let err = stderr(&r.output);
    assert_eq!(r.output.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "{}: error: the journal of a build that was interrupted",
            root.join(".dist.quire-journal").display()
        )) && err.contains("delete it (and this file), then build again"),
        "{err}"
    );
}
