/** One line of `npm run bench`. `ratio` = value / baseline; `ok` = the target was met. */
export type BenchResult = {
  name: string;
  value: number;
  unit: string;
  target?: string;
  baseline?: number;
  ratio?: number;
  ok?: boolean;
};
