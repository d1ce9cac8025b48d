// Live reload of `explainer serve` in a real browser: a copy of a site is
// served by the real binary, an article is open in Chromium, and files are
// edited on disk. The page must follow without any action: an edit to the
// article reloads it; an edit to a page it does not show leaves it alone;
// a stylesheet edit swaps the stylesheet without a reload; a broken edit
// puts the error overlay over the page, and the fix takes it away; a tab
// refused a channel (all are taken) follows again once one is free.
//
//   node livereload.mjs [site-dir] [explainer-binary]

import { spawn } from "node:child_process";
import { cp, mkdtemp, readFile, writeFile, rm, mkdir } from "node:fs/promises";
import { createServer, connect } from "node:net";
import os from "node:os";
import path from "node:path";
import { repo, launch, Tally } from "./lib.mjs";

const source = path.resolve(process.argv[2] ?? repo);
const binary = path.resolve(process.argv[3] ?? path.join(repo, "target/release/explainer"));
const site = await mkdtemp(path.join(os.tmpdir(), "explainer-livereload-"));
for (const part of ["content", "templates", "static", "site.toml"]) {
  await cp(path.join(source, part), path.join(site, part), { recursive: true }).catch(() => {});
}
await mkdir(path.join(site, "static"), { recursive: true });

const port = await new Promise((resolve) => {
  const probe = createServer().listen(0, "127.0.0.1", () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});
let log = "";
const server = spawn(binary, ["serve", "--root", site, "--port", String(port)], {
  stdio: ["ignore", "ignore", "pipe"],
});
server.stderr.on("data", (d) => (log += d));
const base = `http://127.0.0.1:${port}/`;

async function waitForServer() {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(base + "__explainer/reload.js")).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server did not start:\n${log}`);
}

const tally = new Tally();
const browser = await launch();
try {
  await waitForServer();
  const article = "articles/france-begins-niger-troop-withdrawal";
  const file = path.join(site, "content", article + ".md");
  const original = await readFile(file, "utf8");
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(base + article + "/");
  // A mark that only survives as long as the page is not reloaded.
  const mark = () => page.evaluate(() => (window.__mark = Math.random()));
  const marked = (value) => page.evaluate((v) => window.__mark === v, value);
  const waitForText = (text) =>
    page
      .waitForFunction((t) => document.body.innerText.includes(t), text, { timeout: 15000 })
      .then(() => true, () => false);

  // An edit to the article itself reloads it.
  let before = await mark();
  const sentence = `A sentence added while the page was open, ${Date.now()}.`;
  await writeFile(file, `${original}\n${sentence}\n`);
  tally.check("an edit to the open article shows without any action", await waitForText(sentence), log);
  tally.check("the page was reloaded to show it", !(await marked(before)));

  // An edit to an article this page does not show: no reload.
  before = await mark();
  const other = path.join(site, "content/articles/niger-coup-bazoum-detained.md");
  const otherText = await readFile(other, "utf8");
  await writeFile(other, `${otherText}\nAn unrelated addition.\n`);
  const rebuilt = log.split("rebuilt in").length;
  for (let i = 0; i < 100 && log.split("rebuilt in").length === rebuilt; i++) {
    await page.waitForTimeout(50);
  }
  await page.waitForTimeout(500);
  tally.check("an edit elsewhere does not reload this page", await marked(before), log);

  // A stylesheet edit. The theme's pages name their stylesheet by the hash
  // of its content (`style.3f9a1c2b.css`), so editing it changes every page
  // and they reload; a stylesheet linked under a plain name is swapped in
  // place.
  await writeFile(path.join(site, "static/extra.css"), "main { outline: 0 none; }\n");
  for (let i = 0; i < 100 && !(await fetch(base + "extra.css")).ok; i++) await page.waitForTimeout(50);
  await page.evaluate(() => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = "/extra.css";
    document.head.append(link);
  });
  before = await mark();
  await writeFile(path.join(site, "static/extra.css"), "main { outline: 7px solid rgb(1, 2, 3); }\n");
  const swapped = await page
    .waitForFunction(() => getComputedStyle(document.querySelector("main")).outlineColor === "rgb(1, 2, 3)", null, {
      timeout: 15000,
    })
    .then(() => true, () => false);
  tally.check("a stylesheet edit applies without any action", swapped, log);
  tally.check("the stylesheet was swapped, not the page reloaded", await marked(before));
  const hashed = await page.evaluate(() => document.querySelector('link[rel="stylesheet"]').href);
  tally.check("the theme's stylesheet has a hashed name", /\/style\.[0-9a-f]{8}\.css$/.test(hashed), hashed);
  const builtin = await fetch(hashed).then((r) => r.text());
  await writeFile(path.join(site, "static/style.css"), `${builtin}\nbody { outline: 5px solid rgb(4, 5, 6); }\n`);
  tally.check(
    "an edit to the theme's stylesheet shows without any action",
    await page
      .waitForFunction(() => getComputedStyle(document.body).outlineColor === "rgb(4, 5, 6)", null, { timeout: 15000 })
      .then(() => true, () => false),
    log,
  );

  // A broken edit: the overlay over the last good page, then the fix.
  await writeFile(file, original.replace('"russia-in-the-sahel"]', '"russia-in-the-sahl"]'));
  const overlay = page.locator("#__explainer-overlay");
  const shown = await overlay
    .waitFor({ state: "visible", timeout: 15000 })
    .then(() => true, () => false);
  tally.check("a broken edit shows the error overlay", shown, log);
  const text = shown ? await overlay.innerText() : "";
  tally.check(
    "the overlay names the file, line and column, and shows the line",
    /france-begins-niger-troop-withdrawal\.md:\d+:\d+: unknown note "russia-in-the-sahl"/.test(text) &&
      text.includes('background = ["july-2023-coup"'),
    text,
  );
  tally.check("the last good page stays under it", (await page.locator("main h1").innerText()).length > 0);
  tally.check("the overlay is announced", (await overlay.getAttribute("role")) === "alert");
  await mkdir(path.join(repo, "target/screenshots"), { recursive: true });
  await page.screenshot({ path: path.join(repo, "target/screenshots/serve-error-overlay-1280.png") });
  await writeFile(file, original);
  const gone = await overlay
    .waitFor({ state: "detached", timeout: 15000 })
    .then(() => true, () => false);
  tally.check("fixing the file removes the overlay", gone, log);
  tally.check("the page shows the fixed article", !(await page.locator("body").innerText()).includes(sentence));

  // A new tab on a broken site gets the overlay straight from the server.
  await writeFile(file, original.replace('date = "2023-10-10"', 'date = "2023-13-10"'));
  await page.waitForTimeout(300);
  for (let i = 0; i < 100 && !log.includes("still serving the last good build"); i++) {
    await page.waitForTimeout(50);
  }
  const fresh = await context.newPage();
  await fresh.goto(base);
  tally.check(
    "a page opened while the site is broken carries the overlay",
    await fresh
      .locator("#__explainer-overlay")
      .waitFor({ state: "visible", timeout: 15000 })
      .then(() => true, () => false),
  );
  await writeFile(file, original);
  tally.check(
    "and loses it when the site is fixed",
    await fresh
      .locator("#__explainer-overlay")
      .waitFor({ state: "detached", timeout: 15000 })
      .then(() => true, () => false),
  );

  // Every live-reload channel taken (the server allows 32): a new tab is
  // refused one (503), and asks again until it gets one.
  const held = [];
  for (let i = 0; i < 40; i++) {
    const socket = connect(port, "127.0.0.1");
    const status = await new Promise((resolve) => {
      let head = "";
      socket.on("data", (d) => {
        head += d;
        if (head.includes("\r\n")) resolve(head.split(" ")[1]);
      });
      socket.on("error", () => resolve("error"));
      socket.write(`GET /__explainer/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    });
    held.push(socket);
    if (status !== "200") break;
  }
  tally.check("the server refuses a channel when all are taken", held.length < 40, `${held.length} open`);
  const late = await context.newPage();
  late.on("pageerror", (e) => errors.push(String(e)));
  await late.goto(base + article + "/");
  await late.waitForTimeout(1000);
  for (const socket of held) socket.destroy();
  const lateSentence = `Seen by a tab that was refused a channel, ${Date.now()}.`;
  await writeFile(file, `${original}\n${lateSentence}\n`);
  tally.check(
    "a tab refused a channel follows edits once one is free",
    await late
      .waitForFunction((t) => document.body.innerText.includes(t), lateSentence, { timeout: 30000 })
      .then(() => true, () => false),
    log,
  );
  await writeFile(file, original);
  tally.check("no script errors", errors.length === 0, errors.join("\n"));
} catch (e) {
  tally.fail("live reload", `${e.stack ?? e}\nserver log:\n${log}`);
} finally {
  await browser.close();
  server.kill("SIGINT");
  await new Promise((r) => server.once("exit", r));
  await rm(site, { recursive: true, force: true });
}
tally.finish();
