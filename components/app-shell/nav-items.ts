import {
  AlarmClock,
  AudioLines,
  BarChart3,
  LayoutDashboard,
  Megaphone,
  Send,
  Settings,
  Users,
  type LucideIcon,
} from "lucide-react";

export type NavItem = { href: string; label: string; icon: LucideIcon; description: string };

/** The app's sections, in menu order. */
export const NAV_ITEMS: NavItem[] = [
  { href: "/", label: "Dashboard", icon: LayoutDashboard, description: "Overview" },
  { href: "/pa", label: "PA", icon: Megaphone, description: "Emergency and PA announcements" },
  { href: "/campaigns", label: "Campaigns", icon: Send, description: "Message campaigns to groups" },
  { href: "/wakeups", label: "Wake-ups", icon: AlarmClock, description: "Wake-up calls" },
  { href: "/messages", label: "Messages", icon: AudioLines, description: "Recordings and text-to-speech" },
  { href: "/contacts", label: "Contacts", icon: Users, description: "People, numbers and groups" },
  { href: "/results", label: "Results", icon: BarChart3, description: "Call outcomes and exports" },
  { href: "/settings", label: "Settings", icon: Settings, description: "Hosts, users, audit log" },
];

/** True when `pathname` is inside the section at `href`. */
export function isActiveSection(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}
