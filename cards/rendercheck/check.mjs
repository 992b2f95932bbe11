// check.mjs is the command-line render check: it runs lib.mjs on every
// .json file of a golden directory and exits non-zero on any warning.
//
// Usage: npm ci --prefix cards/rendercheck && node cards/rendercheck/check.mjs cards/testdata/golden

import { readdirSync } from "node:fs";
import path from "node:path";
import { checkFile, libraryVersion } from "./lib.mjs";

function main() {
  const dir = process.argv[2];
  if (!dir) {
    console.error("usage: node check.mjs <golden-dir>");
    process.exit(2);
  }
  const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
  if (files.length === 0) {
    console.error(`no .json files in ${dir}`);
    process.exit(2);
  }
  let failed = 0;
  for (const f of files) {
    let problems;
    try {
      problems = checkFile(path.join(dir, f));
    } catch (err) {
      problems = [`error: ${err.message}`];
    }
    if (problems.length > 0) {
      failed++;
      console.log(`FAIL ${f}`);
      for (const p of problems) console.log(`  ${p}`);
    } else {
      console.log(`ok   ${f}`);
    }
  }
  console.log(`adaptivecards ${libraryVersion} renderer library: ${files.length - failed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

main();
