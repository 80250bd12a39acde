/**
 * The repository stands on its own: a fresh clone with nothing beside it has every document
 * the code points to. Fails when a file mentions the design notes that once lived outside the
 * repository, when one of the five docs/ files is missing, or when a comment points at a
 * docs/ section (`docs/asterisk.md#call-file-grammar`) whose heading does not exist.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const SOURCE_DIRS = ["app", "lib", "components", "scripts", "tests", "e2e"];
/** Generated or installed trees: not ours to check. */
const SKIP_DIRS = new Set(["node_modules", "generated", ".next"]);
const DOCS = ["architecture.md", "asterisk.md", "operations.md", "reliability.md", "benchmarks.md"];

// Built from parts so that this file does not match its own search.
const NEEDLES = [
  [".", "./sha", "red"].join(""),
  ["asterisk", "-spec", ".md"].join(""),
  ["DES", "IGN", ".md"].join(""),
  ["STY", "LE", ".md"].join(""),
];

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...filesUnder(full));
    } else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** Every file the rule covers: the source trees, plus the documents that replace the notes. */
function checkedFiles(): string[] {
  return [
    ...SOURCE_DIRS.flatMap((d) => filesUnder(path.join(ROOT, d))),
    ...filesUnder(path.join(ROOT, "docs")),
    path.join(ROOT, "README.md"),
  ].filter((f) => existsSync(f) && statSync(f).size < 5_000_000);
}

/** GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to hyphens. */
function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, "")
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
}

function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    const m = !fenced && /^#{1,6} (.+?)\s*$/.exec(line);
    if (m) anchors.add(headingAnchor(m[1]!));
  }
  return anchors;
}

describe("the repository stands alone", () => {
  it("names no document from outside the repository", () => {
    const offenders: string[] = [];
    for (const file of checkedFiles()) {
      const text = readFileSync(file, "latin1");
      for (const needle of NEEDLES) if (text.includes(needle)) offenders.push(`${path.relative(ROOT, file)}: ${needle}`);
    }
    expect(offenders).toEqual([]);
  });

  it("has the five documents in docs/", () => {
    const missing = DOCS.filter((d) => !existsSync(path.join(ROOT, "docs", d)));
    expect(missing).toEqual([]);
  });

  it("points only at docs/ sections that exist", () => {
    const docs = readdirSync(path.join(ROOT, "docs")).filter((d) => d.endsWith(".md"));
    const anchors = new Map(docs.map((d) => [d, anchorsOf(readFileSync(path.join(ROOT, "docs", d), "utf8"))]));
    const broken: string[] = [];
    for (const file of checkedFiles()) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/docs\/([a-z-]+\.md)#([\p{L}\p{N}_-]+)/gu)) {
        const known = anchors.get(m[1]!);
        if (!known?.has(m[2]!)) broken.push(`${path.relative(ROOT, file)}: docs/${m[1]}#${m[2]}`);
      }
    }
    // Markdown links between the documents: `](asterisk.md#rule)` and `](#rule)` inside docs/.
    for (const doc of docs) {
      const text = readFileSync(path.join(ROOT, "docs", doc), "utf8");
      for (const m of text.matchAll(/\]\(([a-z-]+\.md)?#([\p{L}\p{N}_-]+)\)/gu)) {
        const target = m[1] ?? doc;
        if (!anchors.get(target)?.has(m[2]!)) broken.push(`docs/${doc}: ${target}#${m[2]}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("derives heading anchors the way GitHub does", () => {
    expect(headingAnchor("Call files (pbx_spool)")).toBe("call-files-pbx_spool");
    expect(headingAnchor("Where does X live?")).toBe("where-does-x-live");
    expect(headingAnchor("The `P` reply limit")).toBe("the-p-reply-limit");
  });
});
