/** @type {import("prettier").Config} */
export default {
  // The code was written wide. 160 is the width that reflows it least while still breaking every line
  // over 160 characters that Prettier can break (long strings and comments stay as they are).
  printWidth: 160,
};
