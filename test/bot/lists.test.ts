import type { Message, Update } from "grammy/types";
import { describe, expect, it } from "vitest";
import { BROWSE_COMMANDS } from "../../src/bot/commands.js";
import { LANGUAGES, shortTitle, type Language } from "../../src/catalog/schema.js";
import { bundledEngine } from "../helpers/bot-deps.js";
import { keyboard, useChat } from "../helpers/chat.js";
import { cutInsideWord } from "../helpers/words.js";

// Every list a user can see — each browse list on every page, answers with their other matches, related
// records under the details — in every language: each record button shows its whole short title, and no
// two buttons of one list read the same.

const my = useChat({ firstUser: 7000 });

const feed = (update: Update) => my.chat.deliver(update);

function last(): Message {
  const bots = my.chat.botMessages(my.user);
  return bots[bots.length - 1]!;
}

async function send(text: string, languageCode: Language): Promise<Message> {
  await feed(my.api.textMessage({ chatId: my.user, userId: my.user, text, languageCode }));
  return last();
}

async function press(data: string): Promise<Message> {
  await feed(my.api.callbackQuery({ chatId: my.user, userId: my.user, data }));
  return last();
}

/** The record buttons of a message: id and label without the rank ("3. "). */
function recordButtons(message: Message): { id: string; label: string }[] {
  return keyboard(message)
    .filter((b) => b.data?.startsWith("r:c:"))
    .map((b) => ({ id: b.data!.slice(4), label: b.text.replace(/^\d+\. /, "").replace(/^↪ /, "") }));
}

async function expectReadable(items: { id: string; label: string }[], lang: Language, where: string): Promise<void> {
  const engine = await bundledEngine();
  expect(items.length, where).toBeGreaterThan(0);
  for (const { id, label } of items) {
    const short = shortTitle(engine.get(id)!, lang);
    expect(cutInsideWord(label, short), `${where}: ${label}`).toBe(false);
    expect(label, where).toBe(short);
  }
  const labels = items.map((i) => i.label.toLocaleLowerCase(lang));
  expect(new Set(labels).size, `${where}: ${labels.join(" | ")}`).toBe(labels.length);
}

describe.each(LANGUAGES)("lists in %s", (lang) => {
  it.each(Object.keys(BROWSE_COMMANDS))("/%s: every page shows whole, distinct short titles", async (command) => {
    let message = await send(`/${command}`, lang);
    const all: { id: string; label: string }[] = [];
    for (let page = 0; page < 20; page++) {
      all.push(...recordButtons(message));
      const next = keyboard(message).find((b) => b.data?.startsWith("b:") && b.text.includes("▶"));
      if (!next) break;
      message = await press(next.data!);
    }
    await expectReadable(all, lang, `/${command} (${lang})`);
  });

  it("answers offer the other matches by their short titles", async () => {
    const questions: Record<Language, string> = { en: "incubators", fr: "incubateurs", ru: "инкубаторы", zh: "孵化器" };
    const answer = await send(questions[lang], lang);
    await expectReadable(recordButtons(answer), lang, `answer (${lang})`);
  });

  it("the details offer related records by their short titles", async () => {
    await send("/start r_bri-urumqi-innovation-conference-2024", lang);
    const details = await press("r:d:bri-urumqi-innovation-conference-2024");
    const related = keyboard(details).filter((b) => b.text.startsWith("↪"));
    expect(related.length).toBeGreaterThan(0);
    await expectReadable(
      related.map((b) => ({ id: b.data!.slice(4), label: b.text.replace(/^↪ /, "") })),
      lang,
      `related (${lang})`,
    );
  });
});
