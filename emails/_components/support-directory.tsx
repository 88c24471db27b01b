import { Link } from "@react-email/link";
import { Section } from "@react-email/section";
import { Text } from "@react-email/text";

/** One service as the directory lists it (the app's SupportServiceView fits). */
export interface SupportDirectoryEntry {
  name: string;
  purpose: string;
  url: string | null;
  phone: string | null;
  /** The phone number as a tel: link. */
  phoneHref: string | null;
  hours: string | null;
  urgent: boolean;
}

const styles = {
  box: { border: "1px solid #c4b5fd", borderRadius: "8px", padding: "12px 16px", margin: "24px 0 0" },
  heading: { color: "#111827", fontSize: "16px", fontWeight: 700, lineHeight: "22px", margin: "0 0 4px" },
  intro: { color: "#1f2937", fontSize: "14px", lineHeight: "20px", margin: "0 0 12px" },
  name: { color: "#111827", fontSize: "14px", fontWeight: 700, lineHeight: "20px", margin: "0" },
  urgent: { color: "#991b1b", fontWeight: 700 },
  line: { color: "#1f2937", fontSize: "14px", lineHeight: "20px", margin: "0" },
  reach: { color: "#1f2937", fontSize: "14px", lineHeight: "20px", margin: "0 0 12px" },
  link: { color: "#5b21b6", fontWeight: 600 },
};

/**
 * The support directory the coordinator keeps, for any message that may reach someone these
 * sessions have affected: urgent services first and marked, each with a link or number to reach it.
 */
export function SupportDirectory({ services }: { services: SupportDirectoryEntry[] }) {
  return (
    <Section style={styles.box}>
      <Text style={styles.heading}>Support, whenever you need it</Text>
      <Text style={styles.intro}>If this topic brings something up for you, you can talk to someone or report what happened, named or anonymously.</Text>
      {services.length ? (
        services.map((s) => (
          <Section key={s.name}>
            <Text style={styles.name}>
              {s.urgent ? <span style={styles.urgent}>URGENT: </span> : null}
              {s.name}
            </Text>
            <Text style={styles.line}>{s.purpose}</Text>
            <Text style={styles.reach}>
              {s.phoneHref ? (
                <>
                  Call{" "}
                  <Link href={s.phoneHref} style={styles.link}>
                    {s.phone}
                  </Link>
                </>
              ) : null}
              {s.phoneHref && s.url ? " · " : null}
              {s.url ? (
                // The address itself, so the plain-text copy shows it once and people can see where it goes.
                <Link href={s.url} style={styles.link}>
                  {s.url}
                </Link>
              ) : null}
              {s.hours ? ` · ${s.hours}` : null}
            </Text>
          </Section>
        ))
      ) : (
        <Text style={styles.reach}>
          In an emergency, or if you are in danger now, call{" "}
          <Link href="tel:999" style={styles.link}>
            999
          </Link>
          .
        </Text>
      )}
    </Section>
  );
}

/** What the preview server shows. */
export const EXAMPLE_SUPPORT: SupportDirectoryEntry[] = [
  {
    name: "Emergency services",
    purpose: "If you or someone else is in danger now, or a crime is happening: police, ambulance or fire.",
    url: null,
    phone: "999",
    phoneHref: "tel:999",
    hours: "24 hours",
    urgent: true,
  },
  {
    name: "Report + Support",
    purpose: "Report an incident online to the University, anonymously if you wish.",
    url: "https://reportandsupport.example.ac.uk/",
    phone: null,
    phoneHref: null,
    hours: null,
    urgent: false,
  },
];
