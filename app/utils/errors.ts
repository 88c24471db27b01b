/** A business rule refused what someone asked for; `field` says where the message belongs on the form. */
export class RuleViolation extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
