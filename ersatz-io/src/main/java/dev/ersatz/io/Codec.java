package dev.ersatz.io;

import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.zstd.ZstdCompressor;

/**
 * Page compression codecs of the Parquet writer, with their {@code CompressionCodec} numbers
 * from {@code parquet.thrift}. Snappy and Zstandard are aircompressor's pure-Java
 * implementations (raw Snappy blocks and Zstandard frames, the forms Parquet stores).
 */
enum Codec {
  UNCOMPRESSED(0),
  SNAPPY(1),
  ZSTD(6);

  /** The number {@code ColumnMetaData.codec} holds. */
  final int thrift;

  Codec(int thrift) {
    this.thrift = thrift;
  }

  /** Compresses byte arrays; one instance per thread (implementations keep state). */
  interface Compressor {
    int maxCompressedLength(int length);

    /** Compresses {@code src[0, length)} into {@code dst} and returns the compressed length. */
    int compress(byte[] src, int length, byte[] dst);
  }

  Compressor newCompressor() {
    io.airlift.compress.Compressor c = switch (this) {
      case SNAPPY -> new SnappyCompressor();
      case ZSTD -> new ZstdCompressor();
      case UNCOMPRESSED -> throw new IllegalStateException("nothing to compress");
    };
    return new Compressor() {
      @Override
      public int maxCompressedLength(int length) {
        return c.maxCompressedLength(length);
      }

      @Override
      public int compress(byte[] src, int length, byte[] dst) {
        return c.compress(src, 0, length, dst, 0, dst.length);
      }
    };
  }
}
