// Headless Chromium for the benchmark: the browser tests' launcher and page session
// (tests/e2e/lib/browser.mjs), plus what timing needs on top:
// - precise `performance.memory`;
// - an init script that records, in every document, when the first list appeared, every
//   WebAssembly.Memory the page instantiated, and that offers `measure()`: the cost of one
//   interaction (see there).

import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, openPage } from '../../tests/e2e/lib/browser.mjs';

export const BENCH_ARGS = [
  ...CHROMIUM_ARGS,
  '--enable-precise-memory-info',
];

export async function launchBench() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: BENCH_ARGS });
}

// Runs in every document before the page's own scripts.
function instrument() {
  const b = {
    firstList: null, // performance.now() when main article.post-summary first existed
    firstListFrame: null, // ...and when the frame after it had been produced
    live: null, // performance.now() when the app took over (<html data-app="live">)
    memories: [],
  };
  window.__quireBench = b;
  try {
    performance.setResourceTimingBufferSize(100000);
  } catch {
    // older engines: the default buffer is enough for a first load
  }
  const grab = (result) => {
    try {
      const inst = (result && result.instance) || result;
      for (const v of Object.values((inst && inst.exports) || {})) {
        if (v instanceof WebAssembly.Memory && !b.memories.includes(v)) b.memories.push(v);
      }
    } catch {
      // not an instance: nothing to record
    }
    return result;
  };
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const orig = WebAssembly[name];
    if (typeof orig === 'function') {
      WebAssembly[name] = function (...args) {
        return orig.apply(this, args).then(grab);
      };
    }
  }
  const obs = new MutationObserver(() => {
    if (b.firstList === null && document.querySelector('main article.post-summary')) {
      b.firstList = performance.now();
      obs.disconnect();
      requestAnimationFrame(() =>
        setTimeout(() => {
          b.firstListFrame = performance.now();
        }, 0),
      );
    }
  });
  obs.observe(document, { childList: true, subtree: true });
  // The app marks its takeover of the prerendered page on <html>: from then on its
  // controls work.
  const live = new MutationObserver(() => {
    if (b.live === null && document.documentElement.dataset.app === 'live') {
      b.live = performance.now();
      live.disconnect();
    }
  });
  live.observe(document, { attributes: true, attributeFilter: ['data-app'], subtree: true });

  // The frame after now has been produced (rAF, then a task after it).
  b.frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  b.memoryBytes = () => b.memories.reduce((n, m) => n + m.buffer.byteLength, 0);

  // A task after every pending microtask (a MessageChannel message: no timer clamping).
  b.task = () =>
    new Promise((r) => {
      const c = new MessageChannel();
      c.port1.onmessage = () => r();
      c.port2.postMessage(0);
    });

  // The cost of one interaction, without the wait for the display's next frame:
  // headless Chromium draws on a fixed 60 Hz clock, so "click, then await the next frame"
  // would measure where in the 16.7 ms period the click happened to land. Instead:
  //   work  = click -> reactive updates (microtasks) and zero-delay timers the click
  //           queued done -> style and layout forced,
  //   paint = the next frame's own rendering (rAF callback -> the task after that frame),
  //   ms    = work + paint: the time the update needs inside a frame; <= 16.7 ms means
  //           it shows in the very next frame.
  // If the update is not in the DOM once the microtasks are done (it waits on the network
  // or a timer), the wait counts: `work` then runs until the first frame where `pred()`
  // holds. `wallMs` is click to the end of that frame, vsync wait included.
  b.measure = async (action, pred, timeout = 10000) => {
    await b.frame();
    const t0 = performance.now();
    action();
    await b.task();
    // Work the app deferred with a zero timeout (focus, scrolling) belongs to the update.
    await new Promise((r) => setTimeout(r, 0));
    let waited = false;
    if (!pred()) {
      waited = true;
      for (;;) {
        await b.frame();
        if (pred()) break;
        if (performance.now() - t0 > timeout) return { ms: null, timeout: true };
      }
    }
    void document.body.offsetHeight; // forces style and layout of the updated page
    const tLayout = performance.now();
    const r0 = await new Promise((r) => requestAnimationFrame(() => r(performance.now())));
    await b.task();
    const tFrame = performance.now();
    const work = tLayout - t0;
    const paint = tFrame - r0;
    return { ms: work + paint, work, paint, wallMs: tFrame - t0, waited };
  };
}

/** A harness page session with the benchmark's instrumentation and a CDP session. */
export async function openBenchPage(browser, options) {
  const s = await openPage(browser, options);
  await s.context.addInitScript(instrument);
  s.cdp = await s.context.newCDPSession(s.page);
  return s;
}

/** Waits until the first list is on screen (the init script saw it and a frame passed). */
export async function waitFirstList(page, timeout = 30000) {
  await page.waitForFunction(() => window.__quireBench && window.__quireBench.firstListFrame !== null, null, {
    timeout,
    polling: 20,
  });
}

/** Waits until the app has taken over the prerendered page (its controls work). */
export async function waitLive(page, timeout = 60000) {
  await page.waitForFunction(() => window.__quireBench && window.__quireBench.live !== null, null, {
    timeout,
    polling: 20,
  });
}

/** The first contentful paint of the current document (ms after navigation start). */
export async function firstContentfulPaint(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const now = performance.getEntriesByName('first-contentful-paint')[0];
        if (now) return resolve(now.startTime);
        new PerformanceObserver((list, obs) => {
          obs.disconnect();
          resolve(list.getEntries()[0].startTime);
        }).observe({ type: 'paint', buffered: true });
      }),
  );
}

/** JS heap (after a full GC) plus every Wasm memory the page created, in bytes. */
export async function memoryAfterGc(s) {
  await s.cdp.send('HeapProfiler.enable');
  await s.cdp.send('HeapProfiler.collectGarbage');
  await s.cdp.send('HeapProfiler.collectGarbage');
  const usage = await s.cdp.send('Runtime.getHeapUsage');
  const page = await s.page.evaluate(() => ({
    jsHeap: performance.memory ? performance.memory.usedJSHeapSize : null,
    wasm: window.__quireBench.memoryBytes(),
    wasmCount: window.__quireBench.memories.length,
  }));
  const jsHeap = page.jsHeap ?? usage.usedSize;
  return { jsHeap, wasm: page.wasm, wasmCount: page.wasmCount, total: jsHeap + page.wasm, cdpUsed: usage.usedSize };
}

/** Resource and navigation timing entries of the current document. */
export async function timingEntries(page) {
  return page.evaluate(() => {
    const pick = (e) => ({
      name: e.name,
      type: e.initiatorType || 'navigation',
      start: e.startTime,
      end: e.responseEnd,
      bodySize: e.decodedBodySize,
    });
    return [
      ...performance.getEntriesByType('navigation').map(pick),
      ...performance.getEntriesByType('resource').map(pick),
    ];
  });
}
