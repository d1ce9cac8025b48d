// A right-to-left site (tests/fixtures/arabic-site, built) renders right
// to left: on every page type, at 375 and 1280 px, the page is
// `dir="rtl"` and `lang="ar"`, its text runs right to left, nothing sticks
// out sideways, and the layout is mirrored: the site title starts at the
// right, the sidebar sits left of the article on a wide screen, and the
// timeline's rule runs down the right-hand side.
//
//   node rtl.mjs [built-site-dir]

import { siteDir, serve, launch, pageTypes, visitPageTypes, Tally } from "./lib.mjs";

const root = siteDir();
const server = await serve(root);
const browser = await launch();
const tally = new Tally();
try {
  const pages = await pageTypes(root);
  await visitPageTypes(browser, server.url, pages, 800, async (page, { name, colorScheme, width }) => {
    if (colorScheme !== "light") return;
    const where = `${name} ${width}px`;
    const facts = await page.evaluate(() => {
      const html = document.documentElement;
      const box = (sel) => document.querySelector(sel)?.getBoundingClientRect() ?? null;
      const title = box(".site-title");
      const wrap = box(".site-header-inner");
      const event = document.querySelector("main .event");
      const eventStyle = event && getComputedStyle(event);
      return {
        dir: html.getAttribute("dir"),
        lang: html.getAttribute("lang"),
        direction: getComputedStyle(document.body).direction,
        overflow: html.scrollWidth - window.innerWidth,
        // Distance of the title from the right and the left of the header.
        titleFromRight: title && wrap ? wrap.right - title.right : null,
        titleFromLeft: title && wrap ? title.left - wrap.left : null,
        main: box("main"),
        aside: box("aside.sidebar"),
        eventPadding: eventStyle ? [parseFloat(eventStyle.paddingRight), parseFloat(eventStyle.paddingLeft)] : null,
      };
    });
    tally.check(`${where}: <html dir="rtl" lang="ar">`, facts.dir === "rtl" && facts.lang === "ar", JSON.stringify(facts));
    tally.check(`${where}: text runs right to left`, facts.direction === "rtl", facts.direction);
    tally.check(`${where}: no sideways scroll`, facts.overflow <= 0, `${facts.overflow}px too wide`);
    if (facts.titleFromRight !== null) {
      tally.check(
        `${where}: the site title starts at the right`,
        facts.titleFromRight < facts.titleFromLeft,
        `${facts.titleFromRight}px from the right, ${facts.titleFromLeft}px from the left`,
      );
    }
    if (width >= 1024 && facts.aside && facts.aside.width > 0 && facts.aside.height > 0) {
      tally.check(
        `${where}: the sidebar sits left of the main column`,
        facts.aside.right <= facts.main.left + 1,
        `aside ends at ${facts.aside.right}px, main starts at ${facts.main.left}px`,
      );
    }
    if (facts.eventPadding) {
      const [right, left] = facts.eventPadding;
      tally.check(`${where}: the timeline's rule runs on the right`, right > left, `padding right ${right}px, left ${left}px`);
    }
  });
} finally {
  await browser.close();
  await server.close();
}
tally.finish();
