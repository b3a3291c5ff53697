// The `az` package ships no types; this is the part of its API search uses.
declare module 'az' {
  interface Parse {
    parser: string;
    normalize(): { word: string };
    tag: { toString(): string };
  }
  const Az: {
    Morph: ((word: string) => Parse[]) & { init(path: string, callback: (err?: unknown) => void): void };
  };
  export default Az;
}
