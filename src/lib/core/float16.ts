/**
 * IEEE 754 binary16 ("half", fp16) conversion, bit for bit what numpy's `np.float16` does with a
 * float32: 1 sign bit, 5 exponent bits (bias 15), 10 fraction bits. Round to nearest, ties to
 * even; magnitudes from 65520 up overflow to Infinity; below 2^-14 the result is subnormal (steps
 * of 2^-24), and below 2^-25 it is a signed zero. NaN stays NaN, with the top 10 bits of its
 * payload (at least 1, so that it stays a NaN), as numpy does. The fixtures in tests/fixtures/quantize come from numpy.
 */

/** The binary16 bits of one float32 value (given as its 32 bits). */
function halfBits(bits: number): number {
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const fraction = bits & 0x7fffff;
  if (exponent === 0xff) {
    if (fraction === 0) return sign | 0x7c00; // +-Infinity
    // NaN: keep the top fraction bits (quiet bit included); never let them all drop to 0.
    const payload = fraction >>> 13;
    return sign | 0x7c00 | (payload === 0 ? 1 : payload);
  }
  const e = exponent - 127; // unbiased; float32 subnormals (exponent 0) are far below fp16's range
  if (e >= 16) return sign | 0x7c00; // 2^16 and above: overflow
  if (e >= -14) {
    // Normal in fp16: drop 13 fraction bits, round half to even. A carry out of the fraction
    // bumps the exponent, and out of the largest exponent gives 0x7c00: Infinity.
    let h = ((e + 15) << 10) | (fraction >>> 13);
    const rest = fraction & 0x1fff;
    if (rest > 0x1000 || (rest === 0x1000 && (h & 1) === 1)) h += 1;
    return sign | h;
  }
  if (exponent === 0 || e < -25) return sign; // below half the smallest subnormal: zero
  // Subnormal in fp16: value = m * 2^(e - 23) with the implicit bit; in units of 2^-24 that is
  // m >> shift with shift = -(e + 1), from 14 (e = -15) to 24 (e = -25).
  const m = fraction | 0x800000;
  const shift = -(e + 1);
  let h = m >>> shift;
  const rest = m & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  if (rest > half || (rest === half && (h & 1) === 1)) h += 1; // 0x3ff + 1 = smallest normal
  return sign | h;
}

/**
 * Converts float32 values to IEEE binary16 bits (round to nearest even).
 * @returns one `uint16` per value: the raw fp16 bits, as ONNX stores float16 tensors.
 */
export function toFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  // Read the bits in place: a NaN read as a JS number may lose its payload (signalling NaNs
  // come back quiet), and numpy keeps the payload.
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let i = 0; i < values.length; i++) out[i] = halfBits(bits[i]);
  return out;
}

/** The float value of one binary16 bit pattern (exact: every fp16 value is a float32 value). */
function halfValue(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >>> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // zero or subnormal
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1024 + fraction) * 2 ** (exponent - 25);
}

/**
 * Converts IEEE binary16 bits to float32 values. Exact for every finite value and both
 * infinities; NaN bit patterns give NaN (the payload is not kept).
 * @param bits raw fp16 bits, one `uint16` per value.
 */
export function fromFloat16(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = halfValue(bits[i]);
  return out;
}
