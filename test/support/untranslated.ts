/**
 * Finds English on a dashboard page read in German: every text node, option, placeholder, label and title is checked
 * against the English catalogue's texts that German words differently (exact texts, and phrases of three words or
 * more inside longer texts, placeholders as wildcards), and the page's own words (headings, labels, buttons, notes,
 * navigation) also against common English words, which catches English that never went through the catalogue.
 * Data (alert titles, vendor texts, analysts' notes) and the services' refusal texts (`p.error`) are not judged by the
 * word list, only by the catalogue; a form's field errors (`ul.error`) are.
 */
import type { Page } from 'playwright-core';
import { CATALOGUES } from '../../domain/i18n/messages';

function leaves(tree: object, prefix = ''): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'object' && value !== null) for (const [k, v] of leaves(value as object, path)) found.set(k, v);
    else found.set(path, String(value));
  }
  return found;
}

interface EnglishText {
  key: string;
  exact: RegExp;
  phrases: string[];
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The English catalogue's texts whose German differs (and that are no German text either). */
export function englishOnlyTexts(): EnglishText[] {
  const en = leaves(CATALOGUES.en);
  const de = leaves(CATALOGUES.de);
  const german = new Set(de.values());
  return [...en]
    .filter(([key, text]) => de.get(key) !== text && !german.has(text))
    .map(([key, text]) => {
      const parts = text.split(/\{\{\w+\}\}/);
      const literalWords = parts.join(' ').trim().split(/\s+/).filter((w) => /[a-z]/i.test(w)).length;
      return {
        key,
        // A template with a single word around its placeholders (`IP {{address}}`) would match German texts too.
        exact: parts.length === 1 || literalWords >= 2 ? new RegExp(`^${parts.map((p) => escape(p.trim())).join('.+')}$`, 's') : /(?!)/,
        phrases: parts.map((p) => p.trim()).filter((p) => p.split(/\s+/).length >= 3),
      };
    });
}

const ENGLISH_WORDS = ['the', 'and', 'of', 'to', 'is', 'not', 'no', 'yet', 'by', 'with', 'from', 'this', 'your', 'for', 'more', 'none', 'show', 'here', 'nothing', 'there', 'only', 'on', 'at', 'are', 'has', 'have', 'which', 'that', 'you'];
const ENGLISH_WORD = new RegExp(`\\b(${ENGLISH_WORDS.join('|')})\\b`, 'i');

interface Shown {
  text: string;
  /** The page's own words (not data). */
  chrome: boolean;
}

/**
 * Every text the page shows or announces, marked whether it is the page's own wording. Runs in the browser (a string:
 * this project's TypeScript has no DOM types).
 */
const SHOWN_TEXTS = `(() => {
  const CHROME = 'h2, h3, th, dt, label, button, p.note, header a, header strong, option, caption, legend, ul.error li';
  const DATA = 'select[name=playbookId], select[name=analyst], select[name=tenantId], td, dd, pre, code, h1, .recommendation, .description';
  const found = [{ text: document.title.split(' · ')[1] || '', chrome: true }];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = (node.textContent || '').trim();
    const parent = node.parentElement;
    if (!text || !parent) continue;
    found.push({ text, chrome: parent.closest(CHROME) !== null && parent.closest(DATA) === null });
  }
  for (const element of document.querySelectorAll('[placeholder], [aria-label], [title]')) {
    for (const name of ['placeholder', 'aria-label', 'title']) {
      const value = element.getAttribute(name);
      if (value) found.push({ text: value.trim(), chrome: true });
    }
  }
  return found;
})()`;

const shownTexts = (page: Page): Promise<Shown[]> => page.evaluate(SHOWN_TEXTS) as Promise<Shown[]>;

/** What on the page is English: `<catalogue key>: <text>` or `english word: <text>`; empty when the page reads German. */
export async function untranslatedOn(page: Page, english: EnglishText[] = englishOnlyTexts()): Promise<string[]> {
  const problems: string[] = [];
  for (const { text, chrome } of await shownTexts(page)) {
    const hit = english.find((e) => e.exact.test(text) || e.phrases.some((phrase) => text.includes(phrase)));
    if (hit) problems.push(`${hit.key}: ${text}`);
    else if (chrome && ENGLISH_WORD.test(text)) problems.push(`english word: ${text}`);
  }
  return problems;
}
