/** One measured number of `npm run bench`. `ratio` = baseline / value (higher is better). */
export type BenchResult = { name: string; value: number; unit: string; target?: string; baseline?: number; ratio?: number; ok?: boolean };
