// An inline completion provider standing in for an AI assistant: after the line
// `def total_price(items):` it suggests the function's body, as an assistant would.
const vscode = require("vscode");

const TRIGGER = "def total_price(items):";
const BODY = [
  "",
  "    prices = [item.price for item in items if item.price > 0]",
  "    discounted = {name: price * 0.9 for name, price in prices}",
  "    return sum(prices) if prices else 0",
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
