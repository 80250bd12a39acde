export const dynamic = "force-dynamic";

/**
 * The live views' reachability ping (components/live/live-refresh.tsx): answers 204 with no body and
 * touches nothing, so polling it every few seconds costs the server nothing; it carries no data,
 * hence needs no sign-in.
 */
export function GET() {
  return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
}
