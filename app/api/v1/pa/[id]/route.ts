import { toRouteHandler } from "@/lib/api/endpoint";
import { getPaEndpoint } from "@/lib/api/endpoints/pa";

export const GET = toRouteHandler(getPaEndpoint);
