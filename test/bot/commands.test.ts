import { Api } from "grammy";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { GROUP_COMMANDS, PRIVATE_COMMANDS, setCommands } from "../../src/bot/commands.js";
import { createI18n } from "../../src/i18n.js";
import type { Logger } from "../../src/logger.js";
import { chatWith, useFakeBotApi, type Chat } from "../helpers/chat.js";
import { apiErrors } from "../helpers/fake-bot-api.js";

const my = useFakeBotApi();
let client: Api;
let warn: ReturnType<typeof vi.fn>;
let logger: Logger;

beforeEach(() => {
  client = new Api(my.api.token, { apiRoot: my.api.apiRoot });
  warn = vi.fn();
  logger = { warn, info: vi.fn(), error: vi.fn(), debug: vi.fn() } as unknown as Logger;
});

const PRIVATE = { type: "all_private_chats" };
const GROUPS = { type: "all_group_chats" };

describe("setCommands", () => {
  it("sets the private and group menus in each language, and an English default", async () => {
    const result = await setCommands(client, await createI18n(), logger);
    expect(result).toEqual({ ok: 10, failed: 0 });
    expect(my.api.callsOf("setMyCommands")).toHaveLength(10);

    expect(my.api.commandsFor(PRIVATE, "ru")).toEqual([
      { command: "start", description: "Приветствие и быстрый старт" },
      { command: "help", description: "Как искать, смотреть разделы и делиться" },
      { command: "programmes", description: "Программы обмена и сотрудничества" },
      { command: "incubators", description: "Инкубаторы и инновационные центры" },
      { command: "initiatives", description: "Инициативы сотрудничества" },
      { command: "events", description: "Форумы, конференции и конкурсы" },
      { command: "subscribe", description: "Получать анонсы по выбранным темам" },
      { command: "subscriptions", description: "Посмотреть или изменить подписку" },
      { command: "reminders", description: "Ваши напоминания о сроках" },
      { command: "unsubscribe", description: "Отписаться от анонсов, всех или по теме" },
      { command: "language", description: "Выбрать язык ответов" },
    ]);
    const english = my.api.commandsFor(PRIVATE);
    expect(english?.map((c) => c.command)).toEqual([...PRIVATE_COMMANDS]);
    expect(english?.[0]).toEqual({ command: "start", description: "Welcome and quick start" });
    expect(my.api.commandsFor(PRIVATE, "en")).toEqual(english);
    expect(my.api.commandsFor(PRIVATE, "fr")?.[1]?.description).toBe("Comment chercher, parcourir et partager");
    expect(my.api.commandsFor(PRIVATE, "zh")?.[1]?.description).toBe("如何提问、浏览和分享");

    for (const lang of ["en", "fr", "ru", "zh", undefined]) {
      const group = my.api.commandsFor(GROUPS, lang);
      expect(group?.map((c) => c.command)).toEqual([...GROUP_COMMANDS]);
      expect(group!.length).toBeLessThan(PRIVATE_COMMANDS.length);
    }
    expect(warn).not.toHaveBeenCalled();
  });

  it("logs a failing call and sets the other menus", async () => {
    my.api.failNext("setMyCommands", { error_code: 400, description: "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID" });
    const result = await setCommands(client, await createI18n(), logger);
    expect(result).toEqual({ ok: 9, failed: 1 });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatchObject({
      message: expect.stringContaining("BOT_COMMAND_DESCRIPTION_INVALID"),
    });
    expect(warn.mock.calls[0]![1]).toBe("command menu not set");
  });

  it("never throws, even when Telegram cannot be reached", async () => {
    my.api.failNext("setMyCommands", { ...apiErrors.badGateway(), dropConnection: true }, 10);
    await expect(setCommands(client, await createI18n(), logger)).resolves.toEqual({ ok: 0, failed: 10 });
    expect(warn).toHaveBeenCalledTimes(10);
  });
});

describe("every command in the menus is answered", () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await chatWith(my.api);
  });

  it.each([...PRIVATE_COMMANDS])("/%s in a private chat", async (command) => {
    const sent = (await chat.say(400, `/${command}`)).filter((c) => c.method === "sendMessage");
    expect(sent.map((c) => c.response?.ok)).toEqual([true]);
  });

  it.each([...GROUP_COMMANDS])("/%s in a group", async (command) => {
    const text = `/${command}@${my.api.botInfo.username}`;
    const sent = (await chat.say(402, text, { chatId: 401, chatType: "supergroup" })).filter(
      (c) => c.method === "sendMessage",
    );
    expect(sent.map((c) => c.response?.ok)).toEqual([true]);
  });
});
