// `npm run bench:broadcast -- [--recipients 10000] [--rate 30] [--concurrency N]`
//
// One broadcast through the BullMQ engine (its own redis-server on a free loopback port) to the fake Bot
// API enforcing Telegram's limits at --rate messages per second overall (plus 1/s per chat, 20/min per
// group), the engine configured with the same rate. Prints progress, then the steady-state rate (the
// middle 90 % of the messages), its ratio to the configured limit and the 429s. Goal: ≥ 0.95 of the
// limit with no 429. Exit code 1 when the goal is missed. At 30/s, 10,000 recipients take ~5.5 minutes.
import { parseArgs } from "node:util";
import { Api } from "grammy";
import { createBullDelivery } from "../src/broadcast/bull.js";
import { telegramSender } from "../src/broadcast/sender.js";
import type { Recipient } from "../src/broadcast/types.js";
import type { Language } from "../src/catalog/schema.js";
import { startFakeBotApi, telegramRateLimits } from "../test/helpers/fake-bot-api.js";
import { startRedisServer } from "../test/helpers/redis-server.js";
import { machineLoad } from "./measure.js";

const TOKEN = "123456:BENCH-broadcast-token-0123456789";
const SEND_METHODS = new Set(["sendMessage", "sendPhoto", "sendDocument"]);

const { values } = parseArgs({
  options: {
    recipients: { type: "string", default: "10000" },
    rate: { type: "string", default: "30" },
    concurrency: { type: "string" },
  },
});
const recipientsCount = Number(values.recipients);
const rate = Number(values.rate);
const concurrency = values.concurrency !== undefined ? Number(values.concurrency) : undefined;
if (!Number.isInteger(recipientsCount) || recipientsCount < 20 || !(rate > 0) || (concurrency !== undefined && !(concurrency >= 1))) {
  console.error("usage: npm run bench:broadcast -- [--recipients N ≥ 20] [--rate messages/s] [--concurrency N]");
  process.exit(2);
}

const langs: Language[] = ["en", "fr", "ru", "zh"];
const recipients: Recipient[] = Array.from({ length: recipientsCount }, (_, i) => ({ chatId: 1_000_000 + i, lang: langs[i % 4] as Language }));

const redis = await startRedisServer();
const limits = telegramRateLimits({ globalPerSecond: rate, perChatPerSecond: 1, perGroupPerMinute: 20 });
const fake = await startFakeBotApi({ token: TOKEN, beforeSend: limits });
const delivery = createBullDelivery({
  connection: redis.url,
  prefix: "bench:",
  sender: telegramSender(new Api(TOKEN, { apiRoot: fake.apiRoot, timeoutSeconds: 30 })),
  hooks: { resolveRecipients: async () => recipients, markInactive: async () => {} },
  ratePerSecond: rate,
  ...(concurrency !== undefined ? { concurrency } : {}),
});

const fmt = (seconds: number) => (seconds >= 60 ? `${Math.floor(seconds / 60)}m ${String(Math.round(seconds % 60)).padStart(2, "0")}s` : `${seconds.toFixed(1)}s`);
const sentTimes = () =>
  fake.calls.filter((c) => SEND_METHODS.has(c.method) && c.response?.ok === true).map((c) => c.at);

try {
  console.log(`broadcast bench: ${recipientsCount} recipients, limit ${rate}/s (fake Bot API and engine), expected ~${fmt(recipientsCount / rate)}`);
  await delivery.startWorkers();
  const t0 = Date.now();
  await delivery.schedule({
    id: "bench",
    createdBy: 1,
    content: { default: { html: "<b>Call for applications</b> is open" }, variants: { fr: { html: "<b>Appel à candidatures</b> ouvert" } } },
    audience: "all",
  });
  let lastCount = 0;
  let lastAt = t0;
  for (let tick = 1; ; tick++) {
    await new Promise((r) => setTimeout(r, 250));
    const status = await delivery.status("bench");
    const ended = !status || (status.state !== "running" && status.state !== "scheduled");
    if (tick % 20 !== 0 && !ended) continue;
    const now = Date.now();
    const count = sentTimes().length;
    const recent = ((count - lastCount) * 1000) / (now - lastAt);
    [lastCount, lastAt] = [count, now];
    console.log(
      `  ${fmt((now - t0) / 1000).padStart(7)}  ${String(count).padStart(6)}/${recipientsCount} sent  ${recent.toFixed(1).padStart(6)}/s (since last line)  ` +
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
  for (const c of fake.calls) if (SEND_METHODS.has(c.method) && c.response?.ok) perChat.set(Number(c.payload.chat_id), (perChat.get(Number(c.payload.chat_id)) ?? 0) + 1);
  const ratio = steady / rate;
  console.log("");
  console.log(`delivered            ${times.length} messages to ${perChat.size} chats (${[...perChat.values()].filter((n) => n > 1).length} twice) in ${fmt((last - first) / 1000)}`);
  console.log(`steady state         ${steady.toFixed(2)} messages/s (middle 90 %, ${fmt((steadyTo - steadyFrom) / 1000)})`);
  console.log(`overall              ${overall.toFixed(2)} messages/s`);
  console.log(`ratio to the limit   ${ratio.toFixed(3)} of ${rate}/s`);
  console.log(`429s                 ${rejections.length} in total, ${steady429} at steady state`);
  console.log(`machine              ${machineLoad()}`);
  const met = ratio >= 0.95 && steady429 === 0 && perChat.size === recipientsCount;
  console.log(`goal (≥ 0.95, no 429 at steady state, everyone once): ${met ? "met" : "MISSED"}`);
  process.exitCode = met ? 0 : 1;
} finally {
  await delivery.close();
  await fake.close();
  await redis.stop();
}
