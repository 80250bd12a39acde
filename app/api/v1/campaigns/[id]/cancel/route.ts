import { toRouteHandler } from "@/lib/api/endpoint";
import { cancelCampaignEndpoint } from "@/lib/api/endpoints/campaigns";

export const POST = toRouteHandler(cancelCampaignEndpoint);
