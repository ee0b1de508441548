// The payloads of the record editor's buttons: each action decodes to itself, every item button of
// every list fits Telegram's 64 bytes, and anything else decodes to nothing.
import { describe, expect, it } from "vitest";
import {
  decodeEdit,
  encodeEdit,
  LIST_FIELDS,
  type EditAction,
  type ListField,
} from "../../../src/bot/callback-data/edit.js";

const lists = Object.keys(LIST_FIELDS) as ListField[];

describe("editor button payloads", () => {
  it("decode to the action they were made from, the longest within 64 bytes", () => {
    const actions: EditAction[] = [
      { op: "flag", value: true },
      { op: "flag", value: false },
      ...lists.flatMap((list): EditAction[] => [
        { op: "add", list },
        { op: "item", list, index: 0, hash: "0a1b2c" },
        { op: "remove", list, index: 99, hash: "ffffff" },
        ...LIST_FIELDS[list].map((sub): EditAction => ({ op: "sub", list, index: 99, hash: "abcdef", sub })),
      ]),
    ];
    for (const action of actions) {
      const data = encodeEdit(action);
      expect(Buffer.byteLength(data), data).toBeLessThanOrEqual(64);
      expect(decodeEdit(data), data).toEqual(action);
    }
  });

  it("decode anything else to nothing", () => {
    for (const data of [
      "ed:+:related", // not a list field
      "ed:+:",
      "ed:i:figures.0.ABCDEF", // a fingerprint is lower-case hex
      "ed:i:figures.0.abcde",
      "ed:i:figures.00.abcdef",
      "ed:i:figures.100.abcdef",
      "ed:i:figures.-1.abcdef",
      "ed:t:figures.1",
      "ed:u:figures.0.abcdef", // no sub-field
      "ed:u:links.0.abcdef.email", // a sub-field links do not have
      "ed:u:contacts.0.abcdef.constructor",
      "ed:u:contacts.0.abcdef.email.x",
      "ed:g:2",
      "ed:g:",
      "ed:constructor",
      "ed:toString",
      "ed:i:figures.0.abcdef:x",
    ]) {
      expect(decodeEdit(data), data).toBeUndefined();
    }
  });
});
