// In-memory subscriptions, roles and audit log, with the Redis backend's semantics: the audience is
// computed from per-facet index sets (union of the tags' sets and the facet's "*" set, intersection
// across the three facets), never by testing every subscriber against the audience.
import { LANGUAGES, type Language } from "../catalog/schema.js";
import {
  SUBSCRIPTION_FACETS,
  type Audience,
  type AuditEntry,
  type AuditLog,
  type Recipient,
  type RoleStore,
  type SubscriberEntry,
  type Subscription,
  type SubscriptionFacet,
  type SubscriptionStore,
} from "./coordination.js";
import { clampLimit, requirePositiveInteger } from "./options.js";

/** Audit entries kept when not told otherwise (the Redis stream is trimmed to about as many). */
export const DEFAULT_MAX_AUDIT = 10_000;

/** Sorted, de-duplicated copy of a subscription, with its language checked. Shared by both backends. */
export function normalizeSubscription(subscription: Subscription): Subscription {
  if (!LANGUAGES.includes(subscription.lang))
    throw new RangeError(`unsupported subscription language: ${String(subscription.lang)}`);
  const clean = (values: readonly string[]) => {
    for (const v of values)
      if (typeof v !== "string" || v === "" || v === "*" || /\s/.test(v))
        throw new RangeError(`invalid subscription value: ${JSON.stringify(v)}`);
    return [...new Set(values)].sort();
  };
  return {
    topics: clean(subscription.topics),
    kinds: clean(subscription.kinds),
    countries: clean(subscription.countries),
    lang: subscription.lang,
  };
}

/** Each subscription facet with the broadcast's tags in it (an untagged facet has none: only "*" matches it). */
export function audienceFacets(audience: Audience): { facet: SubscriptionFacet; values: string[] }[] {
  return SUBSCRIPTION_FACETS.map((facet) => ({ facet, values: [...new Set(audience[facet] ?? [])] }));
}

/** Languages an audience names, or undefined when it does not restrict them. */
export function namedLanguages(audience: Audience): Language[] | undefined {
  return audience.languages && audience.languages.length > 0 ? [...new Set(audience.languages)] : undefined;
}

export function byChatId(a: Recipient, b: Recipient): number {
  return a.chatId - b.chatId;
}

/** A chat id must be an integer Telegram could use (negative for groups). */
export function requireChatId(chatId: number): number {
  if (!Number.isSafeInteger(chatId)) throw new RangeError(`chat id must be an integer, got ${chatId}`);
  return chatId;
}

export function createMemorySubscriptions(): SubscriptionStore & { clear(): void } {
  const subscribers = new Map<number, Subscription>();
  /** facet → value ("*": no preference) → chat ids. */
  const index: Record<SubscriptionFacet, Map<string, Set<number>>> = {
    topics: new Map(),
    kinds: new Map(),
    countries: new Map(),
  };
  const byLang = new Map<Language, Set<number>>();
  const inactive = new Set<number>();

  const add = (map: Map<string, Set<number>>, key: string, chatId: number) => {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(chatId);
  };
  const unindex = (chatId: number, subscription: Subscription) => {
    for (const facet of SUBSCRIPTION_FACETS) {
      const values = subscription[facet].length ? subscription[facet] : ["*"];
      for (const value of values) index[facet].get(value)?.delete(chatId);
    }
    byLang.get(subscription.lang)?.delete(chatId);
  };
  const resolve = (audience: Audience): Recipient[] => {
    let result: Set<number> = new Set(subscribers.keys());
    if (!audience.everyone) {
      for (const { facet, values } of audienceFacets(audience)) {
        const union = new Set<number>();
        for (const value of [...values, "*"]) for (const chatId of index[facet].get(value) ?? []) union.add(chatId);
        result = intersect(result, union);
      }
    }
    const langs = namedLanguages(audience);
    if (langs) {
      const union = new Set<number>();
      for (const lang of langs) for (const chatId of byLang.get(lang) ?? []) union.add(chatId);
      result = intersect(result, union);
    }
    return [...result]
      .filter((chatId) => !inactive.has(chatId))
      .map((chatId) => ({ chatId, lang: subscribers.get(chatId)!.lang }))
      .sort(byChatId);
  };

  return {
    async get(chatId) {
      const stored = subscribers.get(chatId);
      if (!stored) return undefined;
      const entry: SubscriberEntry = { ...structuredClone(stored), chatId, active: !inactive.has(chatId) };
      return entry;
    },
    async set(chatId, subscription) {
      requireChatId(chatId);
      const clean = normalizeSubscription(subscription);
      const previous = subscribers.get(chatId);
      // A new subscriber starts active; a changed subscription keeps the flag.
      if (previous) unindex(chatId, previous);
      else inactive.delete(chatId);
      subscribers.set(chatId, clean);
      for (const facet of SUBSCRIPTION_FACETS) {
        for (const value of clean[facet].length ? clean[facet] : ["*"]) add(index[facet], value, chatId);
      }
      let langSet = byLang.get(clean.lang);
      if (!langSet) byLang.set(clean.lang, (langSet = new Set()));
      langSet.add(chatId);
    },
    async remove(chatId) {
      const previous = subscribers.get(chatId);
      if (!previous) return;
      unindex(chatId, previous);
      subscribers.delete(chatId);
      inactive.delete(chatId);
    },
    async setActive(chatId, active) {
      if (!subscribers.has(chatId)) return;
      if (active) inactive.delete(chatId);
      else inactive.add(chatId);
    },
    async resolve(audience) {
      return resolve(audience);
    },
    async count(audience) {
      return resolve(audience).length;
    },
    clear() {
      subscribers.clear();
      for (const facet of SUBSCRIPTION_FACETS) index[facet].clear();
      byLang.clear();
      inactive.clear();
    },
  };
}

function intersect(a: Set<number>, b: Set<number>): Set<number> {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  return new Set([...small].filter((x) => large.has(x)));
}

export function createMemoryRoles(): RoleStore & { clear(): void } {
  const coordinators = new Set<number>();
  return {
    async isCoordinator(userId) {
      return coordinators.has(userId);
    },
    async grant(userId) {
      coordinators.add(requireChatId(userId));
    },
    async revoke(userId) {
      coordinators.delete(userId);
    },
    async coordinators() {
      return [...coordinators].sort((a, b) => a - b);
    },
    clear() {
      coordinators.clear();
    },
  };
}

export interface MemoryAuditOptions {
  maxEntries?: number;
  /** Clock in epoch milliseconds. */
  now?: () => number;
}

/** Newest first; only the newest `maxEntries` are kept. */
export function createMemoryAudit(options: MemoryAuditOptions = {}): AuditLog & { clear(): void } {
  const maxEntries = requirePositiveInteger("maxAudit", options.maxEntries ?? DEFAULT_MAX_AUDIT);
  const now = options.now ?? Date.now;
  const entries: AuditEntry[] = [];
  return {
    async append(entry) {
      const stored: AuditEntry = { at: new Date(now()).toISOString(), actor: entry.actor, action: entry.action };
      if (entry.details) stored.details = structuredClone(entry.details);
      entries.unshift(stored);
      if (entries.length > maxEntries) entries.length = maxEntries;
    },
    async recent(limit) {
      return entries.slice(0, clampLimit(limit, maxEntries)).map((e) => structuredClone(e));
    },
    clear() {
      entries.length = 0;
    },
  };
}
