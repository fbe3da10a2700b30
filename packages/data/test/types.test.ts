// Type-level tests (checked by `tsc` in typecheck; the runtime part only builds the datasets).
import { describe, expectTypeOf, it } from 'vitest';
import { tensor, type Tensor } from '@neurona/tensor';
import {
  fromArrays,
  fromGenerator,
  fromIterable,
  idx,
  stackElements,
  zip,
  type Batched,
  type Cardinality,
  type Dataset,
  type TensorBufferLike,
  type Unbatched,
} from '../src/index';

// Exact type equality (vitest's toEqualTypeOf compares tfjs's Tensor class too deeply in tuples)
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

describe('element types', () => {
  it('Batched turns every leaf into a tensor and keeps tuples and dicts', () => {
    expectTypeOf<Batched<{ x: Float32Array; y: number }>>().toEqualTypeOf<{ x: Tensor; y: Tensor }>();
    expectTypeOf<Equal<Batched<[Tensor, Tensor]>, [Tensor, Tensor]>>().toEqualTypeOf<true>();
    expectTypeOf<Equal<Batched<[Tensor, Tensor]>, [Tensor, Tensor, Tensor]>>().toEqualTypeOf<false>(); // the check can fail
    expectTypeOf<Batched<{ a: { b: number[][] }; s: string; t: TensorBufferLike; f: boolean }>>().toEqualTypeOf<{ a: { b: Tensor }; s: Tensor; t: Tensor; f: Tensor }>();
    expectTypeOf<Equal<Batched<readonly [Uint8Array, Float32Array]>, [Tensor, Tensor]>>().toEqualTypeOf<true>();
    expectTypeOf<Batched<readonly [Uint8Array, readonly number[]]>>().toMatchTypeOf<[Tensor, Tensor]>();
    // an array of arrays of numbers is one numeric leaf (a matrix), as at run time
    expectTypeOf<Equal<Batched<[number[]]>, Tensor>>().toEqualTypeOf<true>();
    expectTypeOf<Unbatched<{ x: Tensor; y: Int32Array }>>().toEqualTypeOf<{ x: Tensor; y: number }>();
    expectTypeOf<Unbatched<number[][]>>().toEqualTypeOf<number[]>();
  });

  it('async generators of dicts, tuples and nested dicts typecheck without casts', () => {
    const dict = fromGenerator(async function* () {
      yield { x: tensor([1]), y: tensor([1]) };
    });
    expectTypeOf(dict).toEqualTypeOf<Dataset<{ x: Tensor; y: Tensor }>>();
    const tuple = fromGenerator(async function* (): AsyncGenerator<[Tensor, Tensor]> {
      yield [tensor([1]), tensor([1])];
    });
    expectTypeOf<Equal<typeof tuple, Dataset<[Tensor, Tensor]>>>().toEqualTypeOf<true>();
    expectTypeOf(tuple.batch(4)).toMatchTypeOf<AsyncIterable<[Tensor, Tensor]>>();
    const multiInput = fromGenerator(function* () {
      yield { x: { image: new Float32Array(4), meta: [1, 2] }, y: 3 };
    });
    expectTypeOf(multiInput.batch(2)).toEqualTypeOf<Dataset<{ x: { image: Tensor; meta: Tensor }; y: Tensor }>>();
  });

  it('map infers sync and async results; zip keeps the structure', () => {
    const ds = fromIterable([1, 2, 3]);
    expectTypeOf(ds.map((v) => String(v))).toEqualTypeOf<Dataset<string>>();
    expectTypeOf(ds.map(async (v) => ({ v }))).toEqualTypeOf<Dataset<{ v: number }>>();
    expectTypeOf(zip({ a: ds, b: ds.map((v) => [v]) })).toEqualTypeOf<Dataset<{ a: number; b: number[] }>>();
    expectTypeOf<Equal<ReturnType<typeof zip<[Dataset<number>, Dataset<TensorBufferLike>]>>, Dataset<[number, TensorBufferLike]>>>().toEqualTypeOf<true>();
    expectTypeOf(zip([ds, idx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 0]))])).toMatchTypeOf<AsyncIterable<readonly [number, TensorBufferLike]>>();
    expectTypeOf(ds.window(2)).toEqualTypeOf<Dataset<number[]>>();
    expectTypeOf(ds.size).toEqualTypeOf<Cardinality>();
  });

  it('fromArrays gives { x, y } and { x, y, sampleWeight } of samples', () => {
    const x = tensor([[1, 2]]);
    expectTypeOf(fromArrays(x, x, new Float32Array(1)).batch(1)).toEqualTypeOf<Dataset<{ x: Tensor; y: Tensor; sampleWeight: Tensor }>>();
    expectTypeOf(fromArrays({ a: x, b: [[1]] })).toMatchTypeOf<AsyncIterable<{ a: Tensor; b: number[] }>>();
    expectTypeOf(stackElements([{ x: 1 }, { x: 2 }])).toEqualTypeOf<{ x: Tensor }>();
    x.dispose();
  });
});
