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
  return <PaBoardView initial={board} canLaunch={can(user, "pa.launch")} />;
}
