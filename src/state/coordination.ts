// Contracts of the coordinators' state: subscriptions, roles and the audit log. Memory and Redis
// implementations sit behind these interfaces, like the conversation state.
import type { Language } from "../catalog/schema.js";

/** What a subscriber wants to hear about. An empty list in a facet means "anything" in that facet. */
export interface Subscription {
  /** Sector ids from data/vocabularies/sectors.yaml. */
  topics: string[];
  /** Record kinds (programme, incubator, event, …). */
  kinds: string[];
  /** ISO 3166-1 alpha-2 codes. */
  countries: string[];
  /** Language the subscriber reads; broadcasts pick that variant. */
  lang: Language;
}

export interface SubscriberEntry extends Subscription {
  chatId: number;
  /** False once the user blocked the bot (403 or a my_chat_member "kicked"); true again on return. */
  active: boolean;
}

/**
 * Who a broadcast goes to. A broadcast is tagged like a record: topics (sector ids), kinds, countries.
 * `everyone` is an explicit choice: every active subscriber, whatever they chose (tags ignored).
 * Otherwise a subscriber is in the audience when each of their three facets matches the broadcast's
 * tags: they chose nothing in that facet, or they chose one of the broadcast's values in it. A facet
 * the broadcast leaves untagged therefore reaches only those who chose nothing there: a broadcast with
 * no topic is not about "Energy", so an "Energy only" subscriber does not get it. An audience with no
 * tag at all reaches only the subscribers who chose nothing anywhere. `languages`, when given, keeps
 * the subscribers reading one of them, with `everyone` too (a delivery restriction, not a tag).
 */
export interface Audience {
  everyone?: boolean;
  topics?: string[];
  kinds?: string[];
  countries?: string[];
  languages?: Language[];
}

/** The facets a subscriber chooses values in; an empty choice puts them in the facet's "any" set. */
export const SUBSCRIPTION_FACETS = ["topics", "kinds", "countries"] as const;
export type SubscriptionFacet = (typeof SUBSCRIPTION_FACETS)[number];

export interface Recipient {
  chatId: number;
  lang: Language;
}

export interface SubscriptionStore {
  get(chatId: number): Promise<SubscriberEntry | undefined>;
  /** Creates or replaces the subscription (keeps the active flag, sets it true for a new subscriber). */
  set(chatId: number, subscription: Subscription): Promise<void>;
  remove(chatId: number): Promise<void>;
  /** Marks a chat inactive (blocked) or active again; unknown chats are ignored. */
  setActive(chatId: number, active: boolean): Promise<void>;
  /** Active subscribers in the audience — computed with set operations, not by scanning every user. */
  resolve(audience: Audience): Promise<Recipient[]>;
  count(audience: Audience): Promise<number>;
}

export type Role = "coordinator";

export interface RoleStore {
  isCoordinator(userId: number): Promise<boolean>;
  grant(userId: number): Promise<void>;
  revoke(userId: number): Promise<void>;
  coordinators(): Promise<number[]>;
}

/** /unanswered: a group answered with a record's card, dismissed, or called spam (a reply is "reply"). */
export type UnansweredAction = "unanswered-record" | "unanswered-dismiss" | "unanswered-spam";

export interface AuditEntry {
  /** ISO 8601 timestamp, set by the log. */
  at: string;
  actor: number;
  /** "refused": a coordinator's or administrator's command or button used by someone without the role. */
  action:
    | "grant"
    | "revoke"
    | "broadcast"
    | "broadcast-cancel"
    | "reload"
    | "reply"
    | "refused"
    | "record"
    | UnansweredAction;
  /** Short JSON-serialisable details (target user, broadcast id, record counts…). */
  details?: Record<string, string | number | boolean>;
}

/** Append-only log of coordinator and admin actions (a Redis stream, or an array in memory). */
export interface AuditLog {
  append(entry: Omit<AuditEntry, "at">): Promise<void>;
  /** Newest first. */
  recent(limit: number): Promise<AuditEntry[]>;
}
