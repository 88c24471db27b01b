import { Body } from "@react-email/body";
import { Container } from "@react-email/container";
import { Head } from "@react-email/head";
import { Hr } from "@react-email/hr";
import { Html } from "@react-email/html";
import { Preview } from "@react-email/preview";
import { Section } from "@react-email/section";
import { Text } from "@react-email/text";
import type { ReactNode } from "react";

const styles = {
  body: { backgroundColor: "#f4f1fa", fontFamily: "Helvetica, Arial, sans-serif", margin: 0, padding: "24px 0" },
  container: { backgroundColor: "#ffffff", borderRadius: "8px", maxWidth: "560px", margin: "0 auto", padding: "32px" },
  brand: { color: "#5b21b6", fontSize: "14px", fontWeight: 700, letterSpacing: "0.04em", margin: "0 0 16px" },
  footer: { color: "#4b5563", fontSize: "12px", lineHeight: "18px", margin: "0" },
};

export function EmailLayout({ preview, children }: { preview: string; children: ReactNode }) {
  return (
    <Html lang="en-GB">
      <Head />
      <Preview>{preview}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Text style={styles.brand}>#NeverOK Training</Text>
          {children}
          <Hr style={{ borderColor: "#e5e7eb", margin: "28px 0 16px" }} />
          <Section>
            <Text style={styles.footer}>
              If something has happened to you or someone you know, you can use Report + Support (named or anonymously), talk to the Advice and Support Centre
              in the Students&apos; Union, or in an emergency call 999.
            </Text>
          </Section>
        </Container>
      </Body>
    </Html>
  );
}

export const emailText = {
  heading: { color: "#111827", fontSize: "22px", fontWeight: 700, margin: "0 0 16px" },
  paragraph: { color: "#1f2937", fontSize: "16px", lineHeight: "24px", margin: "0 0 16px" },
  small: { color: "#4b5563", fontSize: "14px", lineHeight: "20px", margin: "0 0 12px" },
  button: {
    backgroundColor: "#5b21b6",
    borderRadius: "6px",
    color: "#ffffff",
    display: "inline-block",
    fontSize: "16px",
    fontWeight: 600,
    padding: "12px 20px",
    textDecoration: "none",
  },
};
