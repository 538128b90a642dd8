# Sourced by scripts/*: the environment every Quire build and test runs in.
# - cargo's bin directory and the repo's node_modules/.bin first on PATH, so Trunk finds
#   the wasm-bindgen matching Cargo.lock and binaryen 132's wasm-opt from npm, never an
#   older system wasm-opt (Debian's 108 writes broken Wasm while reporting success);
# - TRUNK_OFFLINE: a tool at the wrong version is a clear error, not a download attempt.

QUIRE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export QUIRE_ROOT
export PATH="$QUIRE_ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export TRUNK_OFFLINE=true
export TRUNK_SKIP_VERSION_CHECK=true

# Versions the set-up installs and checks.
QUIRE_TRUNK_VERSION=0.21.14
QUIRE_WASM_OPT_VERSION=132
# wasm-split-cli, which release builds use to split search's code off the app's Wasm.
QUIRE_WASM_SPLIT_VERSION=0.2.4
# How release builds run wasm-opt (scripts/lib/trunk-post-build; bench/deps.sh): -Oz, with
# the Wasm features rustc enables by default named, so wasm-opt never guesses them; then
# the functions sorted by their (mangled) names, which puts each crate's and module's code
# side by side and makes the module 1.3 KB smaller in brotli than the linker's order (four
# builds: -1.26 to -1.37 KB; raw size unchanged), and the `producers` and
# `target_features` sections, which nothing reads after this step, dropped (-0.1 KB).
QUIRE_WASM_OPT_ARGS=(-Oz --converge --low-memory-unused --enable-bulk-memory
  --enable-bulk-memory-opt --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-multivalue --enable-reference-types
  --reorder-functions-by-name --strip-producers --strip-target-features)

# The wasm-bindgen version Cargo.lock pins (the CLI must match it exactly).
quire_wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$QUIRE_ROOT/Cargo.lock"
}

# Prints a section header and remembers when it started.
quire_section() {
  if [ -n "${QUIRE_SECTION_START:-}" ]; then
    echo "    ($(( $(date +%s) - QUIRE_SECTION_START )) s)"
  fi
  QUIRE_SECTION_START=$(date +%s)
  QUIRE_SECTION="$*"
  printf '\n==> %s\n' "$*"
}

# Trunk reads NO_COLOR as a boolean and stops on the common NO_COLOR=1.
if [ -n "${NO_COLOR:-}" ] && [ "$NO_COLOR" != true ] && [ "$NO_COLOR" != false ]; then
  export NO_COLOR=true
fi
