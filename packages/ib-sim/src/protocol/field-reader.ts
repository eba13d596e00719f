/**
 * Sequential reader over the fields of one client message, with the same conversions the TWS API
 * uses (empty numeric fields read as 0).
 */

/** Thrown when a message has fewer fields than its layout requires. */
export class MessageUnderrunError extends Error {
  constructor(what: string) {
    super(`Message ended before field "${what}"`);
    this.name = 'MessageUnderrunError';
  }
}

/** Reads the fields of one message in order. */
export class FieldReader {
  private index = 0;

  constructor(private readonly fields: readonly string[]) {}

  /** Number of fields not read yet. */
  get remaining(): number {
    return this.fields.length - this.index;
  }

  /** Next field as text. */
  str(what: string): string {
    const value = this.fields[this.index];
    if (value === undefined) throw new MessageUnderrunError(what);
    this.index += 1;
    return value;
  }

  /** Next field as an integer; empty reads as 0, like the Java client's `readInt`. */
  int(what: string): number {
    const text = this.str(what);
    if (text === '') return 0;
    const value = Number.parseInt(text, 10);
    return Number.isNaN(value) ? 0 : value;
  }

  /** Next field as a float; empty reads as 0. */
  float(what: string): number {
    const text = this.str(what);
    if (text === '') return 0;
    const value = Number.parseFloat(text);
    return Number.isNaN(value) ? 0 : value;
  }

  /** Next field as a boolean: `1`/`0` on the wire; `true`/`false` text is tolerated. */
  bool(what: string): boolean {
    const text = this.str(what).trim().toLowerCase();
    if (text === 'true') return true;
    const value = Number.parseInt(text, 10);
    return !Number.isNaN(value) && value !== 0;
  }

  /** Next field as text, or `fallback` when the message has no more fields (optional trailing fields). */
  optionalStr(fallback = ''): string {
    return this.remaining > 0 ? this.str('optional') : fallback;
  }
}
