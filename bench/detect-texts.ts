// Generates the benchmark texts: a dense CRM contact table and sparse prose, deterministic and with unique numbers.

const FIRST = ['Grace', 'Henry', 'Isla', 'Owen', 'Ella', 'Leo', 'Mila', 'Theo', 'Ruby', 'Noah', 'Ava', 'Liam', 'Zoe', 'Ethan'];
const LAST = ['Hall', 'Young', 'King', 'Wright', 'Scott', 'Green', 'Ford', 'Ross', 'Cole', 'Baker', 'Reed', 'Price', 'Ward', 'Hayes'];
const COMPANIES = ['Acme Corp', 'Globex', 'Initech', 'Umbrella Ltd', 'Hooli', 'Stark Industries', 'Wayne Enterprises'];
const STATUSES = ['Open', 'Qualified', 'Contacted', 'Won', 'Lost'];
/** Real NANP area codes, so that generated numbers are valid. */
const AREA_CODES = ['212', '312', '415', '617', '206', '303', '404', '713', '503', '305', '646', '718', '202', '512', '702'];

/** A small deterministic generator, so every run measures the same text. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)]!;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** A phone number formatted the way CRMs show them; `i` keeps every number distinct. */
export function formattedNumber(r: () => number, i: number): { text: string; e164: string } {
  const area = pick(r, AREA_CODES);
  const exchange = String(200 + (Math.floor(i / 10000) % 700));
  const line = pad(i % 10000, 4);
  const e164 = `+1${area}${exchange}${line}`;
  const style = Math.floor(r() * 5);
  const text =
    style === 0 ? `(${area}) ${exchange}-${line}` :
    style === 1 ? `${area}-${exchange}-${line}` :
    style === 2 ? `+1 ${area} ${exchange} ${line}` :
    style === 3 ? `${area}.${exchange}.${line}` :
    `1-${area}-${exchange}-${line}`;
  return { text, e164 };
}

export interface ContactRow {
  name: string;
  company: string;
  email: string;
  phone: string;
  e164: string;
  ticket: string;
  opened: string;
  score: string;
  status: string;
}

export function contactRows(count: number, seed = 1): ContactRow[] {
  const r = rng(seed);
  const rows: ContactRow[] = [];
  for (let i = 0; i < count; i++) {
    const first = pick(r, FIRST);
    const last = pick(r, LAST);
    const { text, e164 } = formattedNumber(r, i);
    rows.push({
      name: `${first} ${last}`,
      company: pick(r, COMPANIES),
      email: `${first.toLowerCase()}.${last.toLowerCase()}@example.com`,
      phone: text,
      e164,
      ticket: `T-${80000 + i}`,
      opened: `2025-${pad(1 + (i % 12), 2)}-${pad(1 + (i % 28), 2)}`,
      score: (r() * 100).toFixed(1),
      status: pick(r, STATUSES),
    });
  }
  return rows;
}

/** Dense contact-table text (one tab-separated row a line, as innerText gives a table) of about `bytes` characters. */
export function denseTableText(bytes: number, seed = 1): { text: string; expected: string[] } {
  const lines: string[] = [];
  const expected: string[] = [];
  let size = 0;
  const rows = contactRows(Math.ceil(bytes / 60), seed);
  for (const row of rows) {
    if (size >= bytes) break;
    const line = [row.name, row.company, row.email, row.phone, row.ticket, row.opened, row.score, row.status].join('\t');
    lines.push(line);
    expected.push(row.e164);
    size += line.length + 1;
  }
  return { text: lines.join('\n'), expected };
}

const WORDS = (
  'the team met on tuesday to review the quarterly plan and agreed that support should answer every request within ' +
  'one business day while sales follows up with each lead before the end of the week because customers expect a quick ' +
  'reply and a clear next step from someone who knows their account history and their open questions about pricing'
).split(' ');

/** Sparse prose of about `bytes` characters: sentences, a few years and amounts, one phone number every ~4 KB. */
export function proseText(bytes: number, seed = 2): { text: string; expected: string[] } {
  const r = rng(seed);
  const parts: string[] = [];
  const expected: string[] = [];
  let size = 0;
  let sentence = 0;
  while (size < bytes) {
    const words: string[] = [];
    const length = 12 + Math.floor(r() * 14);
    for (let w = 0; w < length; w++) words.push(pick(r, WORDS));
    sentence++;
    if (sentence % 9 === 0) words.push(`in ${2000 + (sentence % 25)}`);
    if (sentence % 13 === 0) words.push(`for $${(sentence * 37) % 9000}.99`);
    if (sentence % 40 === 0) {
      const { text, e164 } = formattedNumber(r, sentence);
      words.push(`call ${text}`);
      expected.push(e164);
    }
    const s = `${words.join(' ')}. `;
    parts.push(s.charAt(0).toUpperCase() + s.slice(1));
    size += s.length;
  }
  return { text: parts.join(''), expected };
}
