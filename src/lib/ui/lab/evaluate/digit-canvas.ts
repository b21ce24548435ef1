/**
 * Draws a grid of intensities on a canvas whose width and height are the grid size (CSS scales it
 * up with `image-rendering: pixelated`). Ink is the canvas's CSS `color` and paper its CSS
 * background, so the image follows the colour theme; call again after a theme change.
 *
 * @param values row-major `[side, side]` intensities in `[0, max]`.
 */
export function drawGrid(
  canvas: HTMLCanvasElement,
  values: ArrayLike<number>,
  side: number,
  max: number,
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.clearRect(0, 0, side, side);
  ctx.fillStyle = getComputedStyle(canvas).color;
  for (let i = 0; i < side * side; i++) {
    const v = values[i];
    if (!v) continue;
    ctx.globalAlpha = Math.min(1, v / max);
    ctx.fillRect(i % side, Math.floor(i / side), 1, 1);
  }
  ctx.globalAlpha = 1;
}
