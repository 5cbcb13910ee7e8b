/** Tiny DOM helpers. Text from logs only ever goes through textContent / setAttribute, never innerHTML. */

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  cls?: string,
  text?: string,
): HTMLElementTagNameMap[K];
export function el(tag: string, cls?: string, text?: string): HTMLElement;
export function el(tag: string, cls?: string, text?: string): HTMLElement {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`#${id} missing from the dashboard HTML`);
  return e as T;
}

/** Selects `value` in a vscode-single-select, whether or not its options have been slotted yet. */
export function setSelectValue(sel: HTMLElement, value: string): void {
  let changed = false;
  for (const o of Array.from(sel.querySelectorAll('vscode-option'))) {
    const want = o.getAttribute('value') === value;
    if (want === o.hasAttribute('selected')) continue;
    changed = true;
    if (want) o.setAttribute('selected', '');
    else o.removeAttribute('selected');
  }
  // Setting `value` re-renders the select's dropdown, which measures the page (a forced layout): done only when
  // something changed, not on every run-list refresh (a thousand runs arriving refreshed it 150 times).
  const s = sel as HTMLElement & { value: string };
  if (changed || s.value !== value) s.value = value;
}

export function selectValue(sel: HTMLElement): string {
  return String((sel as HTMLElement & { value?: string }).value ?? '');
}

/** Replaces a vscode-single-select's options (labels are untrusted text), keeping `value` selected. */
export function setSelectOptions(sel: HTMLElement, options: { value: string; label: string }[], value: string): void {
  const current = Array.from(sel.querySelectorAll('vscode-option'))
    .map((o) => `${o.getAttribute('value')}\u0000${o.textContent}`)
    .join('\u0001');
  const next = options.map((o) => `${o.value}\u0000${o.label}`).join('\u0001');
  if (current !== next) {
    sel.replaceChildren(
      ...options.map((o) => {
        const opt = el('vscode-option', undefined, o.label);
        opt.setAttribute('value', o.value);
        return opt;
      }),
    );
  }
  setSelectValue(sel, value);
}

export function setChecked(cb: HTMLElement, on: boolean): void {
  (cb as HTMLElement & { checked: boolean }).checked = on;
  if (on) cb.setAttribute('checked', '');
  else cb.removeAttribute('checked');
}

export function isChecked(cb: HTMLElement): boolean {
  return Boolean((cb as HTMLElement & { checked?: boolean }).checked);
}
