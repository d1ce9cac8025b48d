// The search page on a built site served at its base path (build the
// sample site under a sub-path for this): results as you type, excerpts
// that show markup as text, dates in the page's language, filters with
// counts that predict what ticking does, actors A to Z, the filters folded
// on a narrow screen, keyboard use, Ctrl+K and "/" from an article, and
// the messages shown without JavaScript and when opened from disk.
//
//   node search.mjs [built-site-dir]

import path from "node:path";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";
import { pathToFileURL } from "node:url";
import { siteDir, serve, launch, here, Tally } from "./lib.mjs";

const VNU = path.join(here, "node_modules/vnu-jar/build/dist/vnu.jar");

/// Nu Html Checker errors in a page's current DOM (skipped without the jar
/// or java: tests/validate.sh has both).
function vnuErrors(html) {
  if (!existsSync(VNU)) return null;
  const run = spawnSync("java", ["-jar", VNU, "--errors-only", "--format", "gnu", "-"], { input: html, encoding: "utf8" });
  if (run.error) return null;
  return (run.stdout + run.stderr).trim();
}

const root = siteDir();
const server = await serve(root);
const browser = await launch();
const tally = new Tally();
const base = new URL(server.url).pathname;

/// Types a query and waits for the status line to report on it.
async function search(page, term) {
  await page.locator("#search-input").fill(term);
  await page.waitForFunction(
    (t) => (document.getElementById("search-status").textContent || "").includes(t),
    term,
    { timeout: 5000 },
  );
}

/// Every result's path under the site root, after showing them all.
async function resultPaths(page) {
  const more = page.locator(".search-more");
  for (let i = 0; i < 20 && (await more.isVisible()); i++) {
    const before = await page.locator(".search-result").count();
    await more.click();
    await page.waitForFunction((n) => document.querySelectorAll(".search-result").length > n, before);
  }
  const hrefs = await page.locator(".search-title a").evaluateAll((links) => links.map((a) => a.href));
  return hrefs.map((h) => new URL(h).pathname);
}

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));

  // Results as you type, with highlighted excerpts, at the sub-path.
  await page.goto(server.url + "search/index.html");
  await page.locator("#search-input").waitFor({ state: "visible", timeout: 5000 });
  tally.check("the search box has focus", await page.evaluate(() => document.activeElement?.id === "search-input"));
  await search(page, "Bazoum");
  const paths = await resultPaths(page);
  tally.check(
    "Bazoum finds the actor page",
    paths.includes(`${base}actors/mohamed-bazoum/index.html`),
    paths.join("\n"),
  );
  tally.check(
    "Bazoum finds the withdrawal article",
    paths.includes(`${base}articles/france-begins-niger-troop-withdrawal/index.html`),
    paths.join("\n"),
  );
  tally.check("every result is under the site's path", paths.length > 0 && paths.every((p) => p.startsWith(base)), paths.join("\n"));
  const marks = await page.locator(".search-excerpt mark").allTextContents();
  tally.check("excerpts highlight the word", marks.some((m) => /bazoum/i.test(m)), marks.join(", "));
  const dom = vnuErrors(await page.content());
  if (dom !== null) tally.check("the page with results passes the Nu Html Checker", dom === "", dom);
  // Dates as the theme writes them, in the page's language.
  const times = await page.locator(".search-kind time").evaluateAll((ts) => ts.map((t) => [t.dateTime, t.textContent]));
  tally.check(
    "result dates are written out in English",
    times.length > 0 && times.every(([iso, text]) => /^\d{4}-\d{2}-\d{2}$/.test(iso) && /^[A-Z][a-z]+ \d{1,2}, \d{4}$/.test(text)),
    times.join("\n"),
  );
  const status = await page.locator("#search-status").textContent();
  tally.check("the live region counts the results", /^\d+ results for “Bazoum”/.test(status), status);

  // An actor found by another name.
  await search(page, "Tchiani");
  const tchiani = await resultPaths(page);
  tally.check("Tchiani finds the general's profile", tchiani[0] === `${base}actors/abdourahamane-tchiani/index.html`, tchiani.join("\n"));
  await search(page, "CNSP");
  const cnsp = await resultPaths(page);
  tally.check("CNSP finds the junta's profile", cnsp.includes(`${base}actors/niger-junta/index.html`), cnsp.join("\n"));

  // Filter to actors, by keyboard, with counts per filter.
  await search(page, "Bazoum");
  const label = await page.locator("label[for^='filter-kind-']", { hasText: "Actors" }).textContent();
  const counted = Number((label.match(/\((\d+)\)/) || [])[1]);
  tally.check("the Actors filter shows a count", counted > 0, label);
  const box = page.locator("#search-filters input[value='actor']");
  await box.focus();
  await page.keyboard.press("Space");
  await page.waitForFunction(() => /\(filtered\)/.test(document.getElementById("search-status").textContent));
  const filtered = await resultPaths(page);
  tally.check(
    "filtering to actors leaves only actors, as many as the count said",
    filtered.length === counted && filtered.every((p) => p.startsWith(`${base}actors/`)),
    `${counted} counted\n${filtered.join("\n")}`,
  );
  // Another value of the same group adds its results: its count says how
  // many.
  const addLabel = await page.locator("label[for^='filter-kind-']", { hasText: "Articles" }).textContent();
  const added = Number((addLabel.match(/\((\d+)\)/) || [])[1]);
  const statusBefore = await page.locator("#search-status").textContent();
  await page.locator("#search-filters input[value='article']").check();
  await page.waitForFunction((s) => document.getElementById("search-status").textContent !== s, statusBefore);
  const both = await resultPaths(page);
  tally.check(
    "with Actors ticked, the Articles count is what ticking it adds",
    added > 0 && both.length === counted + added,
    `${counted} actors + ${added} articles counted, ${both.length} shown\n${both.join("\n")}`,
  );
  await page.locator("#search-filters input[value='article']").uncheck();
  await page.waitForFunction((s) => document.getElementById("search-status").textContent === s, statusBefore);
  await box.focus();
  await page.keyboard.press("Space");
  await page.waitForFunction(() => !/\(filtered\)/.test(document.getElementById("search-status").textContent));

  // Filters alone list pages newest first, across every shard of the
  // index, as many as the filter counts.
  await page.locator("#search-input").fill("");
  await page.waitForFunction(() => document.getElementById("search-status").textContent === "");
  const articles = page.locator("#search-filters input[value='article']");
  const articleLabel = await page.locator("label[for^='filter-kind-']", { hasText: "Articles" }).textContent();
  const articleCount = Number((articleLabel.match(/\((\d+)\)/) || [])[1]);
  await articles.check();
  await page.waitForFunction(() => /\(filtered\)/.test(document.getElementById("search-status").textContent));
  await resultPaths(page);
  const dates = await page.locator(".search-kind").evaluateAll((ks) => ks.map((k) => k.querySelector("time")?.dateTime || ""));
  tally.check(
    "filtering to articles lists every article, newest first",
    dates.length === articleCount && dates.length > 1 && dates.every((d, i) => d && (i === 0 || dates[i - 1] >= d)),
    `${articleCount} counted\n${dates.join("\n")}`,
  );
  await articles.uncheck();
  await page.waitForFunction(() => document.getElementById("search-status").textContent === "");
  // The counts are fetched again after the status clears: wait until the
  // Actors label shows the unfiltered count, not what ticking it added.
  await page.waitForFunction(() =>
    [...document.querySelectorAll("label[for^='filter-kind-']")].some(
      (l) => /Actors/.test(l.textContent) && !/\(0\)/.test(l.textContent),
    ),
  );
  // Pages without a date (actors) are listed too, after the dated ones.
  const actorLabel = await page.locator("label[for^='filter-kind-']", { hasText: "Actors" }).textContent();
  const actorCount = Number((actorLabel.match(/\((\d+)\)/) || [])[1]);
  await page.locator("#search-filters input[value='actor']").check();
  await page.waitForFunction(() => /\(filtered\)/.test(document.getElementById("search-status").textContent));
  const actorPaths = await resultPaths(page);
  tally.check(
    "filtering to actors alone lists every actor",
    actorCount > 1 && actorPaths.length === actorCount && new Set(actorPaths).size === actorCount,
    `${actorCount} counted\n${actorPaths.join("\n")}`,
  );
  const names = (await page.locator(".search-title a").allTextContents()).map((n) => n.toLowerCase());
  tally.check("actors alone are listed A to Z", names.every((n, i) => i === 0 || names[i - 1] <= n), names.join("\n"));
  await page.locator("#search-filters input[value='actor']").uncheck();
  await page.waitForFunction(() => document.getElementById("search-status").textContent === "");

  // Open a result by keyboard: down from the box, then Enter.
  await search(page, "Bazoum");
  await page.locator("#search-input").focus();
  await page.keyboard.press("ArrowDown");
  const first = await page.evaluate(() => document.activeElement?.href);
  tally.check("ArrowDown moves to the first result", Boolean(first) && first.includes(base), String(first));
  await Promise.all([page.waitForURL(first, { timeout: 5000 }), page.keyboard.press("Enter")]);
  tally.check("Enter opens the result", page.url() === first, page.url());

  // Ctrl+K and "/" from an article open search.
  await page.goto(server.url + "articles/france-begins-niger-troop-withdrawal/index.html");
  await Promise.all([page.waitForURL(/search\/index\.html/, { timeout: 5000 }), page.keyboard.press("Control+k")]);
  await page.locator("#search-input").waitFor({ state: "visible" });
  tally.check("Ctrl+K from an article opens search", page.url() === `${server.url}search/index.html`, page.url());
  tally.check("and focuses the box", await page.evaluate(() => document.activeElement?.id === "search-input"));
  await page.goto(server.url + "actors/niger/index.html");
  await Promise.all([page.waitForURL(/search\/index\.html/, { timeout: 5000 }), page.keyboard.press("/")]);
  tally.check("/ from an actor page opens search", page.url() === `${server.url}search/index.html`, page.url());
  tally.check("no script errors", errors.length === 0, errors.join("\n"));
  await context.close();

  // Excerpts: Pagefind escapes "<" and ">" of the text; the page shows
  // them as text and never as markup. The index's fragments are changed
  // on their way (fetched by the page itself, without Pagefind's worker):
  // each "Bazoum" becomes one word holding markup.
  const hostile = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await hostile.addInitScript(() => { Object.defineProperty(window, "Worker", { value: undefined }); });
  const MARKUP = "Bazoum<30%<script>window.injected=1</script><b>x</b>";
  await hostile.route("**/*.pf_fragment", async (route) => {
    const response = await route.fetch();
    const bytes = gunzipSync(await response.body());
    const fragment = JSON.parse(bytes.subarray("pagefind_dcd".length).toString("utf8"));
    fragment.content = fragment.content.replace(/Bazoum/g, MARKUP);
    const body = gzipSync(Buffer.concat([Buffer.from("pagefind_dcd"), Buffer.from(JSON.stringify(fragment))]));
    await route.fulfill({ response, body });
  });
  const hostilePage = await hostile.newPage();
  await hostilePage.goto(server.url + "search/index.html");
  await search(hostilePage, "Bazoum");
  const excerpts = await hostilePage.locator(".search-excerpt").evaluateAll((ps) =>
    ps.map((p) => ({ text: p.textContent, elements: [...p.querySelectorAll("*")].map((e) => e.tagName) })));
  tally.check(
    "an excerpt shows < and markup as text, highlighted, never as elements",
    excerpts.some((e) => e.text.includes(MARKUP)) &&
      excerpts.every((e) => !e.text.includes("&lt;") && e.elements.every((t) => t === "MARK")),
    JSON.stringify(excerpts, null, 1),
  );
  tally.check("markup in an excerpt never runs", (await hostilePage.evaluate(() => window.injected)) === undefined);
  await hostile.close();

  // A French page writes the dates in French.
  const french = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await french.route("**/search/index.html", async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(/<html lang="[^"]*"/, '<html lang="fr"');
    await route.fulfill({ response, body: html });
  });
  const frenchPage = await french.newPage();
  await frenchPage.goto(server.url + "search/index.html");
  await search(frenchPage, "Bazoum");
  const frenchDates = await frenchPage.locator(".search-kind time").allTextContents();
  tally.check(
    "result dates follow the page's language",
    frenchDates.length > 0 && frenchDates.every((d) => /^\d{1,2}(er)? [a-zéû]+ \d{4}$/.test(d)),
    frenchDates.join("\n"),
  );
  await french.close();

  // On a narrow screen the filters are folded under a summary, so the
  // results come right after the box; opened by keyboard, a ticked filter
  // is counted on the summary.
  const narrow = await browser.newContext({ viewport: { width: 375, height: 740 } });
  const narrowPage = await narrow.newPage();
  await narrowPage.goto(server.url + "search/index.html");
  await search(narrowPage, "Bazoum");
  const firstResult = await narrowPage.locator(".search-result").first().boundingBox();
  tally.check(
    "at 375 px the first result is on screen",
    firstResult !== null && firstResult.y + 40 <= 740,
    JSON.stringify(firstResult),
  );
  tally.check(
    "at 375 px the filters are folded",
    !(await narrowPage.locator("#search-filters input").first().isVisible()) &&
      (await narrowPage.locator(".search-filters-summary").isVisible()),
  );
  await narrowPage.locator(".search-filters-summary").focus();
  await narrowPage.keyboard.press("Enter");
  const actorBox = narrowPage.locator("#search-filters input[value='actor']");
  tally.check("Enter on the summary shows the filters", await actorBox.isVisible());
  await actorBox.focus();
  await narrowPage.keyboard.press("Space");
  await narrowPage.waitForFunction(() => /\(filtered\)/.test(document.getElementById("search-status").textContent));
  const summary = await narrowPage.locator(".search-filters-summary").textContent();
  tally.check("the summary counts the ticked filter", /Filters\s+\(1 active\)/.test(summary), summary);
  await narrow.close();

  // Opened from disk, the page says search needs a web server.
  const disk = await browser.newContext();
  const diskPage = await disk.newPage();
  await diskPage.goto(pathToFileURL(path.join(root, "search/index.html")).href);
  const diskText = await diskPage.locator("#search-message").textContent();
  tally.check(
    "from disk: search needs a web server",
    (await diskPage.locator("#search-message").isVisible()) && /web server/.test(diskText) && /explainer serve/.test(diskText),
    diskText,
  );
  tally.check("from disk: the command is code, not Markdown", !diskText.includes("`") &&
    (await diskPage.locator("#search-message code").textContent()) === "explainer serve", diskText);
  const lists = await diskPage.locator("#search-message a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  tally.check("from disk: the page links to the site's lists", lists.length >= 5 && lists.some((h) => /articles\//.test(h)), lists.join("\n"));
  tally.check("from disk: the search box is hidden", !(await diskPage.locator("#search-input").isVisible()));
  await disk.close();

  // Without JavaScript, the link still leads to a page that explains.
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const noScriptPage = await noScript.newPage();
  await noScriptPage.goto(server.url + "articles/france-begins-niger-troop-withdrawal/index.html");
  await noScriptPage.locator(".search-link").click();
  await noScriptPage.waitForURL(/search\/index\.html/);
  const plain = await noScriptPage.locator("#search-message").textContent();
  tally.check("without JavaScript: the page explains", /needs JavaScript/.test(plain), plain);
  await noScript.close();
} catch (e) {
  tally.fail("search page", String(e?.stack || e));
} finally {
  await browser.close();
  await server.close();
}
tally.finish();
