/**
 * Watches the framing of the LSP base protocol on a byte stream (`Content-Length: N\r\n\r\n` then N bytes), beside the
 * real message reader. vscode-jsonrpc reports a broken header as an error event and goes on reading, out of step with
 * the stream: the server stays alive but answers nothing, and the editor, seeing a live process, never restarts it
 * (issue 11). Once the framing is broken nothing after it can be trusted, so the server exits instead (`server.ts`).
 *
 * Only the framing is judged: a well-framed message with bad JSON or a bad JSON-RPC payload is the reader's to answer,
 * and the server survives it.
 */

/** The longest header section accepted (the base protocol's two fields need well under 100 bytes). */
const MAX_HEADER_BYTES = 8192;
/** Largest message accepted: 1 GiB. */
const MAX_CONTENT_LENGTH = 2 ** 30;
const HEADER_LINE = /^([A-Za-z0-9-]+):[ \t]*(.*?)[ \t]*$/;

export class LspFraming {
  /** Bytes of the body still to come; -1 while reading a header section. */
  private bodyLeft = -1;
  private header: number[] = [];
  private broken: string | undefined;

  /** Feeds the next bytes; returns why the framing is broken, once it is (and from then on). */
  push(chunk: Uint8Array): string | undefined {
    let i = 0;
    while (i < chunk.length && this.broken === undefined) {
      if (this.bodyLeft > 0) {
        const take = Math.min(this.bodyLeft, chunk.length - i);
        this.bodyLeft -= take;
        i += take;
        if (this.bodyLeft === 0) this.bodyLeft = -1;
        continue;
      }
      this.headerByte(chunk[i]!);
      i++;
    }
    return this.broken;
  }

  private headerByte(byte: number): void {
    const header = this.header;
    // Header fields are printable ASCII lines ending in CR LF.
    const printable = byte >= 0x20 && byte <= 0x7e;
    if (!printable && byte !== 0x0d && byte !== 0x0a && byte !== 0x09) {
      this.fail(`byte 0x${byte.toString(16).padStart(2, '0')} in a message header`);
      return;
    }
    header.push(byte);
    if (header.length > MAX_HEADER_BYTES) {
      this.fail(`no end of the message header within ${MAX_HEADER_BYTES} bytes`);
      return;
    }
    if (byte !== 0x0a) return;
    if (header.at(-2) !== 0x0d) {
      this.fail('a header line that does not end in CR LF');
      return;
    }
    // CR LF CR LF: the header section is complete.
    if (header.length >= 4 && header.at(-3) === 0x0a && header.at(-4) === 0x0d) this.endOfHeader();
    else if (header.length === 2) this.fail('an empty line where a message header was expected');
  }

  private endOfHeader(): void {
    const lines = Buffer.from(this.header).toString('latin1').split('\r\n').slice(0, -2);
    this.header = [];
    let length: number | undefined;
    for (const line of lines) {
      const field = HEADER_LINE.exec(line);
      if (!field) {
        this.fail(`a header line that is not "Name: value": ${JSON.stringify(line.slice(0, 80))}`);
        return;
      }
      if (field[1]!.toLowerCase() !== 'content-length') continue;
      const value = field[2]!;
      if (!/^\d{1,10}$/.test(value) || Number(value) > MAX_CONTENT_LENGTH) {
        this.fail(`Content-Length ${JSON.stringify(value.slice(0, 40))} is not a length`);
        return;
      }
      length = Number(value);
    }
    if (length === undefined) {
      this.fail('a message header without Content-Length');
      return;
    }
    this.bodyLeft = length === 0 ? -1 : length;
  }

  private fail(reason: string): void {
    this.broken ??= reason;
  }
}
