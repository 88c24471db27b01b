import { Form, Link, useLocation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { Role } from "#db/schema.ts";
import { ROLE_LABELS } from "#app/auth/permissions.ts";

interface NavItem {
  to: string;
  label: string;
  end?: boolean;
  /** Pages used now and then: on a wide screen they sit under "More" so the bar stays one row. */
  more?: boolean;
}

export const NAV_BY_ROLE: Record<Role, NavItem[]> = {
  coordinator: [
    { to: "/coordinator", label: "Overview", end: true },
    { to: "/coordinator/requests", label: "Queue" },
    { to: "/coordinator/calendar", label: "Calendar" },
    { to: "/coordinator/open-sessions", label: "Open sessions" },
    { to: "/coordinator/feedback", label: "Feedback" },
    { to: "/reports/impact", label: "Impact report" },
    { to: "/officer/leaders", label: "Leaders" },
    { to: "/coordinator/venues", label: "Venues" },
    { to: "/coordinator/people", label: "People", more: true },
    { to: "/coordinator/sign-in", label: "Sign-in providers", more: true },
    { to: "/coordinator/organisations", label: "Organisations", more: true },
    { to: "/coordinator/courses", label: "Courses", more: true },
    { to: "/coordinator/rooms", label: "Rooms", more: true },
    { to: "/coordinator/support", label: "Support", more: true },
    { to: "/coordinator/outbox", label: "Outbox", more: true },
    { to: "/coordinator/audit", label: "Audit log", more: true },
    { to: "/coordinator/privacy", label: "Privacy", more: true },
    { to: "/coordinator/settings", label: "Settings", more: true },
  ],
  officer: [
    { to: "/officer/leaders", label: "Leaders" },
    { to: "/officer/roster/import", label: "Import roster" },
    { to: "/officer/matches", label: "Possible matches" },
    { to: "/officer/roles", label: "Roles and years" },
    { to: "/reports/impact", label: "Impact report" },
  ],
  trainer: [
    { to: "/trainer", label: "My sessions", end: true },
    { to: "/trainer/feedback", label: "Feedback" },
    { to: "/trainer/availability", label: "Availability" },
    { to: "/trainer/calendar-feed", label: "Calendar feed" },
  ],
  booker: [
    { to: "/booker", label: "My bookings", end: true },
    { to: "/booker/requests/new", label: "Request a session" },
    { to: "/booker/bookings", label: "Booking history" },
  ],
};

const NAV_ITEM = "whitespace-nowrap rounded-md px-3 py-2 lg:px-2.5 text-sm font-medium no-underline hover:no-underline";

function navState(isActive: boolean) {
  return isActive ? "bg-white/15 text-white" : "text-brand-100 hover:bg-white/10 hover:text-white";
}

/**
 * Whether the page at `pathname` is under a nav item: its own page, or (unless `end`) a page beneath
 * it. The nav works this out once for all its links from one location, as `<NavLink>` would for each.
 */
export function isUnder(pathname: string, to: string, end = false): boolean {
  const path = pathname.length > 1 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname;
  return path === to || (!end && path.startsWith(`${to}/`));
}

/** A nav link, marked as the current page (`aria-current`) when the page is under it. */
function NavItemLink({
  to,
  label,
  current,
  className = "",
  onClick,
}: {
  to: string;
  label: string;
  current: boolean;
  className?: string;
  onClick?: () => void;
}) {
  return (
    <Link to={to} aria-current={current ? "page" : undefined} className={`block ${NAV_ITEM} ${navState(current)} ${className}`} onClick={onClick}>
      {label}
    </Link>
  );
}

/**
 * The pages used now and then, as a disclosure that works without JavaScript. It closes when a
 * link in it is followed, on Escape (focus goes back to its button) and on a click elsewhere.
 */
function MoreMenu({ items, pathname, onNavigate }: { items: NavItem[]; pathname: string; onNavigate: () => void }) {
  const ref = useRef<HTMLDetailsElement>(null);
  const current = items.find((i) => isUnder(pathname, i.to, i.end));
  useEffect(() => {
    const closeOutside = (event: MouseEvent) => {
      if (ref.current?.open && !ref.current.contains(event.target as Node)) ref.current.open = false;
    };
    const closeOnEscape = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || !ref.current?.open) return;
      ref.current.open = false;
      ref.current.querySelector("summary")?.focus();
    };
    document.addEventListener("click", closeOutside);
    document.addEventListener("keydown", closeOnEscape);
    return () => {
      document.removeEventListener("click", closeOutside);
      document.removeEventListener("keydown", closeOnEscape);
    };
  }, []);
  const close = () => {
    if (ref.current) ref.current.open = false;
  };
  return (
    <details ref={ref} className="relative">
      <summary className={`${NAV_ITEM} ${navState(Boolean(current))} flex cursor-pointer list-none items-center gap-1 [&::-webkit-details-marker]:hidden`}>
        More{current ? <span className="sr-only">, now on {current.label}</span> : null}
        <span aria-hidden="true" className="text-xs">
          ▾
        </span>
      </summary>
      <div className="absolute left-0 z-20 mt-1 min-w-48 rounded-md bg-brand-800 p-1 shadow-lg ring-1 ring-white/20">
        {items.map((item) => (
          <NavItemLink
            key={item.to}
            to={item.to}
            label={item.label}
            current={item === current}
            onClick={() => {
              close();
              onNavigate();
            }}
          />
        ))}
      </div>
    </details>
  );
}

export function AppNav({ user }: { user: { name: string; roles: Role[] } }) {
  const [open, setOpen] = useState(false);
  const { pathname } = useLocation();
  const sections = user.roles.map((role) => ({ role, items: NAV_BY_ROLE[role] }));
  const close = () => setOpen(false);
  const onAccount = isUnder(pathname, "/account");
  const link = (item: NavItem, className = "") => (
    <NavItemLink key={item.to} to={item.to} label={item.label} current={isUnder(pathname, item.to, item.end)} className={className} onClick={close} />
  );
  const links = (
    <>
      {sections.map(({ role, items }) => {
        const more = items.filter((i) => i.more);
        return (
          <div key={role} className="lg:flex lg:flex-nowrap lg:items-center lg:gap-1">
            {sections.length > 1 ? (
              <span className="block px-3 pt-3 text-xs font-semibold uppercase tracking-wide text-brand-200 lg:hidden">{ROLE_LABELS[role]}</span>
            ) : null}
            {items.map((item) => link(item, item.more ? "lg:hidden" : ""))}
            {more.length > 0 ? (
              <div className="hidden lg:block">
                <MoreMenu items={more} pathname={pathname} onNavigate={close} />
              </div>
            ) : null}
          </div>
        );
      })}
    </>
  );
  return (
    <header className="no-print bg-brand-800 text-white">
      <div className="mx-auto flex max-w-7xl items-center justify-between gap-4 px-4 py-3 sm:px-6">
        <a href="/" className="flex items-center gap-2 text-white no-underline hover:no-underline">
          <span aria-hidden="true" className="grid h-9 w-9 place-items-center rounded-md bg-white text-lg font-black text-brand-800">
            #
          </span>
          <span className="leading-tight">
            <span className="block text-base font-bold">NeverOK Training</span>
            <span className="block text-xs text-brand-100">{user.roles.map((r) => ROLE_LABELS[r]).join(" · ")}</span>
          </span>
        </a>
        <div className="flex items-center gap-2">
          <Link
            to="/account"
            aria-current={onAccount ? "page" : undefined}
            className="hidden rounded-md px-3 py-2 text-sm text-brand-100 hover:bg-white/10 hover:text-white sm:block"
          >
            {user.name}
          </Link>
          <Form method="post" action="/logout" className="hidden sm:block">
            <button type="submit" className="min-h-11 rounded-md px-3 py-2 text-sm font-semibold text-white ring-1 ring-white/40 hover:bg-white/10">
              Sign out
            </button>
          </Form>
          <button
            type="button"
            className="min-h-11 rounded-md px-3 py-2 text-sm font-semibold ring-1 ring-white/40 lg:hidden"
            aria-expanded={open}
            aria-controls="main-nav"
            onClick={() => setOpen((o) => !o)}
          >
            Menu
          </button>
        </div>
      </div>
      <nav id="main-nav" aria-label="Main" className={`${open ? "block" : "hidden"} border-t border-white/10 lg:block`}>
        <div className="mx-auto max-w-7xl px-2 py-2 sm:px-4 lg:flex lg:flex-wrap lg:gap-2">
          {links}
          <div className="mt-2 border-t border-white/10 pt-2 sm:hidden">
            <NavItemLink to="/account" label={`Your account (${user.name})`} current={onAccount} onClick={close} />
            <Form method="post" action="/logout">
              <button type="submit" className="block w-full rounded-md px-3 py-2 text-left text-sm font-medium text-brand-100 hover:bg-white/10">
                Sign out
              </button>
            </Form>
          </div>
        </div>
      </nav>
    </header>
  );
}
