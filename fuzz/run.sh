#!/usr/bin/env bash
# Builds the fuzz targets and runs each for a bounded time from a copy of
# its checked-in seed corpus (the copy keeps fuzz/corpus/ unchanged).
#
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Needs only rustup's stable toolchain: cargo-fuzz is installed at a
# pinned version if missing (and g++ from apt if there is no C++
# compiler), and RUSTC_BOOTSTRAP=1 lets the stable compiler accept the
# nightly-only flags cargo-fuzz passes (-Z...).
# A crash stops the run with exit status 1 and leaves the input in
# fuzz/artifacts/TARGET/; replay it with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run -s none -a --codegen-units 16 TARGET \
#     fuzz/artifacts/TARGET/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-40}
shift || true
cargo_fuzz_version=0.13.2

# libfuzzer-sys compiles libFuzzer's C++ sources.
if ! command -v c++ >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq g++ >/dev/null
fi
if ! cargo fuzz --version 2>/dev/null | grep -qF "$cargo_fuzz_version"; then
  cargo install --locked cargo-fuzz --version "$cargo_fuzz_version"
fi
export RUSTC_BOOTSTRAP=1
# No sanitizer: the code under test is safe Rust, and ASan would slow
# both the build and the runs. Debug assertions stay on, so an integer
# overflow is a crash too. 16 codegen units instead of 1 cut the build's
# wall time nearly in half on 2 cores for slightly slower runs.
flags=(--sanitizer none --debug-assertions --codegen-units 16)

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo fuzz list)
fi

# Not --locked (cargo fuzz has no such flag, and the lock here also
# follows the main crate's dependencies: one added there is added here on
# the next build, every other pin kept).
start=$(date +%s)
for target in "${targets[@]}"; do
  cargo fuzz build "${flags[@]}" "$target"
done
echo "fuzz: built in $(($(date +%s) - start)) s"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for target in "${targets[@]}"; do
  mkdir -p "$work/$target"
  cp -R "fuzz/corpus/$target/." "$work/$target/"
  echo "== fuzz $target for ${seconds} s"
  # -timeout: an input taking 10 s is a hang; -rss_limit_mb bounds memory.
  if ! cargo fuzz run "${flags[@]}" "$target" "$work/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 >"$work/$target.log" 2>&1; then
    tail -n 40 "$work/$target.log" >&2
    echo "fuzz: $target failed; the input is in fuzz/artifacts/$target/" >&2
    exit 1
  fi
  grep -E '^stat::(number_of_executed_units|new_units_added)' "$work/$target.log" || true
done
echo "fuzz: done in $(($(date +%s) - start)) s"
