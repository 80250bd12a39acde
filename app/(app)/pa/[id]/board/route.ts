/**
 * The live PA board as JSON, polled every second by the board page. A read, so a route
 * handler rather than a server action: any signed-in user with calls.view may watch it.
 */
import { NextResponse } from "next/server";
import { can } from "@/lib/auth/capabilities";
import { getCurrentUser } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { UserError } from "@/lib/errors";
import { getPaBoard } from "@/lib/pa/get-pa-board";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await getCurrentUser();
  if (!user) return NextResponse.json({ error: "Sign in to watch this PA." }, { status: 401 });
  if (!can(user, "calls.view")) return NextResponse.json({ error: "Not permitted." }, { status: 403 });
  const { id } = await params;
  try {
    return NextResponse.json(await getPaBoard(db(), id), { headers: { "Cache-Control": "no-store" } });
  } catch (err) {
    if (err instanceof UserError) return NextResponse.json({ error: err.message }, { status: 404 });
    throw err;
  }
}
