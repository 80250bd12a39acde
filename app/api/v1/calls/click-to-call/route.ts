import { toRouteHandler } from "@/lib/api/endpoint";
import { clickToCallEndpoint } from "@/lib/api/endpoints/click-to-call";

export const POST = toRouteHandler(clickToCallEndpoint);
