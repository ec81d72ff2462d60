// @vitest-environment jsdom
// Tests for the text walker: skip rules, opt-out, joining a number split across inline elements.
import { beforeEach, describe, expect, it } from 'vitest';
import { detectPhoneNumbers } from '../../shared/phone/detect.js';
import { locate, separatorOnly, textPieces, walkPieces, type WalkHooks } from './text-pieces.js';

function found(root: Node = document.body): string[] {
  const out: string[] = [];
  for (const piece of textPieces(root)) for (const m of detectPhoneNumbers(piece.text)) out.push(m.e164);
  return out;
}

describe('textPieces', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
  });

  it('skips form fields, editable text, code, scripts, hidden and opted-out subtrees', () => {
    document.body.innerHTML = `
      <p>Requester 305-555-0189</p>
      <input value="(206) 555-0114"><textarea>617-555-0115</textarea><select><option>212-555-0119</option></select>
      <div contenteditable="true">reach me at <b>404 555 0116</b></div>
      <p hidden>Old: (212) 555-0117</p><div style="display:none">(212) 555-0121</div>
      <script>const backup = '(312) 555-0120';</script><style>/* 312-555-0122 */</style>
      <pre>X-Id: 2125550118</pre><code>212-555-0123</code><noscript>212-555-0124</noscript>
      <template><p>212-555-0125</p></template>
      <section data-c2c-ignore><p>Ignored <span>212-555-0126</span></p></section>`;
    expect(found()).toEqual(['+13055550189']);
  });

  it('joins a number split across inline elements', () => {
    document.body.innerHTML = `<p><span>(312)</span> <span>555-0117</span></p><p>+1 <b>646</b> 555 0149</p>
      <p><a href="#">212</a>-<i>555</i>-<em>0183</em></p>`;
    expect(found()).toEqual(['+13125550117', '+16465550149', '+12125550183']);
  });

  it('does not join text across block boundaries or line breaks', () => {
    document.body.innerHTML = `<table><tr><td>312</td><td>555-0117</td></tr></table><p>212 555<br>0183</p><div>646</div><div>555 0149</div>`;
    expect(found()).toEqual([]);
  });

  it('collapses source whitespace between the parts of a number', () => {
    document.body.innerHTML = `<p><span>(312)</span>
        <span>555-0117</span></p>`;
    expect(found()).toEqual(['+13125550117']);
  });

  it('maps offsets back to the text nodes that hold the number', () => {
    document.body.innerHTML = `<p>Call <span>(312)</span>
       <span>555-0117</span> now</p>`;
    const [piece] = [...textPieces(document.body)];
    const [m] = detectPhoneNumbers(piece!.text);
    const start = locate(piece!, m!.start, false);
    const end = locate(piece!, m!.end, true);
    const range = document.createRange();
    range.setStart(start.node, start.offset);
    range.setEnd(end.node, end.offset);
    expect(range.toString().replace(/\s+/g, ' ')).toBe('(312) 555-0117');
  });

  it('reports shadow roots and leaves them to be scanned on their own', () => {
    document.body.innerHTML = '<div id="host"></div><p>212-555-0183</p>';
    const root = document.getElementById('host')!.attachShadow({ mode: 'open' });
    root.innerHTML = '<span>(404) 555-0185</span>';
    const roots: ShadowRoot[] = [];
    const pieces = [...textPieces(document.body, { onShadowRoot: (r) => roots.push(r) })];
    expect(roots).toEqual([root]);
    expect(pieces.map((p) => p.text)).toEqual(['212-555-0183']);
    expect(found(root)).toEqual(['+14045550185']);
  });
});

describe('textPieces: what the native text walk must still find', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
  });

  it('joins a number written one or two digits per element, and one split by <wbr>', () => {
    document.body.innerHTML = `<p><span>4</span><span>15</span> <span>55</span><span>5</span>-<span>01</span><span>40</span></p>
      <p>Night line: 312<wbr>-555<wbr>-0144</p>`;
    expect(found()).toEqual(['+14155550140', '+13125550144']);
  });

  it('reads SVG <text> (with its <tspan>s) but not SVG descriptions', () => {
    document.body.innerHTML = `<svg><title>Call 212-555-0101</title><desc>212-555-0102</desc>
      <text x="4" y="24">Hotline <tspan>800-555-0143</tspan></text></svg>`;
    expect(found()).toEqual(['+18005550143']);
  });

  it('skips aria-hidden text without role=presentation, and keeps a date column from hiding a number beside it', () => {
    document.body.innerHTML = `<p aria-hidden="true">Banner 212-555-0172</p>
      <table><tr><td>2025-01-01</td><td>(303) 200-0000</td><td>2025-02-02 10:12</td></tr></table>`;
    expect(found()).toEqual(['+13032000000']);
  });
});

describe('walkPieces reading the root’s text at once', () => {
  const page = `<p>Requester 305-555-0189</p><script>var x = '(312) 555-0120';</script>
    <table><tr><td>Grace</td><td>(617) 555-0170</td><td>T-80012</td><td>2025-01-02</td></tr></table>
    <p><span>(312)</span> <span>555-0117</span>, <b>1-800-</b><b>FLOWERS</b></p>
    <svg><text>212 555 0183</text><style><![CDATA[ .a { } ]]></style></svg><div>646 555 0149</div>`;
  const pieces = (hooks: WalkHooks) => [...walkPieces(document.body, hooks)].filter((p) => p !== null).map((p) => p!.text);

  it('cuts the same pieces as reading every node’s data, CDATA in SVG included', () => {
    document.body.innerHTML = page;
    const svg = document.querySelector('svg style')!;
    // A CDATA section (counted by textContent, not met by the walk) before a number: letters where the number would be.
    svg.appendChild(document.implementation.createDocument(null, 'x').createCDATASection('.b { color: red; }'));
    expect(pieces({ domVersion: () => 0 })).toEqual(pieces({}));
    expect(pieces({})).toContain('(312) 555-0117, 1-800-FLOWERS');
    expect(pieces({})).toContain('646 555 0149');
  });

  it('reads each node’s data again once the page changed during the walk', () => {
    document.body.innerHTML = page + '<p>x</p>'.repeat(300) + '<p>Desk 206 555 0114</p>';
    let version = 0;
    const out: string[] = [];
    for (const piece of walkPieces(document.body, { domVersion: () => version })) {
      if (piece === null) {
        // Between two slices the page lengthens a text ahead of the walk: the copy's offsets no longer hold after it.
        if (version === 0) document.querySelectorAll('p')[301]!.firstChild!.textContent = 'a much longer line of text than before';
        version = 1;
        continue;
      }
      out.push(piece.text);
    }
    expect(out.at(-1)).toBe('Desk 206 555 0114');
  });
});

describe('the walk’s separator test on a stretch of the root’s text', () => {
  // Stretches of one string, as the walk reads nodes out of root.textContent: at its start, middle and end.
  const texts = ['', ' ', ' - ', '(', ') ', ' . ', '\u00a0/\u2013', '\u2014', '\t\n ', '    ', '-x-', 'ab', 'T-80012', 'FLOWERS', 'AB', 'ABc', 'xABC', 'A B C',
    'aBCD', 'ÀBC', 'Open', '1-800-FIX', 'ZZZ', '@AB[', 'Ready', '2025-01-02', '\u3000', '\ufeff12'];
  const cases = texts.flatMap((t) => [['', t, ''], ['xx', t, 'yy'], ['ABC', t, 'DE'], ['12', t, '']]);

  it('separatorOnly answers as SEPARATOR_ONLY does on the slice', () => {
    const SEPARATOR_ONLY = /^[\s()+\-./\u00a0\u2010-\u2013]{0,3}$/;
    for (const [before, t, after] of cases) {
      const whole = before! + t! + after!;
      expect(separatorOnly(whole, before!.length, before!.length + t!.length), JSON.stringify(t)).toBe(SEPARATOR_ONLY.test(t!));
    }
  });
});
