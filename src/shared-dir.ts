import path from "node:path";
import { fileURLToPath } from "node:url";

/** Environment variable that points at the shared folder when it is not beside the repository. */
export const SHARED_DIR_ENV = "COOPDESK_SHARED_DIR";

/**
 * The read-only shared folder beside the repository: source documents, the required record ids and
 * the public evaluation set.
 */
export function sharedDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[SHARED_DIR_ENV];
  return fromEnv ? path.resolve(fromEnv) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../shared");
}
