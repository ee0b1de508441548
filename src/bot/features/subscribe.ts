import { Composer, InlineKeyboard } from "../../grammy.js";
import { KINDS, type Language } from "../../catalog/schema.js";
import { SUBSCRIPTION_FACETS, type SubscriberEntry, type SubscriptionFacet } from "../../state/coordination.js";
import { decodeCallback, type CallbackAction } from "../callback-data/index.js";
import type { BotContext } from "../context.js";
import { privateChatOnly } from "../filters/chat.js";
import { escapeHtml } from "../format.js";
import {
  subscribeFacetKeyboard,
  subscribeMenuKeyboard,
  subscriptionKeyboard,
  unsubscribeKeyboard,
  type Choice,
  type SubscriptionChoices,
} from "../keyboards/subscribe.js";
import { removeSavedSearchRows } from "../keyboards/saved-searches.js";
import { savedSearchLines } from "../views/saved-searches.js";
import { editView, sendView, viewEnv, type View } from "../views/show.js";
import { collator, countryName } from "../views/format.js";
import { answerExpired } from "./browse.js";

/**
 * Announcements by subscription. /subscribe opens a menu of three facets — topics (the catalog's
 * sectors), kinds of record and countries (those the catalog has) — where each value toggles with ✓
 * and "any" clears the facet; "done" saves the choices with the language of the conversation, which
 * broadcasts are then written in. /subscriptions shows what is saved (and opens the same menu to
 * change it) beside the saved searches; /unsubscribe leaves everything or one topic. The choices being edited live in the
 * session (`subscribeDraft`); only "done" writes the subscription. Private chats only: a subscription
 * belongs to a person, and the menus would otherwise be pressed by a whole group.
 *
 * Blocking the bot (my_chat_member "kicked") marks the chat inactive, so broadcasts skip it; coming
 * back ("member") makes it active again.
 */
export const subscribeFeature = new Composer<BotContext>();

/** Choices per page: topics stand one per row, kinds and countries two per row. */
const PAGE_SIZE: Record<SubscriptionFacet, number> = { topics: 10, kinds: 12, countries: 16 };

/** In a group: where to manage a subscription instead. */
const privateChatForSubscriptions = privateChatOnly((ctx) =>
  ctx.reply(ctx.t("subscribe:privateOnly", { link: `https://t.me/${ctx.me.username}` }), {
    link_preview_options: { is_disabled: true },
  }),
);

subscribeFeature.command("subscribe", privateChatForSubscriptions, async (ctx) => {
  const current = await ctx.deps.state.subscriptions.get(ctx.chat.id);
  const draft = choicesOf(current);
  ctx.session.subscribeDraft = draft;
  await sendView(ctx, menuView(ctx, draft, current !== undefined));
});

subscribeFeature.command("subscriptions", privateChatForSubscriptions, async (ctx) => {
  await sendView(ctx, await subscriptionsView(ctx));
});

/**
 * /subscriptions: the topic subscription (or how to subscribe), then the saved searches, each with its
 * 🗑 button (src/bot/features/saved-searches.ts).
 */
export async function subscriptionsView(ctx: BotContext): Promise<View> {
  const chatId = ctx.chat!.id;
  const [current, saved] = await Promise.all([
    ctx.deps.state.subscriptions.get(chatId),
    ctx.deps.state.savedSearches.list(chatId),
  ]);
  const lines = current
    ? [ctx.t("subscribe:current"), "", ...summary(ctx, current), "", ctx.t("subscribe:manage")]
    : [ctx.t("subscribe:notSubscribed")];
  const rows = current ? [...subscriptionKeyboard(ctx.t).inline_keyboard] : [];
  lines.push("", ...savedSearchLines(saved, viewEnv(ctx)));
  rows.push(...removeSavedSearchRows(ctx.t, saved));
  return { text: lines.join("\n"), ...(rows.length ? { keyboard: new InlineKeyboard(rows) } : {}) };
}

subscribeFeature.command("unsubscribe", privateChatForSubscriptions, async (ctx) => {
  const view = await unsubscribeView(ctx);
  if (view) await sendView(ctx, view);
  else await ctx.reply(ctx.t("subscribe:notSubscribed"));
});

subscribeFeature.on("callback_query:data", async (ctx, next) => {
  if (!ctx.callbackQuery.data.startsWith("s:")) return next();
  const action = decodeCallback(ctx.callbackQuery.data);
  if (ctx.chat?.type !== "private" || (action?.type !== "sub" && action?.type !== "unsub")) return answerExpired(ctx);
  if (action.type === "unsub") return unsubscribe(ctx, action);
  const chatId = ctx.chat.id;

  if (action.op === "cancel") {
    ctx.session.subscribeDraft = undefined;
    await editView(ctx, { text: ctx.t("subscribe:cancelled") });
    await ctx.answerCallbackQuery();
    return;
  }
  // The menu of a message sent before the session lapsed starts again from what is saved.
  const draft = ctx.session.subscribeDraft ?? choicesOf(await ctx.deps.state.subscriptions.get(chatId));
  ctx.session.subscribeDraft = draft;

  switch (action.op) {
    case "menu":
      await editView(ctx, menuView(ctx, draft, true));
      break;
    case "facet": {
      const view = facetView(ctx, draft, action.facet, action.page);
      if (!view) return answerExpired(ctx);
      await editView(ctx, view);
      break;
    }
    case "toggle": {
      // Only a value the menu offers (or one already chosen, to take it away).
      if (!offered(ctx, action.facet, draft).some((c) => c.value === action.value)) return answerExpired(ctx);
      const values = draft[action.facet];
      draft[action.facet] = values.includes(action.value)
        ? values.filter((v) => v !== action.value)
        : [...values, action.value];
      const view = facetView(ctx, draft, action.facet, action.page) ?? facetView(ctx, draft, action.facet, 0)!;
      await editView(ctx, view);
      break;
    }
    case "any":
      draft[action.facet] = [];
      await editView(ctx, facetView(ctx, draft, action.facet, 0)!);
      break;
    case "save": {
      await ctx.deps.state.subscriptions.set(chatId, { ...draft, lang: ctx.lang });
      ctx.session.subscribeDraft = undefined;
      const saved = await ctx.deps.state.subscriptions.get(chatId);
      const lines = [
        ctx.t("subscribe:saved"),
        "",
        ...summary(ctx, saved ?? { ...draft, lang: ctx.lang }),
        "",
        ctx.t("subscribe:savedLang"),
      ];
      await editView(ctx, { text: lines.join("\n"), keyboard: subscriptionKeyboard(ctx.t) });
      ctx.deps.logger.info(
        {
          chat: chatId,
          topics: draft.topics.length,
          kinds: draft.kinds.length,
          countries: draft.countries.length,
          lang: ctx.lang,
        },
        "subscription saved",
      );
      await ctx.answerCallbackQuery({ text: ctx.t("subscribe:toast.saved") });
      return;
    }
  }
  await ctx.answerCallbackQuery();
});

/** Blocking the bot stops broadcasts to the chat; unblocking (or adding it back to a group) resumes them. */
subscribeFeature.on("my_chat_member", async (ctx) => {
  const update = ctx.myChatMember;
  const status = update.new_chat_member.status;
  const active =
    status === "member" || status === "administrator" || status === "creator"
      ? true
      : status === "kicked" || status === "left"
        ? false
        : undefined;
  if (active === undefined) return;
  await ctx.deps.state.subscriptions.setActive(update.chat.id, active);
  ctx.deps.logger.info({ chat: update.chat.id, status, active }, "chat membership changed");
});

async function unsubscribe(ctx: BotContext, action: Extract<CallbackAction, { type: "unsub" }>): Promise<void> {
  const chatId = ctx.chat!.id;
  if (action.op === "menu") {
    const view = await unsubscribeView(ctx);
    if (!view) return answerExpired(ctx);
    await editView(ctx, view);
    await ctx.answerCallbackQuery();
    return;
  }
  const current = await ctx.deps.state.subscriptions.get(chatId);
  if (!current) return answerExpired(ctx);
  const topic = action.topic;
  if (topic !== undefined && !current.topics.includes(topic)) return answerExpired(ctx);
  ctx.session.subscribeDraft = undefined;
  // Leaving the only topic would leave "any topic": that is leaving everything.
  if (topic === undefined || current.topics.length === 1) {
    await ctx.deps.state.subscriptions.remove(chatId);
    await editView(ctx, { text: ctx.t("subscribe:unsubscribe.done") });
  } else {
    const { chatId: _id, active: _active, ...subscription } = current;
    const left = { ...subscription, topics: current.topics.filter((t) => t !== topic) };
    await ctx.deps.state.subscriptions.set(chatId, left);
    const text = [
      ctx.t("subscribe:unsubscribe.topic", { topic: escapeHtml(topicLabel(ctx, topic)) }),
      "",
      ...summary(ctx, left),
    ].join("\n");
    await editView(ctx, { text, keyboard: subscriptionKeyboard(ctx.t) });
  }
  ctx.deps.logger.info({ chat: chatId, topic: topic ?? "*" }, "unsubscribed");
  await ctx.answerCallbackQuery({ text: ctx.t("subscribe:toast.left") });
}

async function unsubscribeView(ctx: BotContext): Promise<View | undefined> {
  const current = await ctx.deps.state.subscriptions.get(ctx.chat!.id);
  if (!current) return undefined;
  const topics = current.topics.map((value) => ({ value, label: topicLabel(ctx, value) }));
  return {
    text: [ctx.t("subscribe:current"), "", ...summary(ctx, current), "", ctx.t("subscribe:unsubscribe.prompt")].join(
      "\n",
    ),
    keyboard: unsubscribeKeyboard(ctx.t, topics),
  };
}

export function choicesOf(entry: SubscriberEntry | undefined): SubscriptionChoices {
  return {
    topics: [...(entry?.topics ?? [])],
    kinds: [...(entry?.kinds ?? [])],
    countries: [...(entry?.countries ?? [])],
  };
}

export function menuView(ctx: BotContext, draft: SubscriptionChoices, subscribed: boolean): View {
  const lines = [
    subscribed ? ctx.t("subscribe:current") : ctx.t("subscribe:title"),
    ctx.t("subscribe:intro"),
    "",
    ...summary(ctx, { ...draft, lang: ctx.lang }),
  ];
  return { text: lines.join("\n"), keyboard: subscribeMenuKeyboard(ctx.t, draft) };
}

/** A page of one facet's choices; undefined for a page that does not exist. */
function facetView(
  ctx: BotContext,
  draft: SubscriptionChoices,
  facet: SubscriptionFacet,
  page: number,
): View | undefined {
  const choices = offered(ctx, facet, draft);
  const size = PAGE_SIZE[facet];
  const pages = Math.max(1, Math.ceil(choices.length / size));
  if (page >= pages) return undefined;
  const lines = [ctx.t("subscribe:title"), "", ctx.t(`subscribe:choose.${facet}`)];
  if (pages > 1) lines.push(ctx.t("subscribe:page", { page: page + 1, pages }));
  return {
    text: lines.join("\n"),
    keyboard: subscribeFacetKeyboard(
      ctx.t,
      facet,
      draft[facet],
      choices.slice(page * size, (page + 1) * size),
      page,
      pages,
    ),
  };
}

/**
 * What a facet offers, sorted by label in the reply language: every sector of the vocabulary, the
 * kinds of record (announcements are what is sent, not a subject), the countries records are in —
 * plus whatever is already chosen, so it can be taken away even if the catalog dropped it.
 */
function offered(ctx: BotContext, facet: SubscriptionFacet, draft: SubscriptionChoices): Choice[] {
  const catalog = ctx.deps.search.catalog;
  let values: string[];
  if (facet === "topics") values = Object.keys(catalog.sectors);
  else if (facet === "kinds") values = KINDS.filter((k) => k !== "announcement");
  else values = [...new Set(catalog.records.flatMap((r) => r.countries))];
  values = [...new Set([...values, ...draft[facet]])];
  if (facet === "kinds") return values.map((value) => ({ value, label: label(ctx, facet, value) }));
  return values
    .map((value) => ({ value, label: label(ctx, facet, value) }))
    .sort((a, b) => collator(ctx.lang).compare(a.label, b.label));
}

function label(ctx: BotContext, facet: SubscriptionFacet, value: string): string {
  if (facet === "topics") return topicLabel(ctx, value);
  if (facet === "kinds") return (KINDS as readonly string[]).includes(value) ? ctx.t(`common:kinds.${value}`) : value;
  return countryName(value, ctx.lang);
}

function topicLabel(ctx: BotContext, id: string): string {
  return ctx.deps.search.catalog.sectors[id]?.[ctx.lang] ?? id;
}

/** One line per facet ("any" when nothing is chosen) and the language announcements come in. */
function summary(ctx: BotContext, choices: SubscriptionChoices & { lang: Language }): string[] {
  const list = (facet: SubscriptionFacet) =>
    choices[facet].length
      ? choices[facet]
          .map((v) => label(ctx, facet, v))
          .sort(collator(ctx.lang).compare)
          .map(escapeHtml)
          .join(", ")
      : ctx.t("subscribe:any");
  return [
    ...SUBSCRIPTION_FACETS.map((facet) => ctx.t(`subscribe:line.${facet}`, { values: list(facet) })),
    ctx.t("subscribe:line.lang", {
      language: escapeHtml(ctx.deps.i18n.getFixedT(choices.lang)("common:languageName")),
    }),
  ];
}
