// A canvas a person draws a digit on, with a mouse, a finger or a pen (pointer events cover all
// three). White ink on black, as MNIST stores digits.
import type { GrayImage } from './preprocess';

/** Options of `createDrawPad`. */
export interface DrawPadOptions {
  /** Stroke width in canvas pixels; default 1/12 of the canvas width (about MNIST's stroke after scaling). */
  lineWidth?: number;
  /** Called when a stroke ends (pointer up or cancelled), with the drawing so far. */
  onStrokeEnd?: (image: GrayImage) => void;
}

/** A drawing surface bound to a canvas. */
export interface DrawPad {
  /** The drawing as grey levels: ink 1, background 0. */
  read(): GrayImage;
  clear(): void;
  /** Remove the event listeners. */
  destroy(): void;
}

/** Make `canvas` drawable. The canvas's own width/height (not its CSS size) set the resolution. */
export function createDrawPad(canvas: HTMLCanvasElement, options: DrawPadOptions = {}): DrawPad {
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('createDrawPad: no 2D context on the canvas');
  const lineWidth = options.lineWidth ?? canvas.width / 12;
  let last: { x: number; y: number } | null = null;

  const clear = () => {
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
  };
  // CSS may scale the canvas: map client coordinates to canvas pixels
  const at = (e: PointerEvent) => {
    const r = canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * canvas.width) / r.width, y: ((e.clientY - r.top) * canvas.height) / r.height };
  };
  const dot = (p: { x: number; y: number }) => {
    ctx.beginPath();
    ctx.arc(p.x, p.y, lineWidth / 2, 0, Math.PI * 2);
    ctx.fill();
  };
  const down = (e: PointerEvent) => {
    e.preventDefault();
    canvas.setPointerCapture(e.pointerId);
    last = at(e);
    ctx.fillStyle = '#fff';
    dot(last);
  };
  const move = (e: PointerEvent) => {
    if (!last) return;
    const p = at(e);
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = lineWidth;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(last.x, last.y);
    ctx.lineTo(p.x, p.y);
    ctx.stroke();
    last = p;
  };
  const up = (e: PointerEvent) => {
    if (!last) return;
    last = null;
    if (canvas.hasPointerCapture(e.pointerId)) canvas.releasePointerCapture(e.pointerId);
    options.onStrokeEnd?.(read());
  };
  const read = (): GrayImage => {
    const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const gray = new Float32Array(width * height);
    for (let i = 0; i < gray.length; i++) gray[i] = data[i * 4] / 255; // red channel: ink is white
    return { data: gray, width, height };
  };

  canvas.style.touchAction = 'none'; // a finger draws instead of scrolling the page
  canvas.addEventListener('pointerdown', down);
  canvas.addEventListener('pointermove', move);
  canvas.addEventListener('pointerup', up);
  canvas.addEventListener('pointercancel', up);
  clear();
  return {
    read,
    clear,
    destroy() {
      canvas.removeEventListener('pointerdown', down);
      canvas.removeEventListener('pointermove', move);
      canvas.removeEventListener('pointerup', up);
      canvas.removeEventListener('pointercancel', up);
    },
  };
}
