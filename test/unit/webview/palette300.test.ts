// Issue 16: at 148–207 real runs a few runs shared a colour (142 distinct for 148: one large folder's narrow hue band).
// Every run's colour must stay distinct up to at least 300 runs, whatever the folders, in every theme. ΔE is computed
// here independently of webview/palette.ts: sRGB → OKLab written out from Ottosson's published matrices (2020).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { deltaE, runColors, type ColorRun } from '../../../webview/palette';

function oklab(hex: string): number[] {
  const lin = (v: number) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  };
  const R = lin(parseInt(hex.substring(1, 3), 16)),
    G = lin(parseInt(hex.substring(3, 5), 16)),
    B = lin(parseInt(hex.substring(5, 7), 16));
  const M1 = [
    [0.4122214708, 0.5363325363, 0.0514459929],
    [0.2119034982, 0.6806995451, 0.1073969566],
    [0.0883024619, 0.2817188376, 0.6299787005],
  ];
  const M2 = [
    [0.2104542553, 0.793617785, -0.0040720468],
    [1.9779984951, -2.428592205, 0.4505937099],
    [0.0259040371, 0.7827717662, -0.808675766],
  ];
  const lms = M1.map((row) => Math.cbrt(row[0] * R + row[1] * G + row[2] * B));
  return M2.map((row) => row[0] * lms[0] + row[1] * lms[1] + row[2] * lms[2]);
}

/** Runs in folders of the given sizes, models growing inside each folder. */
function workspace(sizes: number[]): ColorRun[] {
  const out: ColorRun[] = [];
  sizes.forEach((k, g) => {
    for (let i = 0; i < k; i++)
      out.push({
        id: `f${g}/r${i}`,
        group: `folder-${String(g).padStart(3, '0')}`,
        label: `run ${i}`,
        params: 1e6 * 1.3 ** i,
      });
  });
  return out;
}

const ones = (n: number) => Array<number>(n).fill(1);
const LAYOUTS: [string, number[]][] = [
  ['one folder of 300', [300]],
  ['a folder of 150 among 150 single runs', [150, ...ones(150)]],
  ['the real workspace’s shape: 78 logs, 105 single curves, a folder of 24 (207)', [78, ...ones(105), 24]],
  ['300 single runs', ones(300)],
  ['30 folders of 10', Array<number>(30).fill(10)],
  ['two folders of 160', [160, 160]],
];

test('up to 300 runs, every pair of run colours differs by more than a just-noticeable ΔE, in every theme', () => {
  for (const [name, sizes] of LAYOUTS) {
    for (const kind of ['dark', 'light', 'high-contrast', 'high-contrast-light'] as const) {
      const runs = workspace(sizes);
      const colours = runColors(runs, kind);
      const list = runs.map((r) => colours.get(r.id)!);
      assert.equal(new Set(list).size, runs.length, `${name}, ${kind}: every colour distinct`);
      const lab = list.map(oklab);
      let minOk = Infinity,
        min76 = Infinity;
      for (let i = 0; i < lab.length; i++) {
        for (let j = i + 1; j < lab.length; j++) {
          minOk = Math.min(minOk, Math.hypot(lab[i][0] - lab[j][0], lab[i][1] - lab[j][1], lab[i][2] - lab[j][2]));
          min76 = Math.min(min76, deltaE(list[i], list[j]));
        }
      }
      // ΔE_OK ≈ 0.02 is about one just-noticeable difference (CSS Color 4 uses it for gamut mapping); CIE76 ≈ 2.3.
      assert.ok(minOk > 0.02, `${name}, ${kind}: closest pair ΔE_OK ${minOk.toFixed(4)}`);
      assert.ok(min76 > 2.3, `${name}, ${kind}: closest pair ΔE76 ${min76.toFixed(2)}`);
    }
  }
});

test('a large folder keeps a band of neighbouring hues (a ramp by size), not colours scattered over the wheel', () => {
  const runs = workspace([150, ...ones(150)]);
  const colours = runColors(runs, 'dark');
  const hue = (hex: string) => {
    const [, a, b] = oklab(hex);
    return (Math.atan2(b, a) * 180) / Math.PI;
  };
  const big = runs.filter((r) => r.id.startsWith('f0/')).map((r) => hue(colours.get(r.id)!));
  // consecutive runs of the folder (by size) are near in hue: the band is about half the wheel, in order
  let far = 0;
  for (let i = 1; i < big.length; i++) {
    const d = Math.abs(((big[i] - big[i - 1] + 540) % 360) - 180);
    if (d > 40) far++;
  }
  assert.ok(far <= 3, `${far} jumps of more than 40° between consecutive runs of the folder`);
});
