// Record edits made in chat: the draft a coordinator is writing (kept in their session) and the
// changes submitted for review, shared by every bot process — in memory for one process, in Redis for several.
import { recordSchema, type CatalogRecord, type Language } from "../catalog/schema.js";

/**
 * A record being edited (`base` set: the id of the record it changes) or created, field by field. The
 * record is kept as plain data: it is only a catalog record once every value has passed validation.
 */
export interface RecordDraft {
  base?: string;
  record: Record<string, unknown>;
  /** The field whose value the next message gives, and for a localized field the language asked now. */
  field?: string;
  lang?: Language;
  /** /new: the fields still to ask for, in order. */
  queue?: string[];
  /** An item of a list field (figures, parties, contacts, links) being added or changed. */
  item?: ItemDraft;
}

/**
 * An item of a list field, as typed so far: it replaces the list's item `index` (or joins the list, when
 * added) only once its last sub-field is given, so an item abandoned half-way changes nothing.
 */
export interface ItemDraft {
  list: string;
  index: number;
  adding?: boolean;
  value: Record<string, unknown>;
  /** The sub-field the next message gives (with the draft's `lang` for a text in four languages), then those still to ask. */
  sub?: string;
  queue: string[];
}

export type EditStatus = "pending" | "approved" | "rejected";

/** A change submitted for review: the record as it would be stored, and the one it replaces. */
export interface RecordEdit {
  /** "1", "2", … in submission order. */
  id: string;
  record: CatalogRecord;
  /** The record it replaces as it was when submitted; absent for a new record. */
  before?: CatalogRecord;
  author: number;
  /** Where and in which language the author hears back. */
  authorChat: number;
  authorLang: Language;
  /** ISO 8601. */
  at: string;
  status: EditStatus;
  reviewer?: number;
  comment?: string;
  decidedAt?: string;
}

export type RecordEditInput = Omit<RecordEdit, "id" | "at" | "status" | "reviewer" | "comment" | "decidedAt">;

export interface RecordEditStore {
  submit(edit: RecordEditInput): Promise<RecordEdit>;
  get(id: string): Promise<RecordEdit | undefined>;
  /** Pending edits, oldest first. */
  pending(limit: number): Promise<RecordEdit[]>;
  /**
   * Approves or rejects a pending edit; undefined when it is not pending (already decided by another
   * administrator, or unknown) — only the first decision counts.
   */
  decide(
    id: string,
    decision: { status: "approved" | "rejected"; reviewer: number; comment?: string },
  ): Promise<RecordEdit | undefined>;
}

export const EDIT_ID = /^[1-9]\d{0,14}$/;

/** A stored edit, validated like the catalog files; undefined when it is not one. */
export function parseEdit(raw: string): RecordEdit | undefined {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || typeof value.id !== "string" || !EDIT_ID.test(value.id))
    return undefined;
  const record = recordSchema.safeParse(value.record);
  const before = value.before === undefined ? undefined : recordSchema.safeParse(value.before);
  if (!record.success || (before && !before.success)) return undefined;
  if (typeof value.author !== "number" || typeof value.authorChat !== "number" || typeof value.at !== "string")
    return undefined;
  if (value.status !== "pending" && value.status !== "approved" && value.status !== "rejected") return undefined;
  return {
    ...(value as unknown as RecordEdit),
    record: record.data,
    ...(before?.success ? { before: before.data } : {}),
  };
}

export function createMemoryRecordEdits(now: () => number = Date.now): RecordEditStore {
  const edits = new Map<string, string>();
  let last = 0;
  const read = (id: string) => {
    const raw = edits.get(id);
    return raw === undefined ? undefined : parseEdit(raw);
  };
  return {
    async submit(input) {
      // Stored as JSON, like Redis does: an edit never shares objects with the caller.
      const edit: RecordEdit = {
        ...structuredClone(input),
        id: String(++last),
        at: new Date(now()).toISOString(),
        status: "pending",
      };
      edits.set(edit.id, JSON.stringify(edit));
      return read(edit.id)!;
    },
    async get(id) {
      return read(id);
    },
    async pending(limit) {
      return [...edits.keys()]
        .map(read)
        .filter((e): e is RecordEdit => e?.status === "pending")
        .slice(0, Math.max(0, limit));
    },
    async decide(id, decision) {
      const edit = read(id);
      if (!edit || edit.status !== "pending") return undefined;
      const decided: RecordEdit = {
        ...edit,
        status: decision.status,
        reviewer: decision.reviewer,
        decidedAt: new Date(now()).toISOString(),
        ...(decision.comment ? { comment: decision.comment } : {}),
      };
      edits.set(id, JSON.stringify(decided));
      return read(id);
    },
  };
}
