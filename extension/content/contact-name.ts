// Guesses whose number it is from the page around it: the name cell of its table row, a card's heading, a signature's first line.

const NAME = /^(?:(?:Dr|Mr|Mrs|Ms|Mx|Prof)\.?\s+)?[\p{Lu}][\p{L}'’.-]*(?:\s+[\p{L}][\p{L}'’.-]*){0,3}$/u;
const NOT_NAME_WORDS = /\b(?:phone|tel|mobile|cell|fax|email|e-mail|call|contact|address|office|street|suite|avenue|ave|inc|llc|ltd|corp|gmbh|regards|thanks|best|sincerely|cheers|open|closed|status|lead|name|ticket|opened|score|hours)\b/i;

/** Whether a short text looks like a person's name ("Grace Hall", "Dr. Ana María López"). */
export function looksLikeName(text: string): boolean {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length < 2 || t.length > 60) return false;
  if (/[\d@:/|]/.test(t)) return false;
  if (NOT_NAME_WORDS.test(t)) return false;
  return NAME.test(t);
}

const SIGN_OFF = /^(?:--\s*|—|best(?: regards| wishes)?|kind regards|warm regards|regards|thanks|thank you|many thanks|cheers|sincerely(?: yours)?|yours(?: truly)?|all the best)[,!.]?$/i;

/**
 * Picks a name from the lines above a number: the line after a sign-off ("Best," / "--") if there is one,
 * else the nearest name-like line above it.
 */
export function guessNameFromLines(lines: readonly string[], numberLine: number): string | undefined {
  const from = Math.max(0, numberLine - 8);
  for (let i = numberLine - 1; i >= from; i--) {
    if (SIGN_OFF.test(lines[i]!.trim())) {
      for (let k = i + 1; k <= numberLine; k++) {
        const line = lines[k]!.trim();
        if (looksLikeName(line)) return line;
        if (line !== '') break;
      }
    }
  }
  for (let i = numberLine - 1; i >= from; i--) {
    const line = lines[i]!.trim();
    if (looksLikeName(line)) return line;
  }
  // "Grace Hall: 212-555-0100" on the number's own line.
  const own = lines[numberLine]?.split(/[:\u2013\u2014|·,]|\s-\s/)[0]?.trim();
  if (own && looksLikeName(own)) return own;
  return undefined;
}

function cellText(el: Element): string {
  return (el.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** In a table row: the cell under a Name/Contact header, else the first name-like cell. */
function nameFromRow(row: Element): string | undefined {
  const cells = [...row.children].filter((c) => c.tagName === 'TD' || c.tagName === 'TH' || c.getAttribute('role') === 'cell' || c.getAttribute('role') === 'gridcell');
  const table = row.closest('table, [role="table"], [role="grid"]');
  const headerRow =
    table?.querySelector('thead tr') ??
    [...(table?.querySelectorAll('tr, [role="row"]') ?? [])].find((r) => r.querySelector('th, [role="columnheader"]') !== null);
  if (headerRow && headerRow !== row) {
    const headers = [...headerRow.children].map(cellText);
    const index = headers.findIndex((h) => /\b(?:name|contact|lead|person|customer|client|full name)\b/i.test(h));
    const cell = index >= 0 ? cells[index] : undefined;
    if (cell && looksLikeName(cellText(cell))) return cellText(cell);
  }
  for (const cell of cells) {
    const t = cellText(cell);
    if (looksLikeName(t)) return t;
  }
  return undefined;
}

/** Visible lines of text of a container, block elements and <br> breaking lines (no layout needed). */
function linesOf(container: Element): string[] {
  const lines: string[] = [''];
  const walk = (node: Node): void => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) lines[lines.length - 1] += (child as Text).data.replace(/\s+/g, ' ');
      else if (child.nodeType === 1) {
        const el = child as Element;
        const tag = el.tagName;
        if (tag === 'SCRIPT' || tag === 'STYLE' || tag === 'TEMPLATE') continue;
        if (tag === 'BR') {
          lines.push('');
          continue;
        }
        const block = !/^(?:A|ABBR|B|BDI|BDO|CITE|EM|FONT|I|LABEL|MARK|Q|S|SMALL|SPAN|STRONG|SUB|SUP|TIME|U)$/.test(tag);
        if (block) lines.push('');
        walk(el);
        if (block) lines.push('');
      }
    }
  };
  walk(container);
  return lines.map((l) => l.trim()).filter((l, i, all) => l !== '' || (i > 0 && all[i - 1] !== ''));
}

/** Guesses the contact name for a number found in `node`, or undefined when nothing name-like is near. */
export function guessContactName(node: Node, numberText: string): string | undefined {
  const el = node.nodeType === 1 ? (node as Element) : node.parentElement;
  if (!el) return undefined;
  const row = el.closest('tr, [role="row"]');
  if (row) {
    const name = nameFromRow(row);
    if (name) return name;
  }
  // A card or signature: look in growing containers for the lines above the number.
  let container: Element | null = el;
  for (let depth = 0; container && depth < 4; depth++, container = container.parentElement) {
    if (container.tagName === 'BODY' || container.tagName === 'HTML') break;
    // Never past the number's own row: the line above it there is another row's, another person's name.
    if (row && container === row.parentElement) break;
    const lines = linesOf(container);
    const numberLine = lines.findIndex((l) => l.includes(numberText));
    if (numberLine < 0) continue;
    const name = guessNameFromLines(lines, numberLine);
    if (name) return name;
    const heading = container.querySelector('h1, h2, h3, h4, h5, h6, strong, b, [class*="name" i], [itemprop="name"]');
    if (heading && looksLikeName(cellText(heading))) return cellText(heading);
  }
  return undefined;
}
