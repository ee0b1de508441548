/** MULTI/EXEC reports per-command errors in its result instead of rejecting: the replies, or the first error thrown. */
export function transactionReplies<T extends unknown[] = unknown[]>(
  results: [error: Error | null, result: unknown][] | null,
): T {
  if (results === null) throw new Error("Redis transaction was aborted");
  for (const [error] of results) if (error) throw error;
  return results.map(([, result]) => result) as T;
}
