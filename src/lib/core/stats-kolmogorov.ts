/**
 * The one-sample Kolmogorov-Smirnov distributions that scipy 1.10 uses for the asymptotic branch
 * of `ks_2samp`: `kstwo.sf(d, n)` (two-sided D_n) and `scipy.special.smirnov(n, d)` (one-sided).
 * The branch structure follows scipy's `stats/_ksstats.py::_kolmogn` (Simard & L'Ecuyer 2011),
 * so the same approximation is used in the same region and the answers agree to ~1e-10:
 * - n d <= 1/2: sf = 1; n d <= 1 (Ruben-Gambino): cdf = n! / n^n (2 n d - 1)^n;
 * - n d >= n - 1: sf = 2 (1 - d)^n;  d >= 1/2: sf = 2 smirnov(n, d) (exact there);
 * - n <= 140: n d^2 <= 4 exact (Durbin matrix; scipy uses Pomeranz above 0.754693, also exact),
 *   else 2 smirnov(n, d);
 * - n > 140: n d^2 >= 370: 0; >= 2.2: 2 smirnov(n, d); n <= 100000 and n d^1.5 <= 1.4: Durbin
 *   matrix (Marsaglia, Tsang & Wang 2003); otherwise the Pelz-Good asymptotic series (1976).
 */
import { logGamma } from './stats-special';

const SQRT_2PI = Math.sqrt(2 * Math.PI);
const PI2 = Math.PI * Math.PI;
const BIG = 2 ** 128;

const clip01 = (p: number): number => Math.min(1, Math.max(0, p));

/**
 * One-sided Smirnov survival function Pr(D+_n > d), the Birnbaum-Tingey sum
 * d * sum_{j=0}^{floor(n(1-d))} C(n, j) (d + j/n)^(j-1) (1 - d - j/n)^(n-j), summed in log space.
 * scipy switches to an approximation for n > 1,000,000; this stays exact.
 */
export function smirnovSf(n: number, d: number): number {
  if (!(d > 0)) return 1;
  if (d >= 1) return 0;
  let logC = 0; // log C(n, j)
  let sum = 0;
  for (let j = 0; j < n; j++) {
    const rest = (n - j) / n - d; // 1 - d - j/n
    if (!(rest > 0)) break;
    const logTerm = logC + (j - 1) * Math.log(d + j / n) + (n - j) * Math.log(rest);
    sum += Math.exp(logTerm);
    logC += Math.log((n - j) / (j + 1));
  }
  return clip01(d * sum);
}

/** Square matrix product of row-major `m x m` arrays. */
function matMul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k];
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] += aik * b[k * m + j];
    }
  }
  return out;
}

/**
 * Durbin's matrix formula for the two-sided cdf Pr(D_n < d), with Marsaglia-Tsang-Wang's
 * scaling: k = ceil(n d), h = k - n d, H is (2k-1) x (2k-1), cdf = n!/n^n (H^n)[k-1][k-1].
 */
export function durbinCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const fact = new Float64Array(m + 1); // 1 / j!
  fact[0] = 1;
  for (let j = 1; j <= m; j++) fact[j] = fact[j - 1] / j;
  let H: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) if (i - j + 1 >= 0) H[i * m + j] = fact[i - j + 1];
  }
  for (let i = 0; i < m; i++) {
    H[i * m] = (1 - h ** (i + 1)) * fact[i + 1];
    H[(m - 1) * m + (m - 1 - i)] = (1 - h ** (i + 1)) * fact[i + 1];
  }
  H[(m - 1) * m] = (1 - 2 * h ** m + Math.max(0, 2 * h - 1) ** m) * fact[m];
  // Binary powering; the powers are rescaled by 2^-128 and the exponent kept apart.
  let P: Float64Array | null = null;
  let pExp = 0;
  let hExp = 0;
  for (let e = n; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) {
      P = P === null ? H.slice() : matMul(P, H, m);
      pExp += hExp;
    }
    if (e > 1) {
      H = matMul(H, H, m);
      hExp *= 2;
      if (Math.abs(H[(k - 1) * m + k - 1]) > BIG) {
        for (let i = 0; i < H.length; i++) H[i] /= BIG;
        hExp += 128;
      }
    }
  }
  let p = (P as Float64Array)[(k - 1) * m + k - 1];
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < 1 / BIG) {
      p *= BIG;
      pExp -= 128;
    }
  }
  return clip01(ldexp(p, pExp));
}

/** p * 2^e without overflowing 2^e on the way. */
function ldexp(p: number, e: number): number {
  for (; e > 1000; e -= 1000) p *= 2 ** 1000;
  for (; e < -1000; e += 1000) p *= 2 ** -1000;
  return p * 2 ** e;
}

/**
 * Pelz-Good asymptotic cdf Pr(D_n <= d) ~ K0(z) + K1(z)/sqrt(n) + K2(z)/n + K3(z)/n^1.5 with
 * z = d sqrt(n), each K_i written as theta-function sums that converge fast for small z
 * (Pelz & Good 1976, as given by Simard & L'Ecuyer 2011, section 2.4).
 */
export function pelzGoodCdf(n: number, d: number): number {
  if (d <= 0) return 0;
  if (d >= 1) return 1;
  const z = Math.sqrt(n) * d;
  const z2 = z * z;
  const qlog = -PI2 / 8 / z2;
  if (qlog < -708) return 0;
  const [z4, z6, z8] = [z2 * z2, z2 * z2 * z2, z2 * z2 * z2 * z2];
  const maxk = Math.ceil((16 * z) / Math.PI);
  const s = [0, 0, 0, 0];
  for (let k = maxk; k >= 1; k--) {
    const m2 = (2 * k - 1) ** 2;
    const w = Math.exp(qlog * m2); // exp(-(2k-1)^2 pi^2 / (8 z^2))
    const u = (PI2 * m2) / 4; // (k - 1/2)^2 pi^2
    s[0] += w;
    s[1] += w * (u - z2);
    s[2] += w * (6 * z6 + 2 * z4 + (2 * z4 - 5 * z2) * u + (1 - 2 * z2) * u * u);
    s[3] +=
      w *
      (-30 * z6 -
        90 * z8 +
        (135 * z4 - 96 * z6) * u +
        (212 * z4 - 60 * z2) * u * u +
        (5 - 30 * z2) * u * u * u);
  }
  let e2 = 0;
  let e3 = 0;
  for (let k = maxk; k >= 1; k--) {
    const k2 = k * k;
    const w = Math.exp((-PI2 * k2) / 2 / z2);
    e2 += k2 * w;
    e3 += (3 * z2 - PI2 * k2) * k2 * w;
  }
  const K0 = (SQRT_2PI / z) * s[0];
  const K1 = (SQRT_2PI / (6 * z4)) * s[1];
  const K2 = (SQRT_2PI / (72 * z6 * z)) * s[2] - ((PI2 * SQRT_2PI) / (36 * z2 * z)) * e2;
  const K3 = (SQRT_2PI / (6480 * z8 * z2)) * s[3] + ((PI2 * SQRT_2PI) / (216 * z6)) * e3;
  return K0 + K1 / Math.sqrt(n) + K2 / n + K3 / n ** 1.5;
}

/** log(n! / n^n). */
const logFactOverPow = (n: number): number => logGamma(n + 1) - n * Math.log(n);

/**
 * Survival function of the two-sided one-sample statistic, Pr(D_n >= d): scipy 1.10's
 * `kstwo.sf(d, n)` (branches in the file comment).
 * @param n a positive integer sample size. @param d the statistic, in [0, 1].
 */
export function kolmogorovSf(n: number, d: number): number {
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`kolmogorovSf needs an integer n >= 1, got ${n}`);
  if (Number.isNaN(d)) throw new Error('kolmogorovSf: d is NaN');
  if (d >= 1) return 0;
  if (d <= 0) return 1;
  const t = n * d;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= i * (1 / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logFactOverPow(n) + n * Math.log(2 * t - 1));
    }
    return clip01(1 - cdf);
  }
  if (t >= n - 1) return clip01(2 * (1 - d) ** n);
  if (d >= 0.5) return clip01(2 * smirnovSf(n, d));
  const nd2 = t * d;
  if (n <= 140) {
    return nd2 <= 4 ? clip01(1 - durbinCdf(n, d)) : clip01(2 * smirnovSf(n, d));
  }
  if (nd2 >= 370) return 0;
  if (nd2 >= 2.2) return clip01(2 * smirnovSf(n, d));
  const cdf = n <= 100000 && n * d ** 1.5 <= 1.4 ? durbinCdf(n, d) : pelzGoodCdf(n, d);
  return clip01(1 - cdf);
}
