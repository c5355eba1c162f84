// Types for node-wav 0.0.2 (the package ships none). Only what this project uses.
declare module 'node-wav' {
  export interface DecodedWav {
    sampleRate: number;
    channelData: Float32Array[];
  }

  export interface EncodeOptions {
    sampleRate?: number;
    bitDepth?: number;
    float?: boolean;
    floatingPoint?: boolean;
  }

  /** Samples per channel as floats in [-1, 1]; returns a complete WAV file (44-byte header). */
  export function encode(channelData: ArrayLike<number>[], options: EncodeOptions): Buffer;
  export function decode(buffer: Buffer | ArrayBuffer | ArrayBufferView): DecodedWav;

  const wav: { encode: typeof encode; decode: typeof decode };
  export default wav;
}
