export declare const ROOT: string;
export declare const DOCS: string;
export declare const GUIDE_DIRS: string[];
export interface Block { line: number; code: string; mode: 'run' | 'browser' | 'schematic' }
export interface Include { line: number; path: string }
export declare function guidePages(): string[];
export declare function sitePages(): string[];
export declare function readPage(page: string): { blocks: Block[]; includes: Include[] };
