import { isFormTooLarge, readFormData } from "#app/utils/request-body.server.ts";
import crypto from "node:crypto";
import { RuleViolation } from "#app/utils/errors.ts";
import { MAX_ROSTER_BYTES, type RosterPreview } from "#app/compliance/roster-import.server.ts";

/**
 * Getting a roster file from the officer's browser to the preview, and from the preview to the
 * import. Between the two the file travels in the confirm form itself (a hidden field): it is the
 * officer's own data, at most MAX_ROSTER_BYTES, and the import works the preview out again from
 * it, so a changed field can do no more than uploading a different file. Nothing about an
 * abandoned preview is left on the server, which matters for a list of students' names and emails.
 */

export const ROSTER_MAX_MB = MAX_ROSTER_BYTES / 1024 / 1024;
export const tooLargeMessage = (bytes?: number) =>
  `The file is larger than ${ROSTER_MAX_MB} MB${bytes ? ` (${(bytes / 1024 / 1024).toFixed(1)} MB)` : ""}. Split it into smaller files and import each.`;

/**
 * The largest upload or confirmation the import takes: a little over the file limit, so the hidden
 * copy of a file that grew when re-encoded as UTF-8 still reaches the preview, which says precisely
 * what is wrong with it.
 */
export const ROSTER_FORM_MAX_BYTES = MAX_ROSTER_BYTES + 64 * 1024;

/** The form of an upload or a confirmation, or null when it was larger than a roster may be. */
export async function readRosterForm(request: Request): Promise<FormData | null> {
  try {
    return await readFormData(request, { multipart: true, maxBytes: ROSTER_FORM_MAX_BYTES });
  } catch (thrown) {
    // Said beside the file field rather than on an error page.
    if (isFormTooLarge(thrown)) return null;
    throw thrown;
  }
}

export function isUploadedFile(value: unknown): value is Blob & { name?: string } {
  return typeof value === "object" && value !== null && typeof (value as Blob).arrayBuffer === "function" && typeof (value as Blob).size === "number";
}

/**
 * The text of a CSV file, in the encoding its byte-order mark names: Excel's "CSV UTF-8" (UTF-8
 * with a mark) and its "Unicode text" (UTF-16, little- or big-endian, with a mark). Without a mark,
 * UTF-8, or else Excel's older plain "CSV", Windows-1252, read as such so "Zoë" stays Zoë; UTF-16
 * that lost its mark is recognised by its zero bytes. A workbook saved as .xlsx, and anything that
 * is not text, is refused with the way to save it as CSV.
 */
export function decodeRosterFile(bytes: Uint8Array): string {
  const startsWith = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  const saveAs = "In Excel choose File › Save As › “CSV UTF-8 (Comma delimited)”, then upload that file.";
  if (startsWith(0x50, 0x4b, 0x03, 0x04) || startsWith(0xd0, 0xcf, 0x11, 0xe0)) {
    throw new RuleViolation("file", `This is an Excel workbook, not a CSV file. ${saveAs}`);
  }
  const decode = (encoding: string, what: string) => {
    try {
      // TextDecoder drops the byte-order mark itself.
      return new TextDecoder(encoding, { fatal: true }).decode(bytes);
    } catch {
      throw new RuleViolation("file", `The file says it is ${what} but part of it is not. ${saveAs}`);
    }
  };
  if (startsWith(0xff, 0xfe, 0x00, 0x00) || startsWith(0x00, 0x00, 0xfe, 0xff)) {
    throw new RuleViolation("file", `This file is saved as UTF-32, which the import cannot read. ${saveAs}`);
  }
  if (startsWith(0xef, 0xbb, 0xbf)) return decode("utf-8", "UTF-8");
  if (startsWith(0xff, 0xfe)) return decode("utf-16le", "UTF-16");
  if (startsWith(0xfe, 0xff)) return decode("utf-16be", "UTF-16");
  const withoutMark = utf16WithoutMark(bytes);
  if (withoutMark) return decode(withoutMark, "UTF-16");
  if (bytes.includes(0)) throw new RuleViolation("file", `This is not a text file. ${saveAs}`);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

/** UTF-16 without a mark: in a roster's mostly Latin text every other byte is zero. */
function utf16WithoutMark(bytes: Uint8Array): "utf-16le" | "utf-16be" | null {
  const sample = bytes.subarray(0, Math.min(bytes.length, 4096) & ~1);
  if (sample.length < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample.length; i += 2) {
    if (sample[i] === 0) evenZeros++;
    if (sample[i + 1] === 0) oddZeros++;
  }
  const pairs = sample.length / 2;
  if (oddZeros > pairs * 0.6 && evenZeros < pairs * 0.1) return "utf-16le";
  if (evenZeros > pairs * 0.6 && oddZeros < pairs * 0.1) return "utf-16be";
  return null;
}

/**
 * What a preview says would happen, reduced to a short digest. The confirmation carries the digest
 * of the preview the officer read; if the roster has changed since (another import, an edit), the
 * new preview is shown again instead of importing something nobody has seen.
 */
export function previewFingerprint(preview: RosterPreview): string {
  const hash = crypto.createHash("sha256");
  hash.update(JSON.stringify([preview.startYear, preview.fileErrors, preview.counts, preview.notInFile]));
  for (const r of preview.rows) hash.update(JSON.stringify([r.row, r.action, r.personId, r.appointmentId, r.changes, r.errors]));
  return hash.digest("hex").slice(0, 32);
}
