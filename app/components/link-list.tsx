import { useNavigate } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";

/**
 * A part of a page with many plain links (`<a href>`) that still navigate within the app, as a
 * `<Link>` does, once the page's scripts run (before that, or with a modifier key, they are ordinary
 * links). A month of sessions or a table of people is a hundred links, and a `<Link>` each costs the
 * server more to render than the rest of the cell; one listener here does the same for all of them.
 */
export function LinkList({ children, className }: { children: ReactNode; className?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  useEffect(() => {
    const container = ref.current;
    if (!container) return;
    const onClick = (event: MouseEvent) => {
      const to = appPathOf(event, container);
      if (to === null) return;
      event.preventDefault();
      navigate(to);
    };
    // On the window, so a click reaches it after React's own handlers (on the document): a <Link>
    // inside has then navigated already and marked the click handled.
    window.addEventListener("click", onClick);
    return () => window.removeEventListener("click", onClick);
  }, [navigate]);
  return (
    <div ref={ref} className={className}>
      {children}
    </div>
  );
}

/** Where a click on a link inside `container` goes within the app, or null when the browser should follow it itself. */
export function appPathOf(event: MouseEvent, container: HTMLElement): string | null {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.altKey || event.ctrlKey || event.shiftKey) return null;
  const anchor = event.target instanceof Element ? event.target.closest("a") : null;
  if (!anchor || !container.contains(anchor) || !anchor.hasAttribute("href")) return null;
  if ((anchor.target && anchor.target !== "_self") || anchor.hasAttribute("download")) return null;
  const url = new URL(anchor.href, window.location.href);
  if (url.origin !== window.location.origin) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}
