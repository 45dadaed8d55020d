/**
 * Splits a TCP syslog stream into messages (RFC 6587): octet counting (`<length> <message>`) when a frame starts
 * with a digit, newline-delimited otherwise. Over-long frames are reported, never buffered without bound.
 */

export type Frame = { ok: true; text: string } | { ok: false; reason: string; text: string; fatal: boolean };

const OCTET_COUNT = /^([1-9]\d{0,5}) /;

export class FrameSplitter {
  private buffer: Buffer = Buffer.alloc(0);
  private skipping = false;

  /** `octetCountingOnly`: syslog over TLS (RFC 5425 4.3) frames by octet counting only; anything else ends the stream. */
  constructor(
    private readonly maxFrame: number,
    private readonly octetCountingOnly = false,
  ) {}

  push(chunk: Buffer): Frame[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const frames: Frame[] = [];
    while (this.buffer.length > 0) {
      if (this.skipping) {
        const newline = this.buffer.indexOf(0x0a);
        if (newline < 0) {
          this.buffer = Buffer.alloc(0);
          break;
        }
        this.buffer = this.buffer.subarray(newline + 1);
        this.skipping = false;
        continue;
      }
      const head = this.buffer.subarray(0, 8).toString('latin1');
      const counted = OCTET_COUNT.exec(head);
      if (counted) {
        const length = Number(counted[1]);
        const start = counted[0].length;
        if (length > this.maxFrame) {
          frames.push({ ok: false, reason: `octet-counted frame of ${length} bytes is over the ${this.maxFrame}-byte limit`, text: head, fatal: true });
          this.buffer = Buffer.alloc(0);
          break;
        }
        if (this.buffer.length < start + length) break;
        frames.push({ ok: true, text: this.buffer.subarray(start, start + length).toString('utf8') });
        this.buffer = this.buffer.subarray(start + length);
        continue;
      }
      if (this.octetCountingOnly) {
        // Only the start of a length may still be arriving; anything else is not octet counting.
        if (!/^[1-9]\d{0,5}$/.test(head)) {
          frames.push({ ok: false, reason: 'RFC 5425: octet-counting framing (`<length> <message>`) is required over TLS', text: this.buffer.subarray(0, 200).toString('utf8'), fatal: true });
          this.buffer = Buffer.alloc(0);
        }
        break;
      }
      if (this.buffer[0] === 0x0a || this.buffer[0] === 0x0d) {
        this.buffer = this.buffer.subarray(1);
        continue;
      }
      const newline = this.buffer.indexOf(0x0a);
      if (newline < 0) {
        if (this.buffer.length > this.maxFrame) {
          frames.push({ ok: false, reason: `line over the ${this.maxFrame}-byte limit without a newline`, text: this.buffer.subarray(0, 200).toString('utf8'), fatal: false });
          this.buffer = Buffer.alloc(0);
          this.skipping = true;
        }
        break;
      }
      if (newline > this.maxFrame) {
        frames.push({ ok: false, reason: `line of ${newline} bytes is over the ${this.maxFrame}-byte limit`, text: this.buffer.subarray(0, 200).toString('utf8'), fatal: false });
      } else frames.push({ ok: true, text: this.buffer.subarray(0, newline).toString('utf8').replace(/\r$/, '') });
      this.buffer = this.buffer.subarray(newline + 1);
    }
    return frames;
  }

  /** What is left when the connection ends: a last line without its newline. */
  end(): Frame[] {
    const rest = this.skipping ? '' : this.buffer.toString('utf8').trim();
    this.buffer = Buffer.alloc(0);
    return rest === '' ? [] : [{ ok: true, text: rest }];
  }
}
