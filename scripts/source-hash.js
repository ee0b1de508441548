// What dist/ is compiled from, as one hash: `npm run build` (scripts/build.js) writes it into dist/ and
// `npm start` (scripts/start.js) runs dist/ only when the sources still have it.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The file in dist/ that names the sources it was built from. */
export function stampFile(root = ROOT) {
  return path.join(root, "dist", "source-hash");
}

/** Everything the build reads: src/ (code and the Lua scripts it copies), types/, the TypeScript settings, the lock file (the compiler's version). */
const INPUTS = ["src", "types", "tsconfig.json", "tsconfig.build.json", "package-lock.json"];

/** Files under a path, relative to the root, in a fixed order. */
function filesOf(root, relative) {
  const full = path.join(root, relative);
  let entries;
  try {
    entries = readdirSync(full, { withFileTypes: true });
  } catch (error) {
    if (error.code === "ENOTDIR") return [relative];
    if (error.code === "ENOENT") return [];
    throw error;
  }
  return entries
    .map((entry) => entry.name)
    .sort()
    .flatMap((name) => filesOf(root, path.join(relative, name)));
}

/** Hash of the names and bytes of every input of the build. */
export function sourceHash(root = ROOT) {
  const hash = createHash("sha256");
  for (const file of INPUTS.flatMap((input) => filesOf(root, input))) {
    const bytes = readFileSync(path.join(root, file));
    hash.update(`${file.split(path.sep).join("/")}\0${bytes.length}\0`).update(bytes);
  }
  return hash.digest("hex");
}

/**
 * Whether `npm start` runs dist/: built, by a build of the sources as they are (or with no sources
 * beside it, as in an image of dist/ alone), and START_SOURCES is not 1.
 */
export function compiledIsCurrent(root = ROOT, env = process.env) {
  if (env.START_SOURCES === "1") return false;
  if (!existsSync(path.join(root, "dist", "main.js"))) return false;
  if (!existsSync(path.join(root, "src"))) return true;
  try {
    return readFileSync(stampFile(root), "utf8").trim() === sourceHash(root);
  } catch {
    return false;
  }
}
