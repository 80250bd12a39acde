import { toRouteHandler } from "@/lib/api/endpoint";
import { stopPaEndpoint } from "@/lib/api/endpoints/pa";

export const POST = toRouteHandler(stopPaEndpoint);
