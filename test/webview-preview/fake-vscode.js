// Stands in for VS Code in the preview page: the theme body class, `acquireVsCodeApi` (records posted messages,
// keeps setState in sessionStorage so reloads restore it) and a host that answers `ready` with the synthetic init.
(function () {
  const params = new URLSearchParams(location.search);
  const theme = params.get('theme') || 'dark';
  const cls = { light: 'vscode-light', dark: 'vscode-dark', hc: 'vscode-high-contrast' }[theme] || 'vscode-dark';
  document.body.className = cls;
  document.body.dataset.vscodeThemeKind = cls;
  window.__posted = [];
  window.__csp = [];
  window.__errors = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
  );
  window.addEventListener('error', (e) => window.__errors.push(String(e.message)));
  // Host messages reach the webview as VS Code's webview frame forwards them (microsoft/vscode,
  // src/vs/workbench/contrib/webview/browser/pre/index.html: postMessage(data.message, window.origin, data.transfer)):
  // the ArrayBuffers of the message's typed arrays (series columns, src/protocol.ts Column) are transferred, not copied.
  const buffersOf = (v, out, depth) => {
    if (ArrayBuffer.isView(v)) out.add(v.buffer);
    else if (depth < 8 && Array.isArray(v)) {
      if (v.length && typeof v[0] === 'object') for (const x of v) buffersOf(x, out, depth + 1);
    } else if (depth < 8 && v && typeof v === 'object') for (const k in v) buffersOf(v[k], out, depth + 1);
    return out;
  };
  const post = (m) => window.postMessage(m, '*', [...buffersOf(m, new Set(), 0)]);
  window.__send = post;
  let acquired = false;
  window.acquireVsCodeApi = function () {
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return {
      postMessage(m) {
        window.__posted.push(JSON.parse(JSON.stringify(m)));
        if (m && m.type === 'ready' && params.get('init') !== 'none') {
          const state =
            params.get('init') === 'empty'
              ? {
                  ...window.__PREVIEW_STATE__,
                  runs: [],
                  series: [],
                  curveFits: [],
                  sweepFit: undefined,
                  status: 'Scanning 0 files…',
                }
              : window.__PREVIEW_STATE__;
          const tab = params.get('tab');
          const opts = params.get('opts') ? JSON.parse(params.get('opts')) : {};
          const s = { ...state, options: { ...state.options, ...(tab ? { tab } : {}), ...opts } };
          // Series columns as the host posts them (src/protocol.ts Column): Float64Arrays.
          const col = (a) => (a ? Float64Array.from(a) : undefined);
          s.series = (s.series ?? []).map((x) => ({
            ...x,
            step: col(x.step),
            tokens: col(x.tokens),
            time: col(x.time),
            y: col(x.y),
          }));
          setTimeout(() => post({ type: 'init', state: s }), 0);
          if (params.get('live')) {
            // &live=1: the live run keeps training (a batch of 5 points every 250 ms), like a host tailing a log.
            const sr = state.series.find((x) => x.runId === 'run-124m' && x.metric === 'val/loss');
            let step = sr.step[sr.step.length - 1],
              y = sr.y[sr.y.length - 1];
            setInterval(() => {
              const m = {
                type: 'points',
                runId: 'run-124m',
                metric: 'val/loss',
                step: [],
                tokens: [],
                time: [],
                y: [],
              };
              for (let k = 0; k < 5; k++) {
                step += 10;
                y = y * 0.99995 + 0.0005 * (Math.random() - 0.5) * 40;
                m.step.push(step);
                m.tokens.push(step * 5e5);
                m.time.push(1.7e9 + step * 0.3);
                m.y.push(y);
              }
              for (const k of ['step', 'tokens', 'time', 'y']) m[k] = Float64Array.from(m[k]);
              post(m);
            }, 250);
          }
        }
      },
      getState() {
        const s = sessionStorage.getItem('sl-state');
        return s ? JSON.parse(s) : undefined;
      },
      setState(s) {
        sessionStorage.setItem('sl-state', JSON.stringify(s));
        return s;
      },
    };
  };
})();
