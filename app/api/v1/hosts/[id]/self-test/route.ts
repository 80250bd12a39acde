import { toRouteHandler } from "@/lib/api/endpoint";
import { hostSelfTestEndpoint } from "@/lib/api/endpoints/hosts";

export const POST = toRouteHandler(hostSelfTestEndpoint);
