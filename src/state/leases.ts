// Leases shared by both backends: the option checks, the in-process implementation and keeping a lease
// while some work runs.
import { requirePositiveInteger } from "./options.js";
import type { Lease, LeaseOptions, LeaseStore } from "./types.js";

/** Throws unless the TTL is a positive integer and the wait a non-negative integer (Redis `PX` takes integers). */
export function checkLeaseOptions(options: LeaseOptions): LeaseOptions {
  const ttlMs = requirePositiveInteger("ttlMs", options.ttlMs);
  if (!Number.isInteger(options.waitMs) || options.waitMs < 0)
    throw new RangeError(`waitMs must be a non-negative integer, got ${options.waitMs}`);
  return { ttlMs, waitMs: options.waitMs };
}

interface Holder {
  token: object;
  expiry: NodeJS.Timeout;
}

interface Waiter {
  ttlMs: number;
  grant(lease: Lease | undefined): void;
}

/**
 * In-process leases with the Redis ones' contract: a per-key mutex whose holder loses it `ttlMs` after
 * the last renewal. A release or an expiry hands the lease to the longest waiter at once (no polling).
 */
export function createMemoryLeases(): LeaseStore & { clear(): void } {
  const holders = new Map<string, Holder>();
  const queues = new Map<string, Waiter[]>();

  const take = (key: string, ttlMs: number): Lease => {
    const token = {};
    // Unref'd: a forgotten lease must not keep the process alive.
    const expiry = setTimeout(() => {
      if (holders.get(key)?.token === token) handOver(key);
    }, ttlMs).unref();
    holders.set(key, { token, expiry });
    return {
      key,
      async renew() {
        const holder = holders.get(key);
        if (holder?.token !== token) return false;
        holder.expiry.refresh();
        return true;
      },
      async release() {
        if (holders.get(key)?.token !== token) return false;
        handOver(key);
        return true;
      },
    };
  };

  const handOver = (key: string): void => {
    clearTimeout(holders.get(key)?.expiry);
    holders.delete(key);
    const queue = queues.get(key);
    const next = queue?.shift();
    if (queue?.length === 0) queues.delete(key);
    next?.grant(take(key, next.ttlMs));
  };

  return {
    async acquire(key, options) {
      const { ttlMs, waitMs } = checkLeaseOptions(options);
      if (!holders.has(key)) return take(key, ttlMs);
      if (waitMs === 0) return undefined;
      return new Promise<Lease | undefined>((resolve) => {
        const giveUp = setTimeout(() => {
          const queue = queues.get(key);
          queue?.splice(queue.indexOf(waiter), 1);
          if (queue?.length === 0) queues.delete(key);
          resolve(undefined);
        }, waitMs);
        const waiter: Waiter = {
          ttlMs,
          grant: (lease) => {
            clearTimeout(giveUp);
            resolve(lease);
          },
        };
        const queue = queues.get(key) ?? [];
        queue.push(waiter);
        queues.set(key, queue);
      });
    },
    clear() {
      for (const holder of holders.values()) clearTimeout(holder.expiry);
      holders.clear();
      const waiters = [...queues.values()].flat();
      queues.clear();
      for (const waiter of waiters) waiter.grant(undefined);
    },
  };
}

/** What can go wrong with a lease while its work runs; the work goes on regardless. */
export type LeaseTrouble = { kind: "lost" } | { kind: "renew-failed"; error: unknown };

/**
 * Renews `lease` every third of `ttlMs` until the returned function is called, so slow work keeps it.
 * A renewal that finds the lease gone reports it once and renewing stops; a failed renewal is reported
 * and the next one tried (the lease is still ours until its TTL runs out).
 */
export function keepRenewed(lease: Lease, ttlMs: number, onTrouble?: (trouble: LeaseTrouble) => void): () => void {
  let done = false;
  let lost = false;
  const renewal = setInterval(
    () => {
      lease.renew().then(
        (kept) => {
          if (kept || done || lost) return;
          lost = true;
          clearInterval(renewal);
          onTrouble?.({ kind: "lost" });
        },
        (error: unknown) => done || onTrouble?.({ kind: "renew-failed", error }),
      );
    },
    Math.max(1, Math.floor(ttlMs / 3)),
  );
  renewal.unref();
  return () => {
    done = true;
    clearInterval(renewal);
  };
}
