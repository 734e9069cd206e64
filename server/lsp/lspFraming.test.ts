import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LspFraming } from './lspFraming.ts';

const frame = (body: string, header = `Content-Length: ${Buffer.byteLength(body)}`) => Buffer.from(`${header}\r\n\r\n${body}`);
const stream = Buffer.concat([
  frame('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"x":"é\\r\\n\\r\\n"}}'),
  frame('{"jsonrpc":"2.0","method":"initialized","params":{}}', `Content-Length: 52\r\ncontent-type: application/vscode-jsonrpc; charset=utf-8`),
  frame('not json at all: the reader answers this one, the framing is fine'),
  frame(''),
]);

function feed(chunks: Buffer[]): string | undefined {
  const framing = new LspFraming();
  let broken: string | undefined;
  for (const chunk of chunks) broken = framing.push(chunk) ?? broken;
  return broken;
}

describe('LSP framing', () => {
  test('well-framed messages pass, however the stream is split (bad JSON inside a frame is not a framing error)', () => {
    assert.equal(feed([stream]), undefined);
    for (let cut = 1; cut < stream.length; cut++) assert.equal(feed([stream.subarray(0, cut), stream.subarray(cut)]), undefined, `split at ${cut}`);
    assert.equal(feed([...stream].map((byte) => Buffer.from([byte]))), undefined, 'one byte at a time');
  });

  test('a broken header is reported, also after good messages', () => {
    const cases: Array<[string, RegExp]> = [
      ['Content-Length: abc\r\n\r\n{}', /Content-Length "abc" is not a length/],
      ['Content-Length: 12abc\r\n\r\n{}', /Content-Length "12abc" is not a length/],
      ['Content-Type: application/json\r\n\r\n{}', /without Content-Length/],
      ['garbage bytes here\r\n\r\n', /not "Name: value": "garbage bytes here"/],
      ['\u0000\u0001\u0002 binary', /byte 0x00 in a message header/],
      ['Content-Length: 2\n\n{}', /does not end in CR LF/],
      ['\r\n', /an empty line where a message header was expected/],
      ['x'.repeat(9000), /no end of the message header within 8192 bytes/],
    ];
    for (const [input, reason] of cases) {
      assert.match(feed([Buffer.from(input, 'latin1')]) ?? '', reason, JSON.stringify(input.slice(0, 30)));
      assert.match(feed([stream, Buffer.from(input, 'latin1')]) ?? '', reason, `after good messages: ${JSON.stringify(input.slice(0, 30))}`);
    }
  });

  test('bytes after a body that was shorter than its Content-Length said are judged as a header', () => {
    // "Content-Length: 2" but a longer body: what follows the two bytes is not a header, then a message that is.
    const next = frame('{}');
    assert.match(feed([Buffer.from('Content-Length: 2\r\n\r\n{"id":1}'), next]) ?? '', /not "Name: value": "id\\":1}Content-Length: 2"/);
  });
});
