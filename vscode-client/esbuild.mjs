// Bundles the extension (dist/extension.js) or the unit tests (out/test/*.test.js).
// `vscode` is provided by the editor at run time; everything else goes into the bundle, so the
// .vsix needs no node_modules and nothing is fetched at run time.
import * as esbuild from "esbuild";
import { readdirSync } from "node:fs";

const production = process.argv.includes("--production");
const tests = process.argv.includes("--tests");
const watch = process.argv.includes("--watch");

const options = tests
  ? {
      entryPoints: readdirSync("test")
        .filter((name) => name.endsWith(".test.ts"))
        .map((name) => `test/${name}`),
      outdir: "out/test",
      external: ["vscode", "mocha"],
    }
  : {
      entryPoints: ["src/extension.ts"],
      outfile: "dist/extension.js",
      external: ["vscode"],
      minify: production,
      // the activation time then includes loading this bundle, as VS Code's own measure does
      banner: { js: "globalThis.__mindgapLoadStarted = performance.now();" },
    };

const context = await esbuild.context({
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  sourcemap: !production,
  logLevel: "warning",
  ...options,
});
if (watch) {
  await context.watch();
} else {
  await context.rebuild();
  await context.dispose();
}
