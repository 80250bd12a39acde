/**
 * A throwaway OpenSSH sshd on 127.0.0.1 for SFTP integration tests and the benchmark:
 * temp host key and user key (ed25519), key auth only, internal-sftp, a free port.
 * Logs in as the current user (root in CI: `PermitRootLogin prohibit-password`).
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { freePort } from "./free-port";

export type SshdServer = {
  host: string;
  port: number;
  username: string;
  privateKey: string;
  /** `SHA256:...` exactly as `ssh-keygen -lf` prints it. */
  hostKeySha256: string;
  /** A directory the ssh user can write. */
  root: string;
  pid: number;
  /** Graceful stop of the server and every session; removes the temp dir. */
  stop(): Promise<void>;
  /** SIGKILL the server and every session at once (simulates a crashed host). */
  kill(): void;
  /** SIGKILL only the per-connection session processes: clients see their connection drop. */
  killSessions(): void;
};

const SSHD = "/usr/sbin/sshd";

function descendants(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const task of tasks) {
    let children = "";
    try {
      children = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8");
    } catch {
      continue;
    }
    for (const c of children.split(/\s+/).filter(Boolean).map(Number)) out.push(c, ...descendants(c));
  }
  return out;
}

function signal(pids: number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

async function waitForPort(port: number, child: ChildProcess, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("sshd did not start listening in time");
}

export async function startSshd(): Promise<SshdServer> {
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(path.join(os.tmpdir(), "sshd-"));
  const root = path.join(dir, "root");
  mkdirSync(root);
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(dir, "host_key")]);
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(dir, "user_key")]);
  writeFileSync(path.join(dir, "authorized_keys"), readFileSync(path.join(dir, "user_key.pub")));
  chmodSync(path.join(dir, "authorized_keys"), 0o600);
  const hostKeySha256 = execFileSync("ssh-keygen", ["-l", "-E", "sha256", "-f", path.join(dir, "host_key.pub")], {
    encoding: "utf8",
  }).split(" ")[1]!;
  const username = os.userInfo().username;

  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const config = path.join(dir, "sshd_config");
    writeFileSync(
      config,
      [
        `Port ${port}`,
        "ListenAddress 127.0.0.1",
        `HostKey ${path.join(dir, "host_key")}`,
        `AuthorizedKeysFile ${path.join(dir, "authorized_keys")}`,
        "PidFile none",
        "PubkeyAuthentication yes",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PermitRootLogin prohibit-password",
        "UsePAM no",
        "StrictModes no",
        "Subsystem sftp internal-sftp",
        "MaxStartups 100",
        "MaxSessions 50",
        "LogLevel ERROR",
        "",
      ].join("\n"),
    );
    const child = spawn(SSHD, ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    try {
      await waitForPort(port, child, 10_000);
    } catch (e) {
      child.kill("SIGKILL");
      lastError = new Error(`${(e as Error).message}: ${stderr}`);
      continue;
    }
    const pid = child.pid!;
    const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", () => resolve())));
    return {
      host: "127.0.0.1",
      port,
      username,
      privateKey: readFileSync(path.join(dir, "user_key"), "utf8"),
      hostKeySha256,
      root,
      pid,
      async stop() {
        signal(descendants(pid), "SIGTERM");
        signal([pid], "SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
        signal([pid, ...descendants(pid)], "SIGKILL");
        rmSync(dir, { recursive: true, force: true });
      },
      kill() {
        signal([pid, ...descendants(pid)], "SIGKILL");
      },
      killSessions() {
        signal(descendants(pid), "SIGKILL");
      },
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}
