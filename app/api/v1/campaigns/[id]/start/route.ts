import { toRouteHandler } from "@/lib/api/endpoint";
import { startCampaignEndpoint } from "@/lib/api/endpoints/campaigns";

export const POST = toRouteHandler(startCampaignEndpoint);
