// What the ONNX executor's loss sessions are estimated to hold, for the pool that bounds them
// (session-pool.ts) and the memory plan that predicts a run's peak (memory-plan.ts). Nothing here loads
// ONNX Runtime.

/**
 * Memory the loss sessions may hold together, in use or idle, by lossSessionEstimate. Each holds its
 * copy of the weights in ORT's layout and its arena, and a size's session costs about the same to start
 * (1.5-3 s with the full-size network) whatever the size. With the full-size network a session is estimated
 * at 0.21 GB at 128 px, 0.31 GB at 256 px and 0.70 GB at 512 px: 1 GiB keeps every scale of jobs up to
 * about 360 px, and beside a 512 px session in use only the 128 px one. Measured (README, benchmark): two
 * 512 px multi-scale jobs peaked at 1529 MB, under the README's 1.6 GB, which the 256 px session's 0.3 GB
 * more would pass.
 */
export const LOSS_SESSIONS_BYTES = 1024 ** 3;
/**
 * A loss session's weights in ORT (blocked copies of the forward and folded gradient kernels) per kernel
 * byte: measured 170-200 MB a session for the full-size network's 52 MB of kernels.
 */
export const SESSION_BYTES_PER_WEIGHT_BYTE = 3.5;
/** ORT's arena of a loss session per image pixel (0.5 GB at 512 x 512, see the README). */
const SESSION_BYTES_PER_PIXEL = 2000;

/** The pool's estimate of a loss session over `pixels` with `kernelBytes` of weights (the layers used). */
export function lossSessionEstimate(kernelBytes: number, pixels: number): number {
  return kernelBytes * SESSION_BYTES_PER_WEIGHT_BYTE + pixels * SESSION_BYTES_PER_PIXEL;
}
