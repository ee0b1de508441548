import { FORMS_OF_ADDRESS, isStopword } from "./analyzer.js";
import { fold, scriptOf } from "./text.js";

/**
 * What a message asks, read from its wording in any of the four languages: the kind of fact wanted
 * (how many, how much, when, who, where, which countries) and whether it is small talk rather than a
 * question. Patterns run on folded text (lower case, no accents, simplified Chinese).
 */

export type QuestionKind = "count" | "amount" | "when" | "who" | "where" | "countries" | "theme" | "which";

/**
 * Ways of asking whom to approach (regular-expression sources, for folded text; wrap the first in letter
 * lookarounds): shared by the question's kind (who), the ranking (WHOM_TO_CONTACT) and the contacts line.
 */
export const CONTACT_WORDS = String.raw`whom? (?:should|can|could|do|would) (?:i|we) (?:need to )?(?:contact|talk to|speak to|speak with|ask|write to|reach|approach|turn to|call)|whom? (?:do|does) (?:i|we|one) need to (?:contact|talk to|speak to|approach|write to)|whom? to (?:contact|talk to|ask|approach|call|write to)|a qui (?:(?:faut[- ]il|faudrait[- ]il|dois[- ]je|devons[- ]nous|devrais[- ]je|doit[- ]on|puis[- ]je|peut[- ]on) )?(?:m'adresser|s'adresser|nous adresser|ecrire|parler|demander|m'adresse)|qui (?:(?:faut[- ]il|faudrait[- ]il|dois[- ]je|devons[- ]nous|devrais[- ]je|doit[- ]on|puis[- ]je|peut[- ]on) )?(?:contacter|joindre|appeler)|с кем (?:(?:можно|мне|нам|лучше|нужно|следует) )*(?:связаться|поговорить)|(?:к кому|куда) (?:(?:можно|мне|нам|лучше|нужно|следует) )*(?:обратиться|обращаться)|кому (?:писать|написать|обратиться|звонить)`;
export const CONTACT_HAN = String.raw`找谁|联系谁|问谁|向谁咨询|(?:找|联系)哪个(?:部门|机构|单位)`;

const KIND_PATTERNS: [QuestionKind, RegExp][] = [
  // "Which bodies organised the forum?" asks who organised it: its organisers, not a list in its text.
  [
    "who",
    /\b(which|what) (organi[sz]ations|bodies|institutions|agencies|entities|ministries|departments)\b.*\b(organi[sz](e|es|ed|ing)|co-?organi[sz]ed|co-?hosted|hosted|sponsored)\b|\bquel(le)?s? (organismes|organisations|institutions|entites|ministeres)\b.*\b(organise|organisent|organisaient|co-?organise|parraine)\b|\bкаки[ем] (организаци|ведомств|учреждени|министерств)\p{L}*\b.*\b(организова\p{L}*|организу\p{L}*)|哪些(机构|单位|部门)(联合)?(主办|承办|组织)/u,
  ],
  // "Which cities / which three platforms / in which district": the things a sentence of the record lists.
  // First, as "哪几个城市" and "какие три платформы" are not counts; countries and a single city ("哪个城市",
  // "which city") have their own kinds.
  [
    "which",
    /\b(which|what) (are |were )?(the )?(\d+ |two |three |four |five |six |eight |ten )?(other |new )?((?!(?:do|does|did|can|could|should|would|will|may|might|must|about|is|are|was|were|for|to|of|in|if|kind|sort|type)\b)[a-z]+ )?(cities|districts?|platforms|cent(re|er)s|partners|companies|firms|sectors|sections|fields|areas|universities|institutes|institutions|organi[sz]ations)\b|\bin (which|what) district\b|\bquel(le)?s? (sont |etaient )?(les )?(\d+ |deux |trois |quatre |cinq |six |huit |dix )?(autres |nouvelles |nouveaux )?(villes|districts?|quartiers?|arrondissements?|plateformes|centres|partenaires|entreprises|societes|secteurs|sections|domaines|universites|instituts|institutions|organisations)\b|\bкаки(е|х|ми) (\d+ |два |две |три |четыре |пять |восемь |десять )?(других |новых |новые )?(город|район|платформ|центр|партн[её]р|компани|предприяти|отрасл|секци|област|университет|вуз|институт|учреждени|организаци)|\bв каком районе\b|\bперечисли|哪(?!一?[个座]城市)(几|些|[一二三四五六七八九十两]|\d+)?(个|家|座)?\p{Script=Han}{0,3}?(城市|区|平台|中心|合作伙伴|伙伴|公司|企业|领域|分会场|大学|高校|机构)|列出/u,
  ],
  // Money before counts ("how much money", "на какую сумму", "多少钱"), counts before members ("how many members").
  [
    "amount",
    /\bhow much\b|\b(total )?(value|worth|amount)\b|\bcombien (ca |cela )?(vaut|coute|valent)|\bmontant\b|\bvaleur\b|на как(ую|ой) сумм|сколько (денег|стоит|стоят|юаней|долларов)|\bсумм[аы]\b|\bстоимост|多少钱|金额|价值|多少亿|多少万|\bbudget\b|\bбюджет|预算|\bcombien (a |va )?coute|\bcout\b/u,
  ],
  [
    "count",
    /\bhow many\b|\bnumber of\b|\bwhat (share|percentage|part|percent)\b|\b(share|percentage|proportion) of\b|\bquel(le)? (est (la |le )?)?(part|proportion)\b|\bpourcentage\b|\bкак(ая|ова) доля\b|\bкакую долю\b|\bwhat %|\bquel %|\bкакой %|сколько %|百分之几|占比|\bhow (fast|much) did\b|\bcombien\b|\bnombre d|сколько|скольк|\bскок[ао]\b|\bчисло\b|количеств|\bкакой процент\b|\bкаков(ой)? (был )?рост\b|\bкакой (был )?рост\b|\bwhat (was the |is the )?growth\b|\bquelle (a ete la |est la )?croissance\b|多少|(?<!哪)几个|几家|几项|几场|数量|占比|比重|百分之几/u,
  ],
  [
    "countries",
    /\b(which|what) countries\b|\bmember (states|countries)\b|\bwho are (its |the )?members\b|\bmembers\b|\bquels pays\b|\b(pays )?membres\b|\bwho (is|are) in\b|\bwho belongs\b|\bqui (en )?fait partie\b|\bqui sont (les )?membres\b|\bкто входит\b|\bкто состоит\b|какие страны|\bкакие государства|\bчлены\b|страны-члены|государства-члены|哪些国家|谁是成员|有哪些成员|哪几个国家|成员国|成员有|\bсписок (стран|государств)|\blist of (the )?(member )?(countries|states)\b|\bliste des (pays|etats)\b|国家名单|[一二三四五六七八九十两\d]+国(都|分别)?(有谁|是谁|是哪|包括)/u,
  ],
  [
    "when",
    /\bwhen\b|\bhow long (has|have|had|did|does|is|was|are)\b|\bdepuis combien de temps\b|\bwhat (date|year|day)\b|\bwhich (date|year|day)\b|\bdate of\b|\bquand\b|\bqd\b|啥时候|啥时|\bquelle (date|annee)\b|\ben quelle annee\b|\bdate (du|de la|de l)\b|\bdate d'(ouverture|inauguration)\b|\bdate de (debut|tenue|lancement)\b|\bquel jour\b|\ba quelle date\b|\bв какой день\b|\bкогда\b|\bс какого (?:года|времени)\b|\bsince (?:what|which) year\b|\bdepuis quelle annee\b|\bкакого числа\b|\bв каком году\b|\bдата\b|\bкакого года\b|\bгод (основания|создания|запуска|учреждения|проведения)\b|\b(founding|foundation|launch|start|opening) (date|year)\b|\b(founded|established|created|launched|started|opened) (when|year|date)\b|\byear (founded|established|created|launched)\b|\bdates?\s*\??$|\bannee de (creation|fondation|lancement)\b|\bdate de creation\b|什么时候|何时|哪天|哪一天|哪年|哪一年|几几年|几月|几号|日期|时间/u,
  ],
  [
    "who",
    new RegExp(
      String.raw`\bwho\b|\bwhos\b|\bby whom\b|\borgani[sz]ed by\b|\bqui\b|\bpar qui\b|\bкто\b|\bкем\b|\bкак зовут\b|\bwhom\b|\bк кому\b|\bорганизатор|谁|由哪|主办方|主办单位|哪些机构|哪个机构|哪家机构|哪个部门(?!实习)|\bname of (?:the |its |that )?(?:\p{L}+ ){0,2}(?:mayor|director|chair|chairman|president|secretary|chief|leader|governor|minister)\b(?!'?s\b)|\b(?:mayor|director|chairman|president|secretary|governor|minister)'?s name\b|\bcomment s'appelle (?:le |la )?(?:maire|directeur|directrice|president|presidente|secretaire|chef|responsable)\b|\bnom du (?:maire|directeur|president|secretaire|chef|responsable)\b|\bфамилия (?:мэра|главы|директора|председателя|руководителя|секретаря)\b|(?:区长|市长|主任|书记|局长|厅长|主席|负责人)(?:叫什么|的名字|姓什么)` +
        String.raw`|(?<!\p{L})(?:${CONTACT_WORDS})(?!\p{L})`,
      "u",
    ),
  ],
  // "Where is it?" asks a place; "where can I find…" is a search.
  // The theme, motto or slogan of an event: a sentence of the record says it.
  [
    "theme",
    /\b(theme|motto|slogan|tagline)s?\b|\bthemes?\b|\bdevise\b|\bmot d'ordre\b|\bтем[аеуы]\b|\bдевиз|\bлозунг|主题|口号|标语/u,
  ],
  [
    "where",
    /\bwheres\b|\bwhere('s| is| was| are| were| will| did| does)\b|\b(when|date) and where\b|\bet ou\s*\??$|\bquand et ou\b|\bwhich city\b|\bheadquarter|\bou (se trouve|a eu lieu|aura lieu|se tient|s'est tenu|etait|est|siege|sont)\b|\bc'est ou\b|\bc ou\s*\??$|\b(il|elle|ils|elles|ca) (est|sont|se trouvent?) ou\b|\b(se tient|se trouve|c'est|siege|a lieu|basee?s?|est|sont|etait) ou\s*\??$|\bquelle ville\b|\bгде(?! (найти|можно|искать|взять|получить|узнать|купить))\b|\bв каком городе\b|在哪(?!.*(找|可以|能))|哪个城市|地点|总部/u,
  ],
];

/** `\b` for every script: JavaScript's own `\b` knows only ASCII letters, so it never fires in Russian. */
const BOUNDARY = String.raw`(?:(?<=[\p{L}\p{N}])(?![\p{L}\p{N}])|(?<![\p{L}\p{N}])(?=[\p{L}\p{N}]))`;
const WORD_CHAR = /^[\p{L}\p{N}]$/u;
const PATTERNS = KIND_PATTERNS.map(([kind, re]): [QuestionKind, RegExp] => [
  kind,
  new RegExp(wordBoundaries(re.source), "u"),
]);
const WHICH = PATTERNS.find(([kind]) => kind === "which")![1];
const NAMES = new RegExp(
  wordBoundaries(String.raw`\bnames\b|\bnoms\b|\bфамили(я|и|й|ю|ями)\b|\bимена\b|\bим[её]н\b|名单|姓名`),
  "u",
);

/** The people a who-question asks for ("who are the experts", "qui sont les lauréats", 专家顾问都有谁). */
const WHO_THINGS =
  /(?<!\p{L})who (?:are|were) (?:the |its |their )?(\p{L}{3,})|(?<!\p{L})qui (?:sont|etaient) (?:les |ses |leurs )?(\p{L}{3,})|(\p{Script=Han}{2})(?:都有谁|都是谁|有哪些人|是哪些人)/u;

/** Whether a question asks for names ("names of the experts", "фамилии?", 专家名单). */
export function namesAsked(text: string): boolean {
  return NAMES.test(fold(text));
}

/**
 * A pattern's `\b`s for every script. Next to a letter the pattern itself requires (a letter, or a group
 * each of whose alternatives starts or ends with one), a boundary is only "no letter on the other side":
 * the same matches, and the full two-sided test at every position made these patterns the slowest step
 * of a search (≈ 90 µs a question; ≈ 10 µs like this).
 */
export function wordBoundaries(source: string): string {
  const tokens = tokenize(source);
  return tokens
    .map((token, k) => {
      if (token.kind !== "b") return token.text;
      if (startsWithLetter(tokens, k + 1)) return String.raw`(?<![\p{L}\p{N}])`;
      if (endsWithLetter(tokens, k - 1)) return String.raw`(?![\p{L}\p{N}])`;
      return BOUNDARY;
    })
    .join("");
}

interface Token {
  kind: "letter" | "b" | "open" | "close" | "or" | "quantifier" | "other";
  text: string;
  /** For a bracket: the index of its partner. */
  partner?: number;
}

/** Splits a pattern into letters, `\b`s, brackets, bars, quantifiers and anything else (escapes, classes). */
function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const open: number[] = [];
  for (let i = 0; i < source.length;) {
    const ch = source[i]!;
    let text = ch;
    let kind: Token["kind"] = "other";
    if (ch === "\\") {
      const escape = /^\\(?:[pPu]\{[^}]*\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|c[a-zA-Z]|.)/su.exec(source.slice(i))![0];
      text = escape;
      if (escape === String.raw`\b`) kind = "b";
    } else if (ch === "[") {
      text = /^\[(?:\\.|[^\]\\])*\]/su.exec(source.slice(i))?.[0] ?? ch;
    } else if (ch === "(") {
      kind = "open";
      text = /^\((?:\?(?:<?[=!]|:|<[^>]*>))?/u.exec(source.slice(i))![0];
      open.push(tokens.length);
    } else if (ch === ")") {
      kind = "close";
      const partner = open.pop();
      if (partner !== undefined) {
        tokens[partner]!.partner = tokens.length;
        tokens.push({ kind, text, partner });
        i += 1;
        continue;
      }
    } else if (ch === "|") kind = "or";
    else if ("?*+{".includes(ch)) {
      kind = "quantifier";
      text = /^(?:[?*+]|\{\d*,?\d*\})\??/u.exec(source.slice(i))?.[0] ?? ch;
    } else if (WORD_CHAR.test(ch)) kind = "letter";
    tokens.push({ kind, text });
    i += text.length;
  }
  return tokens;
}

/** A plain or non-capturing group (not a lookaround), with no quantifier after it. */
function plainGroup(tokens: Token[], open: number): boolean {
  const t = tokens[open]!;
  return (
    (t.text === "(" || t.text === "(?:") && t.partner !== undefined && tokens[t.partner + 1]?.kind !== "quantifier"
  );
}

/** The top-level alternatives of a group, as [first, last] token indexes (last < first when empty). */
function alternatives(tokens: Token[], open: number): [number, number][] {
  const close = tokens[open]!.partner!;
  const found: [number, number][] = [];
  let first = open + 1;
  for (let k = open + 1; k < close; k++) {
    const t = tokens[k]!;
    if (t.kind === "open") k = t.partner!;
    else if (t.kind === "or") {
      found.push([first, k - 1]);
      first = k + 1;
    }
  }
  found.push([first, close - 1]);
  return found;
}

/**
 * Whatever matches from token k on starts with a letter or digit. A group that may match nothing ("(the )?
 * best") does when each of its alternatives does and so does what follows it.
 */
function startsWithLetter(tokens: Token[], k: number): boolean {
  const t = tokens[k];
  if (t?.kind === "letter") return tokens[k + 1]?.kind !== "quantifier";
  if (t?.kind !== "open" || (t.text !== "(" && t.text !== "(?:") || t.partner === undefined) return false;
  if (!alternatives(tokens, k).every(([first, last]) => first <= last && startsWithLetter(tokens, first))) return false;
  const after = tokens[t.partner + 1];
  if (after?.kind !== "quantifier") return true;
  return /^(?:[?*]|\{0*[,}])/u.test(after.text) ? startsWithLetter(tokens, t.partner + 2) : true;
}

/** Whatever matches up to token k ends with a letter or digit. */
function endsWithLetter(tokens: Token[], k: number): boolean {
  const t = tokens[k];
  if (t?.kind === "letter") return true;
  if (t?.kind !== "close" || !plainGroup(tokens, t.partner!)) return false;
  return alternatives(tokens, t.partner!).every(([first, last]) => first <= last && endsWithLetter(tokens, last));
}

/** Whether a question also asks for a kind of fact besides the one `questionKind` gives ("how many, and worth how much?"). */
export function asksFor(text: string, kind: QuestionKind): boolean {
  const folded = foldedQuestion(text);
  return PATTERNS.some(([k, pattern]) => k === kind && pattern.test(folded));
}

/**
 * The things a "which" question asks for, as it names them ("cities" of "with which cities…", "районе" of
 * "в каком районе", 平台 of 哪三个合作平台), the people a who-question asks for ("who are the experts"),
 * or the names a question asks for ("names of the experts");
 * null when it names none ("перечисли…", 列出).
 */
export function thingsAsked(text: string): string | null {
  const folded = fold(text);
  // "Names of the experts", "фамилии?", 专家名单: the names are what is asked.
  const names = NAMES.exec(folded)?.[0];
  if (names) return names;
  // "Who are the experts…?", "qui sont les experts… ?": the people asked for.
  const people = WHO_THINGS.exec(folded);
  if (people) return people[1] ?? people[2] ?? people[3] ?? null;
  const match = WHICH.exec(folded)?.[0];
  if (!match) return null;
  const last = /(\p{Script=Han}{2}|\p{L}{3,})$/u.exec(match)?.[0];
  return last ?? null;
}

/**
 * What a how-many question counts, as it names it right after its question words ("companies" of "how
 * many companies did Guangxi serve", "проектов" of "сколько проектов", 项目 of 涉及多少项目); null when it
 * names nothing there. Of a record's several figures, the one that counts that thing answers.
 */
export function countedAsked(text: string): string | null {
  const folded = fold(text);
  const found = COUNTED.exec(folded);
  if (!found) return null;
  // "Сколько у вас проектов": what is counted comes after the asker's "у вас".
  const words = (found[1] ?? found[2] ?? found[3] ?? "").split(" ").filter((w) => !COUNTED_LEAD.has(w));
  // "How many companies did…", "combien de pays ont…": the thing ends where the clause's verb begins.
  const end = words.findIndex((w) => COUNTED_STOP.has(w));
  // English puts an adjective before the noun ("how many ASEAN countries"); French and Russian put the
  // noun first ("combien de pays membres", "сколько проектов охватили"), what follows qualifies it.
  const latinEnglish = /^(?:how|number)/u.test(found[0]);
  const kept = end < 0 ? words : words.slice(0, end);
  const thing = kept.slice(0, latinEnglish ? 2 : 1).join(" ");
  // Chinese runs on into the rest of the clause (多少场技术转移活动): all of it, its bigrams matched.
  return thing || (found[4] ?? null);
}

const COUNTED = new RegExp(
  [
    String.raw`(?<!\p{L})(?:how many|number of|combien (?:de |d'|d’)|nombre (?:de |d'|d’)|сколько(?: всего| же| именно)?)\s*(?:(?:the|les|des|of|its|their) )?(\p{L}+(?: \p{L}+){0,2})`,
    String.raw`(?<!\p{L})(?:скок[ао]|cb de|cb d')\s*(\p{L}+(?: \p{L}+)?)`,
    String.raw`(?<!\p{L})(?:how much of) (\p{L}+)`,
    String.raw`(?:多少|几)(?:个|家|项|场|名|位|所|座|份|条|次|批|款)?(\p{Script=Han}{2,6})`,
  ].join("|"),
  "u",
);

/** Words that end the thing a how-many question counts: the verbs, articles and prepositions after it. */
const COUNTED_STOP = new Set(
  (
    "did do does are were is was have has had will would can could been be in of for to from with by at on " +
    "and or that which who there ont a sont y en dans pour par avec et ou qui que de du des la le les " +
    "было были был была будет будут есть в во на с со по для от и или которые который"
  ).split(" "),
);

/** Words before the counted thing that are not it: "сколько у вас проектов", "how many of you". */
const COUNTED_LEAD = new Set(["у", "вас", "них", "нас", "него", "неё", "нее"]);

/** The kind of fact a question asks for, or null for a plain search ("incubators in Kazakhstan"). */
export function questionKind(text: string): QuestionKind | null {
  const folded = foldedQuestion(text);
  for (const [kind, pattern] of PATTERNS) if (pattern.test(folded)) return kind;
  return null;
}

/**
 * Words after which "who" / "qui" asks ("and who runs it", "à qui écrire", "dites-moi qui organise", "je sais
 * pas qui contacter"). After another word, "qui" begins a relative clause when a determiner opens the noun
 * before it ("un incubateur en Ouzbékistan qui travaille avec la Chine", "ce qui concerne"; but "CAEXPO qui
 * organise ?" asks), and "who" does unless a question's word order follows it ("young people who want green
 * jobs"; "a farm coop in thailand who do i talk to").
 */
const ASKING_BEFORE_WHO = new Set(
  (
    "and or but so then also exactly like me us know tell ask asking wonder wondering guess sure idea clue see " +
    "find out check contact to with for from about by of is was pls please plz hi hello hey dear sir ok okay " +
    "et ou mais donc alors a avec pour par de d chez sur aupres dire savoir sais sait savez savons demander " +
    "demande voir est sont qui bonjour salut svp stp merci sinon contacter ecrire appeler pas plus moi nous"
  ).split(" "),
);
const ASKING_AFTER_WHO = new Set(
  (
    "do does did should can could would will shall to is are was were s i we you organised organized organises " +
    "organizes signed signs runs run leads heads founded won hosts hosted sponsored"
  ).split(" "),
);
/** "L'OCS, qui en fait partie ?": who belongs, whatever comes before. */
const MEMBERS_QUI = new Set(["en", "fait", "font"]);
const FRENCH_DETERMINERS = new Set("un une des le la les l ce cette ces du mon ma mes notre nos".split(" "));
const RELATIVE_WHO = /(\p{L}+)(\s+)(who|qui)(?!\p{L})(?:\s*'?(\p{L}+))?/gu;

/** The folded text with every relative "who"/"qui" (see ASKING_BEFORE_WHO) blanked out. */
function withoutRelativeWho(folded: string): string {
  return folded.replace(
    RELATIVE_WHO,
    (all, before: string, space: string, who: string, after: string | undefined, at: number) => {
      if (ASKING_BEFORE_WHO.has(before)) return all;
      const asks =
        who === "who"
          ? after !== undefined && ASKING_AFTER_WHO.has(after)
          : MEMBERS_QUI.has(after ?? "") || !determinedBefore(folded, at + before.length);
      if (asks) return all;
      return `${before}${space}${"_".repeat(who.length)}${all.slice(before.length + space.length + who.length)}`;
    },
  );
}

/** Whether a determiner stands among the last four words before offset `end` ("un incubateur en Ouzbékistan", "ce"). */
function determinedBefore(folded: string, end: number): boolean {
  return folded
    .slice(0, end)
    .split(/[^\p{L}]+/u)
    .filter(Boolean)
    .slice(-4)
    .some((w) => FRENCH_DETERMINERS.has(w));
}

/** The folded text a question's kind is read from. */
function foldedQuestion(text: string): string {
  return withoutRelativeWho(fold(text));
}

/**
 * A detail of a programme that the catalog holds only for some records, or not at all: a phone number,
 * an e-mail or postal address, a website, a fee, an application deadline, a document's full text, the
 * city in a country.
 */
export type Detail =
  | "phone"
  | "email"
  | "address"
  | "website"
  | "fee"
  | "deadline"
  | "text"
  | "city"
  | "person"
  | "winners"
  | "list"
  | "admission"
  | "jobs"
  | "ranking"
  | "date"
  | "next"
  | "visa"
  | "biography"
  | "internship"
  | "scholarship"
  | "hours"
  | "tax"
  | "attendance";

const DETAIL_PATTERNS: [Detail, RegExp][] = [
  // What no programme of the catalog is about (visas, a person's life, scholarships, internships in a
  // company) first: "how to apply for a scholarship" asks for a scholarship, not for admission.
  ["visa", /\bvisas?\b|\bвиз(а|у|ы|е|ой|ам|ами|ах)?\b|\bбизнес-виз\p{L}*|签证|簽證/u],
  // 简历 is a person's record, unless an application asks for one (需要提交简历吗: a CV).
  [
    "biography",
    /\bbiograph\p{L}*|\bбиографи\p{L}*|(?<!(?:提交|需要|上传|投递|准备|附上?|寄|发)(?:一份)?(?:个人)?)(?:个人)?简历|個人簡歷|生平|履历|履歷/u,
  ],
  [
    "scholarship",
    /\bscholarships?\b|\bstipends?\b|\bbourses? (d'etudes?|d'excellence|de (recherche|master|doctorat|mobilite|these)|du gouvernement|eiffel|csc|campus france|pour (etudier|etudiants?|faire|un master|une? (licence|master|doctorat)))\b|\bстипенди\p{L}*|奖学金|獎學金|津贴|生活补贴|生活补助/u,
  ],
  [
    "internship",
    /\binternships?\b|\binterns?\b|\bstages? (en|dans une?|chez) (entreprise|societe|soe|une? )|\bstagiaires?\b|\bстажировк\p{L}* (в|на) (компани|фирм|предприяти|корпораци|завод)\p{L}*|实习|實習/u,
  ],
  // Opening hours and tax breaks: no record of the catalog gives either.
  [
    "hours",
    /\b(opening|office|business|working) hours\b|\bhoraires? d'ouverture\b|\bheures d'ouverture\b|\bчасы (работы|приема)\b|\bграфик работы\b|\bрежим работы\b|营业时间|开放时间|办公时间|上班时间/u,
  ],
  [
    "tax",
    /\btax (incentives?|breaks?|benefits?|exemptions?|relief|holidays?|rates?|advantages?)\b|\b(avantages?|incitations?|exonerations?|allegements?) fisca(l|ux|les?)\b|\bfiscalite\b|\bналогов\p{L}* (льгот|ставк|преференци|каникул)\p{L}*|\bльгот\p{L}* по налог\p{L}*|税收优惠|减税|免税|税率|税收政策/u,
  ],
  [
    "phone",
    /\b(tele)?phone\b|\btel (number|no)\b|\bwhatsapp\b|\bwechat\b(?! pay)|\bnumero de (tel|telephone|portable)\b|\bтелефон|\bпозвонить\b|\bватсап|\bвичат|电话|手机号|微信(?!支付)/u,
  ],
  [
    "email",
    /\be-?mails?\b|\b(le|son|leur|un|ton|votre|their|its|the) mail\b|\badresses? (e-?)?mail\b|\badresses? electroniques?\b|\bmail address\b|\bпочт(а|у|ы) (центра|управления|инкубатора)\b|\bcourriel\b|\bmel\b|\bадрес (электронной )?почты\b|\bэлектронн(ая|ой|ую) почт|\bимейл|\bемейл|\bи-мейл|邮箱|电子邮件|邮件地址/u,
  ],
  [
    "address",
    /\b(postal|street|mailing|office|physical|exact|full) address\b|\b(what|what's|whats) (is )?(the |its |their )?address\b|\baddress of the (office|centre|center|bureau|incubator|zone|secretariat|organi[sz]ation)\b|(?<!s')(?<!s’)\badresse (postale|exacte|du|de|des)\b|\bquelle (est )?(l'|l’)?adresse\b|\bпочтовый адрес\b|\bадрес (офиса|центра|инкубатора|управления)\b|\bкакой (у них )?адрес\b|具体地址|详细地址|地址是|地址在/u,
  ],
  [
    "website",
    /\bweb ?site\b|\bhomepage\b|\bofficial site\b|\bsite (web|internet|officiel)\b|\bсайт\b|\bсайта\b|\bвеб-сайт|网站|网址|官网/u,
  ],
  [
    "fee",
    /\bfees?\b|\btuition\b|\bhow much (does|do|will|would) (it|this|that|participation|participating|joining) cost\b|\bis (it|this|participation) free\b|\b(is|are) [^?.!]{0,60}\bfree( of charge)?\s*\??\s*$|\bfrais (d'inscription|de participation|de scolarite|d'adhesion)\b|\bcotisations?\b|\b(les|des|vos|aux) frais\b|\bcombien (ca |cela |a |ont |va )?cout(e|ent|era|erait)?\b|\bhow much did (it|this|that|the \w+( \w+)?) cost\b|\bсколько (стоил|стоила|стоило|стоили|будет стоить)\b|花了多少钱|花多少钱|造价|\bc'est gratuit\b|\best(-ce)? (que c'est )?gratuit\b|\bpayant\b|\bстоимост|\bсколько стоит\b|\bплатн(о|ое|ый|ая)\b|\bбесплатн(о|ое|ый|ая)\b|\bвзнос|\bоплат(а|у|ить) (участия|обучения|взноса|проживания)\b|费用|学费|报名费|收费|免费吗/u,
  ],
  [
    "deadline",
    /\bdeadlines?\b|\bdue date\b|\bclosing date\b|\bdate limite\b|\bdate de cloture\b|\bсрок(и)? (подачи|приема|регистрации)\b|\bдедлайн|\bкрайний срок\b|\bдо какого числа\b|截止|报名时间|申请时间/u,
  ],
  // "In which Kazakh cities are the incubators?": asked with a country, the city there (see holdsDetail).
  [
    "city",
    /\b(in )?(which|what) (\w+ )?cit(y|ies)\b|\b(dans )?quelles? villes?\b|\bв как(ом|их) (именно |конкретно )?город|哪个城市|哪些城市|哪座城市/u,
  ],
  // How to get in: admission, entrance exams, how to apply ("comment postuler", "как поступить", 怎么申请) —
  // not who may take part, which a programme's card says and a membership question asks.
  [
    "admission",
    /\badmissions?\b|\bentrance exams?\b|\bhow (do|can|could|should) (i|we|one|my \w+) (apply|enrol|enroll|register|get (in(?! touch)|admitted|accepted))\b|\bhow to (apply|enrol|enroll|register|get admitted)\b|\bage (limit|requirement)s?\b|\b(application|registration|entry|enrol?ment) forms?\b|\beligibility\b|\bformulaires? (de candidature|d'inscription)\b|\bdossier de candidature\b|\bбланк\p{L}* заявк\p{L}*|\bформ\p{L}* заявк\p{L}*|\bанкет\p{L}* (участника|на участие)|申请表|报名表|申請表|報名表|\bconditions d'(admission|eligibilite|inscription|acces)\b|\bcriteres d'(admission|eligibilite|selection)\b|\bcomment (postuler|candidater|s'inscrire|s'y inscrire|etre admise?|y entrer|y participer|participer)\b|\bconcours d'entree\b|\blimite d'age\b|\bкак (поступить|подать заявку|подать документы|записаться|попасть)\b|\bпоступлени\p{L}*|\bвступительн\p{L}*|\bкакие экзамены\b|\bусловия (приема|участия|поступления|отбора)\b|\bвозрастн\p{L}* (ограничени|требовани)\p{L}*|怎么申请|如何申请|申请条件|(有)?(什么|哪些)(申请)?条件|申请要求|报名条件|录取|入学|招生|入学考试|年龄要求|年龄限制|对年龄|年龄有(什么)?(要求|限制)|怎么报名|如何报名|怎样报名|怎样申请/u,
  ],
  // Vacancies ("y a des offres d'emploi au centre…", "вакансии"), not jobs as a field ("green jobs").
  [
    "jobs",
    /\bjob (offers?|openings?|vacanc\p{L}*|ads?)\b|\bvacanc(y|ies)\b|\b(are|is) (they|it) hiring\b|\brecruit\p{L}*|\boffres? d'emploi\b|\bpostes? (a pourvoir|vacants?|ouverts?)\b|\brecrut\p{L}*|\bembauch\p{L}*|\bваканси\p{L}*|\bнабор сотрудников\b|\bустроиться (на работу|работать)\b|招聘|职位空缺|岗位空缺|工作机会/u,
  ],
  // Which is best: the catalog describes, it does not rank ("the best incubator for biotech", "какой лучше");
  // the best way to reach one, or best practices, are not a ranking ("лучший способ связаться", 最好的办法).
  [
    "ranking",
    /\brank(ing|ings|ed)?\b|\bclassements?\b|\bclasse(e|s|es)? (parmi|au|dans)\b|\bрейтинг\p{L}*|排名|排行|\b(the )?best (one|\w+ for|among)\b|\bwhich (one )?is (the )?best\b|\bwhich (\w+ )?is better\b|\b(le|la) meilleure? (incubateur|programme|centre|option|choix|endroit|pour|parmi)\b|\bmeilleure?s? (incubateurs?|programmes?|centres?)\b|\blequel est (le )?(mieux|meilleur)\b|\bquel(le)? est (le|la) (mieux|meilleure?)\b|\bкак(ой|ая|ое|ие) (\p{L}+ )?лучше\b|\bлучш(ий|ая|ее|ие|его|ую)\b(?! (способ|практик))|\bчто лучше\b|\bсамый хороший\b|哪(个|家|所|一个)(?![^？?，,。]{0,8}?(对接|联系))[^？?，,。]{0,8}?(最好|更好|好一些|好)(?![\p{Script=Han}])|最好的(?!办法|方式|方法|途径)|更好的|推荐哪/u,
  ],
  // The next edition of an event ("when is the next contest?", "下一届在哪个城市举办？"): only a record with a date
  // still ahead says anything of it.
  [
    "next",
    /\bnext ([\w-]+ ){0,3}?(edition|session|round|contest|competition|forum|conference|camp|meeting|summit|expo|fair|one)\b|\bupcoming ([\w-]+ ){0,3}?(edition|session|round|contest|forum|conference|camp|meeting|summit|expo)\b|\bprochaine?s? (edition|session|forum|concours|conference|rencontre|sommet|salon|camp)\b|\bследующ(ий|ая|ее|ем|его|ей|ую) (\p{L}+ )?(форум|конкурс|конференци\p{L}*|выпуск|встреч\p{L}*|саммит)\b|\bближайш(ий|ая|ее|ем|его|ей|ую) (форум|конкурс|конференци\p{L}*|встреч\p{L}*|саммит)\b|下一届|下届/u,
  ],
  [
    "text",
    /\bfull text\b|\bwhole text\b|\bcomplete text\b|\btexte (integral|complet)\b|\bполный текст\b|\bтекст целиком\b|全文|原文/u,
  ],
];
const DETAILS = DETAIL_PATTERNS.map(([detail, re]): [Detail, RegExp] => [
  detail,
  new RegExp(wordBoundaries(re.source), "u"),
]);

/**
 * The details a question asks for, when that is all it asks ("телефон управления", "frais d'inscription du
 * camp", "怎么申请？有截止日期吗"), in the order of DETAIL_PATTERNS; none when it asks something else too
 * ("who can apply? is there a deadline?").
 */
export function detailsAsked(text: string): Detail[] {
  // "…whom do I contact? no website in the article": a detail said to be missing is not asked for.
  const folded = withoutNegatedDetails(fold(text));
  const found = DETAILS.filter(([, pattern]) => pattern.test(folded));
  if (found.length === 0) return [];
  const others = folded
    .split(CLAUSES)
    .filter((part) => part && ASKS.test(part) && !found.some(([, p]) => p.test(part)));
  return others.length === 0 ? found.map(([detail]) => detail) : [];
}

/**
 * The text without the details it says are absent ("no website in the article", "sans site web"), in
 * clauses that ask nothing: "is the camp without fee" still asks the fee.
 */
function withoutNegatedDetails(folded: string): string {
  return folded
    .split(/(?<=[?？!！。.;；,，])/u)
    .map((clause) =>
      /[?？]/u.test(clause) || ASKS.test(clause) || YES_NO.test(clause) ? clause : clause.replace(NEGATED, ""),
    )
    .join("");
}

const NEGATED = /(?<!\p{L})(?:no|without|pas de|sans|без)\s+\p{L}+/gu;
/** Openings of a yes/no question typed without its question mark ("is the camp without fee"). */
const YES_NO = /^\s*(?:is|are|does|do|est-ce|y a-t-il)(?!\p{L})|(?<!\p{L})ли(?!\p{L})/u;

/** Whether any part of a message names a detail ("…怎么申请？有截止日期吗" names the deadline). */
export function mentionsDetail(text: string, detail: Detail): boolean {
  const pattern = DETAILS.find(([d]) => d === detail)?.[1];
  return pattern !== undefined && pattern.test(fold(text));
}

/** Where a message may ask one thing and then another: sentences, commas, "and", "et", "и", 和, 还有. */
const CLAUSES = /[?？!！。;；,，]|\.(?:\s|$)|(?<!\p{L})(?:and|et|и|а также)(?!\p{L})|和|还有|以及/u;

/** A question word of the four languages: a part with one asks something. */
const ASKS =
  /(?<!\p{L})(?:who|whom|what|when|where|which|how|can|could|is there|are there|qui|quoi|quand|ou|quel|quelle|quels|quelles|comment|combien|peut|puis|y a|кто|что|когда|где|какой|какая|какие|как|сколько|можно|ли)(?!\p{L})|谁|什么|何时|哪|怎么|如何|吗|多少|几/u;

/**
 * Posts a "who" question may ask the holder of, each with its names in the four languages (folded):
 * "who is the SCO's secretary-general?" is answered only by a record that speaks of that post.
 */
const POSTS: readonly (readonly string[])[] = [
  [
    "secretary-general",
    "secretary general",
    "secretaire general",
    "генеральный секретарь",
    "генерального секретаря",
    "генсек",
    "秘书长",
  ],
  ["mayor", "maire", "мэр", "глава района", "глава города", "区长", "市长"],
  [
    "party secretary",
    "secretaire du parti",
    "secretaire du comite du parti",
    "секретарь партийного комитета",
    "партсекретарь",
    "партсекретаря",
    "партийный секретарь",
    "парторг",
    "парторга",
    "парторгом",
    "书记",
  ],
  ["minister", "ministre", "министр", "部长"],
  ["director", "directeur", "directrice", "директор", "主任", "院长", "局长"],
  ["chairman", "chairwoman", "chairperson", "председатель", "董事长", "理事长"],
  ["founder", "fondateur", "fondatrice", "основатель", "创始人"],
  ["rector", "recteur", "ректор", "校长"],
  ["ambassador", "ambassadeur", "посол", "大使"],
];
/**
 * "Who heads it?" is answered by whoever is at its head, by any title: a director, a mayor, a chairman, a
 * rector, a secretary-general.
 */
const HEAD = [
  ...["who heads", "who leads", "head of", "qui dirige", "руководит", "руководитель", "руководителя"],
  ...["возглавляет", "возглавляют", "кто глава", "负责人"],
];
/** The titles of whoever heads an institution: a director, a mayor, a chairman, a rector, a secretary-general. */
export const HEAD_TITLES: readonly string[] = POSTS.filter((names) =>
  names.some((n) => /^(director|mayor|chairman|rector|secretary-general)$/.test(n)),
).flat();
const HEAD_POST = [...HEAD, ...HEAD_TITLES];
const ALL_POSTS = [...POSTS, HEAD_POST];

/** Whether a post postAsked gave is "whoever heads it", which only an institution has. */
export function isHeadPost(post: readonly string[] | null): boolean {
  return post === HEAD_POST;
}

/** Words of a question for the winners of a contest or prize (folded; "won" only after "who"). */
const WINNERS = [
  ...["winner", "winners", "who won", "laureate", "laureates", "prize-winner", "prize-winners"],
  ...["laureat", "laureats", "gagnant", "gagnants", "vainqueur", "vainqueurs", "qui a gagne"],
  ...["победитель", "победители", "победителей", "кто выиграл", "кто победил", "лауреат", "лауреаты", "лауреатов"],
  // 冠军 alone is also the hidden champions' (隐形冠军): only when it is who won.
  ...["获奖", "获胜", "得奖", "谁赢", "冠军是谁", "冠军是哪", "获得冠军", "夺冠"],
];

/** The words for winners a question asks about ("who won the contest?", "les lauréats du concours"), or null. */
export function winnersAsked(text: string): readonly string[] | null {
  const folded = fold(text).replace(/-/g, " ");
  return WINNER_WORDS.some((name) => containsName(folded, name)) ? WINNERS : null;
}

/** A name as containsWord reads it (hyphens as spaces), and whether it is Chinese: worked out once. */
interface WordName {
  text: string;
  han: boolean;
}

function wordName(name: string): WordName {
  const text = name.replace(/-/g, " ");
  return { text, han: /\p{Script=Han}/u.test(text) };
}

/** containsWord for a name read once (see wordName). */
function containsName(folded: string, { text, han }: WordName): boolean {
  const at = folded.indexOf(text);
  if (at < 0) return false;
  if (han) return true;
  const before = folded[at - 1];
  return before === undefined || !/[\p{L}\p{N}]/u.test(before);
}

const WINNER_WORDS = WINNERS.map(wordName);

/** Words asking for the items of a set one by one ("la liste des…", "which companies exactly", "какие именно", 具体条目). */
const LIST = new RegExp(
  wordBoundaries(
    String.raw`\b(full |complete |whole )?list of\b|\blist (all|every|each|them|the)\b|\b(company|companies|firms?|partners?|participants?) names\b|\bwith (the |their )?names\b|\bnoms des (entreprises|societes|villes|partenaires|participants|projets)\b|\bназвани\p{L}* (компаний|фирм|предприятий|проектов|городов)\b|\bкакие конкретно\b|都是(跟|和|与)?哪些|哪些公司|哪些企业|\b(which|what) (?!is |was )\w+ exactly\b|\bwhat exactly (are|were) the\b|\bnames of (the|all|each|those|these)\b|\bitemi[sz]ed\b|\bla liste (des|de|complete|detaillee)\b|\bliste (complete|detaillee|exhaustive)\b|\bquel(le)?s \w+ exactement\b|\bles noms des\b|\bсписок\b|\bсписка\b|\bперечень\b|\bперечисл\p{L}*|\bкакие именно\b|\bкто именно\b|\bпоименно\b|具体(条目|名单|清单|项目|名称|是哪些|有哪些)|分别是(哪|什么)|列出|完整名单|全部名单|所有名单|名单`,
  ),
  "u",
);

/** Numbers from two to twelve written as words, in the four languages (Russian in any case): "the ten projects". */
const NUMBER_WORDS = [
  /^(two|deux|два|две|двух|двум|двумя|两|二)$/u,
  /^(three|trois|три|трех|трём|трем|тремя|三)$/u,
  /^(four|quatre|четыре|четырех|четырём|четырем|четырьмя|四)$/u,
  /^(five|cinq|пять|пяти|пятью|五)$/u,
  /^(six|шесть|шести|шестью|六)$/u,
  /^(seven|sept|семь|семи|семью|七)$/u,
  /^(eight|huit|восемь|восьми|восьмью|八)$/u,
  /^(nine|neuf|девять|девяти|девятью|九)$/u,
  /^(ten|dix|десять|десяти|десятью|十)$/u,
  /^(eleven|onze|одиннадцать|одиннадцати|十一)$/u,
  /^(twelve|douze|двенадцать|двенадцати|十二)$/u,
];
const NUMBER_WORD = new RegExp(
  wordBoundaries(
    String.raw`\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|два|две|двух|двум|двумя|три|трех|трём|трем|тремя|четыре|четырех|четырём|четырем|четырьмя|пять|пяти|пятью|шесть|шести|шестью|семь|семи|семью|восемь|восьми|восьмью|девять|девяти|девятью|десять|десяти|десятью|одиннадцать|одиннадцати|двенадцать|двенадцати)\b`,
  ),
  "gu",
);

/**
 * The number of a set a question asks to list ("la liste des 28 provinces signataires", "which companies
 * exactly signed the 21 agreements?", "514项…的具体条目有哪些"), or null: asked of a record that only counts
 * the set, it is a question the catalog cannot answer. A year is not such a number.
 */
export function listAsked(text: string): { numbers: number[]; cue: string } | null {
  const folded = fold(text);
  const cue = LIST.exec(folded)?.[0];
  if (cue === undefined || WHAT_THE_LIST_IS.test(folded)) return null;
  const numbers = [
    ...[...folded.matchAll(/(?<![\d.,])\d+(?![\d.,]\d)/gu)].map((m) => Number(m[0])),
    ...[...folded.matchAll(NUMBER_WORD)].map((m) => NUMBER_WORDS.findIndex((re) => re.test(m[0])) + 2),
  ].filter((n) => n > 1 && !(n >= 1900 && n <= 2100));
  // "The full list of the companies that signed", "список всех участников", 完整名单: all of a set, however many.
  if (numbers.length === 0 && COMPLETE_LIST.test(folded)) return { numbers: [], cue };
  return numbers.length > 0 ? { numbers, cue } : null;
}

/** Asking what a list is, not for its items: "what was that list of 1000+ technologies?", "что за список…". */
const WHAT_THE_LIST_IS = new RegExp(
  wordBoundaries(
    String.raw`\b(what|which) (is|was) (that|this) list\b|\bc'est quoi cette liste\b|\bqu'est-ce que cette liste\b|\bчто (это )?за (список|перечень)\b|(这个|那个)(名单|清单)是什么`,
  ),
  "u",
);

/** A list asked in full, whatever its size. */
const COMPLETE_LIST = new RegExp(
  wordBoundaries(
    String.raw`\b(full|complete|whole|entire) list\b|\blist (of )?all\b|\ball the names\b|\bliste (complete|exhaustive|integrale)\b|\bla liste de (tous|toutes)\b|\bполный (список|перечень)\b|\bсписок (всех|полностью)\b|\bвесь (список|перечень)\b|(完整|全部|所有|全体)\p{Script=Han}{0,6}?(名单|清单|名录)|(名单|清单)(全文|全部)`,
  ),
  "u",
);

/** The names of the post a question asks the holder of ("кто генсек ШОС?"), or null. */
export function postAsked(text: string): readonly string[] | null {
  const folded = fold(text)
    .replace(/-/g, " ")
    .replace(SELF_INTRODUCTION, (clause) => (WANTING.test(clause) ? clause : " "));
  const at = POST_WORDS.findIndex((names) => names.some((name) => containsName(folded, name)));
  return at < 0 ? null : ALL_POSTS[at]!;
}

const POST_WORDS = ALL_POSTS.map((names) => names.map(wordName));

/**
 * The clause in which askers say who they are ("я руководитель компании", "I'm the director of a small
 * firm", 我是…的负责人): their own post, not one asked about — unless they say what they look for in it.
 */
const SELF_INTRODUCTION = /(?:(?<![\p{L}\p{N}])(?:я|i am|i'm|im|je suis)(?![\p{L}\p{N}])|我是)[^,.!?;:，。！？；：]*/gu;
const WANTING =
  /(?<!\p{L})(?:looking|searching|want|need|ищу|хочу|ищем|нужен|нужна|cherche|veux|voudrais)(?!\p{L})|找|想/u;

/** Whether a folded text holds a name as words (any position for Chinese). */
export function containsWord(folded: string, name: string): boolean {
  const at = folded.indexOf(name);
  if (at < 0) return false;
  if (/\p{Script=Han}/u.test(name)) return true;
  const before = folded[at - 1];
  return before === undefined || !/[\p{L}\p{N}]/u.test(before);
}

export type SmalltalkKind = "greeting" | "thanks" | "help" | "bye" | "command" | "emoji" | "ack";

/**
 * Whole messages that are small talk: greetings, thanks, "what can you do?", "help", goodbyes and
 * acknowledgements, in the four languages. A message is small talk only when nothing else is left once
 * these and punctuation are removed: "hi, incubators in Kazakhstan?" is a question.
 */
const SMALLTALK: [SmalltalkKind, string[]][] = [
  [
    "help",
    [
      "help",
      "help me",
      "are you a bot",
      "are you a robot",
      "are you human",
      "are you real",
      "who made you",
      "who created you",
      "who built you",
      "anyone there",
      "is anyone there",
      "what can you do",
      "what do you do",
      "who are you",
      "what are you",
      "how does this work",
      "how do i use this",
      "how to use",
      "what is this bot",
      "what is this",
      "menu",
      "start",
      "commands",
      "what can i ask",
      "what do you know",
      "what are you for",
      "what is this for",
      "aide",
      "aidez moi",
      "aide moi",
      "que sais tu faire",
      "que savez vous faire",
      "que peux tu faire",
      "que pouvez vous faire",
      "qui es tu",
      "qui etes vous",
      "comment ca marche",
      "comment ca fonctionne",
      "c'est quoi ce bot",
      "menu",
      "que puis je demander",
      "tu sers a quoi",
      "ca sert a quoi",
      "a quoi tu sers",
      "tu fais quoi",
      "t'es qui",
      "tu es qui",
      "qu'est ce que tu sais faire",
      "qu'est ce que tu peux faire",
      "qu'est ce que tu fais",
      "tu sais faire quoi",
      "tu peux faire quoi",
      "tu es un robot",
      "tu es un bot",
      "vous etes un robot",
      "t'es un robot",
      "t'es un bot",
      "t es un robot",
      "t'es humain",
      "tu es humain",
      "c'est un robot",
      "qui t'a cree",
      "il y a quelqu'un",
      "помощь",
      "помоги",
      "помогите",
      "что ты умеешь",
      "что вы умеете",
      "что умеешь",
      "ты что умеешь",
      "вы что умеете",
      "ты что можешь",
      "ты кто",
      "кто ты",
      "кто вы",
      "как это работает",
      "как пользоваться",
      "что это за бот",
      "меню",
      "что можно спросить",
      "что ты можешь",
      "зачем ты",
      "для чего ты",
      "что ты такое",
      "ты бот",
      "ты робот",
      "вы бот",
      "кто тебя создал",
      "кто тебя сделал",
      "есть кто",
      "帮助",
      "帮忙",
      "你能做什么",
      "你会什么",
      "你可以做什么",
      "你能干什么",
      "你是谁",
      "怎么用",
      "如何使用",
      "这是什么",
      "菜单",
      "可以问什么",
      "你有什么功能",
      "你能干嘛",
      "你会干嘛",
      "你是干嘛的",
      "你是做什么的",
      "你是机器人吗",
      "你是机器人",
      "谁做的你",
      "你是谁开发的",
      "你是谁做的",
      "谁开发了你",
      "有人吗",
    ],
  ],
  [
    "greeting",
    [
      "hi",
      "hello",
      "hey",
      "hey there",
      "hi there",
      "hello there",
      "good morning",
      "good afternoon",
      "good evening",
      "greetings",
      "yo",
      "hiya",
      "howdy",
      "how are you",
      "how are you doing",
      "whats up",
      "what's up",
      "sup",
      "bonjour",
      "salut",
      "bonsoir",
      "coucou",
      "cc",
      "cc ca va",
      "coucou ca va",
      "bonjour a tous",
      "ca va",
      "ca va bien",
      "ca va et toi",
      "salut toi",
      "salut ca va",
      "bonjour ca va",
      "comment ca va",
      "comment allez vous",
      "allo",
      "hello",
      "привет",
      "здравствуйте",
      "здравствуй",
      "добрый день",
      "доброе утро",
      "добрый вечер",
      "приветствую",
      "хай",
      "здрасте",
      "как дела",
      "как ты",
      "салам",
      "салем",
      "салам алейкум",
      "ассалому алейкум",
      "ассалому алайкум",
      "ассаламу алейкум",
      "салют",
      "你好",
      "您好",
      "嗨",
      "哈喽",
      "哈啰",
      "privet",
      "privetik",
      "zdravstvuyte",
      "zdravstvujte",
      "dobryj den",
      "dobriy den",
      "大家好",
      "早上好",
      "早安",
      "午安",
      "你们好",
      "哈罗",
      "下午好",
      "晚上好",
      "你好吗",
      "在吗",
      "在不在",
    ],
  ],
  [
    "thanks",
    [
      "thanks",
      "thank you",
      "thank you very much",
      "thanks a lot",
      "many thanks",
      "thx",
      "ty",
      "cheers",
      "great thanks",
      "thanks great",
      "perfect thanks",
      "thanks for the help",
      "that helps",
      "that helped",
      "it helped",
      "this helped",
      "very helpful",
      "helpful",
      "awesome",
      "great",
      "cool",
      "nice",
      "perfect",
      "super",
      "merci",
      "merci beaucoup",
      "trop bien",
      "trop bien merci",
      "trop cool",
      "merci bien",
      "merci infiniment",
      "merci mille fois",
      "mille mercis",
      "merci bcp",
      "c'est top",
      "c top",
      "c'est parfait",
      "c'est genial",
      "merci c'est top",
      "merci bcp c top",
      "merci ben gros",
      "merci pour tout",
      "merci a vous",
      "super merci",
      "merci pour l'aide",
      "merci pour votre aide",
      "parfait",
      "genial",
      "top",
      "cool",
      "nickel",
      "super",
      "спасибо",
      "рахмет",
      "рахмат",
      "катта рахмат",
      "спасибо большое",
      "большое спасибо",
      "благодарю",
      "спс",
      "пасиб",
      "отлично",
      "супер",
      "класс",
      "круто",
      "понятно спасибо",
      "очень помогли",
      "вы очень помогли",
      "ты очень помог",
      "помогли",
      "спасибо за помощь",
      "谢谢",
      "谢谢你",
      "谢谢您",
      "多谢",
      "非常感谢",
      "感谢",
      "太好了",
      "好的谢谢",
      "谢啦",
      "辛苦了",
      "谢谢帮忙",
      "帮大忙了",
    ],
  ],
  [
    "bye",
    [
      "bye",
      "goodbye",
      "good bye",
      "see you",
      "ciao",
      "have a good one",
      "have a nice day",
      "have a good day",
      "take care",
      "see ya",
      "good night",
      "au revoir",
      "a bientot",
      "a plus",
      "a+",
      "bonne nuit",
      "bonne journee",
      "bonne soiree",
      "bonne journee a vous",
      "bonne soiree a vous",
      "bonne fin de journee",
      "bonne continuation",
      "хорошего дня",
      "хорошего вечера",
      "удачи",
      "祝你愉快",
      "have a nice evening",
      "пока",
      "до свидания",
      "до встречи",
      "спокойной ночи",
      "всего доброго",
      "再见",
      "拜拜",
      "晚安",
    ],
  ],
  [
    "ack",
    [
      "ok",
      "okay",
      "k",
      "yes",
      "no",
      "yep",
      "nope",
      "sure",
      "fine",
      "got it",
      "i see",
      "oui",
      "non",
      "d'accord",
      "dac",
      "ok merci",
      "je vois",
      "ca marche",
      "да",
      "нет",
      "ок",
      "ладно",
      "хорошо",
      "понятно",
      "ясно",
      "好",
      "好的",
      "是",
      "不",
      "嗯",
      "知道了",
      "明白",
      "行",
      "ok thanks",
      "ok merci",
      "ок спасибо",
      "好的谢谢",
    ],
  ],
];

const PHRASES = new Map<string, SmalltalkKind>();
for (const [kind, phrases] of SMALLTALK)
  for (const p of phrases) if (!PHRASES.has(normalize(p))) PHRASES.set(normalize(p), kind);

/** Words that may stand around small talk without making it a question ("hi bot", "thanks so much!"). */
const FILLER = new Set([
  "and",
  "et",
  "и",
  "а",
  "ну",
  "toi",
  "bot",
  "so",
  "much",
  "very",
  "again",
  "all",
  "everyone",
  "guys",
  "there",
  "dear",
  "friend",
  "mate",
  "please",
  "pls",
  "a",
  "lot",
  "tout",
  "le",
  "monde",
  "beaucoup",
  "bien",
  "encore",
  "ещё",
  "еще",
  "вообще",
  "that's",
  "thats",
  "super",
  "really",
  "очень",
  "всем",
  "бот",
  "друг",
  ...FORMS_OF_ADDRESS.latin,
  ...FORMS_OF_ADDRESS.cyrillic,
  "тебе",
  "вам",
  "вас",
  "呀",
  "啊",
  "哦",
  "呢",
  "吧",
  "了",
  "啦",
]);

/**
 * Single words of small talk, for messages the phrases above do not cover word for word ("thank u",
 * "merci bcp", "ok cool", "спасибо, всё понятно"): a message made only of these and of filler is small talk.
 */
const SMALLTALK_WORDS = new Map<string, SmalltalkKind>([
  ...[
    "help",
    "please",
    "aide",
    "помощь",
    "помогите",
    "помоги",
    "хелп",
    "menu",
    "меню",
    "start",
    "帮助",
    "帮帮我",
    "帮忙",
    "你是谁",
    // The bot itself: what it is, how it is used ("am I talking to a real person or a robot?", "je peux te
    // demander quoi ?"); who made it or how it works, in ABOUT_THE_BOT.
    "bot",
    "robot",
    "chatbot",
    // "t ki toi ?": SMS French for "qui es-tu ?"
    "ki",
    "human",
    "humain",
    "real",
    "utiliser",
    "demander",
    "poser",
    "ask",
    "use",
    "бот",
    "робот",
    "живой",
    "пользоваться",
    "спрашивать",
    "спросить",
    "机器人",
    "真人",
    "怎么用",
    "能干啥",
    "干啥",
    "问些什么",
    "问什么",
    // A joke asked of the bot ("tell me a joke", "расскажи анекдот", 讲个笑话): the reply says what it is for.
    "joke",
    "jokes",
    "blague",
    "blagues",
    "анекдот",
    "анекдоты",
    "шутку",
    "пошути",
    "笑话",
    "讲个笑话",
  ].map((w) => [w, "help"] as const),
  ...[
    "hi",
    "hello",
    "hey",
    "hiya",
    "hallo",
    "hola",
    "yo",
    "morning",
    "evening",
    "bonjour",
    "bjr",
    "salut",
    "slt",
    "coucou",
    "bonsoir",
    "привет",
    "прив",
    "приветик",
    "здравствуйте",
    "здрасьте",
    "здрасте",
    "здравствуй",
    "хай",
    "салам",
    "салем",
    "ассалому",
    "ассаламу",
    "алейкум",
    "你好",
    "您好",
    "嗨",
    "哈喽",
    "哈罗",
  ].map((w) => [w, "greeting"] as const),
  ...[
    "thanks",
    "thank",
    "thx",
    "thnx",
    "tnx",
    "ty",
    "cheers",
    "merci",
    "mrc",
    "bcp",
    "спасибо",
    "спасибки",
    "спс",
    "пасиб",
    "благодарю",
    "благодарствую",
    "рахмет",
    "рахмат",
    "谢谢",
    "感谢",
    "多谢",
    "谢啦",
    "3q",
    // "that's super helpful!", "very useful, thanks", "you're awesome", "trop bien", "очень помогли", 很有用
    "helpful",
    "useful",
    "utile",
    "полезно",
    "helped",
    "awesome",
    "amazing",
    "clear",
    "clair",
    "genial",
    "parfait",
    "помогли",
    "помог",
    "помогло",
    "класс",
    "круто",
    "супер",
    "太感谢",
    "有用",
    "厉害",
    "棒",
    // Praise: "good job", "well done bot", "ты молодец", "bravo", 真棒.
    "молодец",
    "молодцы",
    "умница",
    "bravo",
    "chapeau",
    "job",
  ].map((w) => [w, "thanks"] as const),
  ...["bye", "goodbye", "ciao", "пока", "再见", "拜拜"].map((w) => [w, "bye"] as const),
  ...[
    "ok",
    "okay",
    "okey",
    "alright",
    "cool",
    "nice",
    "great",
    "good",
    "fine",
    "lol",
    "haha",
    "hmm",
    "test",
    "понял",
    "поняла",
    "понятно",
    "ясно",
    "ок",
    "хорошо",
    "ладно",
    "отлично",
    "好的",
    "好",
    "明白",
    "明白了",
    "知道了",
    "嗯",
    "哈哈",
    "哈哈哈",
    // Testing, laughing, and sorry for the wrong chat ("sorry wrong chat", "pardon, je me suis trompé de
    // conversation", "извините, не туда написал", "不好意思，发错了").
    "тест",
    "测试",
    "mdr",
    "ptdr",
    "hehe",
    "sorry",
    "pardon",
    "desole",
    "desolee",
    "oups",
    "oops",
    "wrong",
    "trompe",
    "trompee",
    "извините",
    "простите",
    "сорри",
    "不好意思",
    "抱歉",
    "发错",
    "发错了",
  ].map((w) => [w, "ack"] as const),
]);

/**
 * Words of who made the bot and how it works that ask about a record as well ("who made you?" and "who
 * made the agreement?", "ça marche pour toi ?" and "le marché", "ты живой человек?" and "сколько человек?",
 * 你是哪个公司做的 and 哪个公司做的, 开发区): small talk asking for help only in a message that speaks to the
 * bot (see SECOND_PERSON) or has another word asking for help ("who built this bot?").
 */
const ABOUT_THE_BOT = new Set([
  "person",
  "built",
  "made",
  "created",
  "developed",
  "programmed",
  "cree",
  "developpe",
  "sers",
  "servir",
  "marche",
  "fonctionne",
  "fonctionnes",
  "work",
  "works",
  // "what kind of stuff can you answer?", "tu sais faire quoi au juste ?"
  "answer",
  "stuff",
  "sais",
  "faire",
  "juste",
  "человек",
  "разработал",
  "разработали",
  "создал",
  "создали",
  "сделал",
  "сделали",
  "работает",
  "开发",
  "做的",
  "公司",
  // The languages the bot speaks ("which languages do you speak?", "parles-tu anglais ?", "на каких языках ты
  // говоришь?", 你会说英文吗) — and "language courses" when the message does not speak to the bot.
  "speak",
  "languages",
  "language",
  "english",
  "french",
  "russian",
  "chinese",
  "parles",
  "parlez",
  "langues",
  "langue",
  "anglais",
  "francais",
  "russe",
  "chinois",
  "говоришь",
  "говорите",
  "языках",
  "языки",
  "язык",
  "английски",
  "английском",
  "по-английски",
  "русском",
  "说",
  "英文",
  "英语",
  "中文",
  "俄语",
  "法语",
  "语言",
]);

/** Laughter of any length: "hahaha", "ахахах", "хахаха", "哈哈哈哈". */
const LAUGHTER = /^(?:a?(?:ha)+h?|(?:ah)+a?|(?:he)+h?|(?:ха)+х?|(?:ах)+а?|哈{2,}|嘿{2,}|呵{2,})$/u;

/** Words that go with small talk without asking anything ("thank u so much", "aide svp", "спасибо, всё понятно"). */
const SMALLTALK_FILLER = new Set([
  ...FILLER,
  "u",
  "you",
  "your",
  "the",
  "for",
  "it",
  "good",
  "whats",
  "what's",
  "up",
  "svp",
  "stp",
  "pour",
  "tout",
  "toi",
  "vous",
  "пожалуйста",
  "всё",
  "все",
  "за",
  "и",
  "всего",
  "большое",
  "огромное",
  "well",
  "done",
  "ты",
  "raconte",
  "racontez",
  "расскажи",
  "расскажите",
  "吗",
  "呗",
  "会",
  "讲",
  "请问",
  "请",
  "一下",
  "你",
  "您",
  "了",
  // "sorry, wrong chat", "ты тут?", "你是机器人还是真人？", "am I talking to a real person?", "t ki toi ?"
  "talking",
  "talk",
  "parle",
  "parler",
  "stuff",
  "things",
  "trucs",
  "tres",
  "туда",
  "этим",
  "是",
  "很",
  "chat",
  "conversation",
  "написал",
  "написала",
  "там",
  "тут",
  "здесь",
  "真",
  "还是",
  "哪个",
  "我",
  "可以",
]);

function smalltalkByWords(normalized: string): SmalltalkKind | null {
  const tokens: string[] = [];
  for (const part of normalized.split(/\s*\|\s*/)) {
    if (!/\p{Script=Han}/u.test(part)) {
      // "c'est qui qui t'a créé", "you're awesome": the words either side of an apostrophe.
      tokens.push(...part.split(/[ ']/u).filter(Boolean));
      continue;
    }
    if (LAUGHTER.test(part.replace(/\s+/g, ""))) {
      tokens.push("哈哈");
      continue;
    }
    // Chinese has no spaces: take the known words out, longest first; anything left makes it a question.
    let rest = part.replace(/\s+/g, "");
    // A character of no such word is left whatever is taken out.
    for (const c of rest) if (!HAN_WORD_CHARS.has(c)) return null;
    for (const word of HAN_WORDS)
      if (rest.includes(word)) {
        tokens.push(
          ...rest
            .split(word)
            .slice(1)
            .map(() => word),
        );
        rest = rest.split(word).join("");
      }
    if (rest !== "") return null;
  }
  let toBot: boolean | undefined;
  const speaksToBot = () =>
    (toBot ??= addressesBot(normalized) || tokens.some((t) => SMALLTALK_WORDS.get(t) === "help"));
  let first: SmalltalkKind | null = null;
  for (const [i, token] of tokens.entries()) {
    // "merci pour votre aide", "thanks for your help": the help given, not help asked for.
    const given = (token === "aide" || token === "help") && GIVER.has(tokens[i - 1] ?? "");
    const kind = given
      ? undefined
      : (SMALLTALK_WORDS.get(token) ??
        (ABOUT_THE_BOT.has(token) && speaksToBot() ? "help" : undefined) ??
        (LAUGHTER.test(token) ? "ack" : undefined));
    // Grammar words go with small talk too ("you're awesome", "am I talking to a real person or a robot?").
    if (!kind && !SMALLTALK_FILLER.has(token) && !isGrammarWord(token)) return null;
    if (kind && (first === null || priority(kind) < priority(first))) first = kind;
  }
  return first;
}

/** The user speaking to the bot: "you" in the four languages ("are you there?", "t'es qui ?", "ты тут?", 你在吗). */
const SECOND_PERSON =
  /(?<![\p{L}'])(you|u|ya|your|yours|tu|toi|te|t|vous|ты|тебя|тебе|тобой|вы|вас|вам)(?![\p{L}])|你|您/u;

/** Whether a message speaks to the bot (see SECOND_PERSON). */
export function addressesBot(text: string): boolean {
  return SECOND_PERSON.test(fold(text).replace(/[’']/g, " "));
}

const GIVER = new Set(["votre", "ton", "your", "the", "vos"]);

function isGrammarWord(token: string): boolean {
  const script = scriptOf(token[0] ?? "");
  return script !== "han" && script !== "other" && isStopword({ text: token, script, start: 0, end: token.length });
}

/** Small talk, or null for a message that asks something. */
export function smalltalkKind(text: string): SmalltalkKind | null {
  const trimmed = text.trim();
  if (/^\/[\p{L}\p{N}_]+(@\w+)?(\s|$)/u.test(trimmed)) return "command";
  if (!/[\p{L}\p{N}]/u.test(trimmed)) return trimmed ? "emoji" : null;
  const normalized = normalize(trimmed);
  const whole = PHRASES.get(normalized);
  if (whole) return whole;
  // Phrases joined by punctuation or filler: "hi! what can you do?", "спасибо, пока", "谢谢你呀".
  const parts = normalized.split(/\s*\|\s*/).filter(Boolean);
  let first: SmalltalkKind | null = null;
  for (const part of parts) {
    const kind = kindOfPart(part);
    if (kind === null) return smalltalkByWords(normalized);
    // What the user wants most decides the reply: help over greeting over thanks.
    if (kind !== "filler" && (first === null || priority(kind) < priority(first))) first = kind;
  }
  return first ?? smalltalkByWords(normalized);
}

function priority(kind: SmalltalkKind): number {
  return ["help", "greeting", "thanks", "bye", "ack"].indexOf(kind);
}

/** Chinese phrases, longest first, so 谢谢你 is taken whole rather than leaving 你. */
const HAN_PHRASES = [...PHRASES.keys()].filter((p) => /\p{Script=Han}/u.test(p)).sort((a, b) => b.length - a.length);

/** Chinese small-talk words and filler, longest first. */
const HAN_WORDS = [...SMALLTALK_WORDS.keys(), ...ABOUT_THE_BOT, ...SMALLTALK_FILLER]
  .filter((w) => /\p{Script=Han}/u.test(w))
  .sort((a, b) => b.length - a.length);

/** The characters of those phrases and words: a message with another is no small talk of them. */
const HAN_PHRASE_CHARS = new Set(HAN_PHRASES.flatMap((p) => [...p]));
const HAN_WORD_CHARS = new Set(HAN_WORDS.flatMap((w) => [...w]));

/** The most words a phrase has. */
const PHRASE_WORDS = Math.max(...[...PHRASES.keys()].map((p) => p.split(" ").length));

/**
 * The small talk a part of a message is: a phrase, phrases with filler around them ("thanks bot", "au
 * revoir et bonne journée"), "filler" when it is only filler, null when anything else is left.
 */
function kindOfPart(part: string): SmalltalkKind | "filler" | null {
  const whole = PHRASES.get(part);
  if (whole) return whole;
  if (/\p{Script=Han}/u.test(part)) {
    // A character of no phrase, and no filler, is left whatever is taken out.
    for (const c of part) if (!HAN_PHRASE_CHARS.has(c) && !FILLER.has(c) && c.trim() !== "") return null;
    let rest = part;
    let kind: SmalltalkKind | null = null;
    for (const phrase of HAN_PHRASES) {
      if (!rest.includes(phrase)) continue;
      const found = PHRASES.get(phrase)!;
      if (kind === null || priority(found) < priority(kind)) kind = found;
      rest = rest.split(phrase).join("");
    }
    if ([...rest].some((c) => !FILLER.has(c) && c.trim() !== "")) return null;
    return kind ?? "filler";
  }
  const words = part.split(" ").filter((w) => !FILLER.has(w));
  if (words.length === 0) return "filler";
  const joined = PHRASES.get(words.join(" "));
  if (joined) return joined;
  // A phrase followed by more small talk: "thanks bot", "hi there friend", "au revoir bonne journée".
  for (let cut = Math.min(words.length - 1, PHRASE_WORDS); cut > 0; cut--) {
    const head = PHRASES.get(words.slice(0, cut).join(" "));
    if (!head) continue;
    const tail = kindOfPart(words.slice(cut).join(" "));
    if (tail !== null) return tail === "filler" || priority(head) <= priority(tail) ? head : tail;
  }
  return null;
}

/** Folded, emoji and punctuation turned into a "|" separator between phrases, spaces collapsed. */
function normalize(text: string): string {
  let out = fold(text);
  // Each step only where it has something to change: a message without a hyphen has no hyphen to drop.
  if (out.includes("’")) out = out.replace(/[’']/g, "'");
  // "qu'est-ce que", "what-can-you-do": a hyphen inside words is a space, not a pause.
  if (out.includes("-")) out = out.replace(/(\p{L})-(?=\p{L})/gu, "$1 ");
  out = out.replace(/[^\p{L}\p{N}'\s]+/gu, " | ").replace(/\s+/g, " ");
  if (out.includes("|")) out = out.replace(/(\s*\|\s*)+/g, " | ").replace(/^\s*\|\s*|\s*\|\s*$/g, "");
  return out.trim();
}

/**
 * The two things a message compares ("what is the difference between the SCO digital economy platform and
 * the forum?", "чем отличается X от Y", "X和Y有什么区别"), as written; null when it compares nothing.
 */
export function comparedParts(text: string): [string, string] | null {
  // A comparison is a short question; the patterns' two lazy groups cost the square of a long text's length.
  if (text.length > COMPARISON_MAX) return null;
  for (const pattern of COMPARISONS) {
    const m = pattern.exec(text.trim());
    if (!m) continue;
    const a = m[1]!.trim();
    const b = m[2]!.trim();
    if (a && b && /[\p{L}\p{N}]/u.test(a) && /[\p{L}\p{N}]/u.test(b)) return [a, b];
  }
  return null;
}

/** The longest message read as a comparison, in characters. */
const COMPARISON_MAX = 300;

const COMPARISONS = [
  /\b(?:the )?differences? between (.+?) and (.+?)[\s?.!]*$/iu,
  /\bhow (?:is|does) (.+?) differ(?:ent)? from (.+?)[\s?.!]*$/iu,
  /\bcompare (.+?) (?:and|with|to) (.+?)[\s?.!]*$/iu,
  /\bdiff[ée]rences? entre (.+?) et (.+?)[\s?.!]*$/iu,
  /\bcomparer (.+?) (?:et|avec|à) (.+?)[\s?.!]*$/iu,
  /(?:^|\s)(?:разниц[аеуы]|различи[яей]|отличи[яей]) между (.+?) и (.+?)[\s?.!]*$/iu,
  /(?:^|\s)чем (?:отличается|отличаются) (.+?) от (.+?)[\s?.!]*$/iu,
  /^(.+?) и (.+?)\s*[—–-]?\s*это (?:разные|одно и то же|не одно и то же)(?!\p{L})/iu,
  /^(.+?)(?:和|与|跟)(.+?)(?:之间)?(?:有)?(?:什么|啥|哪些)(?:区别|不同)(?:之处|点)?(?:吗|呢)?[？?。！!\s]*$/u,
  /^(.+?)(?:和|与|跟)(.+?)(?:是一回事|一样)吗/u,
];
