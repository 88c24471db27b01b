import type { SupportDirectoryEntry } from "#emails/_components/support-directory.tsx";

/** One service as every page and email shows it: what the emails take, and its id. */
export type SupportServiceView = SupportDirectoryEntry & { id: number };

/**
 * A phone number as a link a phone can dial: digits only, with a leading + kept. In an international
 * number the trunk zero written "(0)" is not dialled, so "+44 (0)20 7946 0000" becomes tel:+442079460000.
 */
export function telHref(phone: string): string {
  const international = phone.trim().startsWith("+");
  const digits = (international ? phone.replace(/\(0\)/g, "") : phone).replace(/\D/g, "");
  return `tel:${international ? "+" : ""}${digits}`;
}
