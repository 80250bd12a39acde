import { can } from "@/lib/auth/capabilities";
import { getCurrentUser, getRequestIp } from "@/lib/auth/current-user";
import { recordAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db";
import { exportContactsCsv } from "@/lib/csv/export-contacts";

export const dynamic = "force-dynamic";

/** CSV download of every contact, or of one group with `?group=<id>`; needs contacts.view. */
export async function GET(request: Request) {
  const user = await getCurrentUser();
  if (!user)
    return new Response("Sign in to export contacts.\n", {
      status: 401,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  if (!can(user, "contacts.view"))
    return new Response("You do not have permission to export contacts.\n", {
      status: 403,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  const groupId = new URL(request.url).searchParams.get("group") || null;
  let fileName = "contacts";
  if (groupId) {
    const group = await db().contactGroup.findUnique({ where: { id: groupId }, select: { name: true } });
    if (!group)
      return new Response("That group no longer exists.\n", {
        status: 404,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    fileName = `group-${
      group.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "") || "export"
    }`;
  }
  // Exports hand personal data out of the system, so they are audited like changes.
  await recordAudit(db(), {
    actor: { type: "user", id: user.id, name: user.name },
    action: "contact.export",
    targetType: groupId ? "group" : "contact",
    targetId: groupId,
    summary: groupId ? `Exported group ${fileName.slice(6)} as CSV` : "Exported all contacts as CSV",
    ip: await getRequestIp(),
  });
  const chunks = exportContactsCsv(db(), { groupId });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  const date = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${fileName}-${date}.csv"`,
      "cache-control": "no-store",
    },
  });
}
