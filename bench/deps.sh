#!/usr/bin/env bash
# What each part of the app's Wasm costs a reader, in brotli -q 11 KB.
#
#   bench/deps.sh [--worktree] [VARIANT...]      default variants: base no-markdown opt-s
#
# Builds variants of the committed app (HEAD, via git archive; with --worktree, the files
# as they are in the work tree, uncommitted changes included) outside the work tree, in
# /tmp/quire-variant/<checkout>/src with their own CARGO_TARGET_DIR per profile, the way Trunk's release build
# does (cargo build --release for wasm32, wasm-bindgen --target web, wasm-opt with
# QUIRE_WASM_OPT_ARGS), but as one module (QUIRE_SPLIT=0: search's code is not split off,
# so each dependency's whole cost shows), and
# prints raw and brotli sizes of the Wasm and JS glue, plus a per-crate attribution of the
# base build (bench/wasm-sizes.mjs over a `wasm-opt -Oz -g` copy that keeps names).
#
# Variants:
#   base         the app as committed
#   no-markdown  quire_core::markdown::render reduced to HTML escaping and
#                quire_core::text::plain_text to a copy: the cost of Markdown in the
#                browser (pulldown-cmark + Quire's filter and sanitizer), i.e. what
#                shipping HTML rendered at build time would save
#   no-highlight quire_core::markdown::highlighted (token runs → spans) reduced to "stay
#                plain": what highlighted code costs the app (the runs still travel in the
#                body entry and are read, so their parsing is counted in base's favour)
#   opt-s        the release profile with opt-level = "s" instead of "z"
#   opt-3        the release profile with opt-level = 3 (speed), for comparison
#
# Slow: a variant is a full release build (minutes on 2 shared cores); variants that only
# change Quire's own crates reuse the dependency builds of the same profile.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/env.sh"
cd "$QUIRE_ROOT"

from=head
variants=()
for arg in "$@"; do
  case "$arg" in
    --worktree) from=worktree ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) variants+=("$arg") ;;
  esac
done
[ ${#variants[@]} -gt 0 ] || variants=(base no-markdown opt-s)
# One folder per checkout: two worktrees measuring at once must not share sources,
# targets or the sizes table (QUIRE_VARIANT_DIR chooses another place).
work="${QUIRE_VARIANT_DIR:-/tmp/quire-variant/$(basename "$QUIRE_ROOT")-$(printf %s "$QUIRE_ROOT" | cksum | cut -d' ' -f1)}"
mkdir -p "$work"
commit=$(git rev-parse --short HEAD)
if [ "$from" = worktree ]; then
  echo "app from the work tree (HEAD $commit plus uncommitted changes); variants: ${variants[*]}"
else
  echo "app at $commit; variants: ${variants[*]}"
fi

snapshot() {
  if [ "$from" = worktree ]; then
    tar -c --exclude=./target --exclude=./node_modules --exclude=./dist --exclude=./.git . | tar -x -C "$1"
  else
    git archive HEAD | tar -x -C "$1"
  fi
}

# Replaces the body of the function whose signature is $2 in file $1 with $3.
stub() {
  python3 - "$@" <<'EOF'
import sys
path, signature, body = sys.argv[1:4]
s = open(path).read()
at = s.find(signature + " {")
if at < 0:
    sys.exit(f"bench/deps.sh: `{signature}` not found in {path}; update the variant")
i, depth = at + len(signature) + 2, 1
while depth:
    depth += {"{": 1, "}": -1}.get(s[i], 0)
    i += 1
open(path, "w").write(s[: at + len(signature)] + " {\n    " + body + "\n}" + s[i:])
EOF
}

build_variant() {
  # One source path for every variant: cargo keys artifacts by package path, and a variant
  # in its own folder could find its final .wasm left over from another one. The sources
  # are touched so that cargo rebuilds Quire's crates from what is there now.
  local name=$1 src="$work/src"
  rm -rf "$src"
  mkdir -p "$src"
  snapshot "$src"
  find "$src/src" "$src/crates" -name '*.rs' -exec touch {} +
  local target="$work/target" profile_env=()
  case "$name" in
    base) ;;
    no-markdown)
      # Every use of pulldown-cmark in the app's path: rendering and plain text.
      stub "$src/crates/core/src/markdown/mod.rs" 'pub fn render_scoped(markdown: &str, policy: RawHtml, scope: &str) -> String' \
        'let _ = (policy, scope); crate::text::escape_html(markdown)'
      stub "$src/crates/core/src/markdown/plain.rs" 'pub fn plain_text(markdown: &str) -> String' 'markdown.to_string()'
      ;;
    no-highlight)
      stub "$src/crates/core/src/markdown/code.rs" 'pub fn highlighted(text: &str, runs: &str) -> Option<String>' \
        'let _ = (text, runs); None'
      ;;
    opt-s) profile_env=(CARGO_PROFILE_RELEASE_OPT_LEVEL=s); target="$work/target-opt-s" ;;
    opt-3) profile_env=(CARGO_PROFILE_RELEASE_OPT_LEVEL=3); target="$work/target-opt-3" ;;
    *) echo "unknown variant $name" >&2; exit 2 ;;
  esac
  echo
  echo "== $name: cargo build --release --target wasm32-unknown-unknown -p quire-app"
  local t0=$(date +%s)
  (cd "$src" && env "${profile_env[@]}" CARGO_TARGET_DIR="$target" QUIRE_SPLIT=0 \
    cargo build --quiet --release --target wasm32-unknown-unknown -p quire-app)
  echo "   ($(( $(date +%s) - t0 )) s)"
  local out="$work/out-$name"
  rm -rf "$out"
  wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name quire-app \
    "$target/wasm32-unknown-unknown/release/quire-app.wasm"
  # wasm-opt as a release build runs it.
  wasm-opt "${QUIRE_WASM_OPT_ARGS[@]}" "$out/quire-app_bg.wasm" -o "$out/app.wasm"
  wasm-opt "${QUIRE_WASM_OPT_ARGS[@]}" -g "$out/quire-app_bg.wasm" -o "$out/app-named.wasm"
  local wasm_raw wasm_br js_raw js_br
  wasm_raw=$(stat -c %s "$out/app.wasm")
  wasm_br=$(brotli -q 11 -c "$out/app.wasm" | wc -c)
  js_raw=$(stat -c %s "$out/quire-app.js")
  js_br=$(brotli -q 11 -c "$out/quire-app.js" | wc -c)
  touch "$work/sizes.tsv"
  grep -v "^$name	" "$work/sizes.tsv" > "$work/sizes.tmp" || true
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$wasm_raw" "$wasm_br" "$js_raw" "$js_br" "$label" >> "$work/sizes.tmp"
  mv "$work/sizes.tmp" "$work/sizes.tsv"
  printf '   wasm %d B raw, %d B brotli; js %d B raw, %d B brotli; wasm+js %.1f KB brotli\n' \
    "$wasm_raw" "$wasm_br" "$js_raw" "$js_br" "$(awk -v a="$wasm_br" -v b="$js_br" 'BEGIN { print (a + b) / 1000 }')"
}

# Results of earlier runs stay (a variant's line is replaced when it is built again), so
# base can be built once and other variants later; the last column says what was built.
label="$commit"
[ "$from" = worktree ] && label="$commit+worktree"
for v in "${variants[@]}"; do build_variant "$v"; done

echo
echo "== summary (brotli -q 11, KB; differences against base)"
awk -F'\t' '
  { name[NR] = $1; total[NR] = ($3 + $5) / 1000; wasm[NR] = $3 / 1000; from[NR] = $6; if ($1 == "base") base = total[NR] }
  END {
    printf "%-14s %10s %10s %10s   %s\n", "variant", "wasm", "wasm+js", "vs base", "built from"
    for (i = 1; i <= NR; i++) printf "%-14s %10.1f %10.1f %+10.1f   %s\n", name[i], wasm[i], total[i], (base == "" ? 0 : total[i] - base), from[i]
  }' "$work/sizes.tsv"

if [ -f "$work/out-base/app-named.wasm" ]; then
  echo
  echo "== base: per-crate attribution (estimates; see bench/wasm-sizes.mjs)"
  node "$QUIRE_ROOT/bench/wasm-sizes.mjs" "$work/out-base/app-named.wasm" --top 20
fi
