/** The app's start mode as the configuration chose it ("console", "polling", "webhook"); reported, never interpreted. */
type Mode = string;

/** What /healthz looks at: the size of the served catalog and, with Redis state, whether Redis answers. */
export interface HealthSources {
  search: { readonly size: number };
  state: { readonly kind: "memory" | "redis"; ping(): Promise<boolean> };
}

/** What /healthz says while the bot is starting (waiting for Redis or Telegram): 503, so no traffic is sent yet. */
export interface StartingReport {
  status: "starting";
  mode: Mode;
}

export type HealthReport = ServingReport | StartingReport;

export interface ServingReport {
  status: "ok" | "unavailable";
  mode: Mode;
  /** Records the search engine serves. */
  records: number;
  state: "memory" | "redis";
  /** Only with Redis state: whether it answered PING in time. */
  redis?: "ok" | "unreachable";
}

/** How long /healthz waits for Redis before calling it unreachable (a health check must answer fast). */
export const HEALTH_PING_TIMEOUT_MS = 1500;

export async function healthCheck(
  app: { mode: Mode; deps: HealthSources },
  timeoutMs = HEALTH_PING_TIMEOUT_MS,
): Promise<ServingReport> {
  const { search, state } = app.deps;
  const report: ServingReport = { status: "ok", mode: app.mode, records: search.size, state: state.kind };
  if (state.kind === "redis") {
    const up = await withTimeout(state.ping(), timeoutMs, false);
    report.redis = up ? "ok" : "unreachable";
    if (!up) report.status = "unavailable";
  }
  return report;
}

function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  return Promise.race([promise.catch(() => fallback), timeout]).finally(() => clearTimeout(timer));
}
