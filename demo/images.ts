import type { DemoImage } from './data/types.js';

/**
 * Generated flat-style illustrations for the demo content.
 *
 * `drawDemoImage` returns a self-contained SVG document (no text, no external
 * resources). The output is deterministic: every random choice comes from a
 * PRNG seeded with the image key. Palette roles: [background / sky, main
 * shapes, accent]. Covers are meant to be drawn at 1600x900, portraits at
 * 400x400, but any size works because all geometry is relative.
 */
export function drawDemoImage(image: DemoImage, width: number, height: number): string {
  const W = Math.max(1, Math.round(width));
  const H = Math.max(1, Math.round(height));
  const seed = hashString(image.key);
  const c: Ctx = {
    W,
    H,
    rnd: mulberry32(seed),
    p: image.palette.map(normalizeHex) as [string, string, string],
    dark: luminance(normalizeHex(image.palette[0])) < 0.35,
    id: 'g' + seed.toString(36),
    defs: [],
    out: [],
    uid: 0,
  };
  switch (image.motif) {
    case 'skyline':
      drawSkyline(c);
      break;
    case 'river':
      drawRiver(c);
      break;
    case 'bridge':
      drawBridge(c);
      break;
    case 'tram':
      drawTram(c);
      break;
    case 'stadium':
      drawStadium(c, /hokkej|hockey|katok|rink|led/.test(image.key));
      break;
    case 'factory':
      drawFactory(c);
      break;
    case 'park':
      drawPark(c);
      break;
    case 'snow':
      drawSnow(c);
      break;
    case 'portrait':
      drawPortrait(c);
      break;
    case 'chart':
      drawChart(c);
      break;
  }
  const defs = c.defs.length ? `<defs>${c.defs.join('')}</defs>` : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">` +
    defs +
    c.out.join('') +
    '</svg>'
  );
}

// ---------------------------------------------------------------------------
// Infrastructure: PRNG, colours, SVG helpers

interface Ctx {
  W: number;
  H: number;
  rnd: () => number;
  p: [string, string, string];
  dark: boolean;
  id: string;
  defs: string[];
  out: string[];
  uid: number;
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function mulberry32(seed: number): () => number {
  let a = seed || 1;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function range(c: Ctx, a: number, b: number): number {
  return a + (b - a) * c.rnd();
}

function chance(c: Ctx, p: number): boolean {
  return c.rnd() < p;
}

function normalizeHex(hex: string): string {
  let h = hex.trim().replace(/^#/, '');
  if (/^[0-9a-fA-F]{3}$/.test(h)) h = h.replace(/./g, (x) => x + x);
  if (!/^[0-9a-fA-F]{6}$/.test(h)) return '#808080';
  return '#' + h.toLowerCase();
}

function rgb(hex: string): [number, number, number] {
  const h = normalizeHex(hex).slice(1);
  return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
}

function hex(r: number, g: number, b: number): string {
  const to = (v: number) => Math.max(0, Math.min(255, Math.round(v))).toString(16).padStart(2, '0');
  return '#' + to(r) + to(g) + to(b);
}

function mix(a: string, b: string, t: number): string {
  const [r1, g1, b1] = rgb(a);
  const [r2, g2, b2] = rgb(b);
  return hex(r1 + (r2 - r1) * t, g1 + (g2 - g1) * t, b1 + (b2 - b1) * t);
}

const lighten = (col: string, t: number): string => mix(col, '#ffffff', t);
const darken = (col: string, t: number): string => mix(col, '#000000', t);

function luminance(col: string): number {
  const [r, g, b] = rgb(col);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

/** Round to one decimal to keep the SVG compact. */
function n(v: number): string {
  return String(Math.round(v * 10) / 10);
}

/**
 * Per-element transparency. fill-opacity / stroke-opacity are used instead of
 * `opacity`, which forces an offscreen layer per element in librsvg (sharp)
 * and makes rendering many small shapes very slow.
 */
function opacityAttr(o: number | undefined, kind: 'fill' | 'stroke' = 'fill'): string {
  return o === undefined || o >= 1 ? '' : ` ${kind}-opacity="${Math.max(0, Math.round(o * 100) / 100)}"`;
}

function rect(c: Ctx, x: number, y: number, w: number, h: number, fill: string, o?: number, rx = 0): void {
  if (w <= 0 || h <= 0) return;
  const r = rx > 0 ? ` rx="${n(rx)}"` : '';
  c.out.push(`<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}"${r} fill="${fill}"${opacityAttr(o)}/>`);
}

function circle(c: Ctx, x: number, y: number, r: number, fill: string, o?: number): void {
  c.out.push(`<circle cx="${n(x)}" cy="${n(y)}" r="${n(r)}" fill="${fill}"${opacityAttr(o)}/>`);
}

function ellipse(c: Ctx, x: number, y: number, rx: number, ry: number, fill: string, o?: number, extra = ''): void {
  c.out.push(`<ellipse cx="${n(x)}" cy="${n(y)}" rx="${n(rx)}" ry="${n(ry)}" fill="${fill}"${opacityAttr(o, fill === 'none' ? 'stroke' : 'fill')}${extra}/>`);
}

function path(c: Ctx, d: string, fill: string, o?: number, extra = ''): void {
  c.out.push(`<path d="${d}" fill="${fill}"${opacityAttr(o, fill === 'none' ? 'stroke' : 'fill')}${extra}/>`);
}

function line(c: Ctx, x1: number, y1: number, x2: number, y2: number, stroke: string, w: number, o?: number): void {
  c.out.push(
    `<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" stroke="${stroke}" stroke-width="${n(w)}" stroke-linecap="round"${opacityAttr(o, 'stroke')}/>`,
  );
}

function stroke(col: string, w: number, extra = ''): string {
  return ` stroke="${col}" stroke-width="${n(w)}" stroke-linecap="round" stroke-linejoin="round"${extra}`;
}

function newId(c: Ctx, name: string): string {
  c.uid += 1;
  return `${c.id}${name}${c.uid}`;
}

function linearGradient(c: Ctx, stops: Array<[number, string, number?]>, vertical = true): string {
  const id = newId(c, 'lg');
  const dir = vertical ? 'x1="0" y1="0" x2="0" y2="1"' : 'x1="0" y1="0" x2="1" y2="0"';
  const s = stops
    .map(([off, col, op]) => `<stop offset="${off}" stop-color="${col}"${op === undefined ? '' : ` stop-opacity="${op}"`}/>`)
    .join('');
  c.defs.push(`<linearGradient id="${id}" ${dir}>${s}</linearGradient>`);
  return `url(#${id})`;
}

function radialGradient(c: Ctx, col: string, innerOpacity: number): string {
  const id = newId(c, 'rg');
  c.defs.push(
    `<radialGradient id="${id}"><stop offset="0" stop-color="${col}" stop-opacity="${innerOpacity}"/><stop offset="1" stop-color="${col}" stop-opacity="0"/></radialGradient>`,
  );
  return `url(#${id})`;
}

// ---------------------------------------------------------------------------
// Shared scenery

function drawSky(c: Ctx): void {
  const [bg] = c.p;
  const top = c.dark ? darken(bg, 0.25) : darken(bg, 0.04);
  const bottom = c.dark ? lighten(bg, 0.14) : lighten(bg, 0.5);
  rect(c, 0, 0, c.W, c.H, linearGradient(c, [[0, top], [1, bottom]]));
}

function drawCelestial(c: Ctx, yMin = 0.12, yMax = 0.3): void {
  const { W, H } = c;
  const x = range(c, 0.12, 0.88) * W;
  const y = range(c, yMin, yMax) * H;
  const r = Math.min(W, H) * range(c, 0.06, 0.09);
  if (c.dark) {
    // stars and moon
    const count = Math.round(W / 14);
    for (let i = 0; i < count; i++) {
      circle(c, c.rnd() * W, c.rnd() * H * 0.5, Math.min(W, H) * range(c, 0.0012, 0.003), '#ffffff', range(c, 0.3, 0.9));
    }
    circle(c, x, y, r * 2.2, radialGradient(c, lighten(c.p[2], 0.6), 0.35));
    circle(c, x, y, r * 0.8, lighten(c.p[2], 0.7));
    circle(c, x + r * 0.3, y - r * 0.15, r * 0.65, darken(c.p[0], 0.2));
  } else {
    const sun = mix('#ffe08a', lighten(c.p[2], 0.3), 0.2);
    circle(c, x, y, r * 2.4, radialGradient(c, sun, 0.45));
    circle(c, x, y, r, sun);
  }
}

function drawClouds(c: Ctx, count: number, yMax = 0.35): void {
  if (c.dark) return;
  const { W, H } = c;
  for (let i = 0; i < count; i++) {
    const x = c.rnd() * W;
    const y = range(c, 0.06, yMax) * H;
    const s = Math.min(W, H) * range(c, 0.05, 0.09);
    const col = '#ffffff';
    const o = range(c, 0.45, 0.75);
    c.out.push(`<g opacity="${Math.round(o * 100) / 100}">`);
    ellipse(c, x, y, s * 2.2, s * 0.55, col);
    circle(c, x - s * 0.7, y - s * 0.25, s * 0.6, col);
    circle(c, x + s * 0.2, y - s * 0.45, s * 0.8, col);
    circle(c, x + s * 1.1, y - s * 0.15, s * 0.55, col);
    c.out.push('</g>');
  }
}

/** A row of simple buildings standing on `ground`. */
function drawBuildingLayer(
  c: Ctx,
  ground: number,
  color: string,
  minH: number,
  maxH: number,
  minW: number,
  maxW: number,
  windows: boolean,
  x0 = 0,
  x1 = c.W,
): void {
  const { W, H } = c;
  const litColor = c.p[2];
  const unlit = mix(color, c.p[0], 0.22);
  let x = x0 - c.rnd() * W * 0.04;
  while (x < x1) {
    const w = range(c, minW, maxW);
    const h = range(c, minH, maxH);
    const y = ground - h;
    rect(c, x, y, w, h + 1, color);
    const roof = c.rnd();
    if (roof < 0.22) {
      line(c, x + w * 0.5, y, x + w * 0.5, y - h * 0.16, color, Math.max(1.5, W * 0.0025));
    } else if (roof < 0.42) {
      rect(c, x + w * 0.18, y - h * 0.07, w * 0.64, h * 0.07 + 1, color);
    } else if (roof < 0.52) {
      path(c, `M${n(x)} ${n(y + 1)}L${n(x + w / 2)} ${n(y - w * 0.35)}L${n(x + w)} ${n(y + 1)}Z`, color);
    }
    if (windows) {
      const ww = W * 0.0085;
      const wh = H * 0.022;
      const cols = Math.floor((w - W * 0.008) / (ww * 2.1));
      const rows = Math.floor((h - H * 0.03) / (wh * 1.9));
      if (cols > 0 && rows > 0) {
        const offX = x + (w - cols * ww * 2.1 + ww * 1.1) / 2;
        const litP = c.dark ? 0.5 : 0.25;
        for (let r = 0; r < rows; r++) {
          for (let k = 0; k < cols; k++) {
            const lit = chance(c, litP);
            rect(c, offX + k * ww * 2.1, y + H * 0.02 + r * wh * 1.9, ww, wh, lit ? litColor : unlit, lit ? 0.92 : 0.8);
          }
        }
      }
    }
    x += w + range(c, 0, W * 0.01);
  }
}

/** Water surface between `top` and the bottom of the picture, with waves. */
function drawWater(c: Ctx, top: number, sunX?: number): void {
  const { W, H } = c;
  const water = c.p[1];
  const fill = linearGradient(c, [
    [0, mix(water, c.p[0], 0.4)],
    [1, darken(water, c.dark ? 0.3 : 0.12)],
  ]);
  rect(c, 0, top, W, H - top, fill);
  if (sunX !== undefined) {
    for (let i = 0; i < 9; i++) {
      const y = top + (H - top) * (0.04 + i * 0.09);
      const w = W * (0.05 + i * 0.012) * range(c, 0.7, 1.2);
      rect(c, sunX - w / 2, y, w, H * 0.006, lighten(c.p[2], 0.3), 0.55 - i * 0.05, H * 0.003);
    }
  }
  const waveColor = lighten(water, 0.45);
  const rows = 12;
  for (let i = 0; i < rows; i++) {
    const t = (i + 1) / rows;
    const y0 = top + (H - top) * Math.pow(t, 1.25);
    const count = 3 + Math.round(t * 4);
    for (let k = 0; k < count; k++) {
      const x = c.rnd() * W;
      const len = W * range(c, 0.03, 0.08) * (0.5 + t);
      const amp = H * 0.006 * (0.5 + t * 1.5);
      const y = y0 + range(c, -1, 1) * H * 0.01;
      path(
        c,
        `M${n(x)} ${n(y)}q${n(len / 4)} ${n(-amp)} ${n(len / 2)} 0t${n(len / 2)} 0`,
        'none',
        0.25 + 0.35 * t,
        stroke(waveColor, Math.max(1, H * 0.003 * (0.6 + t))),
      );
    }
  }
}

function drawRoundTree(c: Ctx, x: number, ground: number, size: number, crown: string, trunk: string): void {
  rect(c, x - size * 0.07, ground - size * 0.9, size * 0.14, size * 0.9, trunk);
  circle(c, x, ground - size * 1.05, size * 0.45, crown);
  circle(c, x - size * 0.3, ground - size * 0.85, size * 0.33, crown);
  circle(c, x + size * 0.32, ground - size * 0.88, size * 0.35, crown);
  circle(c, x - size * 0.1, ground - size * 1.25, size * 0.22, lighten(crown, 0.12), 0.8);
}

function drawPine(c: Ctx, x: number, ground: number, size: number, col: string, snowCap?: string): void {
  const tiers = 3;
  rect(c, x - size * 0.05, ground - size * 0.25, size * 0.1, size * 0.25, darken(col, 0.35));
  for (let i = 0; i < tiers; i++) {
    const base = ground - size * 0.18 - i * size * 0.27;
    const half = size * (0.38 - i * 0.09);
    const top = base - size * 0.42;
    path(c, `M${n(x - half)} ${n(base)}L${n(x)} ${n(top)}L${n(x + half)} ${n(base)}Z`, col);
    if (snowCap) {
      path(
        c,
        `M${n(x - half * 0.45)} ${n(top + (base - top) * 0.45)}L${n(x)} ${n(top)}L${n(x + half * 0.45)} ${n(top + (base - top) * 0.45)}Q${n(x)} ${n(top + (base - top) * 0.3)} ${n(x - half * 0.45)} ${n(top + (base - top) * 0.45)}Z`,
        snowCap,
      );
    }
  }
}

function hillPath(c: Ctx, base: number, amp: number, bumps: number): string {
  const { W, H } = c;
  const step = W / bumps;
  let d = `M0 ${n(H)}L0 ${n(base + range(c, -amp, amp))}`;
  for (let i = 0; i < bumps; i++) {
    const x1 = step * (i + 0.5);
    const x2 = step * (i + 1);
    const y1 = base + range(c, -amp, amp) * 1.6;
    const y2 = base + range(c, -amp, amp);
    d += `Q${n(x1)} ${n(y1)} ${n(x2)} ${n(y2)}`;
  }
  return d + `L${n(W)} ${n(H)}Z`;
}

// ---------------------------------------------------------------------------
// Motifs

function drawSkyline(c: Ctx): void {
  const { W, H } = c;
  const [bg, main] = c.p;
  drawSky(c);
  drawCelestial(c, 0.1, 0.28);
  drawClouds(c, 3, 0.3);
  const ground = H * 0.86;
  drawBuildingLayer(c, ground, mix(main, bg, 0.62), H * 0.3, H * 0.62, W * 0.05, W * 0.11, false);
  drawBuildingLayer(c, ground, mix(main, bg, 0.32), H * 0.22, H * 0.5, W * 0.045, W * 0.09, true);
  drawBuildingLayer(c, ground, c.dark ? lighten(main, 0.05) : main, H * 0.12, H * 0.36, W * 0.05, W * 0.1, true);
  rect(c, 0, ground, W, H - ground, darken(main, 0.35));
  // road markings and street lamps
  for (let x = W * 0.02; x < W; x += W * 0.08) rect(c, x, ground + (H - ground) * 0.55, W * 0.04, H * 0.008, lighten(bg, 0.3), 0.6);
  for (let x = range(c, 0.03, 0.1) * W; x < W; x += W * range(c, 0.16, 0.24)) {
    line(c, x, ground, x, ground - H * 0.1, darken(main, 0.5), W * 0.003);
    circle(c, x, ground - H * 0.1, H * 0.02, radialGradient(c, c.p[2], c.dark ? 0.8 : 0.4));
    circle(c, x, ground - H * 0.1, H * 0.006, c.p[2]);
  }
}

function drawRiver(c: Ctx): void {
  const { W, H } = c;
  const [bg, main, accent] = c.p;
  drawSky(c);
  const sunX = range(c, 0.2, 0.8) * W;
  const horizon = H * 0.52;
  const sunY = horizon - H * range(c, 0.12, 0.25);
  const r = Math.min(W, H) * 0.075;
  if (c.dark) {
    drawCelestial(c, 0.1, 0.25);
  } else {
    const sun = mix('#ffe08a', lighten(accent, 0.3), 0.2);
    circle(c, sunX, sunY, r * 2.6, radialGradient(c, sun, 0.5));
    circle(c, sunX, sunY, r, sun);
  }
  drawClouds(c, 3, 0.25);
  // far bank: hills and a low skyline
  const bankColor = mix(main, bg, 0.5);
  const bx0 = range(c, 0.05, 0.45) * W;
  drawBuildingLayer(c, horizon - H * 0.02, mix(main, bg, 0.6), H * 0.03, H * 0.14, W * 0.02, W * 0.045, false, bx0, bx0 + W * 0.45);
  path(c, hillPath(c, horizon - H * 0.025, H * 0.012, 6), bankColor);
  drawWater(c, horizon, c.dark ? undefined : sunX);
  // near bank in a corner with trees
  const left = chance(c, 0.5);
  const bankW = W * range(c, 0.25, 0.4);
  const near = darken(mix(main, '#3b5d3a', 0.5), 0.3);
  const bx = left ? 0 : W;
  const sx = left ? 1 : -1;
  path(
    c,
    `M${n(bx)} ${n(H * 0.72)}Q${n(bx + sx * bankW * 0.6)} ${n(H * 0.76)} ${n(bx + sx * bankW)} ${n(H)}L${n(bx)} ${n(H)}Z`,
    near,
  );
  for (let i = 0; i < 3; i++) {
    const tx = bx + sx * bankW * range(c, 0.1, 0.45);
    drawPine(c, tx, H * range(c, 0.8, 0.95), H * range(c, 0.18, 0.3), darken(near, 0.25));
  }
  // a small boat
  if (!c.dark && luminance(main) < 0.5 && chance(c, 0.7)) {
    const x = (left ? range(c, 0.55, 0.85) : range(c, 0.15, 0.45)) * W;
    const y = horizon + (H - horizon) * range(c, 0.3, 0.5);
    const s = W * 0.05;
    path(c, `M${n(x - s)} ${n(y)}L${n(x + s)} ${n(y)}L${n(x + s * 0.7)} ${n(y + s * 0.25)}L${n(x - s * 0.7)} ${n(y + s * 0.25)}Z`, darken(main, 0.3));
    path(c, `M${n(x - s * 0.05)} ${n(y - s * 1.2)}L${n(x - s * 0.05)} ${n(y - s * 0.05)}L${n(x - s * 0.8)} ${n(y - s * 0.05)}Z`, accent);
  }
}

function drawBridge(c: Ctx): void {
  const { W, H } = c;
  const [bg, main, accent] = c.p;
  drawSky(c);
  drawCelestial(c, 0.1, 0.22);
  drawClouds(c, 3, 0.28);
  const horizon = H * 0.62;
  drawBuildingLayer(c, horizon, mix(main, bg, 0.65), H * 0.04, H * 0.2, W * 0.025, W * 0.06, false);
  drawWater(c, horizon);
  const deckY = H * 0.5;
  const deckH = H * 0.032;
  const pierCount = 4 + Math.floor(c.rnd() * 3);
  const xs: number[] = [];
  for (let i = 0; i < pierCount; i++) xs.push(W * (0.04 + (0.92 * i) / (pierCount - 1)));
  const pierW = W * 0.02;
  const pierColor = darken(main, 0.15);
  for (const x of xs) {
    rect(c, x - pierW / 2, deckY + deckH, pierW, H * 0.76 - deckY - deckH, pierColor);
    rect(c, x - pierW * 0.8, H * 0.74, pierW * 1.6, H * 0.03, darken(main, 0.3));
    rect(c, x - pierW / 2, H * 0.77, pierW, H * 0.12, pierColor, 0.2);
  }
  const variant = Math.floor(c.rnd() * 3);
  const steel = lighten(main, 0.1);
  const sw = Math.max(2, W * 0.004);
  if (variant === 0) {
    // tied arch over the main span
    const mid = Math.floor((pierCount - 1) / 2);
    const xa = xs[mid] ?? W * 0.3;
    const xb = xs[mid + 1] ?? W * 0.7;
    const ph = H * 0.26;
    for (let i = 1; i < 14; i++) {
      const t = i / 14;
      const x = xa + (xb - xa) * t;
      const y = deckY - 4 * ph * t * (1 - t);
      line(c, x, y, x, deckY, steel, sw * 0.5);
    }
    path(c, `M${n(xa)} ${n(deckY)}Q${n((xa + xb) / 2)} ${n(deckY - 2 * ph)} ${n(xb)} ${n(deckY)}`, 'none', 1, stroke(accent, sw * 3.2));
  } else if (variant === 1) {
    // cable-stayed: pylons with fans of stays
    const pylons = [xs[1] ?? W * 0.3, xs[pierCount - 2] ?? W * 0.7];
    for (const px of pylons) {
      const top = deckY - H * 0.34;
      for (let k = 1; k <= 7; k++) {
        const d = (W / pierCount) * 0.95 * (k / 7);
        line(c, px, top + k * H * 0.012, px - d, deckY, steel, sw * 0.45);
        line(c, px, top + k * H * 0.012, px + d, deckY, steel, sw * 0.45);
      }
      path(
        c,
        `M${n(px - W * 0.014)} ${n(deckY + deckH)}L${n(px - W * 0.005)} ${n(top)}L${n(px + W * 0.005)} ${n(top)}L${n(px + W * 0.014)} ${n(deckY + deckH)}Z`,
        accent,
      );
    }
  } else {
    // parabolic trusses between all piers (like the first railway bridge)
    for (let i = 0; i < pierCount - 1; i++) {
      const xa = (xs[i] ?? 0) + pierW / 2;
      const xb = (xs[i + 1] ?? W) - pierW / 2;
      const ph = H * 0.1;
      const pts: Array<[number, number]> = [];
      const seg = 8;
      for (let k = 0; k <= seg; k++) {
        const t = k / seg;
        pts.push([xa + (xb - xa) * t, deckY - 4 * ph * t * (1 - t)]);
      }
      for (let k = 1; k < seg; k++) {
        const [x, y] = pts[k] ?? [0, 0];
        line(c, x, y, x, deckY, steel, sw * 0.6);
        const [xn] = pts[k + 1] ?? [0, 0];
        line(c, x, y, k < seg / 2 ? xn : (pts[k - 1]?.[0] ?? x), deckY, steel, sw * 0.35);
      }
      path(c, 'M' + pts.map(([x, y]) => `${n(x)} ${n(y)}`).join('L'), 'none', 1, stroke(accent, sw * 1.6));
    }
  }
  // deck, railing and lamps
  rect(c, 0, deckY, W, deckH, main);
  rect(c, 0, deckY + deckH * 0.7, W, deckH * 0.3, darken(main, 0.3));
  line(c, 0, deckY - H * 0.012, W, deckY - H * 0.012, darken(main, 0.1), sw * 0.4);
  for (let x = W * 0.03; x < W; x += W * 0.09) {
    line(c, x, deckY, x, deckY - H * 0.045, darken(main, 0.2), sw * 0.4);
    circle(c, x, deckY - H * 0.047, H * 0.005, accent);
  }
  // deck reflection
  rect(c, 0, horizon + (horizon - deckY) * 0.3, W, deckH * 0.8, darken(main, 0.1), 0.18);
}

function drawTram(c: Ctx): void {
  const { W, H } = c;
  const [bg, main, accent] = c.p;
  drawSky(c);
  drawCelestial(c, 0.08, 0.2);
  drawClouds(c, 2, 0.22);
  const street = H * 0.74;
  drawBuildingLayer(c, street, mix(main, bg, 0.7), H * 0.25, H * 0.55, W * 0.06, W * 0.12, false);
  drawBuildingLayer(c, street, mix(main, bg, 0.5), H * 0.15, H * 0.35, W * 0.06, W * 0.1, true);
  rect(c, 0, street, W, H - street, mix(main, bg, 0.35));
  rect(c, 0, street, W, H * 0.025, lighten(mix(main, bg, 0.5), 0.2));
  const railY = H * 0.86;
  rect(c, 0, railY, W, H * 0.012, darken(main, 0.4));
  for (let x = 0; x < W; x += W * 0.03) rect(c, x, railY + H * 0.012, W * 0.014, H * 0.01, darken(main, 0.25), 0.6);
  // overhead wire and poles
  const wireY = H * 0.16;
  for (let x = W * 0.06; x < W; x += W * 0.3) {
    rect(c, x, wireY - H * 0.03, W * 0.008, street - wireY + H * 0.03, darken(main, 0.2));
    line(c, x, wireY - H * 0.02, x + W * 0.06, wireY, darken(main, 0.2), W * 0.003);
  }
  line(c, 0, wireY, W, wireY, darken(main, 0.4), Math.max(1.5, H * 0.003));
  // tram body
  const x0 = W * range(c, 0.08, 0.16);
  const len = W * 0.72;
  const top = H * 0.36;
  const bottom = H * 0.82;
  const bh = bottom - top;
  const body = accent;
  rect(c, x0 + len * 0.1, top - bh * 0.08, len * 0.25, bh * 0.09, darken(main, 0.1), 1, bh * 0.02);
  // pantograph
  const px = x0 + len * 0.45;
  const pw = len * 0.08;
  path(
    c,
    `M${n(px - pw)} ${n(top - bh * 0.01)}L${n(px)} ${n((top + wireY) / 2)}L${n(px - pw * 0.6)} ${n(wireY)}`,
    'none',
    1,
    stroke(darken(main, 0.3), W * 0.003),
  );
  line(c, px - pw * 1.1, wireY, px - pw * 0.1, wireY, darken(main, 0.3), W * 0.004);
  rect(c, x0, top, len, bh, body, 1, bh * 0.12);
  rect(c, x0, bottom - bh * 0.2, len, bh * 0.2, darken(body, 0.25), 1, bh * 0.06);
  rect(c, x0, top + bh * 0.58, len, bh * 0.05, lighten(body, 0.45));
  // windows and doors
  const glass = linearGradient(c, [
    [0, lighten(bg, c.dark ? 0.5 : 0.65)],
    [1, mix(bg, main, 0.35)],
  ]);
  const winTop = top + bh * 0.14;
  const winH = bh * 0.38;
  const doors = [0.16, 0.5, 0.8];
  let x = x0 + len * 0.03;
  const step = len * 0.085;
  while (x + step < x0 + len * 0.9) {
    const isDoor = doors.some((d) => Math.abs(x - (x0 + len * d)) < step * 0.5);
    if (isDoor) {
      rect(c, x, winTop, step * 0.9, bh * 0.72, darken(body, 0.2), 1, bh * 0.02);
      rect(c, x + step * 0.08, winTop + bh * 0.03, step * 0.33, bh * 0.4, glass);
      rect(c, x + step * 0.49, winTop + bh * 0.03, step * 0.33, bh * 0.4, glass);
    } else {
      rect(c, x, winTop, step * 0.9, winH, glass, 1, bh * 0.02);
      line(c, x + step * 0.2, winTop + winH * 0.8, x + step * 0.5, winTop + winH * 0.2, '#ffffff', W * 0.002, 0.5);
    }
    x += step;
  }
  // front windshield
  const fx = x0 + len * 0.91;
  path(
    c,
    `M${n(fx)} ${n(winTop)}L${n(x0 + len - bh * 0.06)} ${n(winTop)}Q${n(x0 + len)} ${n(winTop)} ${n(x0 + len)} ${n(winTop + bh * 0.08)}L${n(x0 + len)} ${n(winTop + winH * 1.1)}L${n(fx)} ${n(winTop + winH * 1.1)}Z`,
    glass,
  );
  circle(c, x0 + len - bh * 0.06, bottom - bh * 0.27, bh * 0.035, '#fff6c2');
  circle(c, x0 + len - bh * 0.06, bottom - bh * 0.27, bh * 0.12, radialGradient(c, '#fff6c2', 0.6));
  // bogies
  for (const b of [0.18, 0.78]) {
    const bx = x0 + len * b;
    rect(c, bx - len * 0.07, bottom - bh * 0.02, len * 0.14, bh * 0.08, darken(main, 0.45), 1, bh * 0.02);
    circle(c, bx - len * 0.04, railY - bh * 0.035, bh * 0.06, darken(main, 0.55));
    circle(c, bx + len * 0.04, railY - bh * 0.035, bh * 0.06, darken(main, 0.55));
  }
}

function drawStadium(c: Ctx, rink: boolean): void {
  const { W, H } = c;
  const [bg, main, accent] = c.p;
  drawSky(c);
  if (c.dark) drawCelestial(c, 0.08, 0.16);
  drawBuildingLayer(c, H * 0.36, mix(main, bg, 0.6), H * 0.05, H * 0.18, W * 0.04, W * 0.08, false);
  const cx = W / 2;
  const cy = H * 0.64;
  const rx = W * 0.47;
  const ry = H * 0.34;
  // floodlight masts behind the stands
  for (const mx of [W * 0.08, W * 0.92]) {
    line(c, mx, cy, mx, H * 0.1, darken(main, 0.3), W * 0.005);
    rect(c, mx - W * 0.025, H * 0.07, W * 0.05, H * 0.05, darken(main, 0.35), 1, H * 0.005);
    for (let k = 0; k < 4; k++) circle(c, mx - W * 0.018 + k * W * 0.012, H * 0.095, H * 0.008, lighten(accent, 0.7));
    circle(c, mx, H * 0.095, H * 0.14, radialGradient(c, lighten(accent, 0.8), c.dark ? 0.55 : 0.3));
  }
  ellipse(c, cx, cy, rx, ry, darken(main, 0.25));
  ellipse(c, cx, cy, rx * 0.97, ry * 0.95, main);
  // rows of seats
  for (let k = 1; k <= 6; k++) {
    const t = 0.97 - k * 0.04;
    ellipse(c, cx, cy, rx * t, ry * (0.95 - k * 0.042), 'none', 1, stroke(lighten(main, 0.16), Math.max(1, H * 0.002)));
  }
  // crowd
  const crowdCols = [lighten(accent, 0.2), lighten(main, 0.4), '#ffffff', accent];
  for (let i = 0; i < 900; i++) {
    const a = c.rnd() * Math.PI * 2;
    const t = range(c, 0.74, 0.95);
    const col = crowdCols[Math.floor(c.rnd() * crowdCols.length)] ?? accent;
    circle(c, cx + Math.cos(a) * rx * t, cy + Math.sin(a) * ry * t, Math.min(W, H) * 0.0035, col, 0.75);
  }
  ellipse(c, cx, cy, rx * 0.72, ry * 0.7, darken(main, 0.15));
  if (rink) {
    const iw = rx * 1.08;
    const ih = ry * 0.95;
    const x = cx - iw / 2;
    const y = cy - ih / 2;
    rect(c, x - W * 0.006, y - W * 0.006, iw + W * 0.012, ih + W * 0.012, lighten(main, 0.5), 1, ih * 0.34);
    rect(c, x, y, iw, ih, mix('#eef6fb', bg, 0.08), 1, ih * 0.32);
    const red = mix('#d62828', accent, 0.25);
    const blue = mix('#1d4e89', main, 0.3);
    line(c, cx, y, cx, y + ih, red, W * 0.004);
    line(c, cx - iw * 0.18, y, cx - iw * 0.18, y + ih, blue, W * 0.005);
    line(c, cx + iw * 0.18, y, cx + iw * 0.18, y + ih, blue, W * 0.005);
    line(c, x + iw * 0.06, y + ih * 0.08, x + iw * 0.06, y + ih * 0.92, red, W * 0.0015);
    line(c, x + iw * 0.94, y + ih * 0.08, x + iw * 0.94, y + ih * 0.92, red, W * 0.0015);
    ellipse(c, cx, cy, iw * 0.07, ih * 0.14, 'none', 1, stroke(blue, W * 0.002));
    circle(c, cx, cy, W * 0.003, blue);
    for (const fx of [0.2, 0.8]) {
      for (const fy of [0.28, 0.72]) ellipse(c, x + iw * fx, y + ih * fy, iw * 0.05, ih * 0.1, 'none', 1, stroke(red, W * 0.0015));
    }
    path(c, `M${n(x + iw * 0.06)} ${n(cy - ih * 0.06)}a${n(iw * 0.03)} ${n(ih * 0.06)} 0 0 1 0 ${n(ih * 0.12)}Z`, lighten(blue, 0.5));
    path(c, `M${n(x + iw * 0.94)} ${n(cy - ih * 0.06)}a${n(iw * 0.03)} ${n(ih * 0.06)} 0 0 0 0 ${n(ih * 0.12)}Z`, lighten(blue, 0.5));
  } else {
    // running track with lanes
    ellipse(c, cx, cy, rx * 0.68, ry * 0.66, mix('#c0573e', accent, 0.5));
    for (let k = 1; k <= 5; k++) {
      ellipse(c, cx, cy, rx * (0.68 - k * 0.02), ry * (0.66 - k * 0.022), 'none', 0.7, stroke('#ffffff', Math.max(1, H * 0.0018)));
    }
    ellipse(c, cx, cy, rx * 0.57, ry * 0.53, mix('#4c9a52', bg, 0.12));
    // football pitch with mowing stripes
    const fw = rx * 0.82;
    const fh = ry * 0.72;
    const fx0 = cx - fw / 2;
    const fy0 = cy - fh / 2;
    const stripes = 10;
    for (let k = 0; k < stripes; k++) {
      rect(c, fx0 + (fw / stripes) * k, fy0, fw / stripes, fh, k % 2 ? mix('#3f8a46', bg, 0.1) : mix('#4fa157', bg, 0.1));
    }
    const lw = Math.max(1, H * 0.003);
    c.out.push(`<rect x="${n(fx0)}" y="${n(fy0)}" width="${n(fw)}" height="${n(fh)}" fill="none"${stroke('#ffffff', lw)}/>`);
    line(c, cx, fy0, cx, fy0 + fh, '#ffffff', lw);
    ellipse(c, cx, cy, fw * 0.09, fh * 0.16, 'none', 1, stroke('#ffffff', lw));
    for (const side of [0, 1]) {
      const bx = side ? fx0 + fw - fw * 0.14 : fx0;
      c.out.push(`<rect x="${n(bx)}" y="${n(cy - fh * 0.3)}" width="${n(fw * 0.14)}" height="${n(fh * 0.6)}" fill="none"${stroke('#ffffff', lw)}/>`);
    }
  }
}

function drawFactory(c: Ctx): void {
  const { W, H } = c;
  const [bg, main, accent] = c.p;
  drawSky(c);
  if (c.dark) {
    // glow on the horizon (fire / night lights)
    ellipse(c, W * range(c, 0.3, 0.7), H * 0.8, W * 0.5, H * 0.45, radialGradient(c, accent, 0.55));
  } else {
    drawCelestial(c, 0.12, 0.25);
    drawClouds(c, 2, 0.25);
  }
  const ground = H * 0.84;
  drawBuildingLayer(c, ground, mix(main, bg, 0.6), H * 0.08, H * 0.25, W * 0.06, W * 0.14, false);
  // chimneys with smoke
  const chimneys = 2 + Math.floor(c.rnd() * 3);
  const smoke = c.dark ? lighten(bg, 0.25) : lighten(bg, 0.55);
  for (let i = 0; i < chimneys; i++) {
    const x = W * (0.12 + (0.76 * (i + range(c, 0.1, 0.9))) / chimneys);
    const h = H * range(c, 0.42, 0.66);
    const wb = W * range(c, 0.022, 0.034);
    const wt = wb * 0.7;
    const top = ground - h;
    let sx = x;
    let sy = top - H * 0.02;
    let r = wt * 0.9;
    for (let k = 0; k < 8; k++) {
      circle(c, sx, sy, r, smoke, 0.75 - k * 0.08);
      sx += r * range(c, 0.9, 1.3);
      sy -= r * range(c, 0.25, 0.6);
      r *= 1.22;
    }
    path(c, `M${n(x - wb / 2)} ${n(ground)}L${n(x - wt / 2)} ${n(top)}L${n(x + wt / 2)} ${n(top)}L${n(x + wb / 2)} ${n(ground)}Z`, mix(main, bg, 0.15));
    for (let k = 0; k < 3; k++) {
      const y = top + h * (0.03 + k * 0.09);
      const half = wt / 2 + (wb - wt) * 0.5 * ((y - top) / h);
      rect(c, x - half, y, half * 2, h * 0.045, k % 2 ? lighten(accent, 0.8) : accent);
    }
  }
  // main hall with saw-tooth roof
  const hx0 = W * range(c, 0.02, 0.12);
  const hx1 = W * range(c, 0.55, 0.7);
  const hallTop = ground - H * 0.2;
  rect(c, hx0, hallTop, hx1 - hx0, ground - hallTop + 1, main);
  const teeth = Math.round((hx1 - hx0) / (W * 0.06));
  const tw = (hx1 - hx0) / teeth;
  for (let k = 0; k < teeth; k++) {
    const x = hx0 + k * tw;
    path(c, `M${n(x)} ${n(hallTop + 1)}L${n(x + tw * 0.75)} ${n(hallTop - H * 0.07)}L${n(x + tw * 0.75)} ${n(hallTop + 1)}Z`, main);
    path(c, `M${n(x + tw * 0.75)} ${n(hallTop - H * 0.07)}L${n(x + tw)} ${n(hallTop + 1)}L${n(x + tw * 0.75)} ${n(hallTop + 1)}Z`, c.dark ? accent : lighten(bg, 0.3), 0.9);
  }
  for (let x = hx0 + W * 0.015; x < hx1 - W * 0.03; x += W * 0.04) {
    rect(c, x, hallTop + H * 0.05, W * 0.025, H * 0.06, c.dark ? accent : lighten(main, 0.35), c.dark ? 0.9 : 1);
  }
  rect(c, (hx0 + hx1) / 2 - W * 0.03, ground - H * 0.1, W * 0.06, H * 0.1, darken(main, 0.3));
  // office block and tanks
  const ox = hx1 + W * 0.03;
  const ow = W * 0.12;
  const oh = H * 0.3;
  rect(c, ox, ground - oh, ow, oh, darken(main, 0.1));
  for (let r = 0; r < 6; r++) {
    for (let k = 0; k < 4; k++) {
      const lit = chance(c, c.dark ? 0.6 : 0.3);
      rect(c, ox + ow * 0.1 + k * ow * 0.22, ground - oh + H * 0.025 + r * H * 0.045, ow * 0.13, H * 0.025, lit ? accent : lighten(main, 0.25), 0.9);
    }
  }
  const tx = ox + ow + W * 0.03;
  for (let k = 0; k < 2; k++) {
    const x = tx + k * W * 0.075;
    if (x > W) break;
    const th = H * range(c, 0.1, 0.16);
    rect(c, x, ground - th, W * 0.06, th, lighten(main, 0.15));
    ellipse(c, x + W * 0.03, ground - th, W * 0.03, H * 0.012, lighten(main, 0.3));
  }
  line(c, hx1, ground - H * 0.14, tx + W * 0.03, ground - H * 0.14, accent, H * 0.01);
  rect(c, 0, ground, W, H - ground, darken(main, 0.35));
  for (let x = 0; x < W; x += W * 0.05) line(c, x, ground + H * 0.02, x, ground - H * 0.025, darken(main, 0.5), W * 0.0015);
  line(c, 0, ground - H * 0.02, W, ground - H * 0.02, darken(main, 0.5), W * 0.0015);
}

function drawPark(c: Ctx): void {
  const { W, H } = c;
  const [bg, main, accent] = c.p;
  drawSky(c);
  drawCelestial(c, 0.1, 0.25);
  drawClouds(c, 4, 0.3);
  const trunk = mix('#6b4f3a', main, 0.25);
  path(c, hillPath(c, H * 0.55, H * 0.03, 4), mix(main, bg, 0.55));
  for (let i = 0; i < 14; i++) {
    drawRoundTree(c, c.rnd() * W, H * range(c, 0.56, 0.6), H * range(c, 0.06, 0.1), mix(main, bg, 0.45), mix(trunk, bg, 0.4));
  }
  path(c, hillPath(c, H * 0.67, H * 0.025, 3), mix(main, bg, 0.28));
  // winding path towards the horizon
  const px = W * range(c, 0.35, 0.65);
  const pathColor = mix(accent, '#f3ead8', 0.65);
  path(
    c,
    `M${n(px - W * 0.18)} ${n(H)}C${n(px - W * 0.05)} ${n(H * 0.85)} ${n(px + W * 0.12)} ${n(H * 0.78)} ${n(px + W * 0.01)} ${n(H * 0.66)}L${n(px + W * 0.025)} ${n(H * 0.66)}C${n(px + W * 0.16)} ${n(H * 0.78)} ${n(px + W * 0.06)} ${n(H * 0.86)} ${n(px + W * 0.06)} ${n(H)}Z`,
    pathColor,
  );
  path(c, hillPath(c, H * 0.82, H * 0.02, 3), main, 0.55);
  // trees on both sides of the path
  for (let i = 0; i < 9; i++) {
    let x = c.rnd() * W;
    if (Math.abs(x - px) < W * 0.12) x = (x + W * 0.3) % W;
    const ground = H * range(c, 0.7, 0.95);
    const size = H * range(c, 0.16, 0.3) * (ground / H);
    if (chance(c, 0.3)) drawPine(c, x, ground, size * 1.3, darken(main, 0.25));
    else drawRoundTree(c, x, ground, size, chance(c, 0.25) ? mix(main, accent, 0.55) : darken(main, c.rnd() * 0.2), trunk);
  }
  // lamp posts
  for (const side of [-1, 1]) {
    const lx = px + side * W * 0.1;
    const ly = H * 0.9;
    line(c, lx, ly, lx, ly - H * 0.16, darken(main, 0.55), W * 0.0035);
    circle(c, lx, ly - H * 0.165, H * 0.05, radialGradient(c, accent, 0.45));
    circle(c, lx, ly - H * 0.165, H * 0.011, lighten(accent, 0.4));
  }
  // bench
  const bx = px + W * (chance(c, 0.5) ? 0.16 : -0.24);
  const by = H * 0.9;
  const bc = darken(trunk, 0.2);
  rect(c, bx, by - H * 0.05, W * 0.08, H * 0.012, bc);
  rect(c, bx, by - H * 0.075, W * 0.08, H * 0.01, bc);
  rect(c, bx + W * 0.005, by - H * 0.04, W * 0.005, H * 0.04, bc);
  rect(c, bx + W * 0.07, by - H * 0.04, W * 0.005, H * 0.04, bc);
  // flowers
  for (let i = 0; i < 60; i++) {
    const x = c.rnd() * W;
    if (Math.abs(x - px) < W * 0.08) continue;
    circle(c, x, H * range(c, 0.86, 0.99), H * 0.006, chance(c, 0.5) ? accent : lighten(accent, 0.5), 0.9);
  }
}

function drawSnowflake(c: Ctx, x: number, y: number, size: number, o: number): void {
  let d = '';
  for (let k = 0; k < 6; k++) {
    const a = (Math.PI / 3) * k + Math.PI / 2;
    const ex = x + Math.cos(a) * size;
    const ey = y + Math.sin(a) * size;
    d += `M${n(x)} ${n(y)}L${n(ex)} ${n(ey)}`;
    for (const t of [0.45, 0.7]) {
      const bx = x + Math.cos(a) * size * t;
      const by = y + Math.sin(a) * size * t;
      const bl = size * (t === 0.45 ? 0.28 : 0.2);
      for (const s of [-1, 1]) {
        const ba = a + (s * Math.PI) / 4;
        d += `M${n(bx)} ${n(by)}L${n(bx + Math.cos(ba) * bl)} ${n(by + Math.sin(ba) * bl)}`;
      }
    }
  }
  path(c, d, 'none', o, stroke('#ffffff', Math.max(1.2, size * 0.07)));
}

function drawSnow(c: Ctx): void {
  const { W, H } = c;
  const [bg, main, accent] = c.p;
  drawSky(c);
  drawCelestial(c, 0.1, 0.22);
  const snowFar = mix(bg, '#ffffff', c.dark ? 0.45 : 0.7);
  const snowMid = mix(bg, '#ffffff', c.dark ? 0.6 : 0.82);
  const snowNear = mix(bg, '#ffffff', c.dark ? 0.75 : 0.93);
  // distant town
  drawBuildingLayer(c, H * 0.6, mix(main, bg, 0.55), H * 0.08, H * 0.3, W * 0.04, W * 0.08, true);
  path(c, hillPath(c, H * 0.6, H * 0.02, 4), snowFar);
  // small houses with snowy roofs
  const houses = 3 + Math.floor(c.rnd() * 3);
  for (let i = 0; i < houses; i++) {
    const x = W * (0.05 + (0.9 * (i + range(c, 0.1, 0.6))) / houses);
    const g = H * range(c, 0.7, 0.74);
    const w = W * range(c, 0.06, 0.09);
    const h = H * range(c, 0.08, 0.12);
    rect(c, x, g - h, w, h, mix(main, bg, 0.2));
    path(c, `M${n(x - w * 0.1)} ${n(g - h)}L${n(x + w / 2)} ${n(g - h - w * 0.45)}L${n(x + w * 1.1)} ${n(g - h)}Z`, darken(main, 0.2));
    path(c, `M${n(x - w * 0.12)} ${n(g - h + 2)}L${n(x + w / 2)} ${n(g - h - w * 0.47)}L${n(x + w * 1.12)} ${n(g - h + 2)}Q${n(x + w / 2)} ${n(g - h - w * 0.2)} ${n(x - w * 0.12)} ${n(g - h + 2)}Z`, snowNear);
    rect(c, x + w * 0.2, g - h * 0.7, w * 0.22, h * 0.3, accent, 0.9);
    rect(c, x + w * 0.58, g - h * 0.7, w * 0.22, h * 0.3, accent, 0.9);
  }
  path(c, hillPath(c, H * 0.74, H * 0.025, 3), snowMid);
  for (let i = 0; i < 10; i++) {
    const g = H * range(c, 0.72, 0.8);
    drawPine(c, c.rnd() * W, g, H * range(c, 0.12, 0.2), darken(main, 0.1), snowNear);
  }
  path(c, hillPath(c, H * 0.86, H * 0.02, 3), snowNear);
  for (let i = 0; i < 4; i++) {
    const g = H * range(c, 0.9, 1.0);
    drawPine(c, c.rnd() * W, g, H * range(c, 0.3, 0.42), darken(main, 0.25), '#ffffff');
  }
  // street lamps with warm light
  for (let i = 0; i < 2; i++) {
    const x = W * range(c, 0.1, 0.9);
    const y = H * 0.92;
    line(c, x, y, x, y - H * 0.22, darken(main, 0.4), W * 0.0035);
    circle(c, x, y - H * 0.225, H * 0.08, radialGradient(c, accent, 0.5));
    circle(c, x, y - H * 0.225, H * 0.012, lighten(accent, 0.5));
  }
  // falling snow
  const flakes = Math.round((W * H) / 6000);
  for (let i = 0; i < flakes; i++) {
    circle(c, c.rnd() * W, c.rnd() * H, Math.min(W, H) * range(c, 0.0015, 0.005), '#ffffff', range(c, 0.45, 0.95));
  }
  const big = 3 + Math.floor(c.rnd() * 4);
  for (let i = 0; i < big; i++) {
    drawSnowflake(c, c.rnd() * W, c.rnd() * H * 0.75, Math.min(W, H) * range(c, 0.03, 0.07), range(c, 0.6, 0.9));
  }
}

function drawPortrait(c: Ctx): void {
  const { W, H } = c;
  const [bg, main, accent] = c.p;
  rect(c, 0, 0, W, H, linearGradient(c, [[0, lighten(bg, 0.25)], [1, darken(bg, 0.06)]]));
  // soft decorative shapes
  circle(c, W * range(c, 0.1, 0.9), H * range(c, 0.1, 0.5), W * range(c, 0.25, 0.4), mix(bg, accent, 0.18), 0.7);
  circle(c, W * 0.5, H * 0.42, W * 0.33, lighten(bg, 0.35), 0.6);
  const cx = W / 2;
  const r = W * 0.16;
  const headY = H * 0.4;
  const skins = ['#f3cfb3', '#e8b892', '#d39b74', '#b97f5a', '#f6dcc8'];
  const hairs = ['#2b2118', '#4a3226', '#6b4a2f', '#a0522d', '#c9a36b', '#8d8d8d'];
  const head = mix(skins[Math.floor(c.rnd() * skins.length)] ?? '#e8b892', bg, 0.12);
  const hair = mix(hairs[Math.floor(c.rnd() * hairs.length)] ?? '#4a3226', main, 0.15);
  const style = Math.floor(c.rnd() * 4);
  if (style === 1) {
    // longer hair behind the head
    rect(c, cx - r * 1.15, headY - r * 0.9, r * 2.3, r * 2.4, hair, 1, r * 0.9);
  }
  // neck and shoulders
  rect(c, cx - r * 0.4, headY + r * 0.5, r * 0.8, H * 0.25, darken(head, 0.08));
  path(
    c,
    `M${n(cx - W * 0.44)} ${n(H)}C${n(cx - W * 0.44)} ${n(H * 0.76)} ${n(cx - W * 0.26)} ${n(H * 0.68)} ${n(cx)} ${n(H * 0.68)}C${n(cx + W * 0.26)} ${n(H * 0.68)} ${n(cx + W * 0.44)} ${n(H * 0.76)} ${n(cx + W * 0.44)} ${n(H)}Z`,
    main,
  );
  // collar / scarf in the accent colour
  path(c, `M${n(cx - W * 0.1)} ${n(H * 0.685)}L${n(cx)} ${n(H * 0.83)}L${n(cx + W * 0.1)} ${n(H * 0.685)}Q${n(cx)} ${n(H * 0.72)} ${n(cx - W * 0.1)} ${n(H * 0.685)}Z`, accent);
  ellipse(c, cx, headY, r * 0.92, r * 1.08, head);
  // hair
  const cap = `M${n(cx - r * 0.95)} ${n(headY + r * 0.05)}C${n(cx - r * 1.1)} ${n(headY - r * 1.45)} ${n(cx + r * 1.1)} ${n(headY - r * 1.45)} ${n(cx + r * 0.95)} ${n(headY + r * 0.05)}C${n(cx + r * 0.75)} ${n(headY - r * 0.5)} ${n(cx - r * 0.45)} ${n(headY - r * 0.6)} ${n(cx - r * 0.95)} ${n(headY + r * 0.05)}Z`;
  if (style !== 3) path(c, cap, hair);
  if (style === 2) circle(c, cx + r * 0.1, headY - r * 1.25, r * 0.38, hair);
  if (style === 3) path(c, cap, hair, 0.35);
  // glasses
  if (chance(c, 0.4)) {
    const gy = headY + r * 0.05;
    const gs = stroke(darken(main, 0.5), Math.max(1.5, W * 0.007));
    c.out.push(`<circle cx="${n(cx - r * 0.38)}" cy="${n(gy)}" r="${n(r * 0.24)}" fill="none"${gs}/>`);
    c.out.push(`<circle cx="${n(cx + r * 0.38)}" cy="${n(gy)}" r="${n(r * 0.24)}" fill="none"${gs}/>`);
    line(c, cx - r * 0.14, gy, cx + r * 0.14, gy, darken(main, 0.5), Math.max(1.5, W * 0.006));
  }
}

function drawChart(c: Ctx): void {
  const { W, H } = c;
  const [bg, main, accent] = c.p;
  rect(c, 0, 0, W, H, linearGradient(c, [[0, lighten(bg, c.dark ? 0.06 : 0.3)], [1, bg]]));
  const grid = c.dark ? lighten(bg, 0.15) : darken(bg, 0.1);
  const muted = c.dark ? lighten(bg, 0.3) : darken(bg, 0.22);
  // main panel
  const px0 = W * 0.05;
  const px1 = W * 0.64;
  const py0 = H * 0.1;
  const py1 = H * 0.9;
  rect(c, px0, py0, px1 - px0, py1 - py0, c.dark ? lighten(bg, 0.05) : '#ffffff', 0.9, H * 0.02);
  const x0 = px0 + W * 0.04;
  const x1 = px1 - W * 0.03;
  const y0 = py0 + H * 0.12;
  const y1 = py1 - H * 0.08;
  // placeholder "title" bars instead of text
  rect(c, x0, py0 + H * 0.04, W * 0.16, H * 0.025, muted, 1, H * 0.012);
  rect(c, x0 + W * 0.18, py0 + H * 0.04, W * 0.07, H * 0.025, accent, 0.8, H * 0.012);
  for (let k = 0; k <= 4; k++) {
    const y = y0 + ((y1 - y0) * k) / 4;
    line(c, x0, y, x1, y, grid, Math.max(1, H * 0.002));
  }
  const count = 9 + Math.floor(c.rnd() * 4);
  const slot = (x1 - x0) / count;
  const values: number[] = [];
  let v = range(c, 0.25, 0.4);
  for (let i = 0; i < count; i++) {
    v = Math.min(0.95, Math.max(0.12, v + range(c, -0.08, 0.14)));
    values.push(v);
  }
  const maxIdx = values.indexOf(Math.max(...values));
  values.forEach((val, i) => {
    const h = (y1 - y0) * val;
    const x = x0 + slot * i + slot * 0.2;
    rect(c, x, y1 - h, slot * 0.6, h, i === maxIdx ? accent : mix(main, bg, i % 2 ? 0.15 : 0), 1, slot * 0.08);
  });
  line(c, x0, y1, x1, y1, muted, Math.max(1.5, H * 0.003));
  // trend line
  const pts = values.map((val, i): [number, number] => {
    const t = Math.min(0.98, val * range(c, 0.75, 1.05) + 0.05);
    return [x0 + slot * (i + 0.5), y1 - (y1 - y0) * t];
  });
  path(c, 'M' + pts.map(([x, y]) => `${n(x)} ${n(y)}`).join('L'), 'none', 1, stroke(darken(accent, 0.1), Math.max(2, W * 0.004)));
  for (const [x, y] of pts) {
    c.out.push(`<circle cx="${n(x)}" cy="${n(y)}" r="${n(Math.max(3, W * 0.006))}" fill="${c.dark ? bg : '#ffffff'}"${stroke(accent, Math.max(1.5, W * 0.003))}/>`);
  }
  // side panel: donut and legend
  const sx0 = W * 0.68;
  const sx1 = W * 0.95;
  rect(c, sx0, py0, sx1 - sx0, py1 - py0, c.dark ? lighten(bg, 0.05) : '#ffffff', 0.9, H * 0.02);
  const dcx = (sx0 + sx1) / 2;
  const dcy = py0 + H * 0.27;
  const dr = Math.min(sx1 - sx0, H) * 0.26;
  const circ = 2 * Math.PI * dr;
  const parts = [range(c, 0.3, 0.45), range(c, 0.2, 0.3), range(c, 0.1, 0.2)];
  parts.push(Math.max(0.05, 1 - parts.reduce((a, b) => a + b, 0)));
  const cols = [main, accent, mix(main, bg, 0.5), mix(accent, bg, 0.5)];
  let offset = 0;
  parts.forEach((part, i) => {
    const len = part * circ;
    c.out.push(
      `<circle cx="${n(dcx)}" cy="${n(dcy)}" r="${n(dr)}" fill="none" stroke="${cols[i] ?? main}" stroke-width="${n(dr * 0.42)}" stroke-dasharray="${n(len)} ${n(circ - len)}" stroke-dashoffset="${n(-offset)}" transform="rotate(-90 ${n(dcx)} ${n(dcy)})"/>`,
    );
    offset += len;
  });
  parts.forEach((part, i) => {
    const y = dcy + dr * 1.55 + i * H * 0.065;
    rect(c, sx0 + W * 0.025, y, H * 0.03, H * 0.03, cols[i] ?? main, 1, H * 0.006);
    rect(c, sx0 + W * 0.025 + H * 0.05, y + H * 0.006, (sx1 - sx0) * (0.3 + part), H * 0.018, muted, 0.7, H * 0.009);
  });
}
