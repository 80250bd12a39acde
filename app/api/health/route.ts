import { NextResponse } from "next/server";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { getEngineStatus } from "@/lib/engine/status";
import { transportFromDb } from "@/lib/engine/host-transport";
import { privateDataHealth } from "@/lib/private-data-health";

export const dynamic = "force-dynamic";

/**
 * Liveness, database reachability and, per Asterisk host, the engine's figures: queue depth,
 * in flight, oldest waiting, lost, last reconcile, spool transport health. `ok` stays about
 * the process and database (what a load balancer needs); `engine.ok` reports the dialling side,
 * `privateData.ok` whether other users on the machine can read the data directory.
 */
export async function GET() {
  try {
    await db().setting.count();
  } catch {
    return NextResponse.json({ ok: false, database: "unreachable" }, { status: 503 });
  }
  try {
    const engine = await getEngineStatus(db(), { transportFor: transportFromDb(db()) });
    return NextResponse.json({ ok: true, database: "ok", engineMode: env().engine, engine, privateData: privateDataHealth() });
  } catch (e) {
    return NextResponse.json({
      ok: true,
      database: "ok",
      engineMode: env().engine,
      engine: { ok: false, error: e instanceof Error ? e.message : String(e) },
      privateData: privateDataHealth(),
    });
  }
}
