// Reads a Parquet file with hyparquet (an independent, pure-JavaScript Parquet reader) and prints
// its metadata and rows as JSON, for HyparquetReadTest to compare with what Ersatz wrote.
// Usage: node read-parquet.mjs FILE
// Output: {"metadata": FileMetaData as hyparquet parses it, "rows": [[v0, v1, ...], ...]}
// Values keep what the file stores: INT64 as decimal strings (no precision lost), DATE as days
// since 1970-01-01, TIMESTAMP as microseconds (a decimal string), byte arrays as byte lists.
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet'

const path = process.argv[2]
const file = await asyncBufferFromFile(path)
const metadata = await parquetMetadataAsync(file)
const parsers = {
  timestampFromMilliseconds: v => String(v * 1000n),
  timestampFromMicroseconds: v => String(v),
  timestampFromNanoseconds: v => String(v / 1000n),
  dateFromDays: v => v,
}
const objects = await parquetReadObjects({ file, metadata, parsers })
const names = metadata.schema.slice(1).map(e => e.name)
const rows = objects.map(o => names.map(n => o[n] ?? null))

function plain(value) {
  if (typeof value === 'bigint') return String(value)
  if (value instanceof Uint8Array) return Array.from(value)
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map(plain)
  if (value !== null && typeof value === 'object') {
    const out = {}
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = plain(v)
    }
    return out
  }
  return value
}

process.stdout.write(JSON.stringify({ metadata: plain(metadata), rows: plain(rows) }))
process.stdout.write('\n')
