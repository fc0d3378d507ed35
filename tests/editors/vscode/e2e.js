// End-to-end test of the factlens VS Code extension in real VS Code
// (code-server 4.100.3 = VS Code 1.100.3 in a browser), driven with
// playwright-core and Debian's chromium. Checks what a user sees: the
// squiggle, the Problems panel row, the hover with its link, the quick fix.
//
// Run by tests/editors/vscode/run.sh; env:
//   FACTLENS_BIN, FACTLENS_VSIX, FACTLENS_WS (throwaway fixture copy),
//   FACTLENS_TMP (throwaway dirs), FACTLENS_ART (screenshots),
//   CODE_SERVER (binary), CHROMIUM (binary), FACTLENS_TIMEOUT_MS (per step).
"use strict";

const cp = require("child_process");
const fs = require("fs");
const http = require("http");
const net = require("net");
const path = require("path");
const { chromium } = require("playwright-core");

const BIN = need("FACTLENS_BIN");
const VSIX = need("FACTLENS_VSIX");
const WS = need("FACTLENS_WS");
const TMP = need("FACTLENS_TMP");
const ART = need("FACTLENS_ART");
const CODE_SERVER = process.env.CODE_SERVER || "code-server";
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const STEP_MS = Number(process.env.FACTLENS_TIMEOUT_MS || 30000);

const results = { editor: "vscode (code-server 4.100.3)", checks: [], screenshots: [], ok: true, timings: {} };
let server; // code-server child (own process group)
let browser;

function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} not set`);
  return v;
}

function check(name, ok, detail) {
  results.checks.push({ name, status: ok ? "pass" : "FAIL", detail: ok ? undefined : detail });
  if (!ok) results.ok = false;
  process.stderr.write(`${ok ? "ok  " : "FAIL"} ${name}${ok ? "" : " -- " + JSON.stringify(detail)}\n`);
  return ok;
}

function skip(name, why) {
  results.checks.push({ name, status: "skip", detail: `SKIP: ${why}` });
  process.stderr.write(`SKIP ${name} -- ${why}\n`);
}

/** Run fn with a fixed time limit; a timeout is a failure with a clear message. */
async function step(name, fn, ms = STEP_MS) {
  let timer;
  const t0 = Date.now();
  try {
    const r = await Promise.race([
      fn(),
      new Promise((_, rej) => {
        timer = setTimeout(() => rej(new Error(`timed out after ${ms} ms`)), ms);
      }),
    ]);
    results.timings[name] = Date.now() - t0;
    return r;
  } finally {
    clearTimeout(timer);
  }
}

async function shot(page, name) {
  const file = path.join(ART, name);
  await page.screenshot({ path: file }).catch(() => {});
  results.screenshots.push(file);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

function httpOk(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode < 500);
    });
    req.on("error", () => resolve(false));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(false);
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function poll(fn, ms, what) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await sleep(200);
  }
  throw new Error(`${what}: not seen within ${ms} ms`);
}

/** 1-based line and UTF-16 column (as VS Code shows them) of `needle` in a file. */
function position(file, needle) {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const c = lines[i].indexOf(needle);
    if (c >= 0) return { line: i + 1, col: c + 1 };
  }
  throw new Error(`fixture text not found: ${needle}`);
}

/** A link whose target, as the server wrote it, is a file: URI of housing-wire.txt
 *  (VS Code keeps it in title; code-server rewrites data-href to vscode-remote:). */
const isWireLink = (l) => [l.title, l.dataHref, l.href].some((u) => /^file:\/\/\/.*housing-wire\.txt/.test(u || ""));

const norm = (s) => (s || "").replace(/\u00a0/g, " ");

async function editorText(page) {
  return norm(
    await page.evaluate(() => {
      const el = document.querySelector(".editor-group-container.active .monaco-editor .view-lines");
      return el ? el.innerText : "";
    }),
  );
}

async function squiggles(page) {
  return page.locator(".editor-group-container.active .monaco-editor .squiggly-warning").count();
}

/** Bounding boxes of the warning squiggles in the active editor, top to bottom. */
async function squiggleBoxes(page) {
  const boxes = [];
  for (const el of await page.locator(".editor-group-container.active .monaco-editor .squiggly-warning").all()) {
    const b = await el.boundingBox();
    if (b) boxes.push(b);
  }
  return boxes.sort((a, b) => a.y - b.y || a.x - b.x);
}

/**
 * Show the hover at the centre of `box`: point the mouse at it, as a user
 * does; if no hover shows within `ms` (a busy CI machine has been seen to
 * drop the mouse hover once), put the cursor there and run "Show Hover"
 * (Ctrl+K Ctrl+I), the keyboard user's way. Returns how the hover was shown;
 * throws if neither way shows one. `where` is a box or an async function
 * giving one: it is measured again before the click, because the layout can
 * move meanwhile (the code lens of the matching claims appears above the
 * paragraph when the workspace index is built, and pushes the line down).
 */
async function showHoverAt(page, where, ms = 5000) {
  const boxNow = async () => (typeof where === "function" ? await where() : where);
  const centre = (b) => [b.x + b.width / 2, b.y + b.height / 2];
  const hover = page.locator(".monaco-hover:visible").first();
  let box = await boxNow();
  if (!box) throw new Error("nothing to hover");
  let [x, y] = centre(box);
  await page.mouse.move(5, 5);
  await page.mouse.move(x, y, { steps: 4 });
  try {
    await hover.waitFor({ state: "visible", timeout: ms });
    return "mouse";
  } catch (_) {
    // A hover that shows late would cover the point and take the click:
    // dismiss it first, so that the click puts the cursor in the squiggle.
    await page.mouse.move(5, 5);
    await page.keyboard.press("Escape");
    await sleep(300);
    box = await boxNow();
    if (!box) throw new Error("nothing to hover");
    [x, y] = centre(box);
    await page.mouse.click(x, y);
    await page.mouse.move(5, 5);
    await page.keyboard.press("Escape");
    await page.keyboard.press("Control+K");
    await page.keyboard.press("Control+I");
    await hover.waitFor({ state: "visible", timeout: ms });
    return "keyboard";
  }
}

/** Show the hover of the first (topmost) squiggle (see showHoverAt). */
async function hoverFirstSquiggle(page, ms = 5000) {
  const first = async () => {
    const [box] = await squiggleBoxes(page);
    if (!box) throw new Error("no squiggle to hover");
    return box;
  };
  return showHoverAt(page, first, ms);
}

async function openFile(page, name) {
  await page.keyboard.press("Control+P");
  await page.locator(".quick-input-widget input").waitFor({ state: "visible", timeout: STEP_MS });
  await page.keyboard.type(name, { delay: 20 });
  await poll(
    async () => (await page.locator(".quick-input-list .monaco-list-row").first().textContent().catch(() => ""))?.includes(name),
    STEP_MS,
    `quick open result for ${name}`,
  );
  await page.keyboard.press("Enter");
  await page
    .locator(`.tabs-container .tab.active[aria-label*="${name}"], .tabs-container .tab.active:has-text("${name}")`)
    .first()
    .waitFor({ timeout: STEP_MS });
}

async function gotoPos(page, line, col) {
  await page.locator(".editor-group-container.active .monaco-editor textarea").first().focus();
  await page.keyboard.press("Control+G");
  await page.locator(".quick-input-widget input").waitFor({ state: "visible", timeout: STEP_MS });
  await page.keyboard.type(`${line}:${col}`, { delay: 20 });
  await page.keyboard.press("Enter");
  await poll(
    async () => {
      const t = await page.locator("#status\\.editor\\.selection, .statusbar-item[id*='selection']").first().textContent().catch(() => "");
      return (t || "").includes(`Ln ${line}, Col ${col}`);
    },
    STEP_MS,
    `cursor at Ln ${line}, Col ${col}`,
  );
}

/** Whether keyboard focus is in the active editor group's text editor. */
async function editorFocused(page) {
  return page.evaluate(() => {
    const ed = document.querySelector(".editor-group-container.active .monaco-editor");
    return !!ed && ed.contains(document.activeElement) && ed.classList.contains("focused");
  });
}

/** Replace the user settings as a user does: Preferences: Open User Settings
 *  (JSON), select all, type the new JSON, save. Every keystroke waits for
 *  the editor to show its effect (code-server on a busy machine is slow to
 *  load the file and to move focus). Resolves once the file on disk parses
 *  and satisfies `saved`. */
async function editUserSettings(page, settingsFile, st, saved) {
  await page.keyboard.press("Escape");
  await page.keyboard.press("F1");
  await page.locator(".quick-input-widget input").waitFor({ state: "visible", timeout: STEP_MS });
  await page.keyboard.type("Preferences: Open User Settings (JSON)", { delay: 10 });
  await poll(async () => (await page.locator(".quick-input-list .monaco-list-row.focused").first().textContent().catch(() => ""))?.includes("Open User Settings (JSON)"), STEP_MS, "the settings command");
  await page.keyboard.press("Enter");
  await page.locator('.tabs-container .tab.active:has-text("settings.json")').waitFor({ timeout: STEP_MS });
  await page.locator(".quick-input-widget").waitFor({ state: "hidden", timeout: STEP_MS }).catch(() => {});
  // the file's text is shown and the editor has the keyboard
  await poll(async () => (await editorText(page)).includes('"factlens.path"'), STEP_MS, "settings.json loaded in the editor");
  await poll(async () => {
    if (await editorFocused(page)) return true;
    await page.locator(".editor-group-container.active .monaco-editor .view-lines").first().click();
    return editorFocused(page);
  }, STEP_MS, "focus in the settings.json editor");
  const want = JSON.stringify(st);
  await poll(async () => {
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Delete");
    return (await editorText(page)).trim() === "";
  }, STEP_MS, "settings.json emptied");
  // one line (no auto-indent), then drop whatever auto-closing added
  await page.keyboard.insertText(want);
  await poll(async () => (await editorText(page)).includes(want.slice(-40)), STEP_MS, "the new settings typed");
  await page.keyboard.press("Shift+Control+End");
  await page.keyboard.press("Delete");
  await poll(async () => (await editorText(page)).trim() === want, STEP_MS, "the editor holds exactly the new settings");
  await page.keyboard.press("Control+S");
  await poll(() => {
    try {
      return saved(JSON.parse(fs.readFileSync(settingsFile, "utf8")));
    } catch {
      return false;
    }
  }, STEP_MS, "settings.json saved");
}

/** The server's capabilities, from a plain LSP handshake with the binary
 *  (features land progressively; a missing one is a SKIP, never a pass). */
function probeCapabilities() {
  return new Promise((resolve) => {
    const p = cp.spawn(BIN, ["lsp", "--stdio"], { stdio: ["pipe", "pipe", "ignore"] });
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => { p.kill("SIGKILL"); resolve({}); }, 10000);
    p.stdout.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      const text = buf.toString("utf8");
      const i = text.indexOf("\r\n\r\n");
      if (i < 0) return;
      const len = Number(/Content-Length: *(\d+)/i.exec(text.slice(0, i))?.[1]);
      const body = buf.slice(Buffer.byteLength(text.slice(0, i + 4)));
      if (body.length < len) return;
      clearTimeout(timer);
      let caps = {};
      try { caps = JSON.parse(body.slice(0, len).toString("utf8")).result.capabilities || {}; } catch {}
      p.kill("SIGKILL");
      resolve(caps);
    });
    p.on("error", () => { clearTimeout(timer); resolve({}); });
    const msg = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { processId: null, rootUri: null, capabilities: {} } });
    p.stdin.write(`Content-Length: ${Buffer.byteLength(msg)}\r\n\r\n${msg}`);
  });
}

/** Analysis features of this server, from its own CLI (they land progressively). */
function probeFeatures() {
  const f = { quotes: false, attribution: false, matching: false };
  for (const name of ["housing-draft.md", "housing-wire.txt"]) {
    const r = cp.spawnSync(BIN, ["annotate", path.join(WS, name), "--format", "json"], { encoding: "utf8", timeout: 20000 });
    for (const line of (r.stdout || "").split("\n")) {
      try {
        const o = JSON.parse(line);
        if (o.kind === "quotation" || o.kind === "scare-quote") f.quotes = true;
        if (["sourced", "vague", "attributed"].includes(o.status)) f.attribution = true;
      } catch {}
    }
  }
  const m = cp.spawnSync(BIN, ["matches", path.join(WS, "housing-draft.md"), "--workspace", WS, "--format", "json"], { encoding: "utf8", timeout: 20000 });
  f.matching = /"matches":\[\{/.test(m.stdout || "");
  f.matchesCli = m.status === 0 || m.status === 1; // 2: usage error / not built

  return f;
}

async function main() {
  const caps = await probeCapabilities();
  const F = probeFeatures();
  results.features = F;
  const wantSquiggles = F.quotes ? 2 : 1;
  results.serverCapabilities = Object.keys(caps);
  fs.mkdirSync(ART, { recursive: true });
  const userData = path.join(TMP, "user-data");
  const extDir = path.join(TMP, "extensions");
  fs.mkdirSync(path.join(userData, "User"), { recursive: true });
  fs.mkdirSync(extDir, { recursive: true });
  fs.writeFileSync(
    path.join(userData, "User", "settings.json"),
    JSON.stringify(
      {
        "factlens.path": BIN,
        "workbench.startupEditor": "none",
        "workbench.tips.enabled": false,
        "workbench.welcomePage.walkthroughs.openOnInstall": false,
        "security.workspace.trust.enabled": false,
        "telemetry.telemetryLevel": "off",
        "extensions.autoCheckUpdates": false,
        "extensions.autoUpdate": false,
        "extensions.ignoreRecommendations": true,
        "update.mode": "none",
        "git.enabled": false,
        "chat.commandCenter.enabled": false,
        "editor.hover.delay": 200,
        "editor.minimap.enabled": false,
        "window.restoreWindows": "none",
      },
      null,
      2,
    ),
  );
  const port = await freePort();
  const config = path.join(TMP, "config.yaml");
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const common = ["--user-data-dir", userData, "--extensions-dir", extDir, "--config", config];
  const env = { ...process.env, XDG_CONFIG_HOME: path.join(TMP, "xdg-config"), XDG_DATA_HOME: path.join(TMP, "xdg-data"), XDG_CACHE_HOME: path.join(TMP, "xdg-cache") };

  // Install the .vsix the way a user does.
  await step("install the .vsix", async () => {
    const r = cp.spawnSync(CODE_SERVER, [...common, "--install-extension", VSIX], { env, encoding: "utf8", timeout: 60000 });
    const out = `${r.stdout}\n${r.stderr}`;
    check("code-server --install-extension factlens.vsix", r.status === 0 && /successfully installed/i.test(out), out.trim());
    const installed = fs.readdirSync(extDir).filter((d) => d.startsWith("factlens.factlens"));
    check("the extension is in the extensions dir", installed.length === 1, fs.readdirSync(extDir));
  }, 90000);

  await step("start code-server", async () => {
    server = cp.spawn(
      CODE_SERVER,
      [...common, "--auth", "none", "--bind-addr", `127.0.0.1:${port}`, "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust", "--disable-getting-started-override", WS],
      { env, detached: true, stdio: ["ignore", fs.openSync(path.join(ART, "code-server.log"), "w"), fs.openSync(path.join(ART, "code-server.log"), "a")] },
    );
    fs.writeFileSync(path.join(TMP, "code-server.pid"), String(server.pid));
    await poll(() => httpOk(`http://127.0.0.1:${port}/healthz`), 60000, "code-server listening");
  }, 70000);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });

  await step("open the workbench", async () => {
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(WS)}`, { timeout: 60000 });
    await page.locator(".monaco-workbench").waitFor({ timeout: 60000 });
    await page.locator(".explorer-folders-view, .explorer-viewlet").first().waitFor({ timeout: 60000 }).catch(() => {});
  }, 90000);

  // --- Markdown draft: squiggle, Problems row, hover link, quick fix ---
  const draft = path.join(WS, "housing-draft.md");
  const wire = path.join(WS, "housing-wire.txt");
  const fig = position(draft, "$3.5 million");
  const quote = position(draft, "“Every family");

  await step("open housing-draft.md", () => openFile(page, "housing-draft.md"));
  const t0 = Date.now();
  let ok = await step("squiggle appears", async () => {
    await page.locator(".editor-group-container.active .squiggly-warning").first().waitFor({ timeout: 60000 });
    return true;
  }, 65000).catch((e) => e);
  results.timings["open to first squiggle ms"] = Date.now() - t0;
  await shot(page, "01-squiggles.png");
  if (!check("warning squiggles on the Markdown draft (.squiggly-warning)", ok === true, String(ok))) {
    return;
  }
  await poll(async () => (await squiggles(page)) >= wantSquiggles, STEP_MS, "squiggles").catch(() => {});
  const nSquiggles = await squiggles(page);
  check(`${wantSquiggles} warning squiggle(s): unsourced figure${F.quotes ? ", unattributed quotation" : ""}`, nSquiggles === wantSquiggles, { squiggles: nSquiggles });
  if (!F.quotes) skip("squiggle on the unattributed quotation", "quotation detection not available in this server (factlens annotate reports no quotation)");

  // Problems panel.
  await page.keyboard.press("Control+Shift+M");
  const rowsSel = ".markers-panel .monaco-list-row";
  let rows = [];
  try {
    await step("Problems panel rows", () =>
      poll(async () => {
        rows = (await page.locator(rowsSel).allTextContents()).map(norm);
        return rows.some((r) => r.includes("unsourced-figure")) && (!F.quotes || rows.some((r) => r.includes("unattributed-quote")));
      }, STEP_MS, "Problems rows for unsourced-figure and unattributed-quote"),
    );
  } catch (e) {
    process.stderr.write(`  (${e})\n`);
  }
  await shot(page, "02-problems.png");
  const figRow = rows.find((r) => r.includes("unsourced-figure"));
  check("Problems panel row: factlens unsourced-figure with its message", !!figRow && figRow.includes("factlens") && figRow.includes("$3.5 million"), rows);
  check(`Problems row at the figure's position [Ln ${fig.line}, Col ${fig.col}] (after Persian and emoji)`, !!figRow && figRow.includes(`[Ln ${fig.line}, Col ${fig.col}]`), figRow);
  const quoteRow = rows.find((r) => r.includes("unattributed-quote"));
  if (F.quotes) check(
    `Problems row: unattributed-quote at [Ln ${quote.line}, Col ${quote.col}] or one column in`,
    !!quoteRow && (quoteRow.includes(`[Ln ${quote.line}, Col ${quote.col}]`) || quoteRow.includes(`[Ln ${quote.line}, Col ${quote.col + 1}]`)),
    quoteRow,
  );
  await page.keyboard.press("Control+Shift+M"); // toggle the panel away

  // Hover on the figure: the diagnostic and the matching claim with a link.
  const hasHover = !!caps.hoverProvider;
  const hasFix = !!caps.codeActionProvider;
  let hoverText = "";
  let links = [];
  try {
    await step("hover", async () => {
      // the workspace index builds in the background: hover again until the
      // matching claim shows up (or the time limit)
      await poll(async () => {
        const how = await hoverFirstSquiggle(page).catch((e) => {
          process.stderr.write(`  (hover not shown: ${e.message.split("\n")[0]})\n`);
          return "";
        });
        if (!how) return false;
        if (how !== "mouse") results.timings["hover shown by"] = how;
        await sleep(300);
        hoverText = norm(await page.locator(".monaco-hover:visible").first().innerText().catch(() => ""));
        links = await page.locator(".monaco-hover:visible a").evaluateAll((as) => as.map((a) => ({ href: a.getAttribute("href") || "", dataHref: a.getAttribute("data-href") || "", title: a.getAttribute("title") || "", text: a.textContent })));
        // a hover that slipped off the figure (onto the rest of its
        // sentence) shows the matches without the diagnostic: hover again,
        // as a user would
        const diagnostic = /unsourced/i.test(hoverText) && hoverText.includes("$3.5 million");
        return diagnostic && (!(hasHover && F.matching) || links.some(isWireLink));
      }, 40000, "the diagnostic and a file: link to housing-wire.txt in the hover");
    }, 45000);
  } catch (e) {
    process.stderr.write(`  (${e})\n`);
  }
  await shot(page, "03-hover.png");
  const link = links.find(isWireLink);
  check("hover shows the diagnostic message", /unsourced/i.test(hoverText) && hoverText.includes("$3.5 million"), hoverText.slice(0, 800));
  if (hasHover && !F.matching) skip("hover has a file: link to the matching claim in housing-wire.txt", "cross-article matching not available in this server (factlens matches finds no match)");
  else if (hasHover) check("hover has a file: link to the matching claim in housing-wire.txt", !!link, { hover: hoverText.slice(0, 1500), links });
  else skip("hover has a file: link to the matching claim in housing-wire.txt", "hover not available in this server");
  await page.keyboard.press("Escape");

  // Quick fix: Ctrl+. on the figure, pick "Add source note".
  let fixTitles = [];
  if (hasFix) try {
    await step("quick fix", async () => {
      await page.keyboard.press("Escape");
      await page.mouse.move(5, 5);
      const [box] = await squiggleBoxes(page);
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.move(5, 5);
      await page.keyboard.press("Escape");
      await page.keyboard.press("Control+.");
      await page.locator(".action-widget").first().waitFor({ state: "visible", timeout: STEP_MS });
      await poll(async () => {
        fixTitles = (await page.locator(".action-widget .monaco-list-row").allTextContents()).map(norm);
        return fixTitles.some((t) => /add source note/i.test(t));
      }, 10000, "an 'Add source note' quick fix");
    });
  } catch (e) {
    process.stderr.write(`  (${e})\n`);
  }
  await shot(page, "04-quickfix-menu.png");
  if (!hasFix) skip("Ctrl+. offers 'Add source note' and applies it", "code actions not available in this server");
  else if (check("Ctrl+. offers 'Add source note'", fixTitles.some((t) => /add source note/i.test(t)), fixTitles)) {
    // Walk the list with the keyboard (the action widget blocks pointer clicks
    // in headless chromium) and apply the fix with Enter.
    for (let i = 0; i < 12; i++) {
      const focused = norm(await page.locator(".action-widget .monaco-list-row.focused").first().textContent().catch(() => ""));
      if (/add source note/i.test(focused)) break;
      await page.keyboard.press("ArrowDown");
    }
    await page.keyboard.press("Enter");
    let text = "";
    try {
      await step("quick fix applied", () =>
        poll(async () => {
          text = await editorText(page);
          return /\[\^src-\d+\]/.test(text) && (await squiggles(page)) === wantSquiggles - 1;
        }, STEP_MS, "note inserted and the figure's squiggle gone"),
      );
    } catch (e) {
      process.stderr.write(`  (${e})\n`);
    }
    await shot(page, "05-quickfix-applied.png");
    check("the quick fix inserted a footnote reference [^src-N] and its definition", /flood repairs on Tuesday\.\s*\[\^src-\d+\]/.test(text) && /\[\^src-\d+\]: Source:/.test(text), text);
    check(`the figure's squiggle is gone${F.quotes ? ", the quotation's stays" : ""}`, (await squiggles(page)) === wantSquiggles - 1, { squiggles: await squiggles(page) });
  }

  // Follow the hover link: the plain-text article opens, with its squiggles.
  if (link) {
    try {
      await step("plain text article", async () => {
        const target = link.title;
        await page.keyboard.press("Escape");
        // the figure's squiggle is gone after the fix: hover the text itself
        const spans = page.locator(".editor-group-container.active .view-line span span", { hasText: "3.5" });
        const b = () => spans.first().boundingBox();
        const el = page.locator(`.monaco-hover:visible a[title="${target}"]`).first();
        await poll(async () => {
          const how = await showHoverAt(page, b).catch(() => "");
          return how && (await el.waitFor({ state: "visible", timeout: 5000 }).then(() => true, () => false));
        }, STEP_MS, "the hover with the link");
        await el.click();
        await page.locator('.tabs-container .tab.active:has-text("housing-wire.txt")').waitFor({ timeout: STEP_MS });
      }, 2 * STEP_MS + 10000);
      check("clicking the hover link opens housing-wire.txt", true);
    } catch (e) {
      check("clicking the hover link opens housing-wire.txt", false, String(e));
      await openFile(page, "housing-wire.txt").catch(() => {});
    }
  } else {
    await step("open housing-wire.txt", () => openFile(page, "housing-wire.txt")).catch(() => {});
  }
  const wfig = position(wire, "600 workers");
  let wrows = [];
  try {
    await step("plain-text squiggle", async () => {
      await page.locator(".editor-group-container.active .squiggly-warning").first().waitFor({ timeout: STEP_MS });
      await page.keyboard.press("Control+Shift+M");
      await poll(async () => {
        wrows = (await page.locator(rowsSel).allTextContents()).map(norm);
        return wrows.some((r) => r.includes("600 workers"));
      }, STEP_MS, "a Problems row for 600 workers");
    });
  } catch (e) {
    process.stderr.write(`  (${e})\n`);
  }
  await shot(page, "06-plaintext.png");
  const wrow = wrows.find((r) => r.includes("600 workers"));
  check(`plain text: squiggle and Problems row for "600 workers" at [Ln ${wfig.line}, Col ${wfig.col}]`, !!wrow && wrow.includes("unsourced-figure") && wrow.includes(`[Ln ${wfig.line}, Col ${wfig.col}]`), wrows);

  // Command: the cross-reference report of the current article, beside it.
  let report = "";
  try {
    await step("matches command", async () => {
      await page.keyboard.press("Escape");
      await page.keyboard.press("F1");
      await page.locator(".quick-input-widget input").waitFor({ state: "visible", timeout: STEP_MS });
      await page.keyboard.type("factlens: Show Cross-Reference Report", { delay: 10 });
      await poll(async () => (await page.locator(".quick-input-list .monaco-list-row").first().textContent().catch(() => ""))?.includes("Cross-Reference"), STEP_MS, "the command in the palette");
      await page.keyboard.press("Enter");
      await poll(async () => {
        report = await editorText(page);
        return report.includes("Cross-reference report: housing-wire.txt");
      }, STEP_MS, "the report document");
    });
  } catch (e) {
    process.stderr.write(`  (${e})\n`);
  }
  await shot(page, "07-matches-report.png");
  // The report is a read-only virtual document (its own URI scheme), so the
  // language client never sends it to the server as an article.
  const reportUri = await page.evaluate(() => document.querySelector(".editor-group-container.active .monaco-editor")?.getAttribute("data-uri") || "");
  let readOnlyMsg = "";
  if (reportUri.startsWith("factlens-report:")) {
    try {
      await step("report is read-only", async () => {
        await page.locator(".editor-group-container.active .monaco-editor .view-lines").first().click();
        await page.keyboard.type("x");
        await poll(async () => {
          readOnlyMsg = norm(await page.locator(".editor-group-container.active .monaco-editor-overlaymessage").first().innerText().catch(() => ""));
          return /read-only/i.test(readOnlyMsg);
        }, STEP_MS, "the read-only message");
      });
    } catch (e) {
      process.stderr.write(`  (${e})\n`);
    }
  }
  check("the report opens as a read-only virtual document (factlens-report: URI), not an untitled article", reportUri.startsWith("factlens-report:") && /read-only/i.test(readOnlyMsg) && !(await editorText(page)).includes("xCross-reference"), { uri: reportUri, message: readOnlyMsg });
  if (F.matchesCli) {
    check("command 'Show Cross-Reference Report' opens the factlens matches report beside the article", report.includes("Cross-reference report: housing-wire.txt") && !/failed:/.test(report), report.slice(0, 600));
  } else {
    check("command 'Show Cross-Reference Report' opens a report document (with the CLI's error)", report.includes("Cross-reference report: housing-wire.txt"), report.slice(0, 600));
    skip("the report lists the article's claims", "`factlens matches` not available in this server");
  }

  // Settings: factlens.severity in the user settings reaches the server
  // (workspace/configuration) and the squiggle turns into an error.
  const settingsFile = path.join(TMP, "user-data", "User", "settings.json");
  let errSquiggles = 0;
  try {
    await step("settings", async () => {
      // as a user does: Preferences: Open User Settings (JSON), edit, save
      const st = JSON.parse(fs.readFileSync(settingsFile, "utf8"));
      st["factlens.severity"] = { "unsourced-figure": "error" };
      await editUserSettings(page, settingsFile, st, (v) => v["factlens.severity"]?.["unsourced-figure"] === "error");
      fs.copyFileSync(settingsFile, path.join(ART, "user-settings.json"));
      await openFile(page, "housing-wire.txt");
      await poll(async () => {
        errSquiggles = await page.locator(".editor-group-container.active .monaco-editor .squiggly-error").count();
        return errSquiggles >= 1;
      }, STEP_MS, "an error squiggle after factlens.severity = error");
    }, 4 * STEP_MS);
  } catch (e) {
    process.stderr.write(`  (${e})\n`);
  }
  await shot(page, "08-severity-setting.png");
  check("setting factlens.severity {unsourced-figure: error} turns the squiggle into an error", errSquiggles >= 1, { errSquiggles });
  // By now the server has re-published every document it has open (the
  // settings change re-analyses them all): the report, full of figures,
  // would have Problems rows of its own if it had been sent as an article.
  let problemRows = [];
  if (errSquiggles >= 1) {
    try {
      await step("Problems rows after the settings change", async () => {
        if (!(await page.locator(".markers-panel").first().isVisible().catch(() => false))) await page.keyboard.press("Control+Shift+M");
        await poll(async () => {
          problemRows = (await page.locator(rowsSel).allTextContents()).map(norm);
          return problemRows.some((r) => r.includes("600 workers"));
        }, STEP_MS, "the Problems row of housing-wire.txt");
      });
    } catch (e) {
      process.stderr.write(`  (${e})\n`);
    }
    await shot(page, "08b-problems-after-settings.png");
    check("the cross-reference report has no Problems rows (it is not analysed as an article)", problemRows.some((r) => r.includes("600 workers")) && !problemRows.some((r) => /Untitled|factlens matches|Cross-reference/i.test(r)), problemRows);
  }

  const extErrors = consoleErrors.filter((e) => /factlens/i.test(e));
  check("no factlens errors in the browser console", extErrors.length === 0, extErrors.slice(0, 5));

  // A missing binary: one notification saying how to install it.
  let toasts = [];
  try {
    await step("missing binary", async () => {
      const st = JSON.parse(fs.readFileSync(settingsFile, "utf8"));
      st["factlens.path"] = path.join(WS, "no-such-factlens");
      await editUserSettings(page, settingsFile, st, (v) => v["factlens.path"] === st["factlens.path"]);
      await poll(async () => {
        toasts = (await page.locator(".notifications-toasts .notification-toast").allTextContents()).map(norm);
        return toasts.some((t) => t.includes("factlens binary was not found"));
      }, STEP_MS, "the missing-binary notification");
    }, 4 * STEP_MS);
  } catch (e) {
    process.stderr.write(`  (${e})\n`);
  }
  await shot(page, "09-missing-binary.png");
  const missing = toasts.filter((t) => t.includes("factlens binary was not found"));
  check("factlens.path pointing nowhere: one notification with the install command", missing.length === 1 && missing[0].includes("cargo install --path server") && missing[0].includes("no-such-factlens"), toasts);

}

(async () => {
  const t0 = Date.now();
  const hard = setTimeout(() => {
    check("overall time limit", false, "the VS Code test did not finish within 240 s");
    done(1);
  }, 240000);
  let code = 0;
  try {
    await main();
  } catch (e) {
    check("test script ran without error", false, String(e && e.stack ? e.stack : e));
  }
  clearTimeout(hard);
  results.timings.total_ms = Date.now() - t0;
  code = results.ok ? 0 : 1;
  await done(code);
})();

async function done(code) {
  try {
    if (browser) await Promise.race([browser.close(), sleep(5000)]);
  } catch {}
  if (server && server.pid) {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {}
  }
  process.stdout.write(JSON.stringify(results) + "\n");
  process.exit(code);
}
