// Subscriptions, roles and the audit log: one behavioural contract, checked against both backends.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Language } from "../../src/catalog/schema.js";
import type { Audience, Subscription } from "../../src/state/coordination.js";
import { createMemoryState } from "../../src/state/memory.js";
import { connectRedis, createRedisState } from "../../src/state/redis.js";
import type { StateBackend } from "../../src/state/types.js";
import { redisOnDemand } from "../helpers/redis-server.js";

const redis = redisOnDemand();

const opened: StateBackend[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((backend) => backend.close()));
});

type Kind = StateBackend["kind"];

function open(kind: Kind, options: { maxAudit?: number } = {}): StateBackend {
  const backend =
    kind === "redis"
      ? createRedisState(connectRedis(redis.url), { ttlSeconds: 60, ...options })
      : createMemoryState({ ttlSeconds: 60, ...options });
  opened.push(backend);
  return backend;
}

function sub(overrides: Partial<Subscription> = {}): Subscription {
  return { topics: [], kinds: [], countries: [], lang: "en", ...overrides };
}

describe.each(["memory", "redis"] as const)("%s coordination state", (kind) => {
  if (kind === "redis") redis.use();
  let state: StateBackend;
  beforeEach(() => {
    state = open(kind);
  });

  /** Six subscribers with different choices, used by the audience tests. */
  async function population(): Promise<void> {
    const s = state.subscriptions;
    await s.set(1, sub({ topics: ["energy"], lang: "en" }));
    await s.set(2, sub({ topics: ["energy", "agriculture"], countries: ["KZ"], lang: "ru" }));
    await s.set(3, sub({ topics: ["agriculture"], kinds: ["programme"], lang: "fr" }));
    await s.set(4, sub({ lang: "zh" })); // everything
    await s.set(
      5,
      sub({ topics: ["digital-economy"], kinds: ["incubator", "event"], countries: ["CN", "UZ"], lang: "en" }),
    );
    await s.set(-1001234567890, sub({ countries: ["KZ"], lang: "ru" })); // a group chat
  }

  async function ids(audience: Audience): Promise<number[]> {
    const recipients = await state.subscriptions.resolve(audience);
    expect(await state.subscriptions.count(audience)).toBe(recipients.length);
    return recipients.map((r) => r.chatId);
  }

  it("stores, reads back and replaces a subscription", async () => {
    const s = state.subscriptions;
    expect(await s.get(42)).toBeUndefined();
    await s.set(42, sub({ topics: ["energy", "agriculture", "energy"], countries: ["KZ"], lang: "ru" }));
    expect(await s.get(42)).toEqual({
      chatId: 42,
      topics: ["agriculture", "energy"],
      kinds: [],
      countries: ["KZ"],
      lang: "ru",
      active: true,
    });
    await s.set(42, sub({ kinds: ["programme"], lang: "fr" }));
    expect(await s.get(42)).toEqual({
      chatId: 42,
      topics: [],
      kinds: ["programme"],
      countries: [],
      lang: "fr",
      active: true,
    });
    // The old choices no longer put the chat in an audience.
    expect(await ids({ topics: ["energy"], kinds: ["event"] })).toEqual([]);
    expect(await ids({ countries: ["KZ"], kinds: ["programme"], languages: ["ru"] })).toEqual([]);
    expect(await ids({ kinds: ["programme"], languages: ["fr"] })).toEqual([42]);
  });

  it("does not let callers change stored subscriptions by reference", async () => {
    const written = sub({ topics: ["energy"] });
    await state.subscriptions.set(7, written);
    written.topics.push("agriculture");
    const read = await state.subscriptions.get(7);
    read!.topics.length = 0;
    expect((await state.subscriptions.get(7))?.topics).toEqual(["energy"]);
  });

  it("rejects a language it does not know and values that would clash with the index", async () => {
    await expect(state.subscriptions.set(1, sub({ lang: "de" as Language }))).rejects.toThrow(RangeError);
    await expect(state.subscriptions.set(1, sub({ topics: ["*"] }))).rejects.toThrow(RangeError);
    expect(await state.subscriptions.get(1)).toBeUndefined();
  });

  it("everyone: every active subscriber with their language, tags ignored, languages honoured", async () => {
    await population();
    expect(await state.subscriptions.resolve({ everyone: true })).toEqual([
      { chatId: -1001234567890, lang: "ru" },
      { chatId: 1, lang: "en" },
      { chatId: 2, lang: "ru" },
      { chatId: 3, lang: "fr" },
      { chatId: 4, lang: "zh" },
      { chatId: 5, lang: "en" },
    ]);
    expect(await ids({ everyone: true, topics: ["nothing-like-this"] })).toHaveLength(6);
    expect(await ids({ everyone: true, languages: ["ru"] })).toEqual([-1001234567890, 2]);
  });

  it("an untagged broadcast is not everyone: it reaches only those who chose nothing anywhere", async () => {
    await population();
    expect(await ids({})).toEqual([4]);
    expect(await ids({ topics: [], countries: [] })).toEqual([4]);
  });

  // The rule, facet by facet: a subscriber's facet matches when they chose nothing in it, or chose one
  // of the broadcast's tags in it; a facet the broadcast leaves untagged matches only "chose nothing".
  it("topics: a subscriber who chose topics gets only broadcasts tagged with one of them", async () => {
    const s = state.subscriptions;
    await s.set(1, sub({ topics: ["energy"] }));
    await s.set(2, sub({ topics: ["agriculture"] }));
    await s.set(3, sub());
    expect(await ids({ topics: ["energy"] })).toEqual([1, 3]);
    expect(await ids({ topics: ["energy", "agriculture"] })).toEqual([1, 2, 3]);
    expect(await ids({ topics: ["space"] })).toEqual([3]);
    // No topic: not for those who asked for a topic.
    expect(await ids({ kinds: ["incubator"] })).toEqual([3]);
  });

  it("kinds: a subscriber who chose kinds gets only broadcasts tagged with one of them", async () => {
    const s = state.subscriptions;
    await s.set(1, sub({ kinds: ["incubator"] }));
    await s.set(2, sub({ kinds: ["programme", "event"] }));
    await s.set(3, sub());
    expect(await ids({ kinds: ["incubator"] })).toEqual([1, 3]);
    expect(await ids({ kinds: ["event", "incubator"] })).toEqual([1, 2, 3]);
    expect(await ids({ kinds: ["initiative"] })).toEqual([3]);
    expect(await ids({ topics: ["energy"] })).toEqual([3]);
  });

  it("countries: a subscriber who chose countries gets only broadcasts tagged with one of them", async () => {
    const s = state.subscriptions;
    await s.set(1, sub({ countries: ["KZ"] }));
    await s.set(2, sub({ countries: ["CN", "UZ"] }));
    await s.set(3, sub());
    expect(await ids({ countries: ["KZ"] })).toEqual([1, 3]);
    expect(await ids({ countries: ["UZ", "KZ"] })).toEqual([1, 2, 3]);
    expect(await ids({ countries: ["RU"] })).toEqual([3]);
    expect(await ids({ topics: ["energy"] })).toEqual([3]);
  });

  it("facets: every facet of the subscription must match", async () => {
    await population();
    // An incubator call for Kazakhstan with no topic: not for "energy only" (1), nor for 2 (energy, agriculture in KZ).
    expect(await ids({ kinds: ["incubator"], countries: ["KZ"] })).toEqual([-1001234567890, 4]);
    expect(await ids({ topics: ["energy"] })).toEqual([1, 4]);
    expect(await ids({ topics: ["energy", "agriculture"] })).toEqual([1, 4]);
    expect(await ids({ topics: ["energy"], countries: ["KZ"] })).toEqual([-1001234567890, 1, 2, 4]);
    expect(await ids({ topics: ["agriculture"], kinds: ["programme"] })).toEqual([3, 4]);
    expect(await ids({ topics: ["agriculture"], kinds: ["programme"], countries: ["KZ"] })).toEqual([
      -1001234567890, 2, 3, 4,
    ]);
    expect(await ids({ topics: ["digital-economy"], kinds: ["event"], countries: ["UZ"] })).toEqual([4, 5]);
    expect(await ids({ topics: ["digital-economy"], kinds: ["programme"], countries: ["UZ"] })).toEqual([4]);
    expect(await ids({ countries: ["CN"] })).toEqual([4]);
  });

  it("languages: exactly the subscribers reading one of them", async () => {
    await population();
    expect(await ids({ languages: ["ru"], countries: ["KZ"] })).toEqual([-1001234567890]);
    expect(await ids({ languages: ["en", "fr"], topics: ["energy", "agriculture"], kinds: ["programme"] })).toEqual([
      1, 3,
    ]);
    expect(await ids({ languages: ["en"], topics: ["energy"] })).toEqual([1]);
    expect(await state.subscriptions.resolve({ languages: ["zh"] })).toEqual([{ chatId: 4, lang: "zh" }]);
  });

  it("inactive subscribers are left out, and included again once active", async () => {
    await population();
    await state.subscriptions.setActive(2, false);
    await state.subscriptions.setActive(4, false);
    expect((await state.subscriptions.get(2))?.active).toBe(false);
    expect(await ids({ topics: ["energy"], countries: ["KZ"] })).toEqual([-1001234567890, 1]);
    expect(await ids({ everyone: true })).toEqual([-1001234567890, 1, 3, 5]);
    await state.subscriptions.setActive(2, true);
    expect((await state.subscriptions.get(2))?.active).toBe(true);
    expect(await ids({ topics: ["energy"], countries: ["KZ"] })).toEqual([-1001234567890, 1, 2]);
  });

  it("changing the subscription keeps the active flag; a new subscription starts active", async () => {
    await state.subscriptions.set(9, sub());
    await state.subscriptions.setActive(9, false);
    await state.subscriptions.set(9, sub({ topics: ["energy"] }));
    expect((await state.subscriptions.get(9))?.active).toBe(false);
    expect(await ids({ everyone: true })).toEqual([]);
    await state.subscriptions.remove(9);
    await state.subscriptions.set(9, sub());
    expect((await state.subscriptions.get(9))?.active).toBe(true);
  });

  it("setActive ignores chats that are not subscribed", async () => {
    await state.subscriptions.setActive(77, false);
    await state.subscriptions.setActive(78, true);
    expect(await state.subscriptions.get(77)).toBeUndefined();
    await state.subscriptions.set(77, sub());
    expect(await ids({ everyone: true })).toEqual([77]);
  });

  it("remove takes the chat out of every audience", async () => {
    await population();
    await state.subscriptions.remove(4);
    await state.subscriptions.remove(4);
    await state.subscriptions.remove(12345);
    expect(await state.subscriptions.get(4)).toBeUndefined();
    expect(await ids({ topics: ["space"], countries: ["KZ"] })).toEqual([-1001234567890]);
    expect(await ids({ everyone: true })).toEqual([-1001234567890, 1, 2, 3, 5]);
  });

  it("roles: grant, revoke and list coordinators", async () => {
    const { roles } = state;
    expect(await roles.isCoordinator(10)).toBe(false);
    await roles.grant(10);
    await roles.grant(10);
    await roles.grant(3);
    expect(await roles.isCoordinator(10)).toBe(true);
    expect(await roles.coordinators()).toEqual([3, 10]);
    await roles.revoke(10);
    await roles.revoke(999);
    expect(await roles.isCoordinator(10)).toBe(false);
    expect(await roles.coordinators()).toEqual([3]);
  });

  it("audit: newest first, with a timestamp and the details", async () => {
    const { audit } = state;
    expect(await audit.recent(10)).toEqual([]);
    await audit.append({ actor: 1, action: "grant", details: { target: 2 } });
    await audit.append({ actor: 1, action: "reload", details: { ok: true, records: 56 } });
    await audit.append({ actor: 2, action: "reply" });
    const recent = await audit.recent(10);
    expect(recent.map((e) => e.action)).toEqual(["reply", "reload", "grant"]);
    expect(recent[1]).toMatchObject({ actor: 1, details: { ok: true, records: 56 } });
    expect(recent[2]?.details).toEqual({ target: 2 });
    expect(recent[0]?.details).toBeUndefined();
    for (const e of recent) expect(Date.parse(e.at)).not.toBeNaN();
    expect((await audit.recent(2)).map((e) => e.action)).toEqual(["reply", "reload"]);
    expect(await audit.recent(0)).toEqual([]);
    expect(await audit.recent(-3)).toEqual([]);
  });

  it("audit: bounded, keeping the newest", async () => {
    const small = open(kind, { maxAudit: 5 });
    for (let i = 1; i <= 12; i++) await small.audit.append({ actor: i, action: "grant", details: { target: i } });
    const recent = await small.audit.recent(100);
    expect(recent.map((e) => e.actor)).toEqual([12, 11, 10, 9, 8]);
  });
});

describe("redis coordination state only", () => {
  redis.use();

  it("keeps a set per facet value, a 'no preference' set per facet, a language set and a hash per subscriber", async () => {
    const state = open("redis");
    await state.subscriptions.set(5, sub({ topics: ["energy"], countries: ["KZ", "UZ"], lang: "ru" }));
    const r = redis.admin;
    expect(await r.smembers("coopdesk:sub:topic:energy")).toEqual(["5"]);
    expect(await r.smembers("coopdesk:sub:kind:*")).toEqual(["5"]);
    expect(await r.smembers("coopdesk:sub:country:UZ")).toEqual(["5"]);
    expect(await r.smembers("coopdesk:sub:lang:ru")).toEqual(["5"]);
    expect(await r.smembers("coopdesk:sub:all")).toEqual(["5"]);
    expect(await r.hgetall("coopdesk:sub:user:5")).toEqual({
      topics: '["energy"]',
      kinds: "[]",
      countries: '["KZ","UZ"]',
      lang: "ru",
    });
    await state.subscriptions.set(5, sub({ kinds: ["event"], lang: "en" }));
    expect(
      await r.exists(
        "coopdesk:sub:topic:energy",
        "coopdesk:sub:kind:*",
        "coopdesk:sub:country:UZ",
        "coopdesk:sub:lang:ru",
      ),
    ).toBe(0);
    expect(await r.smembers("coopdesk:sub:topic:*")).toEqual(["5"]);
    await state.subscriptions.remove(5);
    expect(await r.keys("coopdesk:sub:*")).toEqual([]);
  });

  it("leaves no temporary keys behind after resolving", async () => {
    const state = open("redis");
    await state.subscriptions.set(1, sub({ topics: ["energy"] }));
    await state.subscriptions.resolve({ topics: ["energy"], kinds: ["event"], languages: ["en"] });
    await state.subscriptions.count({ countries: ["KZ"] });
    expect(await redis.admin.keys("coopdesk:tmp:*")).toEqual([]);
  });

  it("honours the delivery workers' coopdesk:inactive set; setActive(true) clears it", async () => {
    const state = open("redis");
    await state.subscriptions.set(1, sub());
    await state.subscriptions.set(2, sub());
    await redis.admin.sadd("coopdesk:inactive", "2", "999");
    expect((await state.subscriptions.resolve({ everyone: true })).map((r) => r.chatId)).toEqual([1]);
    expect(await state.subscriptions.count({ everyone: true })).toBe(1);
    expect((await state.subscriptions.get(2))?.active).toBe(false);
    await state.subscriptions.setActive(2, true);
    expect(await redis.admin.sismember("coopdesk:inactive", "2")).toBe(0);
    expect((await state.subscriptions.resolve({ everyone: true })).map((r) => r.chatId)).toEqual([1, 2]);
  });

  it("keeps the audit log in the stream coopdesk:audit, trimmed", async () => {
    const state = open("redis", { maxAudit: 100 });
    const pipeline = redis.admin.pipeline();
    for (let i = 0; i < 1000; i++)
      pipeline.xadd(
        "coopdesk:audit",
        "*",
        "entry",
        JSON.stringify({ at: new Date().toISOString(), actor: i, action: "grant" }),
      );
    await pipeline.exec();
    await state.audit.append({ actor: 5000, action: "reload" });
    expect(await redis.admin.xlen("coopdesk:audit")).toBeLessThan(300);
    expect((await state.audit.recent(1000)).length).toBe(100);
    expect((await state.audit.recent(1))[0]).toMatchObject({ actor: 5000, action: "reload" });
  });

  it("skips corrupt audit entries", async () => {
    const state = open("redis");
    await state.audit.append({ actor: 1, action: "grant" });
    await redis.admin.xadd("coopdesk:audit", "*", "entry", "{broken");
    await state.audit.append({ actor: 2, action: "revoke" });
    expect((await state.audit.recent(10)).map((e) => e.actor)).toEqual([2, 1]);
  });

  it("keeps roles in the set coopdesk:roles:coordinator", async () => {
    const state = open("redis");
    await state.roles.grant(42);
    expect(await redis.admin.smembers("coopdesk:roles:coordinator")).toEqual(["42"]);
  });
});
