// Types for main/build.mjs, which stays plain JavaScript so `node main/build.mjs` needs no compiler.
export declare const MAIN_OUTPUT: string;
export declare function buildMain(): Promise<void>;
