/** Every REST endpoint, for the OpenAPI document and the docs page. Route files import from here too. */
import type { AnyEndpoint } from "./endpoint";
import { getCallEndpoint, listCallsEndpoint } from "./endpoints/calls";

export const API_ENDPOINTS: AnyEndpoint[] = [listCallsEndpoint, getCallEndpoint];
