// Which backends the engine tries, in which order, and with how many threads: read from the environment
// and the machine, without loading any backend (so the engine's entry stays cheap to import).
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, availableParallelism, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { BACKEND_ORDER, type BackendName } from './types.js';

/** Environment variable that forces one backend (useful to compare, or to avoid a broken GPU driver). */
export const BACKEND_ENV = 'STYLIZE_BACKEND';
/** Environment variable for ONNX Runtime's CPU threads (default: one per core). */
export const ONNX_THREADS_ENV = 'STYLIZE_ONNX_THREADS';

function isBackendName(value: string): value is BackendName {
  return (BACKEND_ORDER as readonly string[]).includes(value);
}

/** Reads STYLIZE_BACKEND; an unknown value is an error rather than a silent fallback. */
export function backendFromEnv(env: NodeJS.ProcessEnv = process.env): BackendName | undefined {
  const value = env[BACKEND_ENV]?.trim().toLowerCase();
  if (!value) return undefined;
  if (!isBackendName(value)) {
    throw new Error(`${BACKEND_ENV}=${value} is not a backend; use one of: ${BACKEND_ORDER.join(', ')}.`);
  }
  return value;
}

export function onnxThreadsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[ONNX_THREADS_ENV]?.trim();
  if (!text) return availableParallelism();
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 1024) throw new Error(`${ONNX_THREADS_ENV}=${text} must be a whole number from 1 to 1024.`);
  return value;
}

/** Device nodes a GPU driver exposes on Linux: DRM render nodes (AMD, Intel, Nouveau...) and NVIDIA's. */
const GPU_DEVICE_NODES: ReadonlyArray<{ dir: string; prefix: string }> = [
  { dir: '/dev/dri', prefix: 'renderD' },
  { dir: '/dev', prefix: 'nvidia' },
];

/**
 * Whether WebGPU would run on a real GPU here. On Linux, Dawn uses Vulkan, and without a GPU device node
 * the only Vulkan driver that can work is a software one (lavapipe), which runs this network 10-50x slower
 * than onnx-cpu: then WebGPU is no default. (Vulkan driver manifests say nothing: Mesa installs them for
 * every GPU family.) Elsewhere Dawn uses Metal or Direct3D 12 on the machine's GPU.
 */
export function hasHardwareWebGpu(platform: NodeJS.Platform = process.platform, nodes: ReadonlyArray<{ dir: string; prefix: string }> = GPU_DEVICE_NODES): boolean {
  if (platform !== 'linux') return true;
  return nodes.some(({ dir, prefix }) => {
    try {
      return readdirSync(dir).some((name) => name.startsWith(prefix));
    } catch {
      return false;
    }
  });
}

/**
 * Whether ONNX Runtime's CUDA provider files are installed: the npm package leaves them out unless the user
 * fetched them (README: GPU). Checked before trying, so a CPU machine is not greeted by ORT's loader error.
 */
export function hasOnnxCudaFiles(): boolean {
  try {
    const root = dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
    const bin = join(root, 'bin');
    return readdirSync(bin).some((napi) => {
      try {
        return readdirSync(join(bin, napi, platform(), arch())).some((name) => name.includes('providers_cuda'));
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/** What the default order depends on, found on this machine (replaceable in tests). */
export interface MachineProbe {
  hardwareWebGpu: () => boolean;
  onnxCudaFiles: () => boolean;
}

const THIS_MACHINE: MachineProbe = { hardwareWebGpu: hasHardwareWebGpu, onnxCudaFiles: hasOnnxCudaFiles };

export interface BackendCandidates {
  /** Backends to try, in order. */
  order: BackendName[];
  /** Set when one was asked for: then failing to load it is an error, not a fallback. */
  requested?: BackendName;
  /** Backends left out of the default order, and why (for the engine's one-line report). */
  skipped: string[];
}

/** The backend asked for (STYLIZE_BACKEND, else the argument), or the default order for this machine. */
export function backendCandidates(requested: BackendName | undefined, env: NodeJS.ProcessEnv = process.env, machine: MachineProbe = THIS_MACHINE): BackendCandidates {
  const wanted = backendFromEnv(env) ?? requested;
  if (wanted) return { order: [wanted], requested: wanted, skipped: [] };
  const skipped: string[] = [];
  const left = new Set<BackendName>();
  if (!machine.onnxCudaFiles()) {
    left.add('onnx-cuda');
    skipped.push('onnx-cuda not installed (see the README to add CUDA 12)');
  }
  if (!machine.hardwareWebGpu()) {
    left.add('onnx-webgpu');
    skipped.push(`onnx-webgpu not tried: no GPU here, and software Vulkan is slower than onnx-cpu (${BACKEND_ENV}=onnx-webgpu forces it)`);
  }
  return { order: BACKEND_ORDER.filter((name) => !left.has(name)), skipped };
}
