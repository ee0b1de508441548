/**
 * Resolves once `check()` holds, polling every 10 ms; rejects when it still does not after `timeoutMs`.
 * On a starved machine the deadline can pass while timers that would make `check()` true are overdue:
 * they get one more turn of the event loop before the last check.
 */
export function until(check: () => boolean, timeoutMs = 10_000, what = "the condition"): Promise<void> {
  const began = Date.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (check()) return resolve();
      if (Date.now() - began <= timeoutMs) return void setTimeout(poll, 10);
      setTimeout(() => (check() ? resolve() : reject(new Error(`${what} not reached in ${timeoutMs} ms`))), 50);
    };
    poll();
  });
}
