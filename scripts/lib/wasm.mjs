// Reading a Wasm module's bytes, for the build (short-imports.mjs) and the benchmarks
// (bench/wasm-sizes.mjs).

/** An unsigned LEB128 number at `pos`: `[value, position after it]`. */
export function leb(buf, pos) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = buf[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, pos];
  }
}

/** A name (length, then UTF-8) at `pos`: `[string, position after it]`. */
export function name(buf, pos) {
  const [len, p] = leb(buf, pos);
  return [buf.toString('utf8', p, p + len), p + len];
}

/**
 * One import's description at `pos` (after its module and field names): `[kind, position
 * after it]`. Kinds: 0 function, 1 table, 2 memory, 3 global, 4 tag.
 */
export function importDesc(buf, pos) {
  const kind = buf[pos++];
  const limits = (p) => {
    const flags = buf[p++];
    [, p] = leb(buf, p);
    if (flags & 1) [, p] = leb(buf, p);
    return p;
  };
  if (kind === 0) [, pos] = leb(buf, pos); // type index
  else if (kind === 1) pos = limits(pos + 1); // reference type, limits
  else if (kind === 2) pos = limits(pos);
  else if (kind === 3) pos += 2; // value type, mutability
  else if (kind === 4) [, pos] = leb(buf, pos + 1); // attribute, type index
  else throw new Error(`an import of unknown kind ${kind}`);
  return [kind, pos];
}
