import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type TypedResponse } from "@remix-run/node";
import crypto from "node:crypto";
import type { z } from "zod";
import { RuleViolation } from "#app/utils/errors.ts";
import { isFormTooLarge, readFormData } from "#app/utils/request-body.server.ts";
import { fileTooLargeMessage, importUploadSchema, MAX_IMPORT_BYTES } from "./import.ts";
import type { ImportPreview } from "./import.server.ts";

/**
 * Getting a file from the browser to the preview, and from the preview to the import. Between the
 * two the file travels in the confirm form itself (a hidden field): it is the person's own data, at
 * most MAX_IMPORT_BYTES, and the import works the preview out again from it, so a changed field can
 * do no more than uploading a different file. Nothing about an abandoned preview is left on the
 * server, which matters for a list of people's names and emails.
 */

/**
 * The largest upload or confirmation an import takes: a little over the file limit, so the hidden
 * copy of a file that grew when re-encoded as UTF-8 still reaches the preview, which says precisely
 * what is wrong with it.
 */
const IMPORT_FORM_MAX_BYTES = MAX_IMPORT_BYTES + 64 * 1024;

/** The form of an upload or a confirmation, or null when it was larger than an import may be. */
async function readImportForm(request: Request): Promise<FormData | null> {
  try {
    return await readFormData(request, { multipart: true, maxBytes: IMPORT_FORM_MAX_BYTES });
  } catch (thrown) {
    // Said beside the file field rather than on an error page.
    if (isFormTooLarge(thrown)) return null;
    throw thrown;
  }
}

/**
 * The text of a CSV file, in the encoding its byte-order mark names: Excel's "CSV UTF-8" (UTF-8
 * with a mark) and its "Unicode text" (UTF-16, little- or big-endian, with a mark). Without a mark,
 * UTF-8, or else Excel's older plain "CSV", Windows-1252, read as such so "Zoë" stays Zoë; UTF-16
 * that lost its mark is recognised by its zero bytes. A workbook saved as .xlsx, and anything that
 * is not text, is refused with the way to save it as CSV.
 */
export function decodeImportFile(bytes: Uint8Array): string {
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

/** UTF-16 without a mark: in a list's mostly Latin text every other byte is zero. */
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
 * of the preview the person read; if the list has changed since (another import, an edit), the new
 * preview is shown again instead of importing something nobody has seen.
 */
function previewFingerprint(scope: unknown, preview: ImportPreview<object>): string {
  const hash = crypto.createHash("sha256");
  hash.update(JSON.stringify([scope, preview.fileErrors, preview.counts, preview.notInFile]));
  for (const r of preview.rows) hash.update(JSON.stringify(r));
  return hash.digest("hex").slice(0, 32);
}

/** The upload step's answer: the form's result, its messages beside the fields. */
interface ImportUploadStep {
  step: "upload";
  result: SubmissionResult<string[]>;
}

/** The preview step's answer: what importing would do, and what the confirmation sends back. */
export interface ImportPreviewStep<Preview> {
  step: "preview";
  preview: Preview;
  /** The fields that say where the file goes, as the confirmation sends them again. */
  scope: Record<string, string>;
  csv: string;
  fileName: string;
  fingerprint: string;
  notice: string | null;
  confirmError: string | null;
}

export interface ImportSteps<Shape extends z.ZodRawShape, Preview extends ImportPreview<object>> {
  /** The fields besides the file that say where it goes (an academic year). */
  scope: z.ZodObject<Shape>;
  preview(scope: z.output<z.ZodObject<Shape>>, csv: string): Promise<Preview>;
  /** Writes the file and sends the person on; throws RuleViolation when the file cannot be imported as it stands. */
  commit(scope: z.output<z.ZodObject<Shape>>, csv: string, options: { skipErrors: boolean }): Promise<TypedResponse<never>>;
  /** Said when the list changed between the preview the person read and their confirmation. */
  changedNotice: string;
}

/**
 * An import page's action: an upload is checked and previewed, writing nothing; a confirmation
 * imports the file it carries if the preview is still the one the person read, and otherwise shows
 * the new one. A file that cannot be read, or is too large, is said beside the file field.
 */
export async function importSubmission<Shape extends z.ZodRawShape, Preview extends ImportPreview<object>>(
  request: Request,
  steps: ImportSteps<Shape, Preview>,
) {
  const formData = await readImportForm(request);
  if (!formData) {
    const reply = parseWithZod(new FormData(), { schema: importUploadSchema(steps.scope) }).reply({ fieldErrors: { file: [fileTooLargeMessage()] } });
    return uploadStep(reply, 413);
  }
  return formData.get("intent") === "confirm" ? confirmImport(formData, steps) : previewUpload(formData, steps);
}

const uploadStep = (result: SubmissionResult<string[]>, status: number) => data<ImportUploadStep>({ step: "upload", result }, { status });

async function previewUpload<Shape extends z.ZodRawShape, Preview extends ImportPreview<object>>(formData: FormData, steps: ImportSteps<Shape, Preview>) {
  const submission = parseWithZod(formData, { schema: importUploadSchema(steps.scope) });
  if (submission.status !== "success") return uploadStep(submission.reply(), 400);
  const file = formData.get("file") as Blob & { name?: string };
  try {
    const csv = decodeImportFile(new Uint8Array(await file.arrayBuffer()));
    const preview = await steps.preview(steps.scope.parse(submission.value), csv);
    return previewStep(formData, steps, { preview, csv, fileName: file.name || "file.csv" });
  } catch (err) {
    if (err instanceof RuleViolation) return uploadStep(submission.reply({ fieldErrors: { [err.field]: [err.message] } }), 400);
    throw err;
  }
}

async function confirmImport<Shape extends z.ZodRawShape, Preview extends ImportPreview<object>>(formData: FormData, steps: ImportSteps<Shape, Preview>) {
  const scope = steps.scope.safeParse(Object.fromEntries(formData));
  const csv = formData.get("csv");
  if (!scope.success || typeof csv !== "string") throw data({ message: "Choose the file again." }, { status: 400 });
  const sent = String(formData.get("fileName") ?? "") || "file.csv";
  let preview: Preview;
  try {
    preview = await steps.preview(scope.data, csv);
  } catch (err) {
    if (err instanceof RuleViolation) throw data({ message: `${err.message}. Choose the file again.` }, { status: 400 });
    throw err;
  }
  if (previewFingerprint(sentScope(formData, steps.scope), preview) !== formData.get("fingerprint")) {
    return previewStep(formData, steps, { preview, csv, fileName: sent, notice: steps.changedNotice }, 409);
  }
  try {
    return await steps.commit(scope.data, csv, { skipErrors: formData.get("skipErrors") === "on" });
  } catch (err) {
    if (err instanceof RuleViolation) return previewStep(formData, steps, { preview, csv, fileName: sent, confirmError: err.message }, 400);
    throw err;
  }
}

/** The scope as it was sent, for the confirmation to send again. */
const sentScope = (form: FormData, scope: z.ZodObject) => Object.fromEntries(Object.keys(scope.shape).map((k) => [k, String(form.get(k) ?? "")]));

function previewStep<Shape extends z.ZodRawShape, Preview extends ImportPreview<object>>(
  form: FormData,
  steps: ImportSteps<Shape, Preview>,
  shown: { preview: Preview; csv: string; fileName: string; notice?: string; confirmError?: string },
  status = 200,
) {
  const scope = sentScope(form, steps.scope);
  return data<ImportPreviewStep<Preview>>(
    {
      step: "preview",
      preview: shown.preview,
      scope,
      csv: shown.csv,
      fileName: shown.fileName,
      fingerprint: previewFingerprint(scope, shown.preview),
      notice: shown.notice ?? null,
      confirmError: shown.confirmError ?? null,
    },
    { status },
  );
}
