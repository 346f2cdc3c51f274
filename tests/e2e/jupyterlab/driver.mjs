// Drives JupyterLab 4 with jupyterlab-lsp in headless Chromium (Debian's, through
// playwright-core): open a notebook, wait for the language servers, type a line in the last
// code cell by hand, paste a block under it, and read what the editor shows: the lint marks
// jupyterlab-lsp puts on the cell's lines and the message under the mouse. A screenshot of each
// step goes to the artifacts folder. This script records; test_jupyterlab.py asserts, and it
// stops at the first step that does not happen in time. Usage: node driver.mjs SCENARIO.json
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { sleep, until as waitUntil } from "../browser/waiting.mjs";

const scenario = JSON.parse(readFileSync(process.argv[2], "utf8"));
const require = createRequire(join(scenario.playwrightFrom, "package.json"));
const { chromium } = require("playwright-core");

const result = { steps: [], console: [] };
const save = () => writeFileSync(scenario.result, JSON.stringify(result, null, 1));

const until = (what, check, timeout = scenario.stepTimeoutMs) => waitUntil(what, check, timeout);

let page;
async function step(name, run) {
  const started = Date.now();
  const entry = { name };
  result.steps.push(entry);
  try {
    Object.assign(entry, (await run()) ?? {});
  } finally {
    entry.ms = Date.now() - started;
    entry.screenshot = join(scenario.artifacts, `${String(result.steps.length).padStart(2, "0")}-${name}.png`);
    await page?.screenshot({ path: entry.screenshot }).catch((error) => (entry.screenshotError = String(error)));
    save();
  }
}

const CODE_CELLS = ".jp-NotebookPanel .jp-CodeCell";
const lastCell = () => page.locator(CODE_CELLS).last();
const lspStatus = () => page.locator(".lsp-status-message").innerText().catch(() => "");
/** The text of each lint mark in the notebook, cell by cell (CodeMirror marks line by line). */
const marks = () =>
  page.locator(CODE_CELLS).evaluateAll((cells) => cells.map((cell) => [...cell.querySelectorAll(".cm-lintRange")].map((mark) => mark.textContent)));

const browser = await chromium.launch({
  executablePath: scenario.chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
});
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: scenario.url });
  page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error" && result.console.length < 50) result.console.push(message.text());
  });

  await step("opened", async () => {
    // `reset`: a fresh layout, whatever an earlier session left
    await page.goto(`${scenario.url}/lab/tree/${encodeURIComponent(scenario.notebook)}?reset&token=${scenario.token}`);
    // JupyterLab renders a notebook's cells as they come into view: wait for all of them
    await until(`the notebook's ${scenario.cells} cells`, async () => (await page.locator(".jp-NotebookPanel .jp-Cell").count()) === scenario.cells);
    return { codeCells: await page.locator(CODE_CELLS).count(), markdownCells: await page.locator(".jp-NotebookPanel .jp-MarkdownCell").count() };
  });

  await step("language-servers", async () => {
    // jupyterlab-lsp's status bar item: "Fully initialized" once every server it needs answers
    const status = await until("jupyterlab-lsp to connect its servers", async () => {
      const text = await lspStatus();
      return text.includes("Fully initialized") ? text : undefined;
    });
    await sleep(1500); // the server's first diagnostics for hand-written cells: none
    // jupyter-lsp's view: which servers run for the page (a server stops when the page closes)
    const sessions = await page.evaluate(async (token) => {
      const reply = await fetch(`/lsp/status?token=${token}`);
      return Object.fromEntries(Object.entries((await reply.json()).sessions).map(([name, session]) => [name, session.status]));
    }, scenario.token);
    return { status, sessions, marks: await marks() };
  });

  await step("typed", async () => {
    await lastCell().locator(".cm-content").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type(scenario.typed, { delay: 40 });
    await page.keyboard.press("Enter");
    await sleep(1500); // time for a diagnostic, were typing foreign
    return { marks: await marks() };
  });

  await step("pasted", async () => {
    await page.evaluate((text) => navigator.clipboard.writeText(text), scenario.pasted);
    await page.keyboard.press("Control+v");
    await until("a lint mark in the cell the block was pasted into", async () => {
      const now = await marks();
      return now.at(-1).length > 0 ? now : undefined;
    });
    await sleep(500); // let the marks of every pasted line settle
    return { marks: await marks(), cellText: await lastCell().locator(".cm-content").innerText() };
  });

  await step("message", async () => {
    await lastCell().locator(".cm-lintRange").first().hover();
    const diagnostics = await until("the diagnostic's tooltip", async () => {
      const items = await page.locator(".cm-tooltip-lint .cm-diagnostic").evaluateAll((nodes) =>
        nodes.map((node) => ({ text: node.querySelector(".cm-diagnosticText")?.textContent, source: node.querySelector(".cm-diagnosticSource")?.textContent })),
      );
      return items.length > 0 ? items : undefined;
    });
    return { diagnostics };
  });
} catch (error) {
  result.error = String(error?.stack ?? error);
} finally {
  save();
  await browser.close();
}
