import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/capabilities";
import { requireCapability } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { isUserError } from "@/lib/errors";
import { getPaBoard, type PaBoard } from "@/lib/pa/get-pa-board";
import { PaBoardView } from "./pa-board";

export const metadata: Metadata = { title: "PA board" };

export default async function PaBoardPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireCapability("calls.view");
  const { id } = await params;
  let board: PaBoard;
  try {
    board = await getPaBoard(db(), id);
  } catch (e) {
    if (isUserError(e)) notFound();
    throw e;
  }
  // The message's length decides "Heard" from "Heard part"; it does not change while the board is live.
  const audio = await db()
    .paBroadcast.findUnique({ where: { id }, select: { audio: { select: { durationMs: true } } } })
    .then((b) => b?.audio);
  return <PaBoardView initial={board} canLaunch={can(user, "pa.launch")} messageMs={audio?.durationMs ?? null} />;
}
