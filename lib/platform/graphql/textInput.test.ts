import { parse } from 'graphql';
import { findUnsafeText } from './textInput.js';

const doc = parse('query($i: In) { f(a: "plain", b: ["x"]) }');

describe('text inputs', () => {
  test.each([
    ['NUL', '\u0000'],
    ['a C0 control', '\u0007'],
    ['DEL', '\u007F'],
    ['a C1 control', '\u0085'],
    ['a right-to-left override', '\u202E'],
    ['an isolate', '\u2066'],
    ['a right-to-left mark', '\u200F'],
    ['a lone surrogate', '\uD800x'],
  ])('%s anywhere in the variables is found, with where it was', (_, character) => {
    expect(findUnsafeText(doc, { i: { deep: ['ok', `bad${character}`] } })).toMatchObject({ where: '$.i.deep[1]' });
  });

  test('in a literal of the document too', () => {
    expect(findUnsafeText(parse('{ f(a: "x\\u202Ey") }'), {})).toMatchObject({ where: 'argument a', character: 'U+202E' });
  });

  test('ordinary text is fine: Chinese, emoji (a surrogate pair), tabs and new lines', () => {
    expect(findUnsafeText(doc, { i: { text: '昆山恒通\t建设\n工程 🏗️\r\n有限公司' } })).toBeNull();
  });
});
