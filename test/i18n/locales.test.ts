import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { BROWSE_COMMANDS, GROUP_COMMANDS, PRIVATE_COMMANDS } from "../../src/bot/commands.js";
import { KINDS, LANGUAGES, type Language } from "../../src/catalog/schema.js";
import { localeTextForCheck, typographyProblems } from "../../src/catalog/typography.js";
import { LOCALES_DIR, readLocales } from "../../src/i18n.js";

const SRC_DIR = path.resolve(LOCALES_DIR, "../src");
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;
const PLACEHOLDER = /\{\{\s*([\w.]+)\s*(?:,[^}]*)?\}\}/g;

const locales = readLocales();
const namespaces = Object.keys(locales.en ?? {}).sort();

/** Nested resources → dotted keys ("button.next"), as i18next addresses them. */
function flatten(value: unknown, prefix = "", into = new Map<string, unknown>()): Map<string, unknown> {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, into);
  } else {
    into.set(prefix, value);
  }
  return into;
}

interface Shape {
  /** Keys without plural forms. */
  plain: Set<string>;
  /** Plural base key → the forms present (one, few, …). */
  plural: Map<string, Set<string>>;
  values: Map<string, unknown>;
}

function shape(lang: string, ns: string): Shape {
  const values = flatten(locales[lang]?.[ns] ?? {});
  const plain = new Set<string>();
  const plural = new Map<string, Set<string>>();
  for (const key of values.keys()) {
    const m = PLURAL_SUFFIX.exec(key);
    if (!m) {
      plain.add(key);
      continue;
    }
    const base = key.slice(0, -m[0].length);
    plural.set(base, (plural.get(base) ?? new Set()).add(m[1]!));
  }
  return { plain, plural, values };
}

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))].sort();
}

/** The placeholders a key uses, over all of its plural forms. */
function placeholdersOf(s: Shape, base: string): string[] {
  const forms = s.plural.get(base);
  const texts = forms ? [...forms].map((f) => s.values.get(`${base}_${f}`)) : [s.values.get(base)];
  return [...new Set(texts.flatMap((t) => (typeof t === "string" ? placeholders(t) : [])))].sort();
}

describe("locale files", () => {
  it("every language has the same namespace files", () => {
    expect(namespaces.length).toBeGreaterThan(0);
    for (const lang of LANGUAGES) expect(Object.keys(locales[lang] ?? {}).sort(), lang).toEqual(namespaces);
  });

  describe.each(namespaces)("%s", (ns) => {
    const en = shape("en", ns);

    it.each(LANGUAGES.filter((l) => l !== "en"))("%s has exactly the keys of en", (lang) => {
      const other = shape(lang, ns);
      const missing = [...en.plain].filter((k) => !other.plain.has(k) && !other.plural.has(k));
      const extra = [...other.plain].filter((k) => !en.plain.has(k) && !en.plural.has(k));
      missing.push(...[...en.plural.keys()].filter((k) => !other.plural.has(k) && !other.plain.has(k)));
      extra.push(...[...other.plural.keys()].filter((k) => !en.plural.has(k) && !en.plain.has(k)));
      expect({ missing, extra }, `locales/${lang}/${ns}.json`).toEqual({ missing: [], extra: [] });
    });

    it.each(LANGUAGES)("%s has the plural forms its language needs, and no others", (lang) => {
      const s = shape(lang, ns);
      const required = [...new Intl.PluralRules(lang).resolvedOptions().pluralCategories].sort();
      const wrong: string[] = [];
      // A key plural in English is plural everywhere, even where the language has one form (Chinese).
      for (const base of en.plural.keys()) {
        const forms = [...(s.plural.get(base) ?? [])].sort();
        if (forms.join() !== required.join())
          wrong.push(`${base}: has [${forms.join(", ")}], needs [${required.join(", ")}]`);
      }
      expect(wrong, `locales/${lang}/${ns}.json`).toEqual([]);
    });

    // A list of words to recognise (read with returnObjects) may be an array: of non-empty strings.
    it.each(LANGUAGES)("%s: every value is a non-empty string", (lang) => {
      const text = (v: unknown) => typeof v === "string" && v.trim() !== "";
      const bad = [...shape(lang, ns).values]
        .filter(([, v]) => !(text(v) || (Array.isArray(v) && v.length > 0 && v.every(text))))
        .map(([k]) => k);
      expect(bad, `locales/${lang}/${ns}.json`).toEqual([]);
    });

    it.each(LANGUAGES.filter((l) => l !== "en"))("%s uses the same {{placeholders}} as en", (lang) => {
      const other = shape(lang, ns);
      const differ = [...en.plain, ...en.plural.keys()]
        .filter((k) => other.plain.has(k) || other.plural.has(k))
        .filter((k) => placeholdersOf(other, k).join() !== placeholdersOf(en, k).join())
        .map((k) => `${k}: en {${placeholdersOf(en, k).join(", ")}}, ${lang} {${placeholdersOf(other, k).join(", ")}}`);
      expect(differ, `locales/${lang}/${ns}.json`).toEqual([]);
    });

    it.each(LANGUAGES)("%s: HTML tags are the ones Telegram knows, and balanced", (lang) => {
      const bad: string[] = [];
      for (const [key, value] of shape(lang, ns).values) {
        if (typeof value !== "string") continue;
        const open: string[] = [];
        for (const m of value.matchAll(/<(\/?)([a-z-]+)[^>]*>/g)) {
          if (!["b", "i", "u", "s", "code", "pre", "a", "blockquote", "tg-spoiler"].includes(m[2]!))
            bad.push(`${key}: <${m[2]}>`);
          else if (!m[1]) open.push(m[2]!);
          else if (open.pop() !== m[2]) bad.push(`${key}: unbalanced </${m[2]}>`);
        }
        if (open.length) bad.push(`${key}: unclosed <${open.join(">, <")}>`);
        if (/&(?!amp;|lt;|gt;|quot;|#\d+;)/.test(value) || /<(?![a-z/])/.test(value))
          bad.push(`${key}: unescaped & or <`);
      }
      expect(bad, `locales/${lang}/${ns}.json`).toEqual([]);
    });
  });
});

/**
 * Every string users read, by the typography and usage rules of its language (src/catalog/typography.ts):
 * Chinese punctuation and spacing («在1个对话中», not «在 1 个对话 中»), French no-break spaces and « »,
 * Russian compound names and terms. Word lists the bot matches input against (arrays, language:names)
 * are what users type, not what they read.
 */
describe("typography of every locale string", () => {
  it.each(LANGUAGES)("%s", (lang: Language) => {
    const found: string[] = [];
    for (const ns of namespaces) {
      for (const [key, value] of shape(lang, ns).values) {
        if (typeof value !== "string" || (ns === "language" && key.startsWith("names."))) continue;
        for (const p of typographyProblems(localeTextForCheck(value), lang))
          found.push(`${ns}:${key}: ${p.message} — “${p.excerpt}”`);
      }
    }
    expect(found).toEqual([]);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith(".ts") ? [full] : [];
  });
}

describe("translation keys used in src/", () => {
  const en = new Map(namespaces.map((ns) => [ns, shape("en", ns)]));
  const files = sourceFiles(SRC_DIR);

  it('every t("ns:key") literal exists in the English locales', () => {
    const missing: string[] = [];
    let seen = 0;
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      // t("ns:key"), ctx.t('key'), t(`ns:key`) without ${…}: literal keys only.
      for (const m of text.matchAll(/\bt\(\s*(["'`])([^"'`$\n]+)\1/g)) {
        const full = m[2]!;
        const [ns, key] = full.includes(":")
          ? [full.slice(0, full.indexOf(":")), full.slice(full.indexOf(":") + 1)]
          : ["common", full];
        seen++;
        const s = en.get(ns);
        if (!s || !(s.plain.has(key) || s.plural.has(key))) missing.push(`${path.relative(SRC_DIR, file)}: ${full}`);
      }
    }
    expect(seen).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });
});

describe("keys built at run time", () => {
  const has = (ns: string, key: string) => {
    const s = shape("en", ns);
    return s.plain.has(key) || s.plural.has(key);
  };

  it("every kind, language, command and help section has its texts", () => {
    const keys = [
      ...KINDS.flatMap((k) => [`common:kind.${k}`, `common:kinds.${k}`, `common:count.${k}`]),
      ...[...LANGUAGES, "auto"].map((l) => `language:names.${l}`),
      ...Object.keys(BROWSE_COMMANDS).map((c) => `start:button.${c}`),
      ...new Set([...PRIVATE_COMMANDS, ...GROUP_COMMANDS].map((c) => `commands:${c}`)),
      ...["ask", "browse", "inline", "language", "links", "groups"].map((s) => `help:${s}`),
    ];
    const missing = keys.filter((k) => !has(k.slice(0, k.indexOf(":")), k.slice(k.indexOf(":") + 1)));
    expect(missing).toEqual([]);
    expect(shape("en", "common").plural.has("count.programme")).toBe(true);
  });
});

/**
 * Heuristic: texts users read live in locales/. A string literal in src/bot with Cyrillic or Han
 * letters, or Latin prose (three or more words), is flagged — except log messages, errors and
 * imports. Commands, callback codes, parse modes and ids are single words and pass.
 */
describe("no user-facing text hard-coded in src/bot", () => {
  const LOGGER_METHODS = new Set(["trace", "debug", "info", "warn", "error", "fatal"]);
  const MATCHERS = new Set(["includes", "startsWith", "endsWith", "indexOf", "test", "match"]);

  function exempt(node: ts.Node): boolean {
    for (let p: ts.Node | undefined = node.parent; p; p = p.parent) {
      if (ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isLiteralTypeNode(p)) return true;
      if (ts.isNewExpression(p) && /Error$/.test(p.expression.getText())) return true;
      if (
        ts.isCallExpression(p) &&
        ts.isPropertyAccessExpression(p.expression) &&
        LOGGER_METHODS.has(p.expression.name.text) &&
        /log/i.test(p.expression.expression.getText())
      )
        return true;
      // Matching what others say (Telegram's error descriptions) is not saying it.
      if (ts.isCallExpression(p) && ts.isPropertyAccessExpression(p.expression) && MATCHERS.has(p.expression.name.text))
        return true;
      if (
        ts.isBinaryExpression(p) &&
        [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(
          p.operatorToken.kind,
        )
      )
        return true;
      if (ts.isBlock(p) || ts.isSourceFile(p)) return false;
    }
    return false;
  }

  function flagged(text: string): boolean {
    if (/[\p{Script=Cyrillic}\p{Script=Han}]/u.test(text)) return true;
    const words = text.match(/\b[A-Za-z][a-z]+\b/g) ?? [];
    return words.length >= 3 && /[A-Za-z]+ [A-Za-z]+ [A-Za-z]+/.test(text);
  }

  it("finds none", () => {
    const found: string[] = [];
    for (const file of sourceFiles(path.join(SRC_DIR, "bot"))) {
      const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if (
          (ts.isStringLiteral(node) ||
            ts.isNoSubstitutionTemplateLiteral(node) ||
            ts.isTemplateHead(node) ||
            ts.isTemplateMiddle(node) ||
            ts.isTemplateTail(node)) &&
          flagged(node.text) &&
          !exempt(node)
        ) {
          const { line } = source.getLineAndCharacterOfPosition(node.getStart());
          found.push(`${path.relative(SRC_DIR, file)}:${line + 1}: ${JSON.stringify(node.text)}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(found).toEqual([]);
  });
});
