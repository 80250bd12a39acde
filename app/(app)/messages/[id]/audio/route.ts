/**
 * Plays a library message in the browser: the master copy (8 kHz mono WAV) for any signed-in
 * user who may view the dashboard. The id is looked up in the database; the file path comes
 * only from the server-generated sound name.
 */
import { readMaster } from "@/lib/audio/store";
import { can } from "@/lib/auth/capabilities";
import { getCurrentUser } from "@/lib/auth/current-user";
import { db } from "@/lib/db";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await getCurrentUser();
  if (!user) return new Response("Sign in to play messages.", { status: 401 });
  if (!can(user, "dashboard.view")) return new Response("Not permitted.", { status: 403 });
  const { id } = await params;
  const audio = await db().audioMessage.findUnique({ where: { id }, select: { soundName: true } });
  if (!audio) return new Response("No such message.", { status: 404 });
  let bytes: Buffer;
  try {
    bytes = await readMaster(audio.soundName);
  } catch {
    return new Response("The audio file of this message is missing on the server.", { status: 404 });
  }
  const headers = { "Content-Type": "audio/wav", "Cache-Control": "private, max-age=300", "Accept-Ranges": "bytes" };
  // A single byte range, so browsers can seek in long messages.
  const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.get("range") ?? "");
  if (range && (range[1] || range[2])) {
    const start = range[1] ? Number(range[1]) : Math.max(0, bytes.length - Number(range[2]));
    const end = range[1] && range[2] ? Math.min(Number(range[2]), bytes.length - 1) : bytes.length - 1;
    if (start > end || start >= bytes.length) {
      return new Response(null, { status: 416, headers: { "Content-Range": `bytes */${bytes.length}` } });
    }
    return new Response(new Uint8Array(bytes.subarray(start, end + 1)), {
      status: 206,
      headers: {
        ...headers,
        "Content-Range": `bytes ${start}-${end}/${bytes.length}`,
        "Content-Length": String(end - start + 1),
      },
    });
  }
  return new Response(new Uint8Array(bytes), { headers: { ...headers, "Content-Length": String(bytes.length) } });
}
