/** What a loader or action answered, whether it returned or threw it. */
export interface RouteOutcome {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a page's data is read loosely here; each test's expectations check the parts it needs
  body: any;
  headers: Headers;
}

/** Runs a loader or action and reads its answer: a Response (body left unread), `data(...)` with its status and headers, or plain data. */
export async function routeOutcome(run: () => Promise<unknown>): Promise<RouteOutcome> {
  let result: unknown;
  try {
    result = await run();
  } catch (thrown) {
    result = thrown;
  }
  if (result instanceof Response) return { status: result.status, body: null, headers: result.headers };
  const wrapped = result as { data?: unknown; init?: { status?: number; headers?: HeadersInit } | null; type?: string } | null;
  if (wrapped?.type === "DataWithResponseInit") return { status: wrapped.init?.status ?? 200, body: wrapped.data, headers: new Headers(wrapped.init?.headers) };
  return { status: 200, body: result, headers: new Headers() };
}
