/** One measured number of a benchmark, as printed by `npm run bench`. */
export type BenchResult = { name: string; value: number; unit: string; target?: string; baseline?: number; ratio?: number; ok?: boolean };
