// axe-core on one page of each type, in the light and the dark colour
// scheme, at a phone and a desktop width, and once more on an article with
// a hover card showing. Any violation fails, with a readable report.
//
//   node a11y.mjs [built-site-dir]

import { createRequire } from "node:module";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { siteDir, serve, launch, pageTypes, pageWithCards, visitPageTypes, Tally } from "./lib.mjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
// WCAG 2.0–2.2 A and AA, plus axe's best practices (landmarks, one h1,
// headings in order).
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

function report(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 5)
        .map((n) => `  - ${n.target.join(" ")}\n    ${n.failureSummary.replace(/\n/g, "\n    ")}`)
        .join("\n");
      const more = v.nodes.length > 5 ? `\n  … and ${v.nodes.length - 5} more` : "";
      return `${v.id} (${v.impact}): ${v.help}\n  ${v.helpUrl}\n${nodes}${more}`;
    })
    .join("\n");
}

async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    TAGS,
  );
}

const root = siteDir();
const server = await serve(root);
const browser = await launch();
const tally = new Tally();
try {
  const pages = await pageTypes(root);
  await visitPageTypes(browser, server.url, pages, 900, async (page, { name, file, colorScheme, width }) => {
    const { violations } = await axe(page);
    tally.check(`${name} (${file}) ${colorScheme} ${width}px`, violations.length === 0, report(violations));
  });
  const withCards = await pageWithCards(root);
  if (withCards) {
    for (const colorScheme of ["light", "dark"]) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme });
      const page = await context.newPage();
      await page.goto(server.url + withCards);
      const link = page.locator("main a.xref[data-xref]:visible").first();
      await link.focus();
      await page.locator("#xref-card").waitFor({ state: "visible", timeout: 2000 });
      const { violations } = await axe(page);
      tally.check(`hover card showing (${withCards}) ${colorScheme}`, violations.length === 0, report(violations));
      await context.close();
    }
  }
  // The search page with results, excerpts and filter counts showing (on
  // a site with search), searched for a word the site is sure to hold in
  // its own language: the first word of the first actor's name.
  function searchWord(root) {
    const index = readFileSync(path.join(root, "actors/index.html"), "utf8");
    const name = /class="card-title[^>]*>([^<]+)</.exec(index);
    return name ? name[1].trim().split(/\s+/)[0] : "the";
  }
  if (existsSync(path.join(root, "pagefind/pagefind-entry.json"))) {
    for (const colorScheme of ["light", "dark"]) {
      for (const width of [375, 1280]) {
        const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme });
        const page = await context.newPage();
        await page.goto(server.url + "search/index.html");
        await page.locator("#search-input").fill(searchWord(root));
        await page.locator(".search-result").first().waitFor({ state: "visible", timeout: 5000 });
        await page.locator("#search-filters input").first().focus();
        const { violations } = await axe(page);
        tally.check(`search results showing ${colorScheme} ${width}px`, violations.length === 0, report(violations));
        await context.close();
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
}
tally.finish();
