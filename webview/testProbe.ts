/**
 * What the test harnesses and the preview's performance check read from the page: data-* attributes on the chart
 * canvases (a canvas has no DOM to inspect). Every such attribute is written through `publish`; the dashboard
 * itself never reads them.
 */

/**
 * Sets `data-<key>` for each value (true → "true"); undefined or false removes it. Every call writes, even an
 * unchanged value: the harnesses count redraws with a MutationObserver on these attributes.
 */
export function publish(el: HTMLElement, values: Record<string, string | number | boolean | undefined>): void {
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === false) delete el.dataset[k];
    else el.dataset[k] = v === true ? 'true' : String(v);
  }
}
