import { toRouteHandler } from "@/lib/api/endpoint";
import { pauseCampaignEndpoint } from "@/lib/api/endpoints/campaigns";

export const POST = toRouteHandler(pauseCampaignEndpoint);
