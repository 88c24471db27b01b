import type { CoordinatorContact } from "./schemas.ts";

/** The coordinator's contact details as one phrase: "Alex Morgan (training@example.ac.uk, 0113 496 0000)". */
export function contactText(contact: CoordinatorContact | null): string {
  if (!contact) return "the training coordinator";
  return `${contact.name} (${[contact.email, contact.phone].filter(Boolean).join(", ")})`;
}
