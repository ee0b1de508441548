// npm run build: TypeScript → dist/ (tsconfig.build.json), with the Lua scripts of the broadcast engine
// beside their module, then the hash of the sources it was made from (dist/source-hash), which
// `npm start` checks before running dist/. A build that fails, or whose sources changed while it ran,
// writes no hash: dist/ is then run only by `npm run start:prod`, as asked.
import { spawnSync } from "node:child_process";
import { cpSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import process from "node:process";
import { ROOT, sourceHash, stampFile } from "./source-hash.js";

const before = sourceHash();
rmSync(path.join(ROOT, "dist"), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const compiled = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "inherit" });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
cpSync(path.join(ROOT, "src/broadcast/lua"), path.join(ROOT, "dist/broadcast/lua"), { recursive: true });
if (sourceHash() === before) writeFileSync(stampFile(), `${before}\n`);
else process.stderr.write("build: the sources changed while they were compiled; npm start runs them under tsx\n");
