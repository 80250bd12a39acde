import { toRouteHandler } from "@/lib/api/endpoint";
import { getCallEndpoint } from "@/lib/api/endpoints/calls";

export const GET = toRouteHandler(getCallEndpoint);
