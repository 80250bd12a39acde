import { toRouteHandler } from "@/lib/api/endpoint";
import { createWakeUpEndpoint, listWakeUpsEndpoint } from "@/lib/api/endpoints/wakeups";

export const GET = toRouteHandler(listWakeUpsEndpoint);
export const POST = toRouteHandler(createWakeUpEndpoint);
