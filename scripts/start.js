// npm start: the compiled bot (dist/) when `npm run build` made it from the sources as they are now, the
// TypeScript sources under tsx otherwise (a fresh clone, or sources edited since the build). Compiled
// code starts in about half the time and memory; the sources need no build step, and a build that no
// longer matches them is never run. START_SOURCES=1 runs the sources whatever dist/ holds.
import path from "node:path";
import process from "node:process";
import { pathToFileURL } from "node:url";
import { compiledIsCurrent, ROOT } from "./source-hash.js";

if (compiledIsCurrent()) {
  // Stack traces name the TypeScript lines, as under tsx (npm run start:prod: --enable-source-maps).
  process.setSourceMapsEnabled(true);
  await import(pathToFileURL(path.join(ROOT, "dist", "main.js")).href);
} else {
  // tsx's loader in this process (as `node --import tsx`): one process, where the tsx command adds a launcher of its own.
  await import("tsx");
  await import(pathToFileURL(path.join(ROOT, "src", "main.ts")).href);
}
