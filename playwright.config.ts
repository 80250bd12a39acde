import { execFileSync } from "node:child_process";
import { defineConfig, devices } from "@playwright/test";

/**
 * Two free loopback ports (web, IVR), chosen once by the runner and inherited by its workers
 * through the environment. A fixed port let another server already on it answer the health
 * check while ours failed with EADDRINUSE, and the specs then ran against the wrong app.
 */
function freePorts(): [number, number] {
  const script =
    "const net=require('net');const a=net.createServer().listen(0,'127.0.0.1',()=>{const b=net.createServer().listen(0,'127.0.0.1',()=>{console.log(a.address().port+' '+b.address().port);a.close();b.close()})})";
  const [web, ivr] = execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }).trim().split(" ").map(Number);
  return [web!, ivr!];
}
if (!process.env.E2E_PORT) [process.env.E2E_PORT, process.env.E2E_IVR_PORT] = freePorts().map(String);
const PORT = Number(process.env.E2E_PORT);

/** E2E runs against a production build with a fresh database and the bundled simulator. */
export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--headless",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    command: `bash scripts/e2e-server.sh ${PORT} ${process.env.E2E_IVR_PORT ?? PORT + 1000}`,
    url: `http://127.0.0.1:${PORT}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
  },
});
