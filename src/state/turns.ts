// Turns made of the stores' own calls, for the in-process backend (Redis does each step in one script).
import type { LeaseStore, SessionStore, TurnStore, UpdateLog } from "./types.js";

/**
 * Turns over a backend's lease, update and session stores, called in the order and with the outcomes of
 * separate calls. The stores are read at each call, so a store method replaced later (a test's failing
 * session write) is the one used.
 */
export function composedTurns(stores: { leases: LeaseStore; updates: UpdateLog; sessions: SessionStore }): TurnStore {
  return {
    async begin(request) {
      const lease = await stores.leases.acquire(request.lease, request.options);
      if (!lease) return undefined;
      let handled = false;
      let session;
      try {
        if (request.update !== undefined) handled = await stores.updates.handled(request.update);
        if (!handled && request.session !== undefined) session = await stores.sessions.read(request.session);
      } catch (error) {
        await lease.release().catch(() => undefined);
        throw error;
      }
      return {
        lease,
        handled,
        session,
        async end(end) {
          const key = request.session;
          if (end.session !== undefined && key === undefined)
            throw new TypeError("a turn without a session cannot write one");
          let failure: { error: unknown } | undefined;
          const attempt = async (step: () => Promise<unknown>) => {
            try {
              await step();
            } catch (error) {
              failure ??= { error };
            }
          };
          if (end.session === null) await attempt(() => stores.sessions.delete(key!));
          else if (end.session !== undefined) await attempt(() => stores.sessions.write(key!, end.session!));
          if (end.handled && request.update !== undefined) await attempt(() => stores.updates.claim(request.update!));
          let released = false;
          await attempt(async () => (released = await lease.release()));
          if (failure) throw failure.error;
          return released;
        },
      };
    },
  };
}
