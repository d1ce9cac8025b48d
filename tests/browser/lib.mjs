// Shared by the browser checks: a tiny static server for a built site on
// 127.0.0.1, Debian's Chromium through playwright-core, the pages of each
// type, and a pass/fail tally.

import { createServer } from "node:http";
import { readFile, readdir, stat } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, "../..");

/// The built site to check: the first argument, else the sample site.
export function siteDir() {
  const dir = path.resolve(process.argv[2] ?? path.join(repo, "public"));
  if (!existsSync(path.join(dir, "index.html"))) {
    console.error(`no built site in ${dir}: run \`explainer build\` first`);
    process.exit(2);
  }
  return dir;
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".svg": "image/svg+xml",
  ".webp": "image/webp",
};

/// The path the site is built for (`/` or `/repo/`), from the canonical
/// URL of its front page.
async function basePath(root) {
  const html = await readFile(path.join(root, "index.html"), "utf8");
  const canonical = html.match(/<link rel="canonical" href="([^"]+)"/);
  return canonical ? new URL(canonical[1]).pathname : "/";
}

/// Serves `root` on a free loopback port at the site's base path, like a
/// static host: folders answer with their index.html, anything missing
/// with 404.html. `url` is the site's root.
export async function serve(root) {
  const base = await basePath(root);
  const server = createServer(async (req, res) => {
    const pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = pathname.startsWith(base) ? path.join(root, pathname.slice(base.length)) : "";
    if (!file.startsWith(root)) file = path.join(root, "404.html.missing");
    try {
      if ((await stat(file)).isDirectory()) file = path.join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": TYPES[".html"] });
      res.end(await readFile(path.join(root, "404.html")).catch(() => "not found"));
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}${base}`;
  return { url, close: () => new Promise((resolve) => server.close(resolve)) };
}

/// Debian's Chromium (apt-get install chromium); CHROMIUM overrides it.
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

async function firstPage(root, section) {
  const dir = path.join(root, section);
  if (!existsSync(dir)) return null;
  const entries = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, "index.html")))
    .map((e) => e.name)
    .sort();
  return entries.length ? `${section}/${entries[0]}/index.html` : null;
}

/// The first standalone page (a folder at the output root that is not a
/// section and not a redirect), or null.
async function standalonePage(root) {
  const sections = new Set(["articles", "explainers", "actors", "topics", "timeline", "search", "authors", "pagefind"]);
  const entries = (await readdir(root, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && !sections.has(e.name))
    .map((e) => `${e.name}/index.html`)
    .filter((p) => existsSync(path.join(root, p)))
    .sort();
  for (const p of entries) {
    const html = await readFile(path.join(root, p), "utf8");
    if (!html.includes('content="noindex"')) return p;
  }
  return null;
}

/// The second page of the first list in `section` that has one
/// (`actors/x/page/2/index.html`), when the site's lists are paginated.
async function laterPage(root, section) {
  const dir = path.join(root, section);
  if (!existsSync(dir)) return null;
  const names = (await readdir(dir)).sort();
  const found = names.find((name) => existsSync(path.join(dir, name, "page", "2", "index.html")));
  return found ? `${section}/${found}/page/2/index.html` : null;
}

/// One page of each type, as [name, path under the output root].
export async function pageTypes(root) {
  const pages = [
    ["front", "index.html"],
    ["article", await firstPage(root, "articles")],
    ["explainer", await firstPage(root, "explainers")],
    ["actor", await firstPage(root, "actors")],
    ["articles", "articles/index.html"],
    ["explainers", "explainers/index.html"],
    ["actors", "actors/index.html"],
    ["topics", "topics/index.html"],
    ["topic", await firstPage(root, "topics")],
    ["timeline", "timeline/index.html"],
    ["timeline-year", await firstPage(root, "timeline")],
    ["articles-page-2", "articles/page/2/index.html"],
    ["actor-page-2", await laterPage(root, "actors")],
    ["404", "404.html"],
    ["embeds", await pageWith(root, "data-embed-frame=")],
    ["page", await standalonePage(root)],
    ["search", "search/index.html"],
  ];
  return pages.filter(([, p]) => p && existsSync(path.join(root, p)));
}

/// Opens every page of `pages` (from `pageTypes`) in light and dark
/// colour schemes at 375 and 1280 px wide, calling `visit(page, where)`
/// with the page loaded; `where` has name, file, colorScheme and width.
export async function visitPageTypes(browser, url, pages, height, visit) {
  for (const colorScheme of ["light", "dark"]) {
    for (const width of [375, 1280]) {
      const context = await browser.newContext({ viewport: { width, height }, colorScheme });
      const page = await context.newPage();
      for (const [name, file] of pages) {
        await page.goto(url + file);
        await visit(page, { name, file, colorScheme, width });
      }
      await context.close();
    }
  }
}

/// An article that has hover-card links in its text, or null.
export async function pageWithCards(root) {
  return pageWith(root, 'id="xref-cards"');
}

/// The first article, explainer or actor page whose HTML holds `text`
/// (an embed placeholder, hover-card data), or null.
export async function pageWith(root, text) {
  for (const section of ["articles", "explainers", "actors"]) {
    const dir = path.join(root, section);
    if (!existsSync(dir)) continue;
    for (const name of (await readdir(dir)).sort()) {
      const file = path.join(dir, name, "index.html");
      if (!existsSync(file)) continue;
      if ((await readFile(file, "utf8")).includes(text)) return `${section}/${name}/index.html`;
    }
  }
  return null;
}

/// Counts checks and prints `N passed, N failed` at the end.
export class Tally {
  passed = 0;
  failed = 0;
  ok(name) {
    this.passed++;
    console.log(`ok   ${name}`);
  }
  fail(name, detail) {
    this.failed++;
    console.log(`FAIL ${name}`);
    if (detail) console.log(detail.replace(/^/gm, "     "));
  }
  check(name, condition, detail) {
    if (condition) this.ok(name);
    else this.fail(name, detail);
  }
  finish() {
    console.log(`${this.passed} passed, ${this.failed} failed`);
    process.exitCode = this.failed ? 1 : 0;
  }
}
