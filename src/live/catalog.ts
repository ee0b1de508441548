import { createHash } from "node:crypto";
import { formatProblem, loadCatalog } from "../catalog/load.js";
import type { Catalog, CatalogRecord } from "../catalog/schema.js";
import type { ServiceLogger } from "../logger.js";
import { SearchEngine, type SearchEngineOptions } from "../search/engine.js";
import type { CatalogChange, CatalogChangeStore, PutChange, RemoveChange } from "../state/catalog-changes.js";

/** What /reload reports: the record count searched now, or why the catalog on disk was refused. */
export type ReloadResult = { ok: true; records: number } | { ok: false; problems: string[] };

export interface LiveCatalogOptions {
  /** The catalog folder (CATALOG_DIR), read again on a reload. */
  dir: string;
  /** The catalog read from `dir` at start. */
  files: Catalog;
  /** The engine already built over `files`, if any (else it is built here). */
  engine?: SearchEngine;
  changes: CatalogChangeStore;
  logger: ServiceLogger;
  engineOptions?: SearchEngineOptions;
  /** How often the stored version is checked, for changes whose notice was missed (default 5 s). */
  checkEveryMs?: number;
}

/**
 * A record that went live in this process's engine: created, replaced by a new version, or entering
 * search at its time. Every process on the same store sees the same events (a listener acting on them
 * once for all processes must claim that in the store).
 */
export interface RecordLiveEvent {
  record: CatalogRecord;
  /** The version of the change that put it there (a put, or a reload of the files). */
  version: number;
  /** ISO 8601, when it entered search on its own time (a scheduled announcement starting), not with its change. */
  enteredAt?: string;
}

export type RecordLiveListener = (events: RecordLiveEvent[]) => void;

/** setTimeout's longest delay; a later activation is checked again when it lapses. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The catalog the bot searches, owned in one place: the records of the files plus the changes made
 * while the bot runs (announcements, reloads, edits). Every change goes to the change store first and
 * is applied from there, in version order, by every process on the same store — this one included —
 * in place: one record added, replaced or removed, no rebuild (a reload that changes the vocabularies,
 * the glossary or the places rebuilds, then swaps in one step). `search` is the same object for the
 * life of the process.
 */
export class LiveCatalog {
  /** The engine the bot uses; changes are applied to it in place. */
  readonly search: SearchEngine;
  private files: Catalog;
  private filesById: Map<string, CatalogRecord>;
  /** Content hash of `files`, computed when a reload first needs it (not at start: it reads the whole catalog). */
  private filesHash: string | undefined;
  /** The files this process read for its own reload, used when that reload comes back through the store. */
  private lastRead: { hash: string; catalog: Catalog } | undefined;
  /** The latest applied change of every record id that has one. */
  private readonly changed = new Map<string, PutChange | RemoveChange>();
  private applied = 0;
  /** Version of the last reload of the files applied here (0: none). */
  private reloadVersion = 0;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private chain: Promise<unknown> = Promise.resolve();
  private stopWatching: (() => Promise<void>) | undefined;
  private checker: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly listeners = new Set<RecordLiveListener>();
  private readonly goneListeners = new Set<(ids: string[]) => void>();
  /** Records that left search since the listeners were last told. */
  private gone: string[] = [];
  /** Records gone live since the listeners were last told, and the change being applied. */
  private live: RecordLiveEvent[] = [];
  private cause: { version: number; enteredAt?: string } | undefined;

  private constructor(private readonly options: LiveCatalogOptions) {
    this.files = options.files;
    this.filesById = new Map(options.files.records.map((r) => [r.id, r]));
    this.search = options.engine ?? SearchEngine.build(options.files, options.engineOptions);
  }

  /**
   * Builds the engine, applies the stored changes and follows new ones. When the store cannot be read
   * now, the catalog of the files serves and the periodic check catches up once it can.
   */
  static async start(options: LiveCatalogOptions): Promise<LiveCatalog> {
    const live = new LiveCatalog(options);
    const follow = () => live.catchUp().catch((error: unknown) => live.failed(error));
    await follow();
    live.stopWatching = options.changes.watch(() => void follow());
    live.checker = setInterval(() => void follow(), options.checkEveryMs ?? 5000);
    live.checker.unref();
    return live;
  }

  /**
   * Calls `listener` with the records that went live here (created, changed, or entering search at
   * their time), after each batch of changes is applied; not for the changes applied at start. A
   * listener's failure is logged, never the catalog's. Returns the way to stop.
   */
  onRecordLive(listener: RecordLiveListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /**
   * Calls `listener` with the ids of the records that left search here (withdrawn, or past their
   * expiry day), told with the records going live. Returns the way to stop.
   */
  onRecordGone(listener: (ids: string[]) => void): () => void {
    this.goneListeners.add(listener);
    return () => void this.goneListeners.delete(listener);
  }

  /** Version of the last change applied here. */
  get version(): number {
    return this.applied;
  }

  /**
   * A number that grows whenever the record searched under `id` may have changed: the version of its
   * latest change, or of the latest reload of the files when that is later. Every process applying the
   * same changes gives the same number (a calendar event's SEQUENCE); it goes back only when the store's
   * data is lost.
   */
  revision(id: string): number {
    const change = this.changed.get(id) as ((PutChange | RemoveChange) & { version?: number }) | undefined;
    return Math.max(change?.version ?? 0, this.reloadVersion);
  }

  /** Adds or replaces a record everywhere; with `from`, it enters search only then. Resolves once applied here. */
  async put(record: CatalogRecord, from?: Date): Promise<number> {
    const version = await this.options.changes.append({
      op: "put",
      record,
      ...(from ? { from: from.toISOString() } : {}),
    });
    await this.catchUp();
    return version;
  }

  /** Takes a record out of search everywhere; it stays out across reloads (the live changes win over the files). */
  async remove(id: string): Promise<number> {
    const version = await this.options.changes.append({ op: "remove", id });
    await this.catchUp();
    return version;
  }

  /**
   * Reads the catalog folder again. A valid catalog is announced so every process reads its own copy
   * and applies the difference; an invalid one is refused with its problems, and nothing changes.
   */
  async reload(): Promise<ReloadResult> {
    const read = await this.read();
    if (!read.ok) return read;
    const hash = catalogHash(read.catalog);
    this.lastRead = { hash, catalog: read.catalog };
    await this.options.changes.append({ op: "reload", hash });
    await this.catchUp();
    return { ok: true, records: this.search.size };
  }

  /** Applies every stored change not applied yet, in order (one catch-up at a time). */
  catchUp(): Promise<void> {
    const run = this.chain.then(async () => {
      if (this.closed) return;
      const changes = await this.options.changes.since(this.applied);
      if (!changes) return this.applySnapshot();
      for (const change of changes) {
        // A change that cannot be applied here is logged and passed over: retrying it forever would
        // stop every later change (and this process's own) from being applied.
        this.cause = { version: change.version };
        await this.apply(change).catch((error: unknown) =>
          this.options.logger.error(
            { version: change.version, op: change.op, message: (error as Error).message },
            "catalog change not applied here; passed over",
          ),
        );
        this.cause = undefined;
        this.applied = change.version;
      }
      this.tell();
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.checker) clearInterval(this.checker);
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await this.stopWatching?.();
  }

  /**
   * The latest change of every record, for a process too far behind the kept changes. A store whose
   * version went back (its data lost: a flush, a failover) is taken as it is now: changes it no longer
   * has are undone here too.
   */
  private async applySnapshot(): Promise<void> {
    const snapshot = await this.options.changes.snapshot();
    const base = snapshot.version < this.applied ? 0 : this.applied;
    if (base === 0 && this.applied > 0) {
      this.options.logger.warn(
        { applied: this.applied, stored: snapshot.version },
        "the catalog's stored changes went back; taking them as they are now",
      );
      const undone = [...this.changed.keys()];
      this.changed.clear();
      this.reloadVersion = 0;
      for (const timer of this.timers.values()) clearTimeout(timer);
      this.timers.clear();
      for (const id of undone) this.refresh(id);
    }
    if (snapshot.reload && snapshot.reload.version > base) {
      this.cause = { version: snapshot.reload.version };
      await this.apply(snapshot.reload);
    }
    for (const change of snapshot.records) {
      if (change.version <= base) continue;
      this.cause = { version: change.version };
      this.applyRecord(change);
    }
    this.cause = undefined;
    this.applied = snapshot.version;
    this.tell();
  }

  private async apply(change: CatalogChange): Promise<void> {
    if (change.op === "reload") {
      this.reloadVersion = change.version;
      if (change.hash !== (this.filesHash ??= catalogHash(this.files))) await this.reloadFiles(change.hash);
    } else {
      this.applyRecord(change);
    }
  }

  private applyRecord(change: PutChange | RemoveChange): void {
    const id = change.op === "put" ? change.record.id : change.id;
    this.changed.set(id, change);
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    if (change.op === "put") this.schedule(id, change);
    this.refresh(id);
  }

  /** When a put next changes what is searched: it enters search (`from`), then leaves it after its expiry day. */
  private nextTransition(change: PutChange): number | undefined {
    const now = Date.now();
    const from = change.from ? Date.parse(change.from) : undefined;
    if (from !== undefined && from > now) return from;
    const end = change.record.expires ? Date.parse(`${change.record.expires}T23:59:59.999Z`) + 1 : undefined;
    return end !== undefined && end > now ? end : undefined;
  }

  /** Re-checks a change at its next transition, so an announcement enters search at its time and leaves it once expired. */
  private schedule(id: string, change: PutChange): void {
    const at = this.nextTransition(change);
    if (at === undefined) return;
    const timer = setTimeout(
      () => {
        this.timers.delete(id);
        if (this.changed.get(id) !== change) return;
        try {
          this.cause = { version: this.versionOf(change), enteredAt: new Date().toISOString() };
          this.refresh(id);
          this.cause = undefined;
          this.schedule(id, change);
          this.tell();
        } catch (error) {
          this.options.logger.error({ id, message: (error as Error).message }, "scheduled catalog change not applied");
        }
      },
      Math.min(at - Date.now(), MAX_TIMER_MS),
    );
    timer.unref();
    this.timers.set(id, timer);
  }

  /** The record searched under `id` now: its latest change when that is in effect, else the files' record. */
  private effective(id: string): CatalogRecord | undefined {
    const change = this.changed.get(id);
    const fromFiles = () => this.filesById.get(id);
    if (!change) return fromFiles();
    if (change.op === "remove") return undefined;
    if (change.from && Date.parse(change.from) > Date.now()) return fromFiles();
    // Past its expiry day it leaves the engine too (search hides it already), so it no longer counts.
    if (change.record.expires && Date.parse(`${change.record.expires}T23:59:59.999Z`) < Date.now()) return fromFiles();
    return change.record;
  }

  private refresh(id: string): void {
    const record = this.effective(id);
    if (!record) {
      if (this.search.get(id)) this.wentAway(id);
      this.search.remove(id);
    } else if (this.search.get(id) !== record) {
      this.search.put(record);
      this.wentLive(record);
    }
  }

  private wentLive(record: CatalogRecord): void {
    if (this.cause && this.listeners.size > 0) this.live.push({ record, ...this.cause });
  }

  /** The version a put was applied under (kept with the change by the store). */
  private versionOf(change: PutChange): number {
    return (change as PutChange & { version?: number }).version ?? this.applied;
  }

  /** Tells the listeners what went live since last time. */
  private wentAway(id: string): void {
    if (this.cause && this.goneListeners.size > 0) this.gone.push(id);
  }

  private tell(): void {
    const gone = this.gone;
    this.gone = [];
    for (const listener of gone.length ? this.goneListeners : []) {
      try {
        listener(gone);
      } catch (error) {
        this.options.logger.error({ message: (error as Error).message }, "a listener of records leaving search failed");
      }
    }
    const events = this.live;
    this.live = [];
    if (events.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(events);
      } catch (error) {
        this.options.logger.error({ message: (error as Error).message }, "a listener of records going live failed");
      }
    }
  }

  private async read(): Promise<{ ok: true; catalog: Catalog } | { ok: false; problems: string[] }> {
    let loaded;
    try {
      loaded = await loadCatalog(this.options.dir);
    } catch (error) {
      // Shown to the administrator: the folder and the system's error code, not an internal message.
      const code = (error as NodeJS.ErrnoException | undefined)?.code;
      return { ok: false, problems: [`${this.options.dir}: could not be read${code ? ` (${code})` : ""}`] };
    }
    return loaded.ok ? loaded : { ok: false, problems: loaded.problems.map(formatProblem) };
  }

  /** Another process (or this one) read the catalog files: read ours and apply the difference. */
  private async reloadFiles(announced: string): Promise<void> {
    const mine = this.lastRead?.hash === announced ? this.lastRead : undefined;
    this.lastRead = undefined;
    const read = mine ? { ok: true as const, catalog: mine.catalog } : await this.read();
    if (!read.ok) {
      this.options.logger.error(
        { dir: this.options.dir, problems: read.problems.slice(0, 5) },
        "catalog files not reloaded: they do not load here",
      );
      return;
    }
    const before = this.files;
    const after = keepUnchanged(before, read.catalog);
    this.files = after;
    this.filesById = new Map(after.records.map((r) => [r.id, r]));
    this.filesHash = catalogHash(after);
    if (this.filesHash !== announced)
      this.options.logger.warn(
        { dir: this.options.dir },
        "catalog files here differ from the ones another process reloaded",
      );
    if (!sameVocabularies(before, after)) {
      const records = [...new Set([...after.records.map((r) => r.id), ...this.changed.keys()])]
        .map((id) => this.effective(id))
        .filter((r): r is CatalogRecord => r !== undefined);
      const previous = new Map(records.map((r) => [r.id, this.search.get(r.id)]));
      this.search.replaceWith(SearchEngine.build({ ...after, records }, this.options.engineOptions));
      for (const record of records) if (previous.get(record.id) !== record) this.wentLive(record);
      this.options.logger.info(
        { records: this.search.size },
        "catalog reloaded and rebuilt (vocabularies, glossary or places changed)",
      );
      return;
    }
    const ids = new Set([...before.records.map((r) => r.id), ...after.records.map((r) => r.id)]);
    for (const id of ids) this.refresh(id);
    this.options.logger.info({ records: this.search.size }, "catalog reloaded");
  }

  private failed(error: unknown): void {
    this.options.logger.warn(
      { message: (error as Error).message },
      "catalog changes not applied yet; retrying with the next check",
    );
  }
}

/** Content hash of a catalog, so processes can tell whether they read the same files. */
export function catalogHash(catalog: Catalog): string {
  return createHash("sha256").update(JSON.stringify(catalog)).digest("hex").slice(0, 16);
}

/** The new catalog, where every record equal to the old one is the old object (so it is not re-indexed). */
function keepUnchanged(before: Catalog, after: Catalog): Catalog {
  const old = new Map(before.records.map((r) => [r.id, r]));
  const records = after.records.map((r) => {
    const previous = old.get(r.id);
    return previous && JSON.stringify(previous) === JSON.stringify(r) ? previous : r;
  });
  return { ...after, records };
}

function sameVocabularies(a: Catalog, b: Catalog): boolean {
  const rest = ({ records: _records, ...others }: Catalog) => JSON.stringify(others);
  return rest(a) === rest(b);
}
