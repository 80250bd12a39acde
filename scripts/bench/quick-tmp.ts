import { benchEngine, profile } from "@/scripts/bench/engine-bench";
import { renderTable } from "@/scripts/bench/index";
console.log(renderTable(await benchEngine()));
console.log([...profile.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15).map(([k, v]) => `${k} n=${v.n} ms=${v.ms.toFixed(0)} avg=${(v.ms / v.n).toFixed(2)}`).join("\n"));
