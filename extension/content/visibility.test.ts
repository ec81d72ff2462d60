// @vitest-environment jsdom
// What a person cannot see is not offered: the style rules (jsdom's computed styles) and the geometry rules (given boxes).
import { afterEach, describe, expect, it } from 'vitest';
import { boxesInvisibility, elementInvisibility, overlayInvisibility } from './visibility.js';

const el = (html: string) => {
  document.body.innerHTML = html;
  return document.getElementById('n')!;
};
const box = (left: number, top: number, width: number, height: number) => ({ left, top, width, height, right: left + width, bottom: top + height });

afterEach(() => {
  document.body.innerHTML = '';
  document.head.innerHTML = '';
});

describe('elementInvisibility', () => {
  it('accepts an ordinary number', () => {
    expect(elementInvisibility(el('<p><span id="n">(415) 555-0132</span></p>'), window)).toBeNull();
  });
  it('refuses a transparent number, or one inside a faded ancestor', () => {
    expect(elementInvisibility(el('<p style="opacity:0"><span id="n">x</span></p>'), window)).toMatch(/transparent/);
    expect(elementInvisibility(el('<div style="opacity:0.6"><p style="opacity:0.6"><span id="n">x</span></p></div>'), window)).toMatch(/transparent/);
  });
  it('refuses a number hidden by a stylesheet, visibility or display', () => {
    document.head.innerHTML = '<style>.gone { display: none } .ghost { visibility: hidden }</style>';
    expect(elementInvisibility(el('<div class="gone"><span id="n">x</span></div>'), window)).toMatch(/hidden/);
    expect(elementInvisibility(el('<span id="n" class="ghost">x</span>'), window)).toMatch(/hidden/);
  });
  it('refuses a number clipped to nothing (the "visually hidden" pattern)', () => {
    expect(elementInvisibility(el('<span id="n" style="position:absolute;clip:rect(0px, 0px, 0px, 0px)">x</span>'), window)).toMatch(/clipped/);
    expect(elementInvisibility(el('<span id="n" style="clip-path:inset(50%)">x</span>'), window)).toMatch(/clipped/);
  });
  it('refuses an inline number inside a 1 px box that hides its overflow (visually hidden without a clip), or a collapsed panel', () => {
    const recipe = 'position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;white-space:nowrap';
    expect(elementInvisibility(el(`<div style="${recipe}">Call <span id="n">212-555-0181</span></div>`), window)).toMatch(/clipped/);
    expect(elementInvisibility(el(`<div style="${recipe}"><p>Hotline <a href="#"><b id="n">212-555-0182</b></a></p></div>`), window)).toMatch(/clipped/);
    expect(elementInvisibility(el('<section style="height:0;overflow:hidden"><p><span id="n">x</span></p></section>'), window)).toMatch(/clipped/);
    expect(elementInvisibility(el('<div style="width:300px;height:40px;overflow:hidden"><span id="n">x</span></div>'), window)).toBeNull();
  });
  it('refuses a number hidden from assistive technology, with or without role=presentation', () => {
    expect(elementInvisibility(el('<div aria-hidden="true"><span id="n">x</span></div>'), window)).toMatch(/assistive/);
  });
  it('refuses transparent text and a font too small to read', () => {
    expect(elementInvisibility(el('<span id="n" style="color:transparent">x</span>'), window)).toMatch(/invisible colour/);
    expect(elementInvisibility(el('<span id="n" style="font-size:1px">x</span>'), window)).toMatch(/too small/);
  });
});

describe('boxesInvisibility', () => {
  it('accepts a number on screen, and one further down the page when only the page must be readable', () => {
    expect(boxesInvisibility([box(40, 100, 120, 20)], { x: 0, y: 0 }, { width: 1000, height: 700 })).toBeNull();
    expect(boxesInvisibility([box(40, 1900, 120, 20)], { x: 0, y: 0 })).toBeNull();
  });
  it('refuses a number placed in negative space, which no scrolling reaches', () => {
    expect(boxesInvisibility([box(-9999, 10, 120, 20)], { x: 0, y: 0 })).toMatch(/off the page/);
  });
  it('refuses a number scrolled out of the viewport for the chip, and one with no readable box', () => {
    expect(boxesInvisibility([box(40, 1900, 120, 20)], { x: 0, y: 0 }, { width: 1000, height: 700 })).toMatch(/not on screen/);
    expect(boxesInvisibility([box(40, 100, 1, 1)], { x: 0, y: 0 })).toMatch(/no room/);
    expect(boxesInvisibility([], { x: 0, y: 0 })).toMatch(/no room/);
  });
});

describe('overlayInvisibility', () => {
  const host = () => {
    const h = document.createElement('c2c-overlay');
    document.documentElement.append(h);
    return h;
  };
  afterEach(() => document.querySelectorAll('c2c-overlay').forEach((h) => h.remove()));

  it('accepts the host as the extension made it', () => {
    expect(overlayInvisibility(host(), window)).toBeNull();
  });
  it('refuses a host the page made transparent, hid, filtered or moved', () => {
    document.head.innerHTML = '<style>c2c-overlay { opacity: 0 !important }</style>';
    expect(overlayInvisibility(host(), window)).toMatch(/transparent/);
    document.head.innerHTML = '';
    const h = host();
    h.style.setProperty('visibility', 'hidden');
    expect(overlayInvisibility(h, window)).toMatch(/hid/);
    h.style.removeProperty('visibility');
    h.style.setProperty('filter', 'opacity(0)');
    expect(overlayInvisibility(h, window)).toMatch(/filter/);
    h.style.removeProperty('filter');
    document.body.append(h);
    expect(overlayInvisibility(h, window)).toMatch(/moved/);
  });
});
