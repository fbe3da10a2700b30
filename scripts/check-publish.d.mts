export interface PackageCheck { name: string; publint: string[]; attw: string[] }
export interface ChangesetCheck { ok: boolean; error: string; pending: number; consumed?: number; packages: { name: string; version: string; changelog: string | null }[] }
export interface PublishCheck { ok: boolean; wouldPublish: string[]; out: string }
export declare const ATTW_KINDS: string[];
export declare function publicPackages(): { name: string; dir: string }[];
export declare function attwAllowances(manifest: Record<string, unknown>): { notModules: string[]; esmOnly: string[] };
export declare function checkPublish(): Promise<{ ok: boolean; packages: PackageCheck[]; changeset: ChangesetCheck; publish: PublishCheck }>;
