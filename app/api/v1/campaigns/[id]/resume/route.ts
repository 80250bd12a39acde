import { toRouteHandler } from "@/lib/api/endpoint";
import { resumeCampaignEndpoint } from "@/lib/api/endpoints/campaigns";

export const POST = toRouteHandler(resumeCampaignEndpoint);
