/**
 * Call-file placement throughput: 10,000 files through the local transport (temp file,
 * fsync, mtime, rename, directory fsync) and through the SFTP transport to a real sshd on
 * loopback, each against a naive baseline measured in the same run (plain writeFile straight
 * into outgoing/, locally and over one SFTP connection). Targets: local >= 2,000 files/s,
 * SFTP >= 300 files/s. Run directly with `npx tsx scripts/bench/callfile-bench.ts [files]`.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { open, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import SftpClient from "ssh2-sftp-client";
import { serializeCallFile } from "@/lib/callfile/serialize";
import { callFileName } from "@/lib/callfile/types";
import { createLocalTransport } from "@/lib/spool/local";
import { createSftpTransport } from "@/lib/spool/sftp";
import type { SpoolTransport } from "@/lib/spool/types";
import { startSshd } from "@/tests/support/sshd-server";
import { type BenchResult, settleDisk } from "./types";

const CONCURRENCY = 64;
const LOCAL_TARGET = 2_000;
const SFTP_TARGET = 300;

type Job = { name: string; content: string; scheduledAt: Date };

function makeJobs(files: number, run: string): Job[] {
  const scheduledAt = new Date(Date.now() + 3_600_000);
  return Array.from({ length: files }, (_, i) => {
    const callId = `c${run}${i.toString(36)}`;
    return {
      name: callFileName(callId, 1),
      scheduledAt,
      content: serializeCallFile({
        channel: `PJSIP/+1555${String(i).padStart(7, "0")}@trunk`,
        callerId: { name: "Spoolcast Bench", number: "1000" },
        application: "ExternalIVR",
        data: `ivr://127.0.0.1:2949(${callId},abcdefghijklmnopqrstuv)`,
        maxRetries: 2,
        retryTime: 60,
        waitTime: 30,
        variables: [
          ["SPOOLCAST_CALL", callId],
          ["SPOOLCAST_TOKEN", "abcdefghijklmnopqrstuv"],
        ],
      }),
    };
  });
}

/** Runs `fn` over all jobs with a fixed number in flight; returns files per second. */
async function measure(jobs: Job[], fn: (job: Job) => Promise<unknown>): Promise<number> {
  let next = 0;
  settleDisk();
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, jobs.length) }, async () => {
      while (next < jobs.length) await fn(jobs[next++]!);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return jobs.length / seconds;
}

function freshSpool(root: string, label: string): string {
  const dir = path.join(root, label);
  mkdirSync(path.join(dir, "outgoing"), { recursive: true });
  return dir;
}

function expectPlaced(dir: string, files: number): void {
  const count = readdirSync(path.join(dir, "outgoing")).length;
  if (count !== files) throw new Error(`benchmark placed ${count} of ${files} files in ${dir}`);
}

const rate = (v: number) => Math.round(v);

export async function benchCallFiles(opts: { files?: number; only?: "local" | "sftp" } = {}): Promise<BenchResult[]> {
  const files = opts.files ?? 10_000;
  const only = opts.only ?? (process.env.SPOOLCAST_BENCH_CALLFILE as "local" | "sftp" | undefined);
  const root = mkdtempSync(path.join(os.tmpdir(), "callfile-bench-"));
  const results: BenchResult[] = [];
  try {
    if (only !== "sftp") await benchLocal(root, files, results);
    if (only !== "local") await benchSftp(files, results);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return results;
}

async function benchLocal(root: string, files: number, results: BenchResult[]): Promise<void> {
  // The disk's own limit for one fsync per file, measured the same way (no rename, no mtime).
  const rawDir = freshSpool(root, "raw");
  const raw = await measure(makeJobs(files, "r"), async (j) => {
    const h = await open(path.join(rawDir, "outgoing", j.name), "wx");
    try {
      await h.writeFile(j.content);
      await h.sync();
    } finally {
      await h.close();
    }
  });

  // Local: naive writeFile into outgoing/ vs. the transport.
  const naiveDir = freshSpool(root, "naive");
  const naive = await measure(makeJobs(files, "n"), (j) => writeFile(path.join(naiveDir, "outgoing", j.name), j.content));
  expectPlaced(naiveDir, files);

  const localDir = freshSpool(root, "local");
  const local = createLocalTransport({ spoolDir: localDir, uid: process.getuid?.(), gid: process.getgid?.() });
  const localRate = await measure(makeJobs(files, "l"), (j) => local.write(j));
  expectPlaced(localDir, files);
  await local.close();
  results.push(
    { name: "callfile.local.naive-writefile", value: rate(naive), unit: "files/s" },
    {
      name: "callfile.local.raw-write-fsync",
      value: rate(raw),
      unit: "files/s",
      target: "disk ceiling: open + write + fsync per file",
    },
    {
      name: "callfile.local.transport",
      value: rate(localRate),
      unit: "files/s",
      target: `>= ${LOCAL_TARGET} files/s (tmp + fsync + mtime + rename + dir fsync)`,
      baseline: rate(naive),
      ratio: Number((localRate / naive).toFixed(3)),
      ok: localRate >= LOCAL_TARGET,
    },
  );
}

async function benchSftp(files: number, results: BenchResult[]): Promise<void> {
  // SFTP over loopback to a real sshd.
  const sshd = await startSshd();
  let sftp: SpoolTransport | undefined;
  const client = new SftpClient("bench-naive", { error: () => undefined, end: () => undefined, close: () => undefined });
  try {
    const sftpNaiveDir = freshSpool(sshd.root, "naive");
    await client.connect({ host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey });
    // ssh2-sftp-client adds listeners per call; 64 calls in flight is expected here.
    (client as unknown as { client: { setMaxListeners(n: number): void } }).client.setMaxListeners(CONCURRENCY * 4);
    const naiveSftp = await measure(makeJobs(files, "m"), (j) =>
      client.put(Buffer.from(j.content), path.join(sftpNaiveDir, "outgoing", j.name)),
    );
    expectPlaced(sftpNaiveDir, files);

    const sftpDir = freshSpool(sshd.root, "sftp");
    sftp = createSftpTransport({ ...sshd, spoolDir: sftpDir, poolSize: 4, uid: process.getuid?.(), gid: process.getgid?.() });
    await sftp.write(makeJobs(1, "w")[0]!); // connect and create the temp dir outside the measurement
    const sftpRate = await measure(makeJobs(files, "s"), (j) => sftp!.write(j));
    expectPlaced(sftpDir, files + 1);
    results.push(
      { name: "callfile.sftp.naive-put", value: rate(naiveSftp), unit: "files/s" },
      {
        name: "callfile.sftp.transport",
        value: rate(sftpRate),
        unit: "files/s",
        target: `>= ${SFTP_TARGET} files/s on loopback (O_EXCL tmp + fsetstat + fsync + posix-rename)`,
        baseline: rate(naiveSftp),
        ratio: Number((sftpRate / naiveSftp).toFixed(3)),
        ok: sftpRate >= SFTP_TARGET,
      },
    );
  } finally {
    await client.end().catch(() => undefined);
    await sftp?.close();
    await sshd.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const files = Number(process.argv[2] ?? 10_000);
  const results = await benchCallFiles({ files });
  console.table(results.map((r) => ({ ...r, target: r.target ?? "", ok: r.ok ?? "" })));
  if (results.some((r) => r.ok === false)) process.exitCode = 1;
}
