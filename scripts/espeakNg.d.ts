/** The npm package `espeak-ng` ships no types: eSpeak NG's command line, compiled to WebAssembly (Emscripten), with its in-memory file system. */
declare module 'espeak-ng' {
  interface ESpeakNgInstance {
    FS: { readFile(path: string): Uint8Array };
  }
  export default function ESpeakNg(options: { arguments: string[] }): Promise<ESpeakNgInstance>;
}
