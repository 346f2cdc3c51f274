/**
 * The gate in VS Code: the quiz one question at a time in a QuickPick (free answers in an
 * input box), an explanation in an input box, the server's hand-write flow, and waiving.
 * The server keeps the answer keys and grades; this module asks and shows the verdicts.
 */
import * as vscode from "vscode";
import { Command } from "./common/wire";
import type { CommandName, Commands, GradeReply, QuizOffer, QuizQuestion } from "./common/wire";

/** A question to ask: one of a quiz's, or the one an accepted explanation gets. */
type Asked = Pick<QuizQuestion, "id" | "prompt" | "choices">;

/** What the gate UI is showing, for the test probe. */
export interface GateActivity {
  kind: "question" | "feedback" | "result" | "explain" | "handwrite" | "message";
  text: string;
  items?: string[];
}

/** Runs a server command: its arguments and reply are the contract's (common/wire.ts, generated
 * from the server's lsp/wire.py). */
export type ExecuteOnServer = <C extends CommandName>(command: C, args: [Commands[C]["arguments"]]) => Promise<Commands[C]["reply"]>;

export class GateUi {
  private busy = false;
  activity: GateActivity[] = [];

  constructor(
    private readonly execute: ExecuteOnServer,
    private readonly onActivity: () => void,
  ) {}

  /** The server offered a quiz on an accepted insertion; what happens is the user's setting. */
  async offered(offer: QuizOffer, how: string): Promise<void> {
    if (how === "ignore" || this.busy) return;
    if (how === "notify") {
      const lines = `${offer.lines} line${offer.lines === 1 ? "" : "s"}`;
      const what = offer.unfamiliar ? `${lines} just inserted, with constructs you have not written yourself.` : `${lines} just inserted.`;
      const choice = await vscode.window.showInformationMessage(`mindgap: ${what} Quiz yourself on them?`, "Quiz me", "Later");
      if (choice !== "Quiz me") return;
    }
    await this.quiz(offer.uri, offer.regionId);
  }

  async quiz(uri: string, regionId: string): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const quiz = await this.execute(Command.quiz, [{ uri, regionId }]);
      // (a grade instead of questions: the server asked them itself, which it does only for a
      // client without the quiz UI capability)
      const questions = "questions" in quiz ? quiz.questions : [];
      if (!questions.length) {
        const message = "message" in quiz ? quiz.message : undefined;
        this.note("message", message ?? "mindgap: no quiz for this code");
        const next = await vscode.window.showInformationMessage(`mindgap: ${message ?? "no quiz for this code"}`, "Explain", "Hand-write");
        if (next === "Explain") await this.explainUnlocked(uri, regionId);
        if (next === "Hand-write") await this.handwrite(uri, regionId);
        return;
      }
      const answers: Record<string, string> = {};
      for (const [index, question] of questions.entries()) {
        const answer = await this.ask(question, `mindgap quiz ${index + 1}/${questions.length}`);
        if (answer === undefined) {
          this.note("message", "quiz dismissed: the code stays pending");
          return; // dismissed: nothing graded, the region stays pending
        }
        answers[question.id] = answer;
        await this.feedback(uri, regionId, question, answer);
      }
      const grade = await this.execute(Command.answer, [{ uri, regionId, answers }]);
      await this.showGrade(questions, grade, uri, regionId);
    } catch (error) {
      this.fail(error);
    } finally {
      this.busy = false;
    }
  }

  async explain(uri: string, regionId: string): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.explainUnlocked(uri, regionId);
    } catch (error) {
      this.fail(error);
    } finally {
      this.busy = false;
    }
  }

  /** The server's hand-write flow: it puts the code aside (an edit replacing it by a comment
   * saying what it must do), tells the developer, and checks what they type in its place. */
  async handwrite(uri: string, regionId: string): Promise<void> {
    try {
      const reply = await this.execute(Command.handwrite, [{ uri, regionId }]);
      this.note("handwrite", "message" in reply ? reply.message : `hand-write: ${reply.state}`);
    } catch (error) {
      this.fail(error);
    }
  }

  async waive(uri: string, regionId: string): Promise<void> {
    const choice = await vscode.window.showWarningMessage(
      "mindgap: accept this code without showing you understand it? It stays in your understanding debt.",
      { modal: true },
      "Accept as debt",
    );
    if (choice !== "Accept as debt") return;
    try {
      await this.execute(Command.waive, [{ uri, regionId }]);
    } catch (error) {
      this.fail(error);
    }
  }

  private async explainUnlocked(uri: string, regionId: string): Promise<void> {
    this.note("explain", "Explain in your own words what this code does");
    const explanation = await vscode.window.showInputBox({
      title: "mindgap: explain this code",
      prompt: "In your own words: what does it do, with what inputs, what does it return or change?",
      ignoreFocusOut: true,
    });
    if (!explanation?.trim()) return;
    const reply = await this.execute(Command.explain, [{ uri, regionId, explanation }]);
    if ("followUp" in reply && reply.verdict === "check" && reply.followUp) {
      // accepted: one tracing question decides (explain, then verify). The message says
      // which key facts the explanation missed: shown, not only noted.
      this.note("explain", reply.message);
      void vscode.window.showInformationMessage(`mindgap: ${reply.message}`);
      const answer = await this.ask(reply.followUp, "mindgap: one question decides");
      if (answer === undefined) return;
      const done = await this.execute(Command.explain, [{ uri, regionId, followUpAnswer: answer }]);
      const text = done.passed
        ? "Explained and traced: the code counts as understood."
        : "expected" in done
          ? `Not quite: the answer is ${done.expected}. ${done.explanation}`
          : "Not quite.";
      this.note("result", text);
      if (done.passed) void vscode.window.showInformationMessage(`mindgap: ${text}`);
      else void vscode.window.showWarningMessage(`mindgap: ${text}`);
      return;
    }
    const message = "message" in reply ? reply.message : "Not accepted.";
    this.note("result", message);
    void vscode.window.showWarningMessage(`mindgap: ${message}`);
  }

  /** One question in a QuickPick (multiple choice) or an input box (free answer). */
  private async ask(question: Asked, title: string): Promise<string | undefined> {
    this.note("question", `${title}: ${question.prompt}`, question.choices ?? undefined);
    if (!question.choices) {
      return vscode.window.showInputBox({ title, prompt: question.prompt, ignoreFocusOut: true });
    }
    const picked = await vscode.window.showQuickPick(
      question.choices.map((choice) => ({ label: choice })),
      { title: `${title}: ${firstLine(question.prompt)}`, placeHolder: question.prompt.replace(/\s+/g, " "), ignoreFocusOut: true },
    );
    return picked?.label;
  }

  /** Right, or the right answer and why, as soon as a question is answered (the server
   * checks it without recording; the whole quiz is graded and recorded at the end). A
   * notification, so the next question opens at once. */
  private async feedback(uri: string, regionId: string, question: QuizQuestion, answer: string): Promise<void> {
    const result = await this.execute(Command.checkAnswer, [{ uri, regionId, questionId: question.id, answer }]);
    const text = result.correct ? `Right. ${result.explanation}` : `Not quite: the answer is ${result.expected}. ${result.explanation}`;
    this.note("feedback", `${firstLine(question.prompt)}: ${text}`);
    if (result.correct) void vscode.window.showInformationMessage(`mindgap: ${text}`);
    else void vscode.window.showWarningMessage(`mindgap: ${text}`);
  }

  /** The verdict, with every answer again (right, or the right answer and why). */
  private async showGrade(questions: QuizQuestion[], grade: GradeReply, uri: string, regionId: string): Promise<void> {
    const prompts = new Map(questions.map((q) => [q.id, q.prompt]));
    const items: vscode.QuickPickItem[] = grade.results.map((result) => ({
      label: `${result.correct ? "$(check)" : "$(close)"} ${firstLine(prompts.get(result.id) ?? result.id)}`,
      description: result.correct ? "right" : `you said: ${result.given || "(nothing)"}`,
      detail: result.correct ? result.explanation : `The answer: ${result.expected}. ${result.explanation}`,
    }));
    const verdict = grade.passed
      ? `${grade.score} of ${grade.total} right: the code counts as understood.`
      : `${grade.score} of ${grade.total} right: the code stays pending.`;
    this.note("feedback", verdict, items.map((item) => `${item.label} ${item.description ?? ""} ${item.detail ?? ""}`.trim()));
    await vscode.window.showQuickPick(items, { title: `mindgap: ${verdict}`, placeHolder: "Press Escape to close", canPickMany: false });
    this.note("result", verdict);
    if (grade.passed) {
      void vscode.window.showInformationMessage(`mindgap: ${verdict}`);
    } else {
      const next = await vscode.window.showWarningMessage(`mindgap: ${verdict}`, "Try again", "Explain instead");
      if (next === "Try again") setTimeout(() => void this.quiz(uri, regionId), 0);
      if (next === "Explain instead") setTimeout(() => void this.explain(uri, regionId), 0);
    }
  }

  private note(kind: GateActivity["kind"], text: string, items?: string[]): void {
    this.activity.push({ kind, text, items });
    if (this.activity.length > 50) this.activity.shift();
    this.onActivity();
  }

  private fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.note("message", message);
    void vscode.window.showErrorMessage(message.startsWith("mindgap") ? message : `mindgap: ${message}`);
  }
}

function firstLine(text: string): string {
  return text.split("\n")[0];
}
