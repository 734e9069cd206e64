/**
 * A streaming parser for server-sent events (the `text/event-stream` format of the WHATWG HTML standard), as OpenAI-
 * compatible servers stream completions: `data: {...}` lines, a blank line ending each event, `:` comment lines
 * (keep-alives), `data: [DONE]` at the end. Feed it decoded text in whatever pieces the network delivers; it calls
 * `onEvent` once per complete event with the event's data lines joined by newlines.
 */
export interface ServerSentEvent {
  /** The `event:` field; `message` when absent. */
  event: string;
  data: string;
}

export class ServerSentEventParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  /** A `\r` ended the last piece: a `\n` starting the next one belongs to the same line ending. */
  private pendingCarriageReturn = false;

  constructor(private readonly onEvent: (event: ServerSentEvent) => void) {}

  /** Adds the next piece of the stream. */
  push(text: string): void {
    if (this.pendingCarriageReturn && text.startsWith('\n')) text = text.slice(1);
    this.pendingCarriageReturn = false;
    this.buffer += text;
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (c !== '\n' && c !== '\r') continue;
      this.line(this.buffer.slice(start, i));
      if (c === '\r') {
        if (i + 1 < this.buffer.length) {
          if (this.buffer[i + 1] === '\n') i++;
        } else this.pendingCarriageReturn = true;
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
  }

  /** The stream ended: an event not closed by a blank line is dropped, as the standard says. */
  end(): void {
    this.buffer = '';
    this.data = [];
    this.event = '';
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length > 0) this.onEvent({ event: this.event || 'message', data: this.data.join('\n') });
      this.data = [];
      this.event = '';
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    // `id` and `retry` concern reconnecting EventSource clients; a completion stream is never resumed.
  }
}
