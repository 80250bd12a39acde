import { toRouteHandler } from "@/lib/api/endpoint";
import { createCampaignEndpoint, listCampaignsEndpoint } from "@/lib/api/endpoints/campaigns";

export const GET = toRouteHandler(listCampaignsEndpoint);
export const POST = toRouteHandler(createCampaignEndpoint);
