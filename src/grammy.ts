import { createRequire } from "node:module";
import type * as Grammy from "grammy";

/**
 * grammY's values, required rather than imported: grammY is CommonJS, and an import of it first has Node
 * lex each of the ~40 files its entry re-exports for their named exports (~90 ms of every start, as
 * much as running them). Types still come from "grammy" (`import type`); the classes are both here.
 */
const grammy = createRequire(import.meta.url)("grammy") as typeof Grammy;

export const { Api, Bot, Composer, GrammyError, HttpError, InlineKeyboard, InputFile } = grammy;
export type Api = Grammy.Api;
export type Bot<C extends Grammy.Context = Grammy.Context> = Grammy.Bot<C>;
export type Composer<C extends Grammy.Context> = Grammy.Composer<C>;
export type GrammyError = Grammy.GrammyError;
export type HttpError = Grammy.HttpError;
export type InlineKeyboard = Grammy.InlineKeyboard;
export type InputFile = Grammy.InputFile;
