// An inline completion provider standing in for an AI assistant: after the line
// `def total_price(items):` it suggests the function's body, as an assistant would.
const vscode = require("vscode");

const TRIGGER = "def total_price(items):";
const BODY = [
  "",
  "    prices = [price for price in items if price > 0]",
  "    total = sum(prices) - min(prices, default=0)",
  "    return total if total < 100 else 100",
].join("\n");

function activate(context) {
  const provider = {
    provideInlineCompletionItems(document, position) {
      const before = document.lineAt(position.line).text.slice(0, position.character);
      if (!before.endsWith(TRIGGER)) return [];
      return [new vscode.InlineCompletionItem(BODY, new vscode.Range(position, position))];
    },
  };
  context.subscriptions.push(vscode.languages.registerInlineCompletionItemProvider({ language: "python" }, provider));
}

module.exports = { activate };
