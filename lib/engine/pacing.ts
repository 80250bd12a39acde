/**
 * Originations per second for one host, counted per whole second of the files' mtimes (the
 * moment Asterisk starts them; mtimes fall on whole seconds, docs/asterisk.md#pickup-and-scheduling). A token bucket with a
 * one-second window that also covers files spooled early with a future mtime: a burst of
 * wake-ups for 07:00 is spread over 07:00:00, :01, … instead of all starting at once.
 */
export class RateSlots {
  private readonly slots = new Map<number, number>();

  constructor(private perSecond: number) {}

  setLimit(perSecond: number): void {
    this.perSecond = Math.max(1, perSecond);
  }

  /** Counts files already placed (e.g. found in outgoing/ after a restart). */
  seed(second: number): void {
    this.slots.set(second, (this.slots.get(second) ?? 0) + 1);
  }

  /** Takes a slot in the first second in [from, until] with room; null when all are full. */
  reserve(from: number, until: number): number | null {
    for (let s = from; s <= until; s++) {
      const used = this.slots.get(s) ?? 0;
      if (used < this.perSecond) {
        this.slots.set(s, used + 1);
        return s;
      }
    }
    return null;
  }

  /** Gives back a slot whose file was never placed. */
  release(second: number): void {
    const used = this.slots.get(second) ?? 0;
    if (used <= 1) this.slots.delete(second);
    else this.slots.set(second, used - 1);
  }

  /** Forgets seconds before `second`. */
  prune(second: number): void {
    for (const s of this.slots.keys()) if (s < second) this.slots.delete(s);
  }
}
