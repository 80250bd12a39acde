/**
 * Words for a destination read from the database (ContactPhone, DncEntry): its stored kind when
 * it is one Spoolcast knows, else the kind its canonical form says.
 */
import { describeDestination, isDestinationKind } from "@/lib/destinations/destination";

export function describeStored(row: { destination: string; kind: string }): string {
  return describeDestination(row.destination, isDestinationKind(row.kind) ? row.kind : undefined);
}
