/**
 * wavefile's WaveFile class, however the package was loaded. wavefile ships an ES module
 * (`module`, used by Next's bundler: named export only) and a CommonJS build (`main`, used by
 * Node and vitest: Node exposes `module.exports` as the default export only).
 */
import * as wavefileModule from "wavefile";

type WaveFileClass = typeof wavefileModule.WaveFile;

// Reflect.get keeps the bundler from flagging the `default` lookup it knows does not exist.
const commonJs = Reflect.get(wavefileModule, "default") as { WaveFile?: WaveFileClass } | undefined;

export const WaveFile: WaveFileClass =
  (Reflect.get(wavefileModule, "WaveFile") as WaveFileClass | undefined) ?? commonJs!.WaveFile!;
export type WaveFile = InstanceType<WaveFileClass>;
