/**
 * wavefile's WaveFile class. The package is CommonJS declared with `export =`: Node's ESM
 * loader exposes it only as the default export, which the import lint rule cannot see.
 */
// oxlint-disable-next-line import/default
import wavefile from "wavefile";

export const WaveFile = wavefile.WaveFile;
export type WaveFile = InstanceType<typeof wavefile.WaveFile>;
