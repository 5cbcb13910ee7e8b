import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { dashboardHtml, dashboardCsp, makeNonce } from '../../../src/host/dashboardHtml';

const cspSource = 'https://file+.vscode-resource.vscode-cdn.net';
function build(nonce = makeNonce()) {
  return {
    nonce,
    html: dashboardHtml({
      cspSource,
      nonce,
      scriptUri: `${cspSource}/ext/dist/webview.js`,
      elementsUri: `${cspSource}/ext/dist/vscode-elements.js`,
      styleUri: `${cspSource}/ext/media/dashboard.css`,
      katexStyleUri: `${cspSource}/ext/dist/katex/katex.min.css`,
      title: 'Scaling Lens <dashboard>',
    }),
  };
}

function parseCsp(html: string): Map<string, string[]> {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'CSP meta tag present');
  const csp = m[1].replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  const out = new Map<string, string[]>();
  for (const part of csp
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, ...values] = part.split(/\s+/);
    assert.ok(!out.has(name), `directive ${name} appears once`);
    out.set(name, values);
  }
  return out;
}

test('CSP has exactly the stated directives', () => {
  const { html, nonce } = build();
  const csp = parseCsp(html);
  assert.deepEqual([...csp.keys()].sort(), ['default-src', 'font-src', 'img-src', 'script-src', 'style-src']);
  assert.deepEqual(csp.get('default-src'), ["'none'"]);
  assert.deepEqual(csp.get('img-src'), [cspSource, 'data:']);
  assert.deepEqual(csp.get('style-src'), [cspSource, `'nonce-${nonce}'`]);
  assert.deepEqual(csp.get('font-src'), [cspSource]);
  assert.deepEqual(csp.get('script-src'), [`'nonce-${nonce}'`]);
});

test('CSP allows no eval, no inline, and no http(s) origin other than the webview resource origin', () => {
  const { html } = build();
  for (const [name, values] of parseCsp(html)) {
    for (const v of values) {
      assert.ok(!/unsafe-eval|unsafe-inline|unsafe-hashes|strict-dynamic/.test(v), `${name} allows ${v}`);
      assert.notEqual(v, '*', `${name} allows *`);
      if (/^https?:/i.test(v) || v === 'http:' || v === 'https:')
        assert.equal(v, cspSource, `${name} allows remote ${v}`);
    }
  }
});

test('every <script> carries the nonce and has a src; no inline scripts, styles or handlers', () => {
  const { html, nonce } = build();
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 2);
  for (const [, attrs, body] of scripts) {
    assert.match(attrs, new RegExp(`\\bnonce="${nonce}"`));
    assert.match(attrs, /\bsrc="[^"]+"/);
    assert.equal(body.trim(), '', 'no inline script body');
  }
  assert.equal((html.match(/<script\b/g) ?? []).length, 2, 'no other script tags');
  assert.doesNotMatch(html, /<style\b/);
  assert.doesNotMatch(html, /\sstyle="/);
  assert.doesNotMatch(html, /\son[a-z]+="/i);
  assert.match(html, /<script type="module" nonce="[^"]+" src="[^"]*vscode-elements\.js"><\/script>/);
});

test('canvases for end-to-end tests exist and the title is escaped', () => {
  const { html } = build();
  assert.match(html, /<canvas id="chart-runs"/);
  assert.match(html, /<canvas id="chart-sweep"/);
  assert.match(html, /<title>Scaling Lens &lt;dashboard&gt;<\/title>/);
});

test('makeNonce is random and CSP-safe; bad inputs are rejected', () => {
  const a = makeNonce(),
    b = makeNonce();
  assert.notEqual(a, b);
  assert.match(a, /^[0-9a-f]{32}$/);
  assert.throws(() => dashboardCsp(cspSource, "abc'; script-src *"));
  assert.throws(() => dashboardCsp("https://x; script-src 'unsafe-inline'", a));
  assert.throws(() => dashboardCsp('', a));
});

test('KaTeX: its stylesheet is linked from the extension (style-src cspSource), fonts come from font-src cspSource only', () => {
  const { html } = build();
  assert.match(
    html,
    new RegExp(`<link rel="stylesheet" href="${cspSource.replace(/[.+]/g, '\\$&')}/ext/dist/katex/katex\\.min\\.css">`),
  );
  const csp = parseCsp(html);
  assert.deepEqual(csp.get('font-src'), [cspSource]);
  assert.ok(!(csp.get('style-src') ?? []).includes("'unsafe-inline'"));
  // Without a KaTeX URI (older hosts) no link is emitted.
  const bare = dashboardHtml({
    cspSource,
    nonce: makeNonce(),
    scriptUri: 'a',
    elementsUri: 'b',
    styleUri: 'c',
    title: 't',
  });
  assert.equal((bare.match(/<link /g) ?? []).length, 1);
});
