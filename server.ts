/**
 * The production web server (`npm start`, the demo, the e2e server): Next.js's request handler
 * behind a plain Node HTTP server, for one reason: Next.js hides the TCP peer from application
 * code and keeps a client's own X-Forwarded-For, so only here can the real peer address be
 * written into each request (lib/net/request-address.ts) before Next.js sees it.
 *
 *   tsx server.ts [-p PORT] [-H HOSTNAME]     (PORT from the environment or .env, else 3000)
 */
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import next from "next";
import { env } from "./lib/env";
import { PEER_STAMPED_ENV, stampPeerAddress } from "./lib/net/request-address";

const { values } = parseArgs({
  options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } },
});
// Read before Next.js loads: pages and actions trust PEER_ADDRESS_HEADER only with this mark.
process.env[PEER_STAMPED_ENV] = "1";
(process.env as Record<string, string | undefined>).NODE_ENV ??= "production";

const config = env();
const port = values.port ? Number(values.port) : config.port;
const hostname = values.hostname;
const app = next({ dev: false, dir: import.meta.dirname, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

createServer((req, res) => {
  stampPeerAddress(req, config.trustProxy);
  void handle(req, res);
})
  .on("error", (error) => {
    console.error(`Spoolcast could not listen on ${hostname ?? "*"}:${port}: ${error.message}`);
    process.exit(1);
  })
  .listen(port, hostname, () => {
    const proxies = config.trustProxy.entries;
    console.log(
      `Spoolcast listening on http://${hostname ?? "localhost"}:${port}` +
        (proxies.length ? ` (X-Forwarded-For believed from ${proxies.join(", ")})` : ""),
    );
  });
