import contentDisposition from "content-disposition";

/**
 * The Content-Disposition of a download or a feed, written by the content-disposition package:
 * the name is quoted and escaped, and a name outside ASCII goes in filename* (RFC 6266 / 8187) with
 * an ASCII fallback beside it. A name often carries an organisation's, a group's or a course's name,
 * so quotes, line breaks, control characters and path separators are taken out before it is written.
 */
export function contentDispositionHeader(filename: string, type: "attachment" | "inline" = "attachment"): string {
  const name =
    filename
      .normalize("NFC")
      .replace(/"/g, "")
      .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}/\\]+/gu, " ")
      .replace(/\s+/g, " ")
      .trim() || "download";
  const fallback =
    name
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .replace(/[^\x20-\x7e]+/g, "-")
      .replace(/["%]/g, "")
      .trim() || "download";
  return contentDisposition(name, { type, fallback });
}
