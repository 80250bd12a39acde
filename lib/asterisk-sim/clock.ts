/**
 * The simulator's clock. Everything in the simulator that depends on time (ring timeouts,
 * retry checks, playback, callee DTMF, the timestamps Asterisk writes) goes through a
 * `SimClock`, so tests can run in virtual time and the CLI can compress real time.
 */

export type TimerHandle = { readonly id: number };

export type SimClock = {
  /** Milliseconds since the epoch, as the simulated Asterisk sees them. */
  now(): number;
  /**
   * Runs `fn` when the clock reaches `at` (epoch ms). At equal times, timers with a lower
   * `order` run first, then in creation order.
   */
  setTimer(at: number, fn: () => void, order?: number): TimerHandle;
  clearTimer(handle: TimerHandle | undefined): void;
};

/** Whole seconds, as `time(NULL)` gives them to Asterisk. */
export function epochSeconds(clock: SimClock): number {
  return Math.floor(clock.now() / 1000);
}

type VirtualTimer = { id: number; at: number; order: number; seq: number; fn: () => void };

/**
 * A clock that moves only when told to. `advanceTo` fires due timers one at a time in time
 * order and lets promise continuations and pending I/O callbacks run between them, so async
 * code driven by the clock behaves as it would in real time, deterministically.
 */
export class VirtualClock implements SimClock {
  private current: number;
  private timers: VirtualTimer[] = [];
  private nextId = 1;
  private seq = 0;

  constructor(startMs: number) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimer(at: number, fn: () => void, order = 0): TimerHandle {
    const timer: VirtualTimer = { id: this.nextId++, at: Math.max(at, this.current), order, seq: this.seq++, fn };
    this.timers.push(timer);
    return { id: timer.id };
  }

  clearTimer(handle: TimerHandle | undefined): void {
    if (!handle) return;
    this.timers = this.timers.filter((t) => t.id !== handle.id);
  }

  /** Number of timers still armed. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves the clock forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): Promise<void> {
    return this.advanceTo(this.current + ms);
  }

  async advanceTo(target: number): Promise<void> {
    await settle();
    for (;;) {
      const next = this.earliest();
      if (!next || next.at > target) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.current = next.at;
      next.fn();
      await settle();
    }
    this.current = Math.max(this.current, target);
    await settle();
  }

  private earliest(): VirtualTimer | undefined {
    let best: VirtualTimer | undefined;
    for (const t of this.timers) {
      if (!best || t.at < best.at || (t.at === best.at && (t.order < best.order || (t.order === best.order && t.seq < best.seq))))
        best = t;
    }
    return best;
  }
}

/** Lets queued promise continuations and already-arrived I/O callbacks run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Real time, optionally compressed: simulated time runs `speed` times faster than the wall
 * clock, starting from `startMs` (default: now). `speed: 10` makes a 30 s ring take 3 s.
 */
export class RealClock implements SimClock {
  private readonly origin = performance.now();
  private readonly start: number;
  private readonly handles = new Map<number, NodeJS.Timeout>();
  private nextId = 1;

  constructor(
    private readonly speed = 1,
    startMs?: number,
  ) {
    if (!(speed > 0)) throw new Error(`speed: must be a positive number, got ${speed}`);
    this.start = startMs ?? Date.now();
  }

  now(): number {
    return Math.floor(this.start + (performance.now() - this.origin) * this.speed);
  }

  setTimer(at: number, fn: () => void): TimerHandle {
    const id = this.nextId++;
    const delay = Math.max(0, (at - this.now()) / this.speed);
    const timeout = setTimeout(() => {
      this.handles.delete(id);
      fn();
    }, delay);
    this.handles.set(id, timeout);
    return { id };
  }

  clearTimer(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const timeout = this.handles.get(handle.id);
    if (timeout) clearTimeout(timeout);
    this.handles.delete(handle.id);
  }
}
