/**
 * A real OpenSSH sshd on loopback for SFTP tests: fresh host and client ed25519 keys in a
 * temp dir, key-only login as the current user, internal-sftp. The host key fingerprint comes
 * from ssh-keygen (not from the code under test). stop() kills it and removes the directory.
 *
 * Written for the audio branch because the callfile branch's `tests/support/sshd-server.ts`
 * did not exist yet; same shape, so the two can be merged into one.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { freePort } from "./free-port";

export type SshdServer = {
  host: string;
  port: number;
  username: string;
  privateKey: string;
  /** "SHA256:…" as `ssh-keygen -l` prints it. */
  hostKeySha256: string;
  /** A directory the SSH user can write, for the test's remote paths. */
  root: string;
  stop: () => Promise<void>;
};

const SSHD = "/usr/sbin/sshd";
const START_DEADLINE_MS = 15_000;

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

function keygen(file: string): void {
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "spoolcast-test", "-f", file]);
}

export async function startSshd(): Promise<SshdServer> {
  if (!existsSync(SSHD)) throw new Error("sshd not found; install it with: apt-get install -y openssh-server");
  const dir = mkdtempSync(path.join(os.tmpdir(), "spoolcast-sshd-"));
  const root = path.join(dir, "root");
  mkdirSync(root);
  keygen(path.join(dir, "host_key"));
  keygen(path.join(dir, "client_key"));
  writeFileSync(path.join(dir, "authorized_keys"), readFileSync(path.join(dir, "client_key.pub")));
  const hostKeySha256 = execFileSync("ssh-keygen", ["-l", "-E", "sha256", "-f", path.join(dir, "host_key.pub")], { encoding: "utf8" }).split(" ")[1]!;
  const username = os.userInfo().username;
  const port = await freePort();
  const config = path.join(dir, "sshd_config");
  writeFileSync(
    config,
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${path.join(dir, "host_key")}`,
      `PidFile ${path.join(dir, "sshd.pid")}`,
      `AuthorizedKeysFile ${path.join(dir, "authorized_keys")}`,
      "StrictModes no",
      "PubkeyAuthentication yes",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "PermitRootLogin prohibit-password",
      `AllowUsers ${username}`,
      "Subsystem sftp internal-sftp",
      "",
    ].join("\n"),
  );
  // sshd refuses to start as root without its privilege-separation directory.
  if (process.getuid?.() === 0) mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  const child = spawn(SSHD, ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => { stderr += chunk; });
  let exited = false;
  child.on("exit", () => { exited = true; });

  const deadline = Date.now() + START_DEADLINE_MS;
  while (!(await canConnect(port))) {
    if (exited || Date.now() > deadline) {
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`sshd did not start: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    host: "127.0.0.1",
    port,
    username,
    privateKey: readFileSync(path.join(dir, "client_key"), "utf8"),
    hostKeySha256,
    root,
    stop: async () => {
      if (!exited) {
        const gone = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
