/**
 * Audio upload for the message library (signed-in users with `audio.edit`).
 *
 * A route handler rather than a server action, which the conventions prefer for UI mutations,
 * because a server action can report no upload progress and its body limit is 1 MB; and
 * under /api/ because proxy.ts (which does not match /api/) would buffer and cap the body
 * at 10 MB. It checks the session, the capability and that the request comes from this
 * site (Origin), then calls one lib/ function.
 */
import { toActionError } from "@/lib/actions/authorized-action";
import { importUpload } from "@/lib/audio/import-audio";
import { MAX_UPLOAD_BYTES } from "@/lib/audio/limits";
import { can } from "@/lib/auth/capabilities";
import { getCurrentUser, getRequestIp } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { isUserError } from "@/lib/errors";

// Multipart overhead on top of the file itself (boundaries, name and tags fields).
const FORM_OVERHEAD_BYTES = 64 * 1024;

function json(body: unknown, status = 200): Response {
  return Response.json(body, { status });
}

function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (!origin) return false;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export async function POST(request: Request) {
  const user = await getCurrentUser();
  if (!user) return json({ ok: false, error: "Your session has ended. Sign in again." }, 401);
  if (!can(user, "audio.edit"))
    return json({ ok: false, error: "You do not have permission to do this. Ask an administrator if you need it." }, 403);
  if (!isSameOrigin(request)) return json({ ok: false, error: "Uploads are accepted from this site only." }, 403);

  const length = Number(request.headers.get("content-length") ?? NaN);
  if (!Number.isFinite(length))
    return json({ ok: false, error: "The upload has no length; try again from the Messages page." }, 411);
  if (length > MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES) {
    const message = `The file is ${(length / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`;
    return json({ ok: false, error: message, fieldErrors: { file: message } }, 413);
  }

  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return json({ ok: false, error: "The upload could not be read; try again." }, 400);
  }
  const file = form.get("file");
  if (!(file instanceof File))
    return json({ ok: false, error: "Choose an audio file.", fieldErrors: { file: "Choose an audio file." } }, 400);

  try {
    const saved = await importUpload(db(), {
      name: String(form.get("name") ?? ""),
      tags: String(form.get("tags") ?? ""),
      fileName: file.name,
      bytes: new Uint8Array(await file.arrayBuffer()),
      actor: { type: "user", id: user.id, name: user.name },
      ip: await getRequestIp(),
    });
    return json({
      ok: true,
      data: {
        id: saved.id,
        name: saved.name,
        durationMs: saved.durationMs,
        failedHosts: saved.deliveries.filter((d) => d.state === "failed").length,
      },
    });
  } catch (error) {
    return json(toActionError(error, { route: "messages/upload", userId: user.id }), isUserError(error) ? 422 : 500);
  }
}
