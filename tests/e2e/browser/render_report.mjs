// Opens a mindgap HTML report in headless Chromium (Debian's) and reports what happened:
// console errors, page errors, every request the page made, what it shows; writes a
// screenshot. The assertions live in tests/e2e/test_report_browser.py.
//
//   node render_report.mjs PAGE.html SCREENSHOT.png USER_DATA_DIR
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";

const [page_path, screenshot, userDataDir] = process.argv.slice(2);
const executablePath = process.env.MINDGAP_CHROMIUM || "/usr/bin/chromium";
const result = { consoleErrors: [], pageErrors: [], requests: [], failedRequests: [] };

const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
  viewport: { width: 1100, height: 900 },
});
try {
  // every request any page of this browser makes, not only the report's own
  context.on("request", (request) => result.requests.push(request.url()));
  context.on("requestfailed", (request) => result.failedRequests.push(request.url()));
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") result.consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => result.pageErrors.push(String(error)));
  const url = pathToFileURL(page_path).href;
  result.url = url;
  await page.goto(url, { waitUntil: "load" });
  result.title = await page.title();
  result.debtFigure = await page.locator("#debt-figure .n").textContent();
  result.debtAttribute = await page.locator("main").getAttribute("data-debt-lines");
  result.charts = await page.locator("svg.chart").evaluateAll((svgs) =>
    svgs.map((svg) => ({
      id: svg.id,
      shapes: svg.querySelectorAll("rect, polygon, polyline").length,
      width: svg.getBoundingClientRect().width,
      height: svg.getBoundingClientRect().height,
    })),
  );
  await page.screenshot({ path: screenshot, fullPage: true });
} finally {
  await context.close();
}
process.stdout.write(JSON.stringify(result));
