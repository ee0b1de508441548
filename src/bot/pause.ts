/**
 * Waits `ms` before retrying a call to Telegram, or rejects as soon as the call is aborted (the bot
 * stopping) with the error `aborted` makes. On the global timers, so tests drive it with fake timers.
 */
export function pauseBeforeRetry(ms: number, signal: AbortSignal | undefined, aborted: () => Error): Promise<void> {
  return new Promise((resolve, reject) => {
    const abort = () => {
      clearTimeout(timer);
      reject(aborted());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", abort, { once: true });
  });
}
