import { Form, NavLink } from "@remix-run/react";
import { useState } from "react";
import type { Role } from "#db/schema.ts";
import { ROLE_LABELS } from "#app/auth/permissions.ts";

interface NavItem {
  to: string;
  label: string;
  end?: boolean;
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
    { to: "/coordinator/people", label: "People" },
    { to: "/coordinator/organisations", label: "Organisations" },
    { to: "/coordinator/courses", label: "Courses" },
    { to: "/coordinator/rooms", label: "Rooms" },
    { to: "/coordinator/support", label: "Support" },
    { to: "/coordinator/outbox", label: "Outbox" },
    { to: "/coordinator/audit", label: "Audit log" },
    { to: "/coordinator/privacy", label: "Privacy" },
    { to: "/coordinator/settings", label: "Settings" },
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

function navClass({ isActive }: { isActive: boolean }) {
  return `block whitespace-nowrap rounded-md px-3 py-2 lg:px-2.5 text-sm font-medium no-underline hover:no-underline ${
    isActive ? "bg-white/15 text-white" : "text-brand-100 hover:bg-white/10 hover:text-white"
  }`;
}

export function AppNav({ user }: { user: { name: string; roles: Role[] } }) {
  const [open, setOpen] = useState(false);
  const sections = user.roles.map((role) => ({ role, items: NAV_BY_ROLE[role] }));
  const links = (
    <>
      {sections.map(({ role, items }) => (
        <div key={role} className="lg:flex lg:flex-wrap lg:items-center lg:gap-1">
          {sections.length > 1 ? (
            <span className="block px-3 pt-3 text-xs font-semibold uppercase tracking-wide text-brand-200 lg:hidden">{ROLE_LABELS[role]}</span>
          ) : null}
          {items.map((item) => (
            <NavLink key={item.to} to={item.to} end={item.end} className={navClass} onClick={() => setOpen(false)}>
              {item.label}
            </NavLink>
          ))}
        </div>
      ))}
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
          <NavLink to="/account" className="hidden rounded-md px-3 py-2 text-sm text-brand-100 hover:bg-white/10 hover:text-white sm:block">
            {user.name}
          </NavLink>
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
            <NavLink to="/account" className={navClass}>
              Your account ({user.name})
            </NavLink>
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
