import { toRouteHandler } from "@/lib/api/endpoint";
import { campaignResultsEndpoint } from "@/lib/api/endpoints/campaigns";

export const GET = toRouteHandler(campaignResultsEndpoint);
