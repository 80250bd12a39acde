import { toRouteHandler } from "@/lib/api/endpoint";
import { listCallsEndpoint } from "@/lib/api/endpoints/calls";

export const GET = toRouteHandler(listCallsEndpoint);
