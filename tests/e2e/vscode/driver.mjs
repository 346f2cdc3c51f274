// Drives a real VS Code (code-server in headless Chromium) through mindgap's loop: open a
// Python file (or, with `scenario.notebook`, a notebook: its last code cell), type until the fixture assistant's inline suggestion shows, accept it with Tab,
// see the diagnostic and the CodeLens, answer the quiz in the QuickPick, see the region become
// understood and the debt go down. With `scenario.explain`, instead of the quiz: the CodeLens's
// Explain, a false explanation typed and refused, then a right one accepted and its follow-up
// question answered in the QuickPick. A screenshot of each step goes to the artifacts folder.
//
// What the page shows is checked in the DOM; what the extension knows (diagnostics, decorations,
// the status bar) is read from its test probe (MINDGAP_VSCODE_PROBE). The assertions about
// both live in test_vscode.py; this script records, and stops at the first step that does
// not happen in time. Usage: node driver.mjs SCENARIO.json
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { sleep, until as waitUntil } from "../browser/waiting.mjs";

const scenario = JSON.parse(readFileSync(process.argv[2], "utf8"));
const require = createRequire(join(scenario.playwrightFrom, "package.json"));
const { chromium } = require("playwright-core");

const result = { steps: [], console: [] };
const save = () => writeFileSync(scenario.result, JSON.stringify(result, null, 1));

function probe() {
  if (!existsSync(scenario.probe)) return undefined;
  try {
    return JSON.parse(readFileSync(scenario.probe, "utf8"));
  } catch {
    return undefined; // between writes
  }
}

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
    entry.probe = probe();
    entry.screenshot = join(scenario.artifacts, `${String(result.steps.length).padStart(2, "0")}-${name}.png`);
    await page?.screenshot({ path: entry.screenshot }).catch((error) => (entry.screenshotError = String(error)));
    save();
  }
}

// The document the developer types in: the file, or the notebook cell, whose URI VS Code
// chooses (vscode-notebook-cell:PATH#FRAGMENT) and which is known once the insertion is reported.
let fileUri = scenario.notebook ? undefined : `file://${scenario.file}`;
const regionsNow = () => probe()?.regions?.[fileUri] ?? [];
const isNotebookCell = (uri) => uri.startsWith("vscode-notebook-cell:") && decodeURIComponent(uri).includes(scenario.file);
/** The document's diagnostics; before a cell is known, those of all the notebook's cells. */
const diagnosticsNow = (seen) =>
  fileUri ? (seen?.diagnostics?.[fileUri] ?? []) : Object.entries(seen?.diagnostics ?? {}).flatMap(([uri, list]) => (isNotebookCell(uri) ? list : []));
// Where the typing goes: the file's editor, or the last code cell's editor in the notebook.
const EDITOR = scenario.notebook ? ".notebook-editor .cell-editor-container .monaco-editor .view-lines" : ".monaco-editor .view-lines";
const editorLines = () => (scenario.notebook ? page.locator(EDITOR).last() : page.locator(EDITOR).first());
// The gate UI's notes (what it asked and showed), from the probe.
const gateNotes = () => probe()?.gate ?? [];
/** The text of a notification on the page containing `text`, if one is shown. */
async function toastWith(text) {
  const messages = await page.locator(".notifications-toasts .notification-list-item-message").allInnerTexts();
  return messages.find((message) => message.includes(text));
}
/** `text` typed in the quick input box once it has the focus (keys typed before that go to
 * the editor and change the code); what the box then holds. */
async function typeInInputBox(text) {
  const input = page.locator(".quick-input-widget input:focus");
  await input.waitFor({ timeout: scenario.stepTimeoutMs });
  await page.keyboard.type(text);
  const typed = await input.inputValue();
  if (typed !== text) throw new Error(`the input box holds ${JSON.stringify(typed)}, not what was typed: ${JSON.stringify(text)}`);
  return typed;
}
/** The CodeLens's Explain, then an explanation typed in the input box it opens. */
async function explainInInputBox(explanation) {
  await page.locator(".codelens-decoration a", { hasText: "Explain" }).first().click();
  const title = await until("the explanation input box", async () => {
    const text = await page.locator(".quick-input-widget .quick-input-title").innerText().catch(() => "");
    return text.includes("explain this code") ? text : undefined;
  });
  const typed = await typeInInputBox(explanation);
  await page.keyboard.press("Enter");
  return { inputTitle: title, typed };
}

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

  await step("workbench", async () => {
    await page.goto(`${scenario.url}/?folder=${encodeURIComponent(scenario.folder)}`);
    await page.waitForSelector(".monaco-workbench", { timeout: scenario.stepTimeoutMs });
    const activated = await until("the extension to activate and its server to run", () => {
      const seen = probe();
      return seen?.server?.state === "Running" ? seen : undefined;
    });
    return { activationMs: activated.activationMs, server: activated.server };
  });

  await step("opened", async () => {
    await page.locator(".monaco-workbench").click({ position: { x: 700, y: 400 } }).catch(() => undefined);
    await page.keyboard.press("Control+P");
    await page.waitForSelector(".quick-input-widget input", { state: "visible" });
    await page.keyboard.type(scenario.fileName);
    await sleep(500);
    await page.keyboard.press("Enter");
    await page.waitForSelector(EDITOR, { timeout: scenario.stepTimeoutMs });
    await until("the status bar debt", () => probe()?.debt);
    await sleep(1500); // the server's first diagnostics for a hand-written file: none
    const cells = scenario.notebook
      ? { code: await page.locator(".notebook-editor .code-cell-row").count(), markdown: await page.locator(".notebook-editor .markdown-cell-row").count() }
      : undefined;
    return { statusBar: probe()?.statusBar, diagnostics: diagnosticsNow(probe()), cells };
  });

  await step("suggestion-shown", async () => {
    // End of the file, a new line, then the start of a function the assistant completes.
    await editorLines().click();
    await page.keyboard.press("Control+End");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await page.keyboard.type(scenario.typed, { delay: 30 });
    await page.waitForSelector(".ghost-text-decoration, .ghost-text", { timeout: scenario.stepTimeoutMs });
    return { ghostText: await page.locator(".ghost-text-decoration, .ghost-text").allInnerTexts() };
  });

  await step("accepted", async () => {
    await page.keyboard.press("Tab");
    if (!fileUri) {
      const reported = await until("the insertion reported in a cell of the notebook", () => probe()?.reported?.find((r) => isNotebookCell(r.textDocument.uri)));
      fileUri = reported.textDocument.uri;
    }
    const seen = await until("a foreign-region diagnostic, its CodeLens and the debt", () => {
      const now = probe();
      const lenses = now?.codeLenses?.[fileUri] ?? [];
      const diagnostics = now?.diagnostics?.[fileUri] ?? [];
      const flagged = diagnostics.some((d) => d.code === "foreign-region") && lenses.length > 0;
      return flagged && now.debt?.pendingLines > 0 ? now : undefined;
    });
    const lensText = await until("the CodeLens on the page", async () => {
      const texts = await page.locator(".codelens-decoration").allInnerTexts();
      return texts.find((text) => text.includes("AI-inserted"));
    });
    const editorText = await editorLines().innerText();
    return { uri: fileUri, reported: seen.reported, regions: seen.regions?.[fileUri], lensText, editorText, statusBar: seen.statusBar, debt: seen.debt, decorations: seen.decorations?.[fileUri] };
  });

  if (scenario.explain) {
    await step("explain-refused", async () => {
      const asked = await explainInInputBox(scenario.explain.refused);
      const note = await until("the server's verdict on the false explanation", () => gateNotes().find((n) => n.kind === "result"));
      const toast = await until("the verdict shown on the page", () => toastWith("Not accepted"));
      await sleep(1000); // time for a (wrong) state change to reach the editor
      const now = probe();
      const lensTexts = await page.locator(".codelens-decoration").allInnerTexts();
      return { ...asked, note, toast, regions: now.regions?.[fileUri], diagnostics: now.diagnostics?.[fileUri], decorations: now.decorations?.[fileUri], lensTexts };
    });

    await step("follow-up-asked", async () => {
      const seenBefore = gateNotes().length;
      const asked = await explainInInputBox(scenario.explain.accepted);
      const title = await until("the follow-up question in a QuickPick", async () => {
        const text = await page.locator(".quick-input-widget .quick-input-title").innerText().catch(() => "");
        return text.includes("one question decides") ? text : undefined;
      });
      const shown = await page.locator(".quick-input-widget .quick-input-list .monaco-list-row").allInnerTexts();
      const placeholder = await page.locator(".quick-input-widget input").first().getAttribute("placeholder");
      const toast = await until("the acceptance shown on the page", () => toastWith("Accepted"));
      const key = JSON.parse(execFileSync(scenario.answersCommand[0], [...scenario.answersCommand.slice(1), "--explain", scenario.explain.accepted, scenario.probe, fileUri, JSON.stringify(regionsNow()[0].range)], { encoding: "utf8" }));
      result.explainVerdict = key;
      return { ...asked, title, shown, placeholder, toast, notes: gateNotes().slice(seenBefore) };
    });

    await step("follow-up-answered", async () => {
      const { choices, answer } = result.explainVerdict.follow_up;
      for (let i = 0; i < choices.indexOf(answer); i++) await page.keyboard.press("ArrowDown");
      await page.screenshot({ path: join(scenario.artifacts, `${String(result.steps.length).padStart(2, "0")}-follow-up-answering.png`) });
      await page.keyboard.press("Enter");
      const toast = await until("the outcome shown on the page", () => toastWith("Explained and traced"));
      return { answered: answer, toast };
    });
  } else {
    await step("quiz-opened", async () => {
      // The server offers the quiz on accept (mindgap.quizOnAccept: always); if the offer does
      // not come, the CodeLens's Quiz link opens it, as a user would.
      const opened = async () => (await page.locator(".quick-input-widget .quick-input-title").filter({ hasText: "mindgap quiz" }).count()) > 0;
      let how = "offer";
      try {
        await until("the quiz offered on accept", opened, scenario.offerTimeoutMs);
      } catch {
        how = "codelens";
        await page.locator(".codelens-decoration a", { hasText: "Quiz" }).first().click();
        await until("the quiz opened from the CodeLens", opened);
      }
      return { how, title: await page.locator(".quick-input-widget .quick-input-title").innerText() };
    });

    const region = regionsNow()[0];
    const quiz = JSON.parse(execFileSync(scenario.answersCommand[0], [...scenario.answersCommand.slice(1), scenario.probe, fileUri, JSON.stringify(region.range), ...(scenario.earlierCells ?? [])], { encoding: "utf8" }));
    result.quiz = quiz;
    for (const [index, question] of quiz.questions.entries()) {
      await step(`question-${index + 1}`, async () => {
        await until(`question ${index + 1} on screen`, async () => {
          const title = await page.locator(".quick-input-widget .quick-input-title").innerText().catch(() => "");
          return title.includes(`mindgap quiz ${index + 1}/${quiz.questions.length}`);
        });
        const shown = await page.locator(".quick-input-widget .quick-input-list .monaco-list-row").allInnerTexts();
        if (question.choices) {
          const target = question.choices.indexOf(question.answer);
          for (let i = 0; i < target; i++) await page.keyboard.press("ArrowDown");
        } else {
          await typeInInputBox(question.answer);
        }
        await page.screenshot({ path: join(scenario.artifacts, `${String(result.steps.length).padStart(2, "0")}-question-${index + 1}-answering.png`) });
        await page.keyboard.press("Enter");
        return { prompt: question.prompt, shown, answered: question.answer };
      });
    }

    await step("feedback", async () => {
      const title = await until("the feedback on the answers", async () => {
        const text = await page.locator(".quick-input-widget .quick-input-title").innerText().catch(() => "");
        return text.includes("right") ? text : undefined;
      });
      const rows = await page.locator(".quick-input-widget .quick-input-list .monaco-list-row").allInnerTexts();
      return { title, rows };
    });

  }

  await step("understood", async () => {
    await page.keyboard.press("Escape");
    const seen = await until("the region to become understood", () => {
      const now = probe();
      const regions = now?.regions?.[fileUri] ?? [];
      return regions.length > 0 && regions.every((r) => r.state === "understood") ? now : undefined;
    });
    await sleep(1000); // the debt notification follows the ledger write
    const after = probe();
    const statusText = await page.locator(".statusbar-item", { hasText: "debt" }).first().innerText().catch(() => "");
    const lensTexts = await page.locator(".codelens-decoration").allInnerTexts();
    return { regions: seen.regions?.[fileUri], statusBar: after.statusBar, debt: after.debt, decorations: after.decorations?.[fileUri], statusText, lensTexts, gate: after.gate };
  });

  if (!scenario.explain) await step("report", async () => {
    await page.locator(".statusbar-item", { hasText: "debt" }).first().click();
    await until("the report webview", () => probe()?.reportOpen);
    await sleep(1500);
    return { reportOpen: true };
  });
} catch (error) {
  result.error = String(error?.stack ?? error);
} finally {
  save();
  await browser.close();
}
