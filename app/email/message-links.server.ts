import LinkifyIt from "linkify-it";

/**
 * Only web addresses written out in full: a message's plain text also holds email addresses and
 * bare names like "neverok.example", which are not links the coordinator needs to open.
 */
const linkify = new LinkifyIt({}, { fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false }).add("ftp:", null).add("//", null).add("mailto:", null);

/** Punctuation that ends a sentence or a quotation rather than an address. */
const SENTENCE_END = new Set([".", ",", ";", ":", "!", "?", "…", "'", '"', "”", "’", "»"]);
const OPENER: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
const count = (text: string, ch: string) => text.split(ch).length - 1;

/**
 * linkify-it leaves out most closing punctuation, but keeps some runs ("…/x!)") and typographic
 * quotes; what is left is taken off here, a bracket only when the address did not open it.
 */
function withoutTrailingPunctuation(url: string): string {
  let out = url;
  for (;;) {
    const last = out.slice(-1);
    const opener = OPENER[last];
    if (SENTENCE_END.has(last) || (opener && count(out, opener) < count(out, last))) out = out.slice(0, -1);
    else return out;
  }
}

/**
 * The web addresses in a message's plain text, each once, in order. An address at the end of a
 * sentence, in brackets or in quotes loses that punctuation; brackets that belong to the address
 * ("…/Consent_(law)") are kept.
 */
export function linksInText(text: string): string[] {
  const found = (linkify.match(text) ?? []).map((m) => withoutTrailingPunctuation(m.url)).filter((url) => /^https?:\/\/[^/?#]/i.test(url));
  return Array.from(new Set(found));
}
