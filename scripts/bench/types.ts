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
