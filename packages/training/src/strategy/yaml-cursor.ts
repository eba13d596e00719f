import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { StrategyProblem } from './problems';

/** Where problems go while a file is read. @internal */
export interface ProblemSink {
  readonly problems: StrategyProblem[];
  /** Fields accepted with a warning; they become `StrategyConfig.warnings`. */
  readonly warnings: StrategyProblem[];
  readonly lineCounter: LineCounter;
  readonly document: Document;
}

/**
 * A position in the parsed YAML tree: the node found at a field path (if any), with the key node that
 * introduced it, so every problem can be reported at the right line even for missing fields.
 * @internal
 */
export class YamlCursor {
  constructor(
    private readonly sink: ProblemSink,
    /** Dotted field path, '' for the document root. */
    readonly path: string,
    readonly node: Node | undefined,
    /** Node to blame when `node` is absent: the key, or the nearest existing ancestor. */
    private readonly anchor: Node | undefined,
  ) {}

  /** The root of `document`. */
  static root(sink: ProblemSink): YamlCursor {
    const contents = sink.document.contents;
    return new YamlCursor(sink, '', contents === null ? undefined : resolve(sink, contents), undefined);
  }

  /** True when the field is absent or explicitly null (`key:` with nothing after it). */
  get missing(): boolean {
    return this.node === undefined || (isScalar(this.node) && this.node.value === null);
  }

  get isMap(): boolean {
    return isMap(this.node);
  }

  get isSeq(): boolean {
    return isSeq(this.node);
  }

  /** Plain JavaScript value of the node (undefined when missing). */
  value(): unknown {
    return this.missing ? undefined : (this.node as Node).toJSON();
  }

  /** The original text of a scalar (keeps `1.0` as written where the value would be the number 1). */
  sourceText(): string | undefined {
    return isScalar(this.node) ? (this.node.source ?? String(this.node.value)) : undefined;
  }

  /** The child at `key` of a map node (a missing cursor when this is not a map or has no such key). */
  child(key: string): YamlCursor {
    const path = this.path === '' ? key : `${this.path}.${key}`;
    if (isMap(this.node)) {
      for (const pair of this.node.items) {
        const pairKey = pair.key as Node | null;
        if (isScalar(pairKey) && String(pairKey.value) === key) {
          const value = pair.value as Node | null;
          return new YamlCursor(
            this.sink,
            path,
            value === null ? undefined : resolve(this.sink, value),
            pairKey,
          );
        }
      }
    }
    return new YamlCursor(this.sink, path, undefined, this.node ?? this.anchor);
  }

  /** Keys of a map node in file order, each with its cursor. */
  entries(): Array<[key: string, cursor: YamlCursor]> {
    if (!isMap(this.node)) return [];
    return this.node.items.map((pair) => {
      const key = pair.key as Node | null;
      const name = isScalar(key) ? String(key.value) : String(key);
      return [name, this.child(name)];
    });
  }

  /** Items of a sequence node, `path[i]` each. */
  items(): YamlCursor[] {
    if (!isSeq(this.node)) return [];
    return this.node.items.map((item, i) => {
      const node = item as Node | null;
      return new YamlCursor(
        this.sink,
        `${this.path}[${i}]`,
        node === null ? undefined : resolve(this.sink, node),
        this.node,
      );
    });
  }

  /** Records a problem about this field, located at its node (or its key / parent when missing). */
  report(message: string, field: string = this.path || '(root)'): void {
    this.sink.problems.push(this.locate(field, message));
  }

  /** Records a problem about the key `key` of this map (unknown keys, misspellings). */
  reportKey(key: string, message: string): void {
    this.keyCursor(key).report(message);
  }

  /**
   * Records a warning about this field: accepted, but something about it has no effect here (a key
   * Python KTRDR only warns about, an unknown top-level key).
   */
  warn(message: string): void {
    this.sink.warnings.push(this.locate(this.path || '(root)', message));
  }

  /** Records a warning about the key `key` of this map. */
  warnKey(key: string, message: string): void {
    this.keyCursor(key).warn(message);
  }

  /** A cursor on the key node `key` of this map, so problems point at the key itself. */
  private keyCursor(key: string): YamlCursor {
    const path = this.path === '' ? key : `${this.path}.${key}`;
    if (!isMap(this.node)) return new YamlCursor(this.sink, path, undefined, this.node ?? this.anchor);
    const pair = this.node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    return new YamlCursor(this.sink, path, pair?.key as Node | undefined, this.node);
  }

  private locate(field: string, message: string): StrategyProblem {
    const blamed = this.node ?? this.anchor;
    const { line, col } = this.sink.lineCounter.linePos(blamed?.range?.[0] ?? 0);
    return { field, line, column: col, message };
  }
}

function resolve(sink: ProblemSink, node: Node): Node | undefined {
  if (!isAlias(node)) return node;
  return (node.resolve(sink.document) as Node | undefined) ?? undefined;
}
