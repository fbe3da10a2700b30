export declare function chartPrograms(): string[];
export declare function transpile(file: string): string;
export declare function runProgram(file: string): Promise<{ stdout: string; charts: { name: string; spec: unknown }[]; pictures: { name: string; svg: string }[] }>;
export declare function buildPlots(): Promise<string[]>;
