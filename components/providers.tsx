"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { Toaster } from "sonner";

/**
 * The one QueryClient factory (docs/architecture.md#conventions). Data is fresh for 10 s; live views
 * poll through useLive (components/live/use-live.ts). Mutations go through server actions, which invalidate
 * the queries they affect.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 10_000, refetchOnWindowFocus: true, retry: 1 },
    },
  });
}

/** Client-side providers for every page: TanStack Query and the toast area. */
export function Providers({ children }: { children: React.ReactNode }) {
  // One client per browser tab, created once (not on every render).
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      {children}
      <Toaster position="top-right" richColors closeButton />
    </QueryClientProvider>
  );
}
