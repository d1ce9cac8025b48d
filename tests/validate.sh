#!/usr/bin/env bash
# The default theme checked by real validators, on the sample site, on
# the fixture site tests/fixtures/theme-site (also built with a French
# interface), on the Arabic fixture tests/fixtures/arabic-site and on the
# multilingual fixture tests/fixtures/multilingual-site (en, fr, ar trees):
#
#   - the Nu Html Checker (vnu.jar, from the npm package vnu-jar): no error
#     on any page, stylesheet or SVG;
#   - feedparser and the page metadata checks (tests/check_output.py), and
#     feedparser on every language's feed (tests/check_feeds.py);
#   - axe-core in Chromium: no violation on any page type (the search page
#     also with results showing), light and dark;
#   - the search page in Chromium on the sample site built under a sub-path
#     (tests/browser/search.mjs): results, filters, keyboard, Ctrl+K, the
#     messages without JavaScript and from disk; again with the index cut
#     into shards the page merges;
#   - hover cards in Chromium (hover, focus, Escape);
#   - click-to-load embeds in Chromium: no request to another host before
#     the click, the frame after it (tests/browser/embeds.mjs);
#   - right to left in Chromium: the Arabic site mirrors and never
#     scrolls sideways, at 375 and 1280 px (tests/browser/rtl.mjs);
#   - live reload of `explainer serve` in Chromium, on a copy of the sample
#     site edited on disk (tests/browser/livereload.mjs);
#   - screenshots of every page type at 375 and 1280 px, light and dark,
#     into target/screenshots/ (the fixture's in target/screenshots/theme-site/).
#
# Needs java, node and npm, python3 and /usr/bin/chromium (.ci/run installs
# them); the npm packages and a Python venv it installs itself, pinned.
# Runs every step, then fails if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."

BIN=target/release/explainer
VENV=target/validate-venv
VNU=tests/browser/node_modules/vnu-jar/build/dist/vnu.jar
SAMPLE=public
FIXTURE=target/theme-site
FRENCH=target/theme-site-fr
ARABIC=target/arabic-site
SUBPATH=target/sample-sub-path
SHARDED=target/sample-sharded
MULTILINGUAL=target/multilingual-site

echo "== validate: build the sample site and the fixture site"
cargo build --release --locked --quiet || exit 1
"$BIN" build --quiet || exit 1
"$BIN" build --quiet --root tests/fixtures/theme-site --output "$FIXTURE" || exit 1
# The theme fixture with a French interface: a copy with another language.
rm -rf "$FRENCH-src" && cp -r tests/fixtures/theme-site "$FRENCH-src" &&
  sed -i 's/^language = .*/language = "fr"/' "$FRENCH-src/site.toml" || exit 1
"$BIN" build --quiet --root "$FRENCH-src" --output "$FRENCH" || exit 1
"$BIN" build --quiet --root tests/fixtures/arabic-site --output "$ARABIC" || exit 1
"$BIN" build --quiet --root tests/fixtures/multilingual-site --output "$MULTILINGUAL" || exit 1
# The sample site again under a sub-path, for the search page's checks.
"$BIN" build --quiet --base-url https://sahel-explained.example.org/sub/ --output "$SUBPATH" || exit 1
# And with its index cut into shards of 4 pages, as a large site's is, so
# the search page merges them.
EXPLAINER_SEARCH_SHARD_PAGES=4 "$BIN" build --quiet --base-url https://sahel-explained.example.org/sub/ --output "$SHARDED" || exit 1

echo "== validate: tools"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV" || exit 1
fi
"$VENV/bin/pip" install --quiet --disable-pip-version-check feedparser==6.0.14 || exit 1
if [ ! -f tests/browser/node_modules/.package-lock.json ] ||
   [ tests/browser/package-lock.json -nt tests/browser/node_modules/.package-lock.json ]; then
  # --ignore-scripts: vnu-jar's install script would fetch a Java runtime.
  (cd tests/browser && npm ci --ignore-scripts --no-audit --no-fund) || exit 1
fi
java -version 2>&1 | head -1
/usr/bin/chromium --version 2>/dev/null || echo "no /usr/bin/chromium"

passed=0
failed=0
failures=()
step() {
  local name=$1
  shift
  echo
  echo "== validate: $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name")
  fi
}

vnu() {
  local site=$1 files errors
  mapfile -t files < <(find "$site" -type f \( -name '*.html' -o -name '*.css' -o -name '*.svg' \) | sort)
  errors=$(java -jar "$VNU" --errors-only --also-check-css --also-check-svg --format gnu "${files[@]}" 2>&1)
  local status=$?
  [ -n "$errors" ] && echo "$errors"
  echo "vnu: ${#files[@]} files, $(printf '%s' "$errors" | grep -c 'error:') errors"
  [ $status -eq 0 ] && [ -z "$errors" ]
}

for site in "$SAMPLE" "$FIXTURE" "$FRENCH" "$ARABIC" "$MULTILINGUAL"; do
  step "Nu Html Checker on $site" vnu "$site"
done
step "feed, sitemap and metadata of $SAMPLE" "$VENV/bin/python" tests/check_output.py "$SAMPLE"
step "feed, sitemap and metadata of $FIXTURE" "$VENV/bin/python" tests/check_output.py "$FIXTURE" --logo
step "feed, sitemap and metadata of $MULTILINGUAL" "$VENV/bin/python" tests/check_output.py "$MULTILINGUAL"
step "every language's feed of $MULTILINGUAL" "$VENV/bin/python" tests/check_feeds.py "$MULTILINGUAL" en fr ar
for site in "$SAMPLE" "$FIXTURE" "$FRENCH" "$ARABIC" "$MULTILINGUAL"; do
  step "axe-core on $site" node tests/browser/a11y.mjs "$site"
  step "hover cards on $site" node tests/browser/hover.mjs "$site"
done
step "click-to-load embeds on $SAMPLE" node tests/browser/embeds.mjs "$SAMPLE"
step "click-to-load embeds on $FIXTURE" node tests/browser/embeds.mjs "$FIXTURE"
step "right to left on $ARABIC" node tests/browser/rtl.mjs "$ARABIC"
step "search on $SUBPATH" node tests/browser/search.mjs "$SUBPATH"
step "search on $SHARDED" node tests/browser/search.mjs "$SHARDED"
step "live reload of explainer serve" node tests/browser/livereload.mjs . "$BIN"
step "screenshots of $SAMPLE" node tests/browser/screenshots.mjs "$SAMPLE" target/screenshots
step "screenshots of $FIXTURE" node tests/browser/screenshots.mjs "$FIXTURE" target/screenshots/theme-site
step "screenshots of $ARABIC" node tests/browser/screenshots.mjs "$ARABIC" target/screenshots/arabic-site

echo
for f in "${failures[@]}"; do echo "FAILED: $f"; done
echo "validate: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
