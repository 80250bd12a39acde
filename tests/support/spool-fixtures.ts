/** Shared by the local and SFTP spool transport tests. */
import { readdirSync } from "node:fs";
import { SpoolError } from "@/lib/spool/types";

/** Sorted entries of a directory, or none when it does not exist. */
export function ls(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** A valid call file scheduled in the future. */
export const FILE = {
  name: "spoolcast-ck1-1.call",
  content: "Channel: Local/1@c\nExtension: s\nArchive: yes\n",
  scheduledAt: new Date("2031-01-02T03:04:05.000Z"),
};

/** The SpoolError a promise rejects with; anything else fails the test. */
export async function failure(p: Promise<unknown>): Promise<SpoolError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SpoolError) return e;
    throw e;
  }
  throw new Error("expected a SpoolError");
}
