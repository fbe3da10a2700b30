export interface VisitSize { js: { file: string; bytes: number; gzip: number }[]; jsGzip: number; wasmGzip: number }
export declare const DIST: string;
export declare const BUDGET: Record<string, { jsGzipKB: number }>;
export declare const VISITS: { name: string; query: string; webgpu: boolean }[];
export declare function visitSize(dist: string, fetched: string[]): VisitSize;
export declare function overBudget(name: string, size: VisitSize): string[];
