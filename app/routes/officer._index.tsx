import { redirect } from "@remix-run/node";

/** The officer's home is the leaders dashboard; old links and bookmarks to /officer still land there. */
export function loader() {
  return redirect("/officer/leaders");
}
