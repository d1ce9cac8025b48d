// The bytes a first search fetches: opens the search page of a built site
// in Chromium (served by tests/browser/lib.mjs, which sends files as they
// are, uncompressed), types a query, waits for the results, and sums every
// request made for the query after the page itself had loaded. Also gives
// the sum with text files (JS, JSON) gzip-compressed, as a static host
// sends them; Pagefind's own data files are gzip already.
//
//   node bench/search_first_query.mjs BUILT-SITE [QUERY]
//
// Needs tests/browser's packages (cd tests/browser && npm ci --ignore-scripts).

import { gzipSync } from "node:zlib";
import { siteDir, serve, launch } from "../tests/browser/lib.mjs";

const root = siteDir();
const query = process.argv[3] ?? "Niger";
const server = await serve(root);
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(server.url + "search/index.html");
  await page.waitForLoadState("networkidle");
  const fetched = [];
  const track = async (response) => {
    if (!response.url().includes("/pagefind/")) return;
    const body = await response.body().catch(() => Buffer.alloc(0));
    const text = /\.(js|json)$/.test(new URL(response.url()).pathname);
    fetched.push({ url: new URL(response.url()).pathname, raw: body.length, sent: text ? gzipSync(body).length : body.length });
  };
  // The bundle loads when the page opens: everything under pagefind/
  // from the start counts, as a reader's first query needs it.
  page.on("response", track);
  await page.reload();
  await page.locator("#search-input").fill(query);
  await page.locator(".search-result").first().waitFor({ state: "visible", timeout: 30000 });
  await page.waitForLoadState("networkidle");
  await new Promise((r) => setTimeout(r, 500));
  const raw = fetched.reduce((n, f) => n + f.raw, 0);
  const sent = fetched.reduce((n, f) => n + f.sent, 0);
  for (const f of fetched) console.log(`${String(f.raw).padStart(9)} ${String(f.sent).padStart(9)}  ${f.url}`);
  console.log(`first query "${query}": ${fetched.length} files, ${(raw / 1024).toFixed(1)} KiB as stored, ${(sent / 1024).toFixed(1)} KiB with text gzip-compressed`);
} finally {
  await browser.close();
  await server.close();
}
