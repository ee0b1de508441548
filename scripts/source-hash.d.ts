// Types of scripts/source-hash.js for the tests (the scripts are plain JavaScript: npm start runs them before any build).
export const ROOT: string;
export function stampFile(root?: string): string;
export function sourceHash(root?: string): string;
export function compiledIsCurrent(root?: string, env?: Record<string, string | undefined>): boolean;
