export declare const SITE_URL: string;
export declare const REPO_URL: string;
export declare function apiPath(folder: string): string;
