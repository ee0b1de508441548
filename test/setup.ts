// Runs before every test file (vitest.config.ts `setupFiles`), also where files share a worker's modules.
import { afterAll } from "vitest";
import { fileEnded } from "./helpers/file-end.js";

afterAll(fileEnded);
