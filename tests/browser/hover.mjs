// Hover cards in a real browser: an actor link in an article's text shows
// its card on hover and on keyboard focus, the card does not cover the
// link, can itself be hovered, and Escape closes it. Without JavaScript
// the link is a plain link.
//
//   node hover.mjs [built-site-dir]

import { siteDir, serve, launch, pageWithCards, Tally } from "./lib.mjs";

const root = siteDir();
const file = await pageWithCards(root);
if (!file) {
  console.error("no page with hover-card links in this site");
  process.exit(1);
}
const server = await serve(root);
const browser = await launch();
const tally = new Tally();

function overlaps(a, b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(server.url + file);
  const cards = JSON.parse(await page.locator("#xref-cards").textContent());
  const link = page.locator('main a.xref-actor[data-xref]:visible').first();
  const key = await link.getAttribute("data-xref");
  const expected = cards[key];
  const card = page.locator("#xref-card");
  tally.check(`card data for ${key}`, expected && expected.name, JSON.stringify(expected));

  // Hover.
  await link.hover();
  await card.waitFor({ state: "visible", timeout: 2000 }).catch(() => {});
  tally.check("hover shows the card", await card.isVisible());
  const text = (await card.textContent()) ?? "";
  tally.check(
    "the card shows name and role",
    text.includes(expected.name) && text.includes(expected.role),
    `card: ${JSON.stringify(text)}, expected ${JSON.stringify(expected)}`,
  );
  tally.check("role=tooltip", (await card.getAttribute("role")) === "tooltip");
  tally.check("the link is described by the card", (await link.getAttribute("aria-describedby")) === "xref-card");
  const [linkBox, cardBox] = [await link.boundingBox(), await card.boundingBox()];
  tally.check(
    "the card does not cover the link",
    linkBox && cardBox && !overlaps(linkBox, cardBox),
    `link ${JSON.stringify(linkBox)}, card ${JSON.stringify(cardBox)}`,
  );
  // WCAG 1.4.13 hoverable: the pointer moves onto the card, which stays.
  await page.mouse.move(linkBox.x + linkBox.width / 2, linkBox.y + linkBox.height - 1);
  await page.mouse.move(cardBox.x + cardBox.width / 2, cardBox.y + cardBox.height / 2, { steps: 5 });
  await page.waitForTimeout(400);
  tally.check("the card stays while hovered itself", await card.isVisible());
  await page.keyboard.press("Escape");
  tally.check("Escape closes the hovered card", !(await card.isVisible()));
  tally.check("no aria-describedby once closed", (await link.getAttribute("aria-describedby")) === null);
  await page.mouse.move(0, 0);
  await page.waitForTimeout(300);

  // Keyboard focus.
  await link.focus();
  await card.waitFor({ state: "visible", timeout: 2000 }).catch(() => {});
  tally.check("focus shows the card", await card.isVisible());
  tally.check("focused card shows the name", ((await card.textContent()) ?? "").includes(expected.name));
  await page.keyboard.press("Escape");
  tally.check("Escape closes the focused card", !(await card.isVisible()));
  tally.check("focus stays on the link after Escape", await link.evaluate((a) => document.activeElement === a));
  await link.blur();

  // Moving away hides it.
  await link.hover();
  await card.waitFor({ state: "visible", timeout: 2000 }).catch(() => {});
  await page.mouse.move(5, 5);
  await page.waitForTimeout(500);
  tally.check("leaving the link hides the card", !(await card.isVisible()));

  // An explainer link shows title and summary, when the page has one.
  const note = page.locator("main a.xref-note[data-xref]:visible").first();
  if ((await note.count()) > 0) {
    const info = cards[await note.getAttribute("data-xref")];
    await note.focus();
    await card.waitFor({ state: "visible", timeout: 2000 }).catch(() => {});
    const t = (await card.textContent()) ?? "";
    tally.check("an explainer link shows title and summary", t.includes(info.title) && t.includes(info.summary), t);
    await page.keyboard.press("Escape");
  }
  tally.check("no script errors", errors.length === 0, errors.join("\n"));
  await context.close();

  // Without JavaScript: a plain link, no card.
  const plain = await browser.newContext({ javaScriptEnabled: false });
  const p2 = await plain.newPage();
  await p2.goto(server.url + file);
  const l2 = p2.locator("main a.xref-actor[data-xref]:visible").first();
  await l2.hover();
  tally.check("without JavaScript there is no card", (await p2.locator("#xref-card").count()) === 0);
  const href = await l2.getAttribute("href");
  await l2.click();
  await p2.waitForLoadState();
  tally.check("without JavaScript the link still navigates", p2.url().endsWith(href.replace(/^(\.\.\/)+/, "")), p2.url());
  await plain.close();
} finally {
  await browser.close();
  await server.close();
}
tally.finish();
