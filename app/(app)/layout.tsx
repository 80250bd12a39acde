import { Brand } from "@/components/app-shell/brand";
import { Suspense } from "react";
import { MobileNav } from "@/components/app-shell/mobile-nav";
import { NavigationProgress } from "@/components/app-shell/navigation-progress";
import { NavLinks } from "@/components/app-shell/nav-links";
import { UserMenu } from "@/components/app-shell/user-menu";
import { ViewerTimeZoneProvider } from "@/components/ui/viewer-time-zone";
import { requireUser } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { getUserTimeZone } from "@/lib/time/viewer-zone";
import { signOutAction } from "../(auth)/actions";

export const dynamic = "force-dynamic";

/**
 * The signed-in app: a sidebar on wide screens, a drawer behind the menu button on phones,
 * a skip link to the content, and the account menu. Anonymous visitors are sent to /login
 * (or /setup on a fresh install) here, where the database can be asked.
 */
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  const timeZone = await getUserTimeZone(db(), user.id);
  return (
    <ViewerTimeZoneProvider chosen={timeZone}>
      <div className="min-h-screen">
        {/* useSearchParams needs a Suspense boundary; the bar is only a hint, so no fallback. */}
        <Suspense fallback={null}>
          <NavigationProgress />
        </Suspense>
        <a
          href="#main"
          className="sr-only z-50 rounded-md bg-white px-4 py-2 text-sm font-medium text-blue-800 shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:ring-2 focus:ring-blue-600 focus:outline-none"
        >
          Skip to content
        </a>
        <aside className="fixed inset-y-0 left-0 z-30 hidden w-60 flex-col gap-6 bg-slate-900 px-3 py-4 lg:flex">
          <div className="px-2">
            <Brand />
          </div>
          <nav aria-label="Main">
            <NavLinks />
          </nav>
        </aside>
        <div className="lg:pl-60">
          <header className="sticky top-0 z-20 flex h-14 items-center gap-2 border-b border-slate-200 bg-white/95 px-3 backdrop-blur sm:px-6">
            <MobileNav />
            <span className="text-base font-semibold tracking-tight lg:hidden">Spoolcast</span>
            <div className="ml-auto">
              <UserMenu name={user.name} email={user.email} role={user.role} signOut={signOutAction} />
            </div>
          </header>
          <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl px-4 py-6 focus:outline-none sm:px-6 lg:px-8 lg:py-8">
            {children}
          </main>
        </div>
      </div>
    </ViewerTimeZoneProvider>
  );
}
