// Identifier label words beyond English, one small table per language: text that, right before digits, says they are an
// order, invoice, account or customer number and not a phone number. English lives in look-alikes.ts (its older rules).

/**
 * Each entry is a regular-expression fragment for a label as written right before the digits (matched case-insensitively,
 * then optional ":", "#", "-", "=" and spaces). "Number of" words come first in Romance languages and Arabic/Hebrew
 * ("N° de commande", "رقم الطلب", "מספר הזמנה"), as compounds in German ("Kundennummer"); phone words are never listed.
 */
export const IDENTIFIER_LABELS: Readonly<Record<'es' | 'fr' | 'de' | 'pt' | 'ar' | 'he', readonly string[]>> = {
  es: [
    '(?:n[uú]mero|n[uú]m\\.?|n\\.?\\s?[º°o]\\.?|nro\\.?|id\\.?|c[oó]digo)\\s*(?:del?\\s+)?(?:pedido|factura|cliente|cuenta|referencia|socio|contrato|expediente|caso|ticket|seguimiento|env[ií]o|reserva|p[oó]liza|albar[aá]n)',
    '(?:pedido|factura|referencia|ref\\.?|expediente|albar[aá]n|p[oó]liza|seguimiento|localizador)(?:\\s*(?:n\\.?\\s?[º°o]\\.?|n[uú]m\\.?|n[uú]mero|nro\\.?))?',
  ],
  fr: [
    "(?:n\\.?\\s?[º°o]|num[ée]ro|num\\.?|identifiant|id|code|r[ée]f(?:[ée]rence)?\\.?)\\s*(?:d[eu]\\s+|d['’]\\s*)?(?:commande|facture|client|compte|dossier|contrat|colis|suivi|adh[ée]rent|ticket|r[ée]servation|sinistre|police|abonn[ée])",
    '(?:commande|facture|dossier|colis|r[ée]f[ée]rence|r[ée]f\\.?|sinistre|contrat)(?:\\s*(?:n\\.?\\s?[º°o]|num[ée]ro))?',
  ],
  de: [
    '(?:kunden|bestell|rechnungs|auftrags|vertrags|konto|sendungs|artikel|vorgangs|mitglieds|versicherungs|referenz|ticket|fall|kd\\.?|best\\.?|re\\.?)[\\s-]?(?:nummer|nr\\.?)',
    '(?:bestellung|rechnung|auftrag|vorgang|aktenzeichen|az\\.?|sendung|kundenkonto|iban)(?:\\s*(?:nr\\.?|nummer))?',
  ],
  pt: [
    '(?:n[uú]mero|n\\.?\\s?[º°o]\\.?|id|c[oó]digo)\\s*(?:d[oa]\\s+)?(?:pedido|encomenda|fatura|nota fiscal|cliente|conta|contrato|protocolo|rastreio|rastreamento|reserva|ap[oó]lice|chamado)',
    '(?:pedido|encomenda|fatura|nota fiscal|nf-?e?|protocolo|chamado|cpf|cnpj|rastreio|ap[oó]lice)(?:\\s*(?:n\\.?\\s?[º°o]\\.?|n[uú]mero))?',
  ],
  ar: [
    'رقم\\s*(?:ال)?(?:طلب|طلبية|فاتورة|حساب|مرجع|هوية|عميل|تذكرة|شحنة|تتبع|عقد|إيصال|ايصال|بوليصة|حجز|قضية|اشتراك)',
    '(?:ال)?(?:فاتورة|طلبية|مرجع|بوليصة)',
  ],
  he: [
    "(?:מספר|מס['׳]?)\\s*(?:ה)?(?:הזמנה|חשבונית|חשבון|לקוח|אסמכתא|פנייה|משלוח|תיק|פוליסה|זהות|עוסק|מנוי|ח\\.?פ\\.?)",
    '(?:ה)?(?:הזמנה|חשבונית|אסמכתא|פנייה|משלוח|פוליסה)',
    'ת\\.?ז\\.?|ת["״]ז',
  ],
};

/** Any label of the table at the end of the text before the digits, not glued to a letter before it. */
export const INTL_LABEL_BEFORE = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${Object.values(IDENTIFIER_LABELS).flat().join('|')})[\\s.]*[:#=\\-–]?\\s*#?\\s*$`,
  'iu',
);

/**
 * The ASCII spellings a label of the tables can end with: the last word of each entry above (a suffix such as "n.º"
 * ends in "o", "NF-e" in "e"; "nota fiscal" in "fiscal"). Spellings with an accent, º or °, Arabic or Hebrew are not
 * listed: their non-ASCII letter lets them through on its own. label-words.test.ts checks every table entry ends so.
 */
const LAST_WORD_ENDINGS = [
  // Spanish and Portuguese.
  'pedido', 'factura', 'fatura', 'cliente', 'cuenta', 'conta', 'referencia', 'socio', 'contrato', 'expediente', 'caso',
  'ticket', 'seguimiento', 'envio', 'reserva', 'poliza', 'apolice', 'albaran', 'ref', 'localizador', 'num', 'numero', 'nro',
  'encomenda', 'fiscal', 'protocolo', 'rastreio', 'rastreamento', 'chamado', 'nf', 'nfe', 'cpf', 'cnpj', 'o', 'e',
  // French.
  'commande', 'facture', 'client', 'compte', 'dossier', 'contrat', 'colis', 'suivi', 'adherent', 'reservation', 'sinistre',
  'police', 'abonne', 'reference',
  // German.
  'nummer', 'nr', 'bestellung', 'rechnung', 'auftrag', 'vorgang', 'aktenzeichen', 'az', 'sendung', 'kundenkonto', 'iban',
];
const LAST_WORD = new RegExp(`(?:${LAST_WORD_ENDINGS.join('|')})$`, 'i');

/** The ASCII characters INTL_LABEL_BEFORE allows between a label and the digits: white space and ".:#=-". */
function isTailCode(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 46 || c === 58 || c === 35 || c === 61 || c === 45;
}

/**
 * Whether INTL_LABEL_BEFORE may match `before`, from its last word alone: false only when that word is plain ASCII and
 * ends unlike every label ("call", "at"). A label ends where the text does (but for its tail) and nothing glues to its
 * start, so its last word ends the text's last word. This costs a few character reads where the expression, tried at
 * every position of the text, cost a tenth of the detection of prose.
 */
export function mayEndWithIntlLabel(before: string): boolean {
  let end = before.length;
  while (end > 0 && isTailCode(before.charCodeAt(end - 1))) end--;
  let start = end;
  for (; start > 0; start--) {
    const c = before.charCodeAt(start - 1);
    if (c >= 128) return true;
    if (isTailCode(c)) break;
  }
  return start < end && LAST_WORD.test(before.slice(start, end));
}
