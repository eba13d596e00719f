/** Declares a function's locals in order and hands out their indices (after the parameters). */
export class Locals {
  readonly types: number[] = [];
  constructor(private readonly params: number) {}
  add(type: number): number {
    this.types.push(type);
    return this.params + this.types.length - 1;
  }
}

/** Accumulates instruction bytes. */
export class Code {
  readonly bytes: number[] = [];
  emit(...parts: ReadonlyArray<readonly number[]>): this {
    for (const part of parts) this.bytes.push(...part);
    return this;
  }
}
