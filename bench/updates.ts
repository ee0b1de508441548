/**
 * npm run bench:updates — updates per second through the full bot (question → search → card reply,
 * session in Redis) next to a grammY echo bot with the same Redis session, in the same run; the full
 * bot twice, without and with the decision cache the app uses (src/bot/decisions.ts). Bot API calls
 * are answered in-process, so the figures are the bots' own cost plus Redis.
 *
 * Options: --updates N (default 5000), --users N (distinct users, default 500), --concurrency N
 * (updates in flight, like @grammyjs/runner; default 32), --warmup S (at least this many seconds of
 * unmeasured updates per bot before the rounds, default 5; longer until the CPU time per update
 * settles), --only full|cached|echo (one bot, e.g. for a CPU profile). Goal: ≥ 0.35 of the echo
 * baseline (≥ 0.5 with the fast path for plain questions).
 */
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import { Bot, session, type Context, type SessionFlavor, type Transformer } from "grammy";
import type { Update } from "grammy/types";
import pino from "pino";
import { parse } from "yaml";
import { consoleBotInfo } from "../src/app/compose.js";
import { DecisionCache } from "../src/bot/decisions.js";
import { createBot } from "../src/bot/index.js";
import type { BotDeps } from "../src/bot/context.js";
import { createI18n } from "../src/i18n.js";
import { sharedDir } from "../src/shared-dir.js";
import { connectRedis, createRedisState } from "../src/state/redis.js";
import type { SessionData } from "../src/state/types.js";
import { bundledEngine } from "../test/helpers/bot-deps.js";
import { startRedisServer } from "../test/helpers/redis-server.js";
import { machineLoad } from "./measure.js";

const { values } = parseArgs({
  options: {
    updates: { type: "string", default: "5000" },
    users: { type: "string", default: "500" },
    concurrency: { type: "string", default: "32" },
    warmup: { type: "string", default: "5" },
    only: { type: "string" },
  },
});
if (values.only !== undefined && !["full", "cached", "echo"].includes(values.only)) {
  console.error(
    "usage: npm run bench:updates -- [--updates N] [--users N] [--concurrency N] [--warmup S] [--only full|cached|echo]",
  );
  process.exit(2);
}
const UPDATES = Number(values.updates);
const USERS = Number(values.users);
const CONCURRENCY = Number(values.concurrency);
const WARM_UP_SECONDS = Number(values.warmup);

const botInfo = consoleBotInfo("CooperationDeskBot");

/** Answers every Bot API call at once with a plausible result; counts the calls. */
function inProcessApi(counter: { calls: number }): Transformer {
  let messageId = 1;
  return async (_prev, method, payload) => {
    counter.calls++;
    const p = payload as { chat_id?: number; text?: string };
    const result =
      method === "sendMessage" || method === "editMessageText"
        ? {
            message_id: messageId++,
            date: Math.floor(Date.now() / 1000),
            chat: { id: p.chat_id ?? 0, type: "private", first_name: "U" },
            text: p.text ?? "",
          }
        : true;
    return { ok: true, result } as never;
  };
}

/** Questions of the public evaluation set (four languages), or a few of our own when it is absent. */
function questions(): string[] {
  try {
    const list = parse(readFileSync(`${sharedDir()}/eval/queries.yaml`, "utf8")) as { q: string }[];
    return list.map((e) => e.q);
  } catch {
    return ["incubators in Kazakhstan", "инкубаторы в Казахстане", "哈萨克斯坦的孵化器", "incubateurs en Ouzbékistan"];
  }
}

/** Update ids go on increasing across rounds, as Telegram's do: the bot skips an id it already handled. */
let lastUpdateId = 0;

function updates(texts: string[], count = UPDATES): Update[] {
  return Array.from({ length: count }, (_, i) => {
    const user = 1000 + (i % USERS);
    return {
      update_id: ++lastUpdateId,
      message: {
        message_id: i + 1,
        date: Math.floor(Date.now() / 1000),
        chat: { id: user, type: "private", first_name: "U" },
        from: { id: user, is_bot: false, first_name: "U", language_code: "en" },
        text: texts[i % texts.length]!,
      },
    } as Update;
  });
}

/**
 * Feeds the updates with at most CONCURRENCY in flight; returns updates per second and this process's
 * CPU time per update (µs), which moves far less than the rate with other work on the machine.
 */
async function drive(handle: (u: Update) => Promise<void>, list: Update[]): Promise<{ rate: number; cpuUs: number }> {
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const worker = async () => {
    while (next < list.length) await handle(list[next++]!);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const rate = list.length / ((performance.now() - started) / 1000);
  const used = process.cpuUsage(cpu);
  return { rate, cpuUs: (used.user + used.system) / list.length };
}

const redisServer = await startRedisServer();
const redis = connectRedis(redisServer.url);
try {
  const state = createRedisState(redis, { ttlSeconds: 3600, prefix: "bench:" });
  const deps: BotDeps = {
    search: await bundledEngine(),
    state,
    logger: pino({ level: "silent" }),
    i18n: await createI18n(),
    settings: { answerThreshold: 0.5, retryMaxDelaySeconds: 1, adminIds: [] },
  };
  // The full bot twice: the engine asked for every question, and asked once per text (the decision
  // cache of src/bot/decisions.ts, which the app uses). The bench repeats a few dozen questions, so the
  // cache answers nearly all of them here: its figure flatters it, the one without it does not.
  const cache = new DecisionCache();
  const calls = { full: { calls: 0 }, cached: { calls: 0 }, echo: { calls: 0 } };
  const full = createBot(deps, { token: "1:bench", botInfo });
  full.api.config.use(inProcessApi(calls.full));
  const cached = createBot({ ...deps, decisions: cache }, { token: "1:bench", botInfo });
  cached.api.config.use(inProcessApi(calls.cached));

  const echo = new Bot<Context & SessionFlavor<SessionData>>("1:bench", { botInfo });
  echo.api.config.use(inProcessApi(calls.echo));
  echo.use(
    session({
      initial: (): SessionData => ({}),
      storage: state.sessions,
      getSessionKey: (ctx) => (ctx.from ? `echo:${ctx.from.id}` : undefined),
    }),
  );
  echo.on("message:text", async (ctx) => {
    ctx.session.lastQuery = ctx.message.text;
    await ctx.reply(ctx.message.text);
  });

  const texts = questions();
  type Name = "echo" | "full" | "cached";
  const bots = (
    [
      { name: "echo", label: "grammY echo bot, same session", handle: (u: Update) => echo.handleUpdate(u) },
      { name: "full", label: "full bot (question → search → card)", handle: (u: Update) => full.handleUpdate(u) },
      { name: "cached", label: "full bot with the decision cache", handle: (u: Update) => cached.handleUpdate(u) },
    ] satisfies { name: Name; label: string; handle: (u: Update) => Promise<void> }[]
  ).filter((b) => values.only === undefined || b.name === values.only);

  // V8 keeps optimising the hot paths for seconds, and sooner on an idle machine than on a loaded one: a
  // fixed warm-up (300 updates, then 5 s) left the first round 20–40 % slower than the next ones. So the
  // warm-up goes on, in batches, until the CPU time per update of two batches in a row is within 5 % (at
  // least WARM_UP_SECONDS, at most WARM_UP_MAX_SECONDS). Also fills caches and Redis connections.
  const WARM_UP_BATCH = 1000;
  const WARM_UP_MAX_SECONDS = 90;
  const warmUp = async (handle: (u: Update) => Promise<void>) => {
    const started = performance.now();
    const cpu: number[] = [];
    for (;;) {
      cpu.push((await drive(handle, updates(texts, WARM_UP_BATCH))).cpuUs);
      const seconds = (performance.now() - started) / 1000;
      const [before, last] = cpu.slice(-2);
      const settled = before !== undefined && Math.abs(last! - before) <= 0.05 * before;
      if ((settled && seconds >= WARM_UP_SECONDS) || seconds >= WARM_UP_MAX_SECONDS)
        return { updates: cpu.length * WARM_UP_BATCH, seconds, settled, cpu };
    }
  };
  const warmUps = new Map<Name, Awaited<ReturnType<typeof warmUp>>>();
  for (const bot of bots) warmUps.set(bot.name, await warmUp(bot.handle));
  const callsFrom = { full: calls.full.calls, cached: calls.cached.calls };
  const cacheFrom = { hits: cache.hits, misses: cache.misses };

  const rounds: Partial<Record<Name, { rate: number; cpuUs: number }>>[] = [];
  for (let round = 0; round < 3; round++) {
    const figures: Partial<Record<Name, { rate: number; cpuUs: number }>> = {};
    // The same messages from the same users to each bot, under update ids of their own: the full bots
    // share the state, and one would skip the other's ids as delivered again.
    for (const bot of bots) figures[bot.name] = await drive(bot.handle, updates(texts));
    rounds.push(figures);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const rate = (bot: Name) => median(rounds.map((r) => r[bot]!.rate));
  const has = (name: Name) => bots.some((b) => b.name === name);
  const pad = (label: string) => label.padEnd(36);

  console.log(
    `updates benchmark — node ${process.version}, ${UPDATES} updates × 3 rounds (median), ${USERS} users, ${CONCURRENCY} in flight, ${texts.length} distinct questions, Redis sessions, Bot API answered in-process`,
  );
  for (const bot of bots) {
    const w = warmUps.get(bot.name)!;
    console.log(
      `  warm-up, ${bot.name}: ${w.updates} updates in ${w.seconds.toFixed(1)} s, ${w.settled ? "settled" : `not settled after ${WARM_UP_MAX_SECONDS} s`} (µs of CPU per update by batch of ${WARM_UP_BATCH}: ${w.cpu.map((c) => c.toFixed(0)).join(", ")})`,
    );
  }
  for (const bot of bots) {
    let note = "";
    if (bot.name === "full" || bot.name === "cached")
      note = `(${((calls[bot.name].calls - callsFrom[bot.name]) / (UPDATES * 3)).toFixed(2)} API calls per update)`;
    if (bot.name === "cached") {
      const hits = cache.hits - cacheFrom.hits;
      const asked = hits + cache.misses - cacheFrom.misses;
      note += ` — decisions from the cache: ${((100 * hits) / asked).toFixed(1)} % of ${asked} (the bench repeats its questions)`;
    }
    console.log(`  ${pad(bot.label)} ${rate(bot.name).toFixed(0).padStart(7)} updates/s  ${note}`);
  }
  if (has("echo"))
    for (const name of ["full", "cached"] as const) {
      if (!has(name)) continue;
      const ratio = rate(name) / rate("echo");
      const mark = ratio >= 0.5 ? "✓" : ratio >= 0.35 ? "✓ (≥ 0.35; fast-path goal 0.50)" : "✗";
      console.log(
        `  ${pad(`ratio ${name === "full" ? "full" : "full with the cache"} / echo`)} ${ratio.toFixed(2).padStart(7)}  ${mark} goal ≥ 0.35, ≥ 0.50 with the fast path`,
      );
    }
  for (const bot of bots)
    console.log(
      `  ${pad(`rounds, ${bot.name}`)} ${rounds.map((r) => r[bot.name]!.rate.toFixed(0)).join(", ")} updates/s; ${rounds.map((r) => r[bot.name]!.cpuUs.toFixed(0)).join(", ")} µs of CPU per update`,
    );
  console.log(`  ${machineLoad()}`);
} finally {
  redis.disconnect();
  await redisServer.stop();
}
