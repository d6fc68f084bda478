/** Base of every error the SCIM filter module throws; the simulator answers all of them with 400 INVALID_FILTER. */
export class ScimFilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The filter text is not valid SCIM filter syntax. `position` is the 0-based character offset of the problem. */
export class ScimFilterSyntaxError extends ScimFilterError {
  readonly position: number;

  constructor(message: string, position: number) {
    super(`Invalid filter at position ${position}: ${message}`);
    this.position = position;
  }
}

/** The filter is valid SCIM, but PingOne does not support this attribute/operator pair on this endpoint. */
export class UnsupportedScimFilterError extends ScimFilterError {
  readonly attribute: string;
  readonly operator: string;
  readonly supportedAttributes: readonly string[];
  readonly supportedOperators: readonly string[];

  constructor(attribute: string, operator: string, supportedAttributes: readonly string[], supportedOperators: readonly string[]) {
    const known = supportedAttributes.includes(attribute);
    super(
      known
        ? `The operator '${operator}' is not supported for the attribute '${attribute}'. Supported operators for it: ${supportedOperators.join(', ')}.`
        : `The attribute '${attribute}' is not supported in filters on this endpoint. Supported attributes: ${supportedAttributes.join(', ')}.`,
    );
    this.attribute = attribute;
    this.operator = operator;
    this.supportedAttributes = supportedAttributes;
    this.supportedOperators = supportedOperators;
  }
}
