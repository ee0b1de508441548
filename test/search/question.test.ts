import { describe, expect, it } from "vitest";
import { questionKind, smalltalkKind } from "../../src/search/question.js";

describe("smalltalkKind", () => {
  it.each([
    ["/菜单", "command"],
    ["/langue fr", "command"],
    ["cool thanks!!", "thanks"],
    ["thank u", "thanks"],
    ["merci bcp", "thanks"],
    ["спасибо, всё понятно", "thanks"],
    ["感谢感谢", "thanks"],
    ["ok cool", "thanks"],
    ["au revoir et bonne journée", "bye"],
    ["qu'est-ce que tu sais faire ?", "help"],
    ["t'es qui toi ?", "help"],
    ["понял", "ack"],
    ["哈哈", "ack"],
    ["slt", "greeting"],
    ["здрасьте", "greeting"],
    ["你好呀", "greeting"],
    ["help please", "help"],
    ["помогите пожалуйста", "help"],
    ["are you a bot?", "help"],
    ["您好，请问你是谁", "help"],
    ["good bye", "bye"],
    ["cc ça va ?", "greeting"],
    ["merci infiniment, bonne journée à vous", "thanks"],
    ["bonne soirée", "bye"],
    ["t'es un robot ?", "help"],
  ])("%s is small talk (%s), word by word where no phrase covers it", (text, kind) => {
    expect(smalltalkKind(text)).toBe(kind);
  });

  it.each(["hello, incubators in Kazakhstan?", "thanks, and in Uzbekistan?", "ok what about the SCO", "help me find an incubator", "谢谢，东盟的孵化器呢", "спасибо, а стипендии есть?", "test of the SCO energy platform"])("%s asks something", (text) => {
    expect(smalltalkKind(text)).toBeNull();
  });
});

describe("questionKind", () => {
  it.each([
    ["what was the theme of the 2024 Urumqi conference?", "theme"],
    ["c'était quoi le thème du forum ?", "theme"],
    ["какой был девиз конференции?", "theme"],
    ["论坛的主题是什么", "theme"],
    ["where's the SCO secretariat?", "where"],
    ["le forum a commencé quel jour ?", "when"],
    ["东盟是哪一年成立的", "when"],
    ["из скольких городов были партнеры?", "count"],
  ])("%s asks for %s", (text, kind) => {
    expect(questionKind(text)).toBe(kind);
  });
});
