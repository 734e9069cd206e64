import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServerSentEventParser, type ServerSentEvent } from './serverSentEvents.ts';

function parse(pieces: string[]): ServerSentEvent[] {
  const events: ServerSentEvent[] = [];
  const parser = new ServerSentEventParser((event) => events.push(event));
  for (const piece of pieces) parser.push(piece);
  parser.end();
  return events;
}

// What llama-server and vLLM stream for a chat completion, cut where a network might cut it.
const STREAM =
  'data: {"choices":[{"delta":{"content":"No acute"}}]}\n\n' +
  ': keep-alive\n\n' +
  'data: {"choices":[{"delta":{"content":" disease."}}]}\r\n\r\n' +
  'event: error\ndata: {"error":\ndata: "slot"}\n\n' +
  'data: [DONE]\n\n';

test('events are the same however the stream is cut, with CRLF, comments and multi-line data', () => {
  const expected: ServerSentEvent[] = [
    { event: 'message', data: '{"choices":[{"delta":{"content":"No acute"}}]}' },
    { event: 'message', data: '{"choices":[{"delta":{"content":" disease."}}]}' },
    { event: 'error', data: '{"error":\n"slot"}' },
    { event: 'message', data: '[DONE]' },
  ];
  assert.deepEqual(parse([STREAM]), expected);
  // Every cut point, including between the \r and \n of a line ending.
  for (let cut = 1; cut < STREAM.length; cut++) assert.deepEqual(parse([STREAM.slice(0, cut), STREAM.slice(cut)]), expected, `cut at ${cut}`);
  assert.deepEqual(parse([...STREAM]), expected);
});

test('an event not closed by a blank line when the stream ends is dropped; a field without a colon has an empty value', () => {
  assert.deepEqual(parse(['data: {"partial": true}']), []);
  assert.deepEqual(parse(['data\n\n', 'data:no space\n\n']), [
    { event: 'message', data: '' },
    { event: 'message', data: 'no space' },
  ]);
});
