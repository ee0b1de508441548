import { describe, expect, it } from "vitest";
import {
  comparedParts,
  detailsAsked,
  listAsked,
  namesAsked,
  postAsked,
  questionKind,
  smalltalkKind,
  thingsAsked,
  countedAsked,
  winnersAsked,
  wordBoundaries,
} from "../../src/search/question.js";

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
    ["салем!", "greeting"],
    ["ассалому алейкум", "greeting"],
    ["рахмет", "thanks"],
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
    ["thanks a lot, that helped!", "thanks"],
    ["а что ты умеешь?", "help"],
    ["а ты что умеешь?", "help"],
    ["thanks, that's super helpful!", "thanks"],
    ["very useful", "thanks"],
    ["ты кто вообще?", "help"],
    ["你是谁开发的？", "help"],
    ["you're awesome, thanks a lot!", "thanks"],
    ["am I talking to a real person or a robot?", "help"],
    ["how does this work? what kind of stuff can I ask", "help"],
    ["Merci beaucoup pour votre aide, c'était très clair.", "thanks"],
    ["c'est qui qui t'a créé ?", "help"],
    ["t ki toi ?", "help"],
    ["как этим пользоваться? что можно спрашивать?", "help"],
    ["извините, не туда написал", "ack"],
    ["太感谢了，很有用", "thanks"],
    ["请问你是机器人还是真人？", "help"],
    ["你是哪个公司做的？", "help"],
    ["哈哈哈哈", "ack"],
    ["ахахахах", "ack"],
    ["mdr", "ack"],
    ["ok ça marche", "ack"],
    ["who made you?", "help"],
    ["who built this bot?", "help"],
    ["tell me a joke", "help"],
    ["Raconte-moi une blague", "help"],
    ["讲个笑话吧", "help"],
    ["讲个笑话呗", "help"],
    ["which languages do you speak?", "help"],
    ["а на каких языках ты говоришь?", "help"],
    ["你会说英文吗", "help"],
    ["спасибо большое, очень помогло!", "thanks"],
    ["круто, ты молодец", "thanks"],
    ["good job!", "thanks"],
    ["what kind of stuff can you answer?", "help"],
    ["tu sais faire quoi au juste ?", "help"],
    ["早安", "greeting"],
    ["哈囉，你好嗎？", "greeting"],
    ["privet", "greeting"],
    ["ассалому алайкум", "greeting"],
    ["салам алейкум бро", "greeting"],
    ["рахмат ака", "thanks"],
  ])("%s is small talk (%s), word by word where no phrase covers it", (text, kind) => {
    expect(smalltalkKind(text)).toBe(kind);
  });

  it.each([
    "hello, incubators in Kazakhstan?",
    "thanks, and in Uzbekistan?",
    "ok what about the SCO",
    "help me find an incubator",
    "谢谢，东盟的孵化器呢",
    "спасибо, а стипендии есть?",
    "а инкубаторы в Казахстане?",
    "test of the SCO energy platform",
    "is the SCO energy platform useful for startups?",
    "thanks, who runs the helpful desk in Urumqi?",
    "ki organise le forum ?",
    "does the SCO have a university?",
    "c'est qui le directeur ?",
    "who built the lunar station?",
    "哪个公司参加了东博会",
    "trop cher ?",
    // Words of who made the bot and how it works ask about a record when the message does not speak to the bot.
    "c'est quoi le marché ?",
    "when was it created?",
    "сколько там человек?",
    "哪个公司做的？",
    "开发",
    // Languages ask about a record when the message does not speak to the bot.
    "english-taught programmes in Kazakhstan",
    "is the contest in english?",
    "joke of a contest, who runs it?",
    "tu sais quelque chose sur l'OCS ?",
    "can you answer about SCO?",
    "早安，上合组织是什么",
  ])("%s asks something", (text) => {
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
    ["quels organismes ont organisé le Forum de l'économie numérique de l'OCS ?", "who"],
    ["哪些机构主办了数字经济论坛", "who"],
    ["which organisations take part in the alliance", "which"],
    // The noun is no verb of organising.
    ["Какие министерства участвуют в Шанхайской организации сотрудничества?", null],
    ["date d'ouverture du forum des champions cachés à Pékin ?", "when"],
    ["с какого года проводится выставка?", "when"],
    // Keyword queries: the word for a date or a founding year.
    ["sco founded year", "when"],
    ["hidden champions forum date", "when"],
    ["КБТУ какого года вообще?", "when"],
    ["ШОС год основания", "when"],
    ["полный список стран ШОС", "countries"],
    ["le secrétariat de l'OCS est où ?", "where"],
    ["elle est où l'université KBTU ?", "where"],
    ["With which cities did the bureau sign an agreement?", "which"],
    ["Quelles sont les trois plateformes annoncées à Tianjin ?", "which"],
    ["В каком районе Урумчи прошла конференция?", "which"],
    ["С какими городами подписано соглашение?", "which"],
    ["乌鲁木齐科技局和哪几个城市签了协议", "which"],
    ["习近平在天津宣布了哪三个合作平台？", "which"],
    ["how many cities signed?", "count"],
    ["tianjin digital economy share of gdp", "count"],
    ["Quelle est la part de l'économie numérique dans le PIB de Tianjin ?", "count"],
    ["какую долю ВВП Тяньцзиня составляет цифровая экономика?", "count"],
    ["какой рост выручки цифровых отраслей Тяньцзиня", "count"],
    ["quelle croissance pour l'économie numérique de Tianjin ?", "count"],
    ["哪几个国家是成员", "countries"],
    ["which city hosts the expo?", "where"],
    ["哈萨克—英国技术大学在哪个城市？", "where"],
    ["东盟秘书处设在哪一个城市", "where"],
    ["大会在乌鲁木齐哪个区举办的？", "which"],
    ["le forum a commencé quel jour ?", "when"],
    ["东盟是哪一年成立的", "when"],
    ["из скольких городов были партнеры?", "count"],
    ["Quel est le budget du centre IA ?", "amount"],
    ["Какой бюджет у центра?", "amount"],
    ["上合人工智能合作中心的预算", "amount"],
    // One adjective between "which" and the things asked.
    ["In which Kazakh cities are the offshore incubators?", "which"],
    // "Who"/"qui" that begins a relative clause asks nothing; one after a word that asks, or before a question's word order, asks.
    ["Je cherche un incubateur en Ouzbékistan qui travaille avec la Chine", null],
    ["any training for young ppl who want green energy jobs?", null],
    ["pour ce qui concerne les startups, un incubateur ?", null],
    ["je sais pas qui contacter pour le camp", "who"],
    ["à qui écrire pour le forum ?", "who"],
    ["a farm coop in thailand who do i talk to", "who"],
    ["Urumqi manifesto who signed it", "who"],
    ["Кто возглавляет район Шуньи?", "who"],
    ["CAEXPO qui organise ?", "who"],
    ["dites-moi qui organise le CAEXPO", "who"],
    ["l'OCS, qui en fait partie ?", "countries"],
    ["SCO digital economy forum who organises it", "who"],
    ["Shunyi district who’s the mayor", "who"],
  ])("%s asks for %s", (text, kind) => {
    expect(questionKind(text)).toBe(kind);
  });

  it.each([
    "what can universities expect from the centre?",
    "what about universities in the SCO?",
    "what do companies get from the forum?",
  ])("%s is not a which-question: the word between is no adjective", (text) => {
    expect(questionKind(text)).not.toBe("which");
  });
});

describe("countedAsked", () => {
  it.each([
    ["how many companies did Guangxi serve?", "companies"],
    ["Avec combien de membres de l'ASEAN le Guangxi a-t-il formé des groupes de travail ?", "membres"],
    ["сколько проектов охватили мероприятия", "проектов"],
    ["сколько у вас проектов", "проектов"],
    ["广西面向东盟的活动涉及多少项目？", "项目"],
    ["签了多少项协议", "协议"],
  ])("%s counts %s", (text, thing) => {
    expect(countedAsked(text)).toBe(thing);
  });

  it("is null when nothing is named after the question words", () => {
    expect(countedAsked("how many were signed?")).toBeNull();
    expect(countedAsked("incubators in Harbin")).toBeNull();
  });
});

describe("thingsAsked and namesAsked", () => {
  it.each([
    ["With which cities did the bureau sign an agreement?", "cities"],
    ["In which Kazakh cities are the offshore incubators?", "cities"],
    ["names of the experts appointed in Shunyi", "names"],
    ["Кто вошёл в группу экспертов — фамилии?", "фамилии"],
    ["顺义聘任的专家名单", "名单"],
    ["who are the experts of the panel?", "experts"],
    ["qui sont les lauréats du concours ?", "laureats"],
  ])("%s asks for %s", (text, things) => {
    expect(thingsAsked(text)).toBe(things);
  });

  it("tells a question for names from one that only mentions one", () => {
    expect(namesAsked("names of the experts")).toBe(true);
    expect(namesAsked("what is the SCO's full name?")).toBe(false);
    expect(namesAsked("incubator in Harbin")).toBe(false);
  });
});

describe("wordBoundaries", () => {
  const everyScript = (source: string) =>
    source.replaceAll(
      String.raw`\b`,
      String.raw`(?:(?<=[\p{L}\p{N}])(?![\p{L}\p{N}])|(?<![\p{L}\p{N}])(?=[\p{L}\p{N}]))`,
    );
  const patterns = [
    String.raw`\bhow much\b|\b(total )?(value|worth)\b|\bсумм[аы]\b|\bстоимост|多少钱`,
    String.raw`\bwhere('s| is)\b|\b(se tient|basee?s?) ou\s*\??$|\bгде(?! (найти|можно))\b`,
    String.raw`\bs?um\b|\bthemes?\b|\d\b|\b\d+\b`,
    String.raw`\b(which|what) countries\b|\b(pays )?membres\b|\bwho are (its |the )?members\b`,
    String.raw`\b(tele)?phone\b|\b(in )?(which|what) (\w+ )?cit(y|ies)\b|\b(full |complete )?list of\b`,
  ];
  const texts = [
    "how much",
    "somehow muchness",
    "total value?",
    "сумма",
    "сумматор",
    "где найти",
    "где это",
    "basees ou?",
    "um",
    "sum",
    "2024 themes",
    "a1 b22",
    "thème",
    "which countries",
    "somewhat countries",
    "pays membres",
    "membres",
    "who are the members?",
    "who are its membersip",
    "telephone",
    "microphone",
    "smartphone phone",
    "in which city",
    "within which cities",
    "which big cities",
    "complete list of",
    "blacklist of",
    "incomplete list of",
  ];

  it("matches what the two-sided boundary matches, where it matches it", () => {
    for (const source of patterns) {
      const fast = new RegExp(wordBoundaries(source), "u");
      const full = new RegExp(everyScript(source), "u");
      for (const text of texts) expect(fast.exec(text)?.[0], `${source} on ${text}`).toBe(full.exec(text)?.[0]);
      expect(wordBoundaries(source)).not.toBe(everyScript(source));
    }
  });

  it("keeps the two-sided test where the pattern does not fix the letter beside it", () => {
    const before = String.raw`(?<![\p{L}\p{N}])`;
    const after = String.raw`(?![\p{L}\p{N}])`;
    expect(wordBoundaries(String.raw`\bab\b`)).toBe(`${before}ab${after}`);
    expect(wordBoundaries(String.raw`\b(a|b(c|d))\b`)).toBe(String.raw`${before}(a|b(c|d))${after}`);
    expect(wordBoundaries(String.raw`\b(a |b)\b`)).toBe(`${before}(a |b)${everyScript(String.raw`\b`)}`);
    // A group that may match nothing, followed by a letter: whatever matches starts with one.
    expect(wordBoundaries(String.raw`\b(a |b)?x`)).toBe(`${before}(a |b)?x`);
    expect(wordBoundaries(String.raw`\b(a|b)*(c|d)x`)).toBe(`${before}(a|b)*(c|d)x`);
    expect(wordBoundaries(String.raw`\b(a|b){0,2}x`)).toBe(`${before}(a|b){0,2}x`);
    expect(wordBoundaries(String.raw`\b(a|b)+\d`)).toBe(String.raw`${before}(a|b)+\d`);
    for (const source of [
      String.raw`\bs?x`,
      String.raw`\b(a|b)?\d`,
      String.raw`\b(a|b)?[x]`,
      String.raw`\b(a| )?x`,
      String.raw`\b(a|b)?|x`,
      String.raw`\b(a|b)?(x|)`,
      String.raw`\b(a|)x`,
      String.raw`\b(?=a)a`,
      String.raw`\d\b`,
      String.raw`\x20\b`,
      String.raw`[ab]\b`,
      String.raw`(a|b)+\b`,
    ])
      expect(wordBoundaries(source), source).toBe(everyScript(source));
  });
});

describe("detailsAsked", () => {
  it.each([
    ["phone number of the Urumqi Science and Technology Bureau", "phone"],
    ["tel number of the Urumqi bureau", "phone"],
    ["адрес электронной почты инкубатора", "email"],
    ["adresse e-mail de l'incubateur Zhongya Hulian", "email"],
    ["广西东盟青年科学家项目对年龄有要求吗", "admission"],
    ["quelle est l'adresse du bureau ?", "address"],
    ["сколько стоит участие в лагере", "fee"],
    ["中国—东盟创新创业大赛报名费多少", "fee"],
    ["application deadline for the SCO higher education centre", "deadline"],
    ["上合高等教育合作中心的申请截止日期", "deadline"],
    ["Le texte intégral du manifeste 2024, svp", "text"],
    ["official website of CAEXPO", "website"],
    ["is participation in the China-ASEAN innovation camp free", "fee"],
    ["c quoi le mail de l'incubateur de Hefei svp", "email"],
    ["What are the admission requirements for a master's at KBTU?", "admission"],
    ["Как поступить в Казахстанско-Британский технический университет?", "admission"],
    ["清华大学研究生怎么申请？", "admission"],
    ["comment postuler au camp d'innovation ?", "admission"],
    ["y a des offres d'emploi au centre Chine-OCS pour l'IA ?", "jobs"],
    ["вакансии в инкубаторе Урумчи", "jobs"],
    ["Which of the eight partner-city incubators is the best one for a biotech startup?", "ranking"],
    ["Quel est le meilleur incubateur parmi les huit villes partenaires ?", "ranking"],
    ["Какой инкубатор лучше для IT-стартапа?", "ranking"],
    ["哪个孵化器最好", "ranking"],
    ["do I need a business visa to exhibit at CAEXPO in Nanning", "visa"],
    ["как получить визу в Китай на выставку в Наньнин", "visa"],
    ["去南宁参加东博会要办什么签证", "visa"],
    ["biographie de Jin Fujian", "biography"],
    ["崔小浩区长的个人简历", "biography"],
    ["internship at BGI genomics for ASEAN graduates", "internship"],
    ["stage en entreprise chez une SOE de Tianjin, c'est possible ?", "internship"],
    ["天津国企 实习 上合", "internship"],
    ["bourse d'études pour étudiants camerounais en Chine via l'OCS", "scholarship"],
    ["what's the monthly stipend for the Guangxi young scientists programme?", "scholarship"],
    ["广西东盟青年科学家项目每月有多少生活补贴？", "scholarship"],
    ["какая стипендия для студентов из Таджикистана в китайских вузах по линии ШОС", "scholarship"],
    ["上合组织奖学金怎么申请", "scholarship"],
    ["frais d'adhésion au réseau de transfert de technologies Chine-ASEAN", "fee"],
    ["оформление виз в Китай", "visa"],
    ["стажировка в компании Huawei через ШОС", "internship"],
    ["horaires d'ouverture du centre de conférences de Shunyi ?", "hours"],
    ["часы работы управления науки Урумчи", "hours"],
    ["顺义中德示范区企业入驻有什么税收优惠", "tax"],
    ["tax incentives in the Shunyi zone for German firms", "tax"],
    ["opening hours of the NICTC", "hours"],
    ["В каких именно городах Казахстана находятся офшорные инкубаторы Урумчи?", "city"],
  ])("%s asks for a detail (%s)", (text, detail) => {
    expect(detailsAsked(text)[0]).toBe(detail);
  });

  it("lists every detail a message asks, when it asks nothing else", () => {
    expect(detailsAsked("上合组织高等教育合作中心的奖学金怎么申请，有什么条件")).toEqual(["scholarship", "admission"]);
    expect(detailsAsked("你好，请问广西东盟杰出青年科学家项目怎么申请？有截止日期吗")).toEqual([
      "deadline",
      "admission",
    ]);
  });

  it.each([
    // "S'adresser à" is "to be meant for", not an address.
    "à qui s'adresse le programme des jeunes scientifiques ?",
    // French "tel" is "such".
    "Existe-t-il un programme tel qu'Erasmus pour les étudiants de l'OCS ?",
    // Asking something else too: the record answers that part.
    "Bonjour, qui peut participer au programme des jeunes scientifiques ? Et il y a une date limite ?",
    "乌市那个大会签了多少协议？总共多少钱？",
    "who can apply to the China-ASEAN innovation camp and is there a fee",
    "кто организует лагерь инноваций и сколько стоит участие",
    // Words of a detail used otherwise.
    "fruits frais exportation Ouzbékistan Chine",
    "tarifs douaniers entre la Chine et l'OCS",
    "оплата в юанях в торговле со странами ШОС",
    "WeChat Pay in Kazakhstan",
    "the address of Xi Jinping at the SCO summit",
    "jusqu'à quand dure le forum de Tianjin ?",
    "price competitiveness of Chinese solar panels",
    "is the China-ASEAN free trade area relevant",
    "incubators in Kazakhstan",
    "SCO energy platform",
    "how do I get in touch with the Urumqi bureau?",
    "training for green jobs in the SCO",
    "С чего лучше начать? Ищем партнёров в Синьцзяне",
    "le meilleur moyen de contacter le bureau d'Urumqi",
    "best practices in technology transfer",
    "какие лучшие практики цифровой экономики ШОС?",
    "лучший способ связаться с КБТУ",
    "联系上合能源平台最好的方式是什么",
    "quels secteurs visaient les projets signés au forum numérique de l'OCS ?",
    "international internet information harbour",
    "la bourse de Shanghai et les entreprises de l'OCS",
    "à quel stade en est la station lunaire ?",
    // A stock exchange, a CV an application asks for, a research stay: not what the catalog lacks.
    "introduction en bourse à Shanghai pour une PME de l'OCS",
    "广西东盟杰出青年科学家项目申请需要提交简历吗？",
    "хочу на стажировку в Китай по ИИ",
    // A date is no opening hours; a course's hours are not a body's.
    "When is the CAEXPO open?",
    "volume horaire des cours du centre de formation",
    // Whom it is good to contact is a recommendation, not a ranking.
    "想跟东盟国家做技术转移，国内找哪个机构对接比较好",
    // A detail the asker says is missing is not asked for.
    "whom do I contact about the china asean innovation contest? no website in the article",
  ])("%s asks for no detail alone", (text) => {
    expect(detailsAsked(text)).toEqual([]);
  });
});

describe("listAsked", () => {
  it.each([
    ["which companies exactly signed the 21 agreements", [21]],
    ["what exactly were the 21 agreements signed in Tianjin?", [21]],
    ["la liste des 28 provinces signataires du manifeste 2024", [28]],
    ["список тех десяти проектов, что подписали в Шуньи", [10]],
    ["list of the three platforms", [3]],
    // Asking what the list of 28 is asks its items; only "that list" points at one.
    ["what is the list of the 28 provinces that signed the manifesto?", [28]],
  ])("%s asks to list a set of %j", (text, numbers) => {
    expect(listAsked(text)?.numbers).toEqual(numbers);
  });

  it.each([
    "what exactly is the 514 list?",
    "what is exactly the 514 list?",
    "list of incubators in China",
    // What the list is, not its items.
    "what was that list of 1000+ technologies for ASEAN?",
    "что за список из 514 потребностей?",
  ])("%s asks for no itemised set", (text) => {
    expect(listAsked(text)).toBeNull();
  });
});

describe("postAsked", () => {
  it.each([
    ["who is the secretary-general of the SCO?", "secretary-general"],
    ["qui est le secrétaire général de l'ASEAN ?", "secretary-general"],
    ["кто генсек ШОС", "secretary-general"],
    ["上合组织现任秘书长是谁", "secretary-general"],
    ["顺义区区长叫什么名字", "mayor"],
    ["как зовут парторга управления науки Урумчи", "party secretary"],
  ])("%s asks who holds a post (%s)", (text, post) => {
    expect(postAsked(text)?.[0]).toBe(post);
  });

  it.each([
    "who heads the China-ASEAN technology transfer centre?",
    "Кто руководит центром?",
    "qui dirige le bureau ?",
  ])("%s asks who is at the head, by any title", (text) => {
    expect(postAsked(text)).toEqual(expect.arrayContaining(["director", "mayor", "rector", "secretary-general"]));
  });

  it.each([
    "я руководитель компании, куда обращаться по ШОС?",
    "I'm the director of a small firm in Almaty, who should I contact?",
    "我是南昌一家科技企业的负责人，应该联系谁？",
  ])("%s names the asker's own post, not one asked about", (text) => {
    expect(postAsked(text)).toBeNull();
  });

  it("still reads a post the asker looks for", () => {
    expect(postAsked("I'm looking for the director of the Changsha centre")).not.toBeNull();
  });

  it.each(["who organised the forum in Tianjin?", "qui organise le camp ?", "the promayor of nothing"])(
    "%s names no post",
    (text) => {
      expect(postAsked(text)).toBeNull();
    },
  );
});

describe("winnersAsked", () => {
  it.each([
    "who won the contest?",
    "les lauréats du concours",
    "кто победил в конкурсе?",
    "大赛获奖名单",
    "the prize-winners",
  ])("%s asks for winners", (text) => {
    expect(winnersAsked(text)).not.toBeNull();
  });

  it.each(["who is the contest for?", "I wonder who runs it", "hidden champions forum", "隐形冠军论坛"])(
    "%s does not",
    (text) => {
      expect(winnersAsked(text)).toBeNull();
    },
  );
});

describe("comparedParts", () => {
  it.each([
    ["what's the difference between the China-ASEAN contest and the camp?", ["the China-ASEAN contest", "the camp"]],
    [
      "чем отличается центр высшего образования ШОС от центра профобучения?",
      ["центр высшего образования ШОС", "центра профобучения"],
    ],
    [
      "встреча «ШОС плюс» и форум цифровой экономики — это разные мероприятия?",
      ["встреча «ШОС плюс»", "форум цифровой экономики"],
    ],
    ["离岸孵化器和跨区域协同创新中心有什么区别", ["离岸孵化器", "跨区域协同创新中心"]],
  ])("%s compares %j", (text, parts) => {
    expect(comparedParts(text)).toEqual(parts);
  });

  it.each([
    "incubators in Kazakhstan and Uzbekistan",
    "différence de prix entre Pékin",
    "合作和交流",
    "中国和东盟有什么不同的合作项目？",
  ])("%s compares nothing", (text) => {
    expect(comparedParts(text)).toBeNull();
  });
});

describe("detailsAsked: a detail said to be absent", () => {
  it("is still asked in a yes/no question, with or without its question mark", () => {
    expect(detailsAsked("is the china-asean innovation camp without fee")).toEqual(["fee"]);
    expect(detailsAsked("is the china-asean innovation camp without fee?")).toEqual(["fee"]);
  });
});
