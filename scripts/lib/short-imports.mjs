// Shortens the names by which the app's Wasm imports its JS glue (Trunk's post-build hook,
// release builds):
//
//   node scripts/lib/short-imports.mjs APP_bg.wasm APP.js
//
// wasm-bindgen names each import after the JS function it binds plus a 16-digit hash
// (`__wbg_instanceof_HtmlAnchorElement_fee0a0613fd8e6aa`) from a module named after the
// glue (`./quire-app_bg.js`). Every one of those names is written twice, once
// in the Wasm's import section and once as a key of the import object in the glue, and
// the hashes do not compress: about 3 KB brotli of the app. Here the module becomes `a`
// and each name `$` plus a number, in both files. Imports from other modules (the split
// loader's) keep their names. The glue must use each old name as a whole word and no new
// name may already occur in it; otherwise nothing is written and the build fails.
import { readFileSync, writeFileSync } from 'node:fs';
import { importDesc, leb, name as readName } from './wasm.mjs';

const [wasmPath, jsPath] = process.argv.slice(2);
if (!wasmPath || !jsPath) {
  console.error('usage: short-imports.mjs APP_bg.wasm APP.js');
  process.exit(2);
}
const fail = (why) => {
  console.error(`short-imports: ${why}`);
  process.exit(1);
};

const wasm = readFileSync(wasmPath);
let js = readFileSync(jsPath, 'utf8');

function uleb(n) {
  const out = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}
const encodeName = (s) => {
  const bytes = Buffer.from(s, 'utf8');
  return Buffer.concat([uleb(bytes.length), bytes]);
};

// The import section (id 2).
if (wasm.readUInt32LE(0) !== 0x6d736100) fail(`${wasmPath} is not a Wasm module`);
let at = 8;
let section;
while (at < wasm.length) {
  const id = wasm[at];
  const [size, body] = leb(wasm, at + 1);
  if (id === 2) {
    section = { start: at, body, end: body + size };
    break;
  }
  at = body + size;
}
if (!section) fail(`${wasmPath} has no import section`);

// Each import: module, field, then its description, copied as it is.
// wasm-bindgen's module for the glue: `./<out-name>_bg.js`.
const isGlue = (module) => /^\.\/[^/]*_bg\.js$/.test(module);
let glue = null;
let [count, p] = leb(wasm, section.body);
const entries = [];
const renamed = new Map();
for (let i = 0; i < count; i++) {
  let module, field;
  [module, p] = readName(wasm, p);
  [field, p] = readName(wasm, p);
  const descStart = p;
  try {
    [, p] = importDesc(wasm, p);
  } catch (e) {
    fail(`import ${module}.${field}: ${e.message}`);
  }
  const desc = wasm.subarray(descStart, p);
  if (isGlue(module)) {
    if (glue !== null && module !== glue) fail(`imports from two glue modules: ${glue}, ${module}`);
    glue = module;
    if (!renamed.has(field)) renamed.set(field, `$${renamed.size.toString(36)}`);
    entries.push(Buffer.concat([encodeName('a'), encodeName(renamed.get(field)), desc]));
  } else {
    entries.push(Buffer.concat([encodeName(module), encodeName(field), desc]));
  }
}
if (p !== section.end) fail('the import section did not parse to its end');
if (renamed.size === 0) fail(`no imports from a wasm-bindgen glue module in ${wasmPath}`);

// The glue: the module key, then every name as a whole word.
const word = (s) => new RegExp(`(?<![\\w$])${s.replace(/[$]/g, '\\$')}(?![\\w$])`, 'g');
const moduleKey = JSON.stringify(glue);
if (js.split(moduleKey).length !== 2) fail(`${jsPath} does not name ${glue} exactly once`);
for (const short of renamed.values()) {
  if (word(short).test(js)) fail(`${jsPath} already uses the name ${short}`);
}
js = js.replace(moduleKey, '"a"');
for (const [long, short] of renamed) {
  const before = js;
  js = js.replace(word(long), () => short);
  if (js === before) fail(`${jsPath} does not use the import ${long}`);
}

const payload = Buffer.concat([uleb(count), ...entries]);
const out = Buffer.concat([
  wasm.subarray(0, section.start),
  Buffer.from([2]),
  uleb(payload.length),
  payload,
  wasm.subarray(section.end),
]);
writeFileSync(wasmPath, out);
writeFileSync(jsPath, js);
console.log(`short-imports: ${renamed.size} imports renamed`);
