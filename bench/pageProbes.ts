// Code that runs inside the console page (Chromium) to time what the user sees. Installed with addInitScript, so
// it is there before the app's own script; everything is reached through window.__vb. Timestamps that are compared
// with the benchmark process use Date.now() (same machine clock); in-page durations use performance.now().
export const PAGE_PROBES = `(() => {
  const vb = (window.__vb = {});
  // After the next frame is painted: rAF runs before style/layout/paint, a posted message right after them.
  vb.afterPaint = () => new Promise((resolve) => requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(0);
  }));

  // First grid rows painted (warm start).
  vb.firstRowPaintAt = null;
  const first = new MutationObserver(() => {
    if (vb.firstRowPaintAt !== null || !document.querySelector('[data-point-id]')) return;
    first.disconnect();
    vb.afterPaint().then(() => { vb.firstRowPaintAt = Date.now(); });
  });
  first.observe(document, { childList: true, subtree: true });

  // Frame deltas (requestAnimationFrame) and long tasks, between start and stop.
  vb.frames = null;
  vb.startFrames = () => {
    const rec = (vb.frames = { deltas: [], longTasks: 0, longTaskMs: 0, running: true });
    let last = performance.now();
    const tick = (t) => {
      if (!rec.running) return;
      rec.deltas.push(t - last);
      last = t;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame((t) => { last = t; requestAnimationFrame(tick); });
    try {
      rec.observer = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) { rec.longTasks++; rec.longTaskMs += e.duration; }
      });
      rec.observer.observe({ type: 'longtask' });
    } catch {}
  };
  vb.stopFrames = () => {
    const rec = vb.frames;
    rec.running = false;
    rec.observer?.disconnect();
    return { deltas: rec.deltas, longTasks: rec.longTasks, longTaskMs: rec.longTaskMs };
  };

  // Time from an input to the next painted frame that shows its result in the grid.
  vb.timeGridChange = (act) => new Promise((resolve, reject) => {
    const grid = document.querySelector('[data-testid="grid"]');
    let t0 = 0;
    const mo = new MutationObserver(() => {
      mo.disconnect();
      clearTimeout(timer);
      vb.afterPaint().then(() => resolve(performance.now() - t0));
    });
    const timer = setTimeout(() => { mo.disconnect(); reject(new Error('the grid did not change')); }, 10000);
    mo.observe(grid, { childList: true, subtree: true, attributes: true, characterData: true });
    t0 = performance.now();
    act();
  });
  vb.setFilterText = (text) => vb.timeGridChange(() => {
    const input = document.querySelector('[data-testid="filter-text"]');
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    setter.call(input, text);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  vb.clickSort = (column) => vb.timeGridChange(() => document.querySelector('[data-testid="sort-' + column + '"]').click());

  // What the page shows: counts per status, the outbox button, and each rendered row.
  vb.snapshot = () => {
    const counts = {};
    for (const el of document.querySelectorAll('[data-testid^="status-count-"]')) {
      counts[el.dataset.testid.slice('status-count-'.length)] = Number((el.querySelector('.count-n')?.textContent ?? '').replace(/[^0-9]/g, ''));
    }
    const rows = {};
    const box = document.querySelector('[data-testid="grid"]').getBoundingClientRect();
    for (const el of document.querySelectorAll('[data-point-id]')) {
      const r = el.getBoundingClientRect();
      rows[el.dataset.pointId] = { shown: el.dataset.shownStatus, delivery: el.dataset.delivery, inView: r.bottom > box.top + 34 && r.top < box.bottom };
    }
    return { at: Date.now(), counts, outbox: document.querySelector('[data-testid="open-outbox"]')?.textContent ?? '', rows };
  };
  // Records a snapshot whenever the page changes (one per animation frame at most), until stopped.
  vb.watch = () => {
    const log = (vb.watchLog = [vb.snapshot()]);
    let queued = false;
    const mo = new MutationObserver(() => {
      if (queued) return;
      queued = true;
      vb.afterPaint().then(() => { queued = false; log.push(vb.snapshot()); });
    });
    mo.observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
    vb.unwatch = () => { mo.disconnect(); return log; };
  };

  // Changes of a row's shown status, with the time they reached the DOM.
  vb.statusChanges = [];
  // While watching status: when each socket message arrived, the first animation frame after it began, and each
  // long task ran (Date.now() times), to tell a slow page leg's cause: a late message, a late frame or a busy main
  // thread. Frames are asked for only after a message (the app asks for one then too): a frame loop of our own
  // would keep the page drawing every frame and change what is measured.
  vb.pageTimes = null;
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => {
        const times = vb.pageTimes;
        if (!times) return;
        times.messages.push(Date.now());
        requestAnimationFrame(() => times.frames.push(Date.now()));
      });
    }
  };
  vb.watchStatus = () => {
    const times = (vb.pageTimes = { messages: [], frames: [], longTasks: [] });
    let longTasks = null;
    try {
      longTasks = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) times.longTasks.push([performance.timeOrigin + e.startTime, e.duration]);
      });
      longTasks.observe({ type: 'longtask' });
    } catch {}
    const grid = document.querySelector('[data-testid="grid"]');
    const mo = new MutationObserver((records) => {
      const at = Date.now();
      for (const r of records) {
        const el = r.target;
        if (r.type === 'attributes' && el.dataset && el.dataset.pointId) vb.statusChanges.push([el.dataset.pointId, el.dataset.shownStatus, at]);
      }
    });
    mo.observe(grid, { subtree: true, attributes: true, attributeFilter: ['data-shown-status'] });
    vb.unwatchStatus = () => { mo.disconnect(); longTasks?.disconnect(); const t = vb.pageTimes; vb.pageTimes = null; return t; };
  };

  // A second link to this page's host, to call the console API as the renderer does (same wire, same checks).
  vb.api = () => {
    if (vb.apiReady) return vb.apiReady;
    // As the page does (renderer/src/boot/hostSession.ts): the per-start token this origin kept, as a subprotocol.
    const token = localStorage.getItem('voltboard.hostSession');
    const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/api', token ? ['voltboard', 'vb-session.' + token] : ['voltboard']);
    const waiting = new Map();
    let id = 1_000_000;
    ws.addEventListener('message', (ev) => {
      if (!ev.data.startsWith('{"kind":"reply"')) return; // events: the app's own socket gets them too
      const m = JSON.parse(ev.data);
      if (m.kind !== 'reply' || !waiting.has(m.id)) return;
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      m.ok ? w.resolve(m.data) : w.reject(new Error(m.error.message));
    });
    const call = (method, params) => new Promise((resolve, reject) => {
      const n = id++;
      waiting.set(n, { resolve, reject });
      ws.send(JSON.stringify({ kind: 'call', id: n, method, params }));
    });
    vb.apiReady = new Promise((resolve, reject) => {
      ws.addEventListener('open', () => resolve(call));
      ws.addEventListener('error', () => reject(new Error('API socket failed')));
    });
    return vb.apiReady;
  };
  vb.setStatus = async (pointIds, status) => {
    const call = await vb.api();
    const at = Date.now();
    const r = await call('setStatus', { pointIds, edit: { status, reason: 'Bench', note: null, until: null } });
    return { at, mutationId: r.mutationId };
  };
})();`;
