import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The read-only shared folder beside the repository (source documents, required ids, the public
 * evaluation set); COOPDESK_SHARED_DIR overrides it.
 */
export function sharedDir(): string {
  return process.env.COOPDESK_SHARED_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../shared");
}
