/**
 * What the access log may print of an address. Emailed links and calendar feeds carry their secret in
 * the path (/set-password/…, /feeds/trainers/….ics), and a log is read by more people, and kept
 * longer, than the secret should ever be: so a path is printed only as far as the app's own routes
 * say it holds no secret.
 *
 * The rule is the other way round from a list of token routes: every dynamic part of a path is
 * replaced by the parameter's name (`/feedback/:token`) unless it is a record number (`$…Id` or
 * `$index`, and digits only). An address no route matches shows as `/*`; query strings are dropped.
 * A new route with a secret in its path is covered without anyone remembering to list it.
 */

/** A route as the server build (and Remix's route manifest) describes it. */
export type RouteEntry = { id: string; parentId?: string; path?: string; index?: boolean };

type Segment = { kind: "static"; text: string } | { kind: "param"; name: string; suffix: string } | { kind: "splat" };

type Pattern = { segments: Segment[]; score: number };

/** Parameters whose values are record numbers, printed as they are when they are digits only. */
const isRecordNumber = (name: string, value: string) => (/Id$/.test(name) || name === "index") && /^\d{1,18}$/.test(value);

/** Addresses that are part of Remix itself, with nothing personal in their path. */
const FRAMEWORK_PATHS = new Set(["/__manifest"]);

/** The full path of each route, its parents' paths included. */
function routePaths(routes: Record<string, RouteEntry | undefined>): string[] {
  const fullPath = (route: RouteEntry): string => {
    const parent = route.parentId ? routes[route.parentId] : undefined;
    const own = route.path ?? "";
    return parent ? `${fullPath(parent)}/${own}` : own;
  };
  return Object.values(routes)
    .filter((r): r is RouteEntry => r !== undefined)
    .map(fullPath);
}

/** Every concrete pattern of a route path: an optional segment (`:lang?`, `edit?`) gives one with it and one without. */
function expandOptional(segments: string[]): string[][] {
  const at = segments.findIndex((s) => s.endsWith("?"));
  if (at === -1) return [segments];
  const withIt = [...segments.slice(0, at), segments[at]!.slice(0, -1), ...segments.slice(at + 1)];
  const without = [...segments.slice(0, at), ...segments.slice(at + 1)];
  return [...expandOptional(withIt), ...expandOptional(without)];
}

function compile(path: string): Pattern[] {
  const parts = path.split("/").filter(Boolean);
  return expandOptional(parts).map((raw) => {
    const segments = raw.map((part): Segment => {
      if (part === "*") return { kind: "splat" };
      const param = /^:([\w-]+)(.*)$/.exec(part);
      if (param) return { kind: "param", name: param[1]!, suffix: param[2]! };
      return { kind: "static", text: part.toLowerCase() };
    });
    // As React Router ranks them: a static segment beats a parameter, which beats a splat.
    const score = segments.reduce((sum, s) => sum + (s.kind === "static" ? 10 : s.kind === "param" ? 3 : -2), segments.length);
    return { segments, score };
  });
}

/** The printed form of `parts` under `pattern`, or null when the pattern does not match them. */
function render(pattern: Pattern, parts: string[]): string | null {
  const out: string[] = [];
  for (let i = 0; i < pattern.segments.length; i++) {
    const seg = pattern.segments[i]!;
    if (seg.kind === "splat") {
      out.push("*");
      return `/${out.join("/")}`;
    }
    const part = parts[i];
    if (part === undefined) return null;
    if (seg.kind === "static") {
      if (part.toLowerCase() !== seg.text) return null;
      out.push(part);
      continue;
    }
    if (seg.suffix && !(part.length > seg.suffix.length && part.toLowerCase().endsWith(seg.suffix.toLowerCase()))) return null;
    const value = seg.suffix ? part.slice(0, -seg.suffix.length) : part;
    out.push(isRecordNumber(seg.name, value) ? part : `:${seg.name}${seg.suffix}`);
  }
  return parts.length === pattern.segments.length ? `/${out.join("/")}` : null;
}

/**
 * A function from a request's URL (path and query, as the request line has it) to what the log prints.
 */
export function pathRedactor(routes: Record<string, RouteEntry | undefined>): (url: string) => string {
  const patterns = routePaths(routes)
    .flatMap(compile)
    .sort((a, b) => b.score - a.score);
  return (url) => {
    let path = url.split("?")[0]!.split("#")[0]!;
    if (FRAMEWORK_PATHS.has(path)) return path;
    // Remix's data requests: /feedback/abc.data is the data of /feedback/abc; /_root.data that of /.
    let data = "";
    if (path === "/_root.data") {
      path = "/";
      data = "_root.data";
    } else if (path.endsWith(".data")) {
      path = path.slice(0, -".data".length);
      data = ".data";
    }
    const parts = path.split("/").filter(Boolean);
    for (const pattern of patterns) {
      const printed = render(pattern, parts);
      if (printed !== null) return data === "_root.data" ? "/_root.data" : `${printed}${data}`;
    }
    return "/*";
  };
}
