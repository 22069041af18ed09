/**
 * Finds where a JSON text first goes wrong. `JSON.parse` in Node 20 often says only
 * "Unexpected token '}'" without a position, and a program manager editing a rule set needs the line.
 */

export type JsonSyntaxProblem = { position: number; line: number; column: number; problem: string };

class JsonSyntaxError extends Error {
  constructor(
    readonly position: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}

const NUMBER_PATTERN = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPABLE = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

function describeCharacter(text: string, position: number): string {
  return position >= text.length ? 'the end of the text' : JSON.stringify(text[position]);
}

/** A recursive-descent reader of the JSON grammar that only reports the first error's position. */
class JsonSyntaxScanner {
  private position = 0;

  constructor(private readonly text: string) {}

  scanDocument(): void {
    this.scanValue();
    this.skipWhitespace();
    if (this.position < this.text.length) this.fail(`unexpected ${describeCharacter(this.text, this.position)} after the end of the JSON value`);
  }

  private fail(problem: string): never {
    throw new JsonSyntaxError(this.position, problem);
  }

  private skipWhitespace(): void {
    while (this.position < this.text.length && WHITESPACE.has(this.text.charAt(this.position))) this.position += 1;
  }

  private expect(character: string, what: string): void {
    this.skipWhitespace();
    if (this.text[this.position] !== character) this.fail(`expected ${what}, found ${describeCharacter(this.text, this.position)}`);
    this.position += 1;
  }

  private scanValue(): void {
    this.skipWhitespace();
    const character = this.text[this.position];
    if (character === '{') return this.scanObject();
    if (character === '[') return this.scanArray();
    if (character === '"') return this.scanString();
    for (const literal of ['true', 'false', 'null']) {
      if (this.text.startsWith(literal, this.position)) {
        this.position += literal.length;
        return;
      }
    }
    NUMBER_PATTERN.lastIndex = this.position;
    const number = NUMBER_PATTERN.exec(this.text);
    if (number) {
      this.position += number[0].length;
      return;
    }
    this.fail(`expected a value, found ${describeCharacter(this.text, this.position)}`);
  }

  private scanObject(): void {
    this.position += 1;
    this.skipWhitespace();
    if (this.text[this.position] === '}') {
      this.position += 1;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.position] !== '"') this.fail(`expected a double-quoted property name, found ${describeCharacter(this.text, this.position)}`);
      this.scanString();
      this.expect(':', "':' after the property name");
      this.scanValue();
      this.skipWhitespace();
      if (this.text[this.position] === '}') {
        this.position += 1;
        return;
      }
      this.expect(',', "',' or '}' after the property value");
    }
  }

  private scanArray(): void {
    this.position += 1;
    this.skipWhitespace();
    if (this.text[this.position] === ']') {
      this.position += 1;
      return;
    }
    for (;;) {
      this.scanValue();
      this.skipWhitespace();
      if (this.text[this.position] === ']') {
        this.position += 1;
        return;
      }
      this.expect(',', "',' or ']' after the array element");
    }
  }

  private scanString(): void {
    const start = this.position;
    this.position += 1;
    while (this.position < this.text.length) {
      const character = this.text.charAt(this.position);
      if (character === '"') {
        this.position += 1;
        return;
      }
      if (character < ' ') this.fail('control character inside a string (use \\n, \\t, ...)');
      if (character === '\\') {
        const escaped = this.text.charAt(this.position + 1);
        if (escaped === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.position + 2, this.position + 6))) {
          this.position += 6;
          continue;
        }
        if (!ESCAPABLE.has(escaped)) this.fail(`invalid escape sequence \\${escaped}`);
        this.position += 2;
        continue;
      }
      this.position += 1;
    }
    this.position = start;
    this.fail('unterminated string');
  }
}

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column };
}

/** Undefined when the text is well-formed JSON. */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  try {
    new JsonSyntaxScanner(text).scanDocument();
    return undefined;
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return { position: error.position, ...lineAndColumn(text, error.position), problem: error.problem };
  }
}
