import { can } from "@/lib/auth/capabilities";
import { getCurrentUser, getRequestIp } from "@/lib/auth/current-user";
import { recordAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db";
import { exportCallsCsv } from "@/lib/results/export-calls";
import { filterQuery, filtersFromParams } from "../search-params";

export const dynamic = "force-dynamic";

const text = (body: string, status: number) =>
  new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

/** Streamed CSV of the results view the query string describes; needs calls.view. */
export async function GET(request: Request) {
  const user = await getCurrentUser();
  if (!user) return text("Sign in to export results.\n", 401);
  if (!can(user, "calls.view")) return text("You do not have permission to export results.\n", 403);
  const sp = Object.fromEntries(new URL(request.url).searchParams);
  const filters = filtersFromParams(sp);
  // Exports hand call data (numbers, names) out of the system, so they are audited.
  await recordAudit(db(), {
    actor: { type: "user", id: user.id, name: user.name },
    action: "calls.export",
    targetType: "call",
    summary: `Exported calls as CSV (${filterQuery(sp).toString() || "no filter"})`,
    ip: await getRequestIp(),
  });
  const chunks = exportCallsCsv(db(), filters);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (e) {
        controller.error(e);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="calls-${new Date().toISOString().slice(0, 10)}.csv"`,
      "cache-control": "no-store",
    },
  });
}
