import fc from 'fast-check';
import { findJsonSyntaxProblem } from './json-syntax';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('findJsonSyntaxProblem', () => {
  it.each([
    ['{"a": }', 1, 7, 'expected a value, found "}"'],
    ['{"a": 1,}', 1, 9, 'expected a double-quoted property name, found "}"'],
    ['{"a": 1', 1, 8, "expected ',' or '}' after the property value, found the end of the text"],
    ['[1 2]', 1, 4, "expected ',' or ']' after the array element, found \"2\""],
    ['{\n  "a": "line\nbreak"\n}', 2, 13, 'control character inside a string (use \\n, \\t, ...)'],
    ['"abc', 1, 1, 'unterminated string'],
    ['"\\x"', 1, 2, 'invalid escape sequence \\x'],
    ['01', 1, 2, 'unexpected "1" after the end of the JSON value'],
    ['', 1, 1, 'expected a value, found the end of the text'],
  ])('%j → line %i, column %i: %s', (text, line, column, problem) => {
    expect(findJsonSyntaxProblem(text)).toMatchObject({ line, column, problem });
  });

  it('finds nothing wrong in any JSON that JSON.stringify writes', () => {
    fc.assert(fc.property(fc.json(), (text) => findJsonSyntaxProblem(text) === undefined));
  });

  it('finds a problem exactly when JSON.parse fails', () => {
    const jsonish = fc.array(fc.constantFrom('{', '}', '[', ']', ',', ':', '"a"', '"\\u00e9"', '1', '-0.5e3', 'true', 'null', ' ', '\n', 'x', '"', '01', '.5'), { maxLength: 12 });
    fc.assert(
      fc.property(jsonish, (tokens) => {
        const text = tokens.join('');
        expect(findJsonSyntaxProblem(text) === undefined).toBe(parses(text));
      }),
      { numRuns: 3_000 },
    );
  });
});
