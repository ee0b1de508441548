// Record edits submitted for review, in Redis: a counter for ids, one hash per edit (its JSON and its
// status apart, so a decision is checked and written in one script without re-encoding the record),
// and a sorted set of the pending ones.
import type { Redis } from "ioredis";
import { transactionReplies } from "./redis-transaction.js";
import { EDIT_ID, parseEdit, type RecordEdit, type RecordEditStore } from "./record-edits.js";
import type { StateLogger } from "./types.js";

/** First decision wins: a second administrator pressing "approve" finds it no longer pending. */
const DECIDE_SCRIPT = `
if redis.call('HGET', KEYS[1], 'status') ~= 'pending' then return nil end
redis.call('HSET', KEYS[1], 'json', ARGV[1], 'status', ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[3])
return 1
`;

export function createRedisRecordEdits(
  redis: Redis,
  options: { prefix: string; logger?: StateLogger },
): RecordEditStore {
  const keys = {
    counter: `${options.prefix}edits:next`,
    pending: `${options.prefix}edits:pending`,
    edit: (id: string) => `${options.prefix}edit:${id}`,
  };
  const read = async (id: string): Promise<RecordEdit | undefined> => {
    if (!EDIT_ID.test(id)) return undefined;
    const raw = await redis.hget(keys.edit(id), "json");
    if (raw === null) return undefined;
    const edit = parseEdit(raw);
    if (!edit) options.logger?.warn({ key: keys.edit(id) }, "ignoring an invalid record edit in Redis");
    return edit;
  };
  return {
    async submit(input) {
      const id = String(await redis.incr(keys.counter));
      const edit: RecordEdit = { ...input, id, at: new Date().toISOString(), status: "pending" };
      transactionReplies(
        await redis
          .multi()
          .hset(keys.edit(id), "json", JSON.stringify(edit), "status", "pending")
          .zadd(keys.pending, id, id)
          .exec(),
      );
      return (await read(id))!;
    },
    get: read,
    async pending(limit) {
      if (limit <= 0) return [];
      const ids = await redis.zrange(keys.pending, "0", String(limit - 1));
      const edits = await Promise.all(ids.map((id) => read(id)));
      return edits.filter((e): e is RecordEdit => e?.status === "pending");
    },
    async decide(id, decision) {
      const edit = await read(id);
      if (!edit || edit.status !== "pending") return undefined;
      const decided: RecordEdit = {
        ...edit,
        status: decision.status,
        reviewer: decision.reviewer,
        decidedAt: new Date().toISOString(),
        ...(decision.comment ? { comment: decision.comment } : {}),
      };
      const done = await redis.eval(
        DECIDE_SCRIPT,
        2,
        keys.edit(id),
        keys.pending,
        JSON.stringify(decided),
        decision.status,
        id,
      );
      return done === null ? undefined : decided;
    },
  };
}
