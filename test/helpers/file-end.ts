/**
 * Work to do after each test file (test/setup.ts calls `fileEnded` in an afterAll), for helpers whose
 * state outlives a file where files share a worker's modules (see vitest.config.ts).
 */
const callbacks = new Set<() => void>();

export function afterEachFile(callback: () => void): void {
  callbacks.add(callback);
}

export function fileEnded(): void {
  for (const callback of callbacks) callback();
}
