import { spawnSync } from "node:child_process";

/** One benchmark measurement, as every bench module returns it and `npm run bench` prints it. */
export type BenchResult = {
  name: string;
  value: number;
  unit: string;
  /** Human-readable target, e.g. ">= 2000 files/s". */
  target?: string;
  /** The naive approach measured in the same run. */
  baseline?: number;
  /** value / baseline. */
  ratio?: number;
  /** Whether the target was met. */
  ok?: boolean;
};

/**
 * Flushes the page cache's dirty pages (sync(1)) so a timed section does not pay for the
 * writeback of files an earlier benchmark or its own setup wrote (100,000 archives leave
 * hundreds of MB in flight, and every fsync of the section would queue behind them).
 */
export function settleDisk(): void {
  spawnSync("sync", { stdio: "ignore" });
}
