import { data, unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";

/**
 * The one way an action reads a submitted form. Every route calls this instead of
 * `request.formData()`, so that whatever arrives (any content type, any size, any bytes) is either a
 * well-formed form within its size limit or a 4xx with a clear message, before any of it is used:
 *
 * - only `application/x-www-form-urlencoded`, and `multipart/form-data` where the route takes files;
 * - the body is counted while it streams in and refused past the limit, so a 50 MB post costs at
 *   most the limit in memory; a declared length past the limit is refused without reading at all;
 * - text must be UTF-8 and percent escapes well formed: a replaced character would be stored as if
 *   the person had typed it; U+0000, which nobody types, is left out;
 * - a multipart body must be complete, ending with its closing boundary.
 */

/** Any form, signed in or not: the longest legitimate one (two 2,000-character answers) fits several times over. */
export const FORM_MAX_BYTES = 64 * 1024;

/** Anonymous forms with only short fields (sign-in, password links, cancelling a place): nothing they take comes near it. */
export const SHORT_FORM_MAX_BYTES = 16 * 1024;

/**
 * No route takes a larger body (the roster upload is the largest); the production server refuses a
 * request that declares more before any route sees it.
 */
export const MAX_REQUEST_BODY_BYTES = 8 * 1024 * 1024;

export type FormReadOptions = {
  /** The largest body this form takes, in bytes (FORM_MAX_BYTES when not given). */
  maxBytes?: number;
  /** Also accept multipart/form-data (file uploads). */
  multipart?: boolean;
};

const URLENCODED = "application/x-www-form-urlencoded";
const MULTIPART = "multipart/form-data";

type Refusal = { status: 400 | 413 | 415; message: string };

const NOT_A_FORM: Refusal = {
  status: 415,
  message: "This request was not sent as a form, so it could not be read and nothing was saved. Please use the form on this site.",
};
const BROKEN_UPLOAD: Refusal = {
  status: 400,
  message: "The form arrived incomplete or damaged, so nothing was saved. Please send it again.",
};
const UNREADABLE_TEXT: Refusal = {
  status: 400,
  message: "The form contained characters that could not be read (it was not sent as UTF-8), so nothing was saved. Please use the form on this site.",
};
/** Every message a refused form is answered with, besides the size limit's. */
export const FORM_REFUSAL_MESSAGES = [NOT_A_FORM.message, BROKEN_UPLOAD.message, UNREADABLE_TEXT.message];

const tooLarge = (maxBytes: number): Refusal => ({
  status: 413,
  message: `The form is larger than this page accepts (${formatBytes(maxBytes)}), so nothing was saved. Shorten what you entered and send it again.`,
});

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** Thrown inside the reader; turned into the thrown 4xx answer at the edge of readFormData. */
class FormRefused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

function refuse(refusal: Refusal): never {
  throw data({ message: refusal.message }, { status: refusal.status });
}

/** Whether `thrown` is readFormData's answer to a body past its size limit. */
export function isFormTooLarge(thrown: unknown): boolean {
  if (typeof thrown !== "object" || thrown === null) return false;
  const init = (thrown as { init?: ResponseInit | null }).init;
  return (thrown as { type?: unknown }).type === "DataWithResponseInit" && init?.status === 413;
}

export async function readFormData(request: Request, options: FormReadOptions = {}): Promise<FormData> {
  const maxBytes = Math.min(options.maxBytes ?? FORM_MAX_BYTES, MAX_REQUEST_BODY_BYTES);
  try {
    const type = parseContentType(request.headers.get("Content-Type"));
    const encoding = request.headers.get("Content-Encoding");
    if (encoding && encoding.trim().toLowerCase() !== "identity") throw new FormRefused(NOT_A_FORM);
    const declared = request.headers.get("Content-Length");
    if (declared !== null && Number(declared) > maxBytes) throw new FormRefused(tooLarge(maxBytes));

    if (type?.essence === URLENCODED) {
      const charset = type.params.get("charset");
      if (charset !== undefined && charset.toLowerCase() !== "utf-8") throw new FormRefused(NOT_A_FORM);
      return parseUrlEncoded(await readAll(limited(request.body, maxBytes)));
    }
    if (type?.essence === MULTIPART && options.multipart) {
      const boundary = type.params.get("boundary");
      // RFC 2046: 1 to 70 characters; a missing or absurd boundary cannot delimit anything.
      if (!boundary || boundary.length > 70) throw new FormRefused(BROKEN_UPLOAD);
      return await parseMultipart(request, boundary, maxBytes);
    }
    throw new FormRefused(NOT_A_FORM);
  } catch (err) {
    if (err instanceof FormRefused) refuse(err.refusal);
    throw err;
  }
}

type ContentType = { essence: string; params: Map<string, string> };

/** `type/subtype; name=value; name="quoted value"`, names and type lower-cased; null when absent. */
function parseContentType(header: string | null): ContentType | null {
  if (!header) return null;
  const [essence = "", ...rest] = header.split(";");
  const params = new Map<string, string>();
  for (const part of rest) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    const name = part.slice(0, eq).trim().toLowerCase();
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1).replace(/\\(.)/g, "$1");
    if (name && !params.has(name)) params.set(name, value);
  }
  return { essence: essence.trim().toLowerCase(), params };
}

/**
 * The body, counted as it arrives: past `maxBytes` the stream errors and nothing more is read. It
 * is not cancelled, because cancelling a Node request body destroys the connection before the
 * refusal can be sent; the server discards whatever the client still sends.
 */
function limited(body: ReadableStream<Uint8Array> | null, maxBytes: number): ReadableStream<Uint8Array> {
  if (!body) return new ReadableStream({ start: (controller) => controller.close() });
  const reader = body.getReader();
  let total = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        // The client went away in the middle of sending.
        controller.error(new FormRefused(BROKEN_UPLOAD));
        return;
      }
      if (chunk.done) {
        controller.close();
        return;
      }
      total += chunk.value.byteLength;
      if (total > maxBytes) {
        reader.releaseLock();
        controller.error(new FormRefused(tooLarge(maxBytes)));
        return;
      }
      controller.enqueue(chunk.value);
    },
    cancel() {
      reader.releaseLock();
    },
  });
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new FormRefused(UNREADABLE_TEXT);
  }
}

/**
 * The URL-encoded form, read as the WHATWG parser does (`+` is a space, `name` without `=` has an
 * empty value) except that it refuses instead of guessing: a bad escape or one that is not UTF-8 is
 * an error, not a replacement character.
 */
function parseUrlEncoded(bytes: Uint8Array): FormData {
  const text = decodeUtf8(bytes);
  const form = new FormData();
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = eq === -1 ? pair : pair.slice(0, eq);
    const value = eq === -1 ? "" : pair.slice(eq + 1);
    form.append(percentDecode(name), percentDecode(value));
  }
  return form;
}

function percentDecode(text: string): string {
  try {
    return withoutNul(decodeURIComponent(text.replace(/\+/g, " ")));
  } catch {
    throw new FormRefused(UNREADABLE_TEXT);
  }
}

/**
 * The text without U+0000, which no keyboard types and PostgreSQL's text cannot hold: kept, it would
 * make a form that SQLite saves fail on PostgreSQL.
 */
function withoutNul(text: string): string {
  return text.includes("\u0000") ? text.replaceAll("\u0000", "") : text;
}

/**
 * A multipart body through Remix's streaming parser: files become File objects, other parts UTF-8
 * text. The parser stops quietly at a body with no boundary in it, so the end of the body is checked
 * for the closing boundary; a body cut short makes the parser throw.
 */
async function parseMultipart(request: Request, boundary: string, maxBytes: number): Promise<FormData> {
  const closing = new TextEncoder().encode(`--${boundary}--`);
  let tail = new Uint8Array(0);
  const reader = limited(request.body, maxBytes).getReader();
  // Reads resolve in order, so the tail is always the end of what has arrived so far.
  const next = async () => {
    const chunk = await reader.read();
    if (!chunk.done) {
      const joined = Buffer.concat([tail, chunk.value]);
      tail = joined.subarray(Math.max(0, joined.length - closing.length - 8));
    }
    return chunk;
  };
  const watched = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const chunk = await next();
      if (chunk.done) controller.close();
      else controller.enqueue(chunk.value);
    },
  });

  const toForm: UploadHandler = async ({ filename, contentType, data: body }) => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body) chunks.push(chunk);
    if (typeof filename === "string") return new File([Buffer.concat(chunks)], filename, { type: contentType });
    return withoutNul(decodeUtf8(Buffer.concat(chunks)));
  };

  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      new Request(request.url, {
        method: "POST",
        headers: { "Content-Type": `${MULTIPART}; boundary=${boundary}` },
        body: watched,
        duplex: "half",
      } as RequestInit),
      toForm,
    );
    // The parser stops at the closing boundary; what follows it (nothing, from a browser) still counts towards the limit.
    while (!(await next()).done);
  } catch (err) {
    if (err instanceof FormRefused) throw err;
    throw new FormRefused(BROKEN_UPLOAD);
  }
  if (!endsWithClosing(tail, closing)) throw new FormRefused(BROKEN_UPLOAD);
  return form;
}

function endsWithClosing(tail: Uint8Array, closing: Uint8Array): boolean {
  let end = tail.length;
  // Line breaks and spaces after the closing boundary are allowed.
  while (end > 0 && (tail[end - 1] === 0x0a || tail[end - 1] === 0x0d || tail[end - 1] === 0x20 || tail[end - 1] === 0x09)) end--;
  if (end < closing.length) return false;
  return closing.every((b, i) => tail[end - closing.length + i] === b);
}
