import { toRouteHandler } from "@/lib/api/endpoint";
import { cancelWakeUpEndpoint, getWakeUpEndpoint, updateWakeUpEndpoint } from "@/lib/api/endpoints/wakeups";

export const GET = toRouteHandler(getWakeUpEndpoint);
export const PATCH = toRouteHandler(updateWakeUpEndpoint);
export const DELETE = toRouteHandler(cancelWakeUpEndpoint);
