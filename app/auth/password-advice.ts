/** What every "choose a password" field says beside it, and what a refusal ends with. */
export const PASSPHRASE_ADVICE =
  "Try a passphrase instead: four or more words that go together only for you, like a short odd sentence. Length matters more than symbols; a password manager can also make one for you.";

export const NEW_PASSWORD_HINT =
  "At least 10 characters. A passphrase of four or more unrelated words is easy to remember and hard to guess; avoid your name, your email address and the name of this site.";
