import { Badge } from "@/components/ui/badge";

const VARIANT = {
  draft: "secondary",
  scheduled: "default",
  running: "success",
  paused: "warning",
  completed: "outline",
  cancelled: "destructive",
} as const;

/** The campaign's state as a coloured badge with the state's name (colour is never the only cue). */
export function CampaignStateBadge({ state }: { state: string }) {
  return <Badge variant={VARIANT[state as keyof typeof VARIANT] ?? "secondary"}>{state}</Badge>;
}
