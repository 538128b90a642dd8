// Where a Wasm file's bytes go, by crate: reads the code section and the `name` section
// (function names, as rustc/wasm-ld and `wasm-opt -g` keep them) and attributes every
// function body to a crate. Brotli share per crate is estimated by compressing each
// crate's bodies on their own and scaling the sum to the whole file's brotli size.
//
//   node bench/wasm-sizes.mjs FILE.wasm [--top 15] [--json]
//
// Attribution rule: the first crate named in a function's (demangled) name that is not
// core/alloc/std, so `core::ptr::drop_in_place<leptos::X>` counts for leptos and
// `<serde_json::Deserializer as serde::Deserializer>::deserialize_struct<quire_core::Index>`
// for serde_json. Monomorphized generics thus go to their outermost non-std crate; the
// figures are estimates. A build without a dependency gives the exact cost of removing it.

import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliSize } from './lib/sizes.mjs';
import { importDesc, leb, name } from '../scripts/lib/wasm.mjs';

/** Sections, function bodies (with their index) and function names of a Wasm binary. */
export function parseWasm(buf) {
  if (buf.readUInt32LE(0) !== 0x6d736100) throw new Error('not a Wasm file');
  const sections = [];
  const bodies = [];
  const names = new Map();
  let importedFuncs = 0;
  let pos = 8;
  while (pos < buf.length) {
    const id = buf[pos];
    const [size, start] = leb(buf, pos + 1);
    const end = start + size;
    let label = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount', 'tag'][id] ?? `id${id}`;
    if (id === 0) {
      const [n, p] = name(buf, start);
      label = `custom:${n}`;
      if (n === 'name') {
        let q = p;
        while (q < end) {
          const sub = buf[q];
          const [subSize, subStart] = leb(buf, q + 1);
          if (sub === 1) {
            let [count, r] = leb(buf, subStart);
            for (let i = 0; i < count; i++) {
              let idx;
              let fname;
              [idx, r] = leb(buf, r);
              [fname, r] = name(buf, r);
              names.set(idx, fname);
            }
          }
          q = subStart + subSize;
        }
      }
    } else if (id === 2) {
      let [count, p] = leb(buf, start);
      for (let i = 0; i < count; i++) {
        let kind;
        [, p] = name(buf, p);
        [, p] = name(buf, p);
        [kind, p] = importDesc(buf, p);
        if (kind === 0) importedFuncs += 1;
      }
    } else if (id === 10) {
      let [count, p] = leb(buf, start);
      for (let i = 0; i < count; i++) {
        const [bodySize, bodyStart] = leb(buf, p);
        bodies.push({ index: importedFuncs + i, start: p, end: bodyStart + bodySize });
        p = bodyStart + bodySize;
      }
    }
    sections.push({ id, label, size: end - pos });
    pos = end;
  }
  for (const b of bodies) b.name = names.get(b.index) ?? null;
  return { sections, bodies, importedFuncs, named: names.size };
}

const STD = new Set(['core', 'alloc', 'std', 'compiler_builtins', 'dlmalloc']);
const FAMILIES = {
  leptos: [
    'leptos', 'leptos_dom', 'leptos_macro', 'leptos_config', 'leptos_hot_reload', 'leptos_server', 'reactive_graph',
    'reactive_stores', 'tachys', 'any_spawner', 'hydration_context', 'server_fn', 'throw_error', 'either_of',
    'next_tuple', 'or_poisoned', 'oco_ref', 'const_str_slice_concat', 'send_wrapper', 'slotmap', 'guardian',
  ],
  leptos_router: ['leptos_router', 'leptos_router_macro'],
  'wasm-bindgen': ['wasm_bindgen', 'wasm_bindgen_futures', 'js_sys', 'web_sys'],
  'gloo-net': ['gloo_net', 'gloo_utils', 'http'],
  serde: ['serde', 'serde_core', 'serde_derive'],
};
const FAMILY_OF = new Map(Object.entries(FAMILIES).flatMap(([f, cs]) => cs.map((c) => [c, f])));

/** Rust's legacy symbol mangling (`_ZN…17h<hash>E`) back to a path. */
export function demangle(sym) {
  const m = /^_ZN(.*)E$/.exec(sym);
  if (!m) return sym;
  const parts = [];
  let rest = m[1];
  while (rest.length) {
    const d = /^(\d+)/.exec(rest);
    if (!d) return sym;
    const n = Number(d[1]);
    parts.push(rest.slice(d[1].length, d[1].length + n));
    rest = rest.slice(d[1].length + n);
  }
  return parts
    .map((p) =>
      p
        .replace(/^_\$/, '$')
        .replace(/\.\./g, '::')
        .replace(/\$LT\$/g, '<')
        .replace(/\$GT\$/g, '>')
        .replace(/\$RF\$/g, '&')
        .replace(/\$BP\$/g, '*')
        .replace(/\$C\$/g, ',')
        .replace(/\$SP\$/g, '@')
        .replace(/\$u([0-9a-f]+)\$/g, (_, h) => String.fromCodePoint(parseInt(h, 16))),
    )
    .join('::');
}

/** The crate a function body counts for (see the header). */
export function crateOf(rawName) {
  if (!rawName) return '(unnamed)';
  const fname = demangle(rawName);
  if (/^__wbindgen|^__wbg_|^__externref/.test(fname)) return 'wasm_bindgen';
  // Drop the hash suffix and the crate disambiguators the standard library's symbols
  // carry (`core[c5930c85a12de822]::fmt::write`).
  const clean = fname.replace(/::h[0-9a-f]{16}$/, '').replace(/\[[0-9a-f]{16}\]/g, '');
  const crates = [...clean.matchAll(/(?:^|[^A-Za-z0-9_:])([a-z_][a-z0-9_]*)::/g)].map((m) => m[1]);
  const first = crates.find((c) => !STD.has(c));
  if (first) return first;
  if (crates.length) return crates[0];
  if (/^(dlmalloc|memcpy|memmove|memset|memcmp|bcmp|strlen|__rust|rust_)/.test(clean)) return 'std';
  return '(other)';
}

export const familyOf = (crate) => FAMILY_OF.get(crate) ?? (STD.has(crate) ? 'std' : crate);

/** Per-crate and per-family code bytes and estimated brotli bytes of a Wasm file. */
export function attribute(buf) {
  const w = parseWasm(buf);
  const total = { raw: buf.length, br: brotliSize(buf) };
  const groups = new Map();
  for (const b of w.bodies) {
    const c = crateOf(b.name);
    let g = groups.get(c);
    if (!g) groups.set(c, (g = { crate: c, family: familyOf(c), functions: 0, raw: 0, parts: [] }));
    g.functions += 1;
    g.raw += b.end - b.start;
    g.parts.push(buf.subarray(b.start, b.end));
  }
  // The module as shipped: no custom sections (wasm-opt -Oz without -g drops names and
  // debug info; what else it keeps is a few bytes).
  const shipped = [buf.subarray(0, 8)];
  const dataParts = [];
  const restParts = [];
  let pos = 8;
  for (const s of w.sections) {
    const bytes = buf.subarray(pos, pos + s.size);
    pos += s.size;
    if (s.label.startsWith('custom:')) continue;
    shipped.push(bytes);
    if (s.label === 'data') dataParts.push(bytes);
    else if (s.label !== 'code') restParts.push(bytes);
  }
  const shippedBr = brotliSize(Buffer.concat(shipped));
  const data = dataParts.reduce((n, b) => n + b.length, 0);
  const rest = restParts.reduce((n, b) => n + b.length, 0);
  const alone = [...groups.values()].map((g) => ({ g, br: brotliSize(Buffer.concat(g.parts)) }));
  const dataBr = data ? brotliSize(Buffer.concat(dataParts)) : 0;
  const restBr = rest ? brotliSize(Buffer.concat(restParts)) : 0;
  // Compressed apart, the pieces lose shared context; scale them to the real total.
  const scale = shippedBr / (alone.reduce((n, a) => n + a.br, 0) + dataBr + restBr);
  const crates = alone
    .map(({ g, br }) => ({ crate: g.crate, family: g.family, functions: g.functions, raw: g.raw, br: br * scale }))
    .sort((a, b) => b.br - a.br);
  crates.push({ crate: '(data section)', family: '(data section)', functions: 0, raw: data, br: dataBr * scale });
  crates.push({ crate: '(types, imports, exports, tables)', family: '(types, imports, exports, tables)', functions: 0, raw: rest, br: restBr * scale });
  const families = new Map();
  for (const c of crates) {
    const f = families.get(c.family) ?? { family: c.family, raw: 0, br: 0, crates: [] };
    f.raw += c.raw;
    f.br += c.br;
    f.crates.push(c.crate);
    families.set(c.family, f);
  }
  return {
    total,
    withoutNamesBr: shippedBr,
    named: w.named,
    functions: w.bodies.length,
    sections: w.sections,
    crates,
    families: [...families.values()].sort((a, b) => b.br - a.br),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (!args[0]) {
    console.error('usage: node bench/wasm-sizes.mjs FILE.wasm [--top N] [--json]');
    process.exit(2);
  }
  const top = Number(args[args.indexOf('--top') + 1]) || 15;
  const a = attribute(fs.readFileSync(args[0]));
  if (args.includes('--json')) {
    console.log(JSON.stringify(a, null, 2));
  } else {
    const kb = (n) => (n / 1000).toFixed(1).padStart(7);
    console.log(`${args[0]}: ${a.functions} functions (${a.named} named), ${kb(a.total.raw)} KB raw, ${kb(a.total.br)} KB brotli (without names ${kb(a.withoutNamesBr)} KB)`);
    console.log('\nby family            raw KB   est. brotli KB');
    for (const f of a.families.slice(0, top)) console.log(`  ${f.family.padEnd(34).slice(0, 34)} ${kb(f.raw)} ${kb(f.br)}`);
    console.log('\nby crate             raw KB   est. brotli KB   functions');
    for (const c of a.crates.slice(0, top)) console.log(`  ${c.crate.padEnd(34).slice(0, 34)} ${kb(c.raw)} ${kb(c.br)}   ${c.functions}`);
  }
}
