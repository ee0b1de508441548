import { Writable } from "node:stream";

/** A stream that keeps everything written to it, to assert on as text. */
export function textSink(): { stream: Writable; text(): string } {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString("utf8");
      done();
    },
  });
  return { stream, text: () => text };
}
