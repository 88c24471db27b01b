import { notFound } from "#app/auth/guards.server.ts";

// Any address no route claims: the root error boundary shows a friendly 404.
export async function loader() {
  throw notFound();
}

export async function action() {
  throw notFound();
}

export default function NotFound() {
  return null;
}
