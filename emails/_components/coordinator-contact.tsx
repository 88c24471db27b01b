import { Link } from "@react-email/link";
import { Text } from "@react-email/text";
import { emailText } from "./layout.tsx";

export interface CoordinatorContactProps {
  name: string;
  email: string;
  phone: string | null;
}

/** Whom a booker asks when the app cannot do what they need: a line under what they are told to do. */
export function CoordinatorContactLine({ contact }: { contact: CoordinatorContactProps | null | undefined }) {
  if (!contact) return null;
  return (
    <Text style={emailText.paragraph}>
      Questions about this booking? Contact {contact.name}, the training coordinator: <Link href={`mailto:${contact.email}`}>{contact.email}</Link>
      {contact.phone ? (
        <>
          {" "}
          or <Link href={`tel:${contact.phone.replace(/[^\d+]/g, "")}`}>{contact.phone}</Link>
        </>
      ) : null}
      .
    </Text>
  );
}

export const EXAMPLE_CONTACT: CoordinatorContactProps = { name: "Alex Morgan", email: "training@neverok.example", phone: "0113 496 0000" };
