// Exit 0 when node_modules holds exactly the versions package-lock.json pins for every direct
// dependency, 1 otherwise. bootstrap.sh uses it instead of comparing file times: a git
// checkout gives package-lock.json a fresh mtime even when nothing changed, which made every
// new worktree or clone reinstall (or fail to) for no reason.
import { readFileSync } from "node:fs";

const read = (file) => JSON.parse(readFileSync(file, "utf8"));
const lock = read("package-lock.json");
const pkg = read("package.json");
const stale = [];
for (const name of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })) {
  const wanted = lock.packages?.[`node_modules/${name}`]?.version;
  let installed;
  try {
    installed = read(`node_modules/${name}/package.json`).version;
  } catch {
    installed = undefined;
  }
  if (!wanted || wanted !== installed) stale.push(`${name} (locked ${wanted ?? "?"}, installed ${installed ?? "none"})`);
}
if (stale.length) {
  console.log(`  npm dependencies out of date: ${stale.slice(0, 5).join(", ")}${stale.length > 5 ? ", …" : ""}`);
  process.exit(1);
}
