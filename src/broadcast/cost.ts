// What paid broadcasting costs. Telegram's rule (Bot API, "Paid Broadcasts"): each message broadcast over
// the free 30 a second costs 0.1 Star, and only messages delivered successfully are charged. So in every
// second of a broadcast the first 30 messages are free and the others are billed.
import { FREE_BROADCAST_PER_SECOND, STARS_PER_PAID_MESSAGE } from "./config.js";

/**
 * The most messages a broadcast to `recipients` chats can be billed for at `ratePerSecond`: the engine
 * sends `ratePerSecond` messages in each full second and the rest in a last one, the first 30 of each
 * second free. An upper bound: chats that blocked the bot or fail are not charged.
 */
export function estimateBilledMessages(
  recipients: number,
  ratePerSecond: number,
  freePerSecond = FREE_BROADCAST_PER_SECOND,
): number {
  const count = Math.max(0, Math.floor(recipients));
  const perSecond = Math.floor(ratePerSecond);
  if (count === 0 || perSecond <= freePerSecond) return 0;
  const fullSeconds = Math.floor(count / perSecond);
  return fullSeconds * (perSecond - freePerSecond) + Math.max(0, (count % perSecond) - freePerSecond);
}

/** Stars for billed messages, exact to the tenth (0.1 Star each). */
export function starsFor(billedMessages: number): number {
  return Math.round(billedMessages * STARS_PER_PAID_MESSAGE * 10) / 10;
}

/**
 * Counts messages per second of the clock, as Telegram bills them: `add()` for each message delivered,
 * true when it is over the free allowance of its second (so billed when it was sent as a paid broadcast).
 */
export class SecondCounter {
  private second = -1;
  private count = 0;

  constructor(private readonly freePerSecond = FREE_BROADCAST_PER_SECOND) {}

  add(now = Date.now()): boolean {
    const second = Math.floor(now / 1000);
    if (second !== this.second) {
      this.second = second;
      this.count = 0;
    }
    this.count += 1;
    return this.count > this.freePerSecond;
  }
}
