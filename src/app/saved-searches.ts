import type { BotDeps } from "../bot/context.js";
import { SavedSearchNotifier, type SavedSearchNotifierOptions } from "../bot/features/saved-search-notifier.js";

/** How often expired saved searches are swept away (reads leave them out meanwhile). */
const SWEEP_EVERY_MS = 3600 * 1000;

/**
 * The notifier following the live catalog (nothing to follow without one), and the periodic sweep of
 * expired saved searches.
 */
export function wireSavedSearches(
  options: SavedSearchNotifierOptions & { deps: { live?: BotDeps["live"] }; sweepEveryMs?: number },
): {
  notifier: SavedSearchNotifier;
  close(): Promise<void>;
} {
  const notifier = new SavedSearchNotifier(options);
  const stop = options.deps.live?.onRecordLive(notifier.handle);
  const { state, logger } = options.deps;
  const sweep = setInterval(() => {
    state.savedSearches
      .removeExpired()
      .then((removed) => removed > 0 && logger.info({ removed }, "expired saved searches removed"))
      .catch((error: unknown) =>
        logger.warn({ message: (error as Error).message }, "expired saved searches not removed"),
      );
  }, options.sweepEveryMs ?? SWEEP_EVERY_MS);
  sweep.unref();
  return {
    notifier,
    async close() {
      clearInterval(sweep);
      stop?.();
      await notifier.close();
    },
  };
}
