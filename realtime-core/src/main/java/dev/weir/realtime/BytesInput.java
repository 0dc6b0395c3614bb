package dev.weir.realtime;

import java.io.DataInput;
import java.io.EOFException;
import java.io.IOException;

/**
 * A {@link DataInput} over a byte array slice without the per-byte synchronisation of {@code
 * DataInputStream(ByteArrayInputStream)}: replay decodes millions of values through it. Not
 * thread-safe.
 */
final class BytesInput implements DataInput {
  private final byte[] b;
  private int pos;
  private final int end;

  BytesInput(byte[] b, int off, int len) {
    this.b = b;
    this.pos = off;
    this.end = off + len;
  }

  private void need(int n) throws EOFException {
    if (end - pos < n) {
      throw new EOFException("record ends early");
    }
  }

  @Override
  public void readFully(byte[] dst) throws IOException {
    readFully(dst, 0, dst.length);
  }

  @Override
  public void readFully(byte[] dst, int off, int len) throws IOException {
    need(len);
    System.arraycopy(b, pos, dst, off, len);
    pos += len;
  }

  @Override
  public int skipBytes(int n) {
    int k = Math.max(0, Math.min(n, end - pos));
    pos += k;
    return k;
  }

  @Override
  public boolean readBoolean() throws IOException {
    return readByte() != 0;
  }

  @Override
  public byte readByte() throws IOException {
    need(1);
    return b[pos++];
  }

  @Override
  public int readUnsignedByte() throws IOException {
    return readByte() & 0xFF;
  }

  @Override
  public short readShort() throws IOException {
    need(2);
    short v = (short) (((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF));
    pos += 2;
    return v;
  }

  @Override
  public int readUnsignedShort() throws IOException {
    return readShort() & 0xFFFF;
  }

  @Override
  public char readChar() throws IOException {
    return (char) readUnsignedShort();
  }

  @Override
  public int readInt() throws IOException {
    need(4);
    int v =
        ((b[pos] & 0xFF) << 24)
            | ((b[pos + 1] & 0xFF) << 16)
            | ((b[pos + 2] & 0xFF) << 8)
            | (b[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }

  @Override
  public long readLong() throws IOException {
    return ((long) readInt() << 32) | (readInt() & 0xFFFFFFFFL);
  }

  @Override
  public float readFloat() throws IOException {
    return Float.intBitsToFloat(readInt());
  }

  @Override
  public double readDouble() throws IOException {
    return Double.longBitsToDouble(readLong());
  }

  @Override
  public String readLine() {
    throw new UnsupportedOperationException("not used by the store's codecs");
  }

  @Override
  public String readUTF() {
    throw new UnsupportedOperationException("not used by the store's codecs");
  }

  /** Reads a length-prefixed UTF-8 string without an intermediate copy. */
  String readString() throws IOException {
    int n = readInt();
    if (n < 0) {
      throw new IOException("negative string length");
    }
    need(n);
    String s = new String(b, pos, n, java.nio.charset.StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  private int keyPos;
  private int keyLen;

  /** Reads a length-prefixed UTF-8 map key without decoding it; see {@link #keyIs(byte[])}. */
  void readKey() throws IOException {
    int n = readInt();
    if (n < 0) {
      throw new IOException("negative string length");
    }
    need(n);
    keyPos = pos;
    keyLen = n;
    pos += n;
  }

  /** Whether the key last read by {@link #readKey()} is {@code key}; never allocates. */
  boolean keyIs(byte[] key) {
    return keyLen == key.length
        && java.util.Arrays.equals(b, keyPos, keyPos + keyLen, key, 0, keyLen);
  }

  /** Skips {@code n} bytes, or fails when fewer remain. */
  void skipExactly(int n) throws IOException {
    if (n < 0) {
      throw new IOException("negative length");
    }
    need(n);
    pos += n;
  }
}
