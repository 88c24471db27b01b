import js from "@eslint/js";
import prettier from "eslint-config-prettier/flat";
import { defineConfig, globalIgnores } from "eslint/config";
import jsxA11y from "eslint-plugin-jsx-a11y";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

/** Anything that reads a request's body itself, past readFormData's content-type, size and UTF-8 checks. */
const READ_WITH_READFORMDATA = "Read a submitted form with readFormData(request) from #app/utils/request-body.server.ts.";
const BODY_READERS = [
  // formData() on anything: the request, a clone of it, a Request made from it.
  { selector: "CallExpression > MemberExpression.callee:matches([property.name='formData'], [property.value='formData'])", message: READ_WITH_READFORMDATA },
  {
    selector:
      "MemberExpression[object.name='request']:matches([property.name=/^(body|json|text|arrayBuffer|blob|bytes|clone)$/], [property.value=/^(body|json|text|arrayBuffer|blob|bytes|clone)$/])",
    message: READ_WITH_READFORMDATA,
  },
];

/**
 * Kysely's transaction() on SQLite is BEGIN DEFERRED: a transaction that reads and then writes can
 * fail at once with "database is locked" when another process writes in between.
 */
const TRANSACTIONS = [
  {
    selector: "CallExpression > MemberExpression.callee[property.name='transaction']",
    message: "Use writeTransaction(db, fn) from #db/transaction.ts: it takes the write lock before the first read.",
  },
];

/**
 * Intl's conveniences given options build a new collator or formatter on every call: 20–80 µs each,
 * against well under a microsecond for one made once. Sorting a register of 40 names that way took
 * most of a millisecond.
 */
const INTL_PER_CALL = [
  {
    selector: "CallExpression[callee.property.name='localeCompare'][arguments.length>2]",
    message: "Sort text with compareText or byName from #app/utils/text-order.ts: localeCompare with options builds a collator on every call.",
  },
  {
    selector: "CallExpression[callee.property.name=/^toLocale(Date|Time)?String$/][arguments.length>1]",
    message:
      "Format with an Intl formatter made once (formatCount in #app/utils/plural.ts, the formatters in #app/utils/dates.ts): toLocaleString with options builds one on every call.",
  },
];

export default defineConfig(
  globalIgnores(["build/", "bench/bare/build/", "data/", "coverage/", "backups/", ".cache/", "test-results/", ".tmp/"]),
  { linterOptions: { reportUnusedDisableDirectives: "error" } },

  js.configs.recommended,
  // Type-aware rules were measured at more than twice the time and 2 GB of memory: tsc already runs in `npm test`.
  tseslint.configs.recommended,
  {
    rules: {
      // The same convention as tsc's noUnusedParameters: a leading underscore marks a parameter a signature needs.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", ignoreRestSiblings: true }],
    },
  },
  {
    files: ["{app,emails}/**/*.{ts,tsx}"],
    extends: [reactHooks.configs.flat.recommended],
  },
  {
    files: ["**/*.tsx"],
    extends: [jsxA11y.flatConfigs.strict],
    rules: {
      // A box that scrolls is a named region the keyboard can reach and scroll (WCAG 2.1.1).
      "jsx-a11y/no-noninteractive-tabindex": ["error", { tags: [], roles: ["region"] }],
      // Our choice cards put the visible text two elements inside the label.
      "jsx-a11y/label-has-associated-control": ["error", { depth: 3 }],
    },
  },
  {
    files: ["app/**/*.{ts,tsx}", "server/**/*.ts"],
    ignores: ["app/utils/request-body.server.ts", "**/*.test.{ts,tsx}"],
    rules: {
      "no-restricted-syntax": ["error", ...BODY_READERS, ...TRANSACTIONS, ...INTL_PER_CALL],
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@remix-run/node",
              importNames: ["unstable_parseMultipartFormData"],
              message: "Read a submitted form with readFormData(request, { multipart: true }) from #app/utils/request-body.server.ts.",
            },
          ],
        },
      ],
    },
  },
  {
    // db/ is the ground floor: the schema, migrations, connection and transactions; everything else builds on it.
    files: ["db/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(#(app|seed|emails|tests)/|(\\.\\./)+(app|seed|emails|tests|scripts|server|bench)/)",
              message: "db/ imports nothing from the floors above it (app/, seed/, emails/, tests/, scripts/, server/, bench/).",
            },
          ],
        },
      ],
    },
  },
  {
    // Migrations are frozen in time: they see the schema as it was then, not db/schema.ts, so Kysely's
    // own guidance types them Kysely<any>.
    files: ["db/migrations/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
    },
  },

  prettier,
);
