/** Theme colours from VS Code's CSS variables, read at draw time; re-read when the body's theme class changes. */

export interface Theme {
  kind: 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';
  fg: string;
  muted: string;
  bg: string;
  grid: string;
  border: string;
  focus: string;
  /** Run colours, in order. */
  palette: string[];
  red: string;
  green: string;
  yellow: string;
  orange: string;
  purple: string;
  blue: string;
  font: string;
  fontSize: number;
}

function v(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const s = style.getPropertyValue(name).trim();
  return s || fallback;
}

export function themeKind(): Theme['kind'] {
  const c = document.body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  if (c.contains('vscode-light')) return 'light';
  return 'dark';
}

export function readTheme(): Theme {
  const st = getComputedStyle(document.body);
  const kind = themeKind();
  const light = kind === 'light' || kind === 'high-contrast-light';
  const fg = v(st, '--vscode-editor-foreground', v(st, '--vscode-foreground', light ? '#3b3b3b' : '#cccccc'));
  const blue = v(st, '--vscode-charts-blue', light ? '#1a85ff' : '#3794ff');
  const red = v(st, '--vscode-charts-red', light ? '#e51400' : '#f14c4c');
  const green = v(st, '--vscode-charts-green', light ? '#388a34' : '#89d185');
  const yellow = v(st, '--vscode-charts-yellow', light ? '#bf8803' : '#cca700');
  const orange = v(st, '--vscode-charts-orange', '#d18616');
  const purple = v(st, '--vscode-charts-purple', light ? '#652d90' : '#b180d7');
  const hc = kind.startsWith('high-contrast');
  const border = v(st, '--vscode-panel-border', v(st, '--vscode-contrastBorder', light ? '#e5e5e5' : '#2b2b2b'));
  return {
    kind,
    fg,
    blue,
    red,
    green,
    yellow,
    orange,
    purple,
    muted: v(st, '--vscode-descriptionForeground', fg),
    bg: v(st, '--vscode-editor-background', light ? '#ffffff' : '#1f1f1f'),
    // Grid lines: the charts' own line colour when the theme has one, else the panel border.
    grid: hc ? border : v(st, '--vscode-charts-lines', border),
    border,
    focus: v(st, '--vscode-focusBorder', '#0078d4'),
    palette: [blue, orange, green, purple, red, yellow],
    font: v(st, '--vscode-font-family', 'system-ui, sans-serif'),
    fontSize: parseFloat(v(st, '--vscode-font-size', '13px')) || 13,
  };
}

/** Calls `cb` when VS Code switches theme (it swaps the body's vscode-light/-dark/-high-contrast class). */
export function observeTheme(cb: () => void): MutationObserver {
  let last = document.body.className;
  const mo = new MutationObserver(() => {
    if (document.body.className !== last) {
      last = document.body.className;
      cb();
    }
  });
  mo.observe(document.body, {
    attributes: true,
    attributeFilter: ['class', 'data-vscode-theme-kind', 'data-vscode-theme-id'],
  });
  return mo;
}
