/** What a loader or action answered, whether it returned or threw it. */
export interface RouteOutcome {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a page's data is read loosely here; each test's expectations check the parts it needs
  body: any;
  headers: Headers;
  /** Where a redirect sends the browser. */
  location: string | null;
  /** The Response, when the route answered with one (its body unread). */
  response: Response | null;
  /** What an Error the route threw said (Remix would answer 500), with its stack. */
  error?: string;
}

/**
 * Runs a loader or action and reads its answer: a Response (body left unread), `data(...)` with its
 * status and headers, plain data, or an Error thrown (status 500).
 */
export async function routeOutcome(run: () => Promise<unknown>): Promise<RouteOutcome> {
  let result: unknown;
  try {
    result = await run();
  } catch (thrown) {
    result = thrown;
  }
  const answer = (status: number, body: unknown, headers: Headers, response: Response | null = null) => ({
    status,
    body,
    headers,
    location: headers.get("Location"),
    response,
  });
  if (result instanceof Response) return answer(result.status, null, result.headers, result);
  if (result instanceof Error) return { ...answer(500, null, new Headers()), error: result.stack ?? result.message };
  const wrapped = result as { data?: unknown; init?: { status?: number; headers?: HeadersInit } | null; type?: string } | null;
  if (wrapped?.type === "DataWithResponseInit") return answer(wrapped.init?.status ?? 200, wrapped.data, new Headers(wrapped.init?.headers));
  return answer(200, result, new Headers());
}

/** The status of whatever a loader or action returned or threw. */
export const statusOf = async (run: () => Promise<unknown>): Promise<number> => (await routeOutcome(run)).status;
