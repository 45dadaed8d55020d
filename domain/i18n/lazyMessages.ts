/**
 * The catalogues and i18next, loaded on the first text rendered: workflows render customer and SOC texts, and every
 * module a workflow evaluates costs memory per cached workflow (docs/performance.md), so an alert that never writes to
 * anyone (most of them, and every one waiting for service hours) never loads them. The text modules workflows import
 * (customerMessages, socMessages, measureWords) take `message`, `letter` and `berlinTime` from here.
 */
import type * as Catalogues from './messages';

let catalogues: typeof Catalogues | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loaded = (): typeof Catalogues => (catalogues ??= require('./messages') as typeof Catalogues);

export const message = (...args: Parameters<typeof Catalogues.message>) => loaded().message(...args);
export const letter = (...args: Parameters<typeof Catalogues.letter>) => loaded().letter(...args);
export const berlinTime = (...args: Parameters<typeof Catalogues.berlinTime>) => loaded().berlinTime(...args);
