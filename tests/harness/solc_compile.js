// Compile Solidity with solc-js (npm `solc`) using standard JSON; read the input JSON on stdin,
// print solc's output JSON on stdout. Imports are resolved relative to the contracts folder.
const fs = require("fs");
const path = require("path");
const solc = require(path.join(process.argv[2], "node_modules", "solc"));
const base = process.argv[3];
const input = fs.readFileSync(0, "utf8");
function findImports(p) {
  try {
    return { contents: fs.readFileSync(path.join(base, p), "utf8") };
  } catch (e) {
    return { error: "not found: " + p };
  }
}
process.stdout.write(solc.compile(input, { import: findImports }));
