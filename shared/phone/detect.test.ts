// Tests for the text → phone number detection core.
import { describe, expect, it } from 'vitest';
import { findPhoneNumbersInText } from 'libphonenumber-js/max';
import { detectPhoneNumbers } from './detect.js';

const e164s = (text: string, country?: 'US' | 'FR' | 'GB') =>
  detectPhoneNumbers(text, country ? { defaultCountry: country } : {}).map((m) => m.e164);

describe('detectPhoneNumbers', () => {
  it('finds US numbers in the formats CRMs show, with offsets into the text', () => {
    const text = 'Grace (617) 555-0170, Henry +1 312 555 0171, Isla 206.555.0172, Leo 1-303-555-0173, Mia 4045550185';
    const matches = detectPhoneNumbers(text);
    expect(matches.map((m) => m.e164)).toEqual(['+16175550170', '+13125550171', '+12065550172', '+13035550173', '+14045550185']);
    for (const m of matches) expect(text.slice(m.start, m.end)).toBe(m.text);
    expect(matches[0]!.text).toBe('(617) 555-0170');
    expect(matches[1]!.text).toBe('+1 312 555 0171');
  });

  it('finds international numbers written with a plus or 00', () => {
    expect(e164s('London +44 20 7946 0100, Berlin +49 30 901821, Paris 0033 1 42 68 53 01, Sydney +61 2 9374 4001')).toEqual([
      '+442079460100',
      '+4930901821',
      '+33142685301',
      '+61293744001',
    ]);
  });

  it('reads national numbers in the default country', () => {
    expect(e164s('Appelez le 06.12.34.56.78 ou le 01 42 68 53 01', 'FR')).toEqual(['+33612345678', '+33142685301']);
    expect(e164s('Ring 020 7946 0100 today', 'GB')).toEqual(['+442079460100']);
  });

  it('holds every rule for a number written the common NANP ways inside longer text (its quicker path)', () => {
    // Each shape in prose, offered, with its "+" or "(" in the match.
    for (const written of ['(212) 555-0100', '212-555-0100', '212.555.0100', '1-212-555-0100', '+1 212 555 0100', '+1 (212) 555-0100']) {
      const [m, ...rest] = detectPhoneNumbers(`Please call ${written} today.`);
      expect(rest).toEqual([]);
      expect(m).toMatchObject({ e164: '+12125550100', text: written, start: 'Please call '.length });
    }
    // And each rule still refuses it: glued on either side, labelled, an amount, invalid, a glued extension.
    for (const text of ['T-212-555-0100 today', 'ab212-555-0100 x', 'Call 212-555-0100abc', 'Call 212-555-0100-B',
      'Order 212-555-0100 shipped', 'Customer ID: (212) 555-0100', 'Paid $212-555-0100', 'Call 212-555-0100 USD',
      'Call (012) 555-0100 now', 'Call 212-555-0100x204abc', 'Call 212-555-0100%']) {
      expect(e164s(text), text).toEqual([]);
    }
    // A glued extension is the extension, as before.
    expect(detectPhoneNumbers('Desk (212) 555-0100x204.')[0]).toMatchObject({ extension: '204', text: '(212) 555-0100x204' });
  });

  it('keeps extensions with the match', () => {
    const [a, b, c] = detectPhoneNumbers('Desk 212-555-0183 x204; fax (212) 555-0184, ext. 12; main 212.555.0185 extension 7');
    expect(a).toMatchObject({ e164: '+12125550183', extension: '204', text: '212-555-0183 x204' });
    expect(b).toMatchObject({ e164: '+12125550184', extension: '12' });
    expect(c).toMatchObject({ e164: '+12125550185', extension: '7' });
  });

  it('rejects dates, times, IP addresses, versions and amounts', () => {
    expect(e164s('2025-11-03 10:12, 11/03/2025, 03.11.2025, 2025/11/04 12:30:45, 2025-11-04T08:00:00Z')).toEqual([]);
    expect(e164s('Server 192.168.100.200 and 10.0.0.12; version 2.12.555; v10.20.3040')).toEqual([]);
    expect(e164s('Total $2,125,550,118.00 or $2125550118 or 2125550118 USD; 2125550118 MB')).toEqual([]);
  });

  it('rejects zip+4 codes, card numbers and IBANs', () => {
    expect(e164s('New York, NY 10118-0110')).toEqual([]);
    expect(e164s('Card 4111 1111 1111 1111 or 4111111111111111 exp 12/27')).toEqual([]);
    expect(e164s('IBAN DE89 3704 0044 0532 0130 00 and GB29 NWBK 6016 1331 9268 19')).toEqual([]);
  });

  it('rejects digits labelled as an identifier', () => {
    for (const label of ['Order', 'Order #', 'Invoice', 'Customer ID:', 'Ref:', 'Case', 'PO', 'SKU', 'Tracking', 'Account no.', 'X-Id:']) {
      expect(e164s(`${label} 2125550118`), label).toEqual([]);
    }
    expect(e164s('quote no. 2125550118, receipt # 2125550119')).toEqual([]);
    expect(e164s('Caller ID: 212-555-0118')).toEqual(['+12125550118']);
    expect(e164s('Phone no. 212-555-0118')).toEqual(['+12125550118']);
  });

  it('rejects digits glued to letters or to more digits', () => {
    expect(e164s('Export id 7135550188-B')).toEqual([]);
    expect(e164s('ab2125550118 2125550118cd T-2125550118 21255501181')).toEqual([]);
  });

  it('does not read a failed international number as a national one', () => {
    expect(e164s('+28 212 555 0183')).toEqual([]);
  });

  it('splits two numbers written side by side', () => {
    expect(e164s('(617) 555-0170 / (617) 555-0171')).toEqual(['+16175550170', '+16175550171']);
    expect(e164s('Call 212 555 0183 5 times')).toEqual(['+12125550183']);
  });

  it('returns nothing for text without digits', () => {
    expect(detectPhoneNumbers('')).toEqual([]);
    expect(detectPhoneNumbers('no numbers at all here, only words')).toEqual([]);
  });

  it('finds at least what findPhoneNumbersInText finds in a contact table, minus look-alikes', () => {
    const text = [
      'Grace Hall\t(617) 555-0170\tT-88412\t2025-11-02',
      'Owen Wright\t+44 20 7946 0100\tT-88415\t03.11.2025',
      'Leo Green\t1-303-555-0173\tOrder 7135550188',
    ].join('\n');
    const ours = e164s(text);
    const theirs = findPhoneNumbersInText(text, 'US').map((m) => m.number.number);
    expect(theirs).toContain('+17135550188');
    expect(ours).toEqual(theirs.filter((n) => n !== '+17135550188'));
  });

  it('reads full-width, Arabic-Indic and Persian digits, with offsets and text as the page wrote them', () => {
    const text = '总机：＋１ （６５０） ３３３－６０００ 转人工; الجوال: +٩٦٦ ٥٠ ١٢٣ ٤٥٦٧; تلفن: +۹۸ ۲۱ ۸۸۷۷ ۶۶۵۵';
    const matches = detectPhoneNumbers(text);
    expect(matches.map((m) => m.e164)).toEqual(['+16503336000', '+966501234567', '+982188776655']);
    for (const m of matches) expect(text.slice(m.start, m.end)).toBe(m.text);
    expect(matches[0]!.text).toBe('＋１ （６５０） ３３３－６０００');
    expect(matches[1]!.text).toBe('+٩٦٦ ٥٠ ١٢٣ ٤٥٦٧');
  });

  it('reads numbers spaced with narrow no-break, thin and figure spaces', () => {
    expect(e164s('Standard : +33\u202f1\u202f42\u202f68\u202f53\u202f01 ; London +44\u200920\u20097946\u20090100; NY 212\u2007555\u20070183')).toEqual([
      '+33142685301',
      '+442079460100',
      '+12125550183',
    ]);
  });

  it('joins numbers broken up by zero-width spaces, joiners, bidi marks and soft hyphens, covering the whole number', () => {
    const text = 'Desk 212\u200b-555\u200b-0147, night +1 303\u200d555\u200d0181, \u200e+966 11 234 5678\u200f, Zentrale +49 30 2555\u00ad0100.';
    const matches = detectPhoneNumbers(text);
    expect(matches.map((m) => m.e164)).toEqual(['+12125550147', '+13035550181', '+966112345678', '+493025550100']);
    expect(matches[0]).toMatchObject({ start: 5, end: 5 + '212\u200b-555\u200b-0147'.length, text: '212-555-0147' });
    expect(matches[3]!.text).toBe('+49 30 25550100');
  });

  it('never offers a number made of part of the digits a person reads as one number', () => {
    // "+49 30 2555" alone is a valid Berlin number: offering it for "+49 30 2555·0100" would call a stranger.
    for (const joiner of ['\u00b7', "'", '*', '\u2027', '~']) {
      expect(e164s(`Zentrale +49 30 2555${joiner}0100`), JSON.stringify(joiner)).toEqual([]);
      expect(e164s(`Desk 0100${joiner}212-555-0147`), JSON.stringify(joiner)).toEqual([]);
    }
  });

  it('reads a number right after a hyphenated word, and not one glued to a code', () => {
    expect(e164s('My number-415-666-7777 if the desk is closed')).toEqual(['+14156667777']);
    expect(e164s('T-2125550118 CUST-4155550123 ab-212-555-0118')).toEqual([]);
  });

  it('offers the digits of vanity numbers, showing the letters', () => {
    const [a, b] = detectPhoneNumbers('Leak? Call 1-888-FIX-PIPE day or night. Flowers: 1-800-FLOWERS.');
    expect(a).toMatchObject({ e164: '+18883497473', text: '1-888-FIX-PIPE' });
    expect(b).toMatchObject({ e164: '+18003569377', text: '1-800-FLOWERS' });
    expect(e164s('Policy NOT-FOR-SALE, lobby code ABC-1234, part 800-XYZ-12, Order 1-800-FLOWERS')).toEqual([]);
  });

  it('reads the numbers before and after the first character that needs folding, and a vanity number that begins inside a digit run', () => {
    const text = 'Call 212-555-0100, or ４１５-６６６-７７７７ after 6 pm, or 646\u2009555\u20090149.';
    expect(detectPhoneNumbers(text).map((m) => [m.e164, m.text])).toEqual([
      ['+12125550100', '212-555-0100'],
      ['+14156667777', '４１５-６６６-７７７７'],
      ['+16465550149', '646\u2009555\u20090149'],
    ]);
    // "1 212 555" is a digit run of its own (no number); the vanity number starts inside it.
    expect(detectPhoneNumbers('Reach us: 1 212 555 FLOW now').map((m) => [m.e164, m.text])).toEqual([['+12125553569', '1 212 555 FLOW']]);
    expect(e164s('Call 212 555 0100 or 212 FLO WERS')).toEqual(['+12125550100', '+12123569377']);
  });

  it('rejects identifiers labelled in Spanish, French, German, Portuguese, Arabic and Hebrew, and RMA, MLS, #:', () => {
    for (const label of [
      'Número de pedido:', 'Factura n.º', 'N° de commande :', 'Référence client :', 'Bestellnummer:', 'Kundennummer', 'Kd.-Nr.',
      'Número do pedido:', 'Nota fiscal nº', 'رقم الطلب:', 'رقم الحساب:', 'מספר הזמנה:', 'חשבונית', 'RMA', 'MLS#', 'Work order #:', '#:',
    ]) {
      expect(e164s(`${label} 2125550118`), label).toEqual([]);
    }
    for (const label of ['Teléfono:', 'Reservas:', 'Tél. :', 'Telefon:', 'Telefone:', 'هاتف:', 'טלפון:', 'Llame al', 'Appelez le']) {
      expect(e164s(`${label} 212-555-0118`), label).toEqual(['+12125550118']);
    }
  });

  it('reads a text that is only a number (a table cell) as it reads the same number with text around it', () => {
    const areas = ['212', '415', '800', '555', '011', '123', '911', '264', '876', '604'];
    const middles = ['555', '123', '911', '200', '958'];
    for (const area of areas) {
      for (const mid of middles) {
        for (const line of ['0100', '0199', '1234']) {
          for (const text of [`(${area}) ${mid}-${line}`, `(${area})${mid}-${line}`, `${area}-${mid}-${line}`, `${area}.${mid}.${line}`, `${area} ${mid} ${line}`, `1-${area}-${mid}-${line}`, `+1 ${area} ${mid} ${line}`, `+1-${area}-${mid}-${line}`]) {
            const alone = detectPhoneNumbers(text);
            const inLine = detectPhoneNumbers(` ${text}`).map((m) => ({ ...m, start: m.start - 1, end: m.end - 1 }));
            expect(alone, text).toEqual(inLine);
          }
        }
      }
    }
  });
});
