import { Section } from "@react-email/section";
import { Text } from "@react-email/text";

/** Every sign-up and feedback message says where to find support: these sessions can bring things up. */
export function SupportSignpost() {
  return (
    <Section style={{ border: "1px solid #c4b5fd", borderRadius: "8px", padding: "12px 16px", margin: "0 0 20px" }}>
      <Text style={{ color: "#1f2937", fontSize: "14px", lineHeight: "20px", margin: "0" }}>
        <strong>If this topic brings something up for you:</strong> Report + Support lets you tell us what happened, named or anonymously; the Advice and
        Support Centre in the Students&apos; Union is free and confidential; in an emergency call 999.
      </Text>
    </Section>
  );
}
