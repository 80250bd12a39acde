import { toRouteHandler } from "@/lib/api/endpoint";
import { launchPaEndpoint } from "@/lib/api/endpoints/pa";

export const POST = toRouteHandler(launchPaEndpoint);
