import { describe, expect, it } from 'vitest';
import { createRegistry, Registry } from '../src';

let n = 0;
const fresh = <T>(loose = true) => createRegistry<T>(`test-${n++}-${Math.random()}`, { kind: 'widget', loose });

describe('Registry', () => {
  it('finds built-ins by Keras name, aliases and loose spellings; lists only the names', () => {
    const r = fresh<number>();
    r.builtin('leaky_relu', 1, ['LeakyReLU']);
    r.builtin('relu', 2);
    expect(r.get('leaky_relu')).toBe(1);
    expect(r.get('LeakyReLU')).toBe(1);
    expect(r.get('leakyRelu')).toBe(1);
    expect(r.get('Leaky-ReLU')).toBe(1);
    expect(r.get('RELU')).toBe(2);
    expect(r.names()).toEqual(['leaky_relu', 'relu']);
    expect([...r.keys()]).toEqual(['leaky_relu', 'LeakyReLU', 'relu']);
    expect(r.size).toBe(3);
  });

  it('strict registries match exact names only', () => {
    const r = fresh<number>(false);
    r.builtin('Dense', 1);
    expect(r.get('Dense')).toBe(1);
    expect(r.get('dense')).toBeUndefined();
  });

  it('contributed objects get Keras 3 package>name keys and are found by name when unambiguous', () => {
    const r = fresh<string>();
    expect(r.register('Lion', 'lion')).toBe('Custom>Lion');
    expect(r.register('Focal', 'focal', { package: 'losses_pkg' })).toBe('losses_pkg>Focal');
    expect(r.get('Custom>Lion')).toBe('lion');
    expect(r.get('Lion')).toBe('lion');
    expect(r.get('lion')).toBe('lion');
    expect(r.get('Focal')).toBe('focal');
    expect(r.keyOf('focal')).toBe('losses_pkg>Focal');
    r.register('Focal', 'other-focal', { package: 'other' });
    expect(() => r.get('Focal')).toThrow(/"Focal" names several registered widgets \(losses_pkg>Focal, other>Focal\); use the full key/);
    expect(r.get('other>Focal')).toBe('other-focal');
  });

  it('a duplicate key is an error unless override; the same value again is harmless', () => {
    const r = fresh<string>();
    r.register('A', 'a');
    expect(r.register('A', 'a')).toBe('Custom>A');
    expect(() => r.register('A', 'b')).toThrow('register widget: a widget named "Custom>A" is already registered; pass { override: true } to replace it');
    expect(r.get('A')).toBe('a');
    r.register('A', 'b', { override: true });
    expect(r.get('A')).toBe('b');
  });

  it('a contributed name that a built-in answers to is refused unless override, which replaces the built-in', () => {
    const r = fresh<string>();
    r.builtin('relu', 'builtin-relu');
    expect(() => r.register('ReLU', 'mine')).toThrow('register widget: "ReLU" is the name of a built-in widget ("relu"); pass { override: true } to replace it');
    expect(r.register('relu', 'builtin-relu')).toBe('relu');
    expect(r.register('ReLU', 'mine', { override: true })).toBe('relu');
    expect(r.get('relu')).toBe('mine');
    expect(r.isBuiltin('relu')).toBe(false);
  });

  it('a second copy of a package registers its built-ins again: the first stays', () => {
    const id = `dual-${Math.random()}`;
    const a = createRegistry<string>(id, { kind: 'widget' });
    const b = createRegistry<string>(id, { kind: 'widget' });
    a.builtin('x', 'first');
    b.builtin('x', 'second');
    expect(b.get('x')).toBe('first');
    b.register('mine', 'm');
    expect(a.get('mine')).toBe('m');
  });

  it('unknown names list the known ones; odd names are just unknown', () => {
    const r = fresh<number>();
    r.builtin('mse', 1);
    r.builtin('mae', 2);
    expect(() => r.require('cross_entropy', 'compile')).toThrow('compile: Unknown widget "cross_entropy". Known widgets: mse, mae');
    for (const odd of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) expect(r.get(odd)).toBeUndefined();
  });

  it('rejects bad names and packages with what was given', () => {
    const r = fresh<number>();
    expect(() => r.register('', 1)).toThrow('register widget: the name must be a non-empty string, got ""');
    const named = createRegistry<number>(`named-${Math.random()}`, { kind: 'loss', registerName: 'registerLoss' });
    expect(() => named.register('', 1)).toThrow('registerLoss: the name must be a non-empty string, got ""');
    expect(() => r.register(42 as unknown as string, 1)).toThrow('got 42');
    expect(() => r.register('x', 1, { package: 'a>b' })).toThrow('register widget("x"): package must be a non-empty string without ">", got "a>b"');
  });

  it('reads like a Map and keeps the deprecated set()', () => {
    const r = fresh<number>();
    r.builtin('a', 1);
    r.set('b', 2);
    expect(r.has('b')).toBe(true);
    expect(new Map(r)).toEqual(new Map([['a', 1], ['b', 2]]));
    expect([...r.values()]).toEqual([1, 2]);
    expect(r.unregister('b')).toBe(true);
    expect(r.has('b')).toBe(false);
    expect(r).toBeInstanceOf(Registry);
  });

  it('a loose spelling that matches two different entries is refused', () => {
    const r = fresh<number>();
    r.builtin('hard_silu', 1);
    r.builtin('hardSiLU', 2);
    expect(() => r.get('HARDSILU')).toThrow(/matches several registered widgets/);
  });

  describe('load: built-ins filled in on first use', () => {
    it('runs once, before the first read or write, and not at creation', () => {
      let calls = 0;
      const r = createRegistry<number>(`lazy-${Math.random()}`, {
        kind: 'widget',
        load: () => {
          calls += 1;
          r.builtin('mse', 1);
          r.builtin('mae', 2, ['l1']);
        },
      });
      expect(calls).toBe(0);
      expect(r.get('l1')).toBe(2);
      expect(r.names()).toEqual(['mse', 'mae']);
      expect(r.size).toBe(3);
      expect(calls).toBe(1);
    });

    it('a contributed name that a lazy built-in answers to is refused as when built-ins load at import', () => {
      const r = createRegistry<string>(`lazy-${Math.random()}`, { kind: 'widget', load: () => r.builtin('relu', 'builtin-relu') });
      expect(() => r.register('ReLU', 'mine')).toThrow('"ReLU" is the name of a built-in widget ("relu")');
      expect(r.register('other', 'mine')).toBe('Custom>other');
      expect([...r.keys()]).toEqual(['relu', 'Custom>other']);
    });

    it('each copy of a package loads into the one shared table; the first built-in stays', () => {
      const id = `lazy-dual-${Math.random()}`;
      const a = createRegistry<string>(id, { kind: 'widget', load: () => a.builtin('x', 'first') });
      const b = createRegistry<string>(id, { kind: 'widget', load: () => b.builtin('x', 'second') });
      expect(b.get('x')).toBe('second');
      expect(a.get('x')).toBe('second');
      expect(a.names()).toEqual(['x']);
    });

    it('a load that throws is tried again on the next use, keeping what it registered', () => {
      let fail = true;
      const r = createRegistry<number>(`lazy-${Math.random()}`, {
        kind: 'widget',
        load: () => {
          r.builtin('a', 1);
          if (fail) throw new Error('not yet');
          r.builtin('b', 2);
        },
      });
      expect(() => r.get('a')).toThrow('not yet');
      fail = false;
      expect(r.names()).toEqual(['a', 'b']);
      expect(r.get('b')).toBe(2);
    });
  });
});
