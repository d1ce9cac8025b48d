// Full-page screenshots of one page of each type at 375 and 1280 px, in
// the light and the dark colour scheme, plus an article as printed, saved
// to target/screenshots/ (CI keeps them as artifacts).
//
//   node screenshots.mjs [built-site-dir] [out-dir]

import { mkdir } from "node:fs/promises";
import path from "node:path";
import { siteDir, serve, launch, pageTypes, pageWithCards, visitPageTypes, repo, Tally } from "./lib.mjs";

const root = siteDir();
const out = path.resolve(process.argv[3] ?? path.join(repo, "target/screenshots"));
await mkdir(out, { recursive: true });
const server = await serve(root);
const browser = await launch();
const tally = new Tally();
try {
  const pages = await pageTypes(root);
  await visitPageTypes(browser, server.url, pages, 800, async (page, { name, colorScheme, width }) => {
    const png = path.join(out, `${name}-${width}-${colorScheme}.png`);
    await page.screenshot({ path: png, fullPage: true });
    // Nothing may stick out sideways at any width.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    tally.check(`${path.basename(png)} (no sideways scroll)`, overflow <= 0, `${overflow}px too wide`);
    // The sidebar never shows a key-points heading without its points, nor
    // an empty box (at 375 px the points move up after the lead).
    const emptyBox = await page.evaluate(() => {
      const shown = (el) => el !== null && el.getClientRects().length > 0;
      const aside = document.querySelector("aside.sidebar.know");
      if (!shown(aside)) return "";
      const heading = aside.querySelector(":scope > h2");
      const points = aside.querySelector(":scope > .know-points");
      if (points && shown(heading) && !shown(points)) return "heading shown, points hidden";
      const content = [...aside.children].filter((c) => c !== heading && shown(c));
      return content.length ? "" : "nothing under the heading";
    });
    tally.check(`${path.basename(png)} (no empty sidebar box)`, emptyBox === "", emptyBox);
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const withCards = await pageWithCards(root);
  if (withCards) {
    await page.goto(server.url + withCards);
    await page.locator("main a.xref-actor[data-xref]:visible").first().hover();
    await page.waitForTimeout(100);
    await page.screenshot({ path: path.join(out, "hover-card-1280-light.png") });
    tally.ok("hover-card-1280-light.png");
  }
  const article = pages.find(([name]) => name === "article");
  if (article) {
    await page.emulateMedia({ media: "print" });
    await page.goto(server.url + article[1]);
    await page.screenshot({ path: path.join(out, "article-print.png"), fullPage: true });
    tally.ok("article-print.png");
  }
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
console.log(`screenshots in ${out}`);
tally.finish();
