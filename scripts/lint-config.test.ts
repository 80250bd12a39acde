/**
 * The lint rules that keep the architecture (.oxlintrc.json) really fire: each case writes a
 * small probe module where the rule applies, runs oxlint with the project's config on it, and
 * expects the rule's error. A rule switched off, or an override whose glob stops matching,
 * fails here instead of silently letting a layering breach through.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const probeName = `zz-lint-probe-${process.pid}`;
const probeDirs: string[] = [];

function probe(folder: "lib" | "components", files: Record<string, string>): string {
  const dir = path.join(root, folder, probeName);
  mkdirSync(dir, { recursive: true });
  probeDirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return path.relative(root, dir);
}

/** oxlint's diagnostics for the given paths, with the project's config (exit status ignored). */
function lint(...paths: string[]): string {
  try {
    return execFileSync(path.join(root, "node_modules", ".bin", "oxlint"), ["-c", ".oxlintrc.json", ...paths], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
    });
  } catch (err) {
    return String((err as { stdout?: string }).stdout ?? err);
  }
}

afterAll(() => {
  for (const dir of probeDirs) rmSync(dir, { recursive: true, force: true });
});

describe("architecture lint rules", () => {
  it("refuses an import cycle", () => {
    const dir = probe("lib", {
      "cycle-a.ts": 'import { b } from "./cycle-b";\nexport const a = (): unknown => b;\n',
      "cycle-b.ts": `import { a } from "@/lib/${probeName}/cycle-a";\nexport const b = (): unknown => a;\n`,
    });
    expect(lint(dir)).toMatch(/import\(no-cycle\): Dependency cycle detected/);
  });

  it("refuses next/*, react, app/ and components/ imports in lib/", () => {
    const dir = probe("lib", {
      "framework.ts": [
        'import { redirect } from "next/navigation";',
        'import { useState } from "react";',
        'import { Button } from "@/components/ui/button";',
        'import { signInAction } from "../../app/(auth)/actions";',
        "export const all = [redirect, useState, Button, signInAction];",
        "",
      ].join("\n"),
    });
    const out = lint(dir);
    for (const spec of ["next/navigation", "react", "@/components/ui/button", "../../app/(auth)/actions"]) {
      expect(out).toContain(`'${spec}' import is restricted`);
    }
    expect(out).toContain("lib/ is framework-free");
  });

  it("lets the two documented adapters in lib/ use Next.js", () => {
    expect(lint("lib/auth/current-user.ts", "lib/actions/authorized-action.ts")).not.toContain("no-restricted-imports");
  });

  it("refuses an app/ import in components/", () => {
    const dir = probe("components", {
      "uses-app.tsx": 'import { signInAction } from "@/app/(auth)/actions";\nexport const x = signInAction;\n',
    });
    expect(lint(dir)).toContain("components/ never imports from app/");
  });
});
