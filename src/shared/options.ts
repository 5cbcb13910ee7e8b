/**
 * The dashboard options' validation, one copy for both bundles: the host checks options sent by the webview
 * (src/protocol.ts), the webview checks what an earlier session persisted (webview/store.ts). Pure.
 */
import type { DashboardOptions, XAxis } from '../protocol';
import { MAX_FILTER } from './runFilter';

export const X_AXES: readonly XAxis[] = ['step', 'tokens', 'compute', 'time'];
export const TABS: readonly DashboardOptions['tab'][] = ['runs', 'sweep', 'fit'];
/** Longest metric name, law id or run id accepted in an option. */
export const MAX_OPTION_STRING = 4096;

/**
 * Whether `value` is a valid value of option `key`. Unknown keys, and `pinned` (the host owns it; the webview
 * changes it only with `togglePin`), are not valid.
 */
export function validOption(key: string, value: unknown): boolean {
  switch (key) {
    case 'xAxis':
      return X_AXES.includes(value as XAxis);
    case 'tab':
      return TABS.includes(value as DashboardOptions['tab']);
    case 'logX':
    case 'logY':
      return typeof value === 'boolean';
    case 'smoothing':
      return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 0.99;
    case 'filter':
      return typeof value === 'string' && value.length <= MAX_FILTER; // the filter box: the host charts what matches
    case 'metric':
    case 'curveLaw':
    case 'sweepLaw':
    case 'selectedRun':
      return typeof value === 'string' && value.length > 0 && value.length <= MAX_OPTION_STRING;
    default:
      return false;
  }
}
