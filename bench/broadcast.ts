// `npm run bench:broadcast -- [--only free|paid] [--recipients 3000] [--paid-recipients 20000]
//                             [--rate 30] [--paid-rate 1000] [--concurrency N] [--paid-concurrency N]`
//
// Two broadcasts through the BullMQ engine (its own redis-server on a free loopback port) to a fake Bot
// API enforcing Telegram's limits — 30 messages a second without `allow_paid_broadcast`, 1000 with it,
// 1 a second per chat, 20 a minute per group:
//
// - free: the engine at --rate (default 30, the free limit itself), sending without the flag;
// - paid: the engine with paid broadcasting at --paid-rate (default 1000, the paid limit itself), every
//   message with the flag.
//
// For each: progress lines, then the steady-state rate (the middle 90 % of the messages), its ratio to the
// free and to the paid limit, the 429s, and for the paid run the cost in Stars as the engine counted it
// and as the fake billed it (0.1 Star per message over the free 30 of each second), beside the estimate
// the coordinator was shown; then the machine's load average. Goal for each run: ≥ 0.95 of its limit with
// no 429 at steady state and every recipient once. Exit code 1 when a goal is missed. The free run takes
// recipients / 30 seconds (100 s at the default 3,000).
import { parseArgs } from "node:util";
import { Api } from "grammy";
import { createBullDelivery } from "../src/broadcast/bull.js";
import { FREE_BROADCAST_PER_SECOND, PAID_BROADCAST_MAX_PER_SECOND } from "../src/broadcast/config.js";
import { estimateBilledMessages, starsFor } from "../src/broadcast/cost.js";
import { telegramSender } from "../src/broadcast/sender.js";
import type { Recipient } from "../src/broadcast/types.js";
import type { Language } from "../src/catalog/schema.js";
import { startFakeBotApi, telegramRateLimits } from "../test/helpers/fake-bot-api.js";
import { startRedisServer } from "../test/helpers/redis-server.js";
import type { RedisServer } from "../test/helpers/redis-server.js";
import { machineLoad } from "./measure.js";

const TOKEN = "123456:BENCH-broadcast-token-0123456789";
const SEND_METHODS = new Set(["sendMessage", "sendPhoto", "sendDocument"]);

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    recipients: { type: "string", default: "3000" },
    "paid-recipients": { type: "string", default: "20000" },
    rate: { type: "string", default: String(FREE_BROADCAST_PER_SECOND) },
    "paid-rate": { type: "string", default: String(PAID_BROADCAST_MAX_PER_SECOND) },
    concurrency: { type: "string" },
    "paid-concurrency": { type: "string" },
  },
});

interface RunOptions {
  label: "free" | "paid";
  paid: boolean;
  recipients: number;
  rate: number;
  concurrency?: number;
}

const optionalNumber = (v: string | undefined) => (v !== undefined ? Number(v) : undefined);
const runs: RunOptions[] = [
  {
    label: "free",
    paid: false,
    recipients: Number(values.recipients),
    rate: Number(values.rate),
    concurrency: optionalNumber(values.concurrency),
  },
  {
    label: "paid",
    paid: true,
    recipients: Number(values["paid-recipients"]),
    rate: Number(values["paid-rate"]),
    concurrency: optionalNumber(values["paid-concurrency"]),
  },
].filter((r) => values.only === undefined || r.label === values.only) as RunOptions[];
const bad = (r: RunOptions) =>
  !Number.isInteger(r.recipients) ||
  r.recipients < 20 ||
  !(r.rate > 0) ||
  (r.paid && r.rate > PAID_BROADCAST_MAX_PER_SECOND) ||
  (r.concurrency !== undefined && !(r.concurrency >= 1));
if (runs.length === 0 || runs.some(bad)) {
  console.error(
    "usage: npm run bench:broadcast -- [--only free|paid] [--recipients N ≥ 20] [--paid-recipients N ≥ 20] [--rate messages/s] [--paid-rate messages/s ≤ 1000] [--concurrency N] [--paid-concurrency N]",
  );
  process.exit(2);
}

const langs: Language[] = ["en", "fr", "ru", "zh"];
const fmt = (seconds: number) =>
  seconds >= 60
    ? `${Math.floor(seconds / 60)}m ${String(Math.round(seconds % 60)).padStart(2, "0")}s`
    : `${seconds.toFixed(1)}s`;
const ratio = (rate: number, limit: number) => `${(rate / limit).toFixed(3)} of ${limit}/s`;

async function run(redis: RedisServer, options: RunOptions): Promise<boolean> {
  const { label, paid, recipients: count, rate } = options;
  const limit = paid ? PAID_BROADCAST_MAX_PER_SECOND : FREE_BROADCAST_PER_SECOND;
  const recipients: Recipient[] = Array.from({ length: count }, (_, i) => ({
    chatId: 1_000_000 + i,
    lang: langs[i % 4] as Language,
  }));
  const limits = telegramRateLimits({
    globalPerSecond: FREE_BROADCAST_PER_SECOND,
    paidPerSecond: PAID_BROADCAST_MAX_PER_SECOND,
    perChatPerSecond: 1,
    perGroupPerMinute: 20,
  });
  const fake = await startFakeBotApi({ token: TOKEN, beforeSend: limits });
  const delivery = createBullDelivery({
    connection: redis.url,
    prefix: `bench-${label}:`,
    sender: telegramSender(new Api(TOKEN, { apiRoot: fake.apiRoot, timeoutSeconds: 30 })),
    hooks: { resolveRecipients: async () => recipients, markInactive: async () => {} },
    ratePerSecond: rate,
    paid,
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
  });
  const sentTimes = () =>
    fake.calls.filter((c) => SEND_METHODS.has(c.method) && c.response?.ok === true).map((c) => c.at);

  try {
    console.log(
      `\n${label} broadcast: ${count} recipients, engine at ${rate}/s${paid ? " with allow_paid_broadcast" : ""}, Telegram's limit ${limit}/s; expected ~${fmt(count / Math.min(rate, limit))}`,
    );
    await delivery.startWorkers();
    const t0 = Date.now();
    await delivery.schedule({
      id: label,
      createdBy: 1,
      content: {
        default: { text: "Call for applications is open", entities: [{ type: "bold", offset: 0, length: 21 }] },
        variants: { fr: { text: "Appel à candidatures ouvert", entities: [{ type: "bold", offset: 0, length: 20 }] } },
      },
      audience: "all",
    });
    let lastCount = 0;
    let lastAt = t0;
    let status = await delivery.status(label);
    for (let tick = 1; ; tick++) {
      await new Promise((r) => setTimeout(r, 250));
      status = await delivery.status(label);
      const ended = !status || (status.state !== "running" && status.state !== "scheduled");
      if (tick % 20 !== 0 && !ended) continue;
      const now = Date.now();
      const sent = sentTimes().length;
      const recent = ((sent - lastCount) * 1000) / (now - lastAt);
      [lastCount, lastAt] = [sent, now];
      console.log(
        `  ${fmt((now - t0) / 1000).padStart(7)}  ${String(sent).padStart(6)}/${count} sent  ${recent.toFixed(1).padStart(7)}/s (since last line)  ` +
          `429s ${limits.stats.rejections.length}  eta ${status?.etaSeconds !== undefined ? fmt(status.etaSeconds) : "-"}`,
      );
      if (ended) {
        if (status?.state !== "done") throw new Error(`broadcast ended ${status?.state ?? "missing"}`);
        break;
      }
    }

    const times = sentTimes().sort((a, b) => a - b);
    const first = times[0] ?? t0;
    const last = times.at(-1) ?? t0;
    const lo = Math.floor(times.length * 0.05);
    const hi = Math.ceil(times.length * 0.95) - 1;
    const steadyFrom = times[lo] ?? first;
    const steadyTo = times[hi] ?? last;
    const steady = ((hi - lo) * 1000) / (steadyTo - steadyFrom);
    const overall = ((times.length - 1) * 1000) / (last - first);
    const rejections = limits.stats.rejections;
    const steady429 = rejections.filter((r) => r.at >= steadyFrom && r.at <= steadyTo).length;
    const perChat = new Map<number, number>();
    for (const c of fake.calls)
      if (SEND_METHODS.has(c.method) && c.response?.ok)
        perChat.set(Number(c.payload.chat_id), (perChat.get(Number(c.payload.chat_id)) ?? 0) + 1);
    const flagged = fake.calls.filter(
      (c) => SEND_METHODS.has(c.method) && c.payload.allow_paid_broadcast === true,
    ).length;
    const sends = fake.calls.filter((c) => SEND_METHODS.has(c.method)).length;
    console.log(
      `  delivered            ${times.length} messages to ${perChat.size} chats (${[...perChat.values()].filter((n) => n > 1).length} twice) in ${fmt((last - first) / 1000)}`,
    );
    console.log(`  with the paid flag   ${flagged} of ${sends} sends`);
    console.log(
      `  steady state         ${steady.toFixed(2)} messages/s (middle 90 %, ${fmt((steadyTo - steadyFrom) / 1000)})`,
    );
    console.log(`  overall              ${overall.toFixed(2)} messages/s`);
    console.log(
      `  against the limits   ${ratio(steady, FREE_BROADCAST_PER_SECOND)} (free) · ${ratio(steady, PAID_BROADCAST_MAX_PER_SECOND)} (paid)`,
    );
    console.log(
      `  429s                 ${rejections.length} in total, ${steady429} at steady state${rejections.length ? ` (${[...new Set(rejections.map((r) => r.scope))].join(", ")})` : ""}`,
    );
    if (paid) {
      const estimate = estimateBilledMessages(count, rate);
      console.log(
        `  cost                 ${starsFor(status?.paid?.billed ?? 0)} Stars counted by the engine (${status?.paid?.billed ?? 0} messages over the free 30 a second), ` +
          `${starsFor(limits.stats.billed)} Stars billed by the fake (${limits.stats.billed}); estimated before sending: at most ${starsFor(estimate)} (${estimate})`,
      );
    }
    const met =
      steady / limit >= 0.95 &&
      steady429 === 0 &&
      perChat.size === count &&
      [...perChat.values()].every((n) => n === 1);
    console.log(
      `  goal (≥ 0.95 of the ${label} limit, no 429 at steady state, everyone once): ${met ? "met" : "MISSED"}`,
    );
    return met;
  } finally {
    await delivery.close();
    await fake.close();
  }
}

const redis = await startRedisServer();
try {
  let allMet = true;
  for (const options of runs) allMet = (await run(redis, options)) && allMet;
  console.log(`\nmachine              ${machineLoad()}`);
  process.exitCode = allMet ? 0 : 1;
} finally {
  await redis.stop();
}
