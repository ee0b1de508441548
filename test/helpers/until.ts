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

/**
 * Resolves with the first value `probe()` gives that is neither undefined nor false, polling every
 * `everyMs`; rejects when there is none after `timeoutMs`. For what is read asynchronously (a
 * broadcast's status, a store), where `until` takes a synchronous check.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  timeoutMs = 15_000,
  everyMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * What `promise` gives, or a rejection saying that `what` did not settle within `timeoutMs`. A bound on
 * a hang — something that would otherwise wait for as long as, say, Redis stays away — never a measure
 * of speed (benchmarks measure that): give it room for a loaded machine.
 */
export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
