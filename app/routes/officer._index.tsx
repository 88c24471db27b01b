import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { secureResource } from "#app/utils/security-headers.server.ts";

/** The officer's home is the leaders dashboard; old links and bookmarks to /officer still land there. */
export const loader = secureResource(async (_args: LoaderFunctionArgs) => redirect("/officer/leaders"));
