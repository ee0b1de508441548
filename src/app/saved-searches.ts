import type { BotDeps } from "../bot/context.js";
import { SavedSearchNotifier, type SavedSearchNotifierOptions } from "../bot/features/saved-search-notifier.js";

/** The notifier following the live catalog; nothing to follow without one. */
export function wireSavedSearches(options: SavedSearchNotifierOptions & { deps: { live?: BotDeps["live"] } }): { notifier: SavedSearchNotifier; close(): Promise<void> } {
  const notifier = new SavedSearchNotifier(options);
  const stop = options.deps.live?.onRecordLive(notifier.handle);
  return {
    notifier,
    async close() {
      stop?.();
      await notifier.close();
    },
  };
}
