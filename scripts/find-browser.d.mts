export declare const DEBIAN_CHROMIUM: string;
export interface FoundBrowser {
  chromium: string;
  source: 'CHROMIUM_PATH' | 'debian' | 'playwright';
  dir: string;
  swiftshaderIcd: string | null;
}
export interface BrowserProbe {
  env?: Record<string, string | undefined>;
  exists?: (path: string) => boolean;
  playwrightPath?: string | null;
}
export declare function playwrightChromiumPath(): string | null;
export declare function findBrowser(probe?: BrowserProbe): FoundBrowser | null;
export declare function installPlan(host: { isRoot: boolean; isDebian: boolean; hasApt: boolean }): { kind: 'apt' | 'playwright'; packages?: string[] };
export declare function testEnv(
  browser: Pick<FoundBrowser, 'chromium' | 'dir' | 'swiftshaderIcd'>,
  ctx: { env?: Record<string, string | undefined>; systemVulkan: boolean; exists?: (path: string) => boolean },
): Record<string, string>;
export declare function systemVulkanLoader(): boolean;
