import type { MetaFunction } from "@remix-run/node";

export const meta: MetaFunction = () => [{ title: "A bare Remix page" }];

const PARAGRAPHS = Array.from(
  { length: 12 },
  (_, i) =>
    `Paragraph ${i + 1}. A page of fixed text, as long as a short notice, rendered by Remix with no loader, no data, no session and no styles: what the framework itself costs to answer a request for a page.`,
);

export default function Index() {
  return (
    <main>
      <h1>A bare Remix page</h1>
      {PARAGRAPHS.map((text) => (
        <p key={text}>{text}</p>
      ))}
    </main>
  );
}
