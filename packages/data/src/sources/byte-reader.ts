// Reading exact numbers of bytes from a stream of chunks without holding more than one chunk:
// a read inside the current chunk is a view (no copy); one that spans chunks is assembled.

/** Reads exact byte counts from chunks. */
export class ByteReader {
  private chunk: Uint8Array = new Uint8Array(0);
  private offset = 0;
  /** Bytes handed out so far. */
  position = 0;

  constructor(private readonly chunks: AsyncIterator<Uint8Array>) {}

  /** Whether the stream has no byte left. */
  async atEnd(): Promise<boolean> {
    return !(await this.fill());
  }

  private async fill(): Promise<boolean> {
    while (this.offset >= this.chunk.length) {
      const r = await this.chunks.next();
      if (r.done) return false;
      this.chunk = r.value;
      this.offset = 0;
    }
    return true;
  }

  /**
   * The next `n` bytes, or fewer when the stream ends first (then all that was left). The result
   * may be a view into a chunk: copy what you keep.
   */
  async read(n: number): Promise<Uint8Array> {
    if (!(await this.fill())) return new Uint8Array(0);
    if (this.chunk.length - this.offset >= n) {
      const view = this.chunk.subarray(this.offset, this.offset + n);
      this.offset += n;
      this.position += n;
      return view;
    }
    const out = new Uint8Array(n);
    let got = 0;
    while (got < n && (await this.fill())) {
      const take = Math.min(n - got, this.chunk.length - this.offset);
      out.set(this.chunk.subarray(this.offset, this.offset + take), got);
      this.offset += take;
      got += take;
    }
    this.position += got;
    return got === n ? out : out.subarray(0, got);
  }

  /** Close the underlying stream (on early exit). */
  async close(): Promise<void> {
    await this.chunks.return?.();
  }
}
