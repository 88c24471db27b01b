/** One service as every page and email shows it. */
export interface SupportServiceView {
  id: number;
  name: string;
  purpose: string;
  url: string | null;
  phone: string | null;
  /** The phone number as a tel: link, or null when there is none. */
  phoneHref: string | null;
  hours: string | null;
  urgent: boolean;
}

/**
 * A phone number as a link a phone can dial: digits only, with a leading + kept. In an international
 * number the trunk zero written "(0)" is not dialled, so "+44 (0)20 7946 0000" becomes tel:+442079460000.
 */
export function telHref(phone: string): string {
  const international = phone.trim().startsWith("+");
  const digits = (international ? phone.replace(/\(0\)/g, "") : phone).replace(/\D/g, "");
  return `tel:${international ? "+" : ""}${digits}`;
}
