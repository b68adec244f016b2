// The few vector operations the optimizers need, on plain Float32Arrays (accumulated in float64).

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

export function maxAbs(a: Float32Array): number {
  let largest = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i] as number);
    if (!(v <= largest)) largest = v; // NaN wins, so a broken gradient is noticed
  }
  return largest;
}

/** out = a + t * b (out may be a). */
export function addScaled(out: Float32Array, a: Float32Array, t: number, b: Float32Array): Float32Array {
  for (let i = 0; i < out.length; i++) out[i] = (a[i] as number) + t * (b[i] as number);
  return out;
}

/** a - b, as a new array. */
export function subtract(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < out.length; i++) out[i] = (a[i] as number) - (b[i] as number);
  return out;
}
