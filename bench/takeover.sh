#!/usr/bin/env bash
# Swap or hydrate: builds the app twice and measures its takeover of the prerendered page
# side by side (bench/takeover.mjs).
#
#   bench/takeover.sh [--no-build] [options of bench/takeover.mjs: --posts 1000,10000 --loads N --slow N]
#
# - swap:    the app as it is in the work tree (`trunk build --release --dist
#            target/takeover/swap`): mounts once the data is in, swaps in one task;
# - hydrate: a copy of the work tree in /tmp/quire-takeover/src, changed (below, no second
#            code path in the shipped app) to build Leptos with `hydrate` instead of `csr` and
#            to call `leptos::mount::hydrate_from` on the prerendered root, over the same
#            data at the same moment, instead of mounting and swapping (target/takeover/hydrate).
# Both use the repo's target/ (the variant is another package path, so its artifacts do not
# collide) and the CLI in target/cli/quire for the route files. Slow the first time: the
# variant compiles the Leptos crates again with `hydrate`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/env.sh"
cd "$QUIRE_ROOT"

build=true
args=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=false ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) args+=("$arg") ;;
  esac
done

out="$QUIRE_ROOT/target/takeover"
src=/tmp/quire-takeover/src
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$QUIRE_ROOT/target}"

# Replaces the text between two anchors of file $1 (from $2 up to, not including, $3; an
# empty $3 is the end of the file) with $4; fails when an anchor is gone, so a change of the
# app shows here instead of a wrong build.
replace() {
  python3 - "$@" <<'EOF'
import sys
path, start, end, new = sys.argv[1:5]
s = open(path).read()
i = s.find(start)
j = (s.find(end, i + len(start)) if end else len(s)) if i >= 0 else -1
if i < 0 or j < 0:
    sys.exit(f"bench/takeover.sh: anchors not found in {path}; update the hydrate variant")
open(path, "w").write(s[:i] + new + s[j:])
EOF
}

if $build; then
  quire_section "CLI: cargo build --profile cli -p quire"
  cargo build --profile cli -p quire --quiet

  quire_section "swap (the app as it is): trunk build --release --dist target/takeover/swap"
  env -u QUIRE_CONTENT trunk build --release --dist "$out/swap"

  quire_section "hydrate (variant in $src): trunk build --release --dist target/takeover/hydrate"
  rm -rf "$src"
  mkdir -p "$src"
  tar -c --exclude=./target --exclude=./node_modules --exclude=./dist --exclude=./.git . | tar -x -C "$src"
  find "$src/src" -name '*.rs' -exec touch {} +
  replace "$src/Cargo.toml" 'leptos = { version = "0.8", default-features = false, features = ["csr"] }' $'\n' \
    'leptos = { version = "0.8", default-features = false, features = ["hydrate"] }'
  # A route file shows its page with no tag selected: hydrate that (with the chunks it
  # shows loaded: a summary still loading renders other markup, and hydration then traps),
  # then apply the URL's ?tags= selection as an update (hydrating with it does not match).
  replace "$src/src/browser/mod.rs" '    store::settle(store::chunks_for(&index, &loc.route, &loc.tags)).await;' \
    '    mount(base, index, loc);' \
    '    store::settle(store::chunks_for(&index, &loc.route, &[])).await;
    store::settle(store::chunks_for(&index, &loc.route, &loc.tags)).await;
'
  replace "$src/src/browser/mod.rs" '    let tags = RwSignal::new(loc.tags);' $'\n' \
    '    let selected = loc.tags;
    let tags = RwSignal::new(Vec::new());'
  replace "$src/src/browser/mod.rs" '    let fresh = doc.create_element("div").expect("an element");' \
    '    nav::install(base, route, tags);' \
    '    // Hydration: the same components adopt the prerendered nodes in place.
    let root = doc.get_element_by_id(ROOT_ID).expect("the prerendered root");
    leptos::mount::hydrate_from(root.unchecked_into(), move || {
        provide_context(state);
        view! { <App/> }
    })
    .forget();
    if !selected.is_empty() {
        tags.set(selected);
    }
    in_app.set_value(true);
'
  # hydrate's async view types nest deeper than the compiler's default limit allows.
  sed -i 's/^pub mod model;/#![recursion_limit = "256"]\n\npub mod model;/' "$src/src/lib.rs"
  grep -q '^#!\[recursion_limit' "$src/src/lib.rs" || { echo "bench/takeover.sh: no 'pub mod model;' in src/lib.rs" >&2; exit 1; }
  # The route files come from target/cli/quire; the variant's build writes only the app.
  replace "$src/Trunk.toml" '[[hooks]]' '' ''
  (cd "$src" && trunk build --release --dist "$out/hydrate")
fi

quire_section "node bench/takeover.mjs ${args[*]:-}"
exec node bench/takeover.mjs --dist "swap=$out/swap" --dist "hydrate=$out/hydrate" "${args[@]+"${args[@]}"}"
