// Turns tsc's declaration output (dist/types/**) into what a consumer's
// TypeScript can load under any moduleResolution: relative specifiers get
// their `.js` / `/index.js` (the sources are extensionless), and each build
// gets a `.d.ts` beside it that re-exports its entry's declarations.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const TYPES_DIR = "dist/types";

/** Which entry's declarations each build re-exports. */
const ENTRY_DECLARATIONS = {
  core: { file: "dist/core.d.ts", entry: "src/index" },
  index: { file: "dist/index.d.ts", entry: "client/index" },
  hub: { file: "dist/hub.d.ts", entry: "worker/entry" },
  esm: { file: "dist/socket.io-shared.esm.d.ts", entry: "client/index" },
};

const RELATIVE_SPECIFIER_RE = /(\bfrom\s*|\bimport\s*\(\s*)(["'])(\.{1,2}\/[^"']*)\2/g;

function* declarationFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* declarationFiles(full);
    else if (entry.name.endsWith(".d.ts")) yield full;
  }
}

function withExtension(fromFile, specifier) {
  if (/\.js$/.test(specifier)) return specifier;
  const target = path.resolve(path.dirname(fromFile), specifier);
  if (existsSync(`${target}.d.ts`)) return `${specifier}.js`;
  if (existsSync(path.join(target, "index.d.ts"))) return `${specifier.replace(/\/$/, "")}/index.js`;
  throw new Error(`${fromFile}: cannot resolve "${specifier}"`);
}

function addExtensions() {
  for (const file of declarationFiles(TYPES_DIR)) {
    const text = readFileSync(file, "utf8");
    const fixed = text.replace(
      RELATIVE_SPECIFIER_RE,
      (_whole, head, quote, specifier) => `${head}${quote}${withExtension(file, specifier)}${quote}`,
    );
    if (fixed !== text) writeFileSync(file, fixed);
  }
}

/** @param {string[]} built the vite.config.ts modes that were built */
export function writeDeclarations(built) {
  addExtensions();
  for (const mode of built) {
    const target = ENTRY_DECLARATIONS[mode];
    if (!target) continue;
    const entryFile = path.join(TYPES_DIR, `${target.entry}.d.ts`);
    const source = readFileSync(entryFile, "utf8");
    const specifier = `./${path.relative("dist", entryFile).replace(/\.d\.ts$/, ".js")}`;
    const lines = [`export * from "${specifier}";`];
    // `export *` leaves the default export behind.
    if (/\bexport\s+default\b|\bas\s+default\b/.test(source)) lines.push(`export { default } from "${specifier}";`);
    writeFileSync(target.file, `${lines.join("\n")}\n`);
  }
}
