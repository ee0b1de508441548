/**
 * npm run bench:load — simulated users chatting with the bot deployed as it runs in production: webhook
 * replicas (each its own `npm start` process) and a broadcast worker on one Redis, behind a round-robin
 * proxy, the fake Bot API standing in for Telegram (test/helpers/replicas.ts). The same load goes
 * through 1 replica, then through 3. Each user asks questions in their language and presses buttons of
 * the bot's answers, waiting for the answer and a pause between updates.
 *
 * Prints, per setup: updates per second answered, p50/p99 reply latency (from the update sent to the
 * bot's first answer reaching the fake Bot API), errors (must be 0: a delivery not answered 200, an
 * update not answered, an error logged by a replica), the cores this process used (the fake Bot API,
 * proxy and users share the machine with the replicas), the ratio 3 replicas / 1, and the load average.
 *
 * Options: --users N (default 1000), --seconds N (load per setup, default 20), --think-ms N (mean
 * pause between an answer and the user's next update, default 1000), --replicas "1,3".
 */
import os from "node:os";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Update } from "grammy/types";
import { parse } from "yaml";
import type { Language } from "../src/catalog/schema.js";
import { sharedDir } from "../src/shared-dir.js";
import type { Payload } from "../test/helpers/fake-bot-api.js";
import { startReplicaSet } from "../test/helpers/replicas.js";
import { formatMs, formatRatio, formatTable, latencyFigures } from "./measure.js";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "1000" },
    seconds: { type: "string", default: "20" },
    "think-ms": { type: "string", default: "1000" },
    replicas: { type: "string", default: "1,3" },
  },
});
const USERS = Number(values.users);
const SECONDS = Number(values.seconds);
const THINK_MS = Number(values["think-ms"]);
const SETUPS = values.replicas.split(",").map(Number);
if (!(USERS >= 1) || !(SECONDS > 0) || !(THINK_MS >= 0) || !SETUPS.every((n) => Number.isInteger(n) && n >= 1)) {
  console.error('usage: npm run bench:load -- [--users N] [--seconds N] [--think-ms N] [--replicas "1,3"]');
  process.exit(2);
}

/** A reply slower than this counts as no reply. */
const REPLY_TIMEOUT_MS = 30_000;
/** Share of updates that press a button of the bot's last answer (when it has buttons). */
const PRESS_SHARE = 0.35;
const LANGUAGES: Language[] = ["en", "fr", "ru", "zh"];

/** Questions per language: the public evaluation set, or a few of our own when it is absent. */
function questions(): Record<Language, string[]> {
  const byLang: Record<Language, string[]> = { en: [], fr: [], ru: [], zh: [] };
  try {
    for (const entry of parse(readFileSync(`${sharedDir()}/eval/queries.yaml`, "utf8")) as {
      q: string;
      lang: Language;
    }[])
      byLang[entry.lang]?.push(entry.q);
  } catch {
    // the fallback below
  }
  const fallback: Record<Language, string> = {
    en: "incubators in Kazakhstan",
    fr: "incubateurs au Kazakhstan",
    ru: "инкубаторы в Казахстане",
    zh: "哈萨克斯坦的孵化器",
  };
  for (const lang of LANGUAGES) if (byLang[lang].length === 0) byLang[lang].push(fallback[lang]);
  return byLang;
}

interface Figures {
  replicas: number;
  answered: number;
  updatesPerSecond: number;
  latencies: number[];
  errors: Record<string, number>;
  load: number[];
  /** CPU time of this process (fake Bot API, proxy, simulated users) over the run, in cores. */
  ownCores: number;
  /** The same for each replica, then the worker (Linux; empty elsewhere). */
  processCores: number[];
}

/** The bot's answer to an update: the first message sent or edited in the chat, or the callback query's answer. */
interface Waiting {
  sentAt: number;
  resolve: (answer: { at: number; messageId?: number }) => void;
}

async function run(replicas: number, texts: Record<Language, string[]>): Promise<Figures> {
  const set = await startReplicaSet({ replicas, env: { FLOOD_MAX_MESSAGES: "0" } });
  try {
    const byChat = new Map<number, Waiting>();
    const byQuery = new Map<string, Waiting>();
    // Answers are noticed as they reach the fake Bot API (its call log is not searched: too many calls).
    const noticeMessage = (method: string) =>
      set.api.setHandler(method, (p: Payload, ctx) => {
        const result = ctx.fallback() as { message_id?: number } | true;
        const waiting = byChat.get(Number(p.chat_id));
        if (waiting) {
          byChat.delete(Number(p.chat_id));
          const id = typeof result === "object" ? result.message_id : undefined;
          waiting.resolve({ at: performance.now(), ...(id !== undefined ? { messageId: id } : {}) });
        }
        return result;
      });
    noticeMessage("sendMessage");
    noticeMessage("editMessageText");
    set.api.setHandler("answerCallbackQuery", (p, ctx) => {
      const waiting = byQuery.get(String(p.callback_query_id));
      if (waiting) {
        byQuery.delete(String(p.callback_query_id));
        waiting.resolve({ at: performance.now() });
      }
      return ctx.fallback();
    });

    // Warm-up: each replica answers each language once (module loading, the language detector, JIT).
    for (const replica of set.replicas)
      for (const [i, lang] of LANGUAGES.entries())
        await set.replyFrom(replica.index, texts[lang][0] as string, { userId: 1 + i, languageCode: lang });

    const errors: Record<string, number> = {};
    const fail = (kind: string) => (errors[kind] = (errors[kind] ?? 0) + 1);
    const latencies: number[] = [];
    const cpu = process.cpuUsage();
    const pids = [...set.replicas.map((r) => r.process.child.pid), set.worker?.child.pid].filter(
      (pid): pid is number => pid !== undefined,
    );
    const cpuBefore = pids.map(cpuSeconds);
    const started = performance.now();
    const end = started + SECONDS * 1000;
    let answered = 0;

    const user = async (index: number) => {
      const userId = 2_000_000 + index;
      const lang = LANGUAGES[index % LANGUAGES.length] as Language;
      let last: { id: number } | undefined;
      // Users start spread over one pause, not all at once.
      await pause(Math.random() * THINK_MS);
      while (performance.now() < end) {
        // The message as it is now (a vote takes its buttons away).
        const markup = last && set.api.chatHistory(userId).find((m) => m.message_id === last?.id)?.reply_markup;
        const buttons = (markup?.inline_keyboard ?? [])
          .flat()
          .flatMap((b) => ("callback_data" in b && b.callback_data ? [b.callback_data] : []));
        let update: Update;
        if (last && buttons.length > 0 && Math.random() < PRESS_SHARE) {
          update = set.api.callbackQuery({
            chatId: userId,
            userId,
            data: pick(buttons),
            messageId: last.id,
            languageCode: lang,
          });
        } else {
          update = set.api.textMessage({ chatId: userId, userId, text: pick(texts[lang]), languageCode: lang });
        }
        const answer = new Promise<Parameters<Waiting["resolve"]>[0]>((resolve) => {
          const waiting = { sentAt: performance.now(), resolve };
          byChat.set(userId, waiting);
          if (update.callback_query) byQuery.set(update.callback_query.id, waiting);
        });
        const sentAt = performance.now();
        const delivery = await set.deliver(update, { attempts: 1 });
        if (!delivery.delivered)
          fail(`delivery answered ${delivery.attempts.map((a) => a.status || a.error).join(", ")}`);
        const got = await Promise.race([answer, pause(REPLY_TIMEOUT_MS).then(() => undefined)]);
        byChat.delete(userId);
        if (update.callback_query) byQuery.delete(update.callback_query.id);
        if (!got) {
          fail("no answer");
          continue;
        }
        if (got.at <= end) {
          answered++;
          latencies.push(got.at - sentAt);
        }
        if (got.messageId !== undefined) last = { id: got.messageId };
        await pause(Math.random() * 2 * THINK_MS);
      }
    };
    await Promise.all(
      Array.from({ length: USERS }, (_, i) =>
        user(i).catch((error: unknown) => fail(`user stopped: ${(error as Error).message}`)),
      ),
    );
    const load = os.loadavg();
    const used = process.cpuUsage(cpu);
    const elapsedMs = performance.now() - started;
    const ownCores = (used.user + used.system) / 1000 / elapsedMs;
    const processCores = pids.flatMap((pid, i) => {
      const [before, after] = [cpuBefore[i], cpuSeconds(pid)];
      return before === undefined || after === undefined ? [] : [((after - before) * 1000) / elapsedMs];
    });

    for (const answer of set.answers)
      if (answer.status >= 500 || answer.status === 0) fail(`replica answered ${answer.status || answer.failure}`);
    for (const replica of set.replicas)
      for (const line of replica.logs()) if (Number(line.level) >= 50) fail(`replica logged: ${String(line.msg)}`);
    return {
      replicas,
      answered,
      updatesPerSecond: answered / SECONDS,
      latencies,
      errors,
      load,
      ownCores,
      processCores,
    };
  } finally {
    await set.stop();
  }
}

/** CPU time a process has used, in seconds, from /proc (undefined where there is none). */
function cpuSeconds(pid: number): number | undefined {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in clock ticks.
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** USER_HZ: 100 on Linux builds. */
const CLOCK_TICKS = 100;

function pick<T>(list: readonly T[]): T {
  return list[Math.floor(Math.random() * list.length)] as T;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const texts = questions();
const results: Figures[] = [];
for (const replicas of SETUPS) results.push(await run(replicas, texts));

console.log(
  `load benchmark — node ${process.version}, ${os.cpus().length} cores; ${USERS} users (four languages; questions, ${Math.round(PRESS_SHARE * 100)}% button presses when there are buttons), ${SECONDS} s per setup, pauses of 0–${2 * THINK_MS} ms; webhook replicas + 1 broadcast worker on one Redis behind a round-robin proxy, fake Bot API in this process`,
);
const rows = results.map((r) => {
  const latency = latencyFigures(r.latencies);
  const errors = Object.values(r.errors).reduce((a, b) => a + b, 0);
  return [
    `${r.replicas} replica${r.replicas === 1 ? "" : "s"}`,
    r.answered.toString(),
    r.updatesPerSecond.toFixed(0),
    formatMs(latency.p50),
    formatMs(latency.p99),
    formatMs(latency.max),
    errors.toString(),
    r.ownCores.toFixed(2),
    r.load.map((n) => n.toFixed(2)).join(" / "),
  ];
});
// The harness's own share of the cores is not the bot's: with few cores it bounds what more replicas can give.
console.log(
  formatTable(
    ["setup", "answered", "updates/s", "p50", "p99", "max", "errors", "harness cores", "load average (1 / 5 / 15 min)"],
    rows,
  ),
);
for (const r of results) {
  if (r.processCores.length > 0)
    console.log(
      `  ${r.replicas} replica(s): cores used by each replica, then the worker: ${r.processCores.map((c) => c.toFixed(2)).join(", ")}`,
    );
  for (const [kind, count] of Object.entries(r.errors)) console.log(`  ${r.replicas} replica(s): ${count} × ${kind}`);
}
const one = results.find((r) => r.replicas === 1);
const three = results.find((r) => r.replicas === 3);
if (one && three)
  console.log(`ratio 3 replicas / 1: ${formatRatio(three.updatesPerSecond / one.updatesPerSecond)} updates/s`);
if (results.some((r) => Object.keys(r.errors).length > 0)) process.exitCode = 1;
