/**
 * Synthetic four-language catalogs for the search benchmark, generated in memory from a seed (never written to data/).
 *
 * Texts are parallel: a record is a sequence of terms, each rendered in en, fr, ru and zh, so the four versions say
 * the same thing as real catalog translations do. Words come from a Zipf-distributed vocabulary: function words,
 * a few hundred hand-written domain words (Russian with inflected forms), and a long tail of transliterated proper
 * names (Latin, Cyrillic, Han), plus the record's own countries, cities, sectors, audiences and glossary concepts taken
 * from the real reference data in data/ when present (built-in fallbacks otherwise).
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import countries from "i18n-iso-countries";
import YAML from "yaml";
import {
  glossarySchema,
  KINDS,
  LANGUAGES,
  placesSchema,
  vocabularySchema,
  type Catalog,
  type CatalogRecord,
  type Glossary,
  type Kind,
  type Language,
  type Localized,
  type Places,
  type Vocabulary,
} from "../src/catalog/schema.js";

// ---------------------------------------------------------------------------------------------------------------
// Seeded randomness

/** Small fast deterministic PRNG (mulberry32) with the helpers the generator needs. */
export class Rng {
  private state: number;

  constructor(seed: number | string) {
    this.state = typeof seed === "number" ? seed >>> 0 : hashString(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [min, max]. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[this.int(items.length)] as T;
  }
}

function hashString(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Draws ranks 0..n-1 with probability ∝ 1 / (rank + 1)^s. */
class Zipf {
  private readonly cdf: Float64Array;

  constructor(n: number, s = 1) {
    this.cdf = new Float64Array(n);
    let sum = 0;
    for (let r = 0; r < n; r++) this.cdf[r] = sum += 1 / Math.pow(r + 1, s);
    for (let r = 0; r < n; r++) this.cdf[r] = (this.cdf[r] as number) / sum;
  }

  sample(rng: Rng): number {
    const u = rng.next();
    let lo = 0;
    let hi = this.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cdf[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Vocabulary

/** A word or phrase in the four languages; each language lists its variants (inflections, synonyms); [] = omitted. */
interface Term {
  readonly forms: readonly [readonly string[], readonly string[], readonly string[], readonly string[]];
}

const LANG_INDEX: Record<Language, 0 | 1 | 2 | 3> = { en: 0, fr: 1, ru: 2, zh: 3 };

function term(en: readonly string[], fr: readonly string[], ru: readonly string[], zh: readonly string[]): Term {
  return { forms: [en, fr, ru, zh] };
}

/** "en ; fr ; ru ; zh" per line, variants separated by "|", "-" for a word the language leaves out. */
function parseTerms(table: string): Term[] {
  return table
    .trim()
    .split("\n")
    .map((line) => {
      const cells = line.split(";").map((cell) => cell.trim());
      if (cells.length !== 4) throw new Error(`bad term line: ${line}`);
      const [en, fr, ru, zh] = cells.map((cell) => (cell === "-" ? [] : cell.split("|").map((v) => v.trim()))) as [
        string[],
        string[],
        string[],
        string[],
      ];
      return term(en, fr, ru, zh);
    });
}

/** The most frequent words of running text. */
const FUNCTION_WORDS = parseTerms(`
the ; le|la|les ; - ; -
of ; de|du|des ; - ; 的
and ; et ; и ; 和|与
for ; pour ; для ; 为
in ; en|dans ; в|во ; 在
to ; à|au|aux ; к|по ; 向
with ; avec ; с|со ; 同
on ; sur ; на ; 关于
a ; un|une ; - ; 一个
by ; par ; через ; 通过
between ; entre ; между ; 之间
from ; de|depuis ; из|от ; 来自
new ; nouveau|nouvelle|nouveaux ; новый|новая|новые|нового ; 新
is ; est ; является ; 是
are ; sont ; являются ; 是
will ; va|vont ; будет|будут ; 将
also ; aussi|également ; также ; 也
more than ; plus de ; более ; 超过
its ; son|sa|ses ; его|её|их ; 其
which ; qui ; который|которая|которые ; 该
as ; comme ; как ; 作为
this ; ce|cette ; этот|эта|это ; 此
up to ; jusqu'à ; до ; 最多
each ; chaque ; каждый|каждая ; 每
`);

/** Domain words of a cooperation catalog, most frequent first. */
const DOMAIN_WORDS = parseTerms(`
cooperation ; coopération ; сотрудничество|сотрудничества|сотрудничеству|сотрудничестве ; 合作
international ; international|internationale|internationaux ; международный|международного|международное|международные|международной ; 国际
programme|programmes ; programme|programmes ; программа|программы|программу|программе|программ ; 计划|项目
initiative|initiatives ; initiative|initiatives ; инициатива|инициативы|инициативу|инициатив ; 倡议
development ; développement ; развитие|развития|развитию ; 发展
support ; soutien|appui ; поддержка|поддержки|поддержку ; 支持
investment|investments ; investissement|investissements ; инвестиции|инвестиций|инвестиционный|инвестиционных ; 投资
trade ; commerce|échanges commerciaux ; торговля|торговли|торговое ; 贸易
business ; affaires|entreprise ; бизнес|бизнеса|бизнесу ; 商业|商务
companies ; entreprises|sociétés ; компании|компаний|компаниям ; 企业|公司
countries ; pays ; страны|стран|странами ; 国家
economic ; économique|économiques ; экономический|экономического|экономическое|экономических ; 经济
innovation|innovations ; innovation|innovations ; инновации|инноваций|инновационный|инновационных ; 创新
technology|technologies ; technologie|technologies ; технологии|технологий|технологический ; 技术|科技
startup|startups ; start-up|jeunes pousses ; стартап|стартапы|стартапов|стартапам ; 初创企业
grant|grants ; subvention|subventions ; грант|гранты|грантов|грантовая ; 资助|补助金
funding ; financement ; финансирование|финансирования ; 资金
incubator|incubators ; incubateur|incubateurs ; инкубатор|инкубатора|инкубаторы|инкубаторе ; 孵化器
accelerator ; accélérateur ; акселератор|акселератора|акселерационная ; 加速器
regional ; régional|régionale|régionaux ; региональный|регионального|региональных ; 区域|地区
forum ; forum ; форум|форума|форуме ; 论坛
projects ; projets ; проекты|проектов|проектам ; 项目
partnership ; partenariat ; партнёрство|партнёрства|партнёрстве ; 伙伴关系
education ; éducation|enseignement ; образование|образования|образовательный ; 教育
research ; recherche ; исследования|исследований|научно-исследовательский ; 研究
digital ; numérique ; цифровой|цифровая|цифровых|цифровизация ; 数字
energy ; énergie ; энергетика|энергетики|энергии ; 能源
agriculture ; agriculture ; сельское хозяйство|сельского хозяйства ; 农业
entrepreneurs ; entrepreneurs ; предприниматели|предпринимателей|предпринимателям ; 企业家
youth ; jeunesse|jeunes ; молодёжь|молодёжи|молодёжный ; 青年
university|universities ; université|universités ; университет|университета|университеты|университетов ; 大学
students ; étudiants ; студенты|студентов|студентам ; 学生
exchange ; échange|échanges ; обмен|обмена|обменов ; 交流
training ; formation ; обучение|обучения|подготовка|подготовки ; 培训
agreement ; accord ; соглашение|соглашения|соглашению ; 协议
government ; gouvernement ; правительство|правительства ; 政府
ministry ; ministère ; министерство|министерства ; 部
agency ; agence ; агентство|агентства ; 机构
fund ; fonds ; фонд|фонда|фонду ; 基金
bank ; banque ; банк|банка ; 银行
infrastructure ; infrastructure|infrastructures ; инфраструктура|инфраструктуры ; 基础设施
transport ; transport|transports ; транспорт|транспорта|транспортный ; 交通|运输
logistics ; logistique ; логистика|логистики|логистический ; 物流
industrial ; industriel|industrielle ; промышленный|промышленного|промышленных ; 工业
industry ; industrie ; промышленность|промышленности ; 产业
park ; parc ; парк|парка|парке ; 园区
special economic zone ; zone économique spéciale ; особая экономическая зона|особой экономической зоны ; 经济特区
centre ; centre ; центр|центра|центре ; 中心
platform ; plateforme ; платформа|платформы|платформу ; 平台
network ; réseau ; сеть|сети ; 网络
conference ; conférence ; конференция|конференции ; 会议
exhibition ; exposition ; выставка|выставки|выставке ; 博览会|展览会
summit ; sommet ; саммит|саммита|саммите ; 峰会
fair ; salon|foire ; ярмарка|ярмарки ; 交易会
meeting ; réunion|rencontre ; встреча|встречи ; 会晤
memorandum ; mémorandum ; меморандум|меморандума ; 备忘录
strategic ; stratégique ; стратегический|стратегического|стратегическое ; 战略
bilateral ; bilatéral|bilatérale ; двусторонний|двустороннего|двустороннее ; 双边
multilateral ; multilatéral|multilatérale ; многосторонний|многостороннего ; 多边
chamber of commerce ; chambre de commerce ; торговая палата|торгово-промышленная палата ; 商会
association ; association ; ассоциация|ассоциации ; 协会
council ; conseil ; совет|совета ; 理事会
secretariat ; secrétariat ; секретариат|секретариата ; 秘书处
organisation ; organisation ; организация|организации ; 组织
members ; membres ; члены|членов ; 成员
region ; région ; регион|региона|регионе ; 地区
city|cities ; ville|villes ; город|города|городов ; 城市
sister cities ; villes jumelées ; города-побратимы|городов-побратимов ; 友好城市
province ; province ; провинция|провинции ; 省
local ; local|locale|locaux ; местный|местных|местного ; 地方
assistance ; assistance|aide ; помощь|помощи ; 援助
technical ; technique|techniques ; технический|технической|технических ; 技术
capacity building ; renforcement des capacités ; наращивание потенциала ; 能力建设
applications ; candidatures ; заявки|заявок|заявку ; 申请
call for proposals ; appel à propositions ; конкурс заявок|конкурса ; 项目征集
deadline ; date limite ; срок подачи|сроки ; 截止日期
participants ; participants ; участники|участников|участникам ; 参与者
pilot ; pilote ; пилотный|пилотного|пилотных ; 试点
laboratory ; laboratoire ; лаборатория|лаборатории ; 实验室
science ; science|sciences ; наука|науки ; 科学
scientific ; scientifique|scientifiques ; научный|научного|научных ; 科学
academy ; académie ; академия|академии ; 学院
institute ; institut ; институт|института ; 研究所
artificial intelligence ; intelligence artificielle ; искусственный интеллект|искусственного интеллекта ; 人工智能
data ; données ; данные|данных ; 数据
e-commerce ; commerce électronique ; электронная торговля|электронной торговли ; 电子商务
fintech ; fintech ; финтех ; 金融科技
finance ; finance|finances ; финансы|финансов|финансовый ; 金融
loans ; prêts ; кредиты|кредитов|займы ; 贷款
insurance ; assurance ; страхование|страхования ; 保险
customs ; douane|douanes ; таможня|таможенный|таможенных ; 海关
standards ; normes ; стандарты|стандартов ; 标准
certification ; certification ; сертификация|сертификации ; 认证
quality ; qualité ; качество|качества ; 质量
manufacturing ; fabrication|industrie manufacturière ; производство|производства ; 制造业
automotive ; automobile ; автомобильный|автомобильной ; 汽车
machinery ; machines ; машиностроение|машиностроения ; 机械
chemicals ; chimie ; химия|химической ; 化工
mining ; mines|industrie minière ; горнодобывающая|добыча ; 矿业
oil and gas ; pétrole et gaz ; нефть и газ|нефтегазовый|нефтегазовой ; 石油天然气
hydrogen ; hydrogène ; водород|водородной ; 氢能
nuclear ; nucléaire ; атомная|ядерной|атомной ; 核能
electricity ; électricité ; электроэнергия|электроэнергии ; 电力
renewable ; renouvelable|renouvelables ; возобновляемая|возобновляемой|возобновляемых ; 可再生
solar ; solaire ; солнечная|солнечной|солнечных ; 太阳能
wind ; éolien|éolienne ; ветровая|ветровой ; 风能
green ; vert|verte|verts ; зелёный|зелёная|зелёной|зелёных ; 绿色
climate ; climat|climatique ; климат|климата|климатический ; 气候
environment ; environnement ; окружающая среда|окружающей среды ; 环境
water ; eau|eaux ; вода|водных ресурсов|водной ; 水资源
health ; santé ; здравоохранение|здравоохранения|здоровья ; 卫生|健康
medicine ; médecine ; медицина|медицины ; 医学
hospital ; hôpital ; больница|больницы ; 医院
pharmaceutical ; pharmaceutique ; фармацевтический|фармацевтической ; 制药
biotechnology ; biotechnologie|biotechnologies ; биотехнологии|биотехнологий ; 生物技术
scholarship|scholarships ; bourse|bourses ; стипендия|стипендии|стипендий ; 奖学金
women ; femmes ; женщины|женщин ; 妇女
small business ; petites entreprises ; малый бизнес|малого бизнеса ; 小企业
SMEs ; PME ; МСП|малые и средние предприятия ; 中小企业
railway ; chemin de fer|ferroviaire ; железная дорога|железной дороги ; 铁路
port ; port ; порт|порта ; 港口
corridor ; corridor ; коридор|коридора ; 走廊
connectivity ; connectivité ; взаимосвязанность|связанность ; 互联互通
tourism ; tourisme ; туризм|туризма|туристический ; 旅游
culture ; culture ; культура|культуры ; 文化
cultural ; culturel|culturelle ; культурный|культурного|культурных ; 文化
heritage ; patrimoine ; наследие|наследия ; 遗产
media ; médias ; СМИ|медиа ; 媒体
construction ; construction ; строительство|строительства ; 建设
housing ; logement ; жильё|жилья ; 住房
urban ; urbain|urbaine ; городской|городского|городских ; 城市
smart city ; ville intelligente ; умный город|умного города ; 智慧城市
space ; spatial|espace ; космос|космической|космических ; 航天
aviation ; aviation ; авиация|авиации ; 航空
satellite ; satellite ; спутник|спутниковый|спутниковой ; 卫星
telecommunications ; télécommunications ; телекоммуникации|телекоммуникаций ; 电信
internet ; internet ; интернет|интернета ; 互联网
software ; logiciel|logiciels ; программное обеспечение ; 软件
cybersecurity ; cybersécurité ; кибербезопасность|кибербезопасности ; 网络安全
sports ; sport ; спорт|спорта|спортивный ; 体育
film ; cinéma ; кино|кинофестиваль ; 电影
music ; musique ; музыка|музыки ; 音乐
language ; langue ; язык|языка ; 语言
translation ; traduction ; перевод|перевода ; 翻译
volunteers ; bénévoles ; волонтёры|волонтёров ; 志愿者
poverty ; pauvreté ; бедность|бедности ; 贫困
rural ; rural|rurale|ruraux ; сельский|сельских|сельской ; 农村
villages ; villages ; сёла|деревни|сёл ; 村庄
fisheries ; pêche ; рыболовство|рыболовства ; 渔业
forestry ; forêts|foresterie ; лесное хозяйство ; 林业
livestock ; élevage ; животноводство|животноводства ; 畜牧业
irrigation ; irrigation ; орошение|ирригация|ирригационных ; 灌溉
grain ; céréales ; зерно|зерна|зерновых ; 粮食
food security ; sécurité alimentaire ; продовольственная безопасность|продовольственной безопасности ; 粮食安全
farmers ; agriculteurs ; фермеры|фермеров|фермерам ; 农民
cotton ; coton ; хлопок|хлопка ; 棉花
tea ; thé ; чай|чая ; 茶叶
wine ; vin ; вино|вина ; 葡萄酒
textiles ; textile ; текстиль|текстильной ; 纺织
handicrafts ; artisanat ; ремёсла|ремесленников ; 手工艺
design ; design ; дизайн|дизайна ; 设计
creative industries ; industries créatives ; креативные индустрии|креативных индустрий ; 创意产业
competition ; concours ; конкурс|конкурса|конкурсе ; 大赛
award ; prix ; премия|премии ; 奖
fellowship ; bourse de recherche ; стажировка|стажировки ; 研修
internship ; stage ; практика|практики ; 实习
mobility ; mobilité ; мобильность|мобильности ; 流动
visa ; visa ; виза|визы|визовый ; 签证
migration ; migration ; миграция|миграции ; 移民
labour ; travail ; труд|трудовой|трудовых ; 劳动
employment ; emploi ; занятость|трудоустройство ; 就业
skills ; compétences ; навыки|навыков ; 技能
vocational ; professionnel|professionnelle ; профессиональное|профессионального ; 职业
schools ; écoles ; школы|школ ; 学校
teachers ; enseignants ; учителя|преподаватели|преподавателей ; 教师
online ; en ligne ; онлайн|дистанционный ; 线上
course|courses ; cours ; курс|курсы|курсов ; 课程
workshop ; atelier ; семинар|семинара|практикум ; 研讨会
webinar ; webinaire ; вебинар|вебинара ; 网络研讨会
delegation ; délégation ; делегация|делегации ; 代表团
visit ; visite ; визит|визита ; 访问
mission ; mission ; миссия|миссии ; 考察团
investors ; investisseurs ; инвесторы|инвесторов|инвесторам ; 投资者
venture capital ; capital-risque ; венчурный капитал|венчурного капитала ; 风险投资
market|markets ; marché|marchés ; рынок|рынка|рынки|рынков ; 市场
supply chain ; chaîne d'approvisionnement ; цепочка поставок|цепочки поставок ; 供应链
export|exports ; exportation|exportations ; экспорт|экспорта|экспортный ; 出口
import|imports ; importation|importations ; импорт|импорта ; 进口
billion ; milliard|milliards ; млрд|миллиардов ; 亿
million ; million|millions ; млн|миллионов ; 百万
dollars ; dollars ; долларов|долл ; 美元
yuan ; yuans ; юаней ; 元
annual ; annuel|annuelle ; ежегодный|ежегодная|ежегодного ; 年度
first ; premier|première ; первый|первая|первого ; 首届
second ; deuxième ; второй|вторая ; 第二届
launch ; lancement ; запуск|запуска ; 启动
opening ; ouverture ; открытие|открытия ; 开幕
session ; session ; сессия|сессии ; 届会
plan ; plan ; план|плана ; 规划
strategy ; stratégie ; стратегия|стратегии ; 战略
policy ; politique ; политика|политики ; 政策
law ; loi ; закон|закона ; 法律
legal ; juridique|juridiques ; правовой|правовых ; 法律
tax ; fiscal|fiscale ; налоговый|налоговых ; 税收
incentives ; incitations ; льготы|льгот ; 优惠
preferential ; préférentiel|préférentielle ; льготный|преференциальный ; 优惠
free trade ; libre-échange ; свободная торговля|свободной торговли ; 自由贸易
cross-border ; transfrontalier|transfrontalière ; трансграничный|трансграничной ; 跨境
Silk Road ; route de la soie ; Шёлковый путь|Шёлкового пути ; 丝绸之路
neighbourhood ; voisinage ; добрососедство|добрососедства ; 睦邻
friendship ; amitié ; дружба|дружбы ; 友谊
people-to-people ; entre les peuples ; гуманитарный|гуманитарных ; 人文
humanitarian ; humanitaire ; гуманитарная помощь ; 人道主义
security ; sécurité ; безопасность|безопасности ; 安全
peace ; paix ; мир|мира ; 和平
governance ; gouvernance ; управление|управления ; 治理
public ; public|publique ; государственный|государственных ; 公共
private ; privé|privée ; частный|частного ; 私营
sector ; secteur ; сектор|сектора ; 领域
ecosystem ; écosystème ; экосистема|экосистемы ; 生态系统
mentoring ; mentorat ; наставничество|менторство ; 导师
demo day ; journée de démonstration ; демо-день ; 路演日
pitch ; pitch ; питч|питча ; 路演
equity ; fonds propres ; доля|акции ; 股权
sustainable ; durable|durables ; устойчивый|устойчивого ; 可持续
carbon ; carbone ; углерод|углеродный|низкоуглеродный ; 碳
emissions ; émissions ; выбросы|выбросов ; 排放
biodiversity ; biodiversité ; биоразнообразие|биоразнообразия ; 生物多样性
desertification ; désertification ; опустынивание|опустынивания ; 荒漠化
disaster ; catastrophe|catastrophes ; стихийное бедствие|стихийных бедствий ; 灾害
resilience ; résilience ; устойчивость|жизнестойкость ; 韧性
`);

/** The word a title uses for each kind of record. */
const KIND_WORDS: Record<Kind, Term[]> = {
  initiative: parseTerms(`initiative ; initiative ; инициатива ; 倡议`),
  programme: parseTerms(`programme ; programme ; программа ; 计划\nproject ; projet ; проект ; 项目`),
  incubator: parseTerms(
    `incubator ; incubateur ; инкубатор ; 孵化器\naccelerator ; accélérateur ; акселератор ; 加速器`,
  ),
  event: parseTerms(`forum ; forum ; форум ; 论坛\nexpo ; salon ; выставка ; 博览会\nsummit ; sommet ; саммит ; 峰会`),
  organisation: parseTerms(`association ; association ; ассоциация ; 协会\ncouncil ; conseil ; совет ; 理事会`),
  announcement: parseTerms(
    `call for applications ; appel à candidatures ; приём заявок ; 征集\nlaunch ; lancement ; запуск ; 启动`,
  ),
};

/** Syllables for the long tail of proper names: Latin, Cyrillic and Han transliterations. */
const SYLLABLES: readonly (readonly [string, string, string])[] = (
  "a а 阿,ba ба 巴,be бе 贝,bo бо 博,da да 达,de де 德,di ди 迪,do до 多,ga га 加,go го 戈,ka ка 卡,ki ки 基,ko ко 科," +
  "ku ку 库,la ла 拉,le ле 莱,li ли 利,lo ло 洛,lu лу 卢,ma ма 马,me ме 梅,mi ми 米,mo мо 莫,na на 纳,ne не 内,ni ни 尼," +
  "no но 诺,pa па 帕,pe пе 佩,po по 波,ra ра 拉,ri ри 里,ro ро 罗,ru ру 鲁,sa са 萨,se се 塞,si си 西,so со 索,su су 苏," +
  "ta та 塔,te те 特,ti ти 蒂,to то 托,tu ту 图,va ва 瓦,ve ве 韦,vi ви 维,za за 扎,ze зе 泽,zo зо 佐,an ан 安,el эль 尔," +
  "or ор 奥,in ин 因,ar ар 阿尔,kan кан 坎,tal тал 塔尔,mir мир 米尔"
)
  .split(",")
  .map((s) => s.split(" ") as [string, string, string]);
const NAME_ENDINGS: readonly (readonly [string, string, string])[] = [
  ["stan", "стан", "斯坦"],
  ["grad", "град", "格勒"],
  ["bek", "бек", "别克"],
  ["ov", "ов", "夫"],
  ["tech", "тех", "科技"],
  ["invest", "инвест", "投资"],
  ["soft", "софт", "软件"],
  ["agro", "агро", "农业"],
];

function capitalize(word: string): string {
  return word.charAt(0).toLocaleUpperCase() + word.slice(1);
}

/** Distinct transliterated names (organisations, places, brands): the long tail of every language's vocabulary. */
function tailNames(count: number, rng: Rng): Term[] {
  const seen = new Set<string>();
  const names: Term[] = [];
  while (names.length < count) {
    const parts: (readonly [string, string, string])[] = [];
    const syllables = rng.range(2, 4);
    for (let i = 0; i < syllables; i++) parts.push(rng.pick(SYLLABLES));
    if (rng.chance(0.2)) parts.push(rng.pick(NAME_ENDINGS));
    const latin = capitalize(parts.map((p) => p[0]).join(""));
    if (seen.has(latin)) continue;
    seen.add(latin);
    const cyrillic = capitalize(parts.map((p) => p[1]).join(""));
    const han = parts.map((p) => p[2]).join("");
    names.push(term([latin], [latin], [cyrillic], [han]));
  }
  return names;
}

// ---------------------------------------------------------------------------------------------------------------
// Reference data: data/ when present, built-in fallbacks otherwise

const FALLBACK_SECTORS: Vocabulary = {
  energy: { en: "Energy", fr: "Énergie", ru: "Энергетика", zh: "能源" },
  agriculture: { en: "Agriculture", fr: "Agriculture", ru: "Сельское хозяйство", zh: "农业" },
  digital: { en: "Digital economy", fr: "Économie numérique", ru: "Цифровая экономика", zh: "数字经济" },
  education: { en: "Education", fr: "Éducation", ru: "Образование", zh: "教育" },
  health: { en: "Health", fr: "Santé", ru: "Здравоохранение", zh: "卫生健康" },
  transport: {
    en: "Transport and logistics",
    fr: "Transport et logistique",
    ru: "Транспорт и логистика",
    zh: "交通物流",
  },
  finance: { en: "Finance", fr: "Finance", ru: "Финансы", zh: "金融" },
  tourism: { en: "Tourism", fr: "Tourisme", ru: "Туризм", zh: "旅游" },
  culture: { en: "Culture", fr: "Culture", ru: "Культура", zh: "文化" },
  manufacturing: { en: "Manufacturing", fr: "Industrie", ru: "Промышленность", zh: "制造业" },
  environment: { en: "Environment", fr: "Environnement", ru: "Экология", zh: "环境" },
  science: { en: "Science and research", fr: "Science et recherche", ru: "Наука и исследования", zh: "科学研究" },
};

const FALLBACK_AUDIENCES: Vocabulary = {
  startups: { en: "Startups", fr: "Start-up", ru: "Стартапы", zh: "初创企业" },
  smes: { en: "Small and medium enterprises", fr: "PME", ru: "Малый и средний бизнес", zh: "中小企业" },
  universities: { en: "Universities", fr: "Universités", ru: "Университеты", zh: "高校" },
  students: { en: "Students", fr: "Étudiants", ru: "Студенты", zh: "学生" },
  researchers: { en: "Researchers", fr: "Chercheurs", ru: "Исследователи", zh: "研究人员" },
  government: { en: "Government bodies", fr: "Administrations", ru: "Органы власти", zh: "政府部门" },
  investors: { en: "Investors", fr: "Investisseurs", ru: "Инвесторы", zh: "投资者" },
  ngos: { en: "NGOs", fr: "ONG", ru: "НКО", zh: "非政府组织" },
};

const FALLBACK_GLOSSARY: Glossary = {
  sco: {
    en: ["Shanghai Cooperation Organisation", "SCO"],
    fr: ["Organisation de coopération de Shanghai", "OCS"],
    ru: ["Шанхайская организация сотрудничества", "ШОС"],
    zh: ["上海合作组织", "上合组织"],
  },
  brics: { en: ["BRICS"], fr: ["BRICS"], ru: ["БРИКС"], zh: ["金砖国家"] },
  "belt-and-road": {
    en: ["Belt and Road Initiative", "BRI"],
    fr: ["initiative la Ceinture et la Route"],
    ru: ["инициатива «Пояс и путь»", "Пояс и путь"],
    zh: ["一带一路", "一带一路倡议"],
  },
  eaeu: {
    en: ["Eurasian Economic Union", "EAEU"],
    fr: ["Union économique eurasiatique", "UEEA"],
    ru: ["Евразийский экономический союз", "ЕАЭС"],
    zh: ["欧亚经济联盟"],
  },
  cis: {
    en: ["Commonwealth of Independent States", "CIS"],
    fr: ["CEI"],
    ru: ["СНГ", "Содружество Независимых Государств"],
    zh: ["独联体"],
  },
  "smart-city": { en: ["smart city"], fr: ["ville intelligente"], ru: ["умный город"], zh: ["智慧城市"] },
};

const FALLBACK_PLACES: Places = {
  cities: {
    almaty: {
      country: "KZ",
      names: { en: "Almaty", fr: "Almaty", ru: "Алматы", zh: "阿拉木图" },
      aliases: ["Alma-Ata", "Алма-Ата"],
    },
    astana: { country: "KZ", names: { en: "Astana", fr: "Astana", ru: "Астана", zh: "阿斯塔纳" }, aliases: ["Астане"] },
    tashkent: {
      country: "UZ",
      names: { en: "Tashkent", fr: "Tachkent", ru: "Ташкент", zh: "塔什干" },
      aliases: ["Ташкенте"],
    },
    bishkek: {
      country: "KG",
      names: { en: "Bishkek", fr: "Bichkek", ru: "Бишкек", zh: "比什凯克" },
      aliases: ["Бишкеке"],
    },
    dushanbe: { country: "TJ", names: { en: "Dushanbe", fr: "Douchanbé", ru: "Душанбе", zh: "杜尚别" }, aliases: [] },
    beijing: {
      country: "CN",
      names: { en: "Beijing", fr: "Pékin", ru: "Пекин", zh: "北京" },
      aliases: ["Peking", "Пекине"],
    },
    shanghai: {
      country: "CN",
      names: { en: "Shanghai", fr: "Shanghai", ru: "Шанхай", zh: "上海" },
      aliases: ["Шанхае"],
    },
    urumqi: { country: "CN", names: { en: "Urumqi", fr: "Ürümqi", ru: "Урумчи", zh: "乌鲁木齐" }, aliases: [] },
    xian: { country: "CN", names: { en: "Xi'an", fr: "Xi'an", ru: "Сиань", zh: "西安" }, aliases: [] },
    moscow: {
      country: "RU",
      names: { en: "Moscow", fr: "Moscou", ru: "Москва", zh: "莫斯科" },
      aliases: ["Москве", "Москвы"],
    },
    novosibirsk: {
      country: "RU",
      names: { en: "Novosibirsk", fr: "Novossibirsk", ru: "Новосибирск", zh: "新西伯利亚" },
      aliases: [],
    },
    paris: { country: "FR", names: { en: "Paris", fr: "Paris", ru: "Париж", zh: "巴黎" }, aliases: ["Париже"] },
    lyon: { country: "FR", names: { en: "Lyon", fr: "Lyon", ru: "Лион", zh: "里昂" }, aliases: [] },
    minsk: { country: "BY", names: { en: "Minsk", fr: "Minsk", ru: "Минск", zh: "明斯克" }, aliases: ["Минске"] },
    ulaanbaatar: {
      country: "MN",
      names: { en: "Ulaanbaatar", fr: "Oulan-Bator", ru: "Улан-Батор", zh: "乌兰巴托" },
      aliases: [],
    },
    baku: { country: "AZ", names: { en: "Baku", fr: "Bakou", ru: "Баку", zh: "巴库" }, aliases: [] },
  },
  countryAliases: { KZ: ["Казахстане", "Казахстана"], CN: ["Китае", "Китая", "PRC"], RU: ["России", "РФ"] },
};

/** Countries the catalog is about; they get most records, the rest of the world a long tail. */
const FOCUS_COUNTRIES = [
  "CN",
  "KZ",
  "RU",
  "UZ",
  "KG",
  "TJ",
  "TM",
  "MN",
  "FR",
  "BY",
  "AZ",
  "PK",
  "IN",
  "TR",
  "AM",
  "GE",
];

export interface ReferenceData {
  sectors: Vocabulary;
  audiences: Vocabulary;
  glossary: Glossary;
  places: Places;
  /** Where each part came from: a data/ path, or "built-in" when the file is missing or invalid. */
  origin: Record<"sectors" | "audiences" | "glossary" | "places", string>;
}

const DATA_DIR = fileURLToPath(new URL("../data/", import.meta.url));

function loadPart<T>(
  path: string,
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  fallback: T,
): [T, string] {
  const file = DATA_DIR + path;
  if (!existsSync(file)) return [fallback, "built-in"];
  try {
    const parsed = schema.safeParse(YAML.parse(readFileSync(file, "utf8")));
    if (parsed.success && Object.keys(parsed.data as object).length > 0) return [parsed.data, `data/${path}`];
    return [fallback, `built-in (data/${path} invalid)`];
  } catch {
    return [fallback, `built-in (data/${path} unreadable)`];
  }
}

let referenceCache: ReferenceData | undefined;

/** The reference data synthetic records point into, read once. */
export function loadReferenceData(): ReferenceData {
  if (referenceCache) return referenceCache;
  const [sectors, sectorsFrom] = loadPart("vocabularies/sectors.yaml", vocabularySchema, FALLBACK_SECTORS);
  const [audiences, audiencesFrom] = loadPart("vocabularies/audiences.yaml", vocabularySchema, FALLBACK_AUDIENCES);
  const [glossary, glossaryFrom] = loadPart("glossary.yaml", glossarySchema, FALLBACK_GLOSSARY);
  let [places, placesFrom] = loadPart("places.yaml", placesSchema, FALLBACK_PLACES);
  if (Object.keys(places.cities).length === 0)
    [places, placesFrom] = [FALLBACK_PLACES, "built-in (data/places.yaml has no cities)"];
  referenceCache = {
    sectors,
    audiences,
    glossary,
    places,
    origin: { sectors: sectorsFrom, audiences: audiencesFrom, glossary: glossaryFrom, places: placesFrom },
  };
  return referenceCache;
}

// ---------------------------------------------------------------------------------------------------------------
// Entities as terms

const CYRILLIC = /\p{Script=Cyrillic}/u;
const HAN = /\p{Script=Han}/u;

/** Which language an alias (untagged in data/places.yaml) belongs to, by its script. */
function aliasLanguages(alias: string): Language[] {
  if (CYRILLIC.test(alias)) return ["ru"];
  if (HAN.test(alias)) return ["zh"];
  return ["en", "fr"];
}

function localizedTerm(names: Localized, aliases: readonly string[] = []): Term {
  const forms: [string[], string[], string[], string[]] = [[names.en], [names.fr], [names.ru], [names.zh]];
  for (const alias of aliases) for (const lang of aliasLanguages(alias)) forms[LANG_INDEX[lang]].push(alias);
  return { forms };
}

function countryNames(code: string, lang: Language): string[] {
  const all = countries.getName(code, lang, { select: "all" }) ?? [];
  const cleaned = all.map((name) => name.replace(/\s*\(.*\)\s*/g, " ").trim()).filter((name) => name.length > 0);
  return [...new Set(cleaned)];
}

interface World {
  countryCodes: string[];
  countryWeights: Zipf;
  countryTerms: Map<string, Term>;
  cityIds: string[];
  cityTerms: Map<string, Term>;
  cityCountry: Map<string, string>;
  sectorIds: string[];
  sectorTerms: Map<string, Term>;
  audienceIds: string[];
  audienceTerms: Map<string, Term>;
  glossaryTerms: Term[];
}

function buildWorld(ref: ReferenceData): World {
  const countryTerms = new Map<string, Term>();
  for (const code of Object.keys(countries.getAlpha2Codes())) {
    const names = LANGUAGES.map((lang) => countryNames(code, lang));
    if (names.some((n) => n.length === 0)) continue;
    const forms = names as [string[], string[], string[], string[]];
    for (const alias of ref.places.countryAliases[code] ?? [])
      for (const lang of aliasLanguages(alias)) forms[LANG_INDEX[lang]].push(alias);
    countryTerms.set(code, { forms });
  }
  const cityCountry = new Map<string, string>();
  const cityTerms = new Map<string, Term>();
  for (const [id, city] of Object.entries(ref.places.cities)) {
    cityCountry.set(id, city.country);
    cityTerms.set(id, localizedTerm(city.names, city.aliases));
  }
  // Countries of the catalog's focus and of its cities first (by frequency), the rest of the world after them.
  const focus = [...new Set([...FOCUS_COUNTRIES, ...cityCountry.values()])].filter((c) => countryTerms.has(c));
  const rest = [...countryTerms.keys()].filter((c) => !focus.includes(c)).sort();
  const countryCodes = [...focus, ...rest];
  const termsOf = (vocab: Vocabulary) =>
    new Map(Object.entries(vocab).map(([id, label]) => [id, localizedTerm(label)]));
  return {
    countryCodes,
    countryWeights: new Zipf(countryCodes.length, 1.1),
    countryTerms,
    cityIds: [...cityTerms.keys()],
    cityTerms,
    cityCountry,
    sectorIds: Object.keys(ref.sectors),
    sectorTerms: termsOf(ref.sectors),
    audienceIds: Object.keys(ref.audiences),
    audienceTerms: termsOf(ref.audiences),
    glossaryTerms: Object.values(ref.glossary).map((t) => term(t.en, t.fr, t.ru, t.zh)),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Text

/** How many tail names each language's vocabulary gets; with the domain words this makes several thousand words. */
const TAIL_SIZE = 6000;

class Writer {
  private readonly functionZipf = new Zipf(FUNCTION_WORDS.length, 1);
  private readonly domainZipf = new Zipf(DOMAIN_WORDS.length, 1);
  private readonly tailZipf = new Zipf(TAIL_SIZE, 1);
  private readonly tail: Term[];

  constructor(
    private readonly rng: Rng,
    readonly world: World,
  ) {
    this.tail = tailNames(TAIL_SIZE, rng);
  }

  domainWord(): Term {
    return DOMAIN_WORDS[this.domainZipf.sample(this.rng)] as Term;
  }

  tailName(): Term {
    return this.tail[this.tailZipf.sample(this.rng)] as Term;
  }

  /** A word of running text: function words, domain words and names in Zipf-like proportions. */
  word(): Term {
    const u = this.rng.next();
    if (u < 0.34) return FUNCTION_WORDS[this.functionZipf.sample(this.rng)] as Term;
    if (u < 0.88) return this.domainWord();
    return this.tailName();
  }

  /** A sentence of min..max words, now and then naming one of the record's entities. */
  sentence(min: number, max: number, entities: readonly Term[]): Term[] {
    const words: Term[] = [];
    const length = this.rng.range(min, max);
    for (let i = 0; i < length; i++) words.push(this.word());
    if (entities.length > 0 && this.rng.chance(0.4))
      words.splice(this.rng.int(words.length + 1), 0, this.rng.pick(entities));
    return words;
  }

  title(kind: Kind, entities: readonly Term[]): Term[][] {
    const words: Term[] = [];
    const domain = this.rng.range(1, 4);
    for (let i = 0; i < domain; i++) words.push(this.domainWord());
    if (this.rng.chance(0.7)) words.push(this.rng.pick(KIND_WORDS[kind]));
    if (this.rng.chance(0.3)) words.unshift(this.tailName());
    if (entities.length > 0 && this.rng.chance(0.35)) words.push(this.rng.pick(entities));
    return [words];
  }

  paragraph(sentences: number, entities: readonly Term[]): Term[][] {
    const out: Term[][] = [];
    for (let i = 0; i < sentences; i++) out.push(this.sentence(6, 18, entities));
    return out;
  }

  /** Renders sentences of terms in the four languages, picking a variant of each term per language. */
  render(sentences: readonly Term[][], isTitle: boolean): Localized {
    const out = {} as Localized;
    for (const lang of LANGUAGES) {
      const li = LANG_INDEX[lang];
      const zh = lang === "zh";
      const parts: string[] = [];
      for (const words of sentences) {
        const rendered: string[] = [];
        for (const t of words) {
          const forms = t.forms[li];
          if (forms.length === 0) continue;
          let w = forms.length === 1 ? (forms[0] as string) : (forms[this.rng.int(forms.length)] as string);
          if (!isTitle && !zh && this.rng.chance(0.06)) w += ",";
          rendered.push(w);
        }
        if (rendered.length === 0) rendered.push(zh ? "合作" : "cooperation");
        let text = zh ? rendered.join("") : rendered.join(" ");
        if (!isTitle) {
          if (!zh && text.endsWith(",")) text = text.slice(0, -1);
          if (zh && this.rng.chance(0.15)) text = text.slice(0, text.length >> 1) + "，" + text.slice(text.length >> 1);
          text = zh ? text + "。" : capitalize(text) + ".";
        } else if (!zh) {
          text = capitalize(text);
        }
        parts.push(text);
      }
      out[lang] = zh ? parts.join("") : parts.join(" ");
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Records

const KIND_WEIGHTS: readonly [Kind, number][] = [
  ["programme", 0.3],
  ["initiative", 0.22],
  ["event", 0.18],
  ["organisation", 0.12],
  ["incubator", 0.1],
  ["announcement", 0.08],
];

function pickKind(rng: Rng): Kind {
  let u = rng.next();
  for (const [kind, weight] of KIND_WEIGHTS) if ((u -= weight) < 0) return kind;
  return KINDS[0];
}

function pickDistinct<T>(rng: Rng, items: readonly T[], count: number): T[] {
  const out = new Set<T>();
  const n = Math.min(count, items.length);
  while (out.size < n) out.add(rng.pick(items));
  return [...out];
}

function isoDay(rng: Rng, fromYear: number, toYear: number): string {
  const y = rng.range(fromYear, toYear);
  const m = rng.range(1, 12);
  const d = rng.range(1, 28);
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

function hex(rng: Rng, digits: number): string {
  let s = "";
  for (let i = 0; i < digits; i++) s += "0123456789abcdef"[rng.int(16)];
  return s;
}

function makeRecord(index: number, writer: Writer, rng: Rng): CatalogRecord {
  const world = writer.world;
  const kind = pickKind(rng);

  const countrySet = new Set<string>();
  const cities = world.cityIds.length > 0 && rng.chance(0.45) ? pickDistinct(rng, world.cityIds, rng.range(1, 2)) : [];
  for (const city of cities) countrySet.add(world.cityCountry.get(city) as string);
  const countryCount = rng.chance(0.1) ? 0 : rng.range(1, rng.chance(0.2) ? 4 : 2);
  while (countrySet.size < countryCount) countrySet.add(world.countryCodes[world.countryWeights.sample(rng)] as string);
  const recordCountries = [...countrySet];
  const sectors = world.sectorIds.length > 0 ? pickDistinct(rng, world.sectorIds, rng.range(1, 3)) : [];
  const audiences =
    world.audienceIds.length > 0 && rng.chance(0.7) ? pickDistinct(rng, world.audienceIds, rng.range(1, 2)) : [];

  // What the texts may name: the record's places and topics, sometimes a glossary concept.
  const entities: Term[] = [
    ...recordCountries.map((c) => world.countryTerms.get(c) as Term),
    ...cities.map((c) => world.cityTerms.get(c) as Term),
    ...sectors.map((s) => world.sectorTerms.get(s) as Term),
    ...audiences.map((a) => world.audienceTerms.get(a) as Term),
  ];
  if (world.glossaryTerms.length > 0 && rng.chance(0.3)) entities.push(rng.pick(world.glossaryTerms));

  const title = writer.render(writer.title(kind, entities), true);
  const summary = writer.render(writer.paragraph(rng.range(1, 3), entities), false);
  const details = rng.chance(0.55) ? writer.render(writer.paragraph(rng.range(3, 7), entities), false) : undefined;

  const sourceDate = isoDay(rng, 2019, 2025);
  const record: CatalogRecord = {
    id: `syn-${String(index).padStart(6, "0")}`,
    kind,
    title,
    summary,
    ...(details ? { details } : {}),
    countries: recordCountries,
    cities,
    sectors,
    audiences,
    figures: [],
    organisers: [],
    partners: [],
    contacts: [],
    links: [],
    related: [],
    source: { file: `${String(index % 1000).padStart(3, "0")}_${hex(rng, 16)}.txt`, date: sourceDate },
    verified: sourceDate < "2025-01-01" ? "2025-06-01" : "2025-12-01",
  };
  if (rng.chance(0.4)) {
    const start = isoDay(rng, 2023, 2026);
    record.dates = { start, ...(rng.chance(0.5) ? { end: `${Number(start.slice(0, 4)) + rng.range(0, 3)}` } : {}) };
  }
  if (rng.chance(0.3)) {
    record.figures.push({
      value: rng.range(1, 500) * 100_000,
      currency: rng.pick(["USD", "CNY", "EUR", "KZT"]),
      label: writer.render([[writer.domainWord(), writer.domainWord()]], true),
    });
  }
  if (rng.chance(0.5)) {
    record.organisers.push({
      name: writer.render([[writer.tailName(), writer.domainWord()]], true),
      countries: recordCountries.slice(0, 1),
    });
  }
  if (rng.chance(0.3)) {
    record.links.push({ url: `https://example.org/${record.id}` });
  }
  if (kind === "announcement") record.expires = isoDay(rng, 2025, 2027);
  if (index > 0 && rng.chance(0.1)) record.related.push(`syn-${String(rng.int(index)).padStart(6, "0")}`);
  return record;
}

/** A deterministic synthetic catalog of `size` records over the real (or built-in) reference data. */
export function generateCatalog(size: number, seed: number): Catalog {
  const ref = loadReferenceData();
  const rng = new Rng(`catalog:${seed}`);
  const writer = new Writer(rng, buildWorld(ref));
  const records: CatalogRecord[] = new Array<CatalogRecord>(size);
  for (let i = 0; i < size; i++) records[i] = makeRecord(i, writer, rng);
  return { records, sectors: ref.sectors, audiences: ref.audiences, glossary: ref.glossary, places: ref.places };
}

// ---------------------------------------------------------------------------------------------------------------
// Queries

export type QueryShape = "words" | "typo" | "country" | "zh-substring";

export interface BenchQuery {
  text: string;
  lang: Language;
  /** Record the words were taken from: a good engine finds it among its first hits (unless the words are too common). */
  source: string;
  shape: QueryShape;
}

const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
const HAN_RUN = /\p{Script=Han}+/gu;
const LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyzéè";
const CYRILLIC_LETTERS = "абвгдежзийклмнопрстуфхцчшщыьэюя";

/** One-letter typo: substitution, deletion, insertion or transposition. */
function typo(word: string, lang: Language, rng: Rng): string {
  const letters = lang === "ru" ? CYRILLIC_LETTERS : LATIN_LETTERS;
  const chars = [...word];
  const i = rng.range(1, chars.length - 2);
  switch (rng.int(4)) {
    case 0:
      chars[i] = rng.pick([...letters]);
      break;
    case 1:
      chars.splice(i, 1);
      break;
    case 2:
      chars.splice(i, 0, rng.pick([...letters]));
      break;
    default:
      [chars[i], chars[i + 1]] = [chars[i + 1] as string, chars[i] as string];
  }
  return chars.join("");
}

function countryName(record: CatalogRecord, lang: Language, rng: Rng): string | undefined {
  if (record.countries.length === 0) return undefined;
  const names = countryNames(rng.pick(record.countries), lang);
  return names.length > 0 ? rng.pick(names) : undefined;
}

/**
 * `n` queries as users might type them: 1–4 words of a random record's title or summary in a random language,
 * some with a one-letter typo, some with a country name, Chinese ones as substrings of the unsegmented text.
 */
export function generateQueries(catalog: Catalog, n: number, seed: number): BenchQuery[] {
  const rng = new Rng(`queries:${seed}`);
  const queries: BenchQuery[] = [];
  while (queries.length < n) {
    const record = rng.pick(catalog.records);
    const lang = rng.pick(LANGUAGES);
    const text = (rng.chance(0.5) ? record.title : record.summary)[lang];
    let shape: QueryShape;
    let query: string;

    if (lang === "zh") {
      const runs = (text.match(HAN_RUN) ?? []).filter((r) => r.length >= 2);
      if (runs.length === 0) continue;
      const pieces: string[] = [];
      const count = rng.chance(0.2) ? 2 : 1;
      for (let i = 0; i < count; i++) {
        const run = rng.pick(runs);
        const length = rng.range(2, Math.min(8, run.length));
        const start = rng.int(run.length - length + 1);
        pieces.push(run.slice(start, start + length));
      }
      query = pieces.join(" ");
      shape = "zh-substring";
      if (rng.chance(0.15)) {
        const country = countryName(record, lang, rng);
        if (country) {
          query = rng.chance(0.5) ? country + query : `${country} ${query}`;
          shape = "country";
        }
      }
    } else {
      const words = text.match(WORD) ?? [];
      if (words.length === 0) continue;
      const u = rng.next();
      const k = Math.min(words.length, u < 0.25 ? 1 : u < 0.6 ? 2 : u < 0.85 ? 3 : 4);
      let picked: string[];
      if (rng.chance(0.6)) {
        const start = rng.int(words.length - k + 1);
        picked = words.slice(start, start + k);
      } else {
        const positions = new Set<number>();
        while (positions.size < k) positions.add(rng.int(words.length));
        picked = [...positions].sort((a, b) => a - b).map((p) => words[p] as string);
      }
      // Users type at least one content word: re-draw picks made only of short function words ("of the").
      if (!picked.some((w) => [...w].length >= 4)) continue;
      shape = "words";
      const typoAt = picked.findIndex((w) => [...w].length >= 5);
      if (typoAt >= 0 && rng.chance(0.15)) {
        picked[typoAt] = typo(picked[typoAt] as string, lang, rng);
        shape = "typo";
      } else if (rng.chance(0.15)) {
        const country = countryName(record, lang, rng);
        if (country) {
          if (rng.chance(0.5)) picked.push(country);
          else picked.unshift(country);
          shape = "country";
        }
      }
      query = picked.join(" ");
      if (rng.chance(0.6)) query = query.toLocaleLowerCase(lang);
    }
    queries.push({ text: query, lang, source: record.id, shape });
  }
  return queries;
}
