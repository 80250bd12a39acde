/**
 * The simulated pbx_spool (docs/asterisk.md, "Call files"): the pending queue with its
 * (path, time) dedupe, processing of due files, the bookkeeping lines and utime updates, and removal with
 * `Status:` when archiving.
 *
 * Finding files. Linux Asterisk uses inotify and reacts differently to IN_MOVED_TO (queue at
 * once) and IN_CREATE/IN_CLOSE_WRITE (queue at first close). Node's fs.watch reports both as
 * a bare 'rename' event, so the simulator approximates: a 'rename' event for a name that is
 * now a regular file with an inode not seen before is treated as a move-in and queued (mtime
 * read once, at that moment), after a short settle so a file written in place has usually
 * been closed. A start-up scan (1 s after start, like "fully booted") queues what is already
 * there, and a periodic rescan queues only files never seen (name + inode), as a safety net
 * for lost watch events; it never re-reads the mtime of a file it already queued. Our own
 * appends and utime calls are 'change' events and are ignored, as Asterisk ignores its own
 * IN_OPEN/IN_CLOSE_WRITE.
 *
 * Timing. The scan thread's checks run at whole seconds; at the same millisecond the dial
 * timers of running attempts win (order 1 for scan timers), because Asterisk's poll wakes no
 * earlier than the second while the dial timeout is exact: this is what makes a retry check
 * that coincides with a ringing attempt write `DelayedRetry` (golden
 * expired-after-retry-with-delayed.call) only when the attempt started mid-second.
 */
import {
  appendFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  watch,
  type FSWatcher,
} from "node:fs";
import path from "node:path";
import type { SimClock, TimerHandle } from "./clock";
import { type Outgoing, defaultOutgoing, parseCallFile } from "./call-file";
import { errnoNumber, strerror } from "./errno";

export type SpoolStatus = "Completed" | "Expired" | "Failed";

export type SpoolLog = (level: "debug" | "notice" | "warning" | "error" | "verbose", message: string) => void;

export type SpoolEngineOptions = {
  clock: SimClock;
  pid: number;
  spoolDir: string;
  log: SpoolLog;
  /** Starts the attempt's "thread"; must call `attemptEnded` when the call is over. */
  launchAttempt: (file: string, o: Outgoing, attempt: number) => void;
  onLine?: (file: string, line: string) => void;
  onRemoved?: (file: string, status: SpoolStatus, archivedTo: string | null) => void;
  /** Files for which this returns true are never queued (fault injection: a lost file). */
  forget?: (name: string) => boolean;
  /** Simulated time each file read/process takes (fault injection: slow disk). */
  slowDiskMs?: number;
  watch?: boolean;
  rescanMs?: number;
};

type Pending = { file: string; time: number };

export class SpoolEngine {
  readonly outgoingDir: string;
  readonly doneDir: string;
  private pending: Pending[] = [];
  private scanTimer: TimerHandle | undefined;
  private timers = new Set<TimerHandle>();
  private watcher: FSWatcher | undefined;
  private rescanInterval: NodeJS.Timeout | undefined;
  private readonly seen = new Map<string, number>();
  private stopped = false;
  private booted = false;

  constructor(private readonly o: SpoolEngineOptions) {
    this.outgoingDir = path.join(o.spoolDir, "outgoing");
    this.doneDir = path.join(o.spoolDir, "outgoing_done");
  }

  start(): void {
    mkdirSync(this.outgoingDir, { recursive: true });
    // "Fully booted": nothing is queued before the first scan, about a second after start (docs/asterisk.md#pickup-and-scheduling).
    this.at(this.o.clock.now() + 1000, () => {
      this.booted = true;
      this.rescan();
    });
    if (this.o.watch !== false) {
      this.watcher = watch(this.outgoingDir, (event, name) => {
        if (event !== "rename" || !name || this.stopped) return;
        // Real time, not sim time: the settle is about the writer closing its file.
        setTimeout(() => this.noticeFile(String(name)), 25);
      });
      this.watcher.on("error", (err) => this.o.log("warning", `watch on ${this.outgoingDir} failed: ${err.message}`));
    }
    // Wall-clock period: a safety net for lost watch events must not speed up with `speed`.
    const every = this.o.rescanMs ?? 2000;
    if (every > 0) {
      this.rescanInterval = setInterval(() => this.rescan(), every);
      this.rescanInterval.unref();
    }
  }

  /** Stops every timer and the watcher; files are left exactly as they are. */
  stop(): void {
    this.stopped = true;
    this.watcher?.close();
    clearInterval(this.rescanInterval);
    for (const t of this.timers) this.o.clock.clearTimer(t);
    this.timers.clear();
    this.o.clock.clearTimer(this.scanTimer);
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /** Pending (path, time) entries, for tests and diagnostics. */
  pendingEntries(): Array<{ name: string; time: number }> {
    return this.pending.map((p) => ({ name: path.basename(p.file), time: p.time }));
  }

  /** Queues every regular file in outgoing/ not seen before (startup scan and safety net). */
  rescan(): void {
    if (this.stopped) return;
    this.booted = true;
    let names: string[];
    try {
      names = readdirSync(this.outgoingDir);
    } catch (err) {
      this.o.log("warning", `Unable to read ${this.outgoingDir}: ${(err as Error).message}`);
      return;
    }
    for (const name of names.sort()) this.noticeFile(name);
  }

  /** A name appeared in outgoing/ (watch event or scan): queue it unless already seen. */
  noticeFile(name: string): void {
    // Before boot, watch events are dropped: the boot scan reads the whole directory anyway.
    if (this.stopped || !this.booted) return;
    const file = path.join(this.outgoingDir, name);
    let ino: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) return;
      ino = st.ino;
    } catch {
      return;
    }
    if (this.seen.get(name) === ino) return;
    this.seen.set(name, ino);
    if (this.o.forget?.(name)) {
      this.o.log("debug", `fault injection: forgetting ${name}`);
      return;
    }
    this.queueFile(file, 0);
  }

  /** `queue_file(name, when)`: when = 0 reads the mtime now. */
  queueFile(file: string, when: number): void {
    if (this.stopped) return;
    let time = when;
    if (time === 0) {
      try {
        const st = statSync(file);
        if (!st.isFile()) return;
        time = Math.floor(st.mtimeMs / 1000);
      } catch {
        return;
      }
    }
    if (this.pending.some((p) => p.file === file && p.time === time)) return;
    if (time > this.nowSeconds()) {
      this.insert({ file, time });
      return;
    }
    this.withDisk(() => {
      const next = this.processFile(file);
      if (next > 0) this.addEntry(file, next);
    });
  }

  private addEntry(file: string, time: number): void {
    if (this.pending.some((p) => p.file === file && p.time === time)) return;
    this.insert({ file, time });
  }

  private insert(entry: Pending): void {
    const idx = this.pending.findIndex((p) => p.time > entry.time);
    if (idx === -1) this.pending.push(entry);
    else this.pending.splice(idx, 0, entry);
    this.armScan();
  }

  private armScan(): void {
    this.o.clock.clearTimer(this.scanTimer);
    this.scanTimer = undefined;
    const first = this.pending[0];
    if (!first || this.stopped) return;
    this.scanTimer = this.o.clock.setTimer(first.time * 1000, () => this.runDue(), 1);
  }

  private runDue(): void {
    this.scanTimer = undefined;
    const now = this.nowSeconds();
    while (this.pending.length && this.pending[0]!.time <= now && !this.stopped) {
      const entry = this.pending.shift()!;
      this.withDisk(() => {
        const next = this.processFile(entry.file);
        if (next > 0) this.addEntry(entry.file, next);
      });
    }
    this.armScan();
  }

  private withDisk(fn: () => void): void {
    const delay = this.o.slowDiskMs ?? 0;
    if (delay > 0) this.at(this.o.clock.now() + delay, fn);
    else fn();
  }

  private at(time: number, fn: () => void): void {
    if (this.stopped) return;
    const handle = this.o.clock.setTimer(time, () => {
      this.timers.delete(handle);
      if (!this.stopped) fn();
    });
    this.timers.add(handle);
  }

  private nowSeconds(): number {
    return Math.floor(this.o.clock.now() / 1000);
  }

  /** Processes a due file (docs/asterisk.md#attempts-and-retry-lines); returns the time of the next check, or 0. */
  processFile(file: string): number {
    if (this.stopped) return 0;
    const name = path.basename(file);
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return 0;
      // scan_service (pbx/pbx_spool.c): "Unable to open %s: '%s'(%d), deleting".
      const e = err as NodeJS.ErrnoException;
      this.o.log("warning", `Unable to open ${file}: '${strerror(e)}'(${errnoNumber(e)}), deleting`);
      this.remove(file, defaultOutgoing(), "Failed");
      return 0;
    }
    const parsed = parseCallFile(bytes);
    // apply_outgoing (pbx/pbx_spool.c) names the line of a bad entry, and the file (o->fn,
    // the full path) when the whole file lacks a channel or an app/extension.
    for (const note of parsed.notes) {
      this.o.log(
        note.level,
        note.line > 0 ? `${note.message} at line ${note.line} of ${file}` : `${note.message} in file ${file}`,
      );
    }
    const o = parsed.outgoing;
    if (!parsed.valid) {
      this.o.log("warning", `Invalid file contents in ${file}, deleting`);
      this.remove(file, o, "Failed");
      return 0;
    }
    const now = this.nowSeconds();
    if (o.used > o.maxRetries) {
      this.logExpired(o, o.used);
      this.remove(file, o, "Expired");
      return 0;
    }
    const next = now + o.retryTime;
    if (o.callingPid !== 0 && o.callingPid === this.o.pid) {
      this.append(file, o, "DelayedRetry", o.used, now);
      this.o.log("debug", `Delaying retry since we're currently running '${name}'`);
      return next;
    }
    const attempt = o.used + 1;
    if (o.callingPid !== 0) this.append(file, o, "AbortRetry", attempt, now);
    this.append(file, o, "StartRetry", attempt, next);
    this.o.launchAttempt(file, o, attempt);
    return next;
  }

  /**
   * `Queued call to <tech>/<dest> expired without completion after N attempt(s)`, as both
   * scan_service and attempt_thread (pbx/pbx_spool.c) print it: N is `o->retries - 1`, where
   * `o->retries` counts the attempts including the last one. So a file with MaxRetries 0 that
   * failed once says "after 0 attempts", MaxRetries 2 after three failures "after 2 attempts":
   * Asterisk prints the retries, not the attempts. Plural unless N is exactly 1.
   */
  private logExpired(o: Outgoing, retries: number): void {
    const n = retries - 1;
    this.o.log("notice", `Queued call to ${o.tech}/${o.dest} expired without completion after ${n} attempt${n !== 1 ? "s" : ""}`);
  }

  /**
   * Called by the attempt when its call is over (answered call ended, or dial failed; for a
   * Context/Extension file the `failed` extension has already run: ast_pbx_outgoing_exten_predial
   * runs it before returning to attempt_thread). `reason` is the dial's REASON.
   */
  attemptEnded(file: string, o: Outgoing, attempt: number, answered: boolean, reason = 0): void {
    if (this.stopped) return;
    if (answered) {
      this.o.log("notice", `Call completed to ${o.tech}/${o.dest}`);
      this.remove(file, o, "Completed");
      return;
    }
    this.o.log("notice", `Call failed to go through, reason (${reason}) ${reasonToString(reason)}`);
    if (attempt >= o.maxRetries + 1) {
      this.logExpired(o, attempt);
      this.remove(file, o, "Expired");
      return;
    }
    const now = this.nowSeconds();
    this.append(file, o, "EndRetry", attempt, now);
    this.queueFile(file, now + o.retryTime);
  }

  /** `\n<Word>: <pid> <n> (<time>)\n`, then atime = time, mtime = time + R (even if the append failed). */
  private append(file: string, o: Outgoing, word: string, n: number, time: number): void {
    const line = `${word}: ${this.o.pid} ${n} (${time})`;
    try {
      appendFileSync(file, `\n${line}\n`);
      // Our own append re-creates a deleted file with a new inode; do not mistake it for a new call file.
      this.seen.set(path.basename(file), statSync(file).ino);
      this.o.onLine?.(path.basename(file), line);
    } catch (err) {
      this.o.log("debug", `append to ${file} failed: ${(err as Error).message}`);
    }
    try {
      utimesSync(file, time, time + o.retryTime);
    } catch (err) {
      this.o.log("warning", `Unable to set utime on ${file}: ${(err as Error).message}`);
    }
  }

  /** `remove_from_queue` (docs/asterisk.md#archive-and-status-line). */
  private remove(file: string, o: Outgoing, status: SpoolStatus): void {
    if (!o.alwaysDelete) {
      try {
        if (Math.floor(statSync(file).mtimeMs / 1000) > this.nowSeconds()) return;
      } catch {
        // Gone already: nothing to keep.
      }
    }
    const idx = this.pending.findIndex((p) => p.file === file);
    if (idx !== -1) {
      this.pending.splice(idx, 1);
      this.armScan();
    }
    const name = path.basename(file);
    this.seen.delete(name);
    if (!o.archive) {
      tryUnlink(file);
      this.o.onRemoved?.(name, status, null);
      return;
    }
    try {
      mkdirSync(this.doneDir, { recursive: true });
    } catch {
      tryUnlink(file);
      this.o.onRemoved?.(name, status, null);
      return;
    }
    const target = path.join(this.doneDir, name);
    tryUnlink(target);
    try {
      renameSync(file, target);
    } catch {
      tryUnlink(file);
      this.o.onRemoved?.(name, status, null);
      return;
    }
    appendFileSync(target, `Status: ${status}\n`);
    this.o.onRemoved?.(name, status, target);
  }
}

function tryUnlink(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // ENOENT and friends: Asterisk ignores unlink failures too.
  }
}

/** `ast_channel_reason2str` (main/channel.c): the text after "Call failed to go through, reason (N)". */
export function reasonToString(reason: number): string {
  switch (reason) {
    case 0:
      return "Call Failure (not BUSY, and not NO_ANSWER, maybe Circuit busy or down?)";
    case 1:
      return "Hangup";
    case 2:
      return "Local Ring";
    case 3:
      return "Remote end Ringing";
    case 4:
      return "Remote end has Answered";
    case 5:
      return "Remote end is Busy";
    case 8:
      return "Congestion (circuits busy)";
    default:
      return "Unknown Reason!!";
  }
}
