// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ["better-sqlite3", "pg", "@node-rs/argon2", "ssh2", "ssh2-sftp-client", "pino"],
  poweredByHeader: false,
  // CSV import uploads files of up to 20 MB through a server action (lib/csv/decode-csv.ts).
  experimental: { serverActions: { bodySizeLimit: "21mb" }, proxyClientMaxBodySize: "21mb" },
  // Type checking runs in `npm test` (tsc); the build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};
export default nextConfig;
