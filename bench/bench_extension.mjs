// Runs the extension's `mindgap.benchmarkKeystrokes` command in code-server (through the
// command palette, as a user would) and waits for the numbers it writes. Used by
// bench_extension.py, which starts code-server and prints the table.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const scenario = JSON.parse(readFileSync(process.argv[2], "utf8"));
const require = createRequire(join(scenario.playwrightFrom, "package.json"));
const { chromium } = require("playwright-core");
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const readJson = (path) => {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
};
async function until(what, check, timeout) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const value = check();
    if (value) return value;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const result = {};
const browser = await chromium.launch({
  executablePath: scenario.chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${scenario.url}/?folder=${encodeURIComponent(scenario.folder)}`);
  await page.waitForSelector(".monaco-workbench", { timeout: 60_000 });
  const probe = await until("the mindgap server", () => readJson(scenario.probe)?.server?.state === "Running" && readJson(scenario.probe), 60_000);
  result.activationMs = probe.activationMs;
  await page.keyboard.press("F1");
  await page.waitForSelector(".quick-input-widget input", { state: "visible" });
  await page.keyboard.type("mindgap: Benchmark");
  await sleep(800);
  await page.keyboard.press("Enter");
  result.benchmark = await until("the benchmark's numbers", () => existsSync(scenario.output) && readJson(scenario.output), scenario.timeoutMs);
} catch (error) {
  result.error = String(error?.stack ?? error);
} finally {
  writeFileSync(scenario.result, JSON.stringify(result, null, 1));
  await browser.close();
}
