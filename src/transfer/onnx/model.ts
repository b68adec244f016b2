// An ONNX graph assembled in code and encoded as a ModelProto (onnx.proto field numbers). Only what the
// engine's graphs use: float tensors, int64 shape constants, int/float/string/ints attributes.
import { ProtoWriter } from './protobuf.js';

const OPSET = 17;
const IR_VERSION = 8; // the IR that goes with opset 17
const FLOAT = 1;
const INT64 = 7;

export type AttributeValue = number | string | readonly number[] | { float: number };

/** One dimension of a graph input or output: a size, or a name for a size fixed at run time. */
export type Dim = number | string;

interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, AttributeValue>;
}

interface Initializer {
  name: string;
  dims: readonly number[];
  type: typeof FLOAT | typeof INT64;
  raw: Uint8Array;
}

function valueInfo(name: string, dims: readonly Dim[]): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of dims) shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensorType = new ProtoWriter().int(1, FLOAT).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
}

function attribute(name: string, value: AttributeValue): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  // AttributeProto.type: FLOAT 1, INT 2, STRING 3, INTS 7
  if (typeof value === 'number') return w.int(3, value).int(20, 2);
  if (typeof value === 'string') return w.string(4, value).int(20, 3);
  if ('float' in value) return w.float(2, value.float).int(20, 1);
  return w.packedInts(8, value).int(20, 7);
}

export class GraphBuilder {
  private readonly nodes: NodeSpec[] = [];
  private readonly initializers: Initializer[] = [];
  private readonly inputs: Array<{ name: string; dims: readonly Dim[] }> = [];
  private readonly outputs: Array<{ name: string; dims: readonly Dim[] }> = [];
  private counter = 0;

  /** A fresh value name with a readable prefix. */
  private fresh(prefix: string): string {
    this.counter += 1;
    return `${prefix}_${this.counter}`;
  }

  input(name: string, dims: readonly Dim[]): string {
    this.inputs.push({ name, dims });
    return name;
  }

  output(name: string, dims: readonly Dim[]): void {
    this.outputs.push({ name, dims });
  }

  /** A float constant; its data is encoded as it is (little-endian float32, as every supported platform is). */
  weight(prefix: string, dims: readonly number[], data: Float32Array): string {
    const name = this.fresh(prefix);
    this.initializers.push({ name, dims, type: FLOAT, raw: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
    return name;
  }

  scalar(value: number): string {
    return this.weight('const', [], Float32Array.of(value));
  }

  /** An int64 vector constant (shapes for Reshape, Pad amounts). */
  ints(prefix: string, values: readonly number[]): string {
    const name = this.fresh(prefix);
    this.initializers.push({ name, dims: [values.length], type: INT64, raw: new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer) });
    return name;
  }

  /** Adds a node with one output and returns its name (or names it `output` when given). */
  op(op: string, inputs: string[], attributes: Record<string, AttributeValue> = {}, output?: string): string {
    const name = output ?? this.fresh(op.toLowerCase());
    this.nodes.push({ op, inputs, outputs: [name], attributes });
    return name;
  }

  encode(): Uint8Array {
    const graph = new ProtoWriter();
    this.nodes.forEach((node, index) => {
      const n = new ProtoWriter();
      for (const i of node.inputs) n.string(1, i);
      for (const o of node.outputs) n.string(2, o);
      n.string(3, `n${index}`).string(4, node.op);
      for (const [key, value] of Object.entries(node.attributes)) n.message(5, attribute(key, value));
      graph.message(1, n);
    });
    graph.string(2, 'stylize');
    for (const init of this.initializers) {
      graph.message(5, new ProtoWriter().packedInts(1, init.dims).int(2, init.type).string(8, init.name).bytes(9, init.raw));
    }
    for (const i of this.inputs) graph.message(11, valueInfo(i.name, i.dims));
    for (const o of this.outputs) graph.message(12, valueInfo(o.name, o.dims));
    const opset = new ProtoWriter().string(1, '').int(2, OPSET);
    return new ProtoWriter().int(1, IR_VERSION).string(2, 'stylize').message(7, graph).message(8, opset).finish();
  }
}
