import { describe, expect, it } from 'vitest';
import { isSoftwareAdapter, isSoftwareRenderer, summarizeAdapter, adapterLabel } from '../src/index';

describe('WebGPU adapter classification', () => {
  it('treats SwiftShader, lavapipe/llvmpipe and fallback adapters as software', () => {
    const swiftshader = summarizeAdapter({ info: { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0', isFallbackAdapter: true } });
    expect(isSoftwareAdapter(swiftshader)).toBe(true);
    expect(adapterLabel(swiftshader)).toBe('google swiftshader (SwiftShader driver 5.0.0)');
    expect(isSoftwareAdapter(summarizeAdapter({ info: { vendor: 'mesa', device: 'llvmpipe (LLVM 15.0.6, 256 bits)' } }))).toBe(true);
    expect(isSoftwareAdapter(summarizeAdapter({ info: { vendor: 'x' }, isFallbackAdapter: true }))).toBe(true);
  });

  it('treats a vendor GPU as hardware', () => {
    // what Dawn reported on an H200 with NVIDIA's Vulkan driver (device check)
    const nv = summarizeAdapter({ info: { vendor: 'nvidia', architecture: '', device: 'nvidia-h200', description: 'NVIDIA: 580.159.04 580.159.4.0', isFallbackAdapter: false } });
    expect(isSoftwareAdapter(nv)).toBe(false);
    expect(adapterLabel(nv)).toBe('nvidia nvidia-h200 (NVIDIA: 580.159.04 580.159.4.0)');
  });
});

describe('isSoftwareRenderer (WebGL renderers)', () => {
  it('names software rasterizers and not hardware ones', () => {
    expect(isSoftwareRenderer('Google Inc. (Google) ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)')).toBe(true);
    expect(isSoftwareRenderer('Mesa llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('Microsoft Basic Render Driver')).toBe(true);
    expect(isSoftwareRenderer('NVIDIA Corporation NVIDIA GeForce RTX 3060/PCIe/SSE2')).toBe(false);
  });
});
