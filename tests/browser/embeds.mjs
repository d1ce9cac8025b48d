// Click-to-load embeds in Chromium, with no network: every request to
// another host is intercepted and answered with a stub page. Checks, on
// the first page with an embed placeholder:
//   - nothing is requested from another host before the click (no frame,
//     script, image or font of a provider);
//   - the placeholder shows the provider, the link and the button;
//   - a click on the button puts an iframe with the placeholder's address
//     and title in its place, and only then is the provider asked;
//   - without JavaScript there is no button and the link remains.
//
//   node embeds.mjs [built-site-dir]

import { siteDir, serve, launch, pageWith, Tally } from "./lib.mjs";

const root = siteDir();
const server = await serve(root);
const browser = await launch();
const tally = new Tally();
const local = new URL(server.url).host;
try {
  const file = await pageWith(root, "data-embed-frame=");
  tally.check("a page with an embed placeholder", file !== null, `none in ${root}`);
  if (file) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const thirdParty = [];
    await context.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (url.host === local) return route.continue();
      thirdParty.push(url.href);
      return route.fulfill({
        status: 200,
        contentType: "text/html",
        body: "<!doctype html><html lang=en><title>stub</title><p id=stub>provider frame</p>",
      });
    });
    const page = await context.newPage();
    await page.goto(server.url + file, { waitUntil: "load" });
    await page.waitForTimeout(300);
    tally.check("no request to another host before a click", thirdParty.length === 0, thirdParty.join("\n"));
    tally.check("no cookie before a click", (await context.cookies()).length === 0);

    const box = page.locator(".embed[data-embed-frame]").first();
    const frameUrl = await box.getAttribute("data-embed-frame");
    const title = await box.getAttribute("data-embed-title");
    const button = box.locator("button.embed-load");
    tally.check("the button is shown by the script", await button.isVisible());
    const label = (await button.textContent()) ?? "";
    const provider = ((await box.locator(".embed-provider").textContent()) ?? "").trim();
    tally.check(
      "the button names the provider and the content",
      provider.length > 0 && label.includes(provider),
      `${label} / ${provider}`,
    );
    tally.check("the link is there", (await box.locator(".embed-link a").getAttribute("href"))?.startsWith("http"));
    tally.check("no iframe before a click", (await page.locator("iframe").count()) === 0);

    await button.click();
    const frame = box.locator("iframe.embed-iframe");
    await frame.waitFor({ state: "attached", timeout: 3000 });
    tally.check("a click puts the frame in place", (await frame.getAttribute("src")) === frameUrl, frameUrl);
    tally.check("the frame has the placeholder's title", (await frame.getAttribute("title")) === title, title);
    const content = page.frameLocator(".embed iframe.embed-iframe").first().locator("#stub");
    await content.waitFor({ timeout: 3000 }).catch(() => {});
    tally.check("the frame loads after the click", await content.isVisible());
    tally.check(
      "only the clicked embed's host is asked",
      thirdParty.length > 0 && thirdParty.every((u) => new URL(u).host === new URL(frameUrl).host),
      thirdParty.join("\n"),
    );
    tally.check("the button is gone", (await box.locator("button.embed-load").count()) === 0);
    await context.close();

    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const plain = await noScript.newPage();
    await plain.goto(server.url + file);
    const plainBox = plain.locator(".embed[data-embed-frame]").first();
    tally.check("without JavaScript, no button", !(await plainBox.locator("button.embed-load").isVisible()));
    tally.check("without JavaScript, the link", await plainBox.locator(".embed-link a").isVisible());
    await noScript.close();
  }
} finally {
  await browser.close();
  await server.close();
}
tally.finish();
