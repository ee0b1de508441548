import { setTimeout as sleep } from "node:timers/promises";
import { GrammyError, InlineKeyboard } from "../../grammy.js";
import type { Api } from "grammy";
import type { CatalogRecord } from "../../catalog/schema.js";
import { translator } from "../../i18n.js";
import type { RecordLiveEvent } from "../../live/catalog.js";
import { decide, DEFAULT_THRESHOLD } from "../../search/decide.js";
import type { SearchEngine } from "../../search/engine.js";
import type { SearchFilters } from "../../search/types.js";
import type { SavedSearch, SavedSearchStore } from "../../state/saved-searches.js";
import type { BotDeps } from "../context.js";
import { recordButtons } from "../keyboards/record.js";
import { stopSavedSearchRows } from "../keyboards/saved-searches.js";
import { renderNotification } from "../views/saved-searches.js";

/**
 * Notifications of saved searches. Every process applies every change of the live catalog and is told
 * which records went live (src/live/catalog.ts); each then asks the bot's own answer decision
 * (`decide()`, with the bot's threshold and the search's language and filters) every saved question
 * again. A record answers a saved search when the decision is an answer and the record is one of its
 * hits with a confidence at or above the threshold — what would make it the answer card on its own,
 * not a weaker match. A record the user had been shown as an answer when saving, or a change older
 * than the search, is not notified. Each (search, record) is claimed in the state backend before
 * sending, so of all the processes exactly one sends it, once.
 *
 * Sending uses the bot's own API client (auto-retry waits out a 429 and retries passing failures;
 * HTML by default), one message at a time per process and at most `ratePerSecond` across processes
 * (a fixed window counted in the state backend). The broadcast engine was not used: it sends one
 * text to an audience, without buttons, where a notification is written for each subscriber with the
 * record's buttons and one to stop the search. A chat that blocked the bot (403) or is gone loses its
 * saved searches and is marked inactive for broadcasts.
 */

export interface Notification {
  chatId: number;
  record: CatalogRecord;
  /** The chat's saved searches the record answers, each claimed for this process. */
  searches: SavedSearch[];
}

/** Results the decision looks at, as many as a result list keeps. */
const DECISION_LIMIT = 50;
/** Notifications per second, across every process (Telegram allows about 30 a second to different chats, shared with broadcasts). */
export const DEFAULT_NOTIFY_RATE = 10;
const RATE_KEY = "saved-search:sent";
const RATE_WAITS = 50;

/** Whether a record going live is news for a search: changed after the user saw their results. */
function newerThan(event: RecordLiveEvent, search: SavedSearch): boolean {
  if (event.enteredAt) return Date.parse(event.enteredAt) > Date.parse(search.createdAt);
  return event.version > search.version;
}

/**
 * The notifications the records gone live make, each (search, record) claimed in `store` — what this
 * process must send. Saved searches asking the same question in the same language with the same
 * filters are decided once.
 */
export async function claimNotifications(
  engine: SearchEngine,
  store: SavedSearchStore,
  events: readonly RecordLiveEvent[],
  threshold = DEFAULT_THRESHOLD,
): Promise<Notification[]> {
  const byRecord = new Map<string, RecordLiveEvent>();
  for (const event of events) byRecord.set(event.record.id, event);
  if (byRecord.size === 0) return [];
  const searches = await store.all();
  const questions = new Map<string, SavedSearch[]>();
  for (const search of searches) {
    const key = JSON.stringify([search.lang, search.query, search.filters]);
    const same = questions.get(key);
    if (same) same.push(search);
    else questions.set(key, [search]);
  }
  const out = new Map<string, Notification>();
  for (const same of questions.values()) {
    const { query, lang, filters } = same[0]!;
    const decision = decide(engine, query, {
      langHint: lang,
      filters: filters as SearchFilters,
      threshold,
      limit: DECISION_LIMIT,
    });
    if (decision.kind !== "answer") continue;
    const answering = decision.response.hits.filter((hit) => hit.confidence >= threshold && byRecord.has(hit.id));
    for (const hit of answering) {
      const record = engine.get(hit.id);
      const event = byRecord.get(hit.id)!;
      if (!record) continue;
      for (const search of same) {
        if (search.shown.includes(record.id) || !newerThan(event, search)) continue;
        if (!(await store.claim(search.id, record.id))) continue;
        const key = `${search.chatId}\n${record.id}`;
        const notification = out.get(key);
        if (notification) notification.searches.push(search);
        else out.set(key, { chatId: search.chatId, record, searches: [search] });
      }
    }
  }
  return [...out.values()];
}

export interface SavedSearchNotifierOptions {
  /** The bot's API client (auto-retry, HTML by default; in the console, answered in-process). */
  api: Api;
  deps: Pick<BotDeps, "search" | "state" | "logger" | "i18n" | "settings">;
  ratePerSecond?: number;
}

export class SavedSearchNotifier {
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: SavedSearchNotifierOptions) {}

  /** Records gone live: decided and sent in the background, one batch after another. */
  readonly handle = (events: RecordLiveEvent[]): void => {
    if (this.closed) return;
    this.queue = this.queue
      .then(() => this.process(events))
      .catch((error: unknown) =>
        this.options.deps.logger.warn(
          { message: (error as Error).message },
          "saved searches not checked against the new records",
        ),
      );
  };

  /** Resolves once every batch handed so far is done. */
  idle(): Promise<void> {
    return this.queue;
  }

  /** Stops sending; claimed notifications not sent yet are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
  }

  private async process(events: RecordLiveEvent[]): Promise<void> {
    if (this.closed) return;
    const { deps } = this.options;
    const notifications = await claimNotifications(
      deps.search,
      deps.state.savedSearches,
      events,
      deps.settings.answerThreshold,
    );
    deps.logger.info(
      { records: events.map((e) => e.record.id), notifications: notifications.length },
      "saved searches checked",
    );
    for (const notification of notifications) {
      if (this.closed) return;
      await this.pace();
      await this.send(notification);
    }
  }

  private async send({ chatId, record, searches }: Notification): Promise<void> {
    const { deps, api } = { deps: this.options.deps, api: this.options.api };
    const lang = searches[0]!.lang;
    const t = translator(deps.i18n, lang);
    const text = renderNotification(record, searches, { lang, t, catalog: deps.search.catalog });
    const keyboard = new InlineKeyboard([
      ...recordButtons(t, record.id, "card", { share: true }),
      ...stopSavedSearchRows(t, searches),
    ]);
    try {
      await api.sendMessage(chatId, text, { link_preview_options: { is_disabled: true }, reply_markup: keyboard });
      deps.logger.info(
        { chat: chatId, record: record.id, searches: searches.map((s) => s.id) },
        "saved search notified",
      );
    } catch (error) {
      const gone =
        error instanceof GrammyError &&
        (error.error_code === 403 || (error.error_code === 400 && /chat not found/i.test(error.description)));
      deps.logger.warn(
        {
          chat: chatId,
          record: record.id,
          code: error instanceof GrammyError ? error.error_code : undefined,
          message: (error as Error).message,
        },
        "saved search notification not delivered",
      );
      if (gone) {
        await deps.state.savedSearches.removeChat(chatId).catch(() => undefined);
        await deps.state.subscriptions.setActive(chatId, false).catch(() => undefined);
      }
    }
  }

  /** Waits for room in this second's window of notifications, shared by every process; a failing counter does not hold them back. */
  private async pace(): Promise<void> {
    const rate = this.options.ratePerSecond ?? DEFAULT_NOTIFY_RATE;
    for (let i = 0; i < RATE_WAITS && !this.closed; i++) {
      const sent = await this.options.deps.state.counters.increment(RATE_KEY, 1000).catch(() => 0);
      if (sent <= rate) return;
      await sleep(Math.ceil(1000 / rate));
    }
  }
}
