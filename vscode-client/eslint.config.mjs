// eslint (flat config) with typescript-eslint's recommended rules, over src/ and test/.
// Run by `npm run lint`, which tests/run-all.sh runs next to the type check and the unit tests.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "out/**", "node_modules/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      // unused arguments named _like_this say "deliberately ignored"
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["esbuild.mjs", "eslint.config.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
);
