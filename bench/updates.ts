/**
 * npm run bench:updates — updates per second through the full bot (question → search → card reply,
 * session in Redis) next to a grammY echo bot with the same Redis session, in the same run. Bot API
 * calls are answered in-process, so the figures are the bots' own cost plus Redis.
 *
 * Options: --updates N (default 5000), --users N (distinct users, default 500), --concurrency N
 * (updates in flight, like @grammyjs/runner; default 32), --warmup S (at least this many seconds of
 * unmeasured updates per bot before the rounds, default 5; longer until the CPU time per update
 * settles), --only full|echo (one bot, e.g. for a CPU profile). Goal: ≥ 0.35 of the echo baseline (≥ 0.5
 * with the fast path for plain questions).
 */
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import { Bot, session, type Context, type SessionFlavor, type Transformer } from "grammy";
import type { Update } from "grammy/types";
import pino from "pino";
import { parse } from "yaml";
import { consoleBotInfo } from "../src/app/compose.js";
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
if (values.only !== undefined && values.only !== "full" && values.only !== "echo") {
  console.error(
    "usage: npm run bench:updates -- [--updates N] [--users N] [--concurrency N] [--warmup S] [--only full|echo]",
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
  const fullCalls = { calls: 0 };
  const full = createBot(deps, { token: "1:bench", botInfo });
  full.api.config.use(inProcessApi(fullCalls));

  const echoCalls = { calls: 0 };
  const echo = new Bot<Context & SessionFlavor<SessionData>>("1:bench", { botInfo });
  echo.api.config.use(inProcessApi(echoCalls));
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
  type Bot = { name: "full" | "echo"; handle: (u: Update) => Promise<void> };
  const bots: Bot[] = [
    { name: "echo" as const, handle: (u: Update) => echo.handleUpdate(u) },
    { name: "full" as const, handle: (u: Update) => full.handleUpdate(u) },
  ].filter((b) => values.only === undefined || b.name === values.only);

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
  const warmUps = new Map<string, Awaited<ReturnType<typeof warmUp>>>();
  for (const bot of bots) warmUps.set(bot.name, await warmUp(bot.handle));
  const measuredFrom = fullCalls.calls;

  const rounds: Record<string, { rate: number; cpuUs: number }>[] = [];
  for (let round = 0; round < 3; round++) {
    const list = updates(texts);
    const figures: Record<string, { rate: number; cpuUs: number }> = {};
    for (const bot of bots) figures[bot.name] = await drive(bot.handle, list);
    rounds.push(figures);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const rate = (bot: string) => median(rounds.map((r) => r[bot]!.rate));
  const perRound = (bot: string) =>
    `${rounds.map((r) => r[bot]!.rate.toFixed(0)).join(", ")} updates/s; ${rounds.map((r) => r[bot]!.cpuUs.toFixed(0)).join(", ")} µs of CPU per update`;
  console.log(
    `updates benchmark — node ${process.version}, ${UPDATES} updates × 3 rounds (median), ${USERS} users, ${CONCURRENCY} in flight, Redis sessions, Bot API answered in-process`,
  );
  for (const [name, w] of warmUps)
    console.log(
      `  warm-up, ${name} bot: ${w.updates} updates in ${w.seconds.toFixed(1)} s, ${w.settled ? "settled" : `not settled after ${WARM_UP_MAX_SECONDS} s`} (µs of CPU per update by batch of ${WARM_UP_BATCH}: ${w.cpu.map((c) => c.toFixed(0)).join(", ")})`,
    );
  const has = (name: string) => bots.some((b) => b.name === name);
  if (has("full"))
    console.log(
      `  full bot (question → search → card)  ${rate("full").toFixed(0).padStart(7)} updates/s  (${((fullCalls.calls - measuredFrom) / (UPDATES * 3)).toFixed(2)} API calls per update)`,
    );
  if (has("echo"))
    console.log(`  grammY echo bot, same session       ${rate("echo").toFixed(0).padStart(7)} updates/s`);
  if (has("full") && has("echo")) {
    const ratio = rate("full") / rate("echo");
    console.log(
      `  ratio full / echo                   ${ratio.toFixed(2).padStart(7)}  ${ratio >= 0.5 ? "✓" : ratio >= 0.35 ? "✓ (≥ 0.35; fast-path goal 0.50)" : "✗"} goal ≥ 0.35, ≥ 0.50 with the fast path`,
    );
  }
  if (has("full")) console.log(`  rounds, full bot                    ${perRound("full")}`);
  if (has("echo")) console.log(`  rounds, echo bot                    ${perRound("echo")}`);
  console.log(`  ${machineLoad()}`);
} finally {
  redis.disconnect();
  await redisServer.stop();
}
