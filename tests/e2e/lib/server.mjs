// A plain static file server for the browser tests: what a bare static host does, and
// nothing more. No SPA fallback: a path that is not a file (or a directory holding
// index.html) is a 404. On top of that, an in-process fault switchboard and a request log
// so tests can break the network on purpose and count what the app asks for.
//
//   const server = await startServer({ root: 'dist', prefix: '/blog/' });
//   server.url('post/x')          // http://127.0.0.1:PORT/blog/post/x
//   server.fault('/data/index.json', { status: 500 });
//   server.fault('/data/b-*.json', { hang: true });
//   server.clearFaults();
//   server.requests               // [{ method, path, sitePath, status, fault }]
//   await server.close();
//
// Fault patterns are site paths (below the prefix, starting with `/`) with `*` matching
// any run of characters except `/`, or a RegExp tested against the site path.

import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import zlib from 'node:zlib';

export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.webmanifest': 'application/manifest+json',
};

export function contentType(file) {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Turns a fault pattern into a predicate on site paths. */
export function matcher(pattern) {
  if (pattern instanceof RegExp) return (p) => pattern.test(p);
  if (typeof pattern !== 'string' || !pattern.startsWith('/')) {
    throw new TypeError(`fault pattern must be a RegExp or a site path starting with "/": ${pattern}`);
  }
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]*');
  const re = new RegExp(`^${source}$`);
  return (p) => re.test(p);
}

/**
 * Starts a server on 127.0.0.1 (a free port unless `port` is given).
 *
 * Options:
 * - `root`: directory to serve.
 * - `prefix`: where the site is mounted (`/` or `/blog/`); anything outside is a plain 404.
 * - `notFound`: `'page'` (default) answers a missing path with the site's `404.html` and
 *   status 404, as GitHub Pages, Netlify and Cloudflare Pages do; `'plain'` answers with a
 *   short text body and status 404, as `python3 -m http.server` does.
 * - `compress`: answer with brotli (or gzip) when the request accepts it, as a CDN does
 *   (compressed once per file, then kept). Off by default: the tests count identity bytes.
 */
export async function startServer({ root, prefix = '/', notFound = 'page', port = 0, compress = false } = {}) {
  if (!root) throw new TypeError('startServer: root is required');
  root = path.resolve(root);
  if (!fs.statSync(root).isDirectory()) throw new Error(`startServer: ${root} is not a directory`);
  if (!prefix.startsWith('/')) prefix = `/${prefix}`;
  if (!prefix.endsWith('/')) prefix = `${prefix}/`;
  if (notFound !== 'page' && notFound !== 'plain') throw new TypeError(`notFound: ${notFound}`);

  const faults = []; // { match, spec, remaining, pattern }
  const hanging = new Set(); // { res, release } for requests held by `hang` faults
  const requests = [];
  const sockets = new Set();

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      }
      res.end(`internal error: ${err.message}\n`);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const compressed = new Map(); // `${encoding} ${sha1 of the body}` -> Buffer

  function encode(req, body) {
    if (!compress || typeof body === 'string' || body.length < 256) return null;
    const accepts = String(req.headers['accept-encoding'] || '');
    const encoding = /\bbr\b/.test(accepts) ? 'br' : /\bgzip\b/.test(accepts) ? 'gzip' : null;
    if (!encoding) return null;
    const key = `${encoding} ${crypto.createHash('sha1').update(body).digest('hex')}`;
    if (!compressed.has(key)) {
      compressed.set(
        key,
        encoding === 'br'
          ? zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } })
          : zlib.gzipSync(body, { level: 9 }),
      );
    }
    return { encoding, body: compressed.get(key) };
  }

  function send(res, status, headers, body, method, req = null) {
    const packed = req ? encode(req, body) : null;
    if (packed) {
      const entry = requests.findLast((e) => e.req === req);
      if (entry) entry.encoding = packed.encoding;
      headers = { ...headers, 'content-encoding': packed.encoding, vary: 'accept-encoding' };
      body = packed.body;
    }
    res.writeHead(status, { 'cache-control': 'no-cache', ...headers });
    res.end(method === 'HEAD' ? undefined : body);
  }

  function plain404(res, method) {
    send(res, 404, { 'content-type': 'text/plain; charset=utf-8' }, 'Not found\n', method);
  }

  async function fileBody(file) {
    try {
      const st = await fsp.stat(file);
      if (st.isFile()) return await fsp.readFile(file);
    } catch {
      // missing: fall through
    }
    return null;
  }

  async function handle(req, res) {
    const url = new URL(req.url, 'http://localhost');
    const entry = { method: req.method, path: url.pathname + url.search, sitePath: null, status: 0, fault: null };
    Object.defineProperty(entry, 'req', { value: req, enumerable: false });
    requests.push(entry);
    res.on('finish', () => {
      entry.status = res.statusCode;
    });

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }, 'Method not allowed\n', req.method);
    }

    const mount = prefix.slice(0, -1); // '' for '/', '/blog' for '/blog/'
    if (mount && url.pathname === mount) {
      return send(res, 301, { location: prefix + url.search }, '', req.method);
    }
    if (!url.pathname.startsWith(prefix)) return plain404(res, req.method);
    const sitePath = url.pathname.slice(mount.length); // starts with '/'
    entry.sitePath = sitePath;

    let decoded;
    try {
      decoded = decodeURIComponent(sitePath);
    } catch {
      return send(res, 400, { 'content-type': 'text/plain' }, 'Bad request\n', req.method);
    }
    if (decoded.includes('\0')) return plain404(res, req.method);

    const fault = faults.find((f) => f.remaining !== 0 && f.match(decoded));
    if (fault) {
      if (fault.remaining > 0) fault.remaining -= 1;
      entry.fault = fault.spec;
      const outcome = await applyFault(fault.spec, req, res, decoded);
      if (outcome === 'handled') return undefined;
    }

    const file = path.join(root, decoded);
    if (file !== root && !file.startsWith(root + path.sep)) return plain404(res, req.method);

    let st = null;
    try {
      st = await fsp.stat(file);
    } catch {
      st = null;
    }
    if (st?.isDirectory()) {
      if (!url.pathname.endsWith('/')) {
        return send(res, 301, { location: url.pathname + '/' + url.search }, '', req.method);
      }
      const index = await fileBody(path.join(file, 'index.html'));
      if (index) return send(res, 200, { 'content-type': CONTENT_TYPES['.html'] }, index, req.method, req);
    } else if (st?.isFile() && !url.pathname.endsWith('/')) {
      const body = await fsp.readFile(file);
      return send(res, 200, { 'content-type': contentType(file) }, body, req.method, req);
    }

    if (notFound === 'page') {
      const page = await fileBody(path.join(root, '404.html'));
      if (page) return send(res, 404, { 'content-type': CONTENT_TYPES['.html'] }, page, req.method);
    }
    return plain404(res, req.method);
  }

  // Returns 'handled' when the fault answered the request itself.
  async function applyFault(spec, req, res, sitePath) {
    if (spec.delay) await new Promise((r) => setTimeout(r, spec.delay));
    if (spec.hang) {
      // Held until the fault is cleared (then served normally) or the server closes
      // (then dropped).
      const released = await new Promise((resolve) => {
        const h = { res, release: resolve };
        hanging.add(h);
        res.on('close', () => {
          hanging.delete(h);
          resolve('gone');
        });
      });
      return released === 'serve' ? 'continue' : 'handled';
    }
    if (spec.status) {
      const body = spec.body ?? `${spec.status} (injected fault)\n`;
      send(res, spec.status, { 'content-type': spec.contentType ?? 'text/plain; charset=utf-8' }, body, req.method);
      return 'handled';
    }
    if (spec.body !== undefined) {
      const type = spec.contentType ?? contentType(sitePath);
      send(res, 200, { 'content-type': type }, spec.body, req.method);
      return 'handled';
    }
    if (spec.truncate !== undefined) {
      const body = await fileBody(path.join(root, sitePath));
      if (!body) return 'continue';
      const n = spec.truncate < 1 ? Math.floor(body.length * spec.truncate) : Math.min(spec.truncate, body.length);
      // Content-Length promises the whole file; the connection then ends early, as a
      // dropped download does.
      res.writeHead(200, {
        'content-type': spec.contentType ?? contentType(sitePath),
        'content-length': String(body.length),
        'cache-control': 'no-cache',
      });
      if (req.method === 'HEAD') return (res.end(), 'handled');
      res.write(body.subarray(0, n), () => res.destroy());
      return 'handled';
    }
    return 'continue'; // e.g. a pure delay
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;

  return {
    root,
    prefix,
    origin,
    /** Absolute URL of the site root (`http://127.0.0.1:P/blog/`). */
    base: origin + prefix,
    /** Absolute URL of a site-relative path (`post/x`, `/post/x`, `?tags=a`). */
    url(p = '') {
      return origin + prefix + String(p).replace(/^\//, '');
    },
    requests,
    /** Requests whose site path matches a pattern (see `fault`). */
    requestsTo(pattern) {
      const m = matcher(pattern);
      return requests.filter((r) => r.sitePath !== null && m(safeDecode(r.sitePath)));
    },
    clearLog() {
      requests.length = 0;
    },
    /**
     * Makes requests to `pattern` fail. `spec`: `{ status }` (404, 500, …, optional `body`),
     * `{ hang: true }` (never answers until cleared), `{ truncate: bytes | fraction }`
     * (promises the whole file, sends part, drops the connection), `{ body, contentType? }`
     * (answers 200 with this body instead of the file), `{ delay: ms }` (alone: serves the
     * file late; combined: delays the fault). `times`: only the next N matching requests.
     * Returns a function that removes this fault.
     */
    fault(pattern, spec, { times = -1 } = {}) {
      const f = { pattern, match: matcher(pattern), spec, remaining: times };
      faults.unshift(f);
      return () => {
        const i = faults.indexOf(f);
        if (i >= 0) faults.splice(i, 1);
      };
    },
    /** Removes every fault; requests held by `hang` are then served normally. */
    clearFaults() {
      faults.length = 0;
      for (const h of hanging) h.release('serve');
      hanging.clear();
    },
    /** Requests currently held by `hang` faults. */
    get hangingCount() {
      return hanging.size;
    },
    async close() {
      faults.length = 0;
      for (const h of hanging) {
        h.release('gone');
        h.res.destroy();
      }
      hanging.clear();
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(() => r()));
    },
  };
}

function safeDecode(p) {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}
